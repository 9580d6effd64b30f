/* repness.c — per group and statement counts, Polis's representativeness statistics and the
 * choice of representative statements (repness.clj), majority statements, group-informed
 * consensus and divisiveness. Formulas: docs/internals/consensus.md. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "consensus/internal.h"

#define Z90 1.2816 /* one-sided 90% significance (Polis's z-sig-90?) */

/* Polis's prop-test: one-proportion z score against 1/2 with a +1 pseudo-count. */
static double prop_test(double succ, double n)
{
    succ += 1;
    n += 1;
    return 2 * sqrt(n) * (succ / n - 0.5);
}

/* Polis's two-prop-test with +1 pseudo-counts on all four counts. */
static double two_prop_test(double succ_in, double succ_out, double pop_in, double pop_out)
{
    succ_in += 1;
    succ_out += 1;
    pop_in += 1;
    pop_out += 1;
    double pi1 = succ_in / pop_in, pi2 = succ_out / pop_out;
    double pi_hat = (succ_in + succ_out) / (pop_in + pop_out);
    if (pi_hat == 1) {
        return 0;
    }
    return (pi1 - pi2) / sqrt(pi_hat * (1 - pi_hat) * (1 / pop_in + 1 / pop_out));
}

struct gc_ctx {
    const struct consensus *c;
    size_t nblocks, m;
    int ng;
    uint32_t *part; /* [block][ng][m][3]: disagree, pass, agree */
};

static void gc_block(void *ctx, size_t b)
{
    struct gc_ctx *x = ctx;
    const struct consensus *c = x->c;
    const struct consensus_state *st = c->st;
    size_t per = (size_t)x->ng * x->m * 3;
    uint32_t *p = x->part + b * per;
    memset(p, 0, per * sizeof *p);
    size_t r0 = c->np * b / x->nblocks, r1 = c->np * (b + 1) / x->nblocks;
    for (size_t r = r0; r < r1; r++) {
        int8_t g = c->group[r];
        if (g < 0) {
            continue;
        }
        uint32_t *pg = p + (size_t)g * x->m * 3;
        if (r < st->base_rows) {
            for (uint64_t e = st->row_ptr[r]; e < st->row_ptr[r + 1]; e++) {
                pg[3 * (size_t)st->col[e] + (size_t)(st->val[e] + 1)]++;
            }
        }
    }
    for (size_t o = consensus__votes_ov_first(st, r0); o < st->nov && st->ov_row[o] < r1; o++) {
        int8_t g = c->group[st->ov_row[o]];
        if (g >= 0) {
            p[((size_t)g * x->m + st->ov_col[o]) * 3 + (size_t)(st->ov_val[o] + 1)]++;
        }
    }
}

struct cand {
    struct consensus_rep rep;
    double metric;
    uint32_t order; /* arrival order, for a stable sort */
};

static void finalize(struct consensus_rep *r, uint32_t j, const struct consensus_repness *s)
{
    r->statement = j;
    r->best_agree = false;
    if (s->rat > s->rdt) {
        r->agree = true;
        r->n_success = s->na;
        r->p_success = s->pa;
        r->p_test = s->pat;
        r->repness = s->ra;
        r->repness_test = s->rat;
    } else {
        r->agree = false;
        r->n_success = s->nd;
        r->p_success = s->pd;
        r->p_test = s->pdt;
        r->repness = s->rd;
        r->repness_test = s->rdt;
    }
    r->n_trials = s->ns;
}

static double rep_metric(const struct consensus_rep *r)
{
    return r->repness * r->repness_test * r->p_success * r->p_test;
}

static int cmp_cand(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->metric != y->metric) {
        return x->metric > y->metric ? -1 : 1;
    }
    return x->order < y->order ? -1 : (x->order > y->order);
}

static bool beats_best_agree(const struct consensus_repness *s,
                             const struct consensus_repness *best)
{
    if (s->na == 0 && s->nd == 0) {
        return false;
    }
    if (best != NULL && best->ra > 1.0) {
        return s->ra * s->rat * s->pa * s->pat > best->ra * best->rat * best->pa * best->pat;
    }
    if (best != NULL) {
        return s->pa * s->pat > best->pa * best->pat;
    }
    return s->pat > Z90 || (s->ra > 1.0 && s->pa > 0.5);
}

static int select_reps(struct consensus *c, int g)
{
    size_t m = c->ns;
    struct cand *suff = malloc((m ? m : 1) * sizeof *suff);
    if (suff == NULL) {
        return GSI_ENOMEM;
    }
    size_t nsuff = 0;
    bool have_best = false, have_ba = false;
    struct consensus_rep best;
    memset(&best, 0, sizeof best);
    uint32_t ba = 0;
    for (size_t j = 0; j < m; j++) {
        if (!c->st->active[j]) {
            continue;
        }
        const struct consensus_repness *s = &c->repness[(size_t)g * m + j];
        if ((s->rat > Z90 && s->pat > Z90) || (s->rdt > Z90 && s->pdt > Z90)) {
            finalize(&suff[nsuff].rep, (uint32_t)j, s);
            suff[nsuff].order = (uint32_t)nsuff;
            suff[nsuff].metric = rep_metric(&suff[nsuff].rep);
            nsuff++;
        }
        if (nsuff == 0 && (!have_best || fmax(s->rat, s->rdt) > best.repness_test)) {
            finalize(&best, (uint32_t)j, s);
            have_best = true;
        }
        if (beats_best_agree(s, have_ba ? &c->repness[(size_t)g * m + ba] : NULL)) {
            ba = (uint32_t)j;
            have_ba = true;
        }
    }
    struct consensus_group *grp = &c->groups[g];
    grp->nreps = 0;
    struct consensus_rep head;
    if (have_ba) {
        /* The best-agree statement is reported as agreed (Polis may label it by whichever
         * test is larger; see the internals page). */
        const struct consensus_repness *s = &c->repness[(size_t)g * m + ba];
        head.statement = ba;
        head.agree = true;
        head.best_agree = true;
        head.n_success = s->na;
        head.n_trials = s->ns;
        head.p_success = s->pa;
        head.p_test = s->pat;
        head.repness = s->ra;
        head.repness_test = s->rat;
    }
    if (nsuff == 0) {
        if (have_ba) {
            grp->reps[grp->nreps++] = head;
        } else if (have_best) {
            grp->reps[grp->nreps++] = best;
        }
        free(suff);
        return 0;
    }
    size_t w = 0;
    for (size_t i = 0; i < nsuff; i++) {
        if (!(have_ba && suff[i].rep.statement == ba)) {
            suff[w++] = suff[i];
        }
    }
    nsuff = w;
    qsort(suff, nsuff, sizeof *suff, cmp_cand);
    struct consensus_rep pick[CONSENSUS_REPS_MAX];
    int np = 0;
    if (have_ba) {
        pick[np++] = head;
    }
    for (size_t i = 0; i < nsuff && np < CONSENSUS_REPS_MAX; i++) {
        pick[np++] = suff[i].rep;
    }
    /* agrees before disagrees, order kept within each */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < np; i++) {
            if (pick[i].agree == (pass == 0)) {
                grp->reps[grp->nreps++] = pick[i];
            }
        }
    }
    free(suff);
    return 0;
}

struct maj {
    uint32_t j;
    double metric;
};

static int cmp_maj(const void *a, const void *b)
{
    const struct maj *x = a, *y = b;
    if (x->metric != y->metric) {
        return x->metric > y->metric ? -1 : 1;
    }
    return x->j < y->j ? -1 : (x->j > y->j);
}

static int majority(struct consensus *c)
{
    size_t m = c->ns;
    struct maj *v = malloc((m ? m : 1) * sizeof *v);
    if (v == NULL) {
        return GSI_ENOMEM;
    }
    for (int side = 0; side < 2; side++) {
        size_t n = 0;
        for (size_t j = 0; j < m; j++) {
            if (!c->st->active[j]) {
                continue;
            }
            const struct consensus_statement *s = &c->stmt[j];
            double ns = (double)s->agree + s->disagree + s->pass;
            double k = side == 0 ? s->agree : s->disagree;
            double p = (k + 1) / (ns + 2), t = prop_test(k, ns);
            if (p > 0.5 && t > Z90) {
                v[n].j = (uint32_t)j;
                v[n].metric = p * t;
                n++;
            }
        }
        qsort(v, n, sizeof *v, cmp_maj);
        struct consensus_majority *out = side == 0 ? c->maj_agree : c->maj_disagree;
        int cnt = 0;
        for (size_t i = 0; i < n && i < 5; i++) {
            const struct consensus_statement *s = &c->stmt[v[i].j];
            double ns = (double)s->agree + s->disagree + s->pass;
            double k = side == 0 ? s->agree : s->disagree;
            out[cnt].statement = v[i].j;
            out[cnt].agree = side == 0;
            out[cnt].n_success = (uint32_t)k;
            out[cnt].n_trials = (uint32_t)ns;
            out[cnt].p_success = (k + 1) / (ns + 2);
            out[cnt].p_test = prop_test(k, ns);
            cnt++;
        }
        if (side == 0) {
            c->nmaj_agree = cnt;
        } else {
            c->nmaj_disagree = cnt;
        }
    }
    free(v);
    return 0;
}

int consensus__repness_compute(struct consensus *c, struct gsi_err *err)
{
    size_t m = c->ns;
    int ng = c->ngroups;
    if (majority(c) < 0) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory ranking statements");
    }
    if (ng == 0 || m == 0) {
        for (size_t j = 0; j < m; j++) {
            const struct consensus_statement *s = &c->stmt[j];
            c->stmt[j].gic =
                ((double)s->agree + 1) / ((double)s->agree + s->disagree + s->pass + 2);
        }
        return 0;
    }
    struct gc_ctx x;
    x.c = c;
    x.m = m;
    x.ng = ng;
    size_t per = (size_t)ng * m * 3;
    size_t maxb = (size_t)(8u << 20) / per;
    if (maxb > 64) {
        maxb = 64;
    }
    if (maxb < 1) {
        maxb = 1;
    }
    x.nblocks = par_blocks(c->np, 4096, maxb);
    x.part = malloc(x.nblocks * per * sizeof *x.part);
    c->repness = calloc((size_t)ng * m, sizeof *c->repness);
    if (x.part == NULL || c->repness == NULL) {
        free(x.part);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory counting group votes");
    }
    consensus__par_run(consensus__par_threads(c->opts.threads), x.nblocks, gc_block, &x);
    uint32_t *tot = calloc(per, sizeof *tot);
    if (tot == NULL) {
        free(x.part);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory counting group votes");
    }
    for (size_t b = 0; b < x.nblocks; b++) {
        for (size_t i = 0; i < per; i++) {
            tot[i] += x.part[b * per + i];
        }
    }
    free(x.part);
    for (size_t j = 0; j < m; j++) {
        for (int g = 0; g < ng; g++) {
            const uint32_t *t = tot + ((size_t)g * m + j) * 3;
            struct consensus_repness *s = &c->repness[(size_t)g * m + j];
            s->na = t[2];
            s->nd = t[0];
            s->ns = t[0] + t[1] + t[2];
        }
        consensus__repness_statement(c, j);
    }
    free(tot);
    for (int g = 0; g < ng; g++) {
        if (select_reps(c, g) < 0) {
            return gsi_err_set(err, GSI_ENOMEM, "out of memory choosing statements");
        }
    }
    return 0;
}

void consensus__repness_statement(struct consensus *c, size_t j)
{
    size_t m = c->ns;
    int ng = c->ngroups;
    {
        uint64_t all_a = 0, all_d = 0, all_s = 0;
        for (int g = 0; g < ng; g++) {
            const struct consensus_repness *s = &c->repness[(size_t)g * m + j];
            all_a += s->na;
            all_d += s->nd;
            all_s += s->ns;
        }
        double gic = 1, dmin = INFINITY, dmax = -INFINITY;
        for (int g = 0; g < ng; g++) {
            struct consensus_repness *s = &c->repness[(size_t)g * m + j];
            double na = s->na, nd = s->nd, ns = s->ns;
            double rest_a = (double)(all_a - s->na), rest_d = (double)(all_d - s->nd);
            double rest_s = (double)(all_s - s->ns);
            s->pa = (na + 1) / (ns + 2);
            s->pd = (nd + 1) / (ns + 2);
            s->pat = prop_test(na, ns);
            s->pdt = prop_test(nd, ns);
            s->ra = s->pa / ((rest_a + 1) / (rest_s + 2));
            s->rd = s->pd / ((rest_d + 1) / (rest_s + 2));
            s->rat = two_prop_test(na, rest_a, ns, rest_s);
            s->rdt = two_prop_test(nd, rest_d, ns, rest_s);
            gic *= s->pa;
            double net = (na - nd) / (ns + 2);
            dmin = fmin(dmin, net);
            dmax = fmax(dmax, net);
        }
        c->stmt[j].gic = c->st->active[j] ? gic : 0;
        c->stmt[j].divisiveness = c->st->active[j] && ng > 1 ? dmax - dmin : 0;
    }
}

int consensus__repness_rank(struct consensus *c, struct gsi_err *err)
{
    if (majority(c) < 0) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory ranking statements");
    }
    if (c->ngroups == 0 || c->ns == 0 || c->repness == NULL) {
        return 0;
    }
    for (int g = 0; g < c->ngroups; g++) {
        if (select_reps(c, g) < 0) {
            return gsi_err_set(err, GSI_ENOMEM, "out of memory choosing statements");
        }
    }
    return 0;
}
