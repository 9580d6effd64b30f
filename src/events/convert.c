/* convert.c — the common model as CSV or JSON Lines (see convert.h). */
#include "events/convert.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "core/date.h"
#include "core/text.h"

static const char *const columns[] = { "date",           "source",
                                       "actor1",         "actor2",
                                       "country",        "cameo",
                                       "root",           "quad_class",
                                       "goldstein",      "tone",
                                       "mentions",       "sources",
                                       "articles",       "fatalities_best",
                                       "fatalities_low", "fatalities_high",
                                       "violence_type",  "latitude",
                                       "longitude",      "source_id" };
#define NCOLS (sizeof columns / sizeof columns[0])

void events_writer_init(struct events_writer *w, FILE *out, enum events_write_format format)
{
    w->out = out;
    w->format = format;
    w->header_done = false;
    gsi_json_init_file(&w->json, out);
    w->ctx[0] = w;
}

/* Renders each column of `ev` as text; "" for absent. `quote` marks string columns. */
static void render(char cell[NCOLS][48], bool quote[NCOLS], const struct events_event *ev)
{
    memset(quote, 0, NCOLS * sizeof quote[0]);
    for (size_t i = 0; i < NCOLS; i++) {
        cell[i][0] = '\0';
    }
    if (ev->day != EVENTS_DAY_NONE) {
        gsi_date_format(cell[0], ev->day);
    }
    snprintf(cell[1], 48, "%s", events_source_name(ev->source));
    snprintf(cell[2], 48, "%s", ev->actor1);
    snprintf(cell[3], 48, "%s", ev->actor2);
    snprintf(cell[4], 48, "%s", ev->country);
    snprintf(cell[5], 48, "%s", ev->cameo);
    if (ev->root > 0) {
        snprintf(cell[6], 48, "%02u", ev->root);
    }
    if (ev->quad_class > 0) {
        snprintf(cell[7], 48, "%u", ev->quad_class);
    }
    if (!isnan(ev->goldstein)) {
        gsi_format_f64(cell[8], 48, ev->goldstein);
    }
    if (!isnan(ev->tone)) {
        gsi_format_f64(cell[9], 48, ev->tone);
    }
    const int64_t counts[] = { ev->mentions,        ev->sources,        ev->articles,
                               ev->fatalities_best, ev->fatalities_low, ev->fatalities_high };
    for (size_t i = 0; i < 6; i++) {
        if (counts[i] >= 0) {
            snprintf(cell[10 + i], 48, "%" PRId64, counts[i]);
        }
    }
    if (ev->violence > 0) {
        snprintf(cell[16], 48, "%d", ev->violence);
    }
    if (!isnan(ev->latitude)) {
        gsi_format_f64(cell[17], 48, ev->latitude);
    }
    if (!isnan(ev->longitude)) {
        gsi_format_f64(cell[18], 48, ev->longitude);
    }
    snprintf(cell[19], 48, "%s", ev->source_id);
    static const int text_cols[] = { 0, 1, 2, 3, 4, 5, 6, 19 };
    for (size_t i = 0; i < sizeof text_cols / sizeof text_cols[0]; i++) {
        quote[text_cols[i]] = true;
    }
}

static void write_header(struct events_writer *w)
{
    if (w->format == EVENTS_WRITE_CSV) {
        for (size_t i = 0; i < NCOLS; i++) {
            fputs(i ? "," : "", w->out);
            fputs(columns[i], w->out);
        }
        fputc('\n', w->out);
    }
    w->header_done = true;
}

static int writer_event(void *ctx, const struct events_event *ev, struct gsi_err *err)
{
    struct events_writer *w = ctx;
    if (!w->header_done) {
        write_header(w);
    }
    char cell[NCOLS][48];
    bool quote[NCOLS];
    render(cell, quote, ev);
    if (w->format == EVENTS_WRITE_CSV) {
        for (size_t i = 0; i < NCOLS; i++) {
            if (i > 0) {
                fputc(',', w->out);
            }
            if (strpbrk(cell[i], ",\"\n\r") != NULL) {
                fputc('"', w->out);
                for (const char *p = cell[i]; *p; p++) {
                    if (*p == '"') {
                        fputc('"', w->out);
                    }
                    fputc(*p, w->out);
                }
                fputc('"', w->out);
            } else {
                fputs(cell[i], w->out);
            }
        }
        if (fputc('\n', w->out) == EOF) {
            return gsi_err_set(err, GSI_EIO, "cannot write the output: %s", strerror(errno));
        }
        return 0;
    }
    gsi_json_object_begin(&w->json, NULL, GSI_JSON_COMPACT);
    for (size_t i = 0; i < NCOLS; i++) {
        if (cell[i][0] == '\0') {
            gsi_json_null(&w->json, columns[i]);
        } else if (quote[i]) {
            gsi_json_string(&w->json, columns[i], cell[i]);
        } else {
            gsi_json_raw(&w->json, columns[i], cell[i]);
        }
    }
    gsi_json_end(&w->json);
    if (gsi_json_newline(&w->json) < 0) {
        return gsi_err_set(err, GSI_EIO, "cannot write the output: %s", strerror(errno));
    }
    return 0;
}

void events_writer_sink(struct events_writer *w, struct events_sink *sink)
{
    sink->nctx = 1;
    sink->ctx = w->ctx;
    sink->event = writer_event;
}

int events_writer_finish(struct events_writer *w, struct gsi_err *err)
{
    if (!w->header_done) {
        write_header(w);
    }
    int rc = gsi_json_finish(&w->json);
    gsi_json_release(&w->json);
    if (rc < 0 || fflush(w->out) != 0 || ferror(w->out)) {
        return gsi_err_set(err, GSI_EIO, "cannot write the output: %s", strerror(errno));
    }
    return 0;
}
