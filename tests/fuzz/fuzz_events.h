/* fuzz_events.h — the body shared by the event-reader fuzz targets (fuzz_events.c detects the
 * format; fuzz_gdelt.c, fuzz_ucdp.c, fuzz_icews.c and fuzz_views.c each force one reader).
 * The first byte of an input picks the thread count and --strict (and, for fuzz_events, the
 * --input-format: 0 = detect); the rest is the file, written to a temporary file because the
 * readers work on files. Each input is summarized by every key and converted to JSON Lines. */
#ifndef GSI_FUZZ_EVENTS_H
#define GSI_FUZZ_EVENTS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "events/convert.h"
#include "events/scan.h"
#include "events/summary.h"

/* Runs one input; `format` < 0 takes the format from the first byte. */
static int fuzz_events_run(const uint8_t *data, size_t size, int format)
{
    if (size == 0) {
        return 0;
    }
    static char path[64];
    if (path[0] == '\0') {
        snprintf(path, sizeof path, "/tmp/gsi-fuzz-events-%ld", (long)getpid());
    }
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        return 0;
    }
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);

    struct events_scan_options opt = EVENTS_SCAN_OPTIONS_INIT;
    opt.format = (enum events_format)(format >= 0 ? format : data[0] % 5);
    opt.threads = 1u + (data[0] >> 3) % 3;
    opt.strict = (data[0] & 0x80) != 0;
    struct gsi_err err = GSI_ERR_INIT;
    struct events_keys keys;
    events_keys_parse(&keys, "country,dyad,day,month,year,quadclass,root,source", &err);
    struct events_summary *s = events_summary_new(&keys, opt.threads);
    struct events_sink sink;
    events_summary_sink(s, &sink);
    struct events_stats st;
    events_stats_init(&st);
    if (events_scan(path, &opt, &sink, &st, &err) == 0) {
        struct gsi_table *t = events_summary_table(s, &err);
        FILE *null = fopen("/dev/null", "w");
        if (t != NULL && null != NULL) {
            gsi_table_write(t, null, GSI_FORMAT_JSON);
        }
        if (null != NULL) {
            fclose(null);
        }
        gsi_table_free(t);
    }
    events_summary_free(s);

    /* The same input through convert, which takes events in file order. */
    FILE *null = fopen("/dev/null", "w");
    if (null != NULL) {
        struct events_writer w;
        events_writer_init(&w, null, EVENTS_WRITE_JSONL);
        events_writer_sink(&w, &sink);
        events_stats_init(&st);
        opt.threads = 1;
        events_scan(path, &opt, &sink, &st, &err);
        events_writer_finish(&w, &err);
        fclose(null);
    }
    unlink(path);
    return 0;
}

#endif
