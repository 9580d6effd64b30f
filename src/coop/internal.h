/*
 * internal.h — what the allocation's files share: the request classes.
 *
 * A class is a set of requests of one party that are compatible with exactly the same offers.
 * Merging them changes no party's possible totals (they can take places from the same offers,
 * up to the sum of their places), so the flow network is built on classes, not requests: one
 * million requests of 193 parties collapse to the distinct (party, offer set) pairs.
 */
#ifndef GSI_COOP_INTERNAL_H
#define GSI_COOP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "coop/coop.h"

#define COOP_NO_CLASS UINT32_MAX

/* The sum of every offer's places is kept below this, so every total fits a uint32_t. */
#define COOP_TOTAL_PLACES_MAX 100000000u

struct coop_classes {
    uint32_t *of_request; /* [nrequests] its class, or COOP_NO_CLASS (no places, no offer) */
    uint32_t *party;      /* [n] the class's party */
    int64_t *demand;      /* [n] the sum of its requests' places */
    size_t *list;         /* [n + 1] its offers are pool[list[c] .. list[c + 1]) */
    size_t *key;          /* [n] names its offer list: equal lists, equal keys */
    uint32_t *pool;       /* offer indices, ascending within a class */
    size_t n, cap, npool, cappool;
    uint32_t *slots; /* open-addressing hash of classes; COOP_NO_CLASS when empty */
    size_t mask;
};

/* Groups the requests into classes. Requests with no places or no compatible offer get
 * COOP_NO_CLASS. Returns 0, GSI_ENOMEM. */
int coop_classes_build(struct coop_classes *cl, const struct coop_offer *offers, size_t noffers,
                       const struct coop_request *reqs, size_t nreqs, struct gsi_err *err);
void coop_classes_release(struct coop_classes *cl);

#endif
