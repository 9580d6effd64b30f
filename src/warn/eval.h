/*
 * eval.h — scoring a whole forecast against observed fatalities: the mean CRPS, IGN and MIS
 * over every country-month of the forecast, as the challenge ranks models, and the share of
 * country-months whose outcome fell inside the central 90% interval (calibration).
 *
 * The forecast and the actuals must match as the challenge requires: every forecast month and
 * country must have an observed value, and every country the actuals hold for those months
 * must be forecast. A mismatch is GSI_EDATA naming the first missing country-month.
 */
#ifndef GSI_WARN_EVAL_H
#define GSI_WARN_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "warn/forecast.h"
#include "warn/panel.h"

struct warn_eval {
    size_t n;    /* country-months scored */
    double crps; /* means over them */
    double ign;
    double mis;
    double coverage; /* share with the outcome inside the 90% interval */
    /* The same over the country-months whose 90% interval is not [0, 0]: a forecast of
     * certain peace covers every peaceful month, which flatters the overall share. */
    double coverage_active;
    size_t n_active;
};

/* Central prediction intervals whose coverage a cell records: 10%, 20%, ..., 90%. */
#define WARN_EVAL_LEVELS 9

/* The scores of one country-month, for calibration plots and per-country means. */
struct warn_eval_cell {
    double crps, ign, mis;
    /* Randomised PIT: F(y-) + v (F(y) - F(y-)) with v uniform on [0, 1) from the stream
     * gsi_rng_derive(seed, country_id * 4096 + month_id), F the samples' empirical
     * distribution. For a calibrated forecast of counts it is uniform on [0, 1]. */
    double pit;
    unsigned covered; /* bit k: y inside the central (k + 1) * 10% interval (numpy quantiles) */
    int active;       /* the 90% interval is not [0, 0] (the forecast allows some violence) */
};

/* Scores `f` against `actuals`. `fname` names the forecast in messages. */
int warn_eval_forecast(struct warn_eval *out, const struct warn_forecast *f,
                       const struct warn_panel *actuals, const char *fname, struct gsi_err *err);

/* As warn_eval_forecast, and when `cells` is not NULL fills cells[m * f->ncountries + c] for
 * every forecast month m and country index c of `f`. `seed` seeds the PIT's randomisation. */
int warn_eval_forecast_cells(struct warn_eval *out, struct warn_eval_cell *cells,
                             const struct warn_forecast *f, const struct warn_panel *actuals,
                             const char *fname, uint64_t seed, struct gsi_err *err);

#endif
