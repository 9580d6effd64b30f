/* update.c — the fast incremental path: fold in the votes added since the last compute or
 * update, and refresh only what they change, on the components and groups of the last full
 * compute (docs/internals/consensus.md, "Incremental updates"). Single-threaded: the work is
 * proportional to the new votes and the affected participants' rows, so it is the same for
 * any thread count. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "consensus/internal.h"
#include "core/buf.h"

void consensus__update_forget(struct consensus *c)
{
    struct consensus_state *st = c->st;
    /* In reverse order, so a participant touched twice gets its first saved state. */
    for (size_t u = st->nundo; u-- > 0;) {
        const struct upd_undo *e = &st->undo[u];
        if (e->participant < c->np) {
            c->in_conv[e->participant] = e->in_conv;
            st->base_of[e->participant] = e->base_of;
        }
    }
    st->nundo = 0;
    st->upd_synced = false;
    c->updates = 0;
}

static int undo_push(struct consensus_state *st, uint32_t i, int32_t base_of, bool in_conv)
{
    if (GSI_ALLOC_GROW(st->undo, st->nundo + 1, st->undo_cap, 256) < 0) {
        return GSI_ENOMEM;
    }
    st->undo[st->nundo].participant = i;
    st->undo[st->nundo].base_of = base_of;
    st->undo[st->nundo].in_conv = in_conv;
    st->nundo++;
    return 0;
}

/* What only a full compute can do: no compute yet, statements added since (they have no
 * loadings), or a moderation changed (every voter's projection moves). */
static bool needs_full(const struct consensus *c)
{
    const struct consensus_state *st = c->st;
    if (c->computes == 0 || st->comp_len == 0 || st->comp_len != c->ns || st->cval == NULL ||
        st->active == NULL || st->nnz == 0 || c->nbase > CLUSTER_BASE_MAX) {
        return true;
    }
    for (size_t j = 0; j < c->ns; j++) {
        if ((st->active[j] != 0) == c->stmt[j].moderated_out) {
            return true;
        }
    }
    return false;
}

/* Base-cluster sums, members, centres and groups as the last compute left them. */
static void sync(struct consensus *c)
{
    struct consensus_state *st = c->st;
    if (st->upd_synced) {
        return;
    }
    int nb = c->nbase;
    st->upd_nbase = nb;
    for (int b = 0; b < nb; b++) {
        st->upd_bsx[b] = st->upd_bsy[b] = 0;
        st->upd_bn[b] = 0;
        st->upd_bgroup[b] = -1;
    }
    for (size_t i = 0; i < c->np; i++) {
        int32_t b = st->base_of[i];
        if (b >= 0 && b < nb) {
            st->upd_bsx[b] += c->x[i];
            st->upd_bsy[b] += c->y[i];
            st->upd_bn[b]++;
            st->upd_bgroup[b] = c->group[i];
        }
    }
    for (int b = 0; b < nb; b++) {
        if (st->upd_bn[b] > 0) {
            st->upd_bcx[b] = st->upd_bsx[b] / st->upd_bn[b];
            st->upd_bcy[b] = st->upd_bsy[b] / st->upd_bn[b];
        } else {
            st->upd_bcx[b] = st->upd_bcy[b] = 0;
        }
    }
    st->upd_synced = true;
}

/* Adds (sign +1) or removes (-1) one vote v to a group's counts of a statement. */
static void count_vote(struct consensus_repness *s, int8_t v, int sign)
{
    if (sign > 0) {
        s->ns++;
        s->na += v > 0;
        s->nd += v < 0;
    } else {
        s->ns--;
        s->na -= v > 0;
        s->nd -= v < 0;
    }
}

/* Adds (sign +1) or removes (-1) row r's votes to group g's counts; marks the statements. */
static void row_group_counts(struct consensus *c, uint32_t r, int g, int sign, uint8_t *dirty)
{
    const struct consensus_state *st = c->st;
    struct row_span sp = votes_row_span(st, r, consensus__votes_ov_first(st, r));
    struct consensus_repness *rg = c->repness + (size_t)g * c->ns;
    for (uint64_t e = sp.eb; e < sp.ee; e++) {
        count_vote(&rg[st->col[e]], st->val[e], sign);
        dirty[st->col[e]] = 1;
    }
    for (size_t e = sp.ob; e < sp.oe; e++) {
        count_vote(&rg[st->ov_col[e]], st->ov_val[e], sign);
        dirty[st->ov_col[e]] = 1;
    }
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : (x > y);
}

/* Nearest base centre (ties to the lower index, as the k-means search). */
static int nearest_base(const struct consensus_state *st, double px, double py)
{
    int bi = -1;
    double best = INFINITY;
    for (int b = 0; b < st->upd_nbase; b++) {
        double dx = st->upd_bcx[b] - px, dy = st->upd_bcy[b] - py;
        double d = dx * dx + dy * dy;
        if (d < best) {
            best = d;
            bi = b;
        }
    }
    return bi;
}

static int fail_nomem(uint32_t *rows, uint8_t *dirty, struct gsi_err *err)
{
    free(rows);
    free(dirty);
    return gsi_err_set(err, GSI_ENOMEM, "out of memory updating the results");
}

/* The participants whose votes are pending, each once, in index order, into rows (returns
 * how many); the statements they voted on marked in dirty. */
static size_t affected_rows(const struct consensus_state *st, uint32_t *rows, uint8_t *dirty)
{
    size_t nr = st->npd;
    memcpy(rows, st->pd_row, nr * sizeof *rows);
    for (size_t e = 0; e < st->npd; e++) {
        dirty[st->pd_col[e]] = 1;
    }
    qsort(rows, nr, sizeof *rows, cmp_u32);
    size_t u = 0;
    for (size_t e = 0; e < nr; e++) {
        if (e == 0 || rows[e] != rows[e - 1]) {
            rows[u++] = rows[e];
        }
    }
    return u;
}

/* The column means of the statements voted on follow the new counts. */
static void update_column_values(struct consensus *c, const uint8_t *dirty)
{
    struct consensus_state *st = c->st;
    for (size_t j = 0; j < c->ns; j++) {
        if (dirty[j] && st->active[j]) {
            const struct consensus_statement *s = &c->stmt[j];
            uint64_t cnt = (uint64_t)s->agree + s->disagree + s->pass;
            double mean = cnt ? ((double)s->agree - (double)s->disagree) / (double)cnt : 0.0;
            st->cval[3 * j + 0] = -1.0 - mean;
            st->cval[3 * j + 1] = 0.0 - mean;
            st->cval[3 * j + 2] = 1.0 - mean;
        }
    }
}

/* Participant r is projected again on the kept components, joins the clustered once they have
 * enough votes (`need`), moves to the nearest base cluster, and takes its group. */
static int move_participant(struct consensus *c, uint32_t r, size_t need)
{
    struct consensus_state *st = c->st;
    double ox = c->x[r], oy = c->y[r];
    struct row_span sp = votes_row_span(st, r, consensus__votes_ov_first(st, r));
    consensus__pca_project_row(c, r, sp, st->comp[0], st->comp[1], 1);
    uint32_t nall = (uint32_t)(sp.ee - sp.eb) + (uint32_t)(sp.oe - sp.ob);
    c->nvotes[r] = nall;
    if (st->upd_nbase <= 0) {
        return 0;
    }
    int32_t ob = st->base_of[r];
    bool join = !c->in_conv[r] && nall > 0 && nall >= need;
    if (!c->in_conv[r] && !join) {
        return 0;
    }
    int nb = nearest_base(st, c->x[r], c->y[r]);
    if (ob >= 0 && ob < st->upd_nbase) {
        st->upd_bsx[ob] -= ox;
        st->upd_bsy[ob] -= oy;
        st->upd_bn[ob]--;
    }
    st->upd_bsx[nb] += c->x[r];
    st->upd_bsy[nb] += c->y[r];
    st->upd_bn[nb]++;
    if (join || nb != ob) {
        if (undo_push(st, r, ob, c->in_conv[r]) < 0) {
            return GSI_ENOMEM;
        }
        c->in_conv[r] = true;
        st->base_of[r] = nb;
    }
    c->group[r] = st->upd_bgroup[nb];
    return 0;
}

/* Base centres from their members; group sizes and centres from the base clusters. */
static void update_centres(struct consensus *c)
{
    struct consensus_state *st = c->st;
    for (int b = 0; b < st->upd_nbase; b++) {
        if (st->upd_bn[b] > 0) {
            st->upd_bcx[b] = st->upd_bsx[b] / st->upd_bn[b];
            st->upd_bcy[b] = st->upd_bsy[b] / st->upd_bn[b];
        }
    }
    if (c->ngroups <= 0) {
        return;
    }
    double sx[CONSENSUS_GROUPS_MAX] = { 0 }, sy[CONSENSUS_GROUPS_MAX] = { 0 };
    uint32_t sn[CONSENSUS_GROUPS_MAX] = { 0 };
    for (int b = 0; b < st->upd_nbase; b++) {
        int8_t g = st->upd_bgroup[b];
        if (g >= 0 && g < c->ngroups) {
            sx[g] += st->upd_bsx[b];
            sy[g] += st->upd_bsy[b];
            sn[g] += st->upd_bn[b];
        }
    }
    for (int g = 0; g < c->ngroups; g++) {
        c->groups[g].size = sn[g];
        if (sn[g] > 0) {
            c->groups[g].cx = sx[g] / sn[g];
            c->groups[g].cy = sy[g] / sn[g];
        }
    }
}

/* The affected participants' votes join (sign +1) or leave (-1) their group's counts. */
static void rows_group_counts(struct consensus *c, const uint32_t *rows, size_t nr, int sign,
                              uint8_t *dirty)
{
    for (size_t t = 0; t < nr; t++) {
        int8_t g = c->group[rows[t]];
        if (g >= 0 && g < c->ngroups) {
            row_group_counts(c, rows[t], g, sign, dirty);
        }
    }
}

/* Statistics of the statements whose counts changed (the rankings follow over all). */
static void update_statistics(struct consensus *c, const uint8_t *dirty, bool groups)
{
    for (size_t j = 0; j < c->ns; j++) {
        if (!dirty[j]) {
            continue;
        }
        if (groups) {
            consensus__repness_statement(c, j);
        } else {
            const struct consensus_statement *s = &c->stmt[j];
            c->stmt[j].gic =
                ((double)s->agree + 1) / ((double)s->agree + s->disagree + s->pass + 2);
        }
    }
}

/* The fast path, in the phases its helpers name; rows and dirty are the caller's scratch. */
static int update_rows(struct consensus *c, uint32_t *rows, uint8_t *dirty, struct gsi_err *err)
{
    struct consensus_state *st = c->st;
    bool groups = c->ngroups > 0 && c->repness != NULL;
    size_t nr = affected_rows(st, rows, dirty);
    /* Their old votes leave their group's counts... */
    if (groups) {
        rows_group_counts(c, rows, nr, -1, dirty);
    }
    int rc = consensus__votes_flush_incremental(c, err);
    if (rc < 0) {
        return rc;
    }
    /* ...the column means follow, each participant moves, and their votes join again. */
    update_column_values(c, dirty);
    size_t need = (size_t)c->opts.min_votes;
    if (need > c->ns) {
        need = c->ns;
    }
    for (size_t t = 0; t < nr; t++) {
        if (move_participant(c, rows[t], need) < 0) {
            return gsi_err_set(err, GSI_ENOMEM, "out of memory updating the results");
        }
    }
    update_centres(c);
    if (groups) {
        rows_group_counts(c, rows, nr, +1, dirty);
    }
    update_statistics(c, dirty, groups);
    return 0;
}

int consensus_update(struct consensus *c, struct gsi_err *err)
{
    struct consensus_state *st = c->st;
    if (needs_full(c)) {
        int rc = consensus_compute(c, err);
        return rc < 0 ? rc : 1;
    }
    if (st->npd == 0) {
        return 0;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sync(c);
    uint32_t *rows = malloc(st->npd * sizeof *rows);
    uint8_t *dirty = calloc(c->ns ? c->ns : 1, 1);
    if (rows == NULL || dirty == NULL) {
        return fail_nomem(rows, dirty, err);
    }
    int rc = update_rows(c, rows, dirty, err);
    free(rows);
    free(dirty);
    if (rc < 0 || (rc = consensus__repness_rank(c, err)) < 0) {
        return rc;
    }
    c->updates++;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    c->t_update = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    return 0;
}
