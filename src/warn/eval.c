/* eval.c — mean scores of a forecast against the actuals (see eval.h). */
#include "warn/eval.h"

#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "warn/score.h"

int warn_eval_forecast(struct warn_eval *out, const struct warn_forecast *f,
                       const struct warn_panel *actuals, const char *fname, struct gsi_err *err)
{
    memset(out, 0, sizeof *out);
    int last = f->month_first + f->nmonths - 1;
    if (f->month_first < actuals->month_first || last > warn_panel_month_last(actuals)) {
        return gsi_err_at(err, GSI_EDATA, fname, 0, 0,
                          "forecast months %d..%d are not all in the actuals (%d..%d)",
                          f->month_first, last, actuals->month_first,
                          warn_panel_month_last(actuals));
    }
    for (size_t c = 0; c < actuals->ncountries; c++) {
        if (warn_forecast_find(f, actuals->country_id[c]) < 0) {
            return gsi_err_at(err, GSI_EDATA, fname, 0, 0,
                              "no samples for country_id %d, which the actuals hold for "
                              "month_id %d",
                              actuals->country_id[c], f->month_first);
        }
    }
    long *map = NULL;
    if (f->ncountries > 0) {
        map = calloc(f->ncountries, sizeof *map);
    }
    if (map == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory scoring %s", fname);
    }
    for (size_t c = 0; c < f->ncountries; c++) {
        map[c] = warn_panel_find(actuals, f->country_id[c]);
        if (map[c] < 0) {
            free(map);
            return gsi_err_at(err, GSI_EDATA, fname, 0, 0,
                              "country_id %d has samples but no observed values in the actuals",
                              f->country_id[c]);
        }
    }
    struct warn_score_ws ws;
    warn_score_ws_init(&ws);
    double sc = 0, si = 0, sm = 0;
    size_t covered = 0, active = 0, active_cov = 0;
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
            sc += s.crps;
            si += s.ign;
            sm += s.mis;
            covered += (size_t)s.covered;
            if (s.upper > 0) {
                active++;
                active_cov += (size_t)s.covered;
            }
        }
    }
    warn_score_ws_release(&ws);
    free(map);
    if (rc < 0) {
        return rc;
    }
    size_t n = (size_t)f->nmonths * f->ncountries;
    out->n = n;
    out->crps = sc / (double)n;
    out->ign = si / (double)n;
    out->mis = sm / (double)n;
    out->coverage = (double)covered / (double)n;
    out->coverage_active = active ? (double)active_cov / (double)active : 1.0;
    out->n_active = active;
    return 0;
}
