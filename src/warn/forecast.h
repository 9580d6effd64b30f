/*
 * forecast.h — a probabilistic forecast as samples: for each country and each of a run of
 * months, `ndraws` sampled fatality counts. On disk it is the challenge's long layout,
 * `month_id,country_id,draw,outcome`, one row per sample, draws numbered 0..ndraws-1.
 *
 * The reader checks that the file is a complete rectangle: contiguous months, the same
 * countries in every month, every draw 0..n-1 present once for every country-month, outcomes
 * finite and >= 0. A missing draw, a draw number out of range, a duplicate or an unknown
 * country is GSI_EDATA naming the file and line (or the country-month for a missing draw).
 * Caps: WARN_FORECAST_ROWS_MAX rows, WARN_FORECAST_DRAWS_MAX draws, 120 months.
 */
#ifndef GSI_WARN_FORECAST_H
#define GSI_WARN_FORECAST_H

#include <stddef.h>
#include <stdio.h>

#include "core/err.h"

#define WARN_FORECAST_ROWS_MAX   20000000u
#define WARN_FORECAST_DRAWS_MAX  100000u
#define WARN_FORECAST_MONTHS_MAX 120

struct warn_forecast {
    int month_first; /* month_id of the first month */
    int nmonths;
    size_t ncountries;
    int *country_id; /* ascending */
    size_t ndraws;
    double *x; /* x[((m * ncountries) + c) * ndraws + d], m = month_id - month_first */
};

/* An empty forecast of the given shape (samples 0); `ids` (ascending) is copied.
 * 0 or GSI_ENOMEM. */
int warn_forecast_init(struct warn_forecast *f, int month_first, int nmonths, const int *ids,
                       size_t ncountries, size_t ndraws, struct gsi_err *err);
void warn_forecast_release(struct warn_forecast *f);

/* The draws of country index c in month index m (0-based). */
double *warn_forecast_draws(const struct warn_forecast *f, int m, size_t c);

/* Index of a country, or -1. */
long warn_forecast_find(const struct warn_forecast *f, int country_id);

int warn_forecast_read(struct warn_forecast *f, const char *path, struct gsi_err *err);
int warn_forecast_read_mem(struct warn_forecast *f, const char *data, size_t n, const char *name,
                           struct gsi_err *err);

/* Writes the long CSV with a header; integer-valued outcomes are written as integers.
 * 0 or GSI_EIO. */
int warn_forecast_write(const struct warn_forecast *f, FILE *out, struct gsi_err *err);

#endif
