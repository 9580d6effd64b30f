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
    size_t *key = realloc(cl->key, cl->cap * sizeof *key);
    if (key == NULL) {
        return GSI_ENOMEM;
    }
    cl->key = key;
    return 0;
}

/* The class of (party, offers), made when new (its list copied into the pool). `key` names
 * the list: equal lists have equal keys (profile_get shares them). */
static int class_find(uint32_t *out, struct coop_classes *cl, uint32_t party,
                      const uint32_t *offers, size_t n, size_t key)
{
    uint64_t h = ((1469598103934665603u ^ party) * 1099511628211u ^ key) * 1099511628211u;
    size_t slot = (size_t)(h ^ (h >> 29)) & cl->mask;
    while (cl->slots[slot] != COOP_NO_CLASS) {
        uint32_t c = cl->slots[slot];
        if (cl->party[c] == party && cl->key[c] == key) {
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
    cl->key[c] = key;
    cl->demand[c] = 0;
    if (gsi_array_reserve((void **)&cl->pool, &cl->cappool, cl->npool + n, sizeof *cl->pool,
                          1024) < 0) {
        return GSI_ENOMEM;
    }
    memcpy(cl->pool + cl->npool, offers, n * sizeof *offers);
    cl->npool += n;
    cl->list[c + 1] = cl->npool;
    cl->slots[slot] = c;
    *out = c;
    return 0;
}

/* Requests that differ only in party and places share a profile, and so the offers they fit;
 * each profile's list is computed once. */
struct profile {
    uint64_t languages;
    size_t off, len; /* its offers: pool[off .. off + len), shared by equal lists */
    uint32_t domain, region;
    int32_t from, to;
};

struct profiles {
    struct profile *v;
    size_t n, cap;
    uint32_t *slots;
    size_t mask;
    uint32_t *pool; /* the profiles' offer lists, each distinct list once */
    size_t npool, cappool;
    uint32_t *lslots; /* hash of the distinct lists: a profile that has each */
};

/* Makes the list just written at pool[npool .. npool + k) the profile's, or shares an equal
 * one written before (so that the list's offset names it). */
static void profile_list(struct profiles *pr, struct profile *p, size_t k)
{
    if (k == 0) { /* no offer fits: no class will be made, and the pool may be empty */
        p->off = 0;
        return;
    }
    const uint32_t *list = pr->pool + pr->npool;
    size_t slot = (size_t)class_hash(0, list, k) & pr->mask;
    while (pr->lslots[slot] != COOP_NO_CLASS) {
        const struct profile *q = &pr->v[pr->lslots[slot]];
        if (q->len == k && memcmp(pr->pool + q->off, list, k * sizeof *list) == 0) {
            p->off = q->off;
            return;
        }
        slot = (slot + 1) & pr->mask;
    }
    p->off = pr->npool;
    pr->npool += k;
    pr->lslots[slot] = (uint32_t)(p - pr->v);
}

static int profile_same(const struct profile *p, const struct coop_request *r)
{
    return p->languages == r->languages && p->domain == r->domain && p->region == r->region &&
           p->from == r->from && p->to == r->to;
}

static size_t profile_slot(const struct profiles *pr, const struct coop_request *r)
{
    uint64_t h = 1469598103934665603u;
    h = (h ^ r->languages) * 1099511628211u;
    h = (h ^ r->domain) * 1099511628211u;
    h = (h ^ r->region) * 1099511628211u;
    h = (h ^ (uint32_t)r->from) * 1099511628211u;
    h = (h ^ (uint32_t)r->to) * 1099511628211u;
    return (size_t)(h ^ (h >> 29)) & pr->mask;
}

/* Writes request r's compatible offers at the profile pool's end; returns their number. */
static long compatible_offers(struct profiles *pr, const struct by_domain *idx,
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
        if (gsi_array_reserve((void **)&pr->pool, &pr->cappool, pr->npool + k + 1,
                              sizeof *pr->pool, 1024) < 0) {
            return GSI_ENOMEM;
        }
        pr->pool[pr->npool + k++] = idx[i].offer;
    }
    return (long)k;
}

/* The profile of r, computed when new; NULL when out of memory. */
static const struct profile *profile_get(struct profiles *pr, const struct by_domain *idx,
                                         size_t noffers, const struct coop_offer *offers,
                                         const struct coop_request *r)
{
    size_t slot = profile_slot(pr, r);
    while (pr->slots[slot] != COOP_NO_CLASS) {
        if (profile_same(&pr->v[pr->slots[slot]], r)) {
            return &pr->v[pr->slots[slot]];
        }
        slot = (slot + 1) & pr->mask;
    }
    long k = compatible_offers(pr, idx, noffers, offers, r);
    if (k < 0 || gsi_array_reserve((void **)&pr->v, &pr->cap, pr->n + 1, sizeof *pr->v, 64) < 0) {
        return NULL;
    }
    struct profile *p = &pr->v[pr->n];
    *p = (struct profile){r->languages, 0, (size_t)k, r->domain, r->region, r->from, r->to};
    profile_list(pr, p, (size_t)k);
    pr->slots[slot] = (uint32_t)pr->n++;
    return p;
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
    struct profiles pr = {.mask = cl->mask};
    pr.slots = malloc((cl->mask + 1) * sizeof *pr.slots);
    pr.lslots = malloc((cl->mask + 1) * sizeof *pr.lslots);
    rc = pr.slots == NULL || pr.lslots == NULL ? GSI_ENOMEM : 0;
    if (rc == 0) {
        memset(pr.slots, 0xff, (cl->mask + 1) * sizeof *pr.slots);
        memset(pr.lslots, 0xff, (cl->mask + 1) * sizeof *pr.lslots);
    }
    for (size_t r = 0; r < nreqs && rc == 0; r++) {
        cl->of_request[r] = COOP_NO_CLASS;
        if (reqs[r].places == 0) {
            continue;
        }
        const struct profile *p = profile_get(&pr, idx, noffers, offers, &reqs[r]);
        uint32_t c = 0;
        rc = p == NULL     ? GSI_ENOMEM
             : p->len == 0 ? 0
                           : class_find(&c, cl, reqs[r].party, pr.pool + p->off, p->len, p->off);
        if (rc == 0 && p->len > 0) {
            cl->of_request[r] = c;
            cl->demand[c] += reqs[r].places;
        }
    }
    free(pr.v);
    free(pr.slots);
    free(pr.lslots);
    free(pr.pool);
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
    free(cl->key);
    free(cl->pool);
    free(cl->slots);
    memset(cl, 0, sizeof *cl);
}
