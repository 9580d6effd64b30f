/* events_store.c — daily event counts per country (see events_store.h). */
#include "platform/events_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "platform/internal.h"
#include "ref/ref.h"
#include "store/store.h"

/* A source name: one of the event sources `gsi events load` reads (src/events' names); any
 * other is the caller's mistake, not a source with no events. */
static int check_source(const char *s, struct gsi_err *err)
{
    static const char *const sources[] = { "gdelt", "icews", "ucdp", "views" };
    for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++) {
        if (strcmp(s, sources[i]) == 0) {
            return 0;
        }
    }
    return gsi_err_set(err, GSI_EUSAGE,
                       "unknown event source '%.20s'; expected one of gdelt, icews, ucdp, views",
                       s);
}

static bool is_iso3(const char *s)
{
    return strlen(s) == 3 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 3;
}

static int check_name(const char *name, struct gsi_err *err)
{
    size_t n = strlen(name);
    if (n == 0 || n >= PLATFORM_EV_NAME_MAX || strchr(name, '/') != NULL) {
        return gsi_err_set(err, GSI_EUSAGE,
                           "bad event file name '%.40s' (1 to %d bytes, no folder)", name,
                           PLATFORM_EV_NAME_MAX - 1);
    }
    return 0;
}

static int check_rows(const struct platform_ev_period *rows, size_t n, struct gsi_err *err)
{
    if (n > PLATFORM_EV_ROWS_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "%zu country-days in one load; at most %d", n,
                           PLATFORM_EV_ROWS_MAX);
    }
    for (size_t i = 0; i < n; i++) {
        int32_t day;
        const struct platform_ev_period *r = &rows[i];
        int64_t sum = r->quad[0] + r->quad[1] + r->quad[2] + r->quad[3];
        if (!is_iso3(r->iso3) || strlen(r->period) != 10 ||
            gsi_date_parse(&day, r->period, 10) < 0 || r->events < 0 || sum > r->events ||
            r->quad[0] < 0 || r->quad[1] < 0 || r->quad[2] < 0 || r->quad[3] < 0) {
            return gsi_err_set(err, GSI_EUSAGE,
                               "event row %zu: expected ISO3, a day YYYY-MM-DD and counts whose "
                               "quad classes add up to at most the events ('%.3s', '%.10s')",
                               i, r->iso3, r->period);
        }
    }
    return 0;
}

int platform_events_loaded(struct platform *p, bool *out, const char *source, const char *name,
                           struct gsi_err *err)
{
    *out = false;
    int rc = check_source(source, err);
    rc = rc ? rc : check_name(name, err);
    struct store_rows *r = NULL;
    struct store_val v[] = { STORE_TEXT(source), STORE_TEXT(name) };
    rc = rc ? rc
            : platform_query(p, &r, "SELECT 1 FROM event_files WHERE source = ? AND name = ?", v, 2,
                             err);
    if (rc < 0) {
        return rc;
    }
    *out = store_rows_count(r) > 0;
    store_rows_free(r);
    return 0;
}

struct store_job {
    const char *source;
    const struct platform_ev_file *files;
    size_t nfiles;
    const struct platform_ev_period *rows;
    size_t nrows;
};

static int store_fn(struct platform *p, struct pw_batch *b, void *ctx, struct gsi_err *err)
{
    (void)p;
    const struct store_job *j = ctx;
    char when[PLATFORM_TIME_MAX];
    platform_time_format(when, b->now_us);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < j->nfiles; i++) {
        int64_t seen = 0;
        struct store_val k[] = { STORE_TEXT(j->source), STORE_TEXT(j->files[i].name) };
        rc = store_query_int(b->s, &seen, 0,
                             "SELECT COUNT(*) FROM event_files WHERE source = ? AND name = ?", k, 2,
                             err);
        if (rc == 0 && seen > 0) {
            rc = gsi_err_set(err, GSI_ECONFLICT, "%s file '%s' is loaded already", j->source,
                             j->files[i].name);
        }
        struct store_val v[] = { STORE_TEXT(j->source), STORE_TEXT(j->files[i].name),
                                 STORE_INT(j->files[i].events), STORE_TEXT(when) };
        rc = rc ? rc
                : store_exec(b->s,
                             "INSERT INTO event_files (source, name, events, loaded)"
                             " VALUES (?, ?, ?, ?)",
                             v, 4, err);
    }
    /* Counts add to what earlier files stored for the same days. */
    for (size_t i = 0; rc == 0 && i < j->nrows; i++) {
        const struct platform_ev_period *r = &j->rows[i];
        struct store_val v[] = { STORE_TEXT(j->source),         STORE_TEXT(r->iso3),
                                 STORE_TEXT(r->period),         STORE_INT(r->events),
                                 STORE_INT(r->quad[0]),         STORE_INT(r->quad[1]),
                                 STORE_INT(r->quad[2]),         STORE_INT(r->quad[3]),
                                 STORE_INT(r->goldstein_tenths) };
        rc = store_exec(b->s,
                        "INSERT INTO event_days (source, iso3, day, events, q1, q2, q3, q4,"
                        " goldstein_tenths) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        " ON CONFLICT (source, iso3, day) DO UPDATE SET"
                        " events = event_days.events + excluded.events,"
                        " q1 = event_days.q1 + excluded.q1, q2 = event_days.q2 + excluded.q2,"
                        " q3 = event_days.q3 + excluded.q3, q4 = event_days.q4 + excluded.q4,"
                        " goldstein_tenths = event_days.goldstein_tenths"
                        " + excluded.goldstein_tenths",
                        v, 9, err);
    }
    return rc;
}

int platform_events_store(struct platform *p, const char *source,
                          const struct platform_ev_file *files, size_t nfiles,
                          const struct platform_ev_period *rows, size_t nrows, struct gsi_err *err)
{
    int rc = check_source(source, err);
    if (rc == 0 && nfiles > PLATFORM_EV_FILES_MAX) {
        rc = gsi_err_set(err, GSI_ELIMIT, "%zu files in one load; at most %d", nfiles,
                         PLATFORM_EV_FILES_MAX);
    }
    for (size_t i = 0; rc == 0 && i < nfiles; i++) {
        rc = check_name(files[i].name, err);
    }
    rc = rc ? rc : check_rows(rows, nrows, err);
    if (rc < 0) {
        return rc;
    }
    struct store_job j = { source, files, nfiles, rows, nrows };
    return platform_write(p, store_fn, &j, NULL, err);
}

int platform_events_trend(struct platform *p, struct platform_ev_period **out, size_t *n,
                          const char *iso3, const char *source, bool by_month, struct gsi_err *err)
{
    *out = NULL;
    *n = 0;
    int rc = check_source(source, err);
    if (rc == 0 && !is_iso3(iso3)) {
        rc = gsi_err_set(err, GSI_EUSAGE, "'%.8s' is not an ISO 3166-1 alpha-3 code", iso3);
    }
    if (rc == 0 && ref_country_by_iso3(iso3, 3) == NULL) {
        /* Events are stored under the reference table's codes only: any other names no
         * country, which is not the same answer as a country with no events. */
        rc = gsi_err_set(err, GSI_ENOTFOUND, "no country '%s' (ISO 3166-1 alpha-3)", iso3);
    }
    /* The latest periods first, so the cap keeps the newest; reversed below. */
    static const char *by_day_sql =
        "SELECT day, events, q1, q2, q3, q4, goldstein_tenths FROM event_days"
        " WHERE source = ? AND iso3 = ? ORDER BY day DESC LIMIT ?";
    static const char *by_month_sql =
        "SELECT substr(day, 1, 7) AS m, SUM(events), SUM(q1), SUM(q2), SUM(q3), SUM(q4),"
        " SUM(goldstein_tenths) FROM event_days WHERE source = ? AND iso3 = ?"
        " GROUP BY substr(day, 1, 7) ORDER BY m DESC LIMIT ?";
    struct store_val v[] = { STORE_TEXT(source), STORE_TEXT(iso3),
                             STORE_INT(PLATFORM_EV_PERIODS_MAX) };
    struct store_rows *r = NULL;
    rc = rc ? rc : platform_query(p, &r, by_month ? by_month_sql : by_day_sql, v, 3, err);
    if (rc < 0) {
        return rc;
    }
    size_t rows = store_rows_count(r);
    struct platform_ev_period *t = rows > 0 ? calloc(rows, sizeof *t) : NULL;
    if (rows > 0 && t == NULL) {
        store_rows_free(r);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory reading the event trend");
    }
    for (size_t i = 0; i < rows; i++) {
        struct platform_ev_period *e = &t[rows - 1 - i];
        memcpy(e->iso3, iso3, 4);
        snprintf(e->period, sizeof e->period, "%s", store_rows_text(r, i, 0));
        e->events = store_rows_int(r, i, 1);
        for (size_t q = 0; q < 4; q++) {
            e->quad[q] = store_rows_int(r, i, 2 + q);
        }
        e->goldstein_tenths = store_rows_int(r, i, 6);
    }
    store_rows_free(r);
    *out = t;
    *n = rows;
    return 0;
}

int platform_events_files(struct platform *p, int64_t *nfiles, int64_t *nevents, const char *source,
                          struct gsi_err *err)
{
    *nfiles = *nevents = 0;
    struct store_rows *r = NULL;
    struct store_val v[] = { STORE_TEXT(source) };
    int rc = check_source(source, err);
    rc = rc ? rc
            : platform_query(p, &r,
                             "SELECT COUNT(*), COALESCE(SUM(events), 0) FROM event_files"
                             " WHERE source = ?",
                             v, 1, err);
    if (rc < 0) {
        return rc;
    }
    if (store_rows_count(r) == 1) {
        *nfiles = store_rows_int(r, 0, 0);
        *nevents = store_rows_int(r, 0, 1);
    }
    store_rows_free(r);
    return 0;
}
