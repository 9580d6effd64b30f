/*
 * file.h — whole-file reads and writes with a cap, done the careful way once.
 *
 * Reading takes a cap (every size input controls has one). Writing comes in two kinds: a new
 * file that must not exist yet (O_EXCL: a key is never overwritten), and the atomic
 * replacement of a file that readers may be looking at (write a temporary file beside it,
 * fsync, rename over, fsync the folder: a reader sees the old file or the new one, never a
 * part). Each returns 0 or a negative GSI_E* code and fills `err` with the path and the
 * system's reason.
 *
 *     char *text; size_t n;
 *     if (gsi_file_read(path, &text, &n, 1 << 20, &err) < 0) return err.code;
 *     ...
 *     free(text);
 */
#ifndef GSI_CORE_FILE_H
#define GSI_CORE_FILE_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "core/err.h"

/* Reads all of `path` into a new NUL-terminated buffer (*out, which the caller frees; *len
 * bytes before the NUL). GSI_ENOTFOUND when it does not exist, GSI_ELIMIT when it holds more
 * than `max` bytes, GSI_EIO or GSI_ENOMEM otherwise; *out is set only on success. A FIFO is
 * opened without waiting for a writer (see gsi_file_open_read); a directory is GSI_EIO. */
int gsi_file_read(const char *path, char **out, size_t *len, size_t max, struct gsi_err *err);

/* Opens `path` for reading into *fd without waiting for a writer when it is a FIFO (one with
 * none reads as empty at once). GSI_ENOTFOUND when it does not exist, GSI_EIO otherwise. */
int gsi_file_open_read(int *fd, const char *path, struct gsi_err *err);

/* Reads `fd` to its end, as gsi_file_read does a file; `name` is for messages ("standard
 * input"). The caller closes `fd`. */
int gsi_fd_read(int fd, const char *name, char **out, size_t *len, size_t max, struct gsi_err *err);

/* Creates `path` with `mode` and writes the `n` pieces of `parts` into it, one after the other,
 * then fsyncs it. GSI_EIO when it exists already or a write fails (the file may then be left
 * partly written; the caller removes it). Pieces let a secret be written straight from the
 * memory that guards it. */
int gsi_file_create(const char *path, mode_t mode, const struct iovec *parts, int n,
                    struct gsi_err *err);

/* Replaces `path` by `len` bytes of `data` atomically (see above). The temporary file is
 * PATH.tmpPID; `path` may be at most 4096 bytes. GSI_EIO on any failure, the old file intact,
 * and when `path` exists but is not a regular file (a device, a FIFO, a folder). */
int gsi_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
                          struct gsi_err *err);

#endif
