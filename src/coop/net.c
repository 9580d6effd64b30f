/* net.c — the allocation's flow network and its augmenting-path search (net.h). */
#include <stdlib.h>
#include <string.h>

#include "coop/net.h"

static int net_alloc(struct coop_net *n)
{
    size_t nn = n->nnodes;
    size_t na = n->narcs > 0 ? n->narcs : 1;
    n->first = calloc(nn + 1, sizeof *n->first);
    n->head = malloc(na * sizeof *n->head);
    n->twin = malloc(na * sizeof *n->twin);
    n->res = malloc(na * sizeof *n->res);
    n->spare = malloc((n->no > 0 ? n->no : 1) * sizeof *n->spare);
    n->parent = malloc(nn * sizeof *n->parent);
    n->stamp = calloc(nn, sizeof *n->stamp);
    n->seen = malloc(nn * sizeof *n->seen);
    n->it = malloc(nn * sizeof *n->it);
    n->dead = calloc(nn, sizeof *n->dead);
    n->cur = malloc((n->np + n->nc + 1) * sizeof *n->cur);
    if (n->first == NULL || n->head == NULL || n->twin == NULL || n->res == NULL ||
        n->spare == NULL || n->parent == NULL || n->stamp == NULL ||
        n->seen == NULL || n->it == NULL || n->dead == NULL || n->cur == NULL) {
        return GSI_ENOMEM;
    }
    return 0;
}

/* Degrees into first[] (shifted by one), then prefix sums. */
static void net_count(struct coop_net *n, const struct coop_classes *cl)
{
    for (size_t c = 0; c < cl->n; c++) {
        size_t cn = n->np + c;
        n->first[cl->party[c] + 1]++;
        n->first[cn + 1] += 1 + (cl->list[c + 1] - cl->list[c]);
        for (size_t k = cl->list[c]; k < cl->list[c + 1]; k++) {
            n->first[n->np + n->nc + cl->pool[k] + 1]++;
        }
    }
    for (size_t v = 0; v < n->nnodes; v++) {
        n->first[v + 1] += n->first[v];
    }
}

/* Adds the arc u → v with capacity cap and its twin; fill[] is each node's next free arc. */
static void net_arc(struct coop_net *n, size_t *fill, size_t u, size_t v, int64_t cap)
{
    size_t a = fill[u]++;
    size_t b = fill[v]++;
    n->head[a] = (uint32_t)v;
    n->head[b] = (uint32_t)u;
    n->twin[a] = (uint32_t)b;
    n->twin[b] = (uint32_t)a;
    n->res[a] = cap;
    n->res[b] = 0;
}

int coop_net_build(struct coop_net *n, const struct coop_classes *cl, size_t nparties,
                   const struct coop_offer *offers, size_t noffers)
{
    memset(n, 0, sizeof *n);
    n->np = nparties;
    n->nc = cl->n;
    n->no = noffers;
    n->nnodes = nparties + cl->n + noffers;
    n->narcs = 2 * (cl->n + cl->npool);
    if (n->nnodes >= UINT32_MAX || n->narcs >= UINT32_MAX || net_alloc(n) < 0) {
        return GSI_ENOMEM;
    }
    net_count(n, cl);
    /* Classes in order, so a party's arcs and an offer's reverse arcs come in class order,
     * and a class's reverse arc to its party (added first) precedes its offers. */
    size_t *fill = n->it;
    memcpy(fill, n->first, n->nnodes * sizeof *fill);
    for (size_t c = 0; c < cl->n; c++) {
        size_t cn = n->np + c;
        net_arc(n, fill, cl->party[c], cn, cl->demand[c]);
        for (size_t k = cl->list[c]; k < cl->list[c + 1]; k++) {
            net_arc(n, fill, cn, n->np + n->nc + cl->pool[k], cl->demand[c]);
        }
    }
    for (size_t o = 0; o < noffers; o++) {
        n->spare[o] = offers[o].places;
    }
    for (size_t v = 0; v < n->np + n->nc; v++) {
        n->cur[v] = n->first[v] + (v >= n->np); /* a class's first arc goes back to its party */
    }
    return 0;
}

/* A class's next arc to an offer with spare places, or first[c + 1]: skips, for good, the
 * arcs to full offers (an offer never gets places back). */
static size_t class_next(struct coop_net *n, size_t c)
{
    size_t offer0 = n->np + n->nc;
    size_t a = n->cur[c];
    while (a < n->first[c + 1] && n->spare[n->head[a] - offer0] == 0) {
        a++;
    }
    n->cur[c] = a;
    return a;
}

/* The two-arc path party p → class → offer with spare places, found without a search; 0
 * when there is none. cur[p] moves past classes with no offer left with spare places (for
 * good) and past classes whose demand is used up (a search that reroutes places away from
 * such a class moves cur[p] back to it). */
static int net_direct(struct coop_net *n, uint32_t p, size_t *a1, size_t *a2)
{
    for (size_t a = n->cur[p]; a < n->first[p + 1]; a++) {
        size_t c = n->head[a];
        size_t b = n->res[a] > 0 ? class_next(n, c) : n->first[c + 1];
        if (b < n->first[c + 1]) {
            n->cur[p] = a;
            *a1 = a;
            *a2 = b;
            return 1;
        }
    }
    n->cur[p] = n->first[p + 1];
    return 0;
}

void coop_net_release(struct coop_net *n)
{
    free(n->first);
    free(n->head);
    free(n->twin);
    free(n->res);
    free(n->spare);
    free(n->parent);
    free(n->stamp);
    free(n->seen);
    free(n->it);
    free(n->dead);
    free(n->cur);
    memset(n, 0, sizeof *n);
}

/* Breadth-first search from p, for when no two-arc path is left: the shortest path that
 * moves other parties' places to make room. Returns the offer node with spare places it
 * reached, or 0 (never an offer: party nodes come first) with n->seen[0 .. *nseen) the
 * nodes it saw. */
static size_t net_search(struct coop_net *n, uint32_t p, size_t *nseen)
{
    size_t offer0 = n->np + n->nc;
    uint32_t gen = ++n->gen;
    if (gen == 0) { /* the stamps wrapped: forget them all */
        memset(n->stamp, 0, n->nnodes * sizeof *n->stamp);
        gen = n->gen = 1;
    }
    size_t head = 0;
    size_t tail = 0;
    n->stamp[p] = gen;
    n->seen[tail++] = p;
    while (head < tail) {
        uint32_t u = n->seen[head++];
        for (size_t a = n->first[u]; a < n->first[u + 1]; a++) {
            uint32_t v = n->head[a];
            if (n->res[a] <= 0 || n->stamp[v] == gen || n->dead[v]) {
                continue;
            }
            n->stamp[v] = gen;
            n->seen[tail++] = v;
            n->parent[v] = (uint32_t)a;
            if (v >= offer0 && n->spare[v - offer0] > 0) {
                return v;
            }
        }
    }
    *nseen = tail;
    return 0;
}

int64_t coop_net_augment(struct coop_net *n, uint32_t p, int64_t want)
{
    size_t a1 = 0;
    size_t a2 = 0;
    if (net_direct(n, p, &a1, &a2)) {
        size_t offer = n->head[a2] - (n->np + n->nc);
        int64_t b = want < n->spare[offer] ? want : n->spare[offer];
        b = b < n->res[a1] ? b : n->res[a1];
        b = b < n->res[a2] ? b : n->res[a2];
        n->res[a1] -= b;
        n->res[n->twin[a1]] += b;
        n->res[a2] -= b;
        n->res[n->twin[a2]] += b;
        n->spare[offer] -= b;
        return b;
    }
    size_t nseen = 0;
    size_t end = net_search(n, p, &nseen);
    if (end == 0) {
        for (size_t i = 0; i < nseen; i++) {
            n->dead[n->seen[i]] = 1;
        }
        return 0;
    }
    size_t offer = end - (n->np + n->nc);
    int64_t b = want < n->spare[offer] ? want : n->spare[offer];
    for (size_t v = end; v != p;) {
        uint32_t a = n->parent[v];
        if (n->res[a] < b) {
            b = n->res[a];
        }
        v = n->head[n->twin[a]];
    }
    for (size_t v = end; v != p;) {
        uint32_t a = n->parent[v];
        n->res[a] -= b;
        n->res[n->twin[a]] += b;
        if (v < n->np && n->twin[a] < n->cur[v]) {
            n->cur[v] = n->twin[a]; /* the arc v → class has room again */
        }
        v = n->head[n->twin[a]];
    }
    n->spare[offer] -= b;
    return b;
}
