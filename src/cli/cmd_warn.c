/*
 * cmd_warn.c — `gsi warn`: probabilistic fatality forecasts, their scores, the backtest
 * against the ViEWS challenge benchmarks, and the hotspot brief (src/warn/).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd_warn.h"
#include "cli/cmd_warn_concerns.h"
#include "core/date.h"
#include "core/table.h"
#include "warn/backtest.h"
#include "warn/brief.h"
#include "warn/eval.h"
#include "warn/forecast.h"
#include "warn/model.h"
#include "warn/panel.h"

#define WARN_YEARS_MAX 50

static const char warn_help[] =
    "Usage: gsi warn <forecast|evaluate|backtest|brief|run|actuals> [options]\n"
    "\n"
    "Forecasts of state-based conflict fatalities per country and month (UCDP ged_sb), scored\n"
    "as the ViEWS 2023/24 prediction challenge scores them (CRPS, IGN, MIS).\n"
    "\n"
    "  forecast   write samples for every country and month of a year\n"
    "  evaluate   score a forecast file against the actuals\n"
    "  backtest   forecast and score past years with every model\n"
    "  brief      rank the hotspots of the next 12 months and say why\n"
    "  run        actuals -> forecast -> stored run -> brief, in one step (--db)\n"
    "  actuals    build the country-month actuals from UCDP GED and Candidate files\n"
    "\n"
    "Actuals are ViEWS country-month CSV: month_id,country_id,ged_sb (month_id 1 = 1980-01).\n"
    "Run 'gsi warn <subcommand> --help' for its options. Exit status 65 on bad input data.\n";

/* The --help texts: what each subcommand does; its options come from its table below. */
static const char forecast_usage[] =
    "Usage: gsi warn forecast --actuals FILE --year Y --out FILE.csv [options]\n"
    "\n"
    "Forecasts every month of year Y for every country in FILE, using data up to October of\n"
    "Y-1 only, and writes month_id,country_id,draw,outcome (the challenge's layout).\n";

static const char evaluate_usage[] =
    "Usage: gsi warn evaluate --actuals FILE --forecast FILE.csv [--plots DIR] [options]\n"
    "       gsi warn evaluate --actuals FILE --years LIST [backtest options]\n"
    "\n"
    "Scores a forecast (month_id,country_id,draw,outcome) against the actuals: mean CRPS,\n"
    "IGN (the challenge's 11 bins) and MIS (90% interval) over all its country-months, and\n"
    "the share of outcomes inside the 90% interval. With --years instead of --forecast it\n"
    "evaluates by rolling origin, as gsi warn backtest does (its options apply).\n";

static const char backtest_usage[] =
    "Usage: gsi warn backtest --actuals FILE [options]\n"
    "\n"
    "For each year, forecasts with data up to October of the year before and scores against\n"
    "the actuals, for each model.\n";

static const char run_usage[] =
    "Usage: gsi warn run --db URL --actuals FILE [--through YYYY-MM] [options]\n"
    "\n"
    "One step for every data update: reads the actuals, forecasts the 12 months after\n"
    "--through (default: the last month of data) with the gsi model, stores the run in the\n"
    "database (served at /v1/forecasts and /v1/hotspots) and prints its brief, read back\n"
    "from the database. The time of each step goes to standard error.\n";

static const char brief_usage[] =
    "Usage: gsi warn brief --actuals FILE [--through YYYY-MM] [--db URL] [options]\n"
    "       gsi warn brief --db URL [--run ID] [--days N] [--now TIME]\n"
    "\n"
    "Ranks countries by the fatalities the gsi model expects in the 12 months after\n"
    "--through (default: the last month in FILE): the median and mean 12-month total, the\n"
    "90% interval, the probability of at least 25 and of at least 1,000 deaths, the change\n"
    "of the median against the past 12 months, escalation alerts (surge: the last 3 months\n"
    "more than double the 9 before; rising: the forecast 1.5 times the past year; new: deaths\n"
    "after 9 quiet months) and the features that drive each forecast.\n";

static const char brief_epilog[] =
    "With --db and no --actuals: the alerts of the stored run (--run ID, default the latest;\n"
    "gsi warn run stores one), and for each what has been opened on its hotspot (records whose\n"
    "payload has \"hotspot\": \"<id>\": concerns, notifications, consultations, agreements),\n"
    "marked NO RESPONSE when nothing was opened --days N (default 14) after the run.\n"
    "Exit status: 0 success, 1 runtime failure, 2 usage error, 65 bad input data.\n";

static const char warn_epilog[] =
    "Exit status: 0 success, 1 runtime failure, 2 usage error, 65 bad input data.\n";

/* Appends one --ged or --candidate file to the layered inputs (opt->ctx: the options). */
static int add_input(const struct cli_option *opt, const char *cmd, const char *path)
{
    struct cmd_warn_opts *o = opt->ctx;
    if (o->ninputs == CMD_WARN_INPUTS_MAX) {
        return cli_usage_error(cmd, "at most %d --ged and --candidate files", CMD_WARN_INPUTS_MAX);
    }
    o->inputs[o->ninputs].path = path;
    o->inputs[o->ninputs++].candidate = strcmp(opt->name, "--candidate") == 0;
    return 0;
}

/* The defaults every subcommand starts from. */
static void opts_init(struct cmd_warn_opts *o)
{
    memset(o, 0, sizeof *o);
    o->samples = 1000;
    o->seed = 1;
    o->top = 20;
    o->days = 14;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    o->threads = ncpu < 1 ? 1 : ncpu > WARN_BACKTEST_THREADS_MAX ? WARN_BACKTEST_THREADS_MAX : ncpu;
    o->format = GSI_FORMAT_TABLE;
}

/* Option entries the subcommands' tables share. */
#define WOPT_ACTUALS(o)                                \
    CLI_OPT_STRING("--actuals", "FILE", &(o)->actuals, \
                   "observed fatalities, month_id,country_id,ged_sb")
#define WOPT_SAMPLES(o, h) \
    CLI_OPT_INT("--samples", "N", &(o)->samples, 1, WARN_FORECAST_DRAWS_MAX, h)
#define WOPT_SEED(o, h) CLI_OPT_U64("--seed", "S", &(o)->seed, 0, INT64_MAX, h)
#define WOPT_FORMAT(o)  CLI_OPT_FORMAT(&(o)->format, "table (default), csv or json")
#define WOPT_TOP(o, h)  CLI_OPT_INT("--top", "N", &(o)->top, 0, 100000, h)
#define WOPT_THROUGH(o) \
    CLI_OPT_STRING("--through", "YYYY-MM", &(o)->through, "last month of data to use")
#define WOPT_DB(o, h)    CLI_OPT_STRING("--db", "URL", &(o)->db, h)
#define WOPT_PLOTS(o, h) CLI_OPT_STRING("--plots", "DIR", &(o)->plots, h)
#define WOPT_INPUTS(o)                                                                             \
    CLI_OPT_FUNC("--ged", "FILE", add_input, (o), "a UCDP GED release (CSV); repeat for several"), \
        CLI_OPT_FUNC("--candidate", "FILE", add_input, (o),                                        \
                     "a UCDP Candidate release (CSV, monthly); repeat, oldest first")
#define WOPT_SPAN(o)                                                                \
    CLI_OPT_FLAG("--global", &(o)->global,                                          \
                 "the files are worldwide releases: a country with no event in a\n" \
                 "covered month gets 0 (default: a file speaks only for the\n"      \
                 "countries that appear in it, as a one-country extract does)"),    \
        CLI_OPT_STRING("--from", "YYYY-MM", &(o)->from,                             \
                       "first month to build (default: every month covered)"),      \
        CLI_OPT_STRING("--to", "YYYY-MM", &(o)->to,                                 \
                       "last month to build (default: every month covered)")
/* backtest's options, which evaluate --years takes too. */
#define WOPT_ROLLING(o)                                                                    \
    CLI_OPT_STRING("--years", "LIST", &(o)->years,                                         \
                   "comma-separated years (default 2020,2021,2022)"),                      \
        CLI_OPT_STRING("--models", "all|LIST", &(o)->models,                               \
                       "comma-separated model names, or all (default; the ablations\n"     \
                       "gsi_capped, gsi_errors and gsi_own only when named)"),             \
        WOPT_SAMPLES(o, "draws per country-month (default 1000)"),                         \
        CLI_OPT_INT("--threads", "N", &(o)->threads, 1, WARN_BACKTEST_THREADS_MAX,         \
                    "worker threads (default: the CPUs online); the results are the\n"     \
                    "same for every N"),                                                   \
        CLI_OPT_INT("--bootstrap", "N", &(o)->bootstrap, 0, 100000,                        \
                    "instead of the scores, the rolling-origin comparison: the gsi\n"      \
                    "model against each other model, every window and pooled over\n"       \
                    "them, with the CRPS ratio's 90% interval from N paired bootstrap\n"   \
                    "draws of countries (0: off, the default)"),                           \
        CLI_OPT_FLAG("--by-situation", &(o)->classes,                                      \
                     "instead of the scores, each model's mean CRPS per situation of a\n"  \
                     "country's window (calm, onset after calm, surge, steady,\n"          \
                     "de-escalation, other: judged from the 12 months before the origin\n" \
                     "and the 12 of the window)")

/* Reads argv against `opts` (whose values point into options set by opts_init). Returns -1 to go
 * on, or the exit status (--help printed, or a usage error reported). */
static int parse(const char *name, const char *usage, const char *epilog,
                 const struct cli_option *opts, int argc, char **argv)
{
    const struct cli_command c = { name, usage, epilog != NULL ? epilog : warn_epilog, opts };
    return cli_parse(&c, argc, argv, 1);
}

static int load_actuals(struct warn_panel *p, const char *path)
{
    struct gsi_err err = GSI_ERR_INIT;
    if (warn_panel_read(p, path, &err) < 0) {
        return cli_fail(&err);
    }
    return 0;
}


static int do_forecast(int argc, char **argv)
{
    const char *cmd = "warn forecast";
    struct cmd_warn_opts o;
    opts_init(&o);
    const struct cli_option opts[] = {
        WOPT_ACTUALS(&o),
        CLI_OPT_INT("--year", "Y", &o.year, 1981, 2200, "the calendar year to forecast"),
        CLI_OPT_STRING("--model", "NAME", &o.models,
                       "gsi (default), zero, conflictology, last_poisson or boot_240"),
        WOPT_SAMPLES(&o, "draws per country-month (default 1000; conflictology always has 12)"),
        WOPT_SEED(&o, "random seed (default 1); the same seed gives the same file"),
        CLI_OPT_STRING("--out", "FILE.csv", &o.out,
                       "where to write the samples ('-' for standard output)"),
        CLI_OPT_END(),
    };
    int st = parse(cmd, forecast_usage, NULL, opts, argc, argv);
    if (st >= 0) {
        return st;
    }
    if (o.actuals == NULL || o.year == 0 || o.out == NULL) {
        return cli_usage_error(cmd, "--actuals, --year and --out are required");
    }
    struct gsi_err err = GSI_ERR_INIT;
    enum warn_model_kind k = WARN_MODEL_GSI;
    if (o.models != NULL && warn_model_parse(&k, o.models, &err) < 0) {
        return cli_usage_error(cmd, "%s", err.msg);
    }
    struct warn_panel p;
    int rc = load_actuals(&p, o.actuals);
    if (rc != 0) {
        return rc;
    }
    struct warn_forecast f;
    if (warn_model_forecast_year(&f, &p, k, (int)o.year, (size_t)o.samples, o.seed, &err) < 0) {
        snprintf(err.file, sizeof err.file, "%s", o.actuals);
        warn_panel_release(&p);
        return cli_fail(&err);
    }
    FILE *out = strcmp(o.out, "-") == 0 ? stdout : fopen(o.out, "w");
    if (out == NULL) {
        gsi_err_set(&err, GSI_EIO, "cannot write %s: %s", o.out, strerror(errno));
        rc = cli_fail(&err);
    } else {
        if (warn_forecast_write(&f, out, &err) < 0) {
            gsi_err_set(&err, GSI_EIO, "cannot write %s: %s", o.out, strerror(errno));
            rc = cli_fail(&err);
        }
        if (out != stdout && fclose(out) != 0 && rc == 0) {
            gsi_err_set(&err, GSI_EIO, "cannot write %s: %s", o.out, strerror(errno));
            rc = cli_fail(&err);
        }
    }
    warn_forecast_release(&f);
    warn_panel_release(&p);
    return rc;
}

static const struct gsi_table_col score_cols[] = { { "year", 0 },
                                                   { "model", -1 },
                                                   { "crps", 2 },
                                                   { "ign", 3 },
                                                   { "mis", 1 },
                                                   { "coverage90", 3 },
                                                   { "coverage90_active", 3 },
                                                   { "n", 0 } };

static int add_row(struct gsi_table *t, long year, const char *model, const struct warn_eval *e)
{
    int rc = 0;
    rc |= year ? gsi_table_num(t, (double)year) : gsi_table_null(t);
    rc |= gsi_table_text(t, model);
    rc |= gsi_table_num(t, e->crps);
    rc |= gsi_table_num(t, e->ign);
    rc |= gsi_table_num(t, e->mis);
    rc |= gsi_table_num(t, e->coverage);
    rc |= gsi_table_num(t, e->coverage_active);
    rc |= gsi_table_num(t, (double)e->n);
    return rc;
}

static int backtest(struct cmd_warn_opts *o);

static int do_evaluate(int argc, char **argv)
{
    const char *cmd = "warn evaluate";
    struct cmd_warn_opts o;
    opts_init(&o);
    const struct cli_option opts[] = {
        WOPT_ACTUALS(&o),
        CLI_OPT_STRING("--forecast", "FILE.csv", &o.forecast,
                       "the samples to score, month_id,country_id,draw,outcome"),
        WOPT_PLOTS(&o, "write the calibration plots: DIR/pit.svg (histogram of the\n"
                       "randomised PIT) and DIR/coverage.svg (share of outcomes inside the\n"
                       "central 10%..90% intervals, months whose 90% interval is not [0, 0])"),
        WOPT_SEED(&o, "seed of the PIT's randomisation (default 1)"),
        WOPT_FORMAT(&o),
        WOPT_ROLLING(&o),
        CLI_OPT_END(),
    };
    int st = parse(cmd, evaluate_usage, NULL, opts, argc, argv);
    if (st >= 0) {
        return st;
    }
    if (o.actuals != NULL && o.forecast == NULL && o.years != NULL) {
        /* The rolling-origin form: the same as backtest. */
        return backtest(&o);
    }
    if (o.actuals == NULL || o.forecast == NULL) {
        return cli_usage_error(cmd, "--actuals and --forecast (or --years) are required");
    }
    struct gsi_err err = GSI_ERR_INIT;
    struct warn_panel p;
    int rc = load_actuals(&p, o.actuals);
    if (rc != 0) {
        return rc;
    }
    struct warn_forecast f;
    if (warn_forecast_read(&f, o.forecast, &err) < 0) {
        warn_panel_release(&p);
        return cli_fail(&err);
    }
    struct warn_eval e;
    size_t ncells = (size_t)f.nmonths * f.ncountries;
    struct warn_eval_cell *cells = o.plots != NULL ? calloc(ncells, sizeof *cells) : NULL;
    if (o.plots != NULL && cells == NULL) {
        rc = gsi_err_set(&err, GSI_ENOMEM, "out of memory");
    }
    rc = rc ? rc : warn_eval_forecast_cells(&e, cells, &f, &p, o.forecast, o.seed, &err);
    if (rc == 0 && cells != NULL) {
        rc = cmd_warn_plots_one(o.plots, o.forecast, cells, ncells, &err);
    }
    free(cells);
    if (rc == 0) {
        struct gsi_table *t = gsi_table_new(score_cols, sizeof score_cols / sizeof score_cols[0]);
        int y = 0, m = 0;
        gsi_month_from_id(f.month_first, &y, &m);
        /* The model column names the forecast file (its base name). */
        const char *label = strrchr(o.forecast, '/');
        label = label != NULL ? label + 1 : o.forecast;
        if (t == NULL || add_row(t, y, label, &e) != 0 ||
            gsi_table_write(t, stdout, o.format) != 0) {
            gsi_err_set(&err, GSI_EIO, "cannot write the table");
            rc = GSI_EIO;
        }
        gsi_table_free(t);
    }
    warn_forecast_release(&f);
    warn_panel_release(&p);
    return rc < 0 ? cli_fail(&err) : GSI_EXIT_OK;
}

/* Splits a comma-separated list into items (the string is modified). */
static size_t split(char *s, char **items, size_t max)
{
    size_t n = 0;
    for (char *tok = strtok(s, ","); tok != NULL && n < max; tok = strtok(NULL, ",")) {
        items[n++] = tok;
    }
    return n;
}

/* The backtest (and evaluate --years) once its options are read. */
static int backtest(struct cmd_warn_opts *o)
{
    const char *cmd = "warn backtest";
    if (o->actuals == NULL) {
        return cli_usage_error(cmd, "--actuals is required");
    }
    char ybuf[512], mbuf[512];
    snprintf(ybuf, sizeof ybuf, "%s", o->years != NULL ? o->years : "2020,2021,2022");
    snprintf(mbuf, sizeof mbuf, "%s", o->models != NULL ? o->models : "all");
    char *items[WARN_YEARS_MAX];
    long years[WARN_YEARS_MAX];
    size_t ny = split(ybuf, items, WARN_YEARS_MAX);
    for (size_t i = 0; i < ny; i++) {
        if (cli_int(&years[i], cmd, "each of --years", items[i], 1981, 2200) < 0) {
            return GSI_EXIT_USAGE;
        }
    }
    enum warn_model_kind models[WARN_MODEL_KINDS];
    size_t nm = 0;
    struct gsi_err err = GSI_ERR_INIT;
    if (strcmp(mbuf, "all") == 0) {
        for (int k = 0; k < WARN_MODEL_COUNT; k++) {
            models[nm++] = (enum warn_model_kind)k;
        }
    } else {
        char *mi[WARN_MODEL_KINDS];
        size_t n = split(mbuf, mi, WARN_MODEL_KINDS);
        for (size_t i = 0; i < n; i++) {
            if (warn_model_parse(&models[nm++], mi[i], &err) < 0) {
                return cli_usage_error(cmd, "%s", err.msg);
            }
        }
    }
    if (ny == 0 || nm == 0) {
        return cli_usage_error(cmd, "--years and --models need at least one item");
    }
    struct warn_panel p;
    int rc = load_actuals(&p, o->actuals);
    if (rc != 0) {
        return rc;
    }
    int yv[WARN_YEARS_MAX];
    for (size_t yi = 0; yi < ny; yi++) {
        yv[yi] = (int)years[yi];
    }
    rc = cmd_warn_rolling(o, &p, yv, ny, models, nm);
    warn_panel_release(&p);
    return rc;
}

static int do_backtest(int argc, char **argv)
{
    struct cmd_warn_opts o;
    opts_init(&o);
    const struct cli_option opts[] = {
        WOPT_ACTUALS(&o),
        WOPT_ROLLING(&o),
        WOPT_SEED(&o, "random seed (default 1)"),
        WOPT_PLOTS(&o, "write calibration plots (SVG): PIT histograms per window and\n"
                       "model, interval coverage per window, and both pooled"),
        WOPT_FORMAT(&o),
        CLI_OPT_END(),
    };
    int st = parse("warn backtest", backtest_usage, NULL, opts, argc, argv);
    return st >= 0 ? st : backtest(&o);
}

int cmd_warn_score_table(const struct cmd_warn_opts *o, const int *years, size_t ny,
                         const enum warn_model_kind *models, size_t nm,
                         const struct warn_eval *res, struct gsi_err *err)
{
    struct gsi_table *t = gsi_table_new(score_cols, sizeof score_cols / sizeof score_cols[0]);
    int rc = t == NULL ? gsi_err_set(err, GSI_ENOMEM, "out of memory") : 0;
    for (size_t i = 0; i < ny * nm && rc == 0; i++) {
        if (add_row(t, years[i / nm], warn_model_name(models[i % nm]), &res[i]) != 0) {
            rc = gsi_err_set(err, GSI_ENOMEM, "out of memory");
        }
    }
    if (rc == 0 && gsi_table_write(t, stdout, o->format) != 0) {
        rc = gsi_err_set(err, GSI_EIO, "cannot write the table");
    }
    gsi_table_free(t);
    return rc;
}

/* The brief's table: the top rows, then any further country with overdue concerns. Returns
 * 0, or nonzero when memory ran out. */
static int brief_rows(struct gsi_table *t, const struct warn_hotspot *hs, size_t n, size_t top)
{
    int bad = 0;
    for (size_t i = 0; i < n && !bad; i++) {
        if (i >= top && hs[i].signals == 0) {
            continue; /* past --top, only countries with overdue concerns are listed */
        }
        char alerts[64];
        warn_brief_alert_text(alerts, sizeof alerts, hs[i].alerts);
        bad |= gsi_table_num(t, (double)(i + 1)) | gsi_table_text(t, hs[i].iso3) |
               gsi_table_text(t, hs[i].name) | gsi_table_num(t, hs[i].median) |
               gsi_table_num(t, hs[i].expected) | gsi_table_num(t, hs[i].lo) |
               gsi_table_num(t, hs[i].hi) | gsi_table_num(t, hs[i].p25) |
               gsi_table_num(t, hs[i].p1000) | gsi_table_num(t, hs[i].past12) |
               gsi_table_num(t, hs[i].change) | gsi_table_text(t, alerts) |
               gsi_table_text(t, hs[i].reasons);
    }
    return bad;
}

/* Prints the brief of hotspots `hs` (data through month `through`). Returns 0 or nonzero. */
static int brief_write(const struct warn_hotspot *hs, size_t n, int through,
                       const struct cmd_warn_opts *o)
{
    static const struct gsi_table_col cols[] = {
        { "rank", 0 },      { "iso3", -1 },    { "country", -1 }, { "median_12m", 0 },
        { "mean_12m", 0 },  { "lo90", 0 },     { "hi90", 0 },     { "p_ge_25", 2 },
        { "p_ge_1000", 2 }, { "past_12m", 0 }, { "change", 0 },   { "alerts", -1 },
        { "reasons", -1 }
    };
    struct gsi_table *t = gsi_table_new(cols, sizeof cols / sizeof cols[0]);
    size_t top = o->top == 0 || (size_t)o->top > n ? n : (size_t)o->top;
    int bad = t == NULL || brief_rows(t, hs, n, top);
    if (!bad && o->format == GSI_FORMAT_TABLE) {
        int y = 0, m = 0, y2 = 0, m2 = 0;
        gsi_month_from_id(through + 1, &y, &m);
        gsi_month_from_id(through + 12, &y2, &m2);
        printf("Hotspots, state-based conflict deaths expected %04d-%02d to %04d-%02d "
               "(data through month_id %d)\n\n",
               y, m, y2, m2, through);
    }
    if (!bad) {
        bad = gsi_table_write(t, stdout, o->format) != 0;
    }
    gsi_table_free(t);
    return bad;
}

/* The brief from the actuals (options read): forecast, concerns with --db, the table. */
static int brief_actuals(const struct cmd_warn_opts *o)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct warn_panel p;
    int rc = load_actuals(&p, o->actuals);
    if (rc != 0) {
        return rc;
    }
    int through = warn_panel_month_last(&p);
    if (o->through != NULL && gsi_month_parse(&through, o->through, strlen(o->through)) < 0) {
        warn_panel_release(&p);
        return cli_usage_error("warn brief", "--through must be YYYY-MM, not '%s'", o->through);
    }
    struct warn_hotspot *hs = NULL;
    size_t n = 0;
    if (warn_brief_build(&hs, &n, &p, through, (size_t)o->samples, o->seed, &err) < 0) {
        snprintf(err.file, sizeof err.file, "%s", o->actuals);
        warn_panel_release(&p);
        return cli_fail(&err);
    }
    rc = o->db != NULL ? cli_brief_concerns(hs, n, o->db, o->now, &err) : 0;
    if (rc == 0 && brief_write(hs, n, through, o) != 0) {
        rc = gsi_err_set(&err, GSI_EIO, "cannot write the brief");
    }
    free(hs);
    warn_panel_release(&p);
    return rc < 0 ? cli_fail(&err) : GSI_EXIT_OK;
}

static int do_brief(int argc, char **argv)
{
    struct cmd_warn_opts o;
    opts_init(&o);
    const struct cli_option opts[] = {
        WOPT_ACTUALS(&o),
        WOPT_THROUGH(&o),
        WOPT_TOP(&o, "how many countries to list (default 20; 0 for all)"),
        WOPT_SAMPLES(&o, "draws (default 1000)"),
        WOPT_SEED(&o, "random seed (default 1)"),
        WOPT_FORMAT(&o),
        WOPT_DB(&o, "with --actuals: count each country's overdue concerns in this\n"
                    "database as a signal in its reasons, and list every country that\n"
                    "has any; without --actuals: the stored run's brief (below)"),
        CLI_OPT_STRING("--now", "TIME", &o.now,
                       "judge deadlines at TIME (RFC 3339 UTC; default now)"),
        CLI_OPT_STRING("--run", "ID", &o.run, "with --db: the stored run (default the latest)"),
        CLI_OPT_INT("--days", "N", &o.days, 0, 3650,
                    "with --db: days after the run before NO RESPONSE (default 14)"),
        CLI_OPT_END(),
    };
    int st = parse("warn brief", brief_usage, brief_epilog, opts, argc, argv);
    if (st >= 0) {
        return st;
    }
    if (o.db != NULL && o.actuals == NULL) {
        return cmd_warn_brief_db(&o); /* the stored run; with --actuals, --db adds concerns */
    }
    if (o.actuals == NULL) {
        return cli_usage_error("warn brief", "--actuals (or --db, for the stored run) is required");
    }
    return brief_actuals(&o);
}

static const char actuals_usage[] =
    "Usage: gsi warn actuals (--ged FILE | --candidate FILE)... [--actuals FILE] [options]\n"
    "\n"
    "Builds country-month state-based deaths (ViEWS layout month_id,country_id,ged_sb) from\n"
    "UCDP event files with UCDP's rules: events of type_of_violence 1, their 'best' estimate,\n"
    "in the country where they happened, in the month of date_start; ViEWS country ids.\n"
    "Inputs are layered in the order given, each replacing the months it covers: --actuals\n"
    "(a ViEWS panel, e.g. the shipped one) first, then each file (a GED release covers whole\n"
    "years, a Candidate release its first to its last event month). A country-month that no\n"
    "input covers is an error, not a zero.\n";

static int do_actuals(int argc, char **argv)
{
    struct cmd_warn_opts o;
    opts_init(&o);
    const struct cli_option opts[] = {
        WOPT_INPUTS(&o),
        CLI_OPT_STRING("--actuals", "FILE", &o.actuals, "a ViEWS panel to start from"),
        WOPT_SPAN(&o),
        CLI_OPT_STRING("--out", "FILE", &o.out, "write the panel ('-' for standard output)"),
        CLI_OPT_STRING("--compare", "FILE", &o.forecast,
                       "compare with another ViEWS panel, per country, over common months"),
        CLI_OPT_FORMAT(&o.format, "table (default), csv or json, for --compare"),
        CLI_OPT_END(),
    };
    int st = parse("warn actuals", actuals_usage, NULL, opts, argc, argv);
    if (st >= 0) {
        return st;
    }
    if (o.ninputs == 0 || (o.out == NULL && o.forecast == NULL)) {
        return cli_usage_error("warn actuals",
                               "give --ged or --candidate files, and --out or --compare");
    }
    return cmd_warn_actuals(&o);
}

static int do_run(int argc, char **argv)
{
    struct cmd_warn_opts o;
    opts_init(&o);
    const struct cli_option opts[] = {
        WOPT_DB(&o, "./gsi.db (default), a SQLite path, or postgresql://..."),
        WOPT_ACTUALS(&o),
        WOPT_INPUTS(&o),
        WOPT_SPAN(&o),
        WOPT_THROUGH(&o),
        WOPT_TOP(&o, "how many countries to print (default 20; 0 for all)"),
        WOPT_SAMPLES(&o, "draws (default 1000)"),
        WOPT_SEED(&o, "random seed (default 1)"),
        WOPT_FORMAT(&o),
        CLI_OPT_END(),
    };
    int st = parse("warn run", run_usage, NULL, opts, argc, argv);
    if (st >= 0) {
        return st;
    }
    if (o.actuals == NULL && o.ninputs == 0) {
        return cli_usage_error("warn run", "--actuals or --ged/--candidate files are required");
    }
    return cmd_warn_run(&o);
}

int cmd_warn(int argc, char **argv)
{
    if (argc < 2) {
        fputs(warn_help, stderr);
        return GSI_EXIT_USAGE;
    }
    if (cli_is_help(argv[1])) {
        fputs(warn_help, stdout);
        return GSI_EXIT_OK;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "forecast") == 0) {
        return do_forecast(argc - 1, argv + 1);
    }
    if (strcmp(sub, "evaluate") == 0) {
        return do_evaluate(argc - 1, argv + 1);
    }
    if (strcmp(sub, "backtest") == 0) {
        return do_backtest(argc - 1, argv + 1);
    }
    if (strcmp(sub, "brief") == 0) {
        return do_brief(argc - 1, argv + 1);
    }
    if (strcmp(sub, "actuals") == 0) {
        return do_actuals(argc - 1, argv + 1);
    }
    if (strcmp(sub, "run") == 0) {
        return do_run(argc - 1, argv + 1);
    }
    return cli_usage_error("warn", "unknown subcommand '%s'", sub);
}
