/*
 * ref.h — the reference tables: countries and their codes, CAMEO event codes, CAMEO actor
 * types, the ViEWS country table and the 20 priority domains of cooperation.
 *
 * The tables are compiled into the program from the CSV files in data/ref/ at build time (see
 * docs/internals/ref.md); they are read-only, need no initialisation and are safe to share
 * between threads. Every lookup is O(1) (direct-indexed letter codes) or O(log n) (binary
 * search on numbers). A lookup that finds nothing returns NULL; codes are matched exactly
 * (upper case, no spaces), as the source files spell them.
 */
#ifndef GSI_REF_REF_H
#define GSI_REF_REF_H

#include <stdbool.h>
#include <stddef.h>

/* One country or territory. Absent codes are "" (strings) or 0 (numbers). The pointers come
 * first and the small fields last, so the row has no padding but the tail (gen_ref.py writes
 * the rows with designated initializers, so the order is this header's alone). */
struct ref_country {
    const char *iso3;   /* ISO 3166-1 alpha-3, the key used at every GSI interface */
    const char *iso2;   /* ISO 3166-1 alpha-2 */
    const char *fips;   /* FIPS 10-4 (GDELT *Geo_CountryCode) */
    const char *cameo;  /* CAMEO country code (GDELT Actor*CountryCode) */
    const char *name;   /* English short name */
    const char *region; /* UN region (continent) */
    int isonum;         /* ISO 3166-1 numeric */
    int gw;             /* Gleditsch-Ward number */
    int cow;            /* Correlates of War number */
    bool un_member;     /* UN member state */
    bool un_observer;   /* UN non-member observer state (Holy See, Palestine) */
};

size_t ref_country_count(void);
/* Countries in ISO3 order; i < ref_country_count(). Its index is stable within one build. */
const struct ref_country *ref_country_at(size_t i);
/* The row number of `c`, a pointer from this module; ref_country_count() for NULL or any
 * pointer that is not a row of the table. */
size_t ref_country_index(const struct ref_country *c);

const struct ref_country *ref_country_by_iso3(const char *s, size_t n);
const struct ref_country *ref_country_by_iso2(const char *s, size_t n);
/* Also resolves the aliases of data/ref/fips_aliases.csv (GDELT's "GZ" Gaza Strip → PSE,
 * "RB" → SRB), which are not the row's own `fips`. */
const struct ref_country *ref_country_by_fips(const char *s, size_t n);
const struct ref_country *ref_country_by_cameo(const char *s, size_t n);
const struct ref_country *ref_country_by_gw(int gw);
const struct ref_country *ref_country_by_isonum(int isonum);
/* By English name, exact (case-sensitive) match on the name or a known alias such as ICEWS's
 * "Russian Federation" or "Occupied Palestinian Territory" (data/ref/country_aliases.csv). */
const struct ref_country *ref_country_by_name(const char *s, size_t n);

/* A row of the ViEWS country table (country_id → Gleditsch-Ward and ISO3); pointers first,
 * as in struct ref_country. */
struct ref_views_country {
    const char *name;
    const char *iso3; /* as in views_country_table.csv's isoab */
    int id;           /* ViEWS country_id */
    int gw;
    int isonum;
};
size_t ref_views_country_count(void);
const struct ref_views_country *ref_views_country_at(size_t i);
const struct ref_views_country *ref_views_country_by_id(int id);

/* A CAMEO event code (2-, 3- or 4-digit). */
struct ref_cameo_event {
    const char *code; /* "190", "0231" */
    const char *description;
    double goldstein; /* −10 .. +10 */
    int quad_class;   /* 1 verbal coop., 2 material coop., 3 verbal conflict, 4 material */
    int root;         /* the first two digits, 1..20 */
};
size_t ref_cameo_event_count(void);
const struct ref_cameo_event *ref_cameo_event_at(size_t i);
const struct ref_cameo_event *ref_cameo_event_by_code(const char *s, size_t n);
/* Quad class of a root code 1..20; 0 when out of range. */
int ref_cameo_quad_class(int root);

/* A CAMEO actor type ("GOV", "MIL", "REB", ...). */
struct ref_cameo_type {
    const char *code;
    const char *label;
};
size_t ref_cameo_type_count(void);
const struct ref_cameo_type *ref_cameo_type_at(size_t i);
const struct ref_cameo_type *ref_cameo_type_by_code(const char *s, size_t n);

/* One of the 20 priority domains of cooperation (concept paper, part III). */
struct ref_domain {
    int number;          /* 1..20 */
    const char *key;     /* short slug: "conflict-prevention", "nuclear", ... */
    const char *name;    /* the domain as the concept paper names it */
    const char *feature; /* the GSI feature that serves it */
};
size_t ref_domain_count(void);
const struct ref_domain *ref_domain_at(size_t i);
const struct ref_domain *ref_domain_by_key(const char *s, size_t n);

/* The peaceful means of UN Charter Article 33. */
size_t ref_charter33_count(void);
const char *ref_charter33_at(size_t i);

#endif
