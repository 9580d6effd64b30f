/*
 * ref_tables.h — the arrays that src/ref/gen_ref.py writes into ref_tables.c (internal to
 * src/ref/; callers use ref.h).
 *
 * Index tables hold a row number + 1, or 0 where no row has that code, so the zero-filled
 * slots mean "absent". Letter codes are keyed base 26 ("AAA" = 0, "ZZZ" = 17575); CAMEO event
 * codes by ref_cameo_slot() below. Number keys are sorted ascending for binary search.
 */
#ifndef GSI_REF_REF_TABLES_H
#define GSI_REF_REF_TABLES_H

#include <stddef.h>
#include <stdint.h>

#include "ref/ref.h"

struct ref_num_key {
    int key;
    int row;
};

/* A country name or alias and its row; sorted by the name's bytes. */
struct ref_name_key {
    const char *name;
    int row;
};

extern const struct ref_country ref_countries[];
extern const size_t ref_countries_n;
extern const uint16_t ref_country_iso3_index[26 * 26 * 26];
extern const uint16_t ref_country_iso2_index[26 * 26];
extern const uint16_t ref_country_fips_index[26 * 26];
extern const uint16_t ref_country_cameo_index[26 * 26 * 26];
extern const struct ref_num_key ref_country_gw_keys[];
extern const size_t ref_country_gw_keys_n;
extern const struct ref_num_key ref_country_isonum_keys[];
extern const size_t ref_country_isonum_keys_n;
extern const struct ref_name_key ref_country_name_keys[];
extern const size_t ref_country_name_keys_n;

extern const struct ref_views_country ref_views_countries[];
extern const size_t ref_views_countries_n;
extern const struct ref_num_key ref_views_id_keys[];
extern const size_t ref_views_id_keys_n;

/* 2-digit codes in slots 0..99, 3-digit in 100..1099, 4-digit in 1100..11099. */
#define REF_CAMEO_SLOTS 11100
extern const struct ref_cameo_event ref_cameo_events[];
extern const size_t ref_cameo_events_n;
extern const uint16_t ref_cameo_event_index[REF_CAMEO_SLOTS];
extern const signed char ref_cameo_quad_by_root[21];

extern const struct ref_cameo_type ref_cameo_types[];
extern const size_t ref_cameo_types_n;
extern const uint16_t ref_cameo_type_index[26 * 26 * 26];

extern const struct ref_domain ref_domains[];
extern const size_t ref_domains_n;
extern const uint16_t ref_domain_by_key_order[];

extern const char *const ref_charter33[];
extern const size_t ref_charter33_n;

#endif
