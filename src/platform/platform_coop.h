/*
 * platform_coop.h — cooperation on the platform: the open offers and requests (procedures
 * `cooperation.offer` and `cooperation.request`, coop.c) read into the engine (src/coop), their
 * matches, and the max-min fair allocation of their places, journalled each time it is re-run
 * (docs/internals/cooperation.md).
 *
 *     struct platform_coop c;
 *     if (platform_coop_load(p, &c, &err) < 0) ...
 *     coop_alloc_run(&a, c.book.offers, c.book.noffers, ...);   // or platform_coop_allocate
 *     platform_coop_release(&c);
 */
#ifndef GSI_PLATFORM_PLATFORM_COOP_H
#define GSI_PLATFORM_PLATFORM_COOP_H

#include <stdint.h>

#include "coop/book.h"
#include "coop/coop.h"
#include "platform/platform.h"

/* Open offers and requests beyond this many are refused (GSI_ELIMIT) rather than read. */
#define PLATFORM_COOP_CASES_MAX 200000u

struct platform_coop {
    struct coop_book book; /* offer and request ids are their case ids, in decimal */
    int64_t as_of;         /* the newest cooperation act's record id it reflects (0: none) */
};

/* Reads every open offer and request (they are public) into c->book, finished. */
int platform_coop_load(struct platform *p, struct platform_coop *c, struct gsi_err *err);
void platform_coop_release(struct platform_coop *c);

/* Loads and allocates: *a as coop_alloc_run makes it, over c's book. */
int platform_coop_allocate(struct platform *p, struct platform_coop *c, struct coop_alloc *a,
                           struct gsi_err *err);

/* Re-runs the allocation after an act on an offer or a request and journals it: one record
 * of type "cooperation.allocation" for `party` by `actor` (the one who acted), payload
 * {"as_of": N, "allocated": T, "shares": {"KEN": 3, ...}, "grants": [[request, offer,
 * places], ...]} (grants left out, and "grants_omitted": true, past the payload cap).
 * The allocation is a function of the journalled acts, so anyone can recompute it.
 * Call it after the act committed. Re-runs are made one at a time, and the calls that come
 * while one runs share the next (made by the first of them, for its `actor` and `party`):
 * when it returns, an allocation that reflects the caller's act is journalled (*out is its
 * receipt) or failed (its error), as with one re-run per act, but acts committing together
 * cost one re-run and one record. */
int platform_coop_reallocate(struct platform *p, struct platform_receipt *out,
                             const struct platform_delegate *actor, const char *party,
                             struct gsi_err *err);

/* One proposed match (platform_coop_matches). */
struct platform_coop_match {
    int64_t request, offer;            /* case ids */
    char party[PLATFORM_ID_MAX];       /* the requesting party */
    char offered_by[PLATFORM_ID_MAX];  /* the offering party */
    uint32_t places;                   /* places offered */
    unsigned reasons;                  /* COOP_REASON_* bits that hold */
    int rank;                          /* 1: the best for its request */
};

/* For every open request (or only case `request`, when > 0), the open offers of its domain
 * ranked as coop_match_run does; at most `top` a request (0: all), only compatible ones when
 * `compatible`. *out is malloc'd. *as_of as in struct platform_coop. GSI_ENOTFOUND when
 * `request` is no open request. */
int platform_coop_matches(struct platform *p, struct platform_coop_match **out, size_t *n,
                          int64_t request, size_t top, bool compatible, int64_t *as_of,
                          struct gsi_err *err);

struct platform_coop_share {
    char party[PLATFORM_ID_MAX];
    uint64_t requested, allocated;
};

struct platform_coop_grant {
    int64_t request, offer; /* case ids */
    char party[PLATFORM_ID_MAX];
    uint32_t places;
};

/* The allocation of the open offers' places among the open requests, now. */
struct platform_coop_result {
    int64_t as_of;
    uint64_t allocated;
    struct platform_coop_share *shares; /* by party id */
    size_t nshares;
    struct platform_coop_grant *grants; /* by request, then offer */
    size_t ngrants;
};

int platform_coop_result_get(struct platform *p, struct platform_coop_result *out,
                             struct gsi_err *err);
void platform_coop_result_release(struct platform_coop_result *r);

/* The coop_entry of a case's data (used by coop.c's checks and by the loader). */
int platform_coop_entry(struct coop_entry *e, const char **langs, const char **regions,
                        const void *data, const char *id, const char *party, bool offer);

#endif
