/*
 * internal.h — what the consensus engine's files share and nothing outside src/consensus/ sees.
 *
 * The vote matrix is kept in three parts so that adding a thousand votes to fifty million does
 * not copy them all:
 *   - base: compressed rows (CSR), each row's columns sorted and unique;
 *   - ov (overflow): votes on (participant, statement) cells that base does not hold, sorted by
 *     row then column, unique;
 *   - pending: the log of votes added since the last compute, in arrival order.
 * consensus__votes_flush() folds pending into base (a changed vote overwrites its cell) and ov, and
 * rebuilds base when ov has grown past an eighth of it.
 */
#ifndef GSI_CONSENSUS_INTERNAL_H
#define GSI_CONSENSUS_INTERNAL_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "consensus/consensus.h"

/* Open-addressing map from an id (0..CONSENSUS_ID_MAX) to a dense index. */
struct idmap {
    int64_t *keys; /* −1 = empty slot */
    uint32_t *vals;
    size_t cap, len; /* cap a power of two */
};
void consensus__idmap_release(struct idmap *m);
/* Index of `key`, or −1. */
long consensus__idmap_get(const struct idmap *m, int64_t key);
/* Inserts key → val (key not present). GSI_ENOMEM. */
int consensus__idmap_put(struct idmap *m, int64_t key, uint32_t val);

/* Most base clusters (opts.base_k is checked against it). */
#define CLUSTER_BASE_MAX 512

struct consensus_state {
    struct idmap pmap, smap;
    size_t pcap, scap; /* allocated participant and statement slots */

    /* base CSR over rows 0..base_rows-1 */
    size_t base_rows;
    uint64_t *row_ptr;
    uint32_t *col;
    int8_t *val;
    uint64_t nnz;

    /* overflow, sorted by (row, col), unique */
    uint32_t *ov_row, *ov_col;
    int8_t *ov_val;
    size_t nov, ov_cap;

    /* pending log */
    uint32_t *pd_row, *pd_col;
    int8_t *pd_val;
    size_t npd, pd_cap;

    /* warm start */
    double *comp[2]; /* previous components, comp_len entries each */
    size_t comp_len;
    int nbase_prev;
    double *base_prev; /* [2 * nbase_prev] centres */
    int group_prev_n[CONSENSUS_GROUPS_MAX + 1];
    double group_prev[CONSENSUS_GROUPS_MAX + 1][CONSENSUS_GROUPS_MAX][2];
    /* per k: the opinion group of each of the nbase_prev base clusters at the last compute,
     * so that a warm update carries the groups over by membership, as Polis does */
    int8_t base_group[CONSENSUS_GROUPS_MAX + 1][CLUSTER_BASE_MAX];
    bool base_group_valid[CONSENSUS_GROUPS_MAX + 1];
    int last_k, last_k_count, smoothed_k;

    /* the last compute's centred vote values: cval[3 * j + vote + 1], 0 for excluded columns */
    double *cval;
    uint8_t *active;

    /* stmt[].agree/disagree/pass hold the matrix's counts (kept by consensus__votes_flush's
     * incremental path; a rebuild clears this and the next compute counts afresh) */
    bool counts_valid;
    /* per participant: projection scores from the last power step, votes on kept statements */
    double *s1, *s2;
    uint32_t *nact;

    /* base-cluster membership of each participant, −1 when not clustered */
    int32_t *base_of;

    /* ---- incremental updates (update.c) ----
     * Votes the updates folded into the matrix since the last compute: the next compute's
     * flush decides between rebuild and overflow on nov as it stood before them plus every
     * vote they folded, as it would have without them, so its matrix is the same. */
    bool upd_active;
    size_t upd_nov0;
    uint64_t upd_raw;
    /* Per base cluster, taken from the last compute and kept by the updates: the sums of the
     * members' projections, the members, the centre and the reported group. */
    bool upd_synced;
    int upd_nbase;
    double upd_bsx[CLUSTER_BASE_MAX], upd_bsy[CLUSTER_BASE_MAX];
    double upd_bcx[CLUSTER_BASE_MAX], upd_bcy[CLUSTER_BASE_MAX];
    uint32_t upd_bn[CLUSTER_BASE_MAX];
    int8_t upd_bgroup[CLUSTER_BASE_MAX];
    /* What the updates changed of the state a compute starts from (in_conv, base_of), in
     * order, so the next compute can put it back and start exactly where the last one left. */
    struct upd_undo *undo;
    size_t nundo, undo_cap;
};

struct upd_undo {
    uint32_t participant;
    int32_t base_of;
    bool in_conv;
};

/* ---- consensus.c ---- */
/* Index of participant `pid`, created when new; a negative code on failure. */
long consensus_participant_get(struct consensus *c, int64_t pid, struct gsi_err *err);

/* ---- votes.c ---- */
int consensus__votes_flush(struct consensus *c, struct gsi_err *err);
/* Index of the first overflow entry of a row >= r (binary search; st->nov when none). */
size_t consensus__votes_ov_first(const struct consensus_state *st, size_t r);

/* A row's entries in the matrix: base [eb, ee) and overflow [ob, oe). */
struct row_span {
    uint64_t eb, ee;
    size_t ob, oe;
};
/* Row r's entries; ov is the first overflow entry of a row >= r (consensus__votes_ov_first), and
 * the returned oe is that of row r + 1, so a pass over consecutive rows needs one search. */
static inline struct row_span votes_row_span(const struct consensus_state *st, size_t r, size_t ov)
{
    struct row_span sp = { 0, 0, ov, ov };
    if (r < st->base_rows) {
        sp.eb = st->row_ptr[r];
        sp.ee = st->row_ptr[r + 1];
    }
    while (sp.oe < st->nov && st->ov_row[sp.oe] == r) {
        sp.oe++;
    }
    return sp;
}
/* Folds pending votes in without ever rebuilding (overwrite cells, join the overflow), and
 * records them for the next consensus__votes_flush's decision (upd_*). */
int consensus__votes_flush_incremental(struct consensus *c, struct gsi_err *err);

/* ---- update.c ---- */
/* Puts back what consensus_update changed of the state consensus_compute starts from. */
void consensus__update_forget(struct consensus *c);

/* ---- par.c: a fixed split into blocks, run on threads; the split never depends on the
 * number of threads, so block-wise partial sums added in block order give the same bits. */
/* n / per_block_floor blocks, at least 1 and at most max_blocks (callers pass >= 1). Defined
 * here so that every caller's code shows the count is never 0 (clang-tidy checks the sizes
 * allocated from it). */
static inline size_t par_blocks(size_t n, size_t per_block_floor, size_t max_blocks)
{
    assert(max_blocks >= 1);
    if (per_block_floor == 0) {
        per_block_floor = 1;
    }
    size_t b = n / per_block_floor;
    if (b < 1) {
        b = 1;
    }
    if (b > max_blocks) {
        b = max_blocks;
    }
    return b;
}
void consensus__par_run(int threads, size_t nblocks, void (*fn)(void *ctx, size_t block),
                        void *ctx);
int consensus__par_threads(int requested);

/* ---- pca.c ---- */
/* Fills st->cval, the components (st->comp) and each participant's projection and nvotes. */
int consensus__pca_compute(struct consensus *c, struct gsi_err *err);
/* Projects row r (its entries sp) on the components q1, q2 (statement j's loading at
 * q[j * stride]) with the centred values st->cval, scaled as Polis's sparsity-aware
 * projection; writes c->x[r] and c->y[r]. Base entries are summed first, then the overflow,
 * so a compute and an update give the same bits. */
void consensus__pca_project_row(struct consensus *c, size_t r, struct row_span sp, const double *q1,
                                const double *q2, size_t stride);

/* ---- cluster.c ---- */
/* Weighted k-means on 2-D points. `centres` holds `*k` starting centres on entry (distinct);
 * with in->hint, assign[i] is a guess of point i's centre (-1: none), which only speeds up
 * the first assignment;
 * on exit the final centres, empty clusters dropped, and *k the number kept. assign[i] gets
 * the cluster of point i. Returns iterations run. */
struct kmeans_in {
    size_t n;
    const double *x, *y;
    const double *w; /* weights, or NULL for 1 */
    int threads;
    int max_iters;
    bool hint;   /* assign[] holds a guess (or -1) on entry: start each search from it */
    int *origin; /* optional: on exit origin[c] is the starting centre final centre c came from */
};
int consensus__kmeans_run(const struct kmeans_in *in, double *centres, int *k, int32_t *assign);
/* First up to k distinct points, in order, written to centres; returns how many. */
int consensus__kmeans_init_distinct(const double *x, const double *y, size_t n, int k,
                                    double *centres);
/* Mean silhouette over points of a clustering, distances between the points themselves. */
double consensus__silhouette(const double *x, const double *y, size_t n, const int32_t *assign,
                             int k);

int consensus__cluster_compute(struct consensus *c, struct gsi_err *err);

/* ---- repness.c ---- */
int consensus__repness_compute(struct consensus *c, struct gsi_err *err);
/* Statement j's statistics in every group from c->repness[g * ns + j].na, nd and ns, and its
 * gic and divisiveness (c->ngroups > 0). */
void consensus__repness_statement(struct consensus *c, size_t j);
/* Majority statements and each group's representative statements from the statistics. */
int consensus__repness_rank(struct consensus *c, struct gsi_err *err);

#endif
