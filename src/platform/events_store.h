/*
 * events_store.h — daily event counts per country, loaded from event files (GDELT and the
 * other formats src/events reads), so the API and the dashboard can show a country's
 * conflict and cooperation trend without reading the files again.
 *
 * A day row is (source, ISO3 of where the events happened, day): how many events, how many
 * of each CAMEO quad class (1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
 * 4 material conflict) and the sum of their Goldstein scores in tenths (GDELT's scores have
 * one decimal, so the sum is exact). Loading is by file: a file name already loaded for a
 * source is refused (the caller skips it), and counts of a new file add to the days already
 * stored, so loading a folder twice, or its files one at a time, gives the same table.
 *
 *     bool seen;
 *     platform_events_loaded(p, &seen, "gdelt", "20241022130000.export.CSV", &err);
 *     struct platform_ev_file f = { "20241022130000.export.CSV", 1281 };
 *     platform_events_store(p, "gdelt", &f, 1, rows, nrows, &err);
 *     struct platform_ev_period *t; size_t n;
 *     platform_events_trend(p, &t, &n, "UKR", "gdelt", true, &err);   // by month
 *     free(t);
 *
 * Errors: GSI_EUSAGE (a bad source, ISO3, day or name), GSI_ECONFLICT (a file already
 * loaded), GSI_ELIMIT (past a cap below), GSI_EDB.
 */
#ifndef GSI_PLATFORM_EVENTS_STORE_H
#define GSI_PLATFORM_EVENTS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "platform/platform.h"

#define PLATFORM_EV_NAME_MAX    128     /* file name (no folder) + NUL */
#define PLATFORM_EV_FILES_MAX   10000   /* files in one load */
#define PLATFORM_EV_ROWS_MAX    1000000 /* day rows in one load */
#define PLATFORM_EV_PERIODS_MAX 3660    /* periods one trend returns: the latest ones */

/* One country-day of one load, or one period of a trend ("YYYY-MM-DD" or "YYYY-MM"). */
struct platform_ev_period {
    char iso3[4];
    char period[11];
    int64_t events;
    int64_t quad[4];          /* events of quad class 1..4 */
    int64_t goldstein_tenths; /* sum of Goldstein scores × 10 */
};

struct platform_ev_file {
    char name[PLATFORM_EV_NAME_MAX]; /* base name, as the load names it */
    int64_t events;                  /* events it contributed */
};

/* Whether file `name` was loaded for `source` ("gdelt", "ucdp", ...). */
int platform_events_loaded(struct platform *p, bool *out, const char *source, const char *name,
                           struct gsi_err *err);

/* Records `files` as loaded and adds `rows` (days, period "YYYY-MM-DD") to the stored days,
 * in one transaction: all or nothing. */
int platform_events_store(struct platform *p, const char *source,
                          const struct platform_ev_file *files, size_t nfiles,
                          const struct platform_ev_period *rows, size_t nrows, struct gsi_err *err);

/* The stored days of `iso3` for `source`, oldest first, summed by month when `by_month`
 * (GSI_ENOTFOUND for a code that names no country of the reference table);
 * at most the latest PLATFORM_EV_PERIODS_MAX. *out is malloc'd (NULL when *n is 0). */
int platform_events_trend(struct platform *p, struct platform_ev_period **out, size_t *n,
                          const char *iso3, const char *source, bool by_month, struct gsi_err *err);

/* How many files were loaded for `source`, and their events in all. */
int platform_events_files(struct platform *p, int64_t *nfiles, int64_t *nevents, const char *source,
                          struct gsi_err *err);

#endif
