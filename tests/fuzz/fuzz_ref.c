/* Fuzz target for the reference-table lookups, which the event readers call with codes taken
 * straight from untrusted input: every code lookup is tried on every prefix length of the
 * input (0..8 bytes), the name lookup on the whole input, and the numeric lookups on the first
 * four bytes as an int. A row found by a code must carry the code that was asked for. */
#include <stdint.h>
#include <string.h>

#include "ref/ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    (void)ref_country_by_name(s, size); /* a name or an alias: only safety is checked */
    for (size_t n = 0; n <= size && n <= 8; n++) {
        const struct ref_country *c = ref_country_by_iso3(s, n);
        if (c != NULL && (strlen(c->iso3) != n || memcmp(c->iso3, s, n) != 0))
            __builtin_trap();
        c = ref_country_by_iso2(s, n);
        if (c != NULL && memcmp(c->iso2, s, n) != 0)
            __builtin_trap();
        c = ref_country_by_fips(s, n); /* may be an alias: only the length is known */
        if (c != NULL && n != 2)
            __builtin_trap();
        c = ref_country_by_cameo(s, n);
        if (c != NULL && memcmp(c->cameo, s, n) != 0)
            __builtin_trap();
        const struct ref_cameo_event *e = ref_cameo_event_by_code(s, n);
        if (e != NULL && (strlen(e->code) != n || memcmp(e->code, s, n) != 0))
            __builtin_trap();
        const struct ref_cameo_type *t = ref_cameo_type_by_code(s, n);
        if (t != NULL && memcmp(t->code, s, n) != 0)
            __builtin_trap();
        const struct ref_domain *d = ref_domain_by_key(s, n);
        if (d != NULL && (strlen(d->key) != n || memcmp(d->key, s, n) != 0))
            __builtin_trap();
    }
    if (size >= 4) {
        int32_t v;
        memcpy(&v, data, sizeof v);
        const struct ref_country *c = ref_country_by_gw(v);
        if (c != NULL && c->gw != v)
            __builtin_trap();
        c = ref_country_by_isonum(v);
        if (c != NULL && c->isonum != v)
            __builtin_trap();
        const struct ref_views_country *w = ref_views_country_by_id(v);
        if (w != NULL && w->id != v)
            __builtin_trap();
        (void)ref_cameo_quad_class(v);
        (void)ref_country_at((size_t)(uint32_t)v);
        (void)ref_cameo_event_at((size_t)(uint32_t)v);
    }
    return 0;
}
