/*
 * brief.h — the hotspot brief: which countries are most likely to see deadly state-based
 * violence over the next 12 months, how much, how sure we are, what has changed, and why.
 *
 * From a panel and the last month of data (`through`), the gsi model forecasts the 12
 * following months. For each country:
 *
 *   median     median of the 12-month total (sum over months of draw d, for each draw d;
 *              the model's draws are stratified, so summing the same draw index treats the
 *              country's level over the year as one uncertain quantity: months move together)
 *   expected   mean of that total. It carries the model's rare-escalation tail (errors pooled
 *              from every country that once exploded from the same level), so it can exceed
 *              the 95% quantile for a country with little violence; the ranking therefore
 *              uses the median, and the mean is reported beside it.
 *   lo, hi     5% and 95% quantiles of that total (the 90% interval)
 *   p25, p1000 share of totals >= 25 and >= 1,000 deaths
 *   past12     deaths in the 12 months up to `through`; change = expected - past12
 *   alert      escalation flags (WARN_ALERT_*): a sharp break from the country's own past
 *   reasons    the features that drive the forecast, with their share of the point forecast
 *
 * Countries are ranked by the median 12-month total, highest first, then by the mean, then by
 * country_id.
 */
#ifndef GSI_WARN_BRIEF_H
#define GSI_WARN_BRIEF_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "warn/forecast.h"
#include "warn/panel.h"

/* The last 3 months hold at least 25 deaths and more than twice the monthly rate of the 9
 * months before them. */
#define WARN_ALERT_SURGE 1
/* The median forecast 12-month total is at least 100 and more than 1.5 times the past 12
 * months. */
#define WARN_ALERT_RISING 2
/* At least 25 deaths in the last 3 months after 9 months without any. */
#define WARN_ALERT_NEW 4

struct warn_hotspot {
    int country_id;
    char iso3[4];
    char name[64];
    double median, expected, lo, hi, p25, p1000, past12, change; /* change = median - past12 */
    int alerts;                                                  /* WARN_ALERT_* bits */
    char reasons[200];
    int64_t signals; /* outside signals counted by warn_brief_signal (overdue concerns) */
};

/* Builds the ranked list (all countries in the panel) into a new array `*out` of `*n` items
 * that the caller frees. GSI_EDATA when `through` is outside the panel or too early. */
int warn_brief_build(struct warn_hotspot **out, size_t *n, const struct warn_panel *p, int through,
                     size_t ndraws, uint64_t seed, struct gsi_err *err);

/* As warn_brief_build, and moves the gsi model's samples behind the brief (12 months from
 * through + 1, every country of the panel) into `*keep` when it is not NULL; the caller
 * releases them with warn_forecast_release. */
int warn_brief_build_keep(struct warn_hotspot **out, size_t *n, struct warn_forecast *keep,
                          const struct warn_panel *p, int through, size_t ndraws, uint64_t seed,
                          struct gsi_err *err);
/* Counts an outside signal for country `iso3` in the list: `count` of `what` ("overdue
 * concern", made plural here) is added to its `signals` and appended to its reasons ("...;
 * 2 overdue concerns"), cut at the reasons' size. GSI_ENOTFOUND when the country is not in
 * the list. */
int warn_brief_signal(struct warn_hotspot *hs, size_t n, const char *iso3, int64_t count,
                      const char *what);

/* "surge, rising" from alert bits into buf (empty string when none). */
void warn_brief_alert_text(char *buf, size_t cap, int alerts);

#endif
