/*
 * cmd_events_load.c — `gsi events load FILE... --db URL`: each event file's events counted
 * per country (where they happened), day and CAMEO quad class, and stored in the database
 * (platform/events_store.h), so the API serves a country's conflict and cooperation trend.
 * A file already loaded is skipped, so a folder can be loaded again as it grows.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_events.h"
#include "core/date.h"
#include "core/table.h"
#include "events/scan.h"
#include "platform/events_store.h"
#include "platform/platform.h"

static const char load_usage[] =
    "Usage: gsi events load FILE... [--db URL] [--strict]\n"
    "\n"
    "Counts each event file's events per country where they happened, day and CAMEO quad\n"
    "class (1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material\n"
    "conflict), with their Goldstein scores, and adds them to the database; the API serves\n"
    "a country's trend at GET /v1/events/countries/{iso3}/trend. Events with no country are\n"
    "counted in the output but not stored. A file loaded before (same name, same source) is\n"
    "skipped. Each file is stored in one transaction.\n"
    "";

static const char load_epilog[] =
    "Output: one row per file: file, source, events, stored (with a country), status\n"
    "(loaded, skipped, or rejected: every row was malformed, and the file is not stored).\n"
    "Exit status: 0 success, 1 runtime failure, 2 usage error, 65 bad input data (a file\n"
    "rejected).\n";

#define LOAD_EVENTS_MAX (16u << 20) /* events in one file; 16 bytes each in memory */

/* One event as the load needs it; sorted by (iso3, day) to add up. */
struct ev_key {
    char iso3[4];
    int32_t day;
    int32_t goldstein_tenths;
    uint8_t quad;
    uint8_t source;
};

struct collect {
    struct ev_key *keys;
    size_t n, cap, all;
    struct gsi_err overflow;
};

static int on_event(void *ctx, const struct events_event *ev, struct gsi_err *err)
{
    struct collect *c = ctx;
    c->all++;
    if (ev->country[0] == '\0' || ev->day == EVENTS_DAY_NONE) {
        return 0;
    }
    if (c->n == LOAD_EVENTS_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "more than %u events in one file", LOAD_EVENTS_MAX);
    }
    if (GSI_ALLOC_GROW(c->keys, c->n + 1, c->cap, 4096) < 0) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory collecting the events of one file");
    }
    struct ev_key *k = &c->keys[c->n++];
    memcpy(k->iso3, ev->country, 4);
    k->day = ev->day;
    k->quad = ev->quad_class;
    k->source = ev->source;
    /* Goldstein scores have one decimal: in tenths the sum is exact. */
    k->goldstein_tenths = isnan(ev->goldstein) ? 0 : (int32_t)lround(ev->goldstein * 10.0);
    return 0;
}

static int key_cmp(const void *a, const void *b)
{
    const struct ev_key *x = a, *y = b;
    int c = strcmp(x->iso3, y->iso3);
    return c != 0 ? c : (x->day > y->day) - (x->day < y->day);
}

/* Adds up the sorted keys into day rows; *rows is malloc'd. */
static int aggregate(struct platform_ev_period **rows, size_t *nrows, struct collect *c,
                     struct gsi_err *err)
{
    qsort(c->keys, c->n, sizeof *c->keys, key_cmp);
    struct platform_ev_period *r = c->n > 0 ? calloc(c->n, sizeof *r) : NULL;
    if (c->n > 0 && r == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory counting events");
    }
    size_t m = 0;
    for (size_t i = 0; i < c->n; i++) {
        const struct ev_key *k = &c->keys[i];
        if (i == 0 || key_cmp(k, &c->keys[i - 1]) != 0) {
            memcpy(r[m].iso3, k->iso3, 4);
            gsi_date_format(r[m].period, k->day);
            m++;
        }
        struct platform_ev_period *e = &r[m - 1];
        e->events++;
        if (k->quad >= 1 && k->quad <= 4) {
            e->quad[k->quad - 1]++;
        }
        e->goldstein_tenths += k->goldstein_tenths;
    }
    *rows = r;
    *nrows = m;
    return 0;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s != NULL ? s + 1 : path;
}

/* Loads one file; adds its row to `t`. A file whose every row was rejected is not stored (it
 * would count as loaded, and the corrected file of the same name would then be skipped): its
 * status is "rejected" and *rejected is set. Returns 0 or a negative code with err set. */
static int load_one(struct platform *p, const char *path, bool strict, struct gsi_table *t,
                    struct events_stats *stats, bool *rejected, struct gsi_err *err)
{
    uint64_t rows0 = stats->rows;
    uint64_t skipped0 = stats->skipped;
    struct collect c = { 0 };
    struct events_scan_options opt = EVENTS_SCAN_OPTIONS_INIT;
    opt.strict = strict;
    opt.threads = 1;
    opt.skip = EVENTS_SKIP_ACTORS | EVENTS_SKIP_GEO | EVENTS_SKIP_ID; /* where, not who */
    void *ctx[1] = { &c };
    struct events_sink sink = { 1, ctx, on_event };
    int rc = events_scan(path, &opt, &sink, stats, err);
    const char *source = c.n > 0 ? events_source_name(c.keys[0].source) : "gdelt";
    bool none = stats->rows > rows0 && stats->skipped - skipped0 == stats->rows - rows0;
    bool seen = none; /* neither looked up nor stored */
    if (rc == 0 && none) {
        fprintf(stderr, "gsi events load: %s: all %llu rows were rejected; not loaded\n", path,
                (unsigned long long)(stats->rows - rows0));
        *rejected = true;
    }
    rc = rc || none ? rc : platform_events_loaded(p, &seen, source, base_name(path), err);
    struct platform_ev_period *rows = NULL;
    size_t nrows = 0;
    if (rc == 0 && !seen) {
        struct platform_ev_file f = { { 0 }, (int64_t)c.n };
        snprintf(f.name, sizeof f.name, "%s", base_name(path));
        rc = aggregate(&rows, &nrows, &c, err);
        rc = rc ? rc : platform_events_store(p, source, &f, 1, rows, nrows, err);
    }
    if (rc == 0 && (gsi_table_text(t, base_name(path)) | gsi_table_text(t, source) |
                    gsi_table_num(t, (double)c.all) | gsi_table_num(t, seen ? 0 : (double)c.n) |
                    gsi_table_text(t, none   ? "rejected"
                                      : seen ? "skipped"
                                             : "loaded")) != 0) {
        rc = gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    free(rows);
    free(c.keys);
    return rc;
}

int cmd_events_load(int argc, char **argv)
{
    struct platform_opts po;
    platform_opts_init(&po);
    enum gsi_format fmt = GSI_FORMAT_TABLE;
    bool strict = false;
    struct cli_words files = { 0 };
    const struct cli_option opts[] = {
        CLI_OPT_DB(&po.db),
        CLI_OPT_FLAG("--strict", &strict, "stop at the first malformed row (exit status 65)"),
        CLI_OPT_FORMAT(&fmt, "table (default), csv or json"),
        CLI_OPT_WORDS(&files),
        CLI_OPT_END(),
    };
    const struct cli_command cmd = { "events load", load_usage, load_epilog, opts };
    int st = cli_parse(&cmd, argc, argv, 1);
    if (st < 0 && files.n == 0) {
        st = cli_usage_error("events load", "name at least one event file");
    }
    if (st >= 0) {
        free(files.v);
        return st;
    }
    static const struct gsi_table_col cols[] = {
        { "file", -1 }, { "source", -1 }, { "events", 0 }, { "stored", 0 }, { "status", -1 }
    };
    struct gsi_err err = GSI_ERR_INIT;
    struct platform *p = NULL;
    struct gsi_table *t = gsi_table_new(cols, sizeof cols / sizeof cols[0]);
    int rc = t == NULL ? gsi_err_set(&err, GSI_ENOMEM, "out of memory") : 0;
    rc = rc ? rc : platform_open(&p, &po, &err);
    struct events_stats stats;
    events_stats_init(&stats);
    bool rejected = false;
    for (size_t f = 0; rc == 0 && f < files.n; f++) {
        rc = load_one(p, files.v[f], strict, t, &stats, &rejected, &err);
    }
    events_stats_report(&stats, stderr);
    if (t != NULL && gsi_table_write(t, stdout, fmt) < 0 && rc == 0) {
        rc = gsi_err_set(&err, GSI_EIO, "cannot write the output");
    }
    gsi_table_free(t);
    platform_close(p);
    free(files.v);
    return rc < 0 ? cli_fail(&err) : rejected ? GSI_EXIT_DATA : GSI_EXIT_OK;
}
