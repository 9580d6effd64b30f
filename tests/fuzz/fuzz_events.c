/* Fuzz target for the event readers: GDELT (the chunked parallel reader), UCDP GED, ICEWS and
 * ViEWS, with format detection. The first byte picks the --input-format (0 = detect), the
 * thread count and --strict; the rest is the file. The input goes through a temporary file
 * because the readers work on files. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "events/convert.h"
#include "events/scan.h"
#include "events/summary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
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
    opt.format = (enum events_format)(data[0] % 5);
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
