/*
 * forecast.h — stored forecast runs: what the early-warning model said, when, from which
 * data, kept in the database so the API and the dashboard serve the same figures the brief
 * printed, and so a hotspot keeps one id that procedures can link to.
 *
 * A run is one forecast of the next PLATFORM_FC_HORIZON months after `through` (the last
 * month of data) for every country, summarised: per country-month the mean, five quantiles
 * and P(>= 25 deaths) of the samples; per country the 12-month total's median, mean, 90%
 * interval, P(>= 25), P(>= 1,000), the past 12 months, alerts and reasons; and the last
 * PLATFORM_FC_HISTORY months of actuals the run used. The samples themselves are not kept.
 *
 *     struct platform_fc_run run;             // filled by the caller (gsi warn run)
 *     if (platform_forecast_store(p, &run, &err) < 0) ...   // sets run.id and run.created
 *     struct platform_fc_run got;
 *     if (platform_forecast_get(p, &got, NULL, true, &err) < 0) ...   // NULL: the latest
 *     platform_forecast_release(&got);
 *
 * Numbers are stored as text in the shortest form that reads back as the same double
 * ("%.17g" when nothing shorter does), so a stored run reads back bit for bit on SQLite and
 * PostgreSQL alike. A run id is "YYYY-MM.N": the month of data it ends with and N = 1, 2, ...
 * for the runs on that month (a newer file may revise the same months). "The latest" is the
 * run stored last.
 *
 * A hotspot is a country in a run; its id is ISO3 and the first forecast month
 * ("ETH-2022-11"), so every run on the same data month names the same hotspot. Procedures
 * link an act to it with a top-level "hotspot" field in the act's JSON payload;
 * platform_hotspot_links finds those records (with the confidentiality rule of
 * platform_record_list).
 *
 * Errors: GSI_ENOTFOUND (no run, no such run or country; the message says which),
 * GSI_EUSAGE (a malformed id), GSI_ELIMIT (past a cap below), GSI_EDB.
 */
#ifndef GSI_PLATFORM_FORECAST_H
#define GSI_PLATFORM_FORECAST_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "platform/platform.h"

#define PLATFORM_FC_HORIZON       12   /* months forecast by one run */
#define PLATFORM_FC_HISTORY       36   /* months of actuals kept with a run */
#define PLATFORM_FC_RUN_ID_MAX    24   /* "2022-12.12345" + NUL */
#define PLATFORM_FC_HOTSPOT_MAX   16   /* "ETH-2022-11" + NUL */
#define PLATFORM_FC_COUNTRIES_MAX 400  /* countries in one run */
#define PLATFORM_FC_MODEL_MAX     24   /* model name + NUL */
#define PLATFORM_FC_TEXT_MAX      256  /* alerts, reasons */
#define PLATFORM_FC_LINKS_MAX     1000 /* records returned for one hotspot */

/* One forecast month of one country. */
struct platform_fc_month {
    int month_id; /* 1 = 1980-01 */
    double mean, q05, q25, q50, q75, q95;
    double p_ge_25; /* share of samples >= 25 deaths */
};

struct platform_fc_country {
    char iso3[4];
    int country_id; /* ViEWS id */
    char name[64];
    int rank; /* 1 = highest median 12-month total */
    double median_12m, mean_12m, lo90_12m, hi90_12m; /* the 12-month total */
    double p_ge_25, p_ge_1000;                       /* of the 12-month total */
    double p_ge_25_next;                             /* of the first forecast month */
    double past_12m, change;                         /* change = median_12m - past_12m */
    char alerts[PLATFORM_FC_TEXT_MAX];               /* "surge, rising" or "" */
    char reasons[PLATFORM_FC_TEXT_MAX];              /* "; "-separated */
    struct platform_fc_month fc[PLATFORM_FC_HORIZON];
    int nactuals;                         /* months in `actuals`, the last being `through` */
    double actuals[PLATFORM_FC_HISTORY];  /* deaths, oldest first */
};

struct platform_fc_run {
    char id[PLATFORM_FC_RUN_ID_MAX];   /* set by platform_forecast_store */
    char created[PLATFORM_TIME_MAX];   /* set by platform_forecast_store */
    int through;                       /* month_id of the last month of data */
    char model[PLATFORM_FC_MODEL_MAX];
    uint64_t seed;
    int64_t draws;
    char source[PLATFORM_FC_TEXT_MAX]; /* where the actuals came from (file names) */
    size_t ncountries;
    struct platform_fc_country *countries; /* malloc'd, by rank; owned by the run */
};

struct warn_hotspot;
struct warn_forecast;
struct warn_panel;

/* Builds a run from the brief `hs` (n countries in rank order, warn_brief_build_keep) and the
 * samples `f` behind it, for data through month `through` of panel `p`: per country-month the
 * mean, the 5/25/50/75/95% quantiles (numpy's linear rule) and P(>= 25) of the samples; the
 * last PLATFORM_FC_HISTORY months of actuals (fewer when the panel starts later). Means and
 * quantiles are rounded to cents (the draws are whole deaths). Sets through, draws and model
 * ("gsi"); the caller sets seed and source. Kosovo, which has no ISO 3166-1 code, gets XKX,
 * the user-assigned code the EU, the World Bank and the IMF use. */
int platform_forecast_build(struct platform_fc_run *run, const struct warn_hotspot *hs, size_t n,
                            const struct warn_forecast *f, const struct warn_panel *p,
                            int through, struct gsi_err *err);

/* Frees the countries and leaves the run empty. */
void platform_forecast_release(struct platform_fc_run *run);

/* Stores `run` (its countries in rank order, each with its PLATFORM_FC_HORIZON months) in one
 * transaction, and sets run->id and run->created. GSI_EUSAGE for a run with no countries, a
 * month out of range or an iso3 that is not three capital letters; GSI_ELIMIT past
 * PLATFORM_FC_COUNTRIES_MAX. */
int platform_forecast_store(struct platform *p, struct platform_fc_run *run, struct gsi_err *err);

/* Reads run `id`: "YYYY-MM.N", "YYYY-MM" (the latest run on that month of data), or NULL or
 * "latest" (the run stored last). `series`: also each country's
 * months and actuals (false leaves them zero: the lists need only the totals). */
int platform_forecast_get(struct platform *p, struct platform_fc_run *out, const char *id,
                          bool series, struct gsi_err *err);

/* "ETH-2022-11" for `c` in a run whose data end at month `through`. */
void platform_hotspot_id(char out[PLATFORM_FC_HOTSPOT_MAX], const char *iso3, int through);

/* Splits a hotspot id into ISO3 and the month of data before its first forecast month.
 * GSI_ENOTFOUND ("no hotspot 'X'") when it is not of the form AAA-YYYY-MM. */
int platform_hotspot_parse(char iso3[4], int *through, const char *id, struct gsi_err *err);

/* Records whose payload links them to hotspot `id` (a top-level "hotspot": "<id>" field, as
 * the server writes payloads: compact JSON), that `viewer` may see, oldest first, at most
 * PLATFORM_FC_LINKS_MAX. Free with platform_record_list_free. */
int platform_hotspot_links(struct platform *p, struct platform_record **out, size_t *n,
                           const struct platform_delegate *viewer, const char *id,
                           struct gsi_err *err);

#endif
