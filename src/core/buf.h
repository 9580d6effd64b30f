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
 * (its input limits). */
int gsi_array_reserve(void **items, size_t *cap, size_t need, size_t size, size_t first);

#endif
