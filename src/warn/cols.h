/*
 * cols.h — internal to src/warn: finding named columns in a CSV header and reading their
 * numeric cells with FILE:LINE errors. Used by the panel and forecast readers.
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

#endif
