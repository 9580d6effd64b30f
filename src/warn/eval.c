/* eval.c — mean scores of a forecast against the actuals (see eval.h). */
#include "warn/eval.h"

#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/rng.h"
#include "warn/score.h"

/* PIT and interval coverage of one country-month from its sorted samples. */
static void calibration(struct warn_eval_cell *cell, const double *sorted, size_t n, double y,
                        uint64_t stream)
{
    size_t below = 0, at_or_below = 0;
    while (below < n && sorted[below] < y) {
        below++;
    }
    at_or_below = below;
    while (at_or_below < n && sorted[at_or_below] <= y) {
        at_or_below++;
    }
    struct gsi_rng r;
    gsi_rng_init(&r, stream);
    double v = gsi_rng_uniform(&r);
    cell->pit = ((double)below + v * (double)(at_or_below - below)) / (double)n;
    cell->covered = 0;
    for (unsigned k = 0; k < WARN_EVAL_LEVELS; k++) {
        double level = (double)(k + 1) / 10;
        double lo = warn_score_quantile(sorted, n, (1 - level) / 2);
        double hi = warn_score_quantile(sorted, n, (1 + level) / 2);
        cell->covered |= (unsigned)(y >= lo && y <= hi) << k;
    }
}

int warn_eval_forecast(struct warn_eval *out, const struct warn_forecast *f,
                       const struct warn_panel *actuals, const char *fname, struct gsi_err *err)
{
    return warn_eval_forecast_cells(out, NULL, f, actuals, fname, 0, err);
}

/* Checks that the actuals cover every month and country of `f` and back, and maps each of
 * f's countries to its row in the actuals. Returns the map (malloc'd), or NULL with *rc and
 * `err` set. */
static long *eval_map(int *rc, const struct warn_forecast *f, const struct warn_panel *actuals,
                      const char *fname, struct gsi_err *err)
{
    int last = f->month_first + f->nmonths - 1;
    if (f->month_first < actuals->month_first || last > warn_panel_month_last(actuals)) {
        *rc =
            gsi_err_at(err, GSI_EDATA, fname, 0, 0,
                       "forecast months %d..%d are not all in the actuals (%d..%d)", f->month_first,
                       last, actuals->month_first, warn_panel_month_last(actuals));
        return NULL;
    }
    for (size_t c = 0; c < actuals->ncountries; c++) {
        if (warn_forecast_find(f, actuals->country_id[c]) < 0) {
            *rc = gsi_err_at(err, GSI_EDATA, fname, 0, 0,
                             "no samples for country_id %d, which the actuals hold for "
                             "month_id %d",
                             actuals->country_id[c], f->month_first);
            return NULL;
        }
    }
    long *map = NULL;
    if (f->ncountries > 0) {
        map = calloc(f->ncountries, sizeof *map);
    }
    if (map == NULL) {
        *rc = gsi_err_set(err, GSI_ENOMEM, "out of memory scoring %s", fname);
        return NULL;
    }
    for (size_t c = 0; c < f->ncountries; c++) {
        map[c] = warn_panel_find(actuals, f->country_id[c]);
        if (map[c] < 0) {
            free(map);
            *rc = gsi_err_at(err, GSI_EDATA, fname, 0, 0,
                             "country_id %d has samples but no observed values in the actuals",
                             f->country_id[c]);
            return NULL;
        }
    }
    return map;
}

/* The running sums of the scores, in the order of the cells (month, then country). */
struct eval_sums {
    double crps, ign, mis;
    size_t covered, active, active_cov;
};

static void eval_add(struct eval_sums *t, const struct warn_scores *s)
{
    t->crps += s->crps;
    t->ign += s->ign;
    t->mis += s->mis;
    t->covered += (size_t)s->covered;
    if (s->upper > 0) {
        t->active++;
        t->active_cov += (size_t)s->covered;
    }
}

/* Scores every cell of `f` into `t` (and `cells`, when not NULL). */
static int eval_cells(struct eval_sums *t, struct warn_eval_cell *cells,
                      const struct warn_forecast *f, const struct warn_panel *actuals,
                      const long *map, const char *fname, uint64_t seed, struct gsi_err *err)
{
    struct warn_score_ws ws;
    warn_score_ws_init(&ws);
    int rc = 0;
    for (int m = 0; m < f->nmonths && rc == 0; m++) {
        for (size_t c = 0; c < f->ncountries; c++) {
            const double *x = warn_forecast_draws(f, m, c);
            double y = warn_panel_at(actuals, (size_t)map[c], f->month_first + m);
            struct warn_scores s;
            if ((rc = warn_score_all(&s, &ws, x, f->ndraws, y)) < 0) {
                rc = gsi_err_set(err, GSI_ENOMEM, "out of memory scoring %s", fname);
                break;
            }
            if (cells != NULL) {
                struct warn_eval_cell *cell = &cells[(size_t)m * f->ncountries + c];
                cell->crps = s.crps;
                cell->ign = s.ign;
                cell->mis = s.mis;
                cell->active = s.upper > 0;
                calibration(cell, ws.sorted, f->ndraws, y,
                            gsi_rng_derive(seed, (uint64_t)f->country_id[c] * 4096u +
                                                     (uint64_t)(f->month_first + m)));
            }
            eval_add(t, &s);
        }
    }
    warn_score_ws_release(&ws);
    return rc;
}

int warn_eval_forecast_cells(struct warn_eval *out, struct warn_eval_cell *cells,
                             const struct warn_forecast *f, const struct warn_panel *actuals,
                             const char *fname, uint64_t seed, struct gsi_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = 0;
    long *map = eval_map(&rc, f, actuals, fname, err);
    if (map == NULL) {
        return rc;
    }
    struct eval_sums t = { 0 };
    rc = eval_cells(&t, cells, f, actuals, map, fname, seed, err);
    free(map);
    if (rc < 0) {
        return rc;
    }
    size_t n = (size_t)f->nmonths * f->ncountries;
    out->n = n;
    out->crps = t.crps / (double)n;
    out->ign = t.ign / (double)n;
    out->mis = t.mis / (double)n;
    out->coverage = (double)t.covered / (double)n;
    out->coverage_active = t.active ? (double)t.active_cov / (double)t.active : 1.0;
    out->n_active = t.active;
    return 0;
}
