/*
 * panel.h — the country-month panel of observed fatalities that every forecast is built from.
 *
 * A panel holds one number per country and month: UCDP state-based fatalities (`ged_sb`) in
 * the ViEWS country-month layout `month_id,country_id,ged_sb` (month_id 1 = 1980-01,
 * country_id from the ViEWS country table). It is read whole into memory as a dense matrix,
 * because every model looks back over many months of every country.
 *
 * The reader is strict, because a silent hole in the history would bend every forecast:
 *
 *   - the header must name the three columns (in any order; other columns are ignored);
 *   - month_id and country_id are integers, ged_sb a number >= 0 (integer-valued counts are
 *     the norm, but a fractional value is kept as it is);
 *   - every country_id must be in the ViEWS country table (ref_views_country_by_id);
 *   - a (month, country) pair may appear once;
 *   - every country must have every month from the file's first month to its last: a gap is
 *     an error that names the country, the missing month and the line of the row after it.
 *
 * Any failure is GSI_EDATA (or GSI_ELIMIT past a cap) with FILE:LINE in `err`, and leaves the
 * panel empty. Caps: WARN_PANEL_ROWS_MAX rows, WARN_PANEL_MONTHS_MAX months,
 * WARN_PANEL_COUNT_MAX for one count.
 *
 *     struct warn_panel p;
 *     if (warn_panel_read(&p, "data/views/cm_actuals_2018_2022.csv", &err) < 0) ...
 *     double v = warn_panel_at(&p, c, month_id);   // c < p.ncountries
 *     warn_panel_release(&p);
 */
#ifndef GSI_WARN_PANEL_H
#define GSI_WARN_PANEL_H

#include <stddef.h>

#include "core/err.h"

#define WARN_PANEL_ROWS_MAX   2000000u /* rows in one file */
#define WARN_PANEL_MONTHS_MAX 1200     /* 100 years of months */
#define WARN_PANEL_COUNT_MAX  1e9      /* one country-month count */

struct warn_panel {
    int month_first;   /* month_id of the first month held */
    int nmonths;       /* months held, contiguous */
    size_t ncountries; /* countries held */
    int *country_id;   /* ViEWS country ids, ascending */
    double *count;     /* count[c * nmonths + (month_id - month_first)] */
};

/* Reads the CSV file at `path` ("-" is standard input). 0 or a negative GSI_E* code. */
int warn_panel_read(struct warn_panel *p, const char *path, struct gsi_err *err);

/* As warn_panel_read, from `n` bytes at `data`; `name` is used in messages. */
int warn_panel_read_mem(struct warn_panel *p, const char *data, size_t n, const char *name,
                        struct gsi_err *err);

/* Frees what the panel holds and leaves it empty (safe on an empty panel). */
void warn_panel_release(struct warn_panel *p);

/* Last month_id held (month_first + nmonths - 1). */
int warn_panel_month_last(const struct warn_panel *p);

/* Index of `country_id`, or -1 when the panel does not hold it. */
long warn_panel_find(const struct warn_panel *p, int country_id);

/* Count of country index `c` in `month_id`; the caller keeps month_id inside the panel. */
double warn_panel_at(const struct warn_panel *p, size_t c, int month_id);

#endif
