/*
 * backtest.h — forecasting past years with several models and scoring each against the
 * actuals, the challenge's way: for year Y, data up to October Y-1, samples for January to
 * December of Y.
 *
 * The (year, model) runs are independent, so they are spread over `threads` worker threads.
 * Each run's randomness comes from its own per-country-month streams (model.h) and its result
 * goes to its own slot, so the results are identical, bit for bit, whatever `threads` is.
 *
 *     struct warn_eval res[3 * 5];
 *     warn_backtest_run(res, &panel, years, 3, models, 5, 1000, seed, 2, &err);
 *     // res[y * nmodels + m] scores model m in year y
 */
#ifndef GSI_WARN_BACKTEST_H
#define GSI_WARN_BACKTEST_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "warn/eval.h"
#include "warn/model.h"
#include "warn/panel.h"

#define WARN_BACKTEST_THREADS_MAX 64

/* Runs every (year, model) pair into out[yi * nmodels + mi]. `threads` is clamped to
 * 1..WARN_BACKTEST_THREADS_MAX. On failure, returns the error of the first failing pair in
 * that order (so the message does not depend on timing either). */
int warn_backtest_run(struct warn_eval *out, const struct warn_panel *p, const int *years,
                      size_t nyears, const enum warn_model_kind *models, size_t nmodels,
                      size_t ndraws, uint64_t seed, unsigned threads, struct gsi_err *err);

/* As warn_backtest_run, and when `cells` is not NULL fills the scores of every country-month:
 * the (year yi, model mi) run's cells start at cells + (yi * nmodels + mi) * 12 * ncountries,
 * laid out as warn_eval_forecast_cells does (month-major, countries in panel order). */
int warn_backtest_run_cells(struct warn_eval *out, struct warn_eval_cell *cells,
                            const struct warn_panel *p, const int *years, size_t nyears,
                            const enum warn_model_kind *models, size_t nmodels, size_t ndraws,
                            uint64_t seed, unsigned threads, struct gsi_err *err);

#endif
