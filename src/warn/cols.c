/* cols.c — named CSV columns and checked numeric cells (see cols.h). */
#include "warn/cols.h"

#include <math.h>
#include <stdint.h>

#include "core/text.h"

int warn_cols_find(size_t *idx, const char *const *names, size_t n, const struct gsi_csv *c,
                   struct gsi_err *err)
{
    for (size_t i = 0; i < n; i++) {
        idx[i] = SIZE_MAX;
        for (size_t f = 0; f < c->nfields; f++) {
            const char *s = c->field[f];
            size_t len = c->flen[f];
            gsi_slice_trim(&s, &len);
            if (gsi_slice_eq(s, len, names[i])) {
                idx[i] = f;
                break;
            }
        }
        if (idx[i] == SIZE_MAX) {
            return gsi_err_at(err, GSI_EDATA, c->path, c->record_line, 0,
                              "header has no column '%s'", names[i]);
        }
    }
    return 0;
}

int warn_cols_int(long *out, const struct gsi_csv *c, size_t i, long lo, long hi, const char *what,
                  struct gsi_err *err)
{
    int64_t v = 0;
    const char *s = i < c->nfields ? c->field[i] : "";
    size_t n = i < c->nfields ? c->flen[i] : 0;
    gsi_slice_trim(&s, &n);
    if (i >= c->nfields || gsi_parse_i64(&v, s, n) < 0 || v < lo || v > hi) {
        return gsi_err_at(err, GSI_EDATA, c->path, c->record_line, (long)i + 1,
                          "%s must be an integer from %ld to %ld, not '%.*s'", what, lo, hi,
                          (int)(n > 40 ? 40 : n), s);
    }
    *out = (long)v;
    return 0;
}

int warn_cols_num(double *out, const struct gsi_csv *c, size_t i, double lo, double hi,
                  const char *what, struct gsi_err *err)
{
    double v = 0;
    const char *s = i < c->nfields ? c->field[i] : "";
    size_t n = i < c->nfields ? c->flen[i] : 0;
    gsi_slice_trim(&s, &n);
    if (i >= c->nfields || gsi_parse_f64(&v, s, n) < 0 || !isfinite(v) || v < lo || v > hi) {
        return gsi_err_at(err, GSI_EDATA, c->path, c->record_line, (long)i + 1,
                          "%s must be a number from %g to %g, not '%.*s'", what, lo, hi,
                          (int)(n > 40 ? 40 : n), s);
    }
    *out = v;
    return 0;
}
