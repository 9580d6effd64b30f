/* match.c — compatibility of an offer and a request, their checks, and the ranked matcher. */
#include <stdlib.h>
#include <string.h>

#include "coop/coop.h"
#include "core/buf.h"

unsigned coop_reasons(const struct coop_offer *o, const struct coop_request *r)
{
    unsigned why = 0;
    if (o->domain == r->domain) {
        why |= COOP_REASON_DOMAIN;
    }
    if ((o->languages & r->languages) != 0) {
        why |= COOP_REASON_LANGUAGE;
    }
    if (o->regions == 0 || (r->region < COOP_REGIONS_MAX && (o->regions >> r->region & 1u) != 0)) {
        why |= COOP_REASON_REGION;
    }
    if (r->from <= o->start && o->end <= r->to) {
        why |= COOP_REASON_DATES;
    }
    return why;
}

int coop_offer_check(const struct coop_offer *o, struct gsi_err *err)
{
    if (o->places > COOP_PLACES_MAX) {
        return gsi_err_set(err, GSI_EDATA, "places: expected a whole number in [0, %u]",
                           COOP_PLACES_MAX);
    }
    if (o->languages == 0) {
        return gsi_err_set(err, GSI_EDATA, "languages: expected at least one language");
    }
    if (o->end < o->start) {
        return gsi_err_set(err, GSI_EDATA, "end: expected a date on or after start");
    }
    return 0;
}

int coop_request_check(const struct coop_request *r, uint32_t nparties, struct gsi_err *err)
{
    if (r->places > COOP_PLACES_MAX) {
        return gsi_err_set(err, GSI_EDATA, "places: expected a whole number in [0, %u]",
                           COOP_PLACES_MAX);
    }
    if (r->party >= nparties) {
        return gsi_err_set(err, GSI_EDATA, "party: index %u is not below %u", r->party,
                           nparties);
    }
    if (r->region >= COOP_REGIONS_MAX) {
        return gsi_err_set(err, GSI_EDATA, "region: expected an index below %u",
                           COOP_REGIONS_MAX);
    }
    if (r->languages == 0) {
        return gsi_err_set(err, GSI_EDATA, "languages: expected at least one language");
    }
    if (r->to < r->from) {
        return gsi_err_set(err, GSI_EDATA, "to: expected a date on or after from");
    }
    return 0;
}

/* Number of reasons set: the first ranking key. */
static unsigned reasons_count(unsigned why)
{
    return (why & 1u) + (why >> 1 & 1u) + (why >> 2 & 1u) + (why >> 3 & 1u);
}

/* Ranks one request's candidates in place: more reasons, more places, lower offer index. */
struct ranked {
    unsigned nreasons;
    uint32_t places;
    uint32_t offer;
    unsigned reasons;
};

static int ranked_cmp(const void *a, const void *b)
{
    const struct ranked *x = a;
    const struct ranked *y = b;
    if (x->nreasons != y->nreasons) {
        return x->nreasons > y->nreasons ? -1 : 1;
    }
    if (x->places != y->places) {
        return x->places > y->places ? -1 : 1;
    }
    return x->offer < y->offer ? -1 : (x->offer > y->offer);
}

/* Appends request `ri`'s best matches to *out. */
static int match_one(struct coop_match **out, size_t *n, size_t *cap, struct ranked *cand,
                     const struct coop_offer *offers, size_t noffers,
                     const struct coop_request *r, uint32_t ri, size_t top, int compatible_only)
{
    size_t k = 0;
    for (size_t o = 0; o < noffers; o++) {
        unsigned why = coop_reasons(&offers[o], r);
        if ((why & COOP_REASON_DOMAIN) == 0 || (compatible_only && why != COOP_REASON_ALL)) {
            continue;
        }
        cand[k++] = (struct ranked){reasons_count(why), offers[o].places, (uint32_t)o, why};
    }
    qsort(cand, k, sizeof *cand, ranked_cmp);
    if (top != 0 && k > top) {
        k = top;
    }
    size_t c = *cap; /* through a local: the grow writes it back */
    if (GSI_ALLOC_GROW(*out, *n + k, c, 64) < 0) {
        return GSI_ENOMEM;
    }
    *cap = c;
    for (size_t i = 0; i < k; i++) {
        (*out)[(*n)++] = (struct coop_match){ri, cand[i].offer, cand[i].reasons};
    }
    return 0;
}

int coop_match_run(struct coop_match **out, size_t *n, const struct coop_offer *offers,
                   size_t noffers, const struct coop_request *reqs, size_t nreqs, size_t top,
                   int compatible_only, struct gsi_err *err)
{
    *out = NULL;
    *n = 0;
    if (noffers > COOP_OFFERS_MAX || nreqs > COOP_REQUESTS_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "at most %u offers and %u requests at a time",
                           COOP_OFFERS_MAX, COOP_REQUESTS_MAX);
    }
    struct ranked *cand = malloc((noffers > 0 ? noffers : 1) * sizeof *cand);
    if (cand == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory ranking matches");
    }
    size_t cap = 0;
    for (size_t r = 0; r < nreqs; r++) {
        if (match_one(out, n, &cap, cand, offers, noffers, &reqs[r], (uint32_t)r, top,
                      compatible_only) < 0) {
            free(cand);
            free(*out);
            *out = NULL;
            *n = 0;
            return gsi_err_set(err, GSI_ENOMEM, "out of memory ranking matches");
        }
    }
    free(cand);
    return 0;
}
