/* classes.c — merges requests of one party compatible with the same offers (internal.h). */
#include <stdlib.h>
#include <string.h>

#include "coop/internal.h"
#include "core/buf.h"

/* An offer with its domain, for the by-domain index. */
struct by_domain {
    uint32_t domain;
    uint32_t offer;
};

static int by_domain_cmp(const void *a, const void *b)
{
    const struct by_domain *x = a;
    const struct by_domain *y = b;
    if (x->domain != y->domain) {
        return x->domain < y->domain ? -1 : 1;
    }
    return x->offer < y->offer ? -1 : (x->offer > y->offer);
}

/* First entry of `idx` (sorted) with this domain, or n. */
static size_t domain_first(const struct by_domain *idx, size_t n, uint32_t domain)
{
    size_t lo = 0;
    size_t hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (idx[mid].domain < domain) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* FNV-1a over the party and the offer list. */
static uint64_t class_hash(uint32_t party, const uint32_t *offers, size_t n)
{
    uint64_t h = 1469598103934665603u;
    h = (h ^ party) * 1099511628211u;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ offers[i]) * 1099511628211u;
    }
    return h ^ (h >> 29);
}

static int class_equal(const struct coop_classes *cl, uint32_t c, uint32_t party,
                       const uint32_t *offers, size_t n)
{
    size_t len = cl->list[c + 1] - cl->list[c];
    return cl->party[c] == party && len == n &&
           memcmp(cl->pool + cl->list[c], offers, n * sizeof *offers) == 0;
}

/* Room for one more class in the per-class arrays. */
static int class_grow(struct coop_classes *cl)
{
    if (gsi_array_reserve((void **)&cl->party, &cl->cap, cl->n + 1, sizeof *cl->party, 256) < 0) {
        return GSI_ENOMEM;
    }
    int64_t *demand = realloc(cl->demand, cl->cap * sizeof *demand);
    if (demand == NULL) {
        return GSI_ENOMEM;
    }
    cl->demand = demand;
    size_t *list = realloc(cl->list, (cl->cap + 1) * sizeof *list);
    if (list == NULL) {
        return GSI_ENOMEM;
    }
    cl->list = list;
    return 0;
}

/* The class of (party, offers), made when new. The candidate list is already at the pool's
 * end (pool[npool .. npool + n)); a new class keeps it there, an old one drops it. */
static int class_find(uint32_t *out, struct coop_classes *cl, uint32_t party, size_t n)
{
    const uint32_t *offers = cl->pool + cl->npool;
    size_t slot = (size_t)class_hash(party, offers, n) & cl->mask;
    while (cl->slots[slot] != COOP_NO_CLASS) {
        if (class_equal(cl, cl->slots[slot], party, offers, n)) {
            *out = cl->slots[slot];
            return 0;
        }
        slot = (slot + 1) & cl->mask;
    }
    if (cl->n == cl->cap && class_grow(cl) < 0) {
        return GSI_ENOMEM;
    }
    uint32_t c = (uint32_t)cl->n++;
    cl->party[c] = party;
    cl->demand[c] = 0;
    cl->npool += n;
    cl->list[c + 1] = cl->npool;
    cl->slots[slot] = c;
    *out = c;
    return 0;
}

/* Writes request r's compatible offers at the pool's end; returns their number or < 0. */
static long compatible_offers(struct coop_classes *cl, const struct by_domain *idx,
                              size_t noffers, const struct coop_offer *offers,
                              const struct coop_request *r)
{
    size_t k = 0;
    for (size_t i = domain_first(idx, noffers, r->domain);
         i < noffers && idx[i].domain == r->domain; i++) {
        const struct coop_offer *o = &offers[idx[i].offer];
        if (o->places == 0 || coop_reasons(o, r) != COOP_REASON_ALL) {
            continue;
        }
        if (gsi_array_reserve((void **)&cl->pool, &cl->cappool, cl->npool + k + 1,
                              sizeof *cl->pool, 1024) < 0) {
            return GSI_ENOMEM;
        }
        cl->pool[cl->npool + k++] = idx[i].offer;
    }
    return (long)k;
}

static int classes_alloc(struct coop_classes *cl, size_t nreqs)
{
    memset(cl, 0, sizeof *cl);
    size_t slots = 16;
    while (slots < 2 * nreqs) {
        slots *= 2;
    }
    cl->mask = slots - 1;
    cl->slots = malloc(slots * sizeof *cl->slots);
    cl->of_request = malloc((nreqs > 0 ? nreqs : 1) * sizeof *cl->of_request);
    cl->list = malloc(sizeof *cl->list);
    if (cl->slots == NULL || cl->of_request == NULL || cl->list == NULL) {
        return GSI_ENOMEM;
    }
    memset(cl->slots, 0xff, slots * sizeof *cl->slots);
    cl->list[0] = 0;
    return 0;
}

int coop_classes_build(struct coop_classes *cl, const struct coop_offer *offers, size_t noffers,
                       const struct coop_request *reqs, size_t nreqs, struct gsi_err *err)
{
    struct by_domain *idx = malloc((noffers > 0 ? noffers : 1) * sizeof *idx);
    int rc = classes_alloc(cl, nreqs);
    if (idx == NULL || rc < 0) {
        free(idx);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory grouping the requests");
    }
    for (size_t i = 0; i < noffers; i++) {
        idx[i] = (struct by_domain){offers[i].domain, (uint32_t)i};
    }
    qsort(idx, noffers, sizeof *idx, by_domain_cmp);
    for (size_t r = 0; r < nreqs && rc == 0; r++) {
        cl->of_request[r] = COOP_NO_CLASS;
        if (reqs[r].places == 0) {
            continue;
        }
        long k = compatible_offers(cl, idx, noffers, offers, &reqs[r]);
        uint32_t c = 0;
        rc = k < 0 ? (int)k : k == 0 ? 0 : class_find(&c, cl, reqs[r].party, (size_t)k);
        if (rc == 0 && k > 0) {
            cl->of_request[r] = c;
            cl->demand[c] += reqs[r].places;
        }
    }
    free(idx);
    free(cl->slots);
    cl->slots = NULL;
    if (rc < 0) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory grouping the requests");
    }
    return 0;
}

void coop_classes_release(struct coop_classes *cl)
{
    free(cl->of_request);
    free(cl->party);
    free(cl->demand);
    free(cl->list);
    free(cl->pool);
    free(cl->slots);
    memset(cl, 0, sizeof *cl);
}
