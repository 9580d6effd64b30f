/*
 * buf.h — a growable byte buffer with a hard cap.
 *
 * Every buffer that input can grow has a cap (curl's rule); growing past it fails with
 * GSI_ELIMIT instead of eating the machine. `data` is always NUL-terminated when `cap > 0`, so
 * a buffer of text can be passed to C string functions.
 *
 *     struct gsi_buf b;
 *     gsi_buf_init(&b, 1 << 20);             // at most 1 MiB
 *     if (gsi_buf_appendf(&b, "%d rows", n) < 0) ...
 *     puts(b.data);
 *     gsi_buf_release(&b);
 */
#ifndef GSI_CORE_BUF_H
#define GSI_CORE_BUF_H

#include <stddef.h>

struct gsi_buf {
    char *data; /* NULL until the first append; NUL-terminated after it */
    size_t len; /* bytes used, not counting the NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* most bytes `len` may reach */
};

/* Empty buffer that may hold up to `max` bytes. Allocates nothing. */
void gsi_buf_init(struct gsi_buf *b, size_t max);
/* Frees the storage; the buffer is empty and may be used again. */
void gsi_buf_release(struct gsi_buf *b);
/* Keeps the storage, forgets the contents. */
void gsi_buf_reset(struct gsi_buf *b);
/* Makes room for `extra` more bytes. GSI_ELIMIT past `max`, GSI_ENOMEM on allocation failure. */
int gsi_buf_reserve(struct gsi_buf *b, size_t extra);
int gsi_buf_append(struct gsi_buf *b, const void *bytes, size_t n);
int gsi_buf_puts(struct gsi_buf *b, const char *s);
int gsi_buf_putc(struct gsi_buf *b, char c);
int gsi_buf_appendf(struct gsi_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Moves the storage out to the caller, who frees it; the buffer is left empty. */
char *gsi_buf_take(struct gsi_buf *b, size_t *len);

/* Arrays of any element type grow the same way: makes the array *items of `size`-byte elements,
 * `*cap` of them allocated, hold at least `need`, doubling from `first` (or from *cap). Returns
 * 0, or GSI_ENOMEM with the array left as it was (also for `size` 0). The caller caps `need`
 * (its input limits). Callers use GSI_ALLOC_GROW, which takes the element size from the
 * pointer's type; this is the routine under it. */
int gsi_array_reserve(void **items, size_t *cap, size_t need, size_t size, size_t first);

/* GSI_ALLOC_GROW(items, need, cap, first) — the one way an array grows (git's ALLOC_GROW).
 * `items` is a pointer lvalue of any type T *, `cap` a size_t lvalue counting the T's
 * allocated; afterwards items holds at least `need` elements. The element size comes from
 * `sizeof *items`, so it cannot disagree with the type, and no cast is written at the call
 * (a `cap` that is not a size_t is a compile error). 0, or GSI_ENOMEM with items and cap as
 * they were.
 *
 *     if (GSI_ALLOC_GROW(t->cells, t->ncells + 1, t->cap, 64) < 0) return GSI_ENOMEM;
 *     t->cells[t->ncells++] = cell;
 */
#define GSI_ALLOC_GROW(items, need, cap, first) \
    gsi_array_grow_at(&(items), &(cap), (need), sizeof *(items), (first))
/* The function under GSI_ALLOC_GROW: `itemsp` is the address of the pointer (any T **). */
int gsi_array_grow_at(void *itemsp, size_t *cap, size_t need, size_t size, size_t first);

/* GSI_ALLOC_RESIZE(items, n) — makes `items` (any T *) hold exactly `n` elements, growing or
 * shrinking it (room for one when n is 0, so the pointer stays valid). 0, or GSI_ENOMEM with
 * items as it was. For an array sized to a result rather than grown an element at a time. */
#define GSI_ALLOC_RESIZE(items, n) gsi_array_resize_at(&(items), (n), sizeof *(items))
int gsi_array_resize_at(void *itemsp, size_t n, size_t size);

/* Parallel arrays — several arrays indexed alike, one capacity for all — grow together:
 *
 *     struct gsi_array_ref grow[] = { GSI_ARRAY_REF(c->pid), GSI_ARRAY_REF(c->x) };
 *     if (gsi_arrays_grow(grow, 2, &c->cap, c->n + 1, 64) < 0) return GSI_ENOMEM;
 *
 * Every array is made to hold the same new capacity; *cap changes only when all of them
 * could, so on GSI_ENOMEM each array still holds at least the old *cap elements (some may
 * already sit in a larger block, which is harmless). */
struct gsi_array_ref {
    void *itemsp; /* address of the array's pointer */
    size_t size;  /* bytes per element */
};
#define GSI_ARRAY_REF(items)      \
    {                             \
        &(items), sizeof *(items) \
    }
int gsi_arrays_grow(const struct gsi_array_ref *arrays, size_t n, size_t *cap, size_t need,
                    size_t first);

#endif
