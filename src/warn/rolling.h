/*
 * rolling.h — summaries of a rolling-origin evaluation (warn_backtest_run_cells): a metric
 * pooled over several windows, and the ratio of two models' pooled CRPS with its spread under
 * a paired bootstrap over countries.
 *
 * A window is one forecast year (data through October of the year before, targets January
 * to December). The pooled mean of a metric over windows W is the mean over every
 * country-month of those windows (every window holds the same countries, so it is also the
 * mean of the window means). The bootstrap draws the panel's countries with replacement, the
 * same draw for every window and both models (paired), and recomputes the ratio; the 5% and
 * 95% quantiles of the B ratios bound a 90% interval. Resampling countries, not
 * country-months, keeps each country's months (which move together) in one piece, so the
 * interval shows how much a handful of countries decide the figure.
 */
#ifndef GSI_WARN_ROLLING_H
#define GSI_WARN_ROLLING_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "warn/eval.h"
#include "warn/panel.h"

#define WARN_ROLLING_BOOT_MAX 100000

enum warn_metric { WARN_METRIC_CRPS, WARN_METRIC_IGN, WARN_METRIC_MIS };

/* The shape of a cells array: nwindows x nmodels runs of 12 x ncountries cells each. */
struct warn_rolling {
    const struct warn_eval_cell *cells;
    size_t nwindows, nmodels, ncountries;
};

/* Mean of `metric` over windows w0..w1 (inclusive) of model `m`. */
double warn_rolling_pooled(const struct warn_rolling *r, size_t m, size_t w0, size_t w1,
                           enum warn_metric metric);

/* Ratio of model `m`'s pooled CRPS to model `b`'s over windows w0..w1, and the 5% and 95%
 * quantiles of the ratio over `boots` paired bootstrap draws of countries (seeded).
 * GSI_ENOMEM, or GSI_EUSAGE for boots outside 1..WARN_ROLLING_BOOT_MAX. */
int warn_rolling_ratio(double *ratio, double *lo, double *hi, const struct warn_rolling *r,
                       size_t m, size_t b, size_t w0, size_t w1, size_t boots, uint64_t seed,
                       struct gsi_err *err);

/* What a country's window was, judged after the fact from the deaths in the 12 months up to
 * the origin (`before`) and in the window's 12 months (`after`): the situations that break
 * simple models, so each model's score can be read per situation. */
enum warn_class {
    WARN_CLASS_CALM,    /* neither side reaches 25 deaths (mostly zeros) */
    WARN_CLASS_ONSET,   /* before == 0, after >= 25: violence after calm */
    WARN_CLASS_SURGE,   /* before >= 25, after > 4 x before: escalation of a conflict */
    WARN_CLASS_STEADY,  /* before >= 25, after between before / 4 and 4 x before */
    WARN_CLASS_DEESC,   /* before >= 25, after < before / 4: de-escalation */
    WARN_CLASS_OTHER,   /* 0 < before < 25 and after >= 25 */
    WARN_CLASS_COUNT
};

/* "calm", "onset", "surge", "steady", "de-escalation", "other". */
const char *warn_class_name(enum warn_class c);

/* The class of every (window, country): out[w * p->ncountries + c], window w being year
 * years[w] (origin October years[w] - 1). The panel must hold both 12-month spans. */
void warn_rolling_classes(unsigned char *out, const struct warn_panel *p, const int *years,
                          size_t ny);

/* Mean CRPS of model m over the country-months of the (window, country) pairs of class `cls`
 * (classes as from warn_rolling_classes); *n gets the number of such pairs. */
double warn_rolling_class_crps(const struct warn_rolling *r, size_t m, const unsigned char *classes,
                               enum warn_class cls, size_t *n);

#endif
