/* Unit tests of consensus_update, the incremental path. Expected values come from a dense copy
 * of the votes kept by the test itself and the formulas of docs/internals/consensus.md,
 * computed here independently of the engine: a participant's projection is
 * sqrt(statements / votes) · Σ_j (v_j − mean_j) · pc_j over the statements voted on, with
 * mean_j = (agrees − disagrees) / votes on j; counts are recounts of the dense copy. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consensus/consensus.h"
#include "core/rng.h"
#include "harness.h"

#define MISSING 9

/* A consultation with planted groups, and its votes kept dense (MISSING where none). */
struct sim {
    size_t n, m, ncap;
    int8_t *v; /* [i * m + j] */
    struct gsi_rng rng;
};

static void sim_init(struct sim *s, size_t n, size_t m, size_t ncap, uint64_t seed)
{
    s->n = n;
    s->m = m;
    s->ncap = ncap;
    s->v = malloc(ncap * m);
    ck_assert_ptr_nonnull(s->v);
    memset(s->v, MISSING, ncap * m);
    gsi_rng_init(&s->rng, seed);
}

/* Participant i's vote on j: their group's stance with some noise and passes. */
static int sim_draw(struct sim *s, size_t i, size_t j)
{
    int stance = ((j + i % 3) % 3 == 0) ? -1 : 1;
    double u = gsi_rng_uniform(&s->rng);
    if (u < 0.1) {
        return -stance;
    }
    if (u < 0.15) {
        return 0;
    }
    return stance;
}

static void sim_vote(struct sim *s, struct consensus *const *cs, int ncs, size_t i, size_t j, int v)
{
    struct gsi_err err = GSI_ERR_INIT;
    for (int k = 0; k < ncs; k++) {
        ck_assert_int_eq(consensus_vote_add(cs[k], (int64_t)i, (int64_t)j, v, false, &err), 0);
    }
    s->v[i * s->m + j] = (int8_t)v;
    if (i >= s->n) {
        s->n = i + 1;
    }
}

static void sim_fill(struct sim *s, struct consensus *const *cs, int ncs, double density)
{
    /* statement index j is statement id j */
    struct gsi_err err = GSI_ERR_INIT;
    for (int k = 0; k < ncs; k++) {
        for (size_t j = 0; j < s->m; j++) {
            ck_assert_int_eq(consensus_statement_add(cs[k], (int64_t)j, NULL, 0, false, &err), 0);
        }
    }
    size_t n = s->n;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < s->m; j++) {
            if (gsi_rng_uniform(&s->rng) < density) {
                sim_vote(s, cs, ncs, i, j, sim_draw(s, i, j));
            }
        }
    }
}

/* `count` random new votes: on cells voted or not (so some votes change), by existing
 * participants, and `joiners` new participants with 1..12 votes each. Marks affected[i]. */
static void sim_batch(struct sim *s, struct consensus *const *cs, int ncs, size_t count,
                      size_t joiners, uint8_t *affected)
{
    for (size_t t = 0; t < count; t++) {
        size_t i = (size_t)(gsi_rng_uniform(&s->rng) * (double)s->n) % s->n;
        size_t j = (size_t)(gsi_rng_uniform(&s->rng) * (double)s->m) % s->m;
        sim_vote(s, cs, ncs, i, j, sim_draw(s, i, j));
        if (affected != NULL) {
            affected[i] = 1;
        }
    }
    for (size_t t = 0; t < joiners && s->n < s->ncap; t++) {
        size_t i = s->n;
        size_t k = 1 + t % 12;
        for (size_t a = 0; a < k; a++) {
            size_t j = (a * 7 + t) % s->m;
            sim_vote(s, cs, ncs, i, j, sim_draw(s, i, j));
        }
        if (affected != NULL) {
            affected[i] = 1;
        }
    }
}

static struct consensus *engine(int threads)
{
    struct consensus_opts o;
    consensus_opts_default(&o);
    o.threads = threads;
    struct consensus *c = consensus_new(&o);
    ck_assert_ptr_nonnull(c);
    return c;
}

static void compute(struct consensus *c)
{
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_msg(consensus_compute(c, &err) == 0, "%s", err.msg);
}

static void update(struct consensus *c)
{
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_msg(consensus_update(c, &err) == 0, "%s", err.msg);
}

/* After an update: affected participants are projected exactly as a from-scratch projection
 * on the same components gives, the others are untouched, and every count equals a recount. */
START_TEST(update_matches_recount)
{
    struct sim s;
    sim_init(&s, 3000, 40, 3400, 21);
    struct consensus *c = engine(0);
    sim_fill(&s, &c, 1, 0.35);
    compute(c);
    ck_assert_int_ge(c->ngroups, 2);
    size_t m = c->ns;
    ck_assert_uint_eq(m, s.m);
    double *pc0 = malloc(m * sizeof *pc0), *pc1 = malloc(m * sizeof *pc1);
    for (size_t j = 0; j < m; j++) {
        pc0[j] = c->stmt[j].pc[0];
        pc1[j] = c->stmt[j].pc[1];
    }
    for (int round = 0; round < 4; round++) {
        size_t np0 = c->np;
        double *x0 = malloc(np0 * sizeof *x0), *y0 = malloc(np0 * sizeof *y0);
        int8_t *g0 = malloc(np0);
        memcpy(x0, c->x, np0 * sizeof *x0);
        memcpy(y0, c->y, np0 * sizeof *y0);
        memcpy(g0, c->group, np0);
        uint8_t *affected = calloc(s.ncap, 1);
        sim_batch(&s, &c, 1, 400, 60, affected);
        update(c);
        ck_assert_int_eq(c->computes, 1);
        ck_assert_int_eq(c->updates, round + 1);
        ck_assert_uint_eq(c->np, s.n);
        /* statement counts and means from the dense copy */
        double *mean = malloc(m * sizeof *mean);
        for (size_t j = 0; j < m; j++) {
            uint32_t a = 0, d = 0, p = 0;
            for (size_t i = 0; i < s.n; i++) {
                int v = s.v[i * m + j];
                a += v == 1;
                d += v == -1;
                p += v == 0;
            }
            ck_assert_uint_eq(c->stmt[j].agree, a);
            ck_assert_uint_eq(c->stmt[j].disagree, d);
            ck_assert_uint_eq(c->stmt[j].pass, p);
            mean[j] = a + d + p ? ((double)a - d) / (double)(a + d + p) : 0;
        }
        size_t moved = 0, joined = 0;
        for (size_t i = 0; i < c->np; i++) {
            long r = consensus_participant_index(c, (int64_t)i);
            ck_assert_int_ge(r, 0);
            if (!affected[i]) {
                ck_assert((size_t)r < np0);
                ck_assert(c->x[r] == x0[r] && c->y[r] == y0[r]);
                ck_assert_int_eq(c->group[r], g0[r]);
                continue;
            }
            double p1 = 0, p2 = 0;
            size_t nv = 0;
            for (size_t j = 0; j < m; j++) {
                int v = s.v[i * m + j];
                if (v != MISSING) {
                    p1 += (v - mean[j]) * pc0[j];
                    p2 += (v - mean[j]) * pc1[j];
                    nv++;
                }
            }
            double sc = sqrt((double)m / (double)nv);
            ck_assert_double_eq_tol(c->x[r], sc * p1, 1e-12);
            ck_assert_double_eq_tol(c->y[r], sc * p2, 1e-12);
            ck_assert_uint_eq(c->nvotes[r], nv);
            /* clustered once they have min(7, statements) votes */
            ck_assert_int_eq(c->group[r] >= 0, c->in_conv[r]);
            if (nv >= 7) {
                ck_assert(c->in_conv[r]);
            }
            joined += (size_t)r >= np0 && c->group[r] >= 0;
            moved += (size_t)r < np0 && c->group[r] != g0[r];
        }
        ck_assert_uint_gt(joined, 0);
        printf("update %d: %zu new participants clustered, %zu moved group\n", round, joined,
               moved);
        /* group sizes, per-group counts and statistics from a recount over the groups */
        int ng = c->ngroups;
        for (int g = 0; g < ng; g++) {
            uint32_t size = 0;
            for (size_t r = 0; r < c->np; r++) {
                size += c->group[r] == g;
            }
            ck_assert_uint_eq(c->groups[g].size, size);
        }
        for (size_t j = 0; j < m; j++) {
            double gic = 1;
            for (int g = 0; g < ng; g++) {
                uint32_t a = 0, d = 0, n = 0;
                for (size_t r = 0; r < c->np; r++) {
                    int v = s.v[(size_t)c->pid[r] * m + j];
                    if (c->group[r] == g && v != MISSING) {
                        a += v == 1;
                        d += v == -1;
                        n++;
                    }
                }
                const struct consensus_repness *st = &c->repness[(size_t)g * m + j];
                ck_assert_uint_eq(st->na, a);
                ck_assert_uint_eq(st->nd, d);
                ck_assert_uint_eq(st->ns, n);
                ck_assert_double_eq_tol(st->pa, (a + 1.0) / (n + 2.0), 1e-15);
                gic *= (a + 1.0) / (n + 2.0);
            }
            ck_assert_double_eq_tol(c->stmt[j].gic, gic, 1e-15);
        }
        free(mean);
        free(affected);
        free(x0);
        free(y0);
        free(g0);
    }
    free(pc0);
    free(pc1);
    free(s.v);
    consensus_free(c);
}
END_TEST

static void assert_same(const struct consensus *a, const struct consensus *b)
{
    ck_assert_uint_eq(a->np, b->np);
    ck_assert_uint_eq(consensus_vote_count(a), consensus_vote_count(b));
    ck_assert_int_eq(a->pca_iterations, b->pca_iterations);
    ck_assert_int_eq(a->nbase, b->nbase);
    ck_assert_int_eq(a->ngroups, b->ngroups);
    ck_assert_mem_eq(a->x, b->x, a->np * sizeof *a->x);
    ck_assert_mem_eq(a->y, b->y, a->np * sizeof *a->y);
    ck_assert_mem_eq(a->group, b->group, a->np);
    ck_assert_mem_eq(a->in_conv, b->in_conv, a->np * sizeof *a->in_conv);
    for (size_t j = 0; j < a->ns; j++) {
        ck_assert(a->stmt[j].gic == b->stmt[j].gic);
        ck_assert(a->stmt[j].divisiveness == b->stmt[j].divisiveness);
        ck_assert(a->stmt[j].pc[0] == b->stmt[j].pc[0]);
        ck_assert_uint_eq(a->stmt[j].agree, b->stmt[j].agree);
    }
    for (int g = 0; g < a->ngroups; g++) {
        ck_assert_uint_eq(a->groups[g].size, b->groups[g].size);
        ck_assert(a->groups[g].cx == b->groups[g].cx);
        ck_assert_int_eq(a->groups[g].nreps, b->groups[g].nreps);
        for (int k = 0; k < a->groups[g].nreps; k++) {
            ck_assert_uint_eq(a->groups[g].reps[k].statement, b->groups[g].reps[k].statement);
        }
    }
}

/* A compute after updates gives bit for bit what it gives without them, over several cycles
 * of updates and computes; `big` adds enough votes that the compute rebuilds the matrix. */
static void same_compute(bool big)
{
    struct sim s;
    sim_init(&s, big ? 4000 : 1500, 30, big ? 4400 : 1800, 33);
    struct consensus *both[2] = { engine(0), engine(0) };
    sim_fill(&s, both, 2, big ? 0.05 : 0.3);
    compute(both[0]);
    compute(both[1]);
    assert_same(both[0], both[1]);
    for (int cycle = 0; cycle < 3; cycle++) {
        for (int round = 0; round < 4; round++) {
            sim_batch(&s, both, 2, big ? 20000 : 300, 25, NULL);
            update(both[0]); /* both[1] only collects the votes */
        }
        compute(both[0]);
        compute(both[1]);
        assert_same(both[0], both[1]);
    }
    free(s.v);
    consensus_free(both[0]);
    consensus_free(both[1]);
}

START_TEST(compute_after_update_unchanged)
{
    same_compute(false);
}
END_TEST

START_TEST(compute_after_update_unchanged_rebuild)
{
    same_compute(true);
}
END_TEST

START_TEST(update_same_any_thread_count)
{
    struct sim s;
    sim_init(&s, 6000, 25, 6500, 5);
    struct consensus *cs[3] = { engine(1), engine(2), engine(5) };
    sim_fill(&s, cs, 3, 0.4);
    for (int k = 0; k < 3; k++) {
        compute(cs[k]);
    }
    for (int round = 0; round < 3; round++) {
        sim_batch(&s, cs, 3, 500, 40, NULL);
        for (int k = 0; k < 3; k++) {
            update(cs[k]);
        }
        for (int k = 1; k < 3; k++) {
            assert_same(cs[0], cs[k]);
        }
    }
    free(s.v);
    for (int k = 0; k < 3; k++) {
        consensus_free(cs[k]);
    }
}
END_TEST

/* What only a full computation answers falls back to it (return 1). */
START_TEST(update_falls_back_to_compute)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct sim s;
    sim_init(&s, 200, 10, 200, 9);
    struct consensus *c = engine(0);
    sim_fill(&s, &c, 1, 0.8);
    ck_assert_int_eq(consensus_update(c, &err), 1); /* no compute yet */
    ck_assert_int_eq(c->computes, 1);
    ck_assert_int_eq(consensus_update(c, &err), 0); /* nothing new */
    ck_assert_int_eq(c->computes, 1);
    ck_assert_int_eq(consensus_vote_add(c, 3, 4, -1, false, &err), 0);
    ck_assert_int_eq(consensus_update(c, &err), 0);
    ck_assert_int_eq(c->computes, 1);
    ck_assert_int_eq(consensus_vote_add(c, 3, 77, 1, false, &err), 0); /* a new statement */
    ck_assert_int_eq(consensus_update(c, &err), 1);
    ck_assert_int_eq(c->computes, 2);
    ck_assert_int_eq(consensus_statement_add(c, 5, NULL, 0, true, &err), 0); /* moderated out */
    ck_assert_int_eq(consensus_update(c, &err), 1);
    ck_assert_int_eq(c->computes, 3);
    ck_assert_int_eq(c->updates, 0);
    free(s.v);
    consensus_free(c);
}
END_TEST

Suite *make_suite(void)
{
    const TTest *tests[] = { update_matches_recount, compute_after_update_unchanged,
                             compute_after_update_unchanged_rebuild, update_same_any_thread_count,
                             update_falls_back_to_compute };
    return test_suite("consensus_update", 300, tests, sizeof tests / sizeof tests[0]);
}
