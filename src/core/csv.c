/* csv.c — streaming delimited-text scanner (see csv.h). */
#include "core/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The read buffer holds one whole record plus room to read ahead. */
#define CSV_BUF_SIZE (GSI_CSV_RECORD_MAX + (1u << 20))

static int csv_alloc(struct gsi_csv *c, struct gsi_err *err)
{
    c->field = malloc(GSI_CSV_FIELDS_MAX * sizeof *c->field);
    c->flen = malloc(GSI_CSV_FIELDS_MAX * sizeof *c->flen);
    if (c->field == NULL || c->flen == NULL) {
        free(c->field);
        free(c->flen);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory opening %s", c->path);
    }
    return 0;
}

int gsi_csv_open(struct gsi_csv *c, const char *path, char delim, bool quoting, struct gsi_err *err)
{
    memset(c, 0, sizeof *c);
    c->path = path;
    c->delim = delim;
    c->quoting = quoting;
    c->line = 1;
    /* O_NONBLOCK: opening a FIFO would otherwise wait for a writer, forever if none comes.
     * Reads block again afterwards, so a FIFO with a writer streams as before. */
    c->fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (c->fd < 0) {
        return gsi_err_at(err, GSI_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    }
    if (c->fd != STDIN_FILENO) {
        int fl = fcntl(c->fd, F_GETFL);
        if (fl >= 0) {
            (void)fcntl(c->fd, F_SETFL, fl & ~O_NONBLOCK);
        }
    }
    struct stat st;
    if (fstat(c->fd, &st) == 0 && S_ISREG(st.st_mode)) {
        c->bytes_total = (uint64_t)st.st_size;
    } else if (fstat(c->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(c->fd);
        return gsi_err_at(err, GSI_EIO, path, 0, 0, "is a directory, expected a file");
    }
    c->buf = malloc(CSV_BUF_SIZE);
    c->cap = CSV_BUF_SIZE;
    c->owns_buf = true;
    if (c->buf == NULL || csv_alloc(c, err) < 0) {
        free(c->buf);
        if (c->fd != STDIN_FILENO) {
            close(c->fd);
        }
        return gsi_err_set(err, GSI_ENOMEM, "out of memory opening %s", path);
    }
    return 0;
}

int gsi_csv_open_mem(struct gsi_csv *c, const char *data, size_t n, char delim, bool quoting,
                     struct gsi_err *err)
{
    memset(c, 0, sizeof *c);
    c->path = "<memory>";
    c->delim = delim;
    c->quoting = quoting;
    c->line = 1;
    c->fd = -1;
    c->eof = true;
    /* The scanner unquotes in place, so it works on its own copy. */
    c->buf = malloc(n + 1);
    if (c->buf == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    if (n > 0) {
        memcpy(c->buf, data, n);
    }
    c->owns_buf = true;
    c->cap = n + 1;
    c->end = n;
    c->bytes_total = n;
    return csv_alloc(c, err);
}

void gsi_csv_close(struct gsi_csv *c)
{
    if (c->fd >= 0 && c->fd != STDIN_FILENO) {
        close(c->fd);
    }
    c->fd = -1;
    if (c->owns_buf) {
        free(c->buf);
    }
    free(c->field);
    free(c->flen);
    c->buf = NULL;
    c->field = NULL;
    c->flen = NULL;
}

/* Moves the unread bytes to the front and reads more. 0 on success (c->eof set at the end). */
static int csv_fill(struct gsi_csv *c, struct gsi_err *err)
{
    if (c->eof) {
        return 0;
    }
    if (c->pos > 0) {
        memmove(c->buf, c->buf + c->pos, c->end - c->pos);
        c->end -= c->pos;
        c->pos = 0;
    }
    while (c->end < c->cap) {
        ssize_t n = read(c->fd, c->buf + c->end, c->cap - c->end);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return gsi_err_at(err, GSI_EIO, c->path, c->line, 0, "read failed: %s",
                              strerror(errno));
        }
        if (n == 0) {
            c->eof = true;
            break;
        }
        c->end += (size_t)n;
    }
    return 0;
}

/* Finds the end of the record starting at c->pos. Returns the offset of its terminating '\n'
 * (or c->end when the input ends without one), or -1 when more input is needed. Sets
 * *open_quote when the input ended inside quotes. */
static long csv_record_end(const struct gsi_csv *c, bool *open_quote)
{
    const char *p = c->buf + c->pos, *e = c->buf + c->end;
    *open_quote = false;
    if (!c->quoting) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        if (nl != NULL) {
            return (long)(nl - c->buf);
        }
        return c->eof ? (long)c->end : -1;
    }
    bool inq = false;
    for (; p < e; p++) {
        if (*p == '"') {
            inq = !inq;
        } else if (*p == '\n' && !inq) {
            return (long)(p - c->buf);
        }
    }
    if (!c->eof) {
        return -1;
    }
    *open_quote = inq;
    return (long)c->end;
}

static long count_newlines(const char *p, size_t n)
{
    long k = 0;
    for (const char *e = p + n; (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++) {
        k++;
    }
    return k;
}

/* Splits record [s, e) into fields, unquoting in place. */
static int csv_split(struct gsi_csv *c, char *s, char *e, struct gsi_err *err)
{
    c->nfields = 0;
    char *p = s;
    for (;;) {
        if (c->nfields == GSI_CSV_FIELDS_MAX) {
            return gsi_err_at(err, GSI_ELIMIT, c->path, c->record_line, 0,
                              "more than %u fields in one record", GSI_CSV_FIELDS_MAX);
        }
        size_t idx = c->nfields++;
        if (c->quoting && p < e && *p == '"') {
            char *out = p, *q = p + 1;
            c->field[idx] = out;
            for (;;) {
                if (q >= e) {
                    return gsi_err_at(err, GSI_EDATA, c->path, c->record_line, (long)idx + 1,
                                      "quoted field is not closed; expected a closing '\"'");
                }
                if (*q == '"') {
                    if (q + 1 < e && q[1] == '"') {
                        *out++ = '"';
                        q += 2;
                        continue;
                    }
                    q++;
                    break;
                }
                *out++ = *q++;
            }
            c->flen[idx] = (size_t)(out - c->field[idx]);
            if (q == e) {
                return 0;
            }
            if (*q != c->delim) {
                return gsi_err_at(err, GSI_EDATA, c->path, c->record_line, (long)idx + 1,
                                  "unexpected character after a closing quote; expected "
                                  "'%c' or the end of the line",
                                  c->delim);
            }
            p = q + 1;
            continue;
        }
        char *d = memchr(p, c->delim, (size_t)(e - p));
        c->field[idx] = p;
        if (d == NULL) {
            c->flen[idx] = (size_t)(e - p);
            return 0;
        }
        c->flen[idx] = (size_t)(d - p);
        p = d + 1;
    }
}

int gsi_csv_next(struct gsi_csv *c, struct gsi_err *err)
{
    if (!c->started) {
        c->started = true;
        if (c->end - c->pos < 3 && csv_fill(c, err) < 0) {
            return err->code;
        }
        if (c->end - c->pos >= 3 && memcmp(c->buf + c->pos, "\xEF\xBB\xBF", 3) == 0) {
            c->pos += 3;
            c->bytes_done += 3;
        }
    }
    for (;;) {
        if (c->pos >= c->end) {
            if (c->eof) {
                return 0;
            }
            int rc = csv_fill(c, err);
            if (rc < 0) {
                return rc;
            }
            continue;
        }
        bool open_quote;
        long end = csv_record_end(c, &open_quote);
        if (end < 0) {
            if (c->end - c->pos >= GSI_CSV_RECORD_MAX) {
                /* Too long: skip to the next line end outside this window. */
                long start_line = c->line;
                c->line += count_newlines(c->buf + c->pos, c->end - c->pos);
                c->bytes_done += c->end - c->pos;
                size_t skipped = c->end - c->pos;
                c->pos = c->end;
                for (;;) {
                    if (skipped > GSI_CSV_SKIP_MAX) {
                        /* No line end in sight: not delimited text. Stop here rather than
                         * read an endless input (/dev/zero) to its end. */
                        c->eof = true;
                        c->pos = c->end;
                        return gsi_err_at(err, GSI_ELIMIT, c->path, start_line, 0,
                                          "no line end in %u bytes (is this a delimited text "
                                          "file?); stopped reading",
                                          GSI_CSV_SKIP_MAX);
                    }
                    int rc = csv_fill(c, err);
                    if (rc < 0) {
                        return rc;
                    }
                    const char *nl = memchr(c->buf + c->pos, '\n', c->end - c->pos);
                    size_t upto = nl ? (size_t)(nl - c->buf) + 1 : c->end;
                    skipped += upto - c->pos;
                    c->line += count_newlines(c->buf + c->pos, upto - c->pos);
                    c->bytes_done += upto - c->pos;
                    c->pos = upto;
                    if (nl != NULL || c->eof) {
                        break;
                    }
                }
                return gsi_err_at(err, GSI_ELIMIT, c->path, start_line, 0,
                                  "record longer than %u bytes", GSI_CSV_RECORD_MAX);
            }
            int rc = csv_fill(c, err);
            if (rc < 0) {
                return rc;
            }
            continue;
        }
        char *s = c->buf + c->pos, *e = c->buf + end;
        size_t consumed = (size_t)end - c->pos + (end < (long)c->end ? 1 : 0);
        c->record_line = c->line;
        c->line += count_newlines(s, (size_t)(e - s)) + 1;
        c->pos += consumed;
        c->bytes_done += consumed;
        if (e > s && e[-1] == '\r') {
            e--;
        }
        if (open_quote) {
            return gsi_err_at(err, GSI_EDATA, c->path, c->record_line, 0,
                              "quoted field is not closed before the end of the file");
        }
        if (e == s && !(end < (long)c->end)) {
            continue; /* nothing after the last line end */
        }
        if ((size_t)(e - s) > GSI_CSV_RECORD_MAX) {
            return gsi_err_at(err, GSI_ELIMIT, c->path, c->record_line, 0,
                              "record longer than %u bytes", GSI_CSV_RECORD_MAX);
        }
        int rc = csv_split(c, s, e, err);
        return rc < 0 ? rc : 1;
    }
}
