/* pca.c — column means, the two principal components by power iteration, and the projection.
 *
 * With missing votes imputed by their column's mean, the centred matrix is zero wherever a
 * participant did not vote, so it has exactly the sparsity of the votes and is never formed:
 * a vote v on statement j stands for v − mean_j (cval), and X'X q is one pass over the votes,
 * row by row: s = X_r · q, then w += s X_r. Both components advance in the same pass
 * (orthogonal iteration): q1 follows plain power iteration, q2 is made orthogonal to q1 after
 * each step, which is Polis's deflation (factor-matrix) applied to the operator instead of the
 * data. See docs/internals/consensus.md. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "consensus/internal.h"
#include "core/buf.h"
#include "core/rng.h"

struct rows_ctx {
    struct consensus *c;
    const struct consensus_state *st;
    size_t nrows, nblocks, ncols;
    /* column counts */
    uint32_t *counts; /* [block][3 * ncols] */
    /* power step */
    const double *q;   /* interleaved q1, q2: q[2j], q[2j+1] */
    const double *tab; /* [6j + 2(v+1) + k] = cval(j, v) q_k[j] */
    double *w;         /* [block][6 * ncols] */
    bool first;        /* first power step: also count each row's votes */
};

static void block_rows(const struct rows_ctx *x, size_t b, size_t *r0, size_t *r1, size_t *o0)
{
    *r0 = x->nrows * b / x->nblocks;
    *r1 = x->nrows * (b + 1) / x->nblocks;
    *o0 = consensus__votes_ov_first(x->st, *r0);
}

static void count_block(void *ctx, size_t b)
{
    struct rows_ctx *x = ctx;
    const struct consensus_state *st = x->st;
    uint32_t *cnt = x->counts + b * 3 * x->ncols;
    memset(cnt, 0, 3 * x->ncols * sizeof *cnt);
    size_t r0, r1, o;
    block_rows(x, b, &r0, &r1, &o);
    size_t rb = r1 < st->base_rows ? r1 : st->base_rows;
    if (r0 < rb) {
        for (uint64_t e = st->row_ptr[r0]; e < st->row_ptr[rb]; e++) {
            cnt[3 * (size_t)st->col[e] + (size_t)(st->val[e] + 1)]++;
        }
    }
    for (; o < st->nov && st->ov_row[o] < r1; o++) {
        cnt[3 * (size_t)st->ov_col[o] + (size_t)(st->ov_val[o] + 1)]++;
    }
}

static void power_block(void *ctx, size_t b)
{
    /* One random read and one random update per vote: tab[6j + 2(v+1) + k] holds
     * cval(j, v) * q_k[j], and w gathers, per column and vote value, the sum of the rows'
     * scores s_k; the caller multiplies by cval once per column. */
    struct rows_ctx *x = ctx;
    struct consensus_state *st = x->c->st;
    struct consensus *c = x->c;
    const double *tab = x->tab;
    double *w = x->w + b * 6 * x->ncols;
    memset(w, 0, 6 * x->ncols * sizeof *w);
    size_t r0, r1, o;
    block_rows(x, b, &r0, &r1, &o);
    for (size_t r = r0; r < r1; r++) {
        double s1 = 0, s2 = 0;
        struct row_span sp = votes_row_span(st, r, o);
        uint64_t eb = sp.eb, ee = sp.ee;
        size_t ob = sp.ob;
        o = sp.oe;
        for (uint64_t e = eb; e < ee; e++) {
            const double *t = tab + 6 * (size_t)st->col[e] + 2 * (size_t)(st->val[e] + 1);
            s1 += t[0];
            s2 += t[1];
        }
        for (size_t e = ob; e < o; e++) {
            const double *t = tab + 6 * (size_t)st->ov_col[e] + 2 * (size_t)(st->ov_val[e] + 1);
            s1 += t[0];
            s2 += t[1];
        }
        st->s1[r] = s1;
        st->s2[r] = s2;
        if (x->first) {
            uint32_t n = 0;
            for (uint64_t e = eb; e < ee; e++) {
                n += st->active[st->col[e]];
            }
            for (size_t e = ob; e < o; e++) {
                n += st->active[st->ov_col[e]];
            }
            st->nact[r] = n;
            c->nvotes[r] = (uint32_t)(ee - eb) + (uint32_t)(o - ob);
        }
        for (uint64_t e = eb; e < ee; e++) {
            double *t = w + 6 * (size_t)st->col[e] + 2 * (size_t)(st->val[e] + 1);
            t[0] += s1;
            t[1] += s2;
        }
        for (size_t e = ob; e < o; e++) {
            double *t = w + 6 * (size_t)st->ov_col[e] + 2 * (size_t)(st->ov_val[e] + 1);
            t[0] += s1;
            t[1] += s2;
        }
    }
}

/* Polis's sparsity-aware projection pushes participants who voted on few statements out from
 * the centre by sqrt(statements / votes). As in Polis, a statement moderated out stays a column
 * of zeros that every participant counts as voted: nkept is the votes on kept statements. */
static double projection_scale(const struct consensus *c, uint32_t nkept)
{
    double seen = (double)nkept + (double)(c->ns - c->n_active);
    return sqrt((double)c->ns / (seen > 0 ? seen : 1.0));
}

/* A row's running projection: its two scores and its votes on kept statements. */
struct projection_sum {
    double p1, p2;
    uint32_t n;
};

/* Adds the votes col[i], val[i] for i in [b, e) (one of a row's two spans) to `ps`. */
static inline void project_span(struct projection_sum *ps, const struct consensus_state *st,
                                const uint32_t *col, const int8_t *val, uint64_t b, uint64_t e,
                                const double *q1, const double *q2, size_t stride)
{
    for (uint64_t i = b; i < e; i++) {
        size_t j = col[i];
        double v = st->cval[3 * j + (size_t)(val[i] + 1)];
        ps->p1 += v * q1[j * stride];
        ps->p2 += v * q2[j * stride];
        ps->n += st->active[j];
    }
}

void consensus__pca_project_row(struct consensus *c, size_t r, struct row_span sp, const double *q1,
                                const double *q2, size_t stride)
{
    const struct consensus_state *st = c->st;
    struct projection_sum ps = { 0, 0, 0 };
    project_span(&ps, st, st->col, st->val, sp.eb, sp.ee, q1, q2, stride);
    project_span(&ps, st, st->ov_col, st->ov_val, sp.ob, sp.oe, q1, q2, stride);
    double scale = projection_scale(c, ps.n);
    c->x[r] = scale * ps.p1;
    c->y[r] = scale * ps.p2;
}

static void project_block(void *ctx, size_t b)
{
    struct rows_ctx *x = ctx;
    const struct consensus_state *st = x->st;
    size_t r0, r1, o;
    block_rows(x, b, &r0, &r1, &o);
    for (size_t r = r0; r < r1; r++) {
        struct row_span sp = votes_row_span(st, r, o);
        o = sp.oe;
        consensus__pca_project_row(x->c, r, sp, x->q, x->q + 1, 2);
        x->c->nvotes[r] = (uint32_t)(sp.ee - sp.eb) + (uint32_t)(sp.oe - sp.ob);
    }
}

static double norm2(const double *q, size_t m, int k)
{
    double s = 0;
    for (size_t j = 0; j < m; j++) {
        s += q[2 * j + (size_t)k] * q[2 * j + (size_t)k];
    }
    return sqrt(s);
}

/* Orthonormalises the interleaved pair: q1 /= |q1|; q2 -= (q1·q2) q1; q2 /= |q2|. A zero
 * vector stays zero (the data has fewer dimensions than asked for). */
static void orthonormalise(double *q, size_t m)
{
    double n1 = norm2(q, m, 0);
    if (n1 > 0) {
        for (size_t j = 0; j < m; j++) {
            q[2 * j] /= n1;
        }
    }
    double d = 0;
    double before = norm2(q, m, 1);
    for (size_t j = 0; j < m; j++) {
        d += q[2 * j] * q[2 * j + 1];
    }
    for (size_t j = 0; j < m; j++) {
        q[2 * j + 1] -= d * q[2 * j];
    }
    double n2 = norm2(q, m, 1);
    if (n2 <= 1e-10 * fmax(before, n1)) {
        /* what is left is rounding error: the data has one dimension only */
        for (size_t j = 0; j < m; j++) {
            q[2 * j + 1] = 0;
        }
        n2 = 0;
    }
    if (n2 > 0) {
        for (size_t j = 0; j < m; j++) {
            q[2 * j + 1] /= n2;
        }
    }
}

/* The per-statement and per-row arrays a computation fills, sized for this one. */
static int alloc_state(struct consensus_state *st, size_t m, size_t n, struct gsi_err *err)
{
    free(st->cval);
    free(st->active);
    st->cval = calloc(3 * (m ? m : 1), sizeof *st->cval);
    st->active = calloc(m ? m : 1, 1);
    free(st->s1);
    free(st->s2);
    free(st->nact);
    /* zeroed: the power step fills them, and an analyzer cannot follow it through par_run */
    st->s1 = calloc(n ? n : 1, sizeof *st->s1);
    st->s2 = calloc(n ? n : 1, sizeof *st->s2);
    st->nact = calloc(n ? n : 1, sizeof *st->nact);
    if (st->s1 == NULL || st->s2 == NULL || st->nact == NULL || st->cval == NULL ||
        st->active == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory computing the components");
    }
    return 0;
}

/* Phase 1: each statement's agree, disagree and pass counts (unless still valid), then the
 * centred values a vote takes in its column, and which statements count. */
static void column_values(struct consensus *c, struct rows_ctx *x, int threads)
{
    struct consensus_state *st = c->st;
    size_t m = c->ns, nblocks = x->nblocks;
    if (!st->counts_valid) {
        consensus__par_run(threads, nblocks, count_block, x);
        for (size_t j = 0; j < m; j++) {
            uint64_t k[3] = { 0, 0, 0 };
            for (size_t b = 0; b < nblocks; b++) {
                for (int v = 0; v < 3; v++) {
                    k[v] += x->counts[b * 3 * m + 3 * j + (size_t)v];
                }
            }
            c->stmt[j].disagree = (uint32_t)k[0];
            c->stmt[j].pass = (uint32_t)k[1];
            c->stmt[j].agree = (uint32_t)k[2];
        }
        st->counts_valid = true;
    }
    c->n_active = 0;
    for (size_t j = 0; j < m; j++) {
        struct consensus_statement *s = &c->stmt[j];
        uint64_t k[3] = { s->disagree, s->pass, s->agree };
        uint64_t cnt = k[0] + k[1] + k[2];
        if (s->moderated_out) {
            continue; /* cval stays 0: the statement carries no weight anywhere */
        }
        st->active[j] = 1;
        c->n_active++;
        /* Polis imputes a missing vote with the column's mean over those who voted. */
        double mean = cnt ? ((double)k[2] - (double)k[0]) / (double)cnt : 0.0;
        st->cval[3 * j + 0] = -1.0 - mean;
        st->cval[3 * j + 1] = 0.0 - mean;
        st->cval[3 * j + 2] = 1.0 - mean;
    }
}

/* Phase 2: start vectors: the previous components (new statements get 0), else seeded
 * random; orthonormalised. */
static void start_vectors(const struct consensus *c, double *q)
{
    const struct consensus_state *st = c->st;
    size_t m = c->ns;
    bool warm = st->comp_len > 0;
    if (warm) {
        for (size_t j = 0; j < m && j < st->comp_len; j++) {
            q[2 * j] = st->comp[0][j] * st->active[j];
            q[2 * j + 1] = st->comp[1][j] * st->active[j];
        }
        if (norm2(q, m, 0) == 0 || norm2(q, m, 1) == 0) {
            warm = false;
        }
    }
    if (!warm) {
        struct gsi_rng rng;
        gsi_rng_init(&rng, c->opts.seed);
        for (size_t j = 0; j < m; j++) {
            q[2 * j] = gsi_rng_normal(&rng) * st->active[j];
            q[2 * j + 1] = gsi_rng_normal(&rng) * st->active[j];
        }
    }
    orthonormalise(q, m);
}

/* How far the plane of the two components moved in one step: the sine of the largest
 * principal angle between the old and new planes, from the smallest singular value of the 2x2
 * matrix Qold'Q. The projection's distances, and so the clustering, depend only on that
 * plane. */
static double plane_moved(const double *qold, const double *q, size_t m)
{
    double a = 0, b = 0, cc = 0, d = 0;
    for (size_t j = 0; j < m; j++) {
        a += qold[2 * j] * q[2 * j];
        b += qold[2 * j] * q[2 * j + 1];
        cc += qold[2 * j + 1] * q[2 * j];
        d += qold[2 * j + 1] * q[2 * j + 1];
    }
    double tr = a * a + b * b + cc * cc + d * d, det = a * d - b * cc;
    double disc = sqrt(fmax(0.0, tr * tr / 4 - det * det));
    double smin2 = tr / 2 - disc;
    double delta = sqrt(fmax(0.0, 1 - smin2));
    bool zero1 = norm2(q, m, 0) == 0, zero2 = norm2(q, m, 1) == 0;
    if (zero1) {
        delta = 0; /* no variance at all: nothing to iterate on */
    } else if (zero2) {
        delta = sqrt(fmax(0.0, 1 - a * a)); /* rank one: the first direction alone */
    }
    return delta;
}

/* One power step: q <- C'C q over the imputed vote matrix C, the rows' partial sums added in
 * block order (x->w), then orthonormalised. qold keeps the input. */
static void power_step(struct consensus *c, struct rows_ctx *x, int threads, double *tab, double *q,
                       double *qold, bool first)
{
    const struct consensus_state *st = c->st;
    size_t m = c->ns, nblocks = x->nblocks;
    for (size_t j = 0; j < m; j++) {
        for (size_t v = 0; v < 3; v++) {
            tab[6 * j + 2 * v] = st->cval[3 * j + v] * q[2 * j];
            tab[6 * j + 2 * v + 1] = st->cval[3 * j + v] * q[2 * j + 1];
        }
    }
    x->first = first;
    consensus__par_run(threads, nblocks, power_block, x);
    memcpy(qold, q, 2 * m * sizeof *q);
    for (size_t j = 0; j < m; j++) {
        double acc[6] = { 0, 0, 0, 0, 0, 0 };
        for (size_t b = 0; b < nblocks; b++) {
            const double *wb = x->w + b * 6 * m + 6 * j;
            for (int t = 0; t < 6; t++) {
                acc[t] += wb[t];
            }
        }
        const double *cv = st->cval + 3 * j;
        q[2 * j] = cv[0] * acc[0] + cv[1] * acc[2] + cv[2] * acc[4];
        q[2 * j + 1] = cv[0] * acc[1] + cv[1] * acc[3] + cv[2] * acc[5];
    }
    orthonormalise(q, m);
}

/* Phase 3: power iteration until the plane settles or pca_iters steps. Returns the steps
 * taken, or GSI_ENOMEM. */
static int power_iterate(struct consensus *c, struct rows_ctx *x, int threads, double *q,
                         double *qold, struct gsi_err *err)
{
    size_t m = c->ns;
    x->w = malloc(x->nblocks * 6 * (m ? m : 1) * sizeof *x->w);
    double *tab = malloc(6 * (m ? m : 1) * sizeof *tab);
    if (x->w == NULL || tab == NULL) {
        free(x->w);
        free(tab);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory computing the components");
    }
    x->tab = tab;
    int it = 0;
    for (; it < c->opts.pca_iters && m > 0; it++) {
        power_step(c, x, threads, tab, q, qold, it == 0);
        if (plane_moved(qold, q, m) <= c->opts.pca_tol) {
            it++;
            break;
        }
    }
    free(x->w);
    x->w = NULL;
    free(tab);
    return it;
}

/* Phase 4: the projection, and the components kept for the next warm start and the report. */
static int project_and_keep(struct consensus *c, struct rows_ctx *x, int threads, double *q,
                            const double *qold, int it, struct gsi_err *err)
{
    struct consensus_state *st = c->st;
    size_t m = c->ns, n = c->np;
    if (it > 0) {
        /* The last power step scored every row against its input vectors (qold), which span
         * the converged plane: those are the components kept, and the scores, scaled, are the
         * projection; no further pass over the votes. */
        memcpy(q, qold, 2 * m * sizeof *q);
        for (size_t r = 0; r < n; r++) {
            double scale = projection_scale(c, st->nact[r]);
            c->x[r] = scale * st->s1[r];
            c->y[r] = scale * st->s2[r];
        }
    } else {
        x->q = q;
        consensus__par_run(threads, x->nblocks, project_block, x);
    }
    if (GSI_ALLOC_RESIZE(st->comp[0], m) < 0 || GSI_ALLOC_RESIZE(st->comp[1], m) < 0) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory keeping the components");
    }
    for (size_t j = 0; j < m; j++) {
        st->comp[0][j] = q[2 * j];
        st->comp[1][j] = q[2 * j + 1];
        c->stmt[j].pc[0] = q[2 * j];
        c->stmt[j].pc[1] = q[2 * j + 1];
    }
    st->comp_len = m;
    return 0;
}

int consensus__pca_compute(struct consensus *c, struct gsi_err *err)
{
    struct consensus_state *st = c->st;
    size_t m = c->ns, n = c->np;
    int threads = consensus__par_threads(c->opts.threads);
    struct rows_ctx x;
    memset(&x, 0, sizeof x);
    x.c = c;
    x.st = st;
    x.nrows = n;
    x.ncols = m;
    /* Blocks depend only on the sizes; partial arrays stay under ~64 MiB. */
    size_t maxb = (size_t)(8u << 20) / (6 * (m ? m : 1));
    if (maxb > 64) {
        maxb = 64;
    }
    if (maxb < 1) {
        maxb = 1;
    }
    /* a local copy: par_run gets &x, and the sizes below must visibly use the same count */
    const size_t nblocks = par_blocks(n, 2048, maxb);
    x.nblocks = nblocks;
    if (alloc_state(st, m, n, err) < 0) {
        return GSI_ENOMEM;
    }
    x.counts = malloc(nblocks * 3 * (m ? m : 1) * sizeof *x.counts);
    double *q = calloc(2 * (m ? m : 1), sizeof *q);
    double *qold = calloc(2 * (m ? m : 1), sizeof *qold);
    int rc = GSI_ENOMEM;
    if (x.counts == NULL || q == NULL || qold == NULL) {
        gsi_err_set(err, GSI_ENOMEM, "out of memory computing the components");
        goto out;
    }
    column_values(c, &x, threads);
    free(x.counts);
    x.counts = NULL;
    start_vectors(c, q);
    int it = power_iterate(c, &x, threads, q, qold, err);
    if (it < 0) {
        goto out;
    }
    c->pca_iterations = it;
    rc = project_and_keep(c, &x, threads, q, qold, it, err);
out:
    free(x.counts);
    free(q);
    free(qold);
    return rc;
}
