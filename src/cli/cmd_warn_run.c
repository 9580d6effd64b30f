/*
 * cmd_warn_run.c — `gsi warn run --db`: actuals -> forecast -> stored run -> brief in one step,
 * and `gsi warn brief --db`: the stored run's alerts and what has been opened on each.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/cmd_warn.h"
#include "core/date.h"
#include "core/table.h"
#include "platform/forecast.h"
#include "platform/platform.h"
#include "warn/brief.h"
#include "warn/forecast.h"

static double seconds(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Prints the top `top` countries of a stored run (as read back from the database). */
static int print_run(const struct platform_fc_run *run, size_t top, enum gsi_format fmt)
{
    static const struct gsi_table_col cols[] = {
        { "rank", 0 },     { "hotspot", -1 },  { "country", -1 },   { "median_12m", 0 },
        { "mean_12m", 0 }, { "lo90", 0 },      { "hi90", 0 },       { "p_ge_25_next", 2 },
        { "p_ge_25", 2 },  { "p_ge_1000", 2 }, { "past_12m", 0 },   { "alerts", -1 }
    };
    struct gsi_table *t = gsi_table_new(cols, sizeof cols / sizeof cols[0]);
    int bad = t == NULL;
    size_t n = top == 0 || top > run->ncountries ? run->ncountries : top;
    for (size_t i = 0; i < n && !bad; i++) {
        const struct platform_fc_country *c = &run->countries[i];
        char id[PLATFORM_FC_HOTSPOT_MAX];
        platform_hotspot_id(id, c->iso3, run->through);
        bad |= gsi_table_num(t, c->rank) | gsi_table_text(t, id) | gsi_table_text(t, c->name) |
               gsi_table_num(t, c->median_12m) | gsi_table_num(t, c->mean_12m) |
               gsi_table_num(t, c->lo90_12m) | gsi_table_num(t, c->hi90_12m) |
               gsi_table_num(t, c->p_ge_25_next) | gsi_table_num(t, c->p_ge_25) |
               gsi_table_num(t, c->p_ge_1000) | gsi_table_num(t, c->past_12m) |
               gsi_table_text(t, c->alerts);
    }
    bad = bad || gsi_table_write(t, stdout, fmt) != 0;
    gsi_table_free(t);
    return bad ? GSI_EIO : 0;
}

int cmd_warn_run(struct cmd_warn_opts *o)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct timespec t0, t1, t2, t3, t4;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct warn_panel p;
    int rc = cmd_warn_actuals_load(&p, o, &err);
    if (rc < 0) {
        return cli_fail(&err);
    }
    int through = warn_panel_month_last(&p);
    if (o->through != NULL && gsi_month_parse(&through, o->through, strlen(o->through)) < 0) {
        warn_panel_release(&p);
        return cli_usage_error("warn run", "--through must be YYYY-MM, not '%s'", o->through);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    struct warn_hotspot *hs = NULL;
    size_t n = 0;
    struct warn_forecast f;
    struct platform_fc_run run = { 0 };
    rc = warn_brief_build_keep(&hs, &n, &f, &p, through, (size_t)o->samples, o->seed, &err);
    if (rc == 0) {
        rc = platform_forecast_build(&run, hs, n, &f, &p, through, &err);
        run.seed = o->seed;
        snprintf(run.source, sizeof run.source, "%s", o->source);
        warn_forecast_release(&f);
    }
    free(hs);
    warn_panel_release(&p);
    clock_gettime(CLOCK_MONOTONIC, &t2);
    struct platform *pl = NULL;
    if (rc == 0) {
        struct platform_opts po;
        platform_opts_init(&po);
        po.db = o->db;
        rc = platform_open(&pl, &po, &err);
    }
    rc = rc ? rc : platform_forecast_store(pl, &run, &err);
    clock_gettime(CLOCK_MONOTONIC, &t3);
    /* The brief is read back from the database: what it prints is what the API serves. */
    struct platform_fc_run got = { 0 };
    rc = rc ? rc : platform_forecast_get(pl, &got, run.id, false, &err);
    if (rc == 0 && o->format == GSI_FORMAT_TABLE) {
        char m1[16], m2[16];
        int y = 0, m = 0;
        gsi_month_from_id(through + 1, &y, &m);
        snprintf(m1, sizeof m1, "%04d-%02d", y % 10000, m);
        gsi_month_from_id(through + 12, &y, &m);
        snprintf(m2, sizeof m2, "%04d-%02d", y % 10000, m);
        printf("Run %s stored: state-based deaths expected %s to %s, %zu countries\n\n", got.id,
               m1, m2, got.ncountries);
    }
    if (rc == 0 && print_run(&got, (size_t)o->top, o->format) < 0) {
        rc = gsi_err_set(&err, GSI_EIO, "cannot write the brief");
    }
    clock_gettime(CLOCK_MONOTONIC, &t4);
    if (rc == 0) {
        fprintf(stderr,
                "gsi warn run: actuals %.3f s, forecast %.3f s, store %.3f s, brief %.3f s, "
                "total %.3f s\n",
                seconds(&t0, &t1), seconds(&t1, &t2), seconds(&t2, &t3), seconds(&t3, &t4),
                seconds(&t0, &t4));
    }
    platform_forecast_release(&got);
    platform_forecast_release(&run);
    platform_close(pl);
    return rc < 0 ? cli_fail(&err) : GSI_EXIT_OK;
}

/* Seconds since the epoch of an RFC 3339 UTC time "YYYY-MM-DDTHH:MM:SS[.frac]Z" (the form
 * the platform writes); -1 when it is not one. */
static int two_digits(const char *s)
{
    return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' ? (s[0] - '0') * 10 + s[1] - '0'
                                                                     : -1;
}

static int64_t rfc3339_seconds(const char *t)
{
    int32_t day;
    if (strlen(t) < 20 || gsi_date_parse(&day, t, 10) < 0 || t[10] != 'T' || t[13] != ':' ||
        t[16] != ':') {
        return -1;
    }
    int h = two_digits(t + 11), mi = two_digits(t + 14), sec = two_digits(t + 17);
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60) {
        return -1;
    }
    return (int64_t)day * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 + sec;
}

/* What was opened on one alert: "note.concern by KEN 2026-12-03; ..." into `buf`. */
static void opened_text(char *buf, size_t cap, const struct platform_record *recs, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len < cap; i++) {
        int w = snprintf(buf + len, cap - len, "%s%s by %s %.10s", i ? "; " : "", recs[i].type,
                         recs[i].party, recs[i].time);
        len += w > 0 ? (size_t)w : 0;
    }
}

/* One row per alert of the run: the hotspot, its alerts, what has been opened on it and
 * whether it is still without response after o->days days. */
static int brief_rows(struct gsi_table *t, struct platform *pl, const struct platform_fc_run *run,
                      int64_t age_s, const struct cmd_warn_opts *o, size_t *silent,
                      struct gsi_err *err)
{
    for (size_t i = 0; i < run->ncountries; i++) {
        const struct platform_fc_country *c = &run->countries[i];
        if (c->alerts[0] == '\0') {
            continue;
        }
        char id[PLATFORM_FC_HOTSPOT_MAX];
        platform_hotspot_id(id, c->iso3, run->through);
        struct platform_record *recs = NULL;
        size_t n = 0;
        int rc = platform_hotspot_links(pl, &recs, &n, NULL, id, err);
        if (rc < 0) {
            return rc;
        }
        char opened[512];
        opened_text(opened, sizeof opened, recs, n);
        platform_record_list_free(recs, n);
        const char *status = n > 0                           ? "responded"
                             : age_s >= (int64_t)o->days * 86400 ? "NO RESPONSE"
                                                              : "open";
        *silent += n == 0 && age_s >= (int64_t)o->days * 86400;
        if (gsi_table_num(t, c->rank) | gsi_table_text(t, id) | gsi_table_text(t, c->name) |
            gsi_table_text(t, c->alerts) | gsi_table_num(t, c->median_12m) |
            gsi_table_num(t, (double)n) | gsi_table_text(t, status) | gsi_table_text(t, opened)) {
            return gsi_err_set(err, GSI_ENOMEM, "out of memory");
        }
    }
    return 0;
}

int cmd_warn_brief_db(const struct cmd_warn_opts *o)
{
    struct gsi_err err = GSI_ERR_INIT;
    int64_t now = o->now != NULL ? rfc3339_seconds(o->now) : (int64_t)time(NULL);
    if (now < 0) {
        return cli_usage_error("warn brief", "--now must be YYYY-MM-DDTHH:MM:SSZ, not '%s'",
                               o->now);
    }
    struct platform_opts po;
    platform_opts_init(&po);
    po.db = o->db;
    struct platform *pl = NULL;
    struct platform_fc_run run = { 0 };
    int rc = platform_open(&pl, &po, &err);
    rc = rc ? rc : platform_forecast_get(pl, &run, o->run, false, &err);
    static const struct gsi_table_col cols[] = {
        { "rank", 0 },       { "hotspot", -1 }, { "country", -1 }, { "alerts", -1 },
        { "median_12m", 0 }, { "opened", 0 },   { "status", -1 },  { "what", -1 }
    };
    struct gsi_table *t = rc == 0 ? gsi_table_new(cols, sizeof cols / sizeof cols[0]) : NULL;
    if (rc == 0 && t == NULL) {
        rc = gsi_err_set(&err, GSI_ENOMEM, "out of memory");
    }
    size_t silent = 0;
    int64_t created = rc == 0 ? rfc3339_seconds(run.created) : 0;
    rc = rc ? rc : brief_rows(t, pl, &run, now - created, o, &silent, &err);
    if (rc == 0 && o->format == GSI_FORMAT_TABLE) {
        printf("Alerts of run %s (created %s) and what has been opened on each; no response "
               "after %lld days is marked\n\n",
               run.id, run.created, (long long)o->days);
    }
    if (rc == 0 && gsi_table_write(t, stdout, o->format) != 0) {
        rc = gsi_err_set(&err, GSI_EIO, "cannot write the brief");
    }
    if (rc == 0 && o->format == GSI_FORMAT_TABLE && silent > 0) {
        printf("\n%zu alert%s without any response after %lld days\n", silent,
               silent == 1 ? "" : "s", (long long)o->days);
    }
    gsi_table_free(t);
    platform_forecast_release(&run);
    platform_close(pl);
    return rc < 0 ? cli_fail(&err) : GSI_EXIT_OK;
}
