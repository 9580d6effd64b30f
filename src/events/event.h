/*
 * event.h — the common event model every reader produces.
 *
 * One `struct events_event` is one coded event (GDELT, ICEWS) or one fatality record (UCDP GED,
 * ViEWS country-month), in the same shape, so that summaries and conversions do not care
 * where a row came from. Fields a source does not carry are "absent": "" for codes, NAN for
 * real numbers, -1 for counts (see the EVENTS_ABSENT macro).
 *
 * Countries are ISO 3166-1 alpha-3 at this interface: readers translate FIPS 10-4 (GDELT
 * locations), CAMEO country codes (GDELT actors), Gleditsch-Ward numbers (UCDP), country names
 * (ICEWS) and ViEWS country ids. A code that does not translate is counted as unknown by the
 * reader (events_stats) and leaves the field empty.
 */
#ifndef GSI_EVENTS_EVENT_H
#define GSI_EVENTS_EVENT_H

#include <stdint.h>

enum events_source {
    EVENTS_SOURCE_GDELT = 1, /* in alphabetical order, so summaries sort by name */
    EVENTS_SOURCE_ICEWS = 2,
    EVENTS_SOURCE_UCDP = 3,
    EVENTS_SOURCE_VIEWS = 4,
};
#define EVENTS_SOURCE_MAX 4

/* Returns "gdelt", "icews", "ucdp", "views" (or "" for 0). */
const char *events_source_name(int source);

#define EVENTS_DAY_NONE   INT32_MIN /* no date */
#define EVENTS_COUNT_NONE (-1)      /* absent count */

struct events_event {
    int32_t day;        /* days since 1970-01-01 (core/date.h) */
    uint8_t source;     /* enum events_source */
    char actor1[4];     /* ISO3 of actor 1's country, "" if none */
    char actor2[4];     /* ISO3 of actor 2's country */
    char country[4];    /* ISO3 of where it happened */
    char cameo[5];      /* CAMEO event code, "" if none */
    uint8_t root;       /* CAMEO root code 1..20, 0 if none */
    uint8_t quad_class; /* 1..4, 0 if none */
    int8_t violence;    /* UCDP type of violence 1..3, 0 if none */
    /* The reference rows of actor1, actor2 and country: ref_country_index() + 1, 0 when the
     * code is "". The reader has the row when it translates the code, so a consumer that keys
     * on countries (the summary) needs no second lookup by ISO3. */
    uint16_t actor1_row, actor2_row, country_row;
    double goldstein; /* −10..+10, NAN if absent */
    double tone;      /* GDELT average tone, NAN if absent */
    int64_t mentions; /* counts, EVENTS_COUNT_NONE if absent */
    int64_t sources;
    int64_t articles;
    int64_t fatalities_best;
    int64_t fatalities_low;
    int64_t fatalities_high;
    double latitude; /* degrees, NAN if absent */
    double longitude;
    char source_id[40]; /* the row's id in its dataset */
};

/* Resets every field to absent. */
void events_event_clear(struct events_event *ev);

#endif
