/* forecast.c — forecast samples in memory and in the challenge's CSV layout (see forecast.h). */
#include "warn/forecast.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/text.h"
#include "ref/ref.h"
#include "warn/cols.h"

int warn_forecast_init(struct warn_forecast *f, int month_first, int nmonths, const int *ids,
                       size_t ncountries, size_t ndraws, struct gsi_err *err)
{
    memset(f, 0, sizeof *f);
    size_t cells = (size_t)nmonths * ncountries * ndraws;
    f->country_id = malloc((ncountries ? ncountries : 1) * sizeof *f->country_id);
    f->x = calloc(cells ? cells : 1, sizeof *f->x);
    if (f->country_id == NULL || f->x == NULL) {
        warn_forecast_release(f);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory for a forecast of %zu samples", cells);
    }
    memcpy(f->country_id, ids, ncountries * sizeof *ids);
    f->month_first = month_first;
    f->nmonths = nmonths;
    f->ncountries = ncountries;
    f->ndraws = ndraws;
    return 0;
}

void warn_forecast_release(struct warn_forecast *f)
{
    free(f->country_id);
    free(f->x);
    memset(f, 0, sizeof *f);
}

double *warn_forecast_draws(const struct warn_forecast *f, int m, size_t c)
{
    return f->x + ((size_t)m * f->ncountries + c) * f->ndraws;
}

long warn_forecast_find(const struct warn_forecast *f, int country_id)
{
    size_t lo = 0, hi = f->ncountries;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->country_id[mid] < country_id) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < f->ncountries && f->country_id[lo] == country_id ? (long)lo : -1;
}

struct row {
    int month, country;
    long draw;
    double value;
    long line;
};

static int cmp_row(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->month != y->month) {
        return x->month < y->month ? -1 : 1;
    }
    if (x->country != y->country) {
        return x->country < y->country ? -1 : 1;
    }
    if (x->draw != y->draw) {
        return x->draw < y->draw ? -1 : 1;
    }
    return (x->line > y->line) - (x->line < y->line);
}

static int read_rows(struct row **out, size_t *nout, struct gsi_csv *c, struct gsi_err *err)
{
    static const char *const names[4] = { "month_id", "country_id", "draw", "outcome" };
    size_t idx[4];
    struct row *r = NULL;
    size_t n = 0, cap = 0;
    int rc = gsi_csv_next(c, err);
    if (rc <= 0) {
        return rc < 0
                   ? rc
                   : gsi_err_at(err, GSI_EDATA, c->path, 1, 0,
                                "empty file: expected a header month_id,country_id,draw,outcome");
    }
    if ((rc = warn_cols_find(idx, names, 4, c, err)) < 0) {
        return rc;
    }
    while ((rc = gsi_csv_next(c, err)) != 0) {
        if (rc < 0) {
            goto fail;
        }
        if (c->nfields == 1 && c->flen[0] == 0) {
            continue;
        }
        long month = 0, country = 0, draw = 0;
        double v = 0;
        if ((rc = warn_cols_int(&month, c, idx[0], 1, 9999, "month_id", err)) < 0 ||
            (rc = warn_cols_int(&country, c, idx[1], 1, 99999, "country_id", err)) < 0 ||
            (rc = warn_cols_int(&draw, c, idx[2], 0, WARN_FORECAST_DRAWS_MAX - 1, "draw", err)) <
                0 ||
            (rc = warn_cols_num(&v, c, idx[3], 0, 1e12,
                                "outcome (a fatality count, never negative)", err)) < 0) {
            goto fail;
        }
        if (ref_views_country_by_id((int)country) == NULL) {
            rc = gsi_err_at(err, GSI_EDATA, c->path, c->record_line, (long)idx[1] + 1,
                            "unknown country_id %ld: not in the ViEWS country table", country);
            goto fail;
        }
        if (n == WARN_FORECAST_ROWS_MAX) {
            rc = gsi_err_at(err, GSI_ELIMIT, c->path, c->record_line, 0, "more than %u rows",
                            WARN_FORECAST_ROWS_MAX);
            goto fail;
        }
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            struct row *nr = realloc(r, ncap * sizeof *r);
            if (nr == NULL) {
                rc = gsi_err_set(err, GSI_ENOMEM, "out of memory reading %s", c->path);
                goto fail;
            }
            r = nr;
            cap = ncap;
        }
        r[n] = (struct row){ (int)month, (int)country, draw, v, c->record_line };
        n++;
    }
    if (n == 0) {
        rc =
            gsi_err_at(err, GSI_EDATA, c->path, c->record_line, 0, "no data rows after the header");
        goto fail;
    }
    *out = r;
    *nout = n;
    return 0;
fail:
    free(r);
    return rc;
}

/* Checks the sorted rows form a full rectangle and copies them into f. */
static int build(struct warn_forecast *f, struct row *r, size_t n, const char *path,
                 struct gsi_err *err)
{
    qsort(r, n, sizeof *r, cmp_row);
    int m0 = r[0].month, m1 = r[n - 1].month;
    if (m1 - m0 + 1 > WARN_FORECAST_MONTHS_MAX) {
        return gsi_err_at(err, GSI_ELIMIT, path, 0, 0, "months %d to %d: more than %d months", m0,
                          m1, WARN_FORECAST_MONTHS_MAX);
    }
    /* The first month's countries and the draw count of its first country-month set the
     * shape every other country-month must have. */
    size_t nd = 0;
    while (nd < n && r[nd].month == m0 && r[nd].country == r[0].country) {
        nd++;
    }
    size_t nc = 0;
    for (size_t i = 0; i < n && r[i].month == m0; i++) {
        nc += i == 0 || r[i].country != r[i - 1].country;
    }
    int *ids = malloc(nc * sizeof *ids);
    if (ids == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory reading %s", path);
    }
    nc = 0;
    for (size_t i = 0; i < n && r[i].month == m0; i++) {
        if (i == 0 || r[i].country != r[i - 1].country) {
            ids[nc++] = r[i].country;
        }
    }
    int rc = warn_forecast_init(f, m0, m1 - m0 + 1, ids, nc, nd, err);
    free(ids);
    if (rc < 0) {
        return rc;
    }
    size_t i = 0;
    for (int m = 0; m < f->nmonths && rc == 0; m++) {
        for (size_t c = 0; c < nc && rc == 0; c++) {
            for (size_t d = 0; d < nd; d++) {
                const struct row *w = i < n ? &r[i] : NULL;
                if (w == NULL || w->month != m0 + m || w->country != f->country_id[c] ||
                    w->draw != (long)d) {
                    if (w != NULL && w->month == m0 + m && w->country == f->country_id[c] &&
                        w->draw < (long)d) {
                        rc = gsi_err_at(err, GSI_EDATA, path, w->line, 0,
                                        "month_id %d, country_id %d, draw %ld appears twice",
                                        w->month, w->country, w->draw);
                    } else if (w != NULL && w->month == m0 + m && w->country != f->country_id[c] &&
                               warn_forecast_find(f, w->country) < 0) {
                        rc = gsi_err_at(err, GSI_EDATA, path, w->line, 0,
                                        "country_id %d is not in month %d, the first month; every "
                                        "month must have the same countries",
                                        w->country, m0);
                    } else {
                        rc = gsi_err_at(err, GSI_EDATA, path, 0, 0,
                                        "missing draw: month_id %d, country_id %d has no draw %zu; "
                                        "expected draws 0..%zu for every country-month",
                                        m0 + m, f->country_id[c], d, nd - 1);
                    }
                    break;
                }
                warn_forecast_draws(f, m, c)[d] = w->value;
                i++;
            }
        }
    }
    if (rc == 0 && i < n) {
        const struct row *w = &r[i];
        rc = gsi_err_at(err, GSI_EDATA, path, w->line, 0,
                        "month_id %d, country_id %d, draw %ld is beyond the %zu draws per "
                        "country-month that the first country-month has",
                        w->month, w->country, w->draw, nd);
    }
    if (rc < 0) {
        warn_forecast_release(f);
    }
    return rc;
}

static int read_from(struct warn_forecast *f, struct gsi_csv *c, struct gsi_err *err)
{
    struct row *r = NULL;
    size_t n = 0;
    int rc = read_rows(&r, &n, c, err);
    if (rc == 0) {
        rc = build(f, r, n, c->path, err);
    }
    free(r);
    return rc;
}

int warn_forecast_read(struct warn_forecast *f, const char *path, struct gsi_err *err)
{
    struct gsi_csv c;
    memset(f, 0, sizeof *f);
    int rc = gsi_csv_open(&c, path, ',', true, err);
    if (rc < 0) {
        return rc;
    }
    rc = read_from(f, &c, err);
    gsi_csv_close(&c);
    return rc;
}

int warn_forecast_read_mem(struct warn_forecast *f, const char *data, size_t n, const char *name,
                           struct gsi_err *err)
{
    struct gsi_csv c;
    memset(f, 0, sizeof *f);
    int rc = gsi_csv_open_mem(&c, data, n, ',', true, err);
    if (rc < 0) {
        return rc;
    }
    c.path = name;
    rc = read_from(f, &c, err);
    gsi_csv_close(&c);
    return rc;
}

int warn_forecast_write(const struct warn_forecast *f, FILE *out, struct gsi_err *err)
{
    fputs("month_id,country_id,draw,outcome\n", out);
    for (int m = 0; m < f->nmonths; m++) {
        for (size_t c = 0; c < f->ncountries; c++) {
            const double *x = warn_forecast_draws(f, m, c);
            for (size_t d = 0; d < f->ndraws; d++) {
                char num[40];
                if (x[d] == floor(x[d]) && fabs(x[d]) < 1e15) {
                    snprintf(num, sizeof num, "%.0f", x[d]);
                } else {
                    gsi_format_f64(num, sizeof num, x[d]);
                }
                fprintf(out, "%d,%d,%zu,%s\n", f->month_first + m, f->country_id[c], d, num);
            }
        }
    }
    if (fflush(out) != 0 || ferror(out)) {
        return gsi_err_set(err, GSI_EIO, "cannot write the forecast");
    }
    return 0;
}
