/* Test-vector file reader. See vecfile.h. */
#include "vecfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *vec_slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    while (buf != NULL) {
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (n < cap) {
            break;
        }
        cap *= 2;
        char *nb = realloc(buf, cap + 1);
        if (nb == NULL) {
            free(buf);
            buf = NULL;
        }
        buf = nb;
    }
    fclose(fp);
    if (buf != NULL) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

int vec_open(struct vec_file *f, const char *path)
{
    memset(f, 0, sizeof *f);
    f->data = vec_slurp(path, &f->len);
    return f->data == NULL ? -1 : 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) {
        s[--n] = '\0';
    }
    return s;
}

int vec_next(struct vec_file *f)
{
    f->n = 0;
    while (f->at < f->len) {
        char *line = f->data + f->at;
        char *nl = memchr(line, '\n', f->len - f->at);
        size_t l = nl != NULL ? (size_t)(nl - line) : f->len - f->at;
        f->at += l + (nl != NULL);
        f->cur++;
        line[l] = '\0';
        char *t = trim(line);
        if (*t == '#' || *t == '[') {
            continue;
        }
        if (*t == '\0') {
            if (f->n > 0) {
                return 1;
            }
            continue;
        }
        char *eq = strchr(t, '=');
        if (eq == NULL || f->n == VEC_MAX_FIELDS) {
            continue;
        }
        *eq = '\0';
        if (f->n == 0) {
            f->line = f->cur;
        }
        f->key[f->n] = trim(t);
        f->val[f->n] = trim(eq + 1);
        f->n++;
    }
    return f->n > 0;
}

const char *vec_get(const struct vec_file *f, const char *key)
{
    for (size_t i = 0; i < f->n; i++) {
        if (strcmp(f->key[i], key) == 0) {
            return f->val[i];
        }
    }
    return NULL;
}

const char *vec_next_with(struct vec_file *f, const char *key)
{
    while (vec_next(f)) {
        const char *v = vec_get(f, key);
        if (v != NULL) {
            return v;
        }
    }
    return NULL;
}

void vec_close(struct vec_file *f)
{
    free(f->data);
    memset(f, 0, sizeof *f);
}

static int nibble(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

long vec_hex(uint8_t *out, size_t cap, const char *hex)
{
    if (strcmp(hex, "-") == 0 || strcmp(hex, "\"\"") == 0) {
        return 0;
    }
    size_t n = strlen(hex);
    if (n % 2 != 0 || n / 2 > cap) {
        return -1;
    }
    for (size_t i = 0; i < n / 2; i++) {
        int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return -1;
        }
        out[i] = (uint8_t)(hi * 16 + lo);
    }
    return (long)(n / 2);
}

uint8_t *vec_hex_alloc(const char *hex, size_t *len)
{
    size_t cap = strlen(hex) / 2 + 1;
    uint8_t *out = malloc(cap);
    if (out == NULL) {
        return NULL;
    }
    long n = vec_hex(out, cap, hex);
    if (n < 0) {
        free(out);
        return NULL;
    }
    *len = (size_t)n;
    return out;
}

int vec_list(const char *s, char **copy, const char *items[VEC_MAX_LIST])
{
    *copy = NULL;
    if (strcmp(s, "-") == 0 || *s == '\0') {
        return 0;
    }
    *copy = strdup(s);
    if (*copy == NULL) {
        return -1;
    }
    int n = 0;
    char *p = *copy;
    for (;;) {
        if (n == VEC_MAX_LIST) {
            return -1;
        }
        items[n++] = p;
        char *c = strchr(p, ',');
        if (c == NULL) {
            break;
        }
        *c = '\0';
        p = c + 1;
    }
    return n;
}
