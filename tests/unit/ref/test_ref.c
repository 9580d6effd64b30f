/*
 * Unit tests for src/ref: every row of every compiled table is checked against the shipped
 * CSV file in data/ref/ it was generated from and against the unchanged upstream files in
 * data/ref/source/, applying only the rules written in docs/internals/ref.md; then lookups.
 *
 * Independent figures used below:
 *   - 193 UN member states and 2 non-member observer states (Holy See, State of Palestine),
 *     as the UN publishes them (un.org/en/about-us/member-states); the upstream list agrees:
 *       python3 -c "import csv; print(sum(1 for r in csv.DictReader(open(
 *         'data/ref/source/countrycode_codelist_without_cldr.csv')) if r['un.name.en']))"
 *     prints 193.
 *   - 311 CAMEO event codes: `tail -n +2 data/ref/source/CAMEO.eventcodes.txt | wc -l`.
 *   - 39 distinct actor types: `tail -n +2 data/ref/source/CAMEO.type.txt | cut -f1 | sort -u
 *     | wc -l` (the file lists UIS twice).
 *   - 220 ViEWS countries: `tail -n +2 data/ref/source/views_country_table.csv | wc -l`.
 *   - GW, ISO, FIPS spot values from the Gleditsch-Ward list (Gleditsch & Ward 1999, with
 *     microstates), ISO 3166-1 and FIPS 10-4 as published.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/err.h"
#include "harness.h"
#include "ref/ref.h"

/* ---- a whole delimited file in memory (tests only) ---- */

struct rows {
    size_t n; /* records after the header */
    size_t ncols;
    char **header;
    char ***rec; /* rec[i][j], NUL-terminated copies */
    size_t *nf;
};

static char *dup_slice(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    ck_assert_ptr_nonnull(p);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static struct rows load(const char *path, char delim, bool quoting)
{
    struct rows r = { 0, 0, NULL, NULL, NULL };
    struct gsi_csv c;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_msg(gsi_csv_open(&c, path, delim, quoting, &err) == 0, "%s: %s", path, err.msg);
    size_t cap = 0;
    bool first = true;
    int rc;
    while ((rc = gsi_csv_next(&c, &err)) != 0) {
        ck_assert_msg(rc > 0, "%s:%ld: %s", path, err.line, err.msg);
        char **f = malloc(c.nfields * sizeof *f);
        ck_assert_ptr_nonnull(f);
        for (size_t j = 0; j < c.nfields; j++)
            f[j] = dup_slice(c.field[j], c.flen[j]);
        if (first) {
            r.header = f;
            r.ncols = c.nfields;
            first = false;
            continue;
        }
        struct gsi_array_ref grow[] = { GSI_ARRAY_REF(r.rec), GSI_ARRAY_REF(r.nf) };
        ck_assert_int_eq(gsi_arrays_grow(grow, 2, &cap, r.n + 1, 64), 0);
        r.rec[r.n] = f;
        r.nf[r.n] = c.nfields;
        r.n++;
    }
    gsi_csv_close(&c);
    return r;
}

static void unload(struct rows *r)
{
    for (size_t i = 0; i < r->n; i++) {
        for (size_t j = 0; j < r->nf[i]; j++)
            free(r->rec[i][j]);
        free(r->rec[i]);
    }
    for (size_t j = 0; j < r->ncols; j++)
        free(r->header[j]);
    free(r->header);
    free(r->rec);
    free(r->nf);
}

static size_t col(const struct rows *r, const char *name)
{
    for (size_t j = 0; j < r->ncols; j++) {
        if (strcmp(r->header[j], name) == 0)
            return j;
    }
    ck_abort_msg("no column %s", name);
    return 0;
}

static const char *cell(const struct rows *r, size_t i, size_t j)
{
    ck_assert_msg(j < r->nf[i], "row %zu has %zu fields", i + 2, r->nf[i]);
    return r->rec[i][j];
}

static int num(const char *s)
{
    return s[0] == '\0' ? 0 : (int)strtol(s, NULL, 10);
}

/* A lookup's ISO3, or "(none)", so a failed lookup fails the check instead of crashing. */
static const char *iso3_of(const struct ref_country *c)
{
    return c != NULL ? c->iso3 : "(none)";
}

static const struct ref_country *iso3(const char *s)
{
    return ref_country_by_iso3(s, strlen(s));
}

/* ---- countries ---- */

/* The compiled table equals data/ref/countries.csv, row by row and field by field. */
START_TEST(countries_equal_shipped_csv)
{
    struct rows r = load(source_path("data/ref/countries.csv"), ',', true);
    ck_assert_uint_eq(r.ncols, 11);
    ck_assert_uint_eq(ref_country_count(), r.n);
    for (size_t i = 0; i < r.n; i++) {
        const struct ref_country *c = ref_country_at(i);
        ck_assert_ptr_nonnull(c);
        ck_assert_str_eq(c->iso3, cell(&r, i, 0));
        ck_assert_str_eq(c->iso2, cell(&r, i, 1));
        ck_assert_int_eq(c->isonum, num(cell(&r, i, 2)));
        ck_assert_str_eq(c->fips, cell(&r, i, 3));
        ck_assert_int_eq(c->gw, num(cell(&r, i, 4)));
        ck_assert_int_eq(c->cow, num(cell(&r, i, 5)));
        ck_assert_str_eq(c->cameo, cell(&r, i, 6));
        ck_assert_str_eq(c->name, cell(&r, i, 7));
        ck_assert_str_eq(c->region, cell(&r, i, 8));
        ck_assert_int_eq(c->un_member, strcmp(cell(&r, i, 9), "1") == 0);
        ck_assert_int_eq(c->un_observer, strcmp(cell(&r, i, 10), "1") == 0);
        ck_assert_uint_eq(ref_country_index(c), i);
        ck_assert_ptr_eq(iso3(c->iso3), c);
        if (c->iso2[0] != '\0')
            ck_assert_ptr_eq(ref_country_by_iso2(c->iso2, 2), c);
        if (c->fips[0] != '\0')
            ck_assert_ptr_eq(ref_country_by_fips(c->fips, 2), c);
        if (c->cameo[0] != '\0')
            ck_assert_ptr_eq(ref_country_by_cameo(c->cameo, 3), c);
        if (c->isonum != 0)
            ck_assert_ptr_eq(ref_country_by_isonum(c->isonum), c);
        if (c->gw != 0)
            ck_assert_int_eq(ref_country_by_gw(c->gw)->gw, c->gw);
        if (i > 0)
            ck_assert_int_lt(strcmp(ref_country_at(i - 1)->iso3, c->iso3), 0);
    }
    ck_assert_ptr_null(ref_country_at(r.n));
    unload(&r);
}
END_TEST

/* Every row of countrycode's list that has an ISO3 code is in the table with the list's
 * values; the only departures are the documented ones (docs/internals/ref.md). */
START_TEST(countries_match_countrycode)
{
    struct rows r =
        load(source_path("data/ref/source/countrycode_codelist_without_cldr.csv"), ',', true);
    struct rows v = load(source_path("data/ref/source/views_country_table.csv"), ',', true);
    size_t ci3 = col(&r, "iso3c"), ci2 = col(&r, "iso2c"), cn = col(&r, "iso3n"),
           cf = col(&r, "fips"), cg = col(&r, "gwn"), cc = col(&r, "cown"),
           cname = col(&r, "country.name.en"), ccont = col(&r, "continent"),
           cunreg = col(&r, "un.region.name"), cun = col(&r, "un.name.en");
    size_t vi3 = col(&v, "isoab"), vg = col(&v, "gwcode");
    size_t seen = 0;
    for (size_t i = 0; i < r.n; i++) {
        const char *code = cell(&r, i, ci3);
        if (code[0] == '\0')
            continue;
        seen++;
        const struct ref_country *c = iso3(code);
        ck_assert_msg(c != NULL, "%s missing", code);
        ck_assert_str_eq(c->iso2, cell(&r, i, ci2));
        ck_assert_int_eq(c->isonum, num(cell(&r, i, cn)));
        if (strcmp(code, "SSD") == 0) { /* FIPS gaps, filled as GDELT writes them */
            ck_assert_str_eq(c->fips, "OD");
        } else if (strcmp(code, "MAF") == 0) {
            ck_assert_str_eq(c->fips, "RN");
        } else {
            ck_assert_str_eq(c->fips, cell(&r, i, cf));
        }
        /* GW: the ViEWS table's number where it lists the country, else countrycode's. */
        int gw = num(cell(&r, i, cg));
        for (size_t k = 0; k < v.n; k++) {
            if (strcmp(cell(&v, k, vi3), code) == 0) {
                gw = num(cell(&v, k, vg));
                break;
            }
        }
        ck_assert_int_eq(c->gw, gw);
        ck_assert_int_eq(c->cow, num(cell(&r, i, cc)));
        ck_assert_str_eq(c->cameo, code);
        ck_assert_str_eq(c->name, cell(&r, i, cname));
        const char *region = cell(&r, i, ccont);
        ck_assert_str_eq(c->region, region[0] != '\0' ? region : cell(&r, i, cunreg));
        ck_assert_int_eq(c->un_member, cell(&r, i, cun)[0] != '\0');
        ck_assert_int_eq(c->un_observer, strcmp(code, "VAT") == 0 || strcmp(code, "PSE") == 0);
    }
    /* The rows beyond countrycode's: Kosovo and six former states. */
    ck_assert_uint_eq(ref_country_count(), seen + 7);
    unload(&r);
    unload(&v);
}
END_TEST

START_TEST(fips_aliases)
{
    struct rows r = load(source_path("data/ref/fips_aliases.csv"), ',', true);
    ck_assert_uint_eq(r.n, 2);
    for (size_t i = 0; i < r.n; i++) {
        const struct ref_country *c = ref_country_by_fips(cell(&r, i, 0), 2);
        ck_assert_str_eq(iso3_of(c), cell(&r, i, 1));
        ck_assert_str_ne(c->fips, cell(&r, i, 0));
    }
    unload(&r);
}
END_TEST

/* Every country is found by its own name, every alias of country_aliases.csv by the alias. */
START_TEST(names_and_aliases)
{
    for (size_t i = 0; i < ref_country_count(); i++) {
        const struct ref_country *c = ref_country_at(i);
        ck_assert_ptr_eq(ref_country_by_name(c->name, strlen(c->name)), c);
    }
    struct rows r = load(source_path("data/ref/country_aliases.csv"), ',', true);
    ck_assert_uint_gt(r.n, 0);
    for (size_t i = 0; i < r.n; i++) {
        const char *alias = cell(&r, i, 0);
        ck_assert_str_eq(iso3_of(ref_country_by_name(alias, strlen(alias))), cell(&r, i, 1));
    }
    unload(&r);
    /* names as ICEWS writes them (data/ref/country_aliases.csv: used_by ICEWS) */
    ck_assert_str_eq(iso3_of(ref_country_by_name("Russian Federation", 18)), "RUS");
    ck_assert_str_eq(iso3_of(ref_country_by_name("Occupied Palestinian Territory", 30)), "PSE");
    ck_assert_str_eq(iso3_of(ref_country_by_name("Ethiopia", 8)), "ETH");
    ck_assert_str_eq(iso3_of(ref_country_by_name("Curaçao", strlen("Curaçao"))), "CUW");
    ck_assert_ptr_null(ref_country_by_name("ethiopia", 8)); /* exact, case-sensitive */
    ck_assert_ptr_null(ref_country_by_name("Ethiopi", 7));
    ck_assert_ptr_null(ref_country_by_name("Ethiopia ", 9));
    ck_assert_ptr_null(ref_country_by_name("", 0));
    ck_assert_ptr_null(ref_country_by_name(NULL, 0));
    ck_assert_str_eq(iso3_of(ref_country_by_name("Ethiopia, and more", 8)), "ETH");
}
END_TEST

START_TEST(un_membership)
{
    size_t members = 0, observers = 0;
    for (size_t i = 0; i < ref_country_count(); i++) {
        members += ref_country_at(i)->un_member;
        observers += ref_country_at(i)->un_observer;
    }
    ck_assert_uint_eq(members, 193);
    ck_assert_uint_eq(observers, 2);
    ck_assert(iso3("VAT")->un_observer && !iso3("VAT")->un_member);
    ck_assert(iso3("PSE")->un_observer && !iso3("PSE")->un_member);
    ck_assert(iso3("SSD")->un_member); /* admitted 2011 */
    ck_assert(!iso3("TWN")->un_member);
    ck_assert(!iso3("XKX")->un_member);
}
END_TEST

START_TEST(country_lookups)
{
    /* FIPS 10-4 as GDELT writes it */
    ck_assert_str_eq(iso3_of(ref_country_by_fips("OD", 2)), "SSD");
    ck_assert_str_eq(iso3_of(ref_country_by_fips("UP", 2)), "UKR");
    ck_assert_str_eq(iso3_of(ref_country_by_fips("KV", 2)), "XKX");
    ck_assert_str_eq(iso3_of(ref_country_by_fips("RS", 2)), "RUS");
    ck_assert_str_eq(iso3_of(ref_country_by_fips("SU", 2)), "SDN");
    ck_assert_str_eq(iso3_of(ref_country_by_fips("GM", 2)), "DEU");
    ck_assert_str_eq(iso3_of(ref_country_by_fips("UK", 2)), "GBR");
    ck_assert_str_eq(iso3_of(ref_country_by_fips("WE", 2)), "PSE");
    /* codes GDELT writes that countrycode's list lacks (place names in the shipped exports:
     * "Gaza Strip", "Belgrade, Serbia", "Saint Martin") */
    ck_assert_str_eq(iso3_of(ref_country_by_fips("GZ", 2)), "PSE");
    ck_assert_str_eq(iso3_of(ref_country_by_fips("RB", 2)), "SRB");
    ck_assert_str_eq(iso3_of(ref_country_by_fips("RN", 2)), "MAF");
    ck_assert_str_eq(iso3_of(ref_country_by_fips("RI", 2)), "SRB");
    ck_assert_str_eq(iso3("PSE")->fips, "WE");        /* an alias is not the row's own code */
    ck_assert_ptr_null(ref_country_by_fips("OS", 2)); /* GDELT's "Oceans" */
    /* CAMEO */
    ck_assert_str_eq(iso3_of(ref_country_by_cameo("RUS", 3)), "RUS");
    ck_assert_str_eq(iso3_of(ref_country_by_cameo("KOS", 3)), "XKX");
    ck_assert_ptr_null(ref_country_by_cameo("XKX", 3));
    ck_assert_ptr_null(ref_country_by_cameo("AFR", 3)); /* a region, not a country */
    /* ISO */
    ck_assert_str_eq(iso3_of(ref_country_by_iso2("ET", 2)), "ETH");
    ck_assert_str_eq(iso3_of(ref_country_by_iso2("XK", 2)), "XKX");
    ck_assert_str_eq(iso3_of(ref_country_by_isonum(231)), "ETH");
    ck_assert_str_eq(iso3_of(ref_country_by_isonum(728)), "SSD");
    ck_assert_str_eq(iso3_of(ref_country_by_isonum(4)), "AFG");
    ck_assert_str_eq(iso3_of(ref_country_by_isonum(840)), "USA");
    ck_assert_ptr_null(ref_country_by_isonum(0));
    ck_assert_ptr_null(ref_country_by_isonum(999));
    /* Gleditsch-Ward */
    ck_assert_str_eq(iso3_of(ref_country_by_gw(530)), "ETH");
    ck_assert_str_eq(iso3_of(ref_country_by_gw(678)), "YEM");
    ck_assert_str_eq(iso3_of(ref_country_by_gw(680)), "YMD");
    ck_assert_str_eq(iso3_of(ref_country_by_gw(347)), "XKX");
    ck_assert_str_eq(iso3_of(ref_country_by_gw(626)), "SSD");
    ck_assert_str_eq(iso3_of(ref_country_by_gw(625)), "SDN");
    ck_assert_str_eq(iso3_of(ref_country_by_gw(2)), "USA");
    ck_assert_str_eq(iso3_of(ref_country_by_gw(365)), "RUS"); /* not the USSR */
    ck_assert_str_eq(iso3_of(ref_country_by_gw(265)), "DDR");
    ck_assert_str_eq(iso3_of(ref_country_by_gw(816)), "VNM");
    ck_assert_str_eq(iso3_of(ref_country_by_gw(990)), "WSM"); /* GW microstate */
    ck_assert_ptr_null(ref_country_by_gw(0));
    ck_assert_ptr_null(ref_country_by_gw(-1));
    ck_assert_ptr_null(ref_country_by_gw(999));
    /* Kosovo in full */
    const struct ref_country *k = iso3("XKX");
    ck_assert_str_eq(k->fips, "KV");
    ck_assert_int_eq(k->gw, 347);
    ck_assert_str_eq(k->cameo, "KOS");
    /* exact matching only */
    ck_assert_ptr_null(ref_country_by_iso3("rus", 3));
    ck_assert_ptr_null(ref_country_by_iso3("RUS", 2));
    ck_assert_ptr_null(ref_country_by_iso3("RUSS", 4));
    ck_assert_ptr_null(ref_country_by_iso3(" RU", 3));
    ck_assert_ptr_null(ref_country_by_iso3(NULL, 3));
    ck_assert_ptr_null(ref_country_by_iso3("ZZZ", 3));
    ck_assert_ptr_null(ref_country_by_iso2("", 0));
    ck_assert_ptr_null(ref_country_by_fips("O\0", 2));
    ck_assert_ptr_nonnull(ref_country_by_iso3("RUSX", 3)); /* only n bytes are read */
    /* a pointer that is not a row */
    struct ref_country other = *iso3("ETH");
    ck_assert_uint_eq(ref_country_index(&other), ref_country_count());
    ck_assert_uint_eq(ref_country_index(NULL), ref_country_count());
}
END_TEST

/* ---- ViEWS ---- */

START_TEST(views_match_source)
{
    struct rows r = load(source_path("data/ref/source/views_country_table.csv"), ',', true);
    ck_assert_uint_eq(r.n, 220);
    ck_assert_uint_eq(ref_views_country_count(), r.n);
    size_t cid = col(&r, "id"), cname = col(&r, "name"), cg = col(&r, "gwcode"),
           ci = col(&r, "isoab"), cn = col(&r, "isonum");
    for (size_t i = 0; i < r.n; i++) {
        const struct ref_views_country *v = ref_views_country_at(i);
        ck_assert_int_eq(v->id, num(cell(&r, i, cid)));
        ck_assert_str_eq(v->name, cell(&r, i, cname));
        ck_assert_int_eq(v->gw, num(cell(&r, i, cg)));
        ck_assert_str_eq(v->iso3, cell(&r, i, ci));
        ck_assert_int_eq(v->isonum, num(cell(&r, i, cn)));
        ck_assert_ptr_eq(ref_views_country_by_id(v->id), v);
        /* every ISO3 the ViEWS table uses resolves to a country */
        if (v->iso3[0] != '\0')
            ck_assert_msg(iso3(v->iso3) != NULL, "%s", v->iso3);
    }
    ck_assert_ptr_null(ref_views_country_at(r.n));
    ck_assert_ptr_null(ref_views_country_by_id(0));
    ck_assert_ptr_null(ref_views_country_by_id(100000));
    ck_assert_str_eq(ref_views_country_by_id(57)->iso3, "ETH");
    ck_assert_int_eq(ref_views_country_by_id(246)->gw, 626);
    unload(&r);
}
END_TEST

/* ---- CAMEO ---- */

START_TEST(cameo_events_match_source)
{
    struct rows d = load(source_path("data/ref/source/CAMEO.eventcodes.txt"), '\t', false);
    struct rows g = load(source_path("data/ref/source/CAMEO.goldsteinscale.txt"), '\t', false);
    ck_assert_uint_eq(d.n, 311);
    ck_assert_uint_eq(g.n, 311);
    ck_assert_uint_eq(ref_cameo_event_count(), 311);
    for (size_t i = 0; i < d.n; i++) {
        const char *code = cell(&d, i, 0);
        const struct ref_cameo_event *e = ref_cameo_event_at(i);
        ck_assert_str_eq(e->code, code);
        ck_assert_str_eq(e->description, cell(&d, i, 1));
        ck_assert_ptr_eq(ref_cameo_event_by_code(code, strlen(code)), e);
        ck_assert_int_eq(e->root, (code[0] - '0') * 10 + (code[1] - '0'));
        ck_assert_int_eq(e->quad_class, ref_cameo_quad_class(e->root));
        bool found = false;
        for (size_t k = 0; k < g.n; k++) {
            if (strcmp(cell(&g, k, 0), code) == 0) {
                ck_assert_double_eq(e->goldstein, strtod(cell(&g, k, 1), NULL));
                found = true;
            }
        }
        ck_assert_msg(found, "%s has no Goldstein value", code);
    }
    unload(&d);
    unload(&g);
}
END_TEST

START_TEST(cameo_lookups)
{
    /* QuadClass as GDELT 2.0 assigns it per root; checked on all 25,270 shipped events with
     *   cat EXPORTS | awk -F'\t' '{print $29, $30}' | sort -u
     * (EventRootCode, QuadClass): 01-05 → 1, 06-09 → 2, 10-14 → 3, 15-20 → 4. */
    static const int quad[21] = { 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4 };
    for (int r = 0; r <= 20; r++)
        ck_assert_int_eq(ref_cameo_quad_class(r), quad[r]);
    ck_assert_int_eq(ref_cameo_quad_class(21), 0);
    ck_assert_int_eq(ref_cameo_quad_class(-1), 0);

    const struct ref_cameo_event *e = ref_cameo_event_by_code("190", 3);
    ck_assert_str_eq(e->description, "Use conventional military force, not specified below");
    ck_assert_double_eq(e->goldstein, -10.0);
    ck_assert_int_eq(e->quad_class, 4);
    ck_assert_int_eq(e->root, 19);
    e = ref_cameo_event_by_code("043", 3);
    ck_assert_double_eq(e->goldstein, 2.8); /* matches GoldsteinScale in the GDELT exports */
    ck_assert_int_eq(e->quad_class, 1);
    e = ref_cameo_event_by_code("0231", 4);
    ck_assert_int_eq(e->root, 2);
    ck_assert_ptr_nonnull(ref_cameo_event_by_code("20", 2));
    ck_assert_ptr_nonnull(ref_cameo_event_by_code("01", 2));
    ck_assert_ptr_null(ref_cameo_event_by_code("1", 1));
    ck_assert_ptr_null(ref_cameo_event_by_code("999", 3));
    ck_assert_ptr_null(ref_cameo_event_by_code("00", 2));
    ck_assert_ptr_null(ref_cameo_event_by_code("19a", 3));
    ck_assert_ptr_null(ref_cameo_event_by_code("19000", 5));
    ck_assert_ptr_null(ref_cameo_event_by_code(NULL, 3));
    ck_assert_ptr_null(ref_cameo_event_at(311));
}
END_TEST

START_TEST(cameo_types_match_source)
{
    struct rows t = load(source_path("data/ref/source/CAMEO.type.txt"), '\t', false);
    ck_assert_uint_eq(t.n, 40);
    ck_assert_uint_eq(ref_cameo_type_count(), 39);
    for (size_t i = 0; i < t.n; i++) {
        const char *code = cell(&t, i, 0);
        const struct ref_cameo_type *ty = ref_cameo_type_by_code(code, strlen(code));
        ck_assert_msg(ty != NULL, "%s", code);
        ck_assert_str_eq(ty->label, cell(&t, i, 1));
    }
    for (size_t i = 0; i < ref_cameo_type_count(); i++) {
        const struct ref_cameo_type *ty = ref_cameo_type_at(i);
        ck_assert_ptr_eq(ref_cameo_type_by_code(ty->code, strlen(ty->code)), ty);
    }
    ck_assert_str_eq(ref_cameo_type_by_code("GOV", 3)->label, "Government");
    ck_assert_str_eq(ref_cameo_type_by_code("REB", 3)->label, "Rebels");
    ck_assert_ptr_null(ref_cameo_type_by_code("gov", 3));
    ck_assert_ptr_null(ref_cameo_type_by_code("XYZ", 3));
    ck_assert_ptr_null(ref_cameo_type_at(39));
    unload(&t);
}
END_TEST

/* ---- domains and Article 33 ---- */

START_TEST(domains)
{
    struct rows r = load(source_path("data/ref/domains.csv"), ',', true);
    ck_assert_uint_eq(r.n, 20);
    ck_assert_uint_eq(ref_domain_count(), 20);
    for (size_t i = 0; i < r.n; i++) {
        const struct ref_domain *d = ref_domain_at(i);
        ck_assert_int_eq(d->number, (int)i + 1);
        ck_assert_int_eq(d->number, num(cell(&r, i, 0)));
        ck_assert_str_eq(d->key, cell(&r, i, 1));
        ck_assert_str_eq(d->name, cell(&r, i, 2));
        ck_assert_str_eq(d->feature, cell(&r, i, 3));
        ck_assert_ptr_eq(ref_domain_by_key(d->key, strlen(d->key)), d);
    }
    /* names as GSI-MAP.md part III gives them */
    ck_assert_str_eq(ref_domain_by_key("nuclear", 7)->name, "nuclear war prevention, NPT");
    ck_assert_int_eq(ref_domain_by_key("conflict-prevention", 19)->number, 1);
    ck_assert_str_eq(ref_domain_at(9)->name, "Pacific islands");
    ck_assert_str_eq(ref_domain_at(16)->name, "public health");
    ck_assert_ptr_null(ref_domain_by_key("nuclea", 6));
    ck_assert_ptr_null(ref_domain_by_key("nuclearx", 8));
    ck_assert_ptr_null(ref_domain_by_key("", 0));
    ck_assert_ptr_null(ref_domain_by_key(NULL, 0));
    ck_assert_ptr_null(ref_domain_at(20));
    unload(&r);
}
END_TEST

START_TEST(charter33)
{
    /* UN Charter, Article 33(1): "... shall, first of all, seek a solution by negotiation,
     * enquiry, mediation, conciliation, arbitration, judicial settlement, resort to regional
     * agencies or arrangements, or other peaceful means of their own choice." */
    static const char *means[] = { "negotiation",
                                   "enquiry",
                                   "mediation",
                                   "conciliation",
                                   "arbitration",
                                   "judicial settlement",
                                   "resort to regional agencies or arrangements",
                                   "other peaceful means of their own choice" };
    ck_assert_uint_eq(ref_charter33_count(), 8);
    for (size_t i = 0; i < 8; i++)
        ck_assert_str_eq(ref_charter33_at(i), means[i]);
    ck_assert_ptr_null(ref_charter33_at(8));
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("ref");
    TCase *tc = tcase_create("ref");
    tcase_add_test(tc, countries_equal_shipped_csv);
    tcase_add_test(tc, countries_match_countrycode);
    tcase_add_test(tc, fips_aliases);
    tcase_add_test(tc, names_and_aliases);
    tcase_add_test(tc, un_membership);
    tcase_add_test(tc, country_lookups);
    tcase_add_test(tc, views_match_source);
    tcase_add_test(tc, cameo_events_match_source);
    tcase_add_test(tc, cameo_lookups);
    tcase_add_test(tc, cameo_types_match_source);
    tcase_add_test(tc, domains);
    tcase_add_test(tc, charter33);
    suite_add_tcase(s, tc);
    return s;
}
