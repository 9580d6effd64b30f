/* cols.c — named CSV columns and checked numeric cells (see cols.h). */
#include "warn/cols.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/buf.h"
#include "core/text.h"
#include "ref/ref.h"

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

int warn_cols_views_country(long country_id, const struct gsi_csv *c, size_t i, struct gsi_err *err)
{
    if (ref_views_country_by_id((int)country_id) == NULL) {
        return gsi_err_at(err, GSI_EDATA, c->path, c->record_line, (long)i + 1,
                          "unknown country_id %ld: not in the ViEWS country table", country_id);
    }
    return 0;
}

/* Reads the header record and finds the layout's columns in it. */
static int read_header(size_t *idx, const struct warn_cols_layout *l, struct gsi_csv *c,
                       struct gsi_err *err)
{
    int rc = gsi_csv_next(c, err);
    if (rc < 0) {
        return rc;
    }
    if (rc == 0) {
        char header[256] = "";
        size_t len = 0;
        for (size_t k = 0; k < l->ncols && len < sizeof header; k++) {
            len += (size_t)snprintf(header + len, sizeof header - len, "%s%s", k ? "," : "",
                                    l->names[k]);
        }
        gsi_err_at(err, GSI_EDATA, c->path, 1, 0, "empty file: expected a header %s", header);
        return GSI_EDATA;
    }
    return warn_cols_find(idx, l->names, l->ncols, c, err);
}

/* Every data row of an opened scanner, parsed, into a growing array. */
static int read_rows(unsigned char **rows, size_t *nrows, const struct warn_cols_layout *l,
                     struct gsi_csv *c, struct gsi_err *err)
{
    size_t idx[WARN_COLS_MAX];
    int rc = read_header(idx, l, c, err);
    if (rc < 0) {
        return rc;
    }
    unsigned char *r = NULL;
    size_t n = 0, cap = 0;
    while ((rc = gsi_csv_next(c, err)) != 0) {
        if (rc < 0) {
            break;
        }
        if (c->nfields == 1 && c->flen[0] == 0) {
            continue; /* a blank line */
        }
        /* Rows of l->row_size bytes each: the size is the layout's, not a C type's. */
        if (gsi_array_grow_at(&r, &cap, n + 1, l->row_size, l->rows_first) < 0) {
            rc = gsi_err_set(err, GSI_ENOMEM, "out of memory reading %s", c->path);
            break;
        }
        if ((rc = l->parse(r + n * l->row_size, c, idx, err)) < 0) {
            break;
        }
        if (n == l->rows_max) {
            rc = gsi_err_at(err, GSI_ELIMIT, c->path, c->record_line, 0, "more than %zu rows",
                            l->rows_max);
            break;
        }
        n++;
    }
    if (rc == 0 && n == 0) {
        gsi_err_at(err, GSI_EDATA, c->path, c->record_line, 0, "no data rows after the header");
        rc = GSI_EDATA;
    }
    if (rc < 0) {
        free(r);
        return rc;
    }
    *rows = r;
    *nrows = n;
    return 0;
}

int warn_cols_read(void **rows, size_t *nrows, const struct warn_cols_layout *layout,
                   const char *path, const char *data, size_t n, struct gsi_err *err)
{
    *rows = NULL;
    *nrows = 0;
    struct gsi_csv c;
    int rc = data != NULL ? gsi_csv_open_mem(&c, data, n, ',', true, err)
                          : gsi_csv_open(&c, path, ',', true, err);
    if (rc < 0) {
        return rc;
    }
    c.path = path;
    unsigned char *r = NULL;
    rc = read_rows(&r, nrows, layout, &c, err);
    *rows = r;
    gsi_csv_close(&c);
    return rc;
}
