/*
 * model.h — the forecast models: the four ViEWS challenge benchmarks and GSI's own model.
 *
 * Every model sees a panel and an origin month (the last month whose data it may use; for a
 * forecast of calendar year Y, the challenge's origin is October of Y-1) and returns samples
 * for `nmonths` months starting at `first_month` (> origin) for every country in the panel.
 * A model never reads a panel cell after the origin; the tests check this by changing those
 * cells.
 *
 *   zero            every sample 0 (the challenge's "bm_zero").
 *   conflictology   the country's 12 monthly values from origin-11 to origin, draw d being
 *                   month origin-11+d; always 12 samples, whatever `ndraws` says.
 *   last_poisson    Poisson draws with the mean equal to the country's value at the origin.
 *   boot_240        draws with replacement from the country's last 240 months up to the
 *                   origin (fewer when the panel starts later).
 *   gsi             GSI's model (docs/internals/warn.md), a mixture of two experts.
 *                   Expert 1: a point forecast on the log1p scale from the last month, the
 *                   3-month and the 12-month means, spread by the empirical errors that the
 *                   same point forecast made at the same leads in the panel's own past,
 *                   pooled by forecast level. Expert 2: the country's own last 18 months.
 *                   The first 70% of the draws come from expert 1, the rest from expert 2.
 *   gsi_capped, gsi_errors, gsi_own
 *                   ablations for the robustness tables: the gsi model with the largest
 *                   month of the own history capped at twice the second largest; expert 1
 *                   alone; expert 2 alone.
 *
 * Randomness: each country-month draws from its own stream, gsi_rng_derive(seed, key) with
 * key = country_id * 4096 + month_id, so results do not depend on the order or the thread
 * that computes them. The gsi model uses stratified sampling: the j-th of an expert's k draws
 * takes that expert's quantile at (j + u) / k with u uniform in [0, 1).
 */
#ifndef GSI_WARN_MODEL_H
#define GSI_WARN_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "warn/forecast.h"
#include "warn/panel.h"

enum warn_model_kind {
    WARN_MODEL_ZERO,
    WARN_MODEL_CONFLICTOLOGY,
    WARN_MODEL_LAST_POISSON,
    WARN_MODEL_BOOT240,
    WARN_MODEL_GSI,
    WARN_MODEL_COUNT,
    /* Ablations of the gsi model, for the robustness tables (not in "all"): */
    WARN_MODEL_GSI_CAPPED = WARN_MODEL_COUNT, /* isolated spikes capped in the own history */
    WARN_MODEL_GSI_ERRORS,                    /* expert 1 only */
    WARN_MODEL_GSI_OWN,                       /* expert 2 only */
    WARN_MODEL_KINDS
};

#define WARN_CONFLICTOLOGY_DRAWS 12
#define WARN_GSI_HISTORY_MIN     17 /* months of history the gsi model needs */
#define WARN_GSI_OWN_MONTHS      18 /* months of a country's own history in its second expert */
#define WARN_GSI_SHARE1          0.7 /* share of the draws from expert 1 (the rest: expert 2) */
#define WARN_GSI_SPIKE_CAP       2.0 /* gsi_capped: largest own month <= this x the second */

/* "zero", "conflictology", "last_poisson", "boot_240", "gsi"; the ablations "gsi_capped",
 * "gsi_errors", "gsi_own". */
const char *warn_model_name(enum warn_model_kind k);
/* Parses a model name; GSI_EUSAGE when unknown. */
int warn_model_parse(enum warn_model_kind *out, const char *s, struct gsi_err *err);

/* Forecasts with model `k`. GSI_EDATA when the panel lacks the history the model needs or
 * `origin` is outside it; GSI_ENOMEM. */
int warn_model_forecast(struct warn_forecast *out, const struct warn_panel *p,
                        enum warn_model_kind k, int origin, int first_month, int nmonths,
                        size_t ndraws, uint64_t seed, struct gsi_err *err);

/* The challenge's set-up for calendar year Y: origin October Y-1, months January..December. */
int warn_model_forecast_year(struct warn_forecast *out, const struct warn_panel *p,
                             enum warn_model_kind k, int year, size_t ndraws, uint64_t seed,
                             struct gsi_err *err);

/* The gsi model's point forecast for country c at `origin` on the log1p scale, and the three
 * features it is made of (for explanations): last month, 3-month mean and 12-month mean of
 * log1p(count). */
struct warn_gsi_features {
    double last, mean3, mean12, point;
};
#define WARN_GSI_W3    0.6
#define WARN_GSI_W12   0.2
#define WARN_GSI_WLAST 0.2
void warn_gsi_features(struct warn_gsi_features *out, const struct warn_panel *p, size_t c,
                       int origin);

#endif
