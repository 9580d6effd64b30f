/*
 * cols.h — internal to src/warn: reading a CSV file of named columns whole into an array of
 * rows, and its numeric cells, with FILE:LINE errors. The panel and forecast readers share
 * it; each gives its layout (the columns, the row type and the function that parses one
 * record into a row) and then checks the rows as a whole.
 *
 *     static const struct warn_cols_layout layout = {
 *         .names = names, .ncols = 3, .row_size = sizeof(struct row), .rows_first = 4096,
 *         .rows_max = ROWS_MAX, .parse = parse_row,
 *     };
 *     void *rows;
 *     size_t n;
 *     if (warn_cols_read(&rows, &n, &layout, path, NULL, 0, &err) < 0) return err.code;
 *     ... use ((struct row *)rows)[0..n) ...
 *     free(rows);
 */
#ifndef GSI_WARN_COLS_H
#define GSI_WARN_COLS_H

#include <stddef.h>

#include "core/csv.h"
#include "core/err.h"

/* Looks up each of the `n` names in the header record now in `c`, storing the field index in
 * idx[i]. GSI_EDATA naming the first column that is missing. */
int warn_cols_find(size_t *idx, const char *const *names, size_t n, const struct gsi_csv *c,
                   struct gsi_err *err);

/* Integer cell `i` of the current record, in [lo, hi]. GSI_EDATA otherwise, naming `what`. */
int warn_cols_int(long *out, const struct gsi_csv *c, size_t i, long lo, long hi, const char *what,
                  struct gsi_err *err);

/* Finite number cell `i` of the current record, in [lo, hi]. GSI_EDATA otherwise. */
int warn_cols_num(double *out, const struct gsi_csv *c, size_t i, double lo, double hi,
                  const char *what, struct gsi_err *err);

/* The `country_id` in cell `i` (already read as a number) must be in the ViEWS country table
 * (ref_views_country_by_id). 0, or GSI_EDATA naming the line and column. */
int warn_cols_views_country(long country_id, const struct gsi_csv *c, size_t i,
                            struct gsi_err *err);

#define WARN_COLS_MAX 8 /* columns one layout may name */

/* What a reader wants of a CSV file with a header row. */
struct warn_cols_layout {
    const char *const *names; /* the columns the header must have, in any order */
    size_t ncols;             /* 1..WARN_COLS_MAX */
    size_t row_size;          /* bytes of one parsed row */
    size_t rows_first;        /* rows the array has room for at first; it doubles as needed */
    size_t rows_max;          /* more data rows than this are GSI_ELIMIT */
    /* Parses the current record of `c` into `row` (row_size bytes), column names[k] being
     * field idx[k]. 0, or a negative GSI_E* code with `err` naming the line and column. */
    int (*parse)(void *row, const struct gsi_csv *c, const size_t *idx, struct gsi_err *err);
};

/* Reads the comma-separated file at `path` ("-" for standard input) or, when `data` is not
 * NULL, the `n` bytes at `data` (named `path` in messages): the header, then every record but
 * blank lines, each parsed into a row. On success *rows is a malloc'ed array of *nrows >= 1
 * rows that the caller frees. Errors (nothing allocated, *rows NULL): GSI_EIO for a file that
 * cannot be read, GSI_EDATA for an empty file, a header without one of the columns, a bad
 * record or no data rows, GSI_ELIMIT past rows_max, GSI_ENOMEM. */
int warn_cols_read(void **rows, size_t *nrows, const struct warn_cols_layout *layout,
                   const char *path, const char *data, size_t n, struct gsi_err *err);

#endif
