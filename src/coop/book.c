/* book.c — offers and requests from text to the engine's indices (book.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coop/book.h"
#include "core/buf.h"
#include "core/date.h"
#include "ref/ref.h"

void coop_book_init(struct coop_book *b)
{
    memset(b, 0, sizeof *b);
}

static void strings_free(char **v, size_t n)
{
    for (size_t i = 0; v != NULL && i < n; i++) {
        free(v[i]);
    }
    free(v);
}

void coop_book_release(struct coop_book *b)
{
    strings_free(b->offer_ids, b->noffers);
    strings_free(b->offer_parties, b->noffers);
    strings_free(b->req_ids, b->nreqs);
    strings_free(b->req_parties, b->nreqs);
    strings_free(b->parties, b->nparties);
    for (size_t i = 0; i < b->nlanguages; i++) {
        free(b->languages[i]);
    }
    for (size_t i = 0; i < b->nregions; i++) {
        free(b->regions[i]);
    }
    free(b->offers);
    free(b->reqs);
    memset(b, 0, sizeof *b);
}

/* 1 when s is 1..max bytes, each in the allowed set. */
static int text_ok(const char *s, size_t max, const char *extra, int lower, int upper)
{
    size_t n = s != NULL ? strlen(s) : 0;
    if (n == 0 || n > max) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int ok = (c >= '0' && c <= '9') || (upper && c >= 'A' && c <= 'Z') ||
                 (lower && c >= 'a' && c <= 'z') || strchr(extra, c) != NULL;
        if (!ok || c == '\0') {
            return 0;
        }
    }
    return 1;
}

static int language_ok(const char *s)
{
    size_t n = s != NULL ? strlen(s) : 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 'a' || s[i] > 'z') {
            return 0;
        }
    }
    return n == 2 || n == 3;
}

/* 1 when some country of ref has this UN region. */
static int region_known(const char *s)
{
    for (size_t i = 0; s != NULL && i < ref_country_count(); i++) {
        if (strcmp(ref_country_at(i)->region, s) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Index of s in names[0 .. *n), added when new. */
static int name_index(uint32_t *out, char **names, size_t *n, const char *s, const char *what,
                      struct gsi_err *err)
{
    for (size_t i = 0; i < *n; i++) {
        if (strcmp(names[i], s) == 0) {
            *out = (uint32_t)i;
            return 0;
        }
    }
    if (*n == COOP_LANGUAGES_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "%s: at most %u different ones in one run", what,
                           COOP_LANGUAGES_MAX);
    }
    names[*n] = strdup(s);
    if (names[*n] == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    *out = (uint32_t)(*n)++;
    return 0;
}

static int languages_mask(uint64_t *mask, struct coop_book *b, const struct coop_entry *e,
                          struct gsi_err *err)
{
    *mask = 0;
    if (e->nlanguages == 0 || e->nlanguages > COOP_ENTRY_LIST_MAX) {
        return gsi_err_set(err, GSI_EDATA, "languages: expected 1 to %u ISO 639 codes",
                           COOP_ENTRY_LIST_MAX);
    }
    for (size_t i = 0; i < e->nlanguages; i++) {
        uint32_t k = 0;
        if (!language_ok(e->languages[i])) {
            return gsi_err_set(err, GSI_EDATA,
                               "languages/%zu: expected an ISO 639 code of 2 or 3 lower-case "
                               "letters such as \"en\"",
                               i);
        }
        int rc = name_index(&k, b->languages, &b->nlanguages, e->languages[i], "languages", err);
        if (rc < 0) {
            return rc;
        }
        *mask |= (uint64_t)1 << k;
    }
    return 0;
}

/* `i` names the list item (offers' "regions/i"), or is SIZE_MAX for a request's "region". */
static int region_index(uint32_t *out, struct coop_book *b, const char *s, size_t i,
                        struct gsi_err *err)
{
    if (!region_known(s)) {
        char field[32] = "region";
        if (i != SIZE_MAX) {
            snprintf(field, sizeof field, "regions/%zu", i);
        }
        return gsi_err_set(err, GSI_EDATA,
                           "%s: expected a UN region (Africa, Americas, Asia, Europe, Oceania)",
                           field);
    }
    return name_index(out, b->regions, &b->nregions, s, "regions", err);
}

static int date_field(int32_t *day, const char *s, const char *field, struct gsi_err *err)
{
    if (s == NULL || gsi_date_parse(day, s, strlen(s)) < 0 || strlen(s) != 10) {
        return gsi_err_set(err, GSI_EDATA, "%s: expected a date YYYY-MM-DD", field);
    }
    return 0;
}

/* The fields offers and requests share: id, party, domain, places. */
static int common_check(uint32_t *domain, const struct coop_entry *e, long long min_places,
                        struct gsi_err *err)
{
    if (!text_ok(e->id, COOP_ID_MAX, "._:-", 1, 1)) {
        return gsi_err_set(err, GSI_EDATA, "id: expected 1 to %u of A-Z a-z 0-9 . _ : -",
                           COOP_ID_MAX);
    }
    if (!text_ok(e->party, COOP_PARTY_ID_MAX, "-", 0, 1)) {
        return gsi_err_set(err, GSI_EDATA, "party: expected a party id such as \"KEN\"");
    }
    const struct ref_domain *d =
        e->domain != NULL ? ref_domain_by_key(e->domain, strlen(e->domain)) : NULL;
    if (d == NULL) {
        return gsi_err_set(err, GSI_EDATA,
                           "domain: expected one of the 20 domain keys such as "
                           "\"wmd-arms-control\" or \"transnational-crime\"");
    }
    if (e->places < min_places || e->places > COOP_PLACES_MAX) {
        return gsi_err_set(err, GSI_EDATA, "places: expected a whole number in [%lld, %u]",
                           min_places, COOP_PLACES_MAX);
    }
    *domain = (uint32_t)d->number;
    return 0;
}

/* Grows the parallel arrays of offers (which = 0) or requests (1) by one. */
static int book_grow(struct coop_book *b, int which)
{
    size_t n = which == 0 ? b->noffers : b->nreqs;
    size_t *cap = which == 0 ? &b->offers_cap : &b->reqs_cap;
    size_t old = *cap;
    int rc = which == 0 ? gsi_array_reserve((void **)&b->offers, cap, n + 1, sizeof *b->offers, 64)
                        : gsi_array_reserve((void **)&b->reqs, cap, n + 1, sizeof *b->reqs, 64);
    if (rc < 0 || *cap == old) {
        return rc;
    }
    char ***ids = which == 0 ? &b->offer_ids : &b->req_ids;
    char ***parties = which == 0 ? &b->offer_parties : &b->req_parties;
    char **v = realloc(*ids, *cap * sizeof *v);
    if (v == NULL) {
        return GSI_ENOMEM;
    }
    *ids = v;
    v = realloc(*parties, *cap * sizeof *v);
    if (v == NULL) {
        return GSI_ENOMEM;
    }
    *parties = v;
    return 0;
}

/* Makes room for one more offer (which = 0) or request (1) and stores the entry's id and
 * party beside it; the caller then stores the row. */
static int book_room(struct coop_book *b, int which, const struct coop_entry *e,
                     struct gsi_err *err)
{
    size_t n = which == 0 ? b->noffers : b->nreqs;
    if (n >= (which == 0 ? COOP_OFFERS_MAX : COOP_REQUESTS_MAX)) {
        return gsi_err_set(err, GSI_ELIMIT, "at most %u %s", which == 0 ? COOP_OFFERS_MAX
                                                                        : COOP_REQUESTS_MAX,
                           which == 0 ? "offers" : "requests");
    }
    if (book_grow(b, which) < 0) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    char **ids = which == 0 ? b->offer_ids : b->req_ids;
    char **parties = which == 0 ? b->offer_parties : b->req_parties;
    ids[n] = strdup(e->id);
    parties[n] = strdup(e->party);
    if (ids[n] == NULL || parties[n] == NULL) {
        free(ids[n]);
        free(parties[n]);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    return 0;
}

int coop_book_offer_add(struct coop_book *b, const struct coop_entry *e, struct gsi_err *err)
{
    struct coop_offer o = {0};
    int rc = common_check(&o.domain, e, 0, err);
    rc = rc < 0 ? rc : date_field(&o.start, e->start, "start", err);
    rc = rc < 0 ? rc : date_field(&o.end, e->end, "end", err);
    if (rc == 0 && o.end < o.start) {
        rc = gsi_err_set(err, GSI_EDATA, "end: expected a date on or after start");
    }
    if (rc == 0 && e->nregions > COOP_ENTRY_LIST_MAX) {
        rc = gsi_err_set(err, GSI_EDATA, "regions: expected at most %u regions",
                         COOP_ENTRY_LIST_MAX);
    }
    for (size_t i = 0; rc == 0 && i < e->nregions; i++) {
        uint32_t k = 0;
        rc = region_index(&k, b, e->regions[i], i, err);
        o.regions |= (uint64_t)1 << k;
    }
    rc = rc < 0 ? rc : languages_mask(&o.languages, b, e, err);
    o.places = (uint32_t)e->places;
    rc = rc < 0 ? rc : book_room(b, 0, e, err);
    if (rc == 0) {
        b->offers[b->noffers++] = o;
    }
    return rc;
}

/* The request's region: the one it names, or its party's UN region. */
static int request_region(uint32_t *out, struct coop_book *b, const struct coop_entry *e,
                          struct gsi_err *err)
{
    if (e->nregions > 1) {
        return gsi_err_set(err, GSI_EDATA, "region: expected one region");
    }
    if (e->nregions == 1) {
        return region_index(out, b, e->regions[0], SIZE_MAX, err);
    }
    const struct ref_country *c = ref_country_by_iso3(e->party, strlen(e->party));
    if (c == NULL || c->region[0] == '\0') {
        return gsi_err_set(err, GSI_EDATA,
                           "region: expected the region the places are for (\"%s\" is not a "
                           "country with a UN region)",
                           e->party);
    }
    return name_index(out, b->regions, &b->nregions, c->region, "regions", err);
}

int coop_book_request_add(struct coop_book *b, const struct coop_entry *e, struct gsi_err *err)
{
    struct coop_request r = {.from = COOP_DAY_MIN, .to = COOP_DAY_MAX};
    int rc = common_check(&r.domain, e, 1, err);
    if (rc == 0 && e->start != NULL && e->start[0] != '\0') {
        rc = date_field(&r.from, e->start, "start", err);
    }
    if (rc == 0 && e->end != NULL && e->end[0] != '\0') {
        rc = date_field(&r.to, e->end, "end", err);
    }
    if (rc == 0 && r.to < r.from) {
        rc = gsi_err_set(err, GSI_EDATA, "end: expected a date on or after start");
    }
    rc = rc < 0 ? rc : request_region(&r.region, b, e, err);
    rc = rc < 0 ? rc : languages_mask(&r.languages, b, e, err);
    r.places = (uint32_t)e->places;
    rc = rc < 0 ? rc : book_room(b, 1, e, err);
    if (rc == 0) {
        b->reqs[b->nreqs++] = r;
    }
    return rc;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int coop_book_finish(struct coop_book *b, struct gsi_err *err)
{
    char **sorted = malloc((b->nreqs > 0 ? b->nreqs : 1) * sizeof *sorted);
    if (sorted == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    if (b->nreqs > 0) {
        memcpy(sorted, b->req_parties, b->nreqs * sizeof *sorted);
        qsort(sorted, b->nreqs, sizeof *sorted, str_cmp);
    }
    size_t n = 0;
    for (size_t i = 0; i < b->nreqs; i++) {
        if (n == 0 || strcmp(sorted[n - 1], sorted[i]) != 0) {
            sorted[n++] = sorted[i];
        }
    }
    if (n > COOP_PARTIES_MAX) {
        free(sorted);
        return gsi_err_set(err, GSI_ELIMIT, "at most %u requesting parties", COOP_PARTIES_MAX);
    }
    b->parties = calloc(n > 0 ? n : 1, sizeof *b->parties);
    for (size_t i = 0; b->parties != NULL && i < n; i++) {
        b->parties[i] = strdup(sorted[i]);
        if (b->parties[i] == NULL) {
            strings_free(b->parties, i);
            b->parties = NULL;
        }
    }
    if (b->parties == NULL) {
        free(sorted);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    b->nparties = n;
    for (size_t r = 0; r < b->nreqs; r++) {
        char **hit = bsearch(&b->req_parties[r], sorted, n, sizeof *sorted, str_cmp);
        b->reqs[r].party = (uint32_t)(hit - sorted);
    }
    free(sorted);
    return 0;
}

void coop_reasons_format(char *buf, size_t cap, unsigned why)
{
    static const char *const names[] = {"domain", "language", "region", "dates"};
    size_t len = 0;
    if (cap == 0) {
        return;
    }
    buf[0] = '\0';
    for (unsigned i = 0; i < 4; i++) {
        if ((why >> i & 1u) == 0) {
            continue;
        }
        int w = snprintf(buf + len, cap - len, "%s%s", len > 0 ? "," : "", names[i]);
        if (w < 0 || (size_t)w >= cap - len) {
            return;
        }
        len += (size_t)w;
    }
}
