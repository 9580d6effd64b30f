/* buf.c — capped growable buffer (see buf.h). */
#include "core/buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

void gsi_buf_init(struct gsi_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void gsi_buf_release(struct gsi_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void gsi_buf_reset(struct gsi_buf *b)
{
    b->len = 0;
    if (b->data != NULL) {
        b->data[0] = '\0';
    }
}

int gsi_buf_reserve(struct gsi_buf *b, size_t extra)
{
    if (extra > b->max || b->len > b->max - extra) {
        return GSI_ELIMIT;
    }
    size_t need = b->len + extra + 1; /* + NUL */
    if (need <= b->cap) {
        return 0;
    }
    size_t cap = b->cap < 64 ? 64 : b->cap;
    while (cap < need) {
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    }
    if (cap > b->max + 1) {
        cap = b->max + 1;
    }
    char *p = realloc(b->data, cap);
    if (p == NULL) {
        return GSI_ENOMEM;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

int gsi_buf_append(struct gsi_buf *b, const void *bytes, size_t n)
{
    int rc = gsi_buf_reserve(b, n);
    if (rc < 0) {
        return rc;
    }
    if (n > 0) {
        memcpy(b->data + b->len, bytes, n);
    }
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int gsi_buf_puts(struct gsi_buf *b, const char *s)
{
    return gsi_buf_append(b, s, strlen(s));
}

int gsi_buf_putc(struct gsi_buf *b, char c)
{
    return gsi_buf_append(b, &c, 1);
}

int gsi_buf_appendf(struct gsi_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return GSI_EINTERNAL;
    }
    if ((size_t)n < sizeof small) {
        return gsi_buf_append(b, small, (size_t)n);
    }
    int rc = gsi_buf_reserve(b, (size_t)n);
    if (rc < 0) {
        return rc;
    }
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

char *gsi_buf_take(struct gsi_buf *b, size_t *len)
{
    char *p = b->data;
    if (len != NULL) {
        *len = b->len;
    }
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}

/* The capacity that holds `need`: doubling from *cap, or from `first` for an empty array.
 * 0 when it would overflow a size_t count of `size`-byte elements. */
static size_t grown_cap(size_t cap, size_t need, size_t size, size_t first)
{
    size_t ncap = cap ? cap : (first ? first : 1);
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) {
            return 0;
        }
        ncap *= 2;
    }
    if (size == 0 || ncap > SIZE_MAX / size) { /* size 0 is a caller's mistake */
        return 0;
    }
    return ncap;
}

int gsi_array_reserve(void **items, size_t *cap, size_t need, size_t size, size_t first)
{
    return gsi_array_grow_at(items, cap, need, size, first);
}

/* The pointer is read and written through memcpy: `itemsp` points to a T * of whatever type
 * the caller has, which this file must not access as a void * lvalue. */
/* Reallocates the array whose pointer (any T *) is at `itemsp` to `bytes` bytes. The pointer
 * is read and written through memcpy, so one function serves every element type. 0, or
 * GSI_ENOMEM with the array as it was. */
static int realloc_at(void *itemsp, size_t bytes)
{
    void *old;
    memcpy(&old, itemsp, sizeof old);
    void *m = realloc(old, bytes);
    if (m == NULL) {
        return GSI_ENOMEM;
    }
    memcpy(itemsp, &m, sizeof m);
    return 0;
}

int gsi_array_grow_at(void *itemsp, size_t *cap, size_t need, size_t size, size_t first)
{
    if (need <= *cap) {
        return 0;
    }
    size_t ncap = grown_cap(*cap, need, size, first);
    if (ncap == 0) {
        return GSI_ENOMEM;
    }
    if (realloc_at(itemsp, ncap * size) < 0) {
        return GSI_ENOMEM;
    }
    *cap = ncap;
    return 0;
}

int gsi_array_resize_at(void *itemsp, size_t n, size_t size)
{
    size_t count = n ? n : 1;
    if (size == 0 || count > SIZE_MAX / size) {
        return GSI_ENOMEM;
    }
    return realloc_at(itemsp, count * size);
}

int gsi_arrays_grow(const struct gsi_array_ref *arrays, size_t n, size_t *cap, size_t need,
                    size_t first)
{
    if (need <= *cap) {
        return 0;
    }
    size_t ncap = 0;
    for (size_t i = 0; i < n; i++) {
        size_t c = grown_cap(*cap, need, arrays[i].size, first);
        if (c == 0) {
            return GSI_ENOMEM;
        }
        ncap = c; /* the same for every array: it depends on the size only through overflow */
    }
    for (size_t i = 0; i < n; i++) {
        size_t c = *cap;
        if (gsi_array_grow_at(arrays[i].itemsp, &c, ncap, arrays[i].size, ncap) < 0) {
            return GSI_ENOMEM;
        }
    }
    *cap = ncap;
    return 0;
}
