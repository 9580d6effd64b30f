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
    "\n"
    "Options:\n"
    "  --by KEYS             group keys for summarize (default: country)\n"
    "  --from DATE           first day to include (YYYY-MM-DD)\n"
    "  --to DATE, --until DATE\n"
    "                        last day to include (YYYY-MM-DD); with convert, --until\n"
    "  --format FMT          table (default), csv or json, for summarize\n"
    "  --to csv|jsonl        output format for convert\n"
    "  --input-format FMT    auto (default), gdelt, ucdp, icews or views\n"
    "  --strict              stop at the first malformed row (exit status 65)\n"
    "  --threads N           reader threads for large GDELT files (default: all cores)\n"
    "  -h, --help            show this help\n"
    "\n"
    "Examples:\n"
    "  gsi events summarize data/gdelt/*.export.CSV --by country\n"
    "  gsi events summarize ged.csv --by year --format csv\n"
    "  gsi events convert data/gdelt/*.export.CSV --to jsonl > events.jsonl\n"
    "\n"
    "Exit status: 0 success, 1 runtime failure, 2 usage error, 65 bad input data.\n";

struct events_args {
    const char *mode; /* the action word as given */
    bool summarize;   /* set once mode is known to be "summarize" (else it is "convert") */
    const char **files;
    int nfiles;
    const char *by;
    const char *to_fmt;
    enum gsi_format format;
    struct events_scan_options scan;
};

static int parse_day(int32_t *out, const char *opt, const char *value)
{
    if (gsi_date_parse(out, value, strlen(value)) < 0) {
        return cli_usage_error("events", "%s must be a date YYYY-MM-DD, not '%s'", opt, value);
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
    a->files = calloc((size_t)argc, sizeof *a->files);
    if (a->files == NULL) {
        return GSI_EXIT_FAILURE;
    }
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *v;
        bool missing = false;
        if (cli_is_help(arg)) {
            fputs(events_usage, stdout);
            return GSI_EXIT_OK;
        } else if (a->mode == NULL && arg[0] != '-') {
            a->mode = arg;
        } else if ((v = cli_opt(argc, argv, &i, "--by", &missing)) != NULL) {
            a->by = v;
        } else if ((v = cli_opt(argc, argv, &i, "--from", &missing)) != NULL) {
            if (parse_day(&a->scan.from_day, "--from", v) != 0) {
                return GSI_EXIT_USAGE;
            }
        } else if ((v = cli_opt(argc, argv, &i, "--until", &missing)) != NULL) {
            if (parse_day(&a->scan.to_day, "--until", v) != 0) {
                return GSI_EXIT_USAGE;
            }
        } else if ((v = cli_opt(argc, argv, &i, "--to", &missing)) != NULL) {
            /* --to is a date for summarize and an output format for convert. */
            if (a->mode != NULL && strcmp(a->mode, "convert") == 0) {
                a->to_fmt = v;
            } else if (parse_day(&a->scan.to_day, "--to", v) != 0) {
                return GSI_EXIT_USAGE;
            }
        } else if ((v = cli_opt(argc, argv, &i, "--format", &missing)) != NULL) {
            if (cli_format(&a->format, "events", v) < 0) {
                return GSI_EXIT_USAGE;
            }
        } else if ((v = cli_opt(argc, argv, &i, "--input-format", &missing)) != NULL) {
            if (events_format_parse(&a->scan.format, v) < 0) {
                return cli_usage_error("events",
                                       "--input-format must be auto, gdelt, ucdp, icews or "
                                       "views, not '%s'",
                                       v);
            }
        } else if ((v = cli_opt(argc, argv, &i, "--threads", &missing)) != NULL) {
            long n;
            if (cli_int(&n, "events", "--threads", v, 1, EVENTS_THREADS_MAX) < 0) {
                return GSI_EXIT_USAGE;
            }
            a->scan.threads = (unsigned)n;
        } else if (strcmp(arg, "--strict") == 0) {
            a->scan.strict = true;
        } else if (missing) {
            return cli_usage_error("events", "%s needs a value", arg);
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return cli_usage_error("events", "unknown option '%s'", arg);
        } else {
            a->files[a->nfiles++] = arg;
        }
    }
    if (a->mode == NULL) {
        return cli_usage_error("events", "say what to do: summarize or convert");
    }
    if (strcmp(a->mode, "summarize") != 0 && strcmp(a->mode, "convert") != 0) {
        return cli_usage_error("events", "unknown action '%s'; expected summarize or convert",
                               a->mode);
    }
    a->summarize = strcmp(a->mode, "summarize") == 0;
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
    for (int f = 0; f < a->nfiles; f++) {
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
    free(a.files);
    return rc;
}
