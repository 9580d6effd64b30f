/* synth.c — see synth.h. */
#include "synth.h"

#include <stdlib.h>

#include "core/rng.h"

static int stance(const struct synth_params *p, int g, size_t j)
{
    /* A statement's stance per group comes from a hash of (seed, group, statement), so no
     * table of K × M entries is kept and extra votes (synth_vote) follow the same model. */
    uint64_t h = gsi_rng_derive(p->seed ^ 0x5bd1e995u, (uint64_t)j);
    double u = (double)(h >> 11) * 0x1.0p-53;
    if (u < p->shared) {
        return 1;
    }
    uint64_t hg = gsi_rng_derive(h, (uint64_t)g + 1);
    return (hg >> 63) ? 1 : -1;
}

static int group_of(const struct synth_params *p, uint64_t i)
{
    /* sizes 1 : 2 : ... : K */
    uint64_t total = (uint64_t)p->k * ((uint64_t)p->k + 1) / 2;
    uint64_t h = gsi_rng_derive(p->seed ^ 0x9e3779b9u, i) % total;
    for (int g = 0; g < p->k; g++) {
        uint64_t w = (uint64_t)g + 1;
        if (h < w) {
            return g;
        }
        h -= w;
    }
    return p->k - 1;
}

static int vote_for(struct gsi_rng *r, const struct synth_params *p, int g, size_t j)
{
    int s = stance(p, g, j);
    double u = gsi_rng_uniform(r);
    if (u >= p->noise) {
        return s;
    }
    return u < p->noise * 2.0 / 3.0 ? -s : 0;
}

int synth_fill(struct consensus *c, const struct synth_params *p, int32_t *truth,
               struct gsi_err *err)
{
    int rc;
    for (size_t j = 0; j < p->m; j++) {
        if ((rc = consensus_statement_add(c, (int64_t)j, NULL, 0, false, err)) < 0) {
            return rc;
        }
    }
    struct gsi_rng r;
    gsi_rng_init(&r, p->seed);
    for (size_t i = 0; i < p->n; i++) {
        int g = group_of(p, i);
        if (truth != NULL) {
            truth[i] = g;
        }
        /* votes: Poisson around the mean, at least one */
        uint64_t nv = gsi_rng_poisson(&r, p->votes_per_participant);
        if (nv < 1) {
            nv = 1;
        }
        for (uint64_t v = 0; v < nv; v++) {
            size_t j = (size_t)gsi_rng_below(&r, p->m);
            if ((rc = consensus_vote_add(c, (int64_t)i, (int64_t)j, vote_for(&r, p, g, j), true,
                                         err)) < 0) {
                return rc;
            }
        }
    }
    return 0;
}

int synth_vote(struct consensus *c, const struct synth_params *p, uint64_t index,
               struct gsi_err *err)
{
    struct gsi_rng r;
    gsi_rng_init(&r, gsi_rng_derive(p->seed + 7, index));
    uint64_t i = gsi_rng_below(&r, p->n);
    size_t j = (size_t)gsi_rng_below(&r, p->m);
    return consensus_vote_add(c, (int64_t)i, (int64_t)j, vote_for(&r, p, group_of(p, i), j), true,
                              err);
}
