/*
 * csv.h — a streaming scanner for delimited text: RFC 4180 CSV and tab-separated files.
 *
 * The scanner reads a file (or a memory block) through a fixed buffer, so memory does not grow
 * with the input, and hands out one record at a time as an array of field slices that point
 * into its buffer. The slices stay valid until the next call.
 *
 *   - `quoting` on: a field may be wrapped in double quotes; inside, "" is a quote and line
 *     breaks belong to the field (UCDP's source_article). Off: quotes are plain bytes (GDELT,
 *     ICEWS, where a quote may appear unbalanced inside a field).
 *   - CRLF and LF line ends are both accepted; a final line without a line end is a record.
 *   - A UTF-8 byte-order mark at the start of the input is skipped (spreadsheet exports).
 *   - `line` counts physical lines, so an error names the line a person sees in an editor.
 *   - Limits: a record longer than GSI_CSV_RECORD_MAX bytes or with more than
 *     GSI_CSV_FIELDS_MAX fields is skipped and reported with GSI_ELIMIT; a quote left open at
 *     the end of the input is GSI_EDATA. After either, the scanner continues with the next
 *     record, so a reader can count bad rows and go on. But it looks for the end of a
 *     too-long record through at most GSI_CSV_SKIP_MAX bytes: past that (/dev/zero, a binary
 *     file) the GSI_ELIMIT says so and the input ends there, so no input makes it run on.
 *   - A FIFO is opened without waiting for a writer: with none, the input is empty.
 *
 *     struct gsi_csv c;
 *     if (gsi_csv_open(&c, path, ',', true, &err) < 0) return err.code;
 *     int rc;
 *     while ((rc = gsi_csv_next(&c, &err)) != 0) {
 *         if (rc < 0) { report(&err); continue; }      // bad record skipped
 *         use(c.field[0], c.flen[0], c.record_line);
 *     }
 *     gsi_csv_close(&c);
 */
#ifndef GSI_CORE_CSV_H
#define GSI_CORE_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define GSI_CSV_RECORD_MAX (1u << 20) /* bytes in one record, line breaks in quotes included */
#define GSI_CSV_FIELDS_MAX 512u       /* fields in one record */
#define GSI_CSV_SKIP_MAX   (16u << 20) /* bytes searched for the end of a too-long record */

struct gsi_csv {
    /* public, read-only */
    const char *path;     /* for messages; "<memory>" for a memory block */
    size_t nfields;       /* fields in the current record */
    const char **field;   /* field[i] points at field i's bytes (not NUL-terminated) */
    size_t *flen;         /* flen[i] is field i's length */
    long record_line;     /* physical line where the current record starts (1-based) */
    uint64_t bytes_done;  /* bytes consumed so far, for progress */
    uint64_t bytes_total; /* size of the input when known, else 0 */

    /* private */
    int fd;
    char delim;
    bool quoting;
    bool eof;
    bool owns_buf;
    bool started; /* the byte-order mark check is done */
    char *buf;
    size_t cap, pos, end;
    long line;
};

/* Opens `path` ("-" is standard input). GSI_EIO with the reason when it cannot be read. */
int gsi_csv_open(struct gsi_csv *c, const char *path, char delim, bool quoting,
                 struct gsi_err *err);
/* Scans `n` bytes at `data` (borrowed until gsi_csv_close). */
int gsi_csv_open_mem(struct gsi_csv *c, const char *data, size_t n, char delim, bool quoting,
                     struct gsi_err *err);
/* Next record: 1 when one is ready, 0 at the end, or a negative code for a record that was
 * skipped (err names the file and line); call again to continue. */
int gsi_csv_next(struct gsi_csv *c, struct gsi_err *err);
void gsi_csv_close(struct gsi_csv *c);

#endif
