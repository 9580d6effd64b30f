/*
 * net.h — the flow network of one allocation run (internal to src/coop).
 *
 * Nodes: parties [0, np), classes [np, np + nc), offers [np + nc, np + nc + no). Arcs: party →
 * each of its classes (capacity: the class's demand), class → each compatible offer (capacity:
 * the class's demand, which no flow through it can exceed anyway). The sink is implicit: an
 * offer with spare places (`spare[o] > 0`) ends an augmenting path. Every arc has a twin (its
 * reverse); `res` is the residual capacity, so the flow on an arc is its twin's `res`.
 * Arcs leave each node in CSR order: a party's in class order, a class's reverse arc to its
 * party first and then its offers in ascending index, an offer's reverse arcs in class order.
 */
#ifndef GSI_COOP_NET_H
#define GSI_COOP_NET_H

#include <stddef.h>
#include <stdint.h>

#include "coop/internal.h"

struct coop_net {
    size_t np, nc, no, nnodes, narcs;
    size_t *first;    /* [nnodes + 1] CSR offsets */
    uint32_t *head;   /* [narcs] node the arc enters */
    uint32_t *twin;   /* [narcs] its reverse arc */
    int64_t *res;     /* [narcs] residual capacity */
    int64_t *spare;   /* [no] places an offer has not given */
    uint32_t *parent; /* [nnodes] arc a search entered the node by */
    uint32_t *stamp;  /* [nnodes] search that saw the node last */
    uint32_t *seen;   /* [nnodes] the search's queue: the nodes it saw, in order */
    size_t *it;       /* [nnodes] scratch for building the arcs */
    uint8_t *dead;    /* [nnodes] no augmenting path leaves the node, now or later */
    size_t *cur;      /* [np + nc] first arc of a party or class that may still lead straight
                         to an offer with spare places (spare only ever decreases) */
    uint32_t gen;
};

int coop_net_build(struct coop_net *n, const struct coop_classes *cl, size_t nparties,
                   const struct coop_offer *offers, size_t noffers);
void coop_net_release(struct coop_net *n);

/* Augments by at most `want` (> 0) places from party p along one path to an offer with spare
 * places; returns how many (> 0), or 0 when no such path exists (then every node the search
 * saw is dead for good: augmenting elsewhere only adds arcs between nodes that reach spare). */
int64_t coop_net_augment(struct coop_net *n, uint32_t p, int64_t want);

#endif
