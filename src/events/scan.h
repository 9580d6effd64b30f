/*
 * scan.h — reading event files: format detection, bad-row accounting, and the scan loop that
 * feeds each event to a consumer.
 *
 *     struct events_scan_options opt = EVENTS_SCAN_OPTIONS_INIT;
 *     struct events_stats st;
 *     events_stats_init(&st);
 *     void *ctx[1] = {&my_state};
 *     struct events_sink sink = {1, ctx, my_event_fn};
 *     if (events_scan(path, &opt, &sink, &st, &err) < 0) ...   // fatal: I/O, --strict, sink
 *     events_stats_report(&st, stderr);                          // skipped rows, unknown codes
 *
 * Memory does not grow with the input: files are read through fixed buffers. Large GDELT files
 * are split into chunks that `opt.threads` threads parse at once; the sink then receives
 * events from several threads, each on its own context (sink.ctx[thread]), never two threads
 * on one context. With one context (or for other formats) events arrive in file order.
 *
 * A malformed row is skipped and counted; the first EVENTS_REPORT_MAX are kept with their
 * FILE:LINE. With opt.strict the first malformed row (the earliest in the file) ends the scan
 * with GSI_EDATA instead. Codes that do not translate (an unknown FIPS or CAMEO country code,
 * say) leave the field empty and are counted per field and code, never dropped silently.
 */
#ifndef GSI_EVENTS_SCAN_H
#define GSI_EVENTS_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "events/event.h"

enum events_format {
    EVENTS_FORMAT_AUTO = 0,
    EVENTS_FORMAT_GDELT,
    EVENTS_FORMAT_UCDP,
    EVENTS_FORMAT_ICEWS,
    EVENTS_FORMAT_VIEWS,
};

/* "auto", "gdelt", "ucdp", "icews", "views" → format; GSI_EUSAGE otherwise. */
int events_format_parse(enum events_format *out, const char *name);
const char *events_format_name(enum events_format f);
/* Guesses the format from the first bytes of a file (its header line, or GDELT's 61 tab-
 * separated fields). GSI_EDATA, naming `path`, when it matches none. */
int events_format_detect(enum events_format *out, const char *head, size_t n, const char *path,
                         struct gsi_err *err);

#define EVENTS_REPORT_MAX  10 /* malformed rows kept for the report */
#define EVENTS_UNKNOWN_MAX 64 /* distinct unknown codes tallied one by one */
#define EVENTS_THREADS_MAX 64

struct events_unknown {
    const char *field; /* the source column, e.g. "ActionGeo_CountryCode" (static string) */
    char code[16];
    uint64_t count;
};

struct events_stats {
    uint64_t rows;     /* data rows read, header excluded, skipped ones included */
    uint64_t skipped;  /* malformed rows */
    uint64_t filtered; /* rows outside --from/--to */
    uint64_t unknown;  /* codes that did not translate */
    size_t nreported;
    struct gsi_err reported[EVENTS_REPORT_MAX]; /* the first malformed rows, in file order */
    size_t nunknowns;
    struct events_unknown unknowns[EVENTS_UNKNOWN_MAX];
    uint64_t unknown_other; /* unknown codes beyond the tallied ones */
};

void events_stats_init(struct events_stats *st);
/* Counts one malformed row; keeps `err` when fewer than EVENTS_REPORT_MAX are kept. */
void events_stats_bad_row(struct events_stats *st, const struct gsi_err *err);
/* Counts one unknown code of `field` (a static string). */
void events_stats_unknown(struct events_stats *st, const char *field, const char *code, size_t n);
/* Adds `src` into `dst`; `src`'s reported rows come after `dst`'s in file order. */
void events_stats_merge(struct events_stats *dst, const struct events_stats *src);
/* Prints the summary of skipped rows and unknown codes, if any, as lines on `out`. */
void events_stats_report(const struct events_stats *st, FILE *out);

/* Fields a consumer does not need, which readers may then leave absent and unchecked. */
#define EVENTS_SKIP_GEO    1u /* latitude, longitude */
#define EVENTS_SKIP_ID     2u /* source_id */
#define EVENTS_SKIP_ACTORS 4u /* actor1, actor2 */

struct events_scan_options {
    enum events_format format; /* EVENTS_FORMAT_AUTO to detect */
    unsigned skip;             /* EVENTS_SKIP_* flags; 0 reads every field */
    bool strict;               /* first malformed row is fatal (GSI_EDATA) */
    unsigned threads;          /* 0 = one per online CPU */
    int32_t from_day, to_day;  /* inclusive day range; EVENTS_DAY_NONE for open ends */
};
#define EVENTS_SCAN_OPTIONS_INIT                                          \
    {                                                                     \
        EVENTS_FORMAT_AUTO, 0, false, 0, EVENTS_DAY_NONE, EVENTS_DAY_NONE \
    }

struct events_sink {
    unsigned nctx; /* contexts available, 1..EVENTS_THREADS_MAX; caps the threads used */
    void **ctx;
    /* Takes one event; returns 0, or a negative GSI_E* code (with err filled) to stop. */
    int (*event)(void *ctx, const struct events_event *ev, struct gsi_err *err);
};

/* Reads `path` ("-" for standard input) and feeds every good row within the date range to
 * the sink. Returns 0, or a negative code when the file cannot be read, is not an event file,
 * a row is malformed under opt->strict, or the sink stopped. */
int events_scan(const char *path, const struct events_scan_options *opt, struct events_sink *sink,
                struct events_stats *stats, struct gsi_err *err);

#endif
