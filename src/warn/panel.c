/* panel.c — reading and checking the country-month panel (see panel.h). */
#include "warn/panel.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/date.h"
#include "warn/cols.h"

/* One row as read, before the matrix is laid out. */
struct row {
    int month;
    int country;
    double value;
    long line;
};

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

void warn_panel_release(struct warn_panel *p)
{
    free(p->country_id);
    free(p->count);
    memset(p, 0, sizeof *p);
}

int warn_panel_month_last(const struct warn_panel *p)
{
    return p->month_first + p->nmonths - 1;
}

long warn_panel_find(const struct warn_panel *p, int country_id)
{
    size_t lo = 0, hi = p->ncountries;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->country_id[mid] < country_id) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < p->ncountries && p->country_id[lo] == country_id ? (long)lo : -1;
}

double warn_panel_at(const struct warn_panel *p, size_t c, int month_id)
{
    return p->count[c * (size_t)p->nmonths + (size_t)(month_id - p->month_first)];
}

/* One record into a row: the counts are checked here, the panel's shape in build(). */
static int parse_row(void *row, const struct gsi_csv *c, const size_t *idx, struct gsi_err *err)
{
    long month = 0, country = 0;
    double v = 0;
    int rc;
    if ((rc = warn_cols_int(&month, c, idx[0], 1, 9999, "month_id", err)) < 0 ||
        (rc = warn_cols_int(&country, c, idx[1], 1, 99999, "country_id", err)) < 0 ||
        (rc = warn_cols_num(&v, c, idx[2], 0, WARN_PANEL_COUNT_MAX,
                            "ged_sb (a fatality count, never negative)", err)) < 0 ||
        (rc = warn_cols_views_country(country, c, idx[1], err)) < 0) {
        return rc;
    }
    *(struct row *)row = (struct row){ (int)month, (int)country, v, c->record_line };
    return 0;
}

static const char *const panel_columns[] = { "month_id", "country_id", "ged_sb" };
static const struct warn_cols_layout panel_layout = {
    .names = panel_columns,
    .ncols = sizeof panel_columns / sizeof panel_columns[0],
    .row_size = sizeof(struct row),
    .rows_first = 4096,
    .rows_max = WARN_PANEL_ROWS_MAX,
    .parse = parse_row,
};

/* Lays the rows (n >= 1) out as a matrix and checks for duplicates and gaps. */
static int build(struct warn_panel *p, const struct row *r, size_t n, const char *path,
                 struct gsi_err *err)
{
    int mmin = r[0].month, mmax = r[0].month;
    int *ids = malloc(n * sizeof *ids);
    long *lines = NULL;
    if (ids == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory reading %s", path);
    }
    for (size_t i = 0; i < n; i++) {
        mmin = r[i].month < mmin ? r[i].month : mmin;
        mmax = r[i].month > mmax ? r[i].month : mmax;
        ids[i] = r[i].country;
    }
    if (mmax - mmin + 1 > WARN_PANEL_MONTHS_MAX) {
        free(ids);
        return gsi_err_at(err, GSI_ELIMIT, path, 0, 0, "months span %d to %d: more than %d months",
                          mmin, mmax, WARN_PANEL_MONTHS_MAX);
    }
    qsort(ids, n, sizeof *ids, cmp_int);
    size_t nc = 0;
    for (size_t i = 0; i < n; i++) {
        if (nc == 0 || ids[nc - 1] != ids[i]) {
            ids[nc++] = ids[i];
        }
    }
    p->month_first = mmin;
    p->nmonths = mmax - mmin + 1;
    p->ncountries = nc;
    p->country_id = ids;
    size_t cells = nc * (size_t)p->nmonths;
    p->count = malloc(cells * sizeof *p->count);
    lines = calloc(cells, sizeof *lines);
    if (p->count == NULL || lines == NULL) {
        free(lines);
        warn_panel_release(p);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory reading %s", path);
    }
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        size_t c = (size_t)warn_panel_find(p, r[i].country);
        size_t k = c * (size_t)p->nmonths + (size_t)(r[i].month - mmin);
        if (lines[k] != 0) {
            rc = gsi_err_at(err, GSI_EDATA, path, r[i].line, 0,
                            "month_id %d, country_id %d appears twice (first on line %ld)",
                            r[i].month, r[i].country, lines[k]);
        }
        lines[k] = r[i].line;
        p->count[k] = r[i].value;
    }
    /* A gap: name the first missing month of the first country that has one, and the line
     * of that country's next row so a person can find the place in the file. */
    for (size_t c = 0; c < nc && rc == 0; c++) {
        for (int m = 0; m < p->nmonths; m++) {
            if (lines[c * (size_t)p->nmonths + (size_t)m] != 0) {
                continue;
            }
            long at = 0;
            for (int k = m + 1; k < p->nmonths && at == 0; k++) {
                at = lines[c * (size_t)p->nmonths + (size_t)k];
            }
            int y = 0, mo = 0;
            gsi_month_from_id(mmin + m, &y, &mo);
            rc = gsi_err_at(err, GSI_EDATA, path, at, 0,
                            "gap in months: country_id %d has no row for month_id %d "
                            "(%04d-%02d); every country needs every month from %d to %d",
                            ids[c], mmin + m, y, mo, mmin, mmax);
            break;
        }
    }
    free(lines);
    if (rc < 0) {
        warn_panel_release(p);
    }
    return rc;
}

/* The file at `path`, or the `n` bytes at `data` when it is not NULL (see warn_cols_read). */
static int read_panel(struct warn_panel *p, const char *path, const char *data, size_t n,
                      struct gsi_err *err)
{
    memset(p, 0, sizeof *p);
    void *rows = NULL;
    size_t nrows = 0;
    int rc = warn_cols_read(&rows, &nrows, &panel_layout, path, data, n, err);
    if (rc == 0) {
        rc = build(p, rows, nrows, path, err);
    }
    free(rows);
    return rc;
}

int warn_panel_read(struct warn_panel *p, const char *path, struct gsi_err *err)
{
    return read_panel(p, path, NULL, 0, err);
}

int warn_panel_read_mem(struct warn_panel *p, const char *data, size_t n, const char *name,
                        struct gsi_err *err)
{
    return read_panel(p, name, data != NULL ? data : "", n, err);
}
