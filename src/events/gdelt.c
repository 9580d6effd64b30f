/* gdelt.c — GDELT 2.0 event export rows (61 tab-separated fields, no header).
 *
 * Column numbers (internal.h) are 0-based, from
 * GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv: the event is dated by SQLDATE,
 * located by ActionGeo_CountryCode (FIPS 10-4), and its actors by Actor{1,2}CountryCode (CAMEO
 * country codes). */
#include <stdint.h>
#include <string.h>

#include "core/date.h"
#include "core/text.h"
#include "events/internal.h"
#include "ref/ref.h"

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
        events__country_set(out, out_row, c);
    } else {
        events_stats_unknown(st, field, row->field[col], n);
    }
}

/* The day of an 8-byte SQLDATE, remembered per thread: an export holds a few distinct dates
 * in long runs, so most rows repeat the last one and need no parse. Only a text that parsed is
 * remembered, and gsi_date_parse() reads nothing but those 8 bytes, so the result is the
 * parse's own. */
struct date_memo {
    uint64_t text; /* the 8 bytes of the last SQLDATE that parsed */
    int32_t day;
    bool valid;
};
static _Thread_local struct date_memo date_memo;

static int sqldate(int32_t *day, const char *s, size_t n)
{
    uint64_t text = 0;
    if (n == 8) {
        memcpy(&text, s, 8);
        if (date_memo.valid && date_memo.text == text) {
            *day = date_memo.day;
            return 0;
        }
    }
    if (gsi_date_parse(day, s, n) < 0 || n != 8) {
        return GSI_EDATA;
    }
    date_memo = (struct date_memo){ text, *day, true };
    return 0;
}

/* gsi_parse_i64() with the short unsigned numbers GDELT writes in its code and count columns
 * (QuadClass, EventRootCode, NumMentions...) read inline. Anything else (a sign, a non-digit,
 * an empty field, more than 4 digits) goes to gsi_parse_i64() itself, and a string of 1 to 4
 * digits can only mean its decimal value, so the results and the rows refused are its own. */
static inline int parse_int(int64_t *out, const char *s, size_t n)
{
    if (n >= 1 && n <= 4) {
        int64_t v = 0;
        size_t i = 0;
        for (; i < n; i++) {
            unsigned d = (unsigned)(unsigned char)s[i] - '0';
            if (d > 9) {
                break;
            }
            v = v * 10 + (int64_t)d;
        }
        if (i == n) {
            *out = v;
            return 0;
        }
    }
    return gsi_parse_i64(out, s, n);
}

/* events__field_count() and events__field_real() for a required field, with the common case (a
 * good value) inline; a bad one goes to them again for the message. */
static inline int count_field(int64_t *out, const struct events_row *row, int col, const char *name,
                              struct gsi_err *err)
{
    if (parse_int(out, row->field[col], row->flen[col]) == 0 && *out >= 0) {
        return 0;
    }
    return events__field_count(out, row, col, name, false, err);
}

static inline int real_field(double *out, const struct events_row *row, int col, const char *name,
                             struct gsi_err *err)
{
    if (gsi_parse_f64(out, row->field[col], row->flen[col]) == 0) {
        return 0;
    }
    return events__field_real(out, row, col, name, false, err);
}

int events__gdelt_parse(struct events_event *ev, const struct events_row *row, unsigned skip,
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
    if (sqldate(&ev->day, row->field[GDELT_SQLDATE], row->flen[GDELT_SQLDATE]) < 0) {
        return events__field_error(err, row, GDELT_SQLDATE, "SQLDATE as a date YYYYMMDD");
    }
    int64_t v;
    if (parse_int(&v, row->field[GDELT_QUAD_CLASS], row->flen[GDELT_QUAD_CLASS]) < 0 || v < 1 ||
        v > 4) {
        return events__field_error(err, row, GDELT_QUAD_CLASS, "QuadClass 1, 2, 3 or 4");
    }
    ev->quad_class = (uint8_t)v;
    if (parse_int(&v, row->field[GDELT_ROOT_CODE], row->flen[GDELT_ROOT_CODE]) < 0 || v < 1 ||
        v > 20) {
        return events__field_error(err, row, GDELT_ROOT_CODE, "EventRootCode, a CAMEO root 01..20");
    }
    ev->root = (uint8_t)v;
    if (real_field(&ev->goldstein, row, GDELT_GOLDSTEIN, "GoldsteinScale", err) < 0) {
        return GSI_EDATA;
    }
    if (ev->goldstein < -10 || ev->goldstein > 10) {
        return events__field_error(err, row, GDELT_GOLDSTEIN, "GoldsteinScale between -10 and 10");
    }
    if (count_field(&ev->mentions, row, GDELT_MENTIONS, "NumMentions", err) < 0 ||
        count_field(&ev->sources, row, GDELT_SOURCES, "NumSources", err) < 0 ||
        count_field(&ev->articles, row, GDELT_ARTICLES, "NumArticles", err) < 0 ||
        real_field(&ev->tone, row, GDELT_TONE, "AvgTone", err) < 0) {
        return GSI_EDATA;
    }
    if (!(skip & EVENTS_SKIP_GEO) &&
        (events__field_real(&ev->latitude, row, GDELT_ACTION_LAT, "ActionGeo_Lat", true, err) < 0 ||
         events__field_real(&ev->longitude, row, GDELT_ACTION_LONG, "ActionGeo_Long", true, err) <
             0)) {
        return GSI_EDATA;
    }
    size_t n = row->flen[GDELT_EVENT_CODE];
    if (n < 2 || n > 4) {
        return events__field_error(err, row, GDELT_EVENT_CODE,
                                   "EventCode, a CAMEO code of 2-4 digits");
    }
    memcpy(ev->cameo, row->field[GDELT_EVENT_CODE], n);
    ev->cameo[n] = '\0';
    if (ref_cameo_event_by_code(ev->cameo, n) == NULL) {
        events_stats_unknown(st, "EventCode", ev->cameo, n);
    }
    if (!(skip & EVENTS_SKIP_ACTORS)) {
        country(ev->actor1, &ev->actor1_row, row, GDELT_ACTOR1_COUNTRY, "Actor1CountryCode",
                ref_country_by_cameo, st);
        country(ev->actor2, &ev->actor2_row, row, GDELT_ACTOR2_COUNTRY, "Actor2CountryCode",
                ref_country_by_cameo, st);
    }
    country(ev->country, &ev->country_row, row, GDELT_ACTION_COUNTRY, "ActionGeo_CountryCode",
            ref_country_by_fips, st);
    if (!(skip & EVENTS_SKIP_ID)) {
        gsi_slice_copy(ev->source_id, sizeof ev->source_id, row->field[GDELT_ID],
                       row->flen[GDELT_ID]);
    }
    return 0;
}
