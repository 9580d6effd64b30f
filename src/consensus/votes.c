/* votes.c — folding newly added votes into the sparse matrix (see internal.h). */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "consensus/internal.h"
#include "core/buf.h"

/* Heap sort's sift-down: moves k[root] down the max-heap k[0..end) to its place. */
static void sift_down(uint64_t *k, size_t root, size_t end)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= end) {
            break;
        }
        if (child + 1 < end && k[child] < k[child + 1]) {
            child++;
        }
        if (k[root] >= k[child]) {
            break;
        }
        uint64_t t = k[root];
        k[root] = k[child];
        k[child] = t;
        root = child;
    }
}

/* Entries of one row during a rebuild: column in the high half, arrival order in the low
 * half, so sorting the keys sorts by column and keeps arrival order among equal columns. */
static void sort_keys(uint64_t *k, size_t n)
{
    if (n < 2) {
        return;
    }
    if (n <= 96) {
        for (size_t i = 1; i < n; i++) {
            uint64_t v = k[i];
            size_t j = i;
            while (j > 0 && k[j - 1] > v) {
                k[j] = k[j - 1];
                j--;
            }
            k[j] = v;
        }
        return;
    }
    /* radix-free fallback: heap sort, O(n log n), no recursion, no allocation */
    for (size_t start = n / 2; start-- > 0;) {
        sift_down(k, start, n);
    }
    for (size_t end = n - 1; end > 0; end--) {
        uint64_t t = k[0];
        k[0] = k[end];
        k[end] = t;
        sift_down(k, 0, end);
    }
}

struct sort_ctx {
    uint64_t *ptr;
    uint32_t *col;
    int8_t *val;
    uint32_t *newlen;
    size_t nrows, nblocks;
    atomic_int failed;
};

static void sort_block(void *ctx, size_t b)
{
    struct sort_ctx *x = ctx;
    size_t r0 = x->nrows * b / x->nblocks, r1 = x->nrows * (b + 1) / x->nblocks;
    size_t cap = 0;
    uint64_t *keys = NULL;
    int8_t *tmpv = NULL;
    for (size_t r = r0; r < r1; r++) {
        uint64_t beg = x->ptr[r];
        size_t len = (size_t)(x->ptr[r + 1] - beg);
        uint32_t *col = x->col + beg;
        int8_t *val = x->val + beg;
        bool sorted = true;
        for (size_t i = 1; i < len; i++) {
            if (col[i] <= col[i - 1]) {
                sorted = false;
                break;
            }
        }
        if (sorted) {
            x->newlen[r] = (uint32_t)len;
            continue;
        }
        if (len > cap) {
            free(keys);
            free(tmpv);
            cap = len;
            keys = malloc(cap * sizeof *keys);
            tmpv = malloc(cap * sizeof *tmpv);
            if (keys == NULL || tmpv == NULL) {
                atomic_store(&x->failed, 1);
                break;
            }
        }
        for (size_t i = 0; i < len; i++) {
            keys[i] = ((uint64_t)col[i] << 32) | i;
            tmpv[i] = val[i];
        }
        sort_keys(keys, len);
        size_t out = 0;
        for (size_t i = 0; i < len; i++) {
            uint32_t cc = (uint32_t)(keys[i] >> 32);
            if (i + 1 < len && (uint32_t)(keys[i + 1] >> 32) == cc) {
                continue; /* a later vote on the same cell follows */
            }
            col[out] = cc;
            val[out] = tmpv[keys[i] & 0xffffffffu];
            out++;
        }
        x->newlen[r] = (uint32_t)out;
    }
    free(keys);
    free(tmpv);
}

/* Rebuilds base from base + ov + pending (in that order, the later vote winning). */
static int rebuild(struct consensus *c, struct gsi_err *err)
{
    struct consensus_state *st = c->st;
    size_t nrows = c->np;
    uint64_t total = st->nnz + st->nov + st->npd;
    uint64_t *ptr = calloc(nrows + 1, sizeof *ptr);
    uint32_t *col = malloc((total ? total : 1) * sizeof *col);
    int8_t *val = malloc((total ? total : 1) * sizeof *val);
    uint64_t *fill = malloc((nrows + 1) * sizeof *fill);
    if (ptr == NULL || col == NULL || val == NULL || fill == NULL) {
        free(ptr);
        free(col);
        free(val);
        free(fill);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory building the vote matrix");
    }
    for (size_t r = 0; r < st->base_rows; r++) {
        ptr[r + 1] += st->row_ptr[r + 1] - st->row_ptr[r];
    }
    for (size_t e = 0; e < st->nov; e++) {
        ptr[st->ov_row[e] + 1]++;
    }
    for (size_t e = 0; e < st->npd; e++) {
        ptr[st->pd_row[e] + 1]++;
    }
    for (size_t r = 0; r < nrows; r++) {
        ptr[r + 1] += ptr[r];
    }
    memcpy(fill, ptr, (nrows + 1) * sizeof *fill);
    for (size_t r = 0; r < st->base_rows; r++) {
        for (uint64_t e = st->row_ptr[r]; e < st->row_ptr[r + 1]; e++) {
            col[fill[r]] = st->col[e];
            val[fill[r]++] = st->val[e];
        }
    }
    for (size_t e = 0; e < st->nov; e++) {
        uint32_t r = st->ov_row[e];
        col[fill[r]] = st->ov_col[e];
        val[fill[r]++] = st->ov_val[e];
    }
    for (size_t e = 0; e < st->npd; e++) {
        uint32_t r = st->pd_row[e];
        col[fill[r]] = st->pd_col[e];
        val[fill[r]++] = st->pd_val[e];
    }
    free(fill);
    /* Sort each row by column, keeping the last vote of each cell (rows in parallel, each in
     * place), then close the gaps left by duplicates. */
    struct sort_ctx sc;
    sc.ptr = ptr;
    sc.col = col;
    sc.val = val;
    sc.nrows = nrows;
    sc.nblocks = par_blocks(nrows, 4096, 256);
    atomic_init(&sc.failed, 0);
    sc.newlen = malloc((nrows ? nrows : 1) * sizeof *sc.newlen);
    if (sc.newlen == NULL) {
        free(ptr);
        free(col);
        free(val);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory building the vote matrix");
    }
    consensus__par_run(consensus__par_threads(c->opts.threads), sc.nblocks, sort_block, &sc);
    if (atomic_load(&sc.failed)) {
        free(sc.newlen);
        free(ptr);
        free(col);
        free(val);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory building the vote matrix");
    }
    uint64_t out = 0;
    for (size_t r = 0; r < nrows; r++) {
        uint64_t b = ptr[r];
        size_t len = sc.newlen[r];
        ptr[r] = out;
        if (b != out) {
            memmove(col + out, col + b, len * sizeof *col);
            memmove(val + out, val + b, len * sizeof *val);
        }
        out += len;
    }
    free(sc.newlen);
    ptr[nrows] = out;
    free(st->row_ptr);
    free(st->col);
    free(st->val);
    st->row_ptr = ptr;
    /* shrink to what is used; a failed shrink keeps the larger block, which is harmless */
    (void)GSI_ALLOC_RESIZE(col, out);
    (void)GSI_ALLOC_RESIZE(val, out);
    st->col = col;
    st->val = val;
    st->nnz = out;
    st->base_rows = nrows;
    st->counts_valid = false;
    st->nov = 0;
    st->npd = 0;
    return 0;
}

/* First index in [lo, hi) of the sorted a[] whose value is >= key (hi when none). */
static uint64_t lower_bound_u32(const uint32_t *a, uint64_t lo, uint64_t hi, uint64_t key)
{
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (a[mid] < key) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

size_t consensus__votes_ov_first(const struct consensus_state *st, size_t r)
{
    return (size_t)lower_bound_u32(st->ov_row, 0, st->nov, r);
}

struct ov_entry {
    uint64_t key; /* row << 32 | col */
    uint64_t seq; /* arrival order: existing overflow first, then pending */
    int8_t val;
};

static void count_change(struct consensus *c, uint32_t col, int old, int now)
{
    struct consensus_statement *s = &c->stmt[col];
    uint32_t *k[3] = { &s->disagree, &s->pass, &s->agree };
    if (old >= -1) {
        (*k[old + 1])--;
    }
    (*k[now + 1])++;
}

static int ov_cmp(const void *pa, const void *pb)
{
    const struct ov_entry *a = pa, *b = pb;
    if (a->key != b->key) {
        return a->key < b->key ? -1 : 1;
    }
    return a->seq < b->seq ? -1 : (a->seq > b->seq);
}

static int flush_overflow(struct consensus *c, struct gsi_err *err);

static int flush(struct consensus *c, struct gsi_err *err)
{
    struct consensus_state *st = c->st;
    if (st->npd == 0 && st->base_rows == c->np && !st->upd_active) {
        return 0;
    }
    /* A first build, or many new votes: rebuild the rows. Votes that consensus_update folded
     * in count as if they were still pending, so the decision, and with it the matrix, is
     * the same as without the updates. */
    uint64_t pend = st->upd_active ? (uint64_t)st->upd_nov0 + st->upd_raw + st->npd
                                   : (uint64_t)st->nov + st->npd;
    if (st->nnz == 0 || pend > st->nnz / 8 + 65536) {
        return rebuild(c, err);
    }
    return flush_overflow(c, err);
}

int consensus__votes_flush(struct consensus *c, struct gsi_err *err)
{
    int rc = flush(c, err);
    c->st->upd_active = false;
    c->st->upd_raw = 0;
    return rc;
}

int consensus__votes_flush_incremental(struct consensus *c, struct gsi_err *err)
{
    struct consensus_state *st = c->st;
    if (st->npd == 0) {
        return 0;
    }
    if (!st->upd_active) {
        st->upd_active = true;
        st->upd_nov0 = st->nov;
        st->upd_raw = 0;
    }
    st->upd_raw += st->npd;
    return flush_overflow(c, err);
}

/* Few new votes: overwrite cells base holds; the rest joins the overflow. */
static int flush_overflow(struct consensus *c, struct gsi_err *err)
{
    struct consensus_state *st = c->st;
    size_t nnew = 0;
    for (size_t e = 0; e < st->npd; e++) {
        uint32_t r = st->pd_row[e], cc = st->pd_col[e];
        if (r < st->base_rows) {
            uint64_t lo = lower_bound_u32(st->col, st->row_ptr[r], st->row_ptr[r + 1], cc);
            if (lo < st->row_ptr[r + 1] && st->col[lo] == cc) {
                if (st->counts_valid) {
                    count_change(c, cc, st->val[lo], st->pd_val[e]);
                }
                st->val[lo] = st->pd_val[e];
                continue;
            }
        }
        st->pd_row[nnew] = r;
        st->pd_col[nnew] = cc;
        st->pd_val[nnew] = st->pd_val[e];
        nnew++;
    }
    size_t n = st->nov + nnew;
    struct ov_entry *ent = malloc((n ? n : 1) * sizeof *ent);
    if (ent == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory adding votes");
    }
    for (size_t e = 0; e < st->nov; e++) {
        ent[e].key = ((uint64_t)st->ov_row[e] << 32) | st->ov_col[e];
        ent[e].seq = e;
        ent[e].val = st->ov_val[e];
    }
    for (size_t e = 0; e < nnew; e++) {
        ent[st->nov + e].key = ((uint64_t)st->pd_row[e] << 32) | st->pd_col[e];
        ent[st->nov + e].seq = st->nov + e;
        ent[st->nov + e].val = st->pd_val[e];
    }
    qsort(ent, n, sizeof *ent, ov_cmp);
    size_t out = 0;
    struct gsi_array_ref grow[] = { GSI_ARRAY_REF(st->ov_row), GSI_ARRAY_REF(st->ov_col),
                                    GSI_ARRAY_REF(st->ov_val) };
    if (gsi_arrays_grow(grow, 3, &st->ov_cap, n, n) < 0) {
        free(ent);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory adding votes");
    }
    for (size_t e = 0; e < n; e++) {
        if (st->counts_valid && (e == 0 || ent[e - 1].key != ent[e].key)) {
            /* first of a run of one cell: an existing overflow vote leaves the counts, the
             * run's last vote joins them */
            size_t last = e;
            while (last + 1 < n && ent[last + 1].key == ent[e].key) {
                last++;
            }
            uint32_t cc = (uint32_t)(ent[e].key & 0xffffffffu);
            count_change(c, cc, ent[e].seq < st->nov ? ent[e].val : -2, ent[last].val);
        }
        if (e + 1 < n && ent[e + 1].key == ent[e].key) {
            continue;
        }
        st->ov_row[out] = (uint32_t)(ent[e].key >> 32);
        st->ov_col[out] = (uint32_t)(ent[e].key & 0xffffffffu);
        st->ov_val[out] = ent[e].val;
        out++;
    }
    free(ent);
    st->nov = out;
    st->npd = 0;
    return 0;
}
