/*
 * ref.c — lookups over the compiled reference tables (ref_tables.c, generated at build time).
 *
 * Nothing here allocates or keeps state: every function reads constant arrays, so the tables
 * need no initialisation and are safe to share between threads.
 */
#include "ref/ref.h"

#include <stdint.h>
#include <string.h>

#include "ref/ref_tables.h"

/* Base-26 key of `n` capital letters, or -1 when `s` is not exactly `want` capitals. */
static long letter_key(const char *s, size_t n, size_t want)
{
    if (s == NULL || n != want)
        return -1;
    long k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 'A' || s[i] > 'Z')
            return -1;
        k = k * 26 + (s[i] - 'A');
    }
    return k;
}

/* Binary search of a sorted key array; the row or -1. */
static int num_find(const struct ref_num_key *keys, size_t n, int key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (keys[mid].key < key) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < n && keys[lo].key == key ? keys[lo].row : -1;
}

/* Byte-wise comparison of the counted string s[0..n) with the C string `key`. */
static int key_cmp(const char *s, size_t n, const char *key)
{
    size_t kn = strlen(key);
    int c = memcmp(s, key, n < kn ? n : kn);
    if (c != 0)
        return c;
    return n < kn ? -1 : n > kn ? 1 : 0;
}

static const struct ref_country *country_by_letters(const uint16_t *index, const char *s, size_t n,
                                                    size_t want)
{
    long k = letter_key(s, n, want);
    if (k < 0 || index[k] == 0)
        return NULL;
    return &ref_countries[index[k] - 1];
}

size_t ref_country_count(void)
{
    return ref_countries_n;
}

const struct ref_country *ref_country_at(size_t i)
{
    return i < ref_countries_n ? &ref_countries[i] : NULL;
}

size_t ref_country_index(const struct ref_country *c)
{
    /* Compared as integers: relational operators on pointers into different objects are
     * undefined, and `c` may come from anywhere. */
    uintptr_t p = (uintptr_t)c, base = (uintptr_t)ref_countries;
    if (c == NULL || p < base)
        return ref_countries_n;
    size_t i = (size_t)(p - base) / sizeof ref_countries[0];
    return i < ref_countries_n && &ref_countries[i] == c ? i : ref_countries_n;
}

const struct ref_country *ref_country_by_iso3(const char *s, size_t n)
{
    return country_by_letters(ref_country_iso3_index, s, n, 3);
}

const struct ref_country *ref_country_by_iso2(const char *s, size_t n)
{
    return country_by_letters(ref_country_iso2_index, s, n, 2);
}

const struct ref_country *ref_country_by_fips(const char *s, size_t n)
{
    return country_by_letters(ref_country_fips_index, s, n, 2);
}

const struct ref_country *ref_country_by_cameo(const char *s, size_t n)
{
    return country_by_letters(ref_country_cameo_index, s, n, 3);
}

const struct ref_country *ref_country_by_gw(int gw)
{
    int row = num_find(ref_country_gw_keys, ref_country_gw_keys_n, gw);
    return row < 0 ? NULL : &ref_countries[row];
}

const struct ref_country *ref_country_by_isonum(int isonum)
{
    int row = num_find(ref_country_isonum_keys, ref_country_isonum_keys_n, isonum);
    return row < 0 ? NULL : &ref_countries[row];
}

const struct ref_country *ref_country_by_name(const char *s, size_t n)
{
    if (s == NULL) {
        return NULL;
    }
    size_t lo = 0, hi = ref_country_name_keys_n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = key_cmp(s, n, ref_country_name_keys[mid].name);
        if (c == 0) {
            return &ref_countries[ref_country_name_keys[mid].row];
        }
        if (c > 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

size_t ref_views_country_count(void)
{
    return ref_views_countries_n;
}

const struct ref_views_country *ref_views_country_at(size_t i)
{
    return i < ref_views_countries_n ? &ref_views_countries[i] : NULL;
}

const struct ref_views_country *ref_views_country_by_id(int id)
{
    int row = num_find(ref_views_id_keys, ref_views_id_keys_n, id);
    return row < 0 ? NULL : &ref_views_countries[row];
}

size_t ref_cameo_event_count(void)
{
    return ref_cameo_events_n;
}

const struct ref_cameo_event *ref_cameo_event_at(size_t i)
{
    return i < ref_cameo_events_n ? &ref_cameo_events[i] : NULL;
}

const struct ref_cameo_event *ref_cameo_event_by_code(const char *s, size_t n)
{
    static const size_t base[5] = { 0, 0, 0, 100, 1100 };
    if (s == NULL || n < 2 || n > 4)
        return NULL;
    size_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return NULL;
        v = v * 10 + (size_t)(s[i] - '0');
    }
    uint16_t row = ref_cameo_event_index[base[n] + v];
    return row == 0 ? NULL : &ref_cameo_events[row - 1];
}

int ref_cameo_quad_class(int root)
{
    return root >= 1 && root <= 20 ? ref_cameo_quad_by_root[root] : 0;
}

size_t ref_cameo_type_count(void)
{
    return ref_cameo_types_n;
}

const struct ref_cameo_type *ref_cameo_type_at(size_t i)
{
    return i < ref_cameo_types_n ? &ref_cameo_types[i] : NULL;
}

const struct ref_cameo_type *ref_cameo_type_by_code(const char *s, size_t n)
{
    long k = letter_key(s, n, 3);
    if (k < 0 || ref_cameo_type_index[k] == 0)
        return NULL;
    return &ref_cameo_types[ref_cameo_type_index[k] - 1];
}

size_t ref_domain_count(void)
{
    return ref_domains_n;
}

const struct ref_domain *ref_domain_at(size_t i)
{
    return i < ref_domains_n ? &ref_domains[i] : NULL;
}

const struct ref_domain *ref_domain_by_key(const char *s, size_t n)
{
    if (s == NULL)
        return NULL;
    size_t lo = 0, hi = ref_domains_n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct ref_domain *d = &ref_domains[ref_domain_by_key_order[mid]];
        int c = key_cmp(s, n, d->key);
        if (c == 0)
            return d;
        if (c > 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

size_t ref_charter33_count(void)
{
    return ref_charter33_n;
}

const char *ref_charter33_at(size_t i)
{
    return i < ref_charter33_n ? ref_charter33[i] : NULL;
}
