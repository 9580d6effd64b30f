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
    n->stack = malloc(nn * sizeof *n->stack);
    n->seen = malloc(nn * sizeof *n->seen);
    n->it = malloc(nn * sizeof *n->it);
    n->dead = calloc(nn, sizeof *n->dead);
    if (n->first == NULL || n->head == NULL || n->twin == NULL || n->res == NULL ||
        n->spare == NULL || n->parent == NULL || n->stamp == NULL || n->stack == NULL ||
        n->seen == NULL || n->it == NULL || n->dead == NULL) {
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
    free(n->stack);
    free(n->seen);
    free(n->it);
    free(n->dead);
    memset(n, 0, sizeof *n);
}

/* Depth-first search from p; returns the offer node with spare places it reached, or 0
 * (never an offer: party nodes come first) with n->seen[0 .. *nseen) the nodes it saw. */
static size_t net_search(struct coop_net *n, uint32_t p, size_t *nseen)
{
    size_t offer0 = n->np + n->nc;
    uint32_t gen = ++n->gen;
    if (gen == 0) { /* the stamps wrapped: forget them all */
        memset(n->stamp, 0, n->nnodes * sizeof *n->stamp);
        gen = n->gen = 1;
    }
    size_t top = 0;
    size_t ns = 0;
    n->stamp[p] = gen;
    n->seen[ns++] = p;
    n->it[p] = n->first[p];
    n->stack[top++] = p;
    while (top > 0) {
        uint32_t u = n->stack[top - 1];
        if (n->it[u] == n->first[u + 1]) {
            top--;
            continue;
        }
        size_t a = n->it[u]++;
        uint32_t v = n->head[a];
        if (n->res[a] <= 0 || n->stamp[v] == gen || n->dead[v]) {
            continue;
        }
        n->stamp[v] = gen;
        n->seen[ns++] = v;
        n->parent[v] = (uint32_t)a;
        if (v >= offer0 && n->spare[v - offer0] > 0) {
            return v;
        }
        n->it[v] = n->first[v];
        n->stack[top++] = v;
    }
    *nseen = ns;
    return 0;
}

int64_t coop_net_augment(struct coop_net *n, uint32_t p, int64_t want)
{
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
        v = n->head[n->twin[a]];
    }
    n->spare[offer] -= b;
    return b;
}
