/*
 * convert.h — writing events in the common model, for use in other tools.
 *
 * CSV has a header row and one row per event; JSON Lines has one object per line. Columns:
 * date, source, actor1, actor2, country, cameo, root, quad_class, goldstein, tone, mentions,
 * sources, articles, fatalities_best, fatalities_low, fatalities_high, violence_type,
 * latitude, longitude, source_id. Absent values are empty in CSV and null in JSON.
 *
 *     struct events_writer w;
 *     events_writer_init(&w, stdout, EVENTS_WRITE_CSV);
 *     struct events_sink sink; events_writer_sink(&w, &sink);   // one context: file order
 *     events_scan(path, &opt, &sink, &stats, &err);
 *     events_writer_finish(&w, &err);
 */
#ifndef GSI_EVENTS_CONVERT_H
#define GSI_EVENTS_CONVERT_H

#include <stdbool.h>
#include <stdio.h>

#include "core/json.h"
#include "events/scan.h"

enum events_write_format { EVENTS_WRITE_CSV, EVENTS_WRITE_JSONL };

struct events_writer {
    FILE *out;
    enum events_write_format format;
    bool header_done;
    struct gsi_json json; /* JSON Lines: each record goes through the one JSON writer */
    void *ctx[1];
};

void events_writer_init(struct events_writer *w, FILE *out, enum events_write_format format);
void events_writer_sink(struct events_writer *w, struct events_sink *sink);
/* Writes the CSV header if no event came, flushes and frees the writer's buffer; GSI_EIO when
 * the output failed. Call it once, after the last event, whatever happened before. */
int events_writer_finish(struct events_writer *w, struct gsi_err *err);

#endif
