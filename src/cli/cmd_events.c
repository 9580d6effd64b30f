/* cmd_events.c — `gsi events summarize` and `gsi events convert`. */
#include "cli/cmd_events.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/date.h"
#include "events/convert.h"
#include "events/scan.h"
#include "events/summary.h"

static const char events_usage[] =
    "Usage: gsi events summarize FILE... --by KEYS [options]\n"
    "       gsi events convert FILE... --to csv|jsonl [options]\n"
    "       gsi events load FILE... [--db URL]   (see gsi events load --help)\n"
    "\n"
    "Reads conflict event data: GDELT 2.0 event exports, UCDP GED CSV (v23.1 or the older\n"
    "41-column layout), ICEWS .tab files and ViEWS country-month CSV. The format of each file\n"
    "is recognised from its content. A malformed row is skipped, counted and reported as\n"
    "FILE:LINE; unknown codes are counted and reported.\n"
    "\n"
    "summarize: one row per group of KEYS, a comma-separated list of\n"
    "  country (where, ISO3), actor1, actor2, dyad, day, month, year, quadclass, root, source\n"
    "  with the measures events, goldstein_sum, goldstein_mean, mentions, tone_mean,\n"
    "  fatalities, q1, q2, q3, q4 (empty where no row of the group carries the measure).\n"
    "convert: every event in GSI's common model, as CSV or JSON Lines.\n"
    "";

static const char events_epilog[] =
    "Examples:\n"
    "  gsi events summarize data/gdelt/*.export.CSV --by country\n"
    "  gsi events summarize ged.csv --by year --format csv\n"
    "  gsi events convert data/gdelt/*.export.CSV --to jsonl > events.jsonl\n"
    "\n"
    "Exit status: 0 success, 1 runtime failure, 2 usage error, 65 bad input data.\n";

struct events_args {
    struct cli_words words; /* the action word, then the files */
    bool summarize;         /* the action is "summarize" (else it is "convert") */
    const char **files;
    size_t nfiles;
    const char *by;
    const char *to_fmt;
    enum gsi_format format;
    int64_t threads;
    struct events_scan_options scan;
};

static int parse_day(int32_t *out, const char *opt, const char *value)
{
    if (gsi_date_parse(out, value, strlen(value)) < 0) {
        return cli_usage_error("events", "%s must be a date YYYY-MM-DD, not '%s'", opt, value);
    }
    return 0;
}

static int opt_from(const struct cli_option *o, const char *cmd, const char *v)
{
    struct events_args *a = o->ctx;
    return parse_day(&a->scan.from_day, o->name, v);
}

static int opt_until(const struct cli_option *o, const char *cmd, const char *v)
{
    struct events_args *a = o->ctx;
    return parse_day(&a->scan.to_day, o->name, v);
}

/* --to is a date for summarize and an output format for convert: which, the action word
 * before it says. */
static int opt_to(const struct cli_option *o, const char *cmd, const char *v)
{
    struct events_args *a = o->ctx;
    if (a->words.n > 0 && strcmp(a->words.v[0], "convert") == 0) {
        a->to_fmt = v;
        return 0;
    }
    return parse_day(&a->scan.to_day, o->name, v);
}

static int opt_input_format(const struct cli_option *o, const char *cmd, const char *v)
{
    struct events_args *a = o->ctx;
    if (events_format_parse(&a->scan.format, v) < 0) {
        return cli_usage_error(cmd,
                               "--input-format must be auto, gdelt, ucdp, icews or views, "
                               "not '%s'",
                               v);
    }
    return 0;
}

/* Returns -1 to go on, or the exit status to end with. */
static int parse_args(struct events_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    struct events_scan_options init = EVENTS_SCAN_OPTIONS_INIT;
    a->scan = init;
    a->format = GSI_FORMAT_TABLE;
    const struct cli_option opts[] = {
        CLI_OPT_STRING("--by", "KEYS", &a->by, "group keys for summarize (default: country)"),
        CLI_OPT_FUNC("--from", "DATE", opt_from, a, "first day to include (YYYY-MM-DD)"),
        CLI_OPT_FUNC("--to", "DATE", opt_to, a,
                     "last day to include (YYYY-MM-DD); with convert, the output\n"
                     "format csv or jsonl (and --until for the last day)"),
        CLI_OPT_FUNC("--until", "DATE", opt_until, a, "last day to include (YYYY-MM-DD)"),
        CLI_OPT_FORMAT(&a->format, "table (default), csv or json, for summarize"),
        CLI_OPT_FUNC("--input-format", "FMT", opt_input_format, a,
                     "auto (default), gdelt, ucdp, icews or views"),
        CLI_OPT_FLAG("--strict", &a->scan.strict,
                     "stop at the first malformed row (exit status 65)"),
        CLI_OPT_INT("--threads", "N", &a->threads, 1, EVENTS_THREADS_MAX,
                    "reader threads for large GDELT files (default: all cores)"),
        CLI_OPT_WORDS(&a->words),
        CLI_OPT_END(),
    };
    const struct cli_command cmd = { "events", events_usage, events_epilog, opts };
    int st = cli_parse(&cmd, argc, argv, 1);
    if (st >= 0) {
        return st;
    }
    a->scan.threads = (unsigned)a->threads;
    if (a->words.n == 0) {
        return cli_usage_error("events", "say what to do: summarize or convert");
    }
    const char *mode = a->words.v[0];
    if (strcmp(mode, "summarize") != 0 && strcmp(mode, "convert") != 0) {
        return cli_usage_error("events", "unknown action '%s'; expected summarize or convert",
                               mode);
    }
    a->summarize = strcmp(mode, "summarize") == 0;
    a->files = a->words.v + 1;
    a->nfiles = a->words.n - 1;
    if (a->nfiles == 0) {
        return cli_usage_error("events", "name at least one event file");
    }
    if (a->scan.from_day != EVENTS_DAY_NONE && a->scan.to_day != EVENTS_DAY_NONE &&
        a->scan.from_day > a->scan.to_day) {
        return cli_usage_error("events", "--from is after --to");
    }
    return -1;
}

/* Scans every file into `sink`; prints the bad-row report. Returns an exit status. */
static int scan_all(const struct events_args *a, struct events_sink *sink)
{
    struct events_stats stats;
    events_stats_init(&stats);
    for (size_t f = 0; f < a->nfiles; f++) {
        struct gsi_err err = GSI_ERR_INIT;
        if (events_scan(a->files[f], &a->scan, sink, &stats, &err) < 0) {
            events_stats_report(&stats, stderr);
            return cli_fail(&err);
        }
    }
    events_stats_report(&stats, stderr);
    if (stats.rows > 0 && stats.skipped == stats.rows) {
        /* Nothing usable came in: an empty summary with exit 0 would pass for a result. */
        fprintf(stderr,
                "gsi events: all %llu rows were rejected; check the files' format (the first "
                "problems are listed above)\n",
                (unsigned long long)stats.rows);
        return GSI_EXIT_DATA;
    }
    return GSI_EXIT_OK;
}

static int run_summarize(const struct events_args *a)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct events_keys keys;
    if (events_keys_parse(&keys, a->by != NULL ? a->by : "country", &err) < 0) {
        return cli_usage_error("events", "%s", err.msg);
    }
    unsigned threads = a->scan.threads;
    if (threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned)(n < EVENTS_THREADS_MAX ? n : EVENTS_THREADS_MAX) : 1;
    }
    struct events_summary *s = events_summary_new(&keys, threads);
    if (s == NULL) {
        gsi_err_set(&err, GSI_ENOMEM, "out of memory");
        return cli_fail(&err);
    }
    struct events_sink sink;
    events_summary_sink(s, &sink);
    struct events_args summary_args = *a;
    summary_args.scan.skip = events_summary_skip(s);
    int rc = scan_all(&summary_args, &sink);
    if (rc == GSI_EXIT_OK) {
        struct gsi_table *t = events_summary_table(s, &err);
        if (t == NULL) {
            rc = cli_fail(&err);
        } else {
            if (gsi_table_write(t, stdout, a->format) < 0) {
                gsi_err_set(&err, GSI_EIO, "cannot write the output");
                rc = cli_fail(&err);
            }
            gsi_table_free(t);
        }
    }
    events_summary_free(s);
    return rc;
}

static int run_convert(const struct events_args *a)
{
    enum events_write_format fmt;
    if (a->to_fmt == NULL) {
        return cli_usage_error("events", "convert needs --to csv or --to jsonl");
    } else if (strcmp(a->to_fmt, "csv") == 0) {
        fmt = EVENTS_WRITE_CSV;
    } else if (strcmp(a->to_fmt, "jsonl") == 0) {
        fmt = EVENTS_WRITE_JSONL;
    } else {
        return cli_usage_error("events", "--to must be csv or jsonl, not '%s'", a->to_fmt);
    }
    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    struct events_writer w;
    events_writer_init(&w, stdout, fmt);
    struct events_sink sink;
    events_writer_sink(&w, &sink);
    int rc = scan_all(a, &sink);
    struct gsi_err err = GSI_ERR_INIT;
    if (events_writer_finish(&w, &err) < 0 && rc == GSI_EXIT_OK) {
        rc = cli_fail(&err);
    }
    return rc;
}

int cmd_events(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "load") == 0) {
        return cmd_events_load(argc - 1, argv + 1);
    }
    struct events_args a;
    int rc = parse_args(&a, argc, argv);
    if (rc < 0) {
        rc = a.summarize ? run_summarize(&a) : run_convert(&a);
    }
    free(a.words.v);
    return rc;
}
