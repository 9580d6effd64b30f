/* consensus.c — the engine's object: participants, statements, votes in, computation out. */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "consensus/internal.h"
#include "core/buf.h"

void consensus_opts_default(struct consensus_opts *o)
{
    o->seed = 1;
    o->threads = 0;
    o->base_k = 100;
    o->max_k = 5;
    o->pca_iters = 100;
    o->pca_tol = 1e-4;
    o->base_iters = 100;
    o->group_iters = 20;
    o->k_buffer = 4;
    o->min_votes = 7;
    o->greedy_n = 15;
}

struct consensus *consensus_new(const struct consensus_opts *opts)
{
    struct consensus *c = calloc(1, sizeof *c);
    if (c == NULL) {
        return NULL;
    }
    c->st = calloc(1, sizeof *c->st);
    if (c->st == NULL) {
        free(c);
        return NULL;
    }
    if (opts != NULL) {
        c->opts = *opts;
    } else {
        consensus_opts_default(&c->opts);
    }
    if (c->opts.base_k < 2) {
        c->opts.base_k = 2;
    }
    if (c->opts.base_k > 512) {
        c->opts.base_k = 512;
    }
    if (c->opts.max_k > CONSENSUS_GROUPS_MAX) {
        c->opts.max_k = CONSENSUS_GROUPS_MAX;
    }
    if (c->opts.max_k < 2) {
        c->opts.max_k = 2;
    }
    c->ngroups = 0;
    return c;
}

void consensus_free(struct consensus *c)
{
    if (c == NULL) {
        return;
    }
    struct consensus_state *st = c->st;
    consensus__idmap_release(&st->pmap);
    consensus__idmap_release(&st->smap);
    free(st->row_ptr);
    free(st->col);
    free(st->val);
    free(st->ov_row);
    free(st->ov_col);
    free(st->ov_val);
    free(st->pd_row);
    free(st->pd_col);
    free(st->pd_val);
    free(st->comp[0]);
    free(st->comp[1]);
    free(st->base_prev);
    free(st->cval);
    free(st->active);
    free(st->base_of);
    free(st->s1);
    free(st->s2);
    free(st->nact);
    free(st->undo);
    free(st);
    free(c->pid);
    free(c->nvotes);
    free(c->in_conv);
    free(c->x);
    free(c->y);
    free(c->group);
    free(c->ref_group);
    for (size_t j = 0; j < c->ns; j++) {
        free(c->stmt[j].text);
    }
    free(c->stmt);
    free(c->repness);
    free(c);
}

void consensus_reset_state(struct consensus *c)
{
    struct consensus_state *st = c->st;
    free(st->comp[0]);
    free(st->comp[1]);
    st->comp[0] = st->comp[1] = NULL;
    st->comp_len = 0;
    free(st->base_prev);
    st->base_prev = NULL;
    st->nbase_prev = 0;
    memset(st->group_prev_n, 0, sizeof st->group_prev_n);
    memset(st->base_group_valid, 0, sizeof st->base_group_valid);
    st->last_k = st->last_k_count = st->smoothed_k = 0;
    memset(c->in_conv, 0, c->np * sizeof *c->in_conv);
    c->computes = 0;
    st->nundo = 0; /* nothing of the updates' to put back: everything starts afresh */
    st->upd_synced = false;
    c->updates = 0;
}

void consensus_reload_state(struct consensus *c)
{
    struct consensus_state *st = c->st;
    memset(st->group_prev_n, 0, sizeof st->group_prev_n);
    memset(st->base_group_valid, 0, sizeof st->base_group_valid);
    st->last_k = st->last_k_count = st->smoothed_k = 0;
}

long consensus_statement_index(const struct consensus *c, int64_t tid)
{
    return consensus__idmap_get(&c->st->smap, tid);
}

long consensus_participant_index(const struct consensus *c, int64_t pid)
{
    return consensus__idmap_get(&c->st->pmap, pid);
}

uint64_t consensus_vote_count(const struct consensus *c)
{
    /* Exact after a compute (pending folded in); before, an upper bound. */
    return c->st->nnz + c->st->nov + c->st->npd;
}

static int statement_new(struct consensus *c, int64_t id, struct gsi_err *err)
{
    if (c->ns >= CONSENSUS_STATEMENTS_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "more than %u statements", CONSENSUS_STATEMENTS_MAX);
    }
    size_t cap = c->st->scap;
    if (GSI_ALLOC_GROW(c->stmt, c->ns + 1, cap, 16) < 0) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory adding a statement");
    }
    c->st->scap = cap;
    if (consensus__idmap_put(&c->st->smap, id, (uint32_t)c->ns) < 0) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory adding a statement");
    }
    struct consensus_statement *s = &c->stmt[c->ns];
    memset(s, 0, sizeof *s);
    s->id = id;
    c->ns++;
    return (int)(c->ns - 1);
}

int consensus_statement_add(struct consensus *c, int64_t id, const char *text, size_t text_len,
                            bool moderated_out, struct gsi_err *err)
{
    if (id < 0 || id > CONSENSUS_ID_MAX) {
        return gsi_err_set(err, GSI_EDATA, "statement id %lld out of range 0..%lld", (long long)id,
                           (long long)CONSENSUS_ID_MAX);
    }
    long j = consensus__idmap_get(&c->st->smap, id);
    if (j < 0) {
        int rc = statement_new(c, id, err);
        if (rc < 0) {
            return rc;
        }
        j = rc;
    }
    struct consensus_statement *s = &c->stmt[j];
    if (text != NULL) {
        if (text_len > CONSENSUS_TEXT_MAX) {
            /* cut on a UTF-8 character boundary, so the text stays valid UTF-8 */
            text_len = CONSENSUS_TEXT_MAX;
            while (text_len > 0 && ((unsigned char)text[text_len] & 0xc0) == 0x80) {
                text_len--;
            }
        }
        char *t = malloc(text_len + 1);
        if (t == NULL) {
            return gsi_err_set(err, GSI_ENOMEM, "out of memory storing a statement");
        }
        memcpy(t, text, text_len);
        t[text_len] = '\0';
        free(s->text);
        s->text = t;
    }
    s->moderated_out = moderated_out;
    return 0;
}

static int participant_new(struct consensus *c, int64_t pid, struct gsi_err *err)
{
    if (c->np >= CONSENSUS_PARTICIPANTS_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "more than %u participants",
                           CONSENSUS_PARTICIPANTS_MAX);
    }
    struct consensus_state *st = c->st;
    /* ref_group, last, exists only once reference groups were read */
    struct gsi_array_ref grow[] = { GSI_ARRAY_REF(c->pid),      GSI_ARRAY_REF(c->nvotes),
                                    GSI_ARRAY_REF(c->in_conv),  GSI_ARRAY_REF(c->x),
                                    GSI_ARRAY_REF(c->y),        GSI_ARRAY_REF(c->group),
                                    GSI_ARRAY_REF(st->base_of), GSI_ARRAY_REF(c->ref_group) };
    size_t ngrow = sizeof grow / sizeof grow[0] - (c->ref_group == NULL);
    if (gsi_arrays_grow(grow, ngrow, &st->pcap, c->np + 1, 64) < 0) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory adding a participant");
    }
    if (consensus__idmap_put(&st->pmap, pid, (uint32_t)c->np) < 0) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory adding a participant");
    }
    size_t i = c->np;
    c->pid[i] = pid;
    c->nvotes[i] = 0;
    c->in_conv[i] = false;
    c->x[i] = c->y[i] = 0;
    c->group[i] = -1;
    st->base_of[i] = -1;
    if (c->ref_group != NULL) {
        c->ref_group[i] = -1;
    }
    c->np++;
    return (int)i;
}

long consensus_participant_get(struct consensus *c, int64_t pid, struct gsi_err *err)
{
    long i = consensus__idmap_get(&c->st->pmap, pid);
    if (i >= 0) {
        return i;
    }
    return participant_new(c, pid, err);
}

int consensus_vote_add(struct consensus *c, int64_t pid, int64_t tid, int vote, bool known_only,
                       struct gsi_err *err)
{
    if (vote < -1 || vote > 1) {
        return gsi_err_set(err, GSI_EDATA, "vote %d outside -1..1 (disagree, pass, agree)", vote);
    }
    if (pid < 0 || pid > CONSENSUS_ID_MAX) {
        return gsi_err_set(err, GSI_EDATA, "participant id %lld out of range 0..%lld",
                           (long long)pid, (long long)CONSENSUS_ID_MAX);
    }
    if (tid < 0 || tid > CONSENSUS_ID_MAX) {
        return gsi_err_set(err, GSI_EDATA, "statement id %lld out of range 0..%lld", (long long)tid,
                           (long long)CONSENSUS_ID_MAX);
    }
    struct consensus_state *st = c->st;
    long j = consensus__idmap_get(&st->smap, tid);
    if (j < 0) {
        if (known_only) {
            return gsi_err_set(err, GSI_ENOTFOUND, "unknown statement id %lld", (long long)tid);
        }
        int rc = statement_new(c, tid, err);
        if (rc < 0) {
            return rc;
        }
        j = rc;
    }
    long i = consensus_participant_get(c, pid, err);
    if (i < 0) {
        return (int)i;
    }
    if (st->nnz + st->nov + st->npd >= CONSENSUS_VOTES_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "more than %u votes", CONSENSUS_VOTES_MAX);
    }
    struct gsi_array_ref grow[] = { GSI_ARRAY_REF(st->pd_row), GSI_ARRAY_REF(st->pd_col),
                                    GSI_ARRAY_REF(st->pd_val) };
    if (gsi_arrays_grow(grow, 3, &st->pd_cap, st->npd + 1, 1024) < 0) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory adding a vote");
    }
    st->pd_row[st->npd] = (uint32_t)i;
    st->pd_col[st->npd] = (uint32_t)j;
    st->pd_val[st->npd] = (int8_t)vote;
    st->npd++;
    struct consensus_statement *s = &c->stmt[j];
    if (vote > 0) {
        s->ev_agree++;
    } else if (vote < 0) {
        s->ev_disagree++;
    } else {
        s->ev_pass++;
    }
    return 0;
}

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) * 1e-9;
}

int consensus_compute(struct consensus *c, struct gsi_err *err)
{
    struct timespec start, flushed, projected, clustered, ranked;
    clock_gettime(CLOCK_MONOTONIC, &start);
    consensus__update_forget(c); /* start from the last compute's state, as if no update had run */
    int rc = consensus__votes_flush(c, err);
    clock_gettime(CLOCK_MONOTONIC, &flushed);
    if (rc < 0) {
        return rc;
    }
    free(c->repness);
    c->repness = NULL;
    c->ngroups = 0;
    c->nbase = 0;
    c->nmaj_agree = c->nmaj_disagree = 0;
    for (size_t i = 0; i < c->np; i++) {
        c->group[i] = -1;
    }
    for (size_t j = 0; j < c->ns; j++) {
        c->stmt[j].gic = 0;
        c->stmt[j].divisiveness = 0;
        c->stmt[j].pc[0] = c->stmt[j].pc[1] = 0;
    }
    if ((rc = consensus__pca_compute(c, err)) < 0) {
        return rc;
    }
    clock_gettime(CLOCK_MONOTONIC, &projected);
    if ((rc = consensus__cluster_compute(c, err)) < 0) {
        return rc;
    }
    clock_gettime(CLOCK_MONOTONIC, &clustered);
    if ((rc = consensus__repness_compute(c, err)) < 0) {
        return rc;
    }
    clock_gettime(CLOCK_MONOTONIC, &ranked);
    c->t_build = seconds_between(&start, &flushed);
    c->t_pca = seconds_between(&flushed, &projected);
    c->t_cluster = seconds_between(&projected, &clustered);
    c->t_stats = seconds_between(&clustered, &ranked);
    c->computes++;
    return 0;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* Sorts v[0..n) and keeps each value once; returns how many are left. */
static size_t sort_unique(uint64_t *v, size_t n)
{
    if (n == 0) {
        return 0;
    }
    qsort(v, n, sizeof *v, cmp_u64);
    size_t k = 1;
    for (size_t i = 1; i < n; i++) {
        if (v[i] != v[k - 1]) {
            v[k++] = v[i];
        }
    }
    return k;
}

/* Σ C(c, 2) over the run lengths c of the sorted v[0..n). */
static double pairs_in_runs(const uint64_t *v, size_t n)
{
    double sum = 0, run = 0;
    for (size_t i = 0; i < n; i++) {
        run = i > 0 && v[i] == v[i - 1] ? run + 1 : 1;
        sum += run - 1; /* the i-th member of a run pairs with the run-1 before it */
    }
    return sum;
}

double consensus_ari(const int32_t *a, const int32_t *b, size_t n)
{
    /* Any non-negative int32 labels: the pairs in the same class of a, of b, and of both are
     * counted from sorted keys, so memory is three words an item whatever the labels. */
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        m += a[i] >= 0 && b[i] >= 0;
    }
    if (m < 2) {
        return NAN;
    }
    uint64_t *ka = malloc(3 * m * sizeof *ka);
    if (ka == NULL) {
        return NAN;
    }
    uint64_t *kb = ka + m, *kab = kb + m;
    for (size_t i = 0, j = 0; i < n; i++) {
        if (a[i] >= 0 && b[i] >= 0) {
            ka[j] = (uint64_t)a[i];
            kb[j] = (uint64_t)b[i];
            kab[j++] = (uint64_t)a[i] << 32 | (uint64_t)b[i];
        }
    }
    qsort(ka, m, sizeof *ka, cmp_u64);
    qsort(kb, m, sizeof *kb, cmp_u64);
    qsort(kab, m, sizeof *kab, cmp_u64);
    double sum_a = pairs_in_runs(ka, m), sum_b = pairs_in_runs(kb, m);
    double sum_ij = pairs_in_runs(kab, m);
    free(ka);
    double total = (double)m * (double)(m - 1) / 2;
    double expected = sum_a * sum_b / total;
    double maxv = (sum_a + sum_b) / 2;
    if (maxv == expected) {
        return 1.0;
    }
    return (sum_ij - expected) / (maxv - expected);
}

int consensus_agreement(struct consensus_agreement *out, const struct consensus *c,
                        const struct consensus *ref, struct gsi_err *err)
{
    assert(c->computes > 0 && "consensus_agreement before consensus_compute");
    memset(out, 0, sizeof *out);
    out->ari = NAN;
    out->participants = ref->np;
    out->groups = c->ngroups;
    if (ref->ref_group == NULL) {
        return gsi_err_set(err, GSI_EDATA, "the reference holds no groups (no group-id column)");
    }
    size_t cap = ref->np ? ref->np : 1;
    int32_t *ours = malloc(cap * sizeof *ours);
    uint64_t *labels = malloc(cap * sizeof *labels);
    if (ours == NULL || labels == NULL) {
        free(ours);
        free(labels);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory comparing groupings");
    }
    size_t nlabels = 0;
    for (size_t i = 0; i < ref->np; i++) {
        long k = consensus_participant_index(c, ref->pid[i]);
        ours[i] = k >= 0 && c->group != NULL ? c->group[k] : -1;
        int32_t g = ref->ref_group[i];
        if (g >= 0) {
            labels[nlabels++] = (uint64_t)g;
        }
        out->grouped_both += ours[i] >= 0 && g >= 0;
    }
    out->ref_groups = (int)sort_unique(labels, nlabels);
    free(labels);
    if (nlabels == 0) {
        free(ours);
        return gsi_err_set(err, GSI_EDATA, "the reference assigns no participant to a group");
    }
    out->ari = consensus_ari(ours, ref->ref_group, ref->np);
    free(ours);
    return 0;
}

/* --compare: the reference groups come with a second copy of the votes, which only the reader
 * needs. */
int consensus_agreement_file(struct consensus_agreement *out, const struct consensus *c,
                             const char *path, struct gsi_err *err)
{
    struct consensus *ref = consensus_new(NULL);
    if (ref == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory reading %s", path);
    }
    int rc = consensus_read_matrix(ref, path, err);
    if (rc == 0 && (rc = consensus_agreement(out, c, ref, err)) < 0) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        gsi_err_at(err, rc, path, 0, 0, "%s", msg);
    }
    consensus_free(ref);
    return rc;
}

static double rank_key(const struct consensus_statement *s, enum consensus_rank_by by)
{
    return by == CONSENSUS_RANK_CONSENSUS ? s->gic : s->divisiveness;
}

size_t consensus_statements_rank(uint32_t *out, const struct consensus *c,
                                 enum consensus_rank_by by)
{
    assert(c->computes > 0 && "consensus_statements_rank before consensus_compute");
    size_t n = 0;
    for (size_t j = 0; j < c->ns; j++) { /* insertion sort: ties stay in index order */
        if (c->stmt[j].moderated_out) {
            continue;
        }
        double key = rank_key(&c->stmt[j], by);
        size_t k = n++;
        while (k > 0 &&
               !(rank_key(&c->stmt[out[k - 1]], by) >= key)) { /* a NaN key ahead is passed */
            out[k] = out[k - 1];
            k--;
        }
        out[k] = (uint32_t)j;
    }
    return n;
}
