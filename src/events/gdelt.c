/* gdelt.c — GDELT 2.0 event export rows (61 tab-separated fields, no header).
 *
 * Column numbers are 0-based, from GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv:
 * the event is dated by SQLDATE, located by ActionGeo_CountryCode (FIPS 10-4), and its actors
 * by Actor{1,2}CountryCode (CAMEO country codes). */
#include <string.h>

#include "core/date.h"
#include "core/text.h"
#include "events/parse.h"
#include "ref/ref.h"

enum {
    G_ID = 0,
    G_SQLDATE = 1,
    G_ACTOR1_COUNTRY = 7,
    G_ACTOR2_COUNTRY = 17,
    G_EVENT_CODE = 26,
    G_ROOT_CODE = 28,
    G_QUAD_CLASS = 29,
    G_GOLDSTEIN = 30,
    G_MENTIONS = 31,
    G_SOURCES = 32,
    G_ARTICLES = 33,
    G_TONE = 34,
    G_ACTION_COUNTRY = 53,
    G_ACTION_LAT = 56,
    G_ACTION_LONG = 57,
};

const unsigned char events_gdelt_columns[] = {
    G_ID,        G_SQLDATE,    G_ACTOR1_COUNTRY, G_ACTOR2_COUNTRY, G_EVENT_CODE,
    G_ROOT_CODE, G_QUAD_CLASS, G_GOLDSTEIN,      G_MENTIONS,       G_SOURCES,
    G_ARTICLES,  G_TONE,       G_ACTION_COUNTRY, G_ACTION_LAT,     G_ACTION_LONG
};
const size_t events_gdelt_ncolumns = sizeof events_gdelt_columns;

/* Translates a country code with `lookup` into `out` and its reference row `out_row`; unknown
 * codes are counted and leave both empty. */
static void country(char out[4], uint16_t *out_row, const struct events_row *row, int col,
                    const char *field, const struct ref_country *(*lookup)(const char *, size_t),
                    struct events_stats *st)
{
    size_t n = row->flen[col];
    if (n == 0) {
        return;
    }
    const struct ref_country *c = lookup(row->field[col], n);
    if (c != NULL) {
        events_country_set(out, out_row, c);
    } else {
        events_stats_unknown(st, field, row->field[col], n);
    }
}

int events_gdelt_parse(struct events_event *ev, const struct events_row *row, unsigned skip,
                       struct events_stats *st, struct gsi_err *err)
{
    if (row->nfields != GDELT_FIELDS) {
        return gsi_err_at(err, GSI_EDATA, row->path, row->line, 0,
                          "expected %d tab-separated fields (a GDELT 2.0 event export row), "
                          "found %zu",
                          GDELT_FIELDS, row->nfields);
    }
    events_event_clear(ev);
    ev->source = EVENTS_SOURCE_GDELT;
    if (gsi_date_parse(&ev->day, row->field[G_SQLDATE], row->flen[G_SQLDATE]) < 0 ||
        row->flen[G_SQLDATE] != 8) {
        return events_field_error(err, row, G_SQLDATE, "SQLDATE as a date YYYYMMDD");
    }
    int64_t v;
    if (gsi_parse_i64(&v, row->field[G_QUAD_CLASS], row->flen[G_QUAD_CLASS]) < 0 || v < 1 ||
        v > 4) {
        return events_field_error(err, row, G_QUAD_CLASS, "QuadClass 1, 2, 3 or 4");
    }
    ev->quad_class = (uint8_t)v;
    if (gsi_parse_i64(&v, row->field[G_ROOT_CODE], row->flen[G_ROOT_CODE]) < 0 || v < 1 || v > 20) {
        return events_field_error(err, row, G_ROOT_CODE, "EventRootCode, a CAMEO root 01..20");
    }
    ev->root = (uint8_t)v;
    if (events_field_real(&ev->goldstein, row, G_GOLDSTEIN, "GoldsteinScale", false, err) < 0) {
        return GSI_EDATA;
    }
    if (ev->goldstein < -10 || ev->goldstein > 10) {
        return events_field_error(err, row, G_GOLDSTEIN, "GoldsteinScale between -10 and 10");
    }
    if (events_field_count(&ev->mentions, row, G_MENTIONS, "NumMentions", false, err) < 0 ||
        events_field_count(&ev->sources, row, G_SOURCES, "NumSources", false, err) < 0 ||
        events_field_count(&ev->articles, row, G_ARTICLES, "NumArticles", false, err) < 0 ||
        events_field_real(&ev->tone, row, G_TONE, "AvgTone", false, err) < 0) {
        return GSI_EDATA;
    }
    if (!(skip & EVENTS_SKIP_GEO) &&
        (events_field_real(&ev->latitude, row, G_ACTION_LAT, "ActionGeo_Lat", true, err) < 0 ||
         events_field_real(&ev->longitude, row, G_ACTION_LONG, "ActionGeo_Long", true, err) < 0)) {
        return GSI_EDATA;
    }
    size_t n = row->flen[G_EVENT_CODE];
    if (n < 2 || n > 4) {
        return events_field_error(err, row, G_EVENT_CODE, "EventCode, a CAMEO code of 2-4 digits");
    }
    memcpy(ev->cameo, row->field[G_EVENT_CODE], n);
    ev->cameo[n] = '\0';
    if (ref_cameo_event_by_code(ev->cameo, n) == NULL) {
        events_stats_unknown(st, "EventCode", ev->cameo, n);
    }
    if (!(skip & EVENTS_SKIP_ACTORS)) {
        country(ev->actor1, &ev->actor1_row, row, G_ACTOR1_COUNTRY, "Actor1CountryCode",
                ref_country_by_cameo, st);
        country(ev->actor2, &ev->actor2_row, row, G_ACTOR2_COUNTRY, "Actor2CountryCode",
                ref_country_by_cameo, st);
    }
    country(ev->country, &ev->country_row, row, G_ACTION_COUNTRY, "ActionGeo_CountryCode",
            ref_country_by_fips, st);
    if (!(skip & EVENTS_SKIP_ID)) {
        gsi_slice_copy(ev->source_id, sizeof ev->source_id, row->field[G_ID], row->flen[G_ID]);
    }
    return 0;
}
