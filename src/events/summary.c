/* summary.c — the group-by hash table behind `gsi events summarize` (see summary.h).
 *
 * A group's key is packed into two 64-bit words (layout below), each key field holding 0 when
 * the key is not asked for or the event has no value. Each scanner thread fills its own open-
 * addressing table (linear probing, load factor at most 1/2); the tables are merged at the
 * end. */
#include "events/summary.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "ref/ref.h"

__extension__ typedef __int128 events_i128;

/* Word 0: country 10 | actor1 10 | actor2 10 | day 20 | quad 3 | root 5 | source 3 (bits).
 * Word 1: month 13 | year 9 | bit 63 marks a used slot. */
struct field_pos {
    int word, shift, bits;
};
static const struct field_pos pos_country = { 0, 0, 10 }, pos_actor1 = { 0, 10, 10 },
                              pos_actor2 = { 0, 20, 10 }, pos_day = { 0, 30, 20 },
                              pos_quad = { 0, 50, 3 }, pos_root = { 0, 53, 5 },
                              pos_source = { 0, 58, 3 }, pos_month = { 1, 0, 13 },
                              pos_year = { 1, 13, 9 };
#define USED_BIT     (UINT64_C(1) << 63)
#define DAY_OFFSET   131072 /* day numbers of years 1800..2200 fit in 0..2^18 after this */
#define MONTH_OFFSET 4096   /* month ids of years 1800..2200 fit in 0..2^13 after this */
#define YEAR_OFFSET  1700
#define FIX_SCALE    4503599627370496.0 /* 2^52 */

struct agg {
    int64_t events;
    events_i128 gold_sum;
    int64_t gold_n;
    int64_t mentions;
    int64_t mentions_n;
    events_i128 tone_sum;
    int64_t tone_n;
    int64_t fat_sum;
    int64_t fat_n;
    int64_t q[4];
    int64_t q_n; /* events with a quad class */
};

struct part {
    uint64_t (*key)[2]; /* key[i][1] & USED_BIT marks a used slot */
    struct agg *agg;
    size_t cap, used;
    const struct events_summary *owner;
};

struct events_summary {
    struct events_keys keys;
    unsigned nparts;
    struct part *parts;
    void **ctx;
    bool want[EVENTS_KEY_COUNT];
};

static const char *const key_names[EVENTS_KEY_COUNT] = { "country", "actor1", "actor2", "dyad",
                                                         "day",     "month",  "year",   "quadclass",
                                                         "root",    "source" };

int events_keys_parse(struct events_keys *out, const char *list, struct gsi_err *err)
{
    out->n = 0;
    const char *p = list;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
        size_t k = 0;
        while (k < EVENTS_KEY_COUNT &&
               !(strlen(key_names[k]) == len && memcmp(key_names[k], p, len) == 0)) {
            k++;
        }
        if (k == EVENTS_KEY_COUNT) {
            return gsi_err_set(err, GSI_EUSAGE,
                               "unknown key '%.*s' in --by; expected a comma-separated list of "
                               "country, actor1, actor2, dyad, day, month, year, quadclass, "
                               "root, source",
                               (int)len, p);
        }
        for (size_t i = 0; i < out->n; i++) {
            if (out->key[i] == (enum events_key)k) {
                return gsi_err_set(err, GSI_EUSAGE, "key '%s' is repeated in --by", key_names[k]);
            }
        }
        out->key[out->n++] = (enum events_key)k;
        if (comma == NULL) {
            return 0;
        }
        p = comma + 1;
    }
}

static inline void put(uint64_t key[2], struct field_pos f, uint64_t v)
{
    key[f.word] |= v << f.shift;
}

static inline uint64_t get(const uint64_t key[2], struct field_pos f)
{
    return (key[f.word] >> f.shift) & ((UINT64_C(1) << f.bits) - 1);
}

static void make_key(uint64_t key[2], const struct events_summary *s, const struct events_event *ev)
{
    key[0] = 0;
    key[1] = USED_BIT;
    const bool *w = s->want;
    /* The readers give each country's reference row (row + 1, 0 for none), which is the key's
     * country code as it stands: no lookup by ISO3 here, on the hot path. */
    if (w[EVENTS_KEY_COUNTRY]) {
        put(key, pos_country, ev->country_row);
    }
    if (w[EVENTS_KEY_ACTOR1] || w[EVENTS_KEY_DYAD]) {
        put(key, pos_actor1, ev->actor1_row);
    }
    if (w[EVENTS_KEY_ACTOR2] || w[EVENTS_KEY_DYAD]) {
        put(key, pos_actor2, ev->actor2_row);
    }
    /* The offsets make every date of GSI_DATE_MIN_YEAR..GSI_DATE_MAX_YEAR a positive field
     * value; the sums are taken in 64 bits, then stored unsigned. */
    if (ev->day != EVENTS_DAY_NONE &&
        (w[EVENTS_KEY_DAY] || w[EVENTS_KEY_MONTH] || w[EVENTS_KEY_YEAR])) {
        if (w[EVENTS_KEY_DAY]) {
            put(key, pos_day, (uint64_t)((int64_t)ev->day + DAY_OFFSET));
        }
        if (w[EVENTS_KEY_MONTH] || w[EVENTS_KEY_YEAR]) {
            int y, m, d;
            gsi_date_to_civil(ev->day, &y, &m, &d);
            if (w[EVENTS_KEY_MONTH]) {
                put(key, pos_month, (uint64_t)((int64_t)gsi_month_id(y, m) + MONTH_OFFSET));
            }
            if (w[EVENTS_KEY_YEAR]) {
                put(key, pos_year, (uint64_t)((int64_t)y - YEAR_OFFSET));
            }
        }
    }
    if (w[EVENTS_KEY_QUADCLASS]) {
        put(key, pos_quad, ev->quad_class);
    }
    if (w[EVENTS_KEY_ROOT]) {
        put(key, pos_root, ev->root);
    }
    if (w[EVENTS_KEY_SOURCE]) {
        put(key, pos_source, ev->source);
    }
}

static inline size_t hash_key(const uint64_t key[2])
{
    uint64_t h = key[0] * UINT64_C(0x9e3779b97f4a7c15) ^ key[1] * UINT64_C(0xc2b2ae3d27d4eb4f);
    return (size_t)(h ^ (h >> 29));
}

static int part_grow(struct part *p)
{
    size_t cap = p->cap ? p->cap * 2 : 1024;
    uint64_t(*key)[2] = calloc(cap, sizeof *key);
    struct agg *agg = calloc(cap, sizeof *agg);
    if (key == NULL || agg == NULL) {
        free(key);
        free(agg);
        return GSI_ENOMEM;
    }
    for (size_t i = 0; i < p->cap; i++) {
        if (!(p->key[i][1] & USED_BIT)) {
            continue;
        }
        size_t j = hash_key(p->key[i]) & (cap - 1);
        while (key[j][1] & USED_BIT) {
            j = (j + 1) & (cap - 1);
        }
        key[j][0] = p->key[i][0];
        key[j][1] = p->key[i][1];
        agg[j] = p->agg[i];
    }
    free(p->key);
    free(p->agg);
    p->key = key;
    p->agg = agg;
    p->cap = cap;
    return 0;
}

/* The slot of `key`, inserted empty if new; NULL past EVENTS_GROUPS_MAX or out of memory. */
static struct agg *part_slot(struct part *p, const uint64_t key[2], struct gsi_err *err)
{
    if (p->cap == 0 || (p->used + 1) * 2 > p->cap) {
        if (p->used >= EVENTS_GROUPS_MAX) {
            gsi_err_set(err, GSI_ELIMIT,
                        "more than %u groups; use fewer or coarser --by keys, or --from/--to",
                        EVENTS_GROUPS_MAX);
            return NULL;
        }
        if (part_grow(p) < 0) {
            gsi_err_set(err, GSI_ENOMEM, "out of memory with %zu groups", p->used);
            return NULL;
        }
    }
    size_t mask = p->cap - 1;
    size_t j = hash_key(key) & mask;
    for (;;) {
        if (!(p->key[j][1] & USED_BIT)) {
            p->key[j][0] = key[0];
            p->key[j][1] = key[1];
            p->used++;
            return &p->agg[j];
        }
        if (p->key[j][0] == key[0] && p->key[j][1] == key[1]) {
            return &p->agg[j];
        }
        j = (j + 1) & mask;
    }
}

static inline events_i128 to_fixed(double v)
{
    return (events_i128)llrint(v * FIX_SCALE);
}

static int summary_event(void *ctx, const struct events_event *ev, struct gsi_err *err)
{
    struct part *p = ctx;
    uint64_t key[2];
    make_key(key, p->owner, ev);
    struct agg *a = part_slot(p, key, err);
    if (a == NULL) {
        return err->code;
    }
    a->events++;
    if (!isnan(ev->goldstein)) {
        a->gold_sum += to_fixed(ev->goldstein);
        a->gold_n++;
    }
    if (ev->mentions >= 0) {
        a->mentions += ev->mentions;
        a->mentions_n++;
    }
    if (!isnan(ev->tone)) {
        a->tone_sum += to_fixed(ev->tone);
        a->tone_n++;
    }
    if (ev->fatalities_best >= 0) {
        a->fat_sum += ev->fatalities_best;
        a->fat_n++;
    }
    if (ev->quad_class >= 1 && ev->quad_class <= 4) {
        a->q[ev->quad_class - 1]++;
        a->q_n++;
    }
    return 0;
}

struct events_summary *events_summary_new(const struct events_keys *keys, unsigned nthreads)
{
    if (nthreads == 0) {
        nthreads = 1;
    }
    struct events_summary *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return NULL;
    }
    s->keys = *keys;
    s->nparts = nthreads;
    s->parts = calloc(nthreads, sizeof *s->parts);
    s->ctx = calloc(nthreads, sizeof *s->ctx);
    if (s->parts == NULL || s->ctx == NULL) {
        events_summary_free(s);
        return NULL;
    }
    for (size_t i = 0; i < keys->n; i++) {
        s->want[keys->key[i]] = true;
    }
    for (unsigned t = 0; t < nthreads; t++) {
        s->parts[t].owner = s;
        s->ctx[t] = &s->parts[t];
    }
    return s;
}

void events_summary_free(struct events_summary *s)
{
    if (s == NULL) {
        return;
    }
    for (unsigned t = 0; s->parts != NULL && t < s->nparts; t++) {
        free(s->parts[t].key);
        free(s->parts[t].agg);
    }
    free(s->parts);
    free(s->ctx);
    free(s);
}

unsigned events_summary_skip(const struct events_summary *s)
{
    unsigned skip = EVENTS_SKIP_GEO | EVENTS_SKIP_ID;
    if (!s->want[EVENTS_KEY_ACTOR1] && !s->want[EVENTS_KEY_ACTOR2] && !s->want[EVENTS_KEY_DYAD]) {
        skip |= EVENTS_SKIP_ACTORS;
    }
    return skip;
}

void events_summary_sink(struct events_summary *s, struct events_sink *sink)
{
    sink->nctx = s->nparts;
    sink->ctx = s->ctx;
    sink->event = summary_event;
}

static void agg_add(struct agg *dst, const struct agg *src)
{
    dst->events += src->events;
    dst->gold_sum += src->gold_sum;
    dst->gold_n += src->gold_n;
    dst->mentions += src->mentions;
    dst->mentions_n += src->mentions_n;
    dst->tone_sum += src->tone_sum;
    dst->tone_n += src->tone_n;
    dst->fat_sum += src->fat_sum;
    dst->fat_n += src->fat_n;
    for (int i = 0; i < 4; i++) {
        dst->q[i] += src->q[i];
    }
    dst->q_n += src->q_n;
}

/* Sort order: each key's field, in the order the keys were given. */
static const struct events_summary *sort_owner;
static const struct part *sort_part;

static struct field_pos key_pos(enum events_key k, int which)
{
    switch (k) {
    case EVENTS_KEY_COUNTRY:
        return pos_country;
    case EVENTS_KEY_ACTOR1:
        return pos_actor1;
    case EVENTS_KEY_ACTOR2:
        return pos_actor2;
    case EVENTS_KEY_DYAD:
        return which == 0 ? pos_actor1 : pos_actor2;
    case EVENTS_KEY_DAY:
        return pos_day;
    case EVENTS_KEY_MONTH:
        return pos_month;
    case EVENTS_KEY_YEAR:
        return pos_year;
    case EVENTS_KEY_QUADCLASS:
        return pos_quad;
    case EVENTS_KEY_ROOT:
        return pos_root;
    default:
        return pos_source;
    }
}

static int cmp_slots(const void *a, const void *b)
{
    const uint64_t *ka = sort_part->key[*(const size_t *)a];
    const uint64_t *kb = sort_part->key[*(const size_t *)b];
    for (size_t i = 0; i < sort_owner->keys.n; i++) {
        enum events_key k = sort_owner->keys.key[i];
        for (int which = 0; which < (k == EVENTS_KEY_DYAD ? 2 : 1); which++) {
            struct field_pos f = key_pos(k, which);
            uint64_t va = get(ka, f), vb = get(kb, f);
            if (va != vb) {
                return va < vb ? -1 : 1;
            }
        }
    }
    return 0;
}

static const char *iso3_of(uint64_t code)
{
    return code == 0 ? "" : ref_country_at((size_t)code - 1)->iso3;
}

static int add_key_cell(struct gsi_table *t, enum events_key k, const uint64_t key[2])
{
    char buf[16];
    switch (k) {
    case EVENTS_KEY_COUNTRY:
        return gsi_table_text(t, iso3_of(get(key, pos_country)));
    case EVENTS_KEY_ACTOR1:
        return gsi_table_text(t, iso3_of(get(key, pos_actor1)));
    case EVENTS_KEY_ACTOR2:
        return gsi_table_text(t, iso3_of(get(key, pos_actor2)));
    case EVENTS_KEY_DYAD:
        snprintf(buf, sizeof buf, "%s-%s", iso3_of(get(key, pos_actor1)),
                 iso3_of(get(key, pos_actor2)));
        return gsi_table_text(t, buf);
    case EVENTS_KEY_DAY: {
        uint64_t v = get(key, pos_day);
        if (v == 0) {
            return gsi_table_text(t, "");
        }
        char day[11];
        gsi_date_format(day, (int32_t)v - DAY_OFFSET);
        return gsi_table_text(t, day);
    }
    case EVENTS_KEY_MONTH: {
        uint64_t v = get(key, pos_month);
        if (v == 0) {
            return gsi_table_text(t, "");
        }
        int y, m;
        gsi_month_from_id((int)v - MONTH_OFFSET, &y, &m);
        snprintf(buf, sizeof buf, "%04d-%02d", y, m);
        return gsi_table_text(t, buf);
    }
    case EVENTS_KEY_YEAR: {
        uint64_t v = get(key, pos_year);
        return v == 0 ? gsi_table_null(t) : gsi_table_num(t, (double)v + YEAR_OFFSET);
    }
    case EVENTS_KEY_QUADCLASS: {
        uint64_t v = get(key, pos_quad);
        return v == 0 ? gsi_table_null(t) : gsi_table_num(t, (double)v);
    }
    case EVENTS_KEY_ROOT: {
        uint64_t v = get(key, pos_root);
        if (v == 0) {
            return gsi_table_text(t, "");
        }
        snprintf(buf, sizeof buf, "%02u", (unsigned)v);
        return gsi_table_text(t, buf);
    }
    default:
        return gsi_table_text(t, events_source_name((int)get(key, pos_source)));
    }
}

static double fixed_to_double(events_i128 v)
{
    return (double)v / FIX_SCALE;
}

static int add_measures(struct gsi_table *t, const struct agg *a)
{
    int rc = gsi_table_num(t, (double)a->events);
    if (a->gold_n > 0) {
        rc |= gsi_table_num(t, fixed_to_double(a->gold_sum));
        rc |= gsi_table_num(t, (double)a->gold_sum / FIX_SCALE / (double)a->gold_n);
    } else {
        rc |= gsi_table_null(t);
        rc |= gsi_table_null(t);
    }
    rc |= a->mentions_n > 0 ? gsi_table_num(t, (double)a->mentions) : gsi_table_null(t);
    rc |= a->tone_n > 0 ? gsi_table_num(t, (double)a->tone_sum / FIX_SCALE / (double)a->tone_n)
                        : gsi_table_null(t);
    rc |= a->fat_n > 0 ? gsi_table_num(t, (double)a->fat_sum) : gsi_table_null(t);
    for (int i = 0; i < 4; i++) {
        rc |= a->q_n > 0 ? gsi_table_num(t, (double)a->q[i]) : gsi_table_null(t);
    }
    return rc;
}

struct gsi_table *events_summary_table(struct events_summary *s, struct gsi_err *err)
{
    struct part *p0 = &s->parts[0];
    for (unsigned t = 1; t < s->nparts; t++) {
        struct part *p = &s->parts[t];
        for (size_t i = 0; i < p->cap; i++) {
            if (p->key[i][1] & USED_BIT) {
                struct agg *a = part_slot(p0, p->key[i], err);
                if (a == NULL) {
                    return NULL;
                }
                agg_add(a, &p->agg[i]);
            }
        }
    }
    struct gsi_table_col cols[EVENTS_KEY_COUNT + 10];
    size_t ncols = 0;
    for (size_t i = 0; i < s->keys.n; i++) {
        enum events_key k = s->keys.key[i];
        cols[ncols].name = key_names[k];
        cols[ncols++].decimals = k == EVENTS_KEY_YEAR || k == EVENTS_KEY_QUADCLASS ? 0 : -1;
    }
    static const struct gsi_table_col measures[] = { { "events", 0 },
                                                     { "goldstein_sum", 1 },
                                                     { "goldstein_mean", 3 },
                                                     { "mentions", 0 },
                                                     { "tone_mean", 3 },
                                                     { "fatalities", 0 },
                                                     { "q1", 0 },
                                                     { "q2", 0 },
                                                     { "q3", 0 },
                                                     { "q4", 0 } };
    memcpy(cols + ncols, measures, sizeof measures);
    ncols += sizeof measures / sizeof measures[0];
    struct gsi_table *t = gsi_table_new(cols, ncols);
    size_t *order = malloc((p0->used + 1) * sizeof *order);
    if (t == NULL || order == NULL) {
        gsi_table_free(t);
        free(order);
        gsi_err_set(err, GSI_ENOMEM, "out of memory writing %zu groups", p0->used);
        return NULL;
    }
    size_t n = 0;
    for (size_t i = 0; i < p0->cap; i++) {
        if (p0->key[i][1] & USED_BIT) {
            order[n++] = i;
        }
    }
    /* qsort has no context argument in C11; the summary is not shared between threads here. */
    static pthread_mutex_t sort_lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&sort_lock);
    sort_owner = s;
    sort_part = p0;
    qsort(order, n, sizeof *order, cmp_slots);
    pthread_mutex_unlock(&sort_lock);
    int rc = 0;
    for (size_t r = 0; r < n && rc == 0; r++) {
        const uint64_t *key = p0->key[order[r]];
        for (size_t i = 0; i < s->keys.n; i++) {
            rc |= add_key_cell(t, s->keys.key[i], key);
        }
        rc |= add_measures(t, &p0->agg[order[r]]);
    }
    free(order);
    if (rc != 0) {
        gsi_table_free(t);
        gsi_err_set(err, GSI_ENOMEM, "out of memory writing the summary");
        return NULL;
    }
    return t;
}
