/*
 * alloc.c — the lexicographically max-min fair allocation (coop.h; the proof and the
 * complexity are in docs/internals/cooperation.md).
 *
 * Water-filling in whole places: always raise the party with the fewest places so far (ties:
 * the lower index) by one place along an augmenting path; a party with no augmenting path is
 * stuck for good. Raising by k places at once is the same as k single steps as long as the
 * party stays before the next one in (places, index) order, so the run takes one path per
 * step of that order, not one per place.
 */
#include <stdlib.h>
#include <string.h>

#include "coop/coop.h"
#include "coop/internal.h"
#include "coop/net.h"

/* A binary min-heap of parties keyed by (places so far, index). */
struct heap {
    uint32_t *items;
    size_t n;
    const int64_t *value;
};

static int heap_less(const struct heap *h, uint32_t a, uint32_t b)
{
    return h->value[a] < h->value[b] || (h->value[a] == h->value[b] && a < b);
}

static void heap_push(struct heap *h, uint32_t p)
{
    size_t i = h->n++;
    while (i > 0 && heap_less(h, p, h->items[(i - 1) / 2])) {
        h->items[i] = h->items[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->items[i] = p;
}

static uint32_t heap_pop(struct heap *h)
{
    uint32_t top = h->items[0];
    uint32_t last = h->items[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n) {
            break;
        }
        if (c + 1 < h->n && heap_less(h, h->items[c + 1], h->items[c])) {
            c++;
        }
        if (!heap_less(h, h->items[c], last)) {
            break;
        }
        h->items[i] = h->items[c];
        i = c;
    }
    if (h->n > 0) {
        h->items[i] = last;
    }
    return top;
}

/* Runs the water-filling on the network; value[p] ends as party p's places. */
static int fill(struct coop_net *net, const struct coop_classes *cl, int64_t *value,
                uint64_t *augments)
{
    struct heap h = {malloc((net->np > 0 ? net->np : 1) * sizeof *h.items), 0, value};
    if (h.items == NULL) {
        return GSI_ENOMEM;
    }
    uint8_t *has = calloc(net->np > 0 ? net->np : 1, 1);
    if (has == NULL) {
        free(h.items);
        return GSI_ENOMEM;
    }
    for (size_t c = 0; c < cl->n; c++) {
        has[cl->party[c]] = 1;
    }
    for (size_t p = 0; p < net->np; p++) {
        if (has[p]) {
            heap_push(&h, (uint32_t)p);
        }
    }
    free(has);
    while (h.n > 0) {
        uint32_t p = heap_pop(&h);
        /* The most p may take before the next party (q) comes first: up to q's count, and
         * one more when p's index is lower. */
        int64_t want = INT64_MAX;
        if (h.n > 0) {
            uint32_t q = h.items[0];
            int64_t target = value[q] + (p < q ? 1 : 0);
            want = target - value[p] > 1 ? target - value[p] : 1;
        }
        int64_t got = coop_net_augment(net, p, want);
        if (got > 0) {
            value[p] += got;
            (*augments)++;
            heap_push(&h, p);
        }
    }
    free(h.items);
    return 0;
}

static int grant_cmp(const void *a, const void *b)
{
    const struct coop_grant *x = a;
    const struct coop_grant *y = b;
    if (x->request != y->request) {
        return x->request < y->request ? -1 : 1;
    }
    return x->offer < y->offer ? -1 : (x->offer > y->offer);
}

/* The requests of each class, in index order: byc[start[c] .. start[c + 1]). */
static int class_requests(size_t **start, uint32_t **byc, const struct coop_classes *cl,
                          size_t nreqs)
{
    *start = calloc(cl->n + 1, sizeof **start);
    *byc = malloc((nreqs > 0 ? nreqs : 1) * sizeof **byc);
    if (*start == NULL || *byc == NULL) {
        return GSI_ENOMEM;
    }
    for (size_t r = 0; r < nreqs; r++) {
        if (cl->of_request[r] != COOP_NO_CLASS) {
            (*start)[cl->of_request[r] + 1]++;
        }
    }
    for (size_t c = 0; c < cl->n; c++) {
        (*start)[c + 1] += (*start)[c];
    }
    size_t *fill = malloc((cl->n + 1) * sizeof *fill);
    if (fill == NULL) {
        return GSI_ENOMEM;
    }
    memcpy(fill, *start, (cl->n + 1) * sizeof *fill);
    for (size_t r = 0; r < nreqs; r++) {
        if (cl->of_request[r] != COOP_NO_CLASS) {
            (*byc)[fill[cl->of_request[r]]++] = (uint32_t)r;
        }
    }
    free(fill);
    return 0;
}

/* Splits each class's flow to each offer among its requests, in request order. */
static void decompose(struct coop_alloc *out, const struct coop_net *net,
                      const struct coop_classes *cl, const struct coop_request *reqs,
                      const size_t *start, const uint32_t *byc)
{
    for (size_t c = 0; c < cl->n; c++) {
        size_t k = start[c];
        int64_t left = k < start[c + 1] ? reqs[byc[k]].places : 0;
        size_t cn = net->np + c;
        for (size_t a = net->first[cn] + 1; a < net->first[cn + 1]; a++) {
            int64_t flow = net->res[net->twin[a]];
            uint32_t offer = (uint32_t)(net->head[a] - net->np - net->nc);
            while (flow > 0 && k < start[c + 1]) {
                int64_t give = flow < left ? flow : left;
                if (give > 0) {
                    out->grants[out->ngrants++] =
                        (struct coop_grant){byc[k], offer, (uint32_t)give};
                    out->request_places[byc[k]] += (uint32_t)give;
                    out->party_places[reqs[byc[k]].party] += (uint32_t)give;
                    flow -= give;
                    left -= give;
                }
                if (left == 0 && ++k < start[c + 1]) {
                    left = reqs[byc[k]].places;
                }
            }
        }
    }
    qsort(out->grants, out->ngrants, sizeof *out->grants, grant_cmp);
}

/* Refuses input past the caps or breaking the rules, naming the offer or request. */
static int alloc_check(const struct coop_offer *offers, size_t noffers,
                       const struct coop_request *reqs, size_t nreqs, size_t nparties,
                       struct gsi_err *err)
{
    if (noffers > COOP_OFFERS_MAX || nreqs > COOP_REQUESTS_MAX || nparties > COOP_PARTIES_MAX) {
        return gsi_err_set(err, GSI_ELIMIT,
                           "at most %u offers, %u requests and %u parties at a time",
                           COOP_OFFERS_MAX, COOP_REQUESTS_MAX, COOP_PARTIES_MAX);
    }
    uint64_t total = 0;
    struct gsi_err why = GSI_ERR_INIT;
    for (size_t o = 0; o < noffers; o++) {
        if (coop_offer_check(&offers[o], &why) < 0) {
            return gsi_err_set(err, GSI_EDATA, "offer %zu: %s", o, why.msg);
        }
        total += offers[o].places;
    }
    if (total > COOP_TOTAL_PLACES_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "the offers hold %llu places; at most %u at a time",
                           (unsigned long long)total, COOP_TOTAL_PLACES_MAX);
    }
    for (size_t r = 0; r < nreqs; r++) {
        if (coop_request_check(&reqs[r], (uint32_t)nparties, &why) < 0) {
            return gsi_err_set(err, GSI_EDATA, "request %zu: %s", r, why.msg);
        }
    }
    return 0;
}

static int alloc_outputs(struct coop_alloc *out, const struct coop_classes *cl, size_t nreqs,
                         size_t nparties)
{
    out->party_places = calloc(nparties > 0 ? nparties : 1, sizeof *out->party_places);
    out->request_places = calloc(nreqs > 0 ? nreqs : 1, sizeof *out->request_places);
    out->grants = malloc((nreqs + cl->npool + 1) * sizeof *out->grants);
    if (out->party_places == NULL || out->request_places == NULL || out->grants == NULL) {
        return GSI_ENOMEM;
    }
    return 0;
}

int coop_alloc_run(struct coop_alloc *out, const struct coop_offer *offers, size_t noffers,
                   const struct coop_request *reqs, size_t nreqs, size_t nparties,
                   struct gsi_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = alloc_check(offers, noffers, reqs, nreqs, nparties, err);
    if (rc < 0) {
        return rc;
    }
    struct coop_classes cl;
    struct coop_net net;
    memset(&cl, 0, sizeof cl);
    memset(&net, 0, sizeof net);
    size_t *start = NULL;
    uint32_t *byc = NULL;
    int64_t *value = calloc(nparties > 0 ? nparties : 1, sizeof *value);
    rc = value == NULL ? GSI_ENOMEM : coop_classes_build(&cl, offers, noffers, reqs, nreqs, err);
    if (rc == 0) {
        rc = coop_net_build(&net, &cl, nparties, offers, noffers);
        rc = rc < 0 ? rc : fill(&net, &cl, value, &out->augments);
        rc = rc < 0 ? rc : class_requests(&start, &byc, &cl, nreqs);
        rc = rc < 0 ? rc : alloc_outputs(out, &cl, nreqs, nparties);
        if (rc == 0) {
            out->nparties = nparties;
            out->nrequests = nreqs;
            out->classes = cl.n;
            decompose(out, &net, &cl, reqs, start, byc);
            for (size_t p = 0; p < nparties; p++) {
                out->total += out->party_places[p];
            }
        }
    }
    coop_classes_release(&cl);
    coop_net_release(&net);
    free(start);
    free(byc);
    free(value);
    if (rc < 0) {
        coop_alloc_release(out);
        return err != NULL && err->code < 0 ? rc
                                            : gsi_err_set(err, rc, "out of memory allocating places");
    }
    return 0;
}

void coop_alloc_release(struct coop_alloc *a)
{
    free(a->party_places);
    free(a->request_places);
    free(a->grants);
    memset(a, 0, sizeof *a);
}
