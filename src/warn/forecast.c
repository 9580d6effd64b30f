/* forecast.c — forecast samples in memory and in the challenge's CSV layout (see forecast.h). */
#include "warn/forecast.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/text.h"
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

/* One record into a row: the cells are checked here, the rectangle in build(). */
static int parse_row(void *row, const struct gsi_csv *c, const size_t *idx, struct gsi_err *err)
{
    long month = 0, country = 0, draw = 0;
    double v = 0;
    int rc;
    if ((rc = warn_cols_int(&month, c, idx[0], 1, 9999, "month_id", err)) < 0 ||
        (rc = warn_cols_int(&country, c, idx[1], 1, 99999, "country_id", err)) < 0 ||
        (rc = warn_cols_int(&draw, c, idx[2], 0, WARN_FORECAST_DRAWS_MAX - 1, "draw", err)) < 0 ||
        (rc = warn_cols_num(&v, c, idx[3], 0, 1e12, "outcome (a fatality count, never negative)",
                            err)) < 0 ||
        (rc = warn_cols_views_country(country, c, idx[1], err)) < 0) {
        return rc;
    }
    *(struct row *)row = (struct row){ (int)month, (int)country, draw, v, c->record_line };
    return 0;
}

static const char *const forecast_columns[] = { "month_id", "country_id", "draw", "outcome" };
static const struct warn_cols_layout forecast_layout = {
    .names = forecast_columns,
    .ncols = sizeof forecast_columns / sizeof forecast_columns[0],
    .row_size = sizeof(struct row),
    .rows_first = 65536,
    .rows_max = WARN_FORECAST_ROWS_MAX,
    .parse = parse_row,
};

/* Sorts the rows (n >= 1), checks that they form a full rectangle and copies them into f. */
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
    size_t nc = 1; /* r[0]'s country */
    for (size_t i = 1; i < n && r[i].month == m0; i++) {
        nc += r[i].country != r[i - 1].country;
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

/* The file at `path`, or the `n` bytes at `data` when it is not NULL (see warn_cols_read). */
static int read_forecast(struct warn_forecast *f, const char *path, const char *data, size_t n,
                         struct gsi_err *err)
{
    memset(f, 0, sizeof *f);
    void *rows = NULL;
    size_t nrows = 0;
    int rc = warn_cols_read(&rows, &nrows, &forecast_layout, path, data, n, err);
    if (rc == 0) {
        rc = build(f, rows, nrows, path, err);
    }
    free(rows);
    return rc;
}

int warn_forecast_read(struct warn_forecast *f, const char *path, struct gsi_err *err)
{
    return read_forecast(f, path, NULL, 0, err);
}

int warn_forecast_read_mem(struct warn_forecast *f, const char *data, size_t n, const char *name,
                           struct gsi_err *err)
{
    return read_forecast(f, name, data != NULL ? data : "", n, err);
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
