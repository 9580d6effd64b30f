/*
 * summary.h — group-by summaries of events: counts and measures per group of keys.
 *
 *     struct events_keys keys;
 *     if (events_keys_parse(&keys, "country,day", &err) < 0) ...
 *     struct events_summary *s = events_summary_new(&keys, nthreads);
 *     struct events_sink sink;  events_summary_sink(s, &sink);
 *     events_scan(path, &opt, &sink, &stats, &err);      // once per file
 *     struct gsi_table *t = events_summary_table(s, &err); // merged, sorted by the keys
 *
 * Keys: country (location, ISO3), actor1, actor2, dyad ("AAA-BBB", directed), day
 * (YYYY-MM-DD), month (YYYY-MM), year, quadclass (1..4), root (CAMEO root "01".."20"),
 * source (gdelt|ucdp|icews|views). An event without a key's value falls in the group where
 * that key is empty.
 *
 * Measures, always in this order: events, goldstein_sum, goldstein_mean, mentions, tone_mean,
 * fatalities (sum of fatalities_best), q1, q2, q3, q4 (events per quad class). A measure that
 * no event of a group carries is empty.
 *
 * Sums of real numbers are kept in 128-bit fixed point with 2^-52 resolution, so they are
 * exact, and the result is the same whatever the thread count or the order of the rows.
 */
#ifndef GSI_EVENTS_SUMMARY_H
#define GSI_EVENTS_SUMMARY_H

#include <stddef.h>

#include "core/err.h"
#include "core/table.h"
#include "events/scan.h"

enum events_key {
    EVENTS_KEY_COUNTRY,
    EVENTS_KEY_ACTOR1,
    EVENTS_KEY_ACTOR2,
    EVENTS_KEY_DYAD,
    EVENTS_KEY_DAY,
    EVENTS_KEY_MONTH,
    EVENTS_KEY_YEAR,
    EVENTS_KEY_QUADCLASS,
    EVENTS_KEY_ROOT,
    EVENTS_KEY_SOURCE,
    EVENTS_KEY_COUNT
};

struct events_keys {
    size_t n;
    enum events_key key[EVENTS_KEY_COUNT];
};

#define EVENTS_GROUPS_MAX (1u << 24) /* distinct groups one summary may hold */

/* Parses a comma-separated list of key names; GSI_EUSAGE naming the bad or repeated key. */
int events_keys_parse(struct events_keys *out, const char *list, struct gsi_err *err);

struct events_summary;

/* A summary that `nthreads` scanner threads may feed at once (one part each). */
struct events_summary *events_summary_new(const struct events_keys *keys, unsigned nthreads);
void events_summary_free(struct events_summary *s);
/* Fills `sink` so events_scan() adds events to `s`. The sink borrows `s`. */
/* The EVENTS_SKIP_* flags for fields this summary does not use (for events_scan_options). */
unsigned events_summary_skip(const struct events_summary *s);
void events_summary_sink(struct events_summary *s, struct events_sink *sink);
/* Merges the parts and builds the result table (the caller frees it), sorted by the keys in
 * the order given. NULL with err set when out of memory. */
struct gsi_table *events_summary_table(struct events_summary *s, struct gsi_err *err);

#endif
