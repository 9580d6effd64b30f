/*
 * coop.h — the cooperation engine: offer↔request matching and the max-min fair allocation of
 * training places (docs/internals/cooperation.md).
 *
 * The engine is pure: it sees small integers only (party, domain, language and region
 * indices, days since 1970-01-01), allocates nothing that outlives a call but its results,
 * reads no clock and no file. The caller (the CLI's file reader, the platform's cooperation
 * procedure) maps ids and codes to those indices and back.
 *
 * Compatibility. A request and an offer are compatible when all four hold:
 *   domain    the same domain;
 *   language  they share a language (bit sets over the caller's language list);
 *   region    the offer is open to every region (regions == 0) or lists the request's region;
 *   dates     the offer's course [start, end] lies within the request's window [from, to].
 * coop_reasons() says which of the four hold; the matcher ranks by it and the allocation uses
 * only pairs where all four hold.
 *
 *     struct coop_alloc a;
 *     if (coop_alloc_run(&a, offers, noffers, reqs, nreqs, nparties, &err) < 0) ...
 *     for (size_t i = 0; i < a.ngrants; i++) use(a.grants[i]);
 *     coop_alloc_release(&a);
 */
#ifndef GSI_COOP_COOP_H
#define GSI_COOP_COOP_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Caps on what one call takes; the allocation refuses more with GSI_ELIMIT. */
#define COOP_OFFERS_MAX    1000000u  /* offers in one run */
#define COOP_REQUESTS_MAX  4000000u  /* requests in one run */
#define COOP_PARTIES_MAX   100000u   /* distinct parties */
#define COOP_PLACES_MAX    1000000u  /* places of one offer or one request */
#define COOP_LANGUAGES_MAX 64u       /* distinct languages: a 64-bit set */
#define COOP_REGIONS_MAX   64u       /* distinct regions: a 64-bit set */

/* Open ends of a request's window. */
#define COOP_DAY_MIN INT32_MIN
#define COOP_DAY_MAX INT32_MAX

struct coop_offer {
    uint64_t languages; /* bit i: the caller's language i is taught */
    uint64_t regions;   /* bit i: open to region i; 0: open to every region */
    uint32_t domain;    /* the domain's number (ref: 1..20) */
    uint32_t places;    /* places offered, <= COOP_PLACES_MAX */
    int32_t start;      /* first day of the course, days since 1970-01-01 */
    int32_t end;        /* last day, >= start */
};

struct coop_request {
    uint64_t languages; /* bit i: participants can follow language i */
    uint32_t party;     /* the requesting party, < nparties */
    uint32_t domain;
    uint32_t places;    /* places wanted, <= COOP_PLACES_MAX */
    uint32_t region;    /* the requesting party's region, < COOP_REGIONS_MAX */
    int32_t from;       /* first day participants can attend (COOP_DAY_MIN: any) */
    int32_t to;         /* last day (COOP_DAY_MAX: any), >= from */
};

/* Reasons a pair matches, as bits. */
#define COOP_REASON_DOMAIN   1u
#define COOP_REASON_LANGUAGE 2u
#define COOP_REASON_REGION   4u
#define COOP_REASON_DATES    8u
#define COOP_REASON_ALL      15u

/* The reasons (COOP_REASON_* bits) that hold for this pair; compatible iff COOP_REASON_ALL. */
unsigned coop_reasons(const struct coop_offer *o, const struct coop_request *r);

/* Checks one offer or request for the rules above (start <= end, from <= to, places and
 * region in range, at least one language); GSI_EDATA naming the field otherwise. */
int coop_offer_check(const struct coop_offer *o, struct gsi_err *err);
int coop_request_check(const struct coop_request *r, uint32_t nparties, struct gsi_err *err);

/* ---- matching ---- */

struct coop_match {
    uint32_t request; /* index into the requests */
    uint32_t offer;   /* index into the offers */
    unsigned reasons; /* COOP_REASON_* bits; DOMAIN always set */
};

/*
 * Proposes, for every request, the offers of its domain ranked best first: more reasons
 * first, then (among equals) more places offered, then the lower offer index. At most `top`
 * matches per request (0: all), and only compatible ones when `compatible_only`. The matches
 * come in request order, each request's in rank order. *out is malloc'ed (the caller frees
 * it); NULL with *n = 0 when there are none.
 */
int coop_match_run(struct coop_match **out, size_t *n, const struct coop_offer *offers,
                   size_t noffers, const struct coop_request *reqs, size_t nreqs, size_t top,
                   int compatible_only, struct gsi_err *err);

/* ---- allocation ---- */

struct coop_grant {
    uint32_t request; /* index into the requests */
    uint32_t offer;   /* index into the offers */
    uint32_t places;  /* > 0 */
};

struct coop_alloc {
    uint32_t *party_places;   /* [nparties] places each party receives */
    uint32_t *request_places; /* [nrequests] places each request receives */
    struct coop_grant *grants; /* sorted by request, then offer */
    size_t ngrants;
    size_t nparties, nrequests;
    uint64_t total;      /* places allocated in all */
    uint64_t augments;   /* augmenting paths the run took (for the bench) */
    size_t classes;      /* request classes the run merged the requests into */
};

/*
 * The lexicographically max-min fair allocation of the offers' places among the parties:
 * the vector of the parties' totals, sorted ascending, is the lexicographically greatest
 * that any integral allocation reaches, where a request receives at most its places, an
 * offer gives at most its places, and places flow only between compatible pairs. That sorted
 * vector is unique; the allocation that reaches it is chosen deterministically (parties in
 * index order break ties, offers in index order, a party's places go to its requests in
 * index order). All arithmetic is in integers. Every request's party must be < nparties.
 * GSI_ELIMIT past the caps above, GSI_EDATA for an invalid offer or request (named by its
 * index), GSI_ENOMEM. On failure *out is left empty (safe to release).
 */
int coop_alloc_run(struct coop_alloc *out, const struct coop_offer *offers, size_t noffers,
                   const struct coop_request *reqs, size_t nreqs, size_t nparties,
                   struct gsi_err *err);

void coop_alloc_release(struct coop_alloc *a);

#endif
