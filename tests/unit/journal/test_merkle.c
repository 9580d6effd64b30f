/* Merkle tree hashing and proofs: the RFC 6962 tree, the transparency-dev proof vectors, and
 * generated proofs checked against a direct transcription of the RFC 9162 definitions. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "harness.h"
#include "journal/journal.h"
#include "vecfile.h"

#define H JOURNAL_HASH_SIZE

/* --- an independent reference: the RFC 9162 §2.1.1 definition, recursively --- */

static void ref_mth(uint8_t out[H], const uint8_t (*leaves)[H], uint64_t n)
{
    if (n == 0) {
        crypto_hash_sha256(out, (const unsigned char *)"", 0);
        return;
    }
    if (n == 1) {
        memcpy(out, leaves[0], H);
        return;
    }
    uint64_t k = 1;
    while (2 * k < n) {
        k *= 2;
    }
    uint8_t buf[1 + 2 * H];
    buf[0] = 1;
    ref_mth(buf + 1, leaves, k);
    ref_mth(buf + 1 + H, leaves + k, n - k);
    crypto_hash_sha256(out, buf, sizeof buf);
}

/* PATH(m, D[n]) of RFC 9162 §2.1.3.1, recursively. */
static void ref_path(uint8_t (*out)[H], size_t *len, uint64_t m, const uint8_t (*d)[H], uint64_t n)
{
    if (n == 1) {
        *len = 0;
        return;
    }
    uint64_t k = 1;
    while (2 * k < n) {
        k *= 2;
    }
    if (m < k) {
        ref_path(out, len, m, d, k);
        ref_mth(out[*len], d + k, n - k);
    } else {
        ref_path(out, len, m - k, d + k, n - k);
        ref_mth(out[*len], d, k);
    }
    (*len)++;
}

/* SUBPROOF(m, D[n], b) of RFC 9162 §2.1.4.1. */
static void ref_subproof(uint8_t (*out)[H], size_t *len, uint64_t m, const uint8_t (*d)[H],
                         uint64_t n, int b)
{
    if (m == n) {
        *len = 0;
        if (!b) {
            ref_mth(out[0], d, n);
            *len = 1;
        }
        return;
    }
    uint64_t k = 1;
    while (2 * k < n) {
        k *= 2;
    }
    if (m <= k) {
        ref_subproof(out, len, m, d, k, b);
        ref_mth(out[*len], d + k, n - k);
    } else {
        ref_subproof(out, len, m - k, d + k, n - k, 0);
        ref_mth(out[*len], d, k);
    }
    (*len)++;
}

/* --- a node store filled through the append path --- */

struct store {
    uint64_t cap;
    uint8_t (*level[64])[H]; /* level[L][i]: complete subtree hash */
    int leaves_only;
    long reads;
};

static int store_emit(void *ctx, unsigned level, uint64_t index, const uint8_t hash[H],
                      struct gsi_err *err)
{
    struct store *s = ctx;
    ck_assert_uint_lt(level, 64);
    ck_assert_uint_lt(index, s->cap >> level);
    memcpy(s->level[level][index], hash, H);
    return 0;
}

static int store_get(void *ctx, unsigned level, uint64_t index, uint8_t out[H], struct gsi_err *err)
{
    struct store *s = ctx;
    s->reads++;
    if (s->leaves_only) {
        ck_assert_uint_eq(level, 0);
    }
    if (level >= 64 || index >= (s->cap >> level)) {
        return gsi_err_set(err, GSI_ENOTFOUND, "no node %u/%llu", level, (unsigned long long)index);
    }
    memcpy(out, s->level[level][index], H);
    return 0;
}

static void store_init(struct store *s, uint64_t cap)
{
    memset(s, 0, sizeof *s);
    s->cap = cap;
    for (unsigned l = 0; l < 64 && (cap >> l) > 0; l++) {
        s->level[l] = calloc(cap >> l, H);
        ck_assert_ptr_nonnull(s->level[l]);
    }
}

static void store_free(struct store *s)
{
    for (unsigned l = 0; l < 64; l++) {
        free(s->level[l]);
    }
}

static struct journal_merkle_source source_of(struct store *s)
{
    struct journal_merkle_source src = { store_get, s, s->leaves_only };
    return src;
}

/* The 8 classic CT leaves of the vectors, hashed. */
static uint8_t ct_leaf[8][H];

static void load_ct_leaves(void)
{
    struct vec_file f;
    ck_assert_int_eq(vec_open(&f, test_path("vectors/converted/rfc6962_tree.txt")), 0);
    int found = 0;
    const char *leaves;
    while ((leaves = vec_next_with(&f, "LEAVES")) != NULL) {
        char *copy;
        const char *item[VEC_MAX_LIST];
        ck_assert_int_eq(vec_list(leaves, &copy, item), 8);
        for (int i = 0; i < 8; i++) {
            uint8_t data[64];
            long n = vec_hex(data, sizeof data, item[i]);
            ck_assert_int_ge(n, 0);
            journal_merkle_leaf_hash(ct_leaf[i], data, (size_t)n);
        }
        free(copy);
        found = 1;
    }
    vec_close(&f);
    ck_assert(found);
}

static int hex32(uint8_t out[H], const char *hex)
{
    return vec_hex(out, H, hex) == H ? 0 : -1;
}

/* Decodes a PROOF list; returns the count, or -1 when an element is not 32 bytes. `want`
 * (-1: not given) is the number of elements the vector says it has. */
static int proof_decode_n(uint8_t (*proof)[H], const char *list, int want)
{
    char *copy;
    const char *item[VEC_MAX_LIST];
    int n = vec_list(list, &copy, item);
    ck_assert_int_ge(n, 0);
    if (want >= 0 && n != want) {
        /* [""]: one empty element, which the list form cannot show */
        ck_assert_int_eq(want, 1);
        ck_assert_int_eq(n, 0);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        if (hex32(proof[i], item[i]) < 0) {
            free(copy);
            return -1;
        }
    }
    free(copy);
    return n;
}

static int proof_decode(uint8_t (*proof)[H], const char *list)
{
    return proof_decode_n(proof, list, -1);
}

static int proof_decode_vec(uint8_t (*proof)[H], const struct vec_file *f)
{
    return proof_decode_n(proof, vec_get(f, "PROOF"), atoi(vec_get(f, "PROOF_LEN")));
}

/* Fills `st` and `r` with the tree of the 8 CT leaves, as the append path fills a store. */
static void store_of_ct_leaves(struct store *st, struct journal_merkle_range *r)
{
    store_init(st, 8);
    journal_merkle_range_init(r);
    struct gsi_err err = GSI_ERR_INIT;
    for (int i = 0; i < 8; i++) {
        ck_assert_int_eq(journal_merkle_range_append(r, ct_leaf[i], store_emit, st, &err), 0);
    }
}

/* Generates a proof over the 8 CT leaves and checks it is the vector's `want` (n hashes): the
 * inclusion proof of leaf a in the tree of b leaves, or with `consistency` the consistency
 * proof between the trees of a and b leaves. */
static void check_ct_proof(int consistency, uint64_t a, uint64_t b, const uint8_t (*want)[H], int n)
{
    struct store st;
    struct journal_merkle_range r;
    store_of_ct_leaves(&st, &r);
    struct journal_merkle_source src = source_of(&st);
    uint8_t got[JOURNAL_MERKLE_PROOF_MAX][H];
    size_t len;
    struct gsi_err err = GSI_ERR_INIT;
    int rc = consistency ? journal_merkle_consistency_proof(got, &len, a, b, &src, &err)
                         : journal_merkle_inclusion_proof(got, &len, a, b, &src, &err);
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(len, (size_t)n);
    ck_assert_mem_eq(got, want, len * H);
    store_free(&st);
}

START_TEST(test_rfc6962_tree)
{
    struct vec_file f;
    ck_assert_int_eq(vec_open(&f, test_path("vectors/converted/rfc6962_tree.txt")), 0);
    load_ct_leaves();
    struct store st;
    struct journal_merkle_range r;
    store_of_ct_leaves(&st, &r);
    struct gsi_err err = GSI_ERR_INIT;
    struct journal_merkle_source src = source_of(&st);
    int checks = 0;
    while (vec_next(&f)) {
        const char *v;
        uint8_t want[H], got[H];
        if ((v = vec_get(&f, "EMPTY_ROOT")) != NULL) {
            ck_assert_int_eq(hex32(want, v), 0);
            journal_merkle_empty_root(got);
            ck_assert_mem_eq(got, want, H);
            ck_assert_int_eq(journal_merkle_root(got, NULL, 0, &err), 0);
            ck_assert_mem_eq(got, want, H);
            checks++;
        } else if ((v = vec_get(&f, "LEAF_HASH")) != NULL) {
            uint8_t data[64];
            long n = vec_hex(data, sizeof data, vec_get(&f, "LEAF_DATA"));
            ck_assert_int_ge(n, 0);
            ck_assert_int_eq(hex32(want, v), 0);
            journal_merkle_leaf_hash(got, data, (size_t)n);
            ck_assert_mem_eq(got, want, H);
            checks++;
        } else if ((v = vec_get(&f, "NODE_HASH")) != NULL) {
            /* The vector hashes raw 4-byte strings as children; pad them to our 32-byte API is
             * not possible, so check the definition directly with the same bytes. */
            uint8_t l[8], rr[8], buf[17];
            ck_assert_int_eq(vec_hex(l, sizeof l, vec_get(&f, "LEFT")), 4);
            ck_assert_int_eq(vec_hex(rr, sizeof rr, vec_get(&f, "RIGHT")), 4);
            buf[0] = 1;
            memcpy(buf + 1, l, 4);
            memcpy(buf + 5, rr, 4);
            ck_assert_int_eq(hex32(want, v), 0);
            journal_sha256(got, buf, 9);
            ck_assert_mem_eq(got, want, H);
            checks++;
        } else if ((v = vec_get(&f, "ROOTS")) != NULL) {
            char *copy;
            const char *item[VEC_MAX_LIST];
            ck_assert_int_eq(vec_list(v, &copy, item), 8);
            for (uint64_t n = 1; n <= 8; n++) {
                ck_assert_int_eq(hex32(want, item[n - 1]), 0);
                ck_assert_int_eq(journal_merkle_root(got, (const uint8_t(*)[H])ct_leaf, n, &err),
                                 0);
                ck_assert_mem_eq(got, want, H);
                ck_assert_int_eq(journal_merkle_root_at(got, n, &src, &err), 0);
                ck_assert_mem_eq(got, want, H);
                checks += 2;
            }
            journal_merkle_range_root(&r, got);
            ck_assert_int_eq(hex32(want, item[7]), 0);
            ck_assert_mem_eq(got, want, H);
            free(copy);
        } else if ((v = vec_get(&f, "INDEX")) != NULL) {
            uint64_t index = strtoull(v, NULL, 10), size = strtoull(vec_get(&f, "SIZE"), NULL, 10);
            uint8_t want_p[JOURNAL_MERKLE_PROOF_MAX][H], got_p[JOURNAL_MERKLE_PROOF_MAX][H],
                root[H];
            int n = proof_decode(want_p, vec_get(&f, "PROOF"));
            size_t len;
            ck_assert_int_eq(journal_merkle_inclusion_proof(got_p, &len, index, size, &src, &err),
                             0);
            ck_assert_uint_eq(len, (size_t)n);
            ck_assert_mem_eq(got_p, want_p, len * H);
            ck_assert_int_eq(journal_merkle_root(root, (const uint8_t(*)[H])ct_leaf, size, &err),
                             0);
            ck_assert_int_eq(journal_merkle_inclusion_verify(index, size, ct_leaf[index],
                                                             (const uint8_t(*)[H])want_p, len, root,
                                                             &err),
                             0);
            checks++;
        } else if ((v = vec_get(&f, "SIZE1")) != NULL) {
            uint64_t s1 = strtoull(v, NULL, 10), s2 = strtoull(vec_get(&f, "SIZE2"), NULL, 10);
            uint8_t want_p[JOURNAL_MERKLE_PROOF_MAX][H], got_p[JOURNAL_MERKLE_PROOF_MAX][H], r1[H],
                r2[H];
            int n = proof_decode(want_p, vec_get(&f, "PROOF"));
            size_t len;
            ck_assert_int_eq(journal_merkle_consistency_proof(got_p, &len, s1, s2, &src, &err), 0);
            ck_assert_uint_eq(len, (size_t)n);
            ck_assert_mem_eq(got_p, want_p, len * H);
            journal_merkle_root(r1, (const uint8_t(*)[H])ct_leaf, s1, &err);
            journal_merkle_root(r2, (const uint8_t(*)[H])ct_leaf, s2, &err);
            ck_assert_int_eq(journal_merkle_consistency_verify(
                                 s1, s2, r1, r2, (const uint8_t(*)[H])want_p, len, &err),
                             0);
            checks++;
        }
    }
    vec_close(&f);
    store_free(&st);
    ck_assert_int_eq(checks, 1 + 2 + 1 + 16 + 4 + 4);
}
END_TEST

/* transparency-dev/merkle testdata: every verification must succeed or fail as the file says.
 * Roots and leaf hashes that are not 32 bytes cannot reach the API; they count as rejected. */
START_TEST(test_tdev_inclusion)
{
    struct vec_file f;
    ck_assert_int_eq(vec_open(&f, test_path("vectors/converted/tdev_inclusion.txt")), 0);
    load_ct_leaves();
    int total = 0, rejected = 0, generated = 0;
    while (vec_next(&f)) {
        uint64_t index = strtoull(vec_get(&f, "INDEX"), NULL, 10);
        uint64_t size = strtoull(vec_get(&f, "SIZE"), NULL, 10);
        int want_err = atoi(vec_get(&f, "WANT_ERR"));
        uint8_t root[H], leaf[H], proof[JOURNAL_MERKLE_PROOF_MAX][H];
        int n = proof_decode_vec(proof, &f);
        struct gsi_err err = GSI_ERR_INIT;
        int rc = -1;
        if (n >= 0 && hex32(root, vec_get(&f, "ROOT")) == 0 &&
            hex32(leaf, vec_get(&f, "LEAF")) == 0) {
            rc = journal_merkle_inclusion_verify(index, size, leaf, (const uint8_t(*)[H])proof,
                                                 (size_t)n, root, &err);
        }
        ck_assert_msg((rc != 0) == (want_err != 0), "%s: rc %d, wantErr %d (%s)",
                      vec_get(&f, "FILE"), rc, want_err, err.msg);
        rejected += rc != 0;
        /* Happy paths come from the 8 CT leaves: the generator must give the same proof. */
        if (!want_err && size <= 8 && memcmp(leaf, ct_leaf[index], H) == 0) {
            check_ct_proof(0, index, size, (const uint8_t(*)[H])proof, n);
            generated++;
        }
        total++;
    }
    vec_close(&f);
    ck_assert_int_eq(total, 98);
    ck_assert_int_gt(rejected, 0);
    ck_assert_int_gt(generated, 0);
}
END_TEST

START_TEST(test_tdev_consistency)
{
    struct vec_file f;
    ck_assert_int_eq(vec_open(&f, test_path("vectors/converted/tdev_consistency.txt")), 0);
    load_ct_leaves();
    int total = 0, generated = 0, known = 0;
    while (vec_next(&f)) {
        uint64_t s1 = strtoull(vec_get(&f, "SIZE1"), NULL, 10);
        uint64_t s2 = strtoull(vec_get(&f, "SIZE2"), NULL, 10);
        int want_err = atoi(vec_get(&f, "WANT_ERR"));
        uint8_t r1[H], r2[H], proof[JOURNAL_MERKLE_PROOF_MAX][H];
        int n = proof_decode_vec(proof, &f);
        struct gsi_err err = GSI_ERR_INIT;
        int rc = -1;
        if (n >= 0 && hex32(r1, vec_get(&f, "ROOT1")) == 0 &&
            hex32(r2, vec_get(&f, "ROOT2")) == 0) {
            rc = journal_merkle_consistency_verify(s1, s2, r1, r2, (const uint8_t(*)[H])proof,
                                                   (size_t)n, &err);
        }
        /* One known difference: these roots are 12 bytes ("don't care 2"), which the Go library
         * compares as byte strings; hashes here are always 32 bytes, so it is refused. */
        if (strcmp(vec_get(&f, "FILE"), "additional/sizes-are-equal-one-and-proof-is-empty.json") ==
            0) {
            ck_assert_int_ne(rc, 0);
            ck_assert_int_eq(want_err, 0);
            known++;
            total++;
            continue;
        }
        ck_assert_msg((rc != 0) == (want_err != 0), "%s: rc %d, wantErr %d (%s)",
                      vec_get(&f, "FILE"), rc, want_err, err.msg);
        if (!want_err && s2 <= 8 && s1 > 0) {
            uint8_t want1[H];
            journal_merkle_root(want1, (const uint8_t(*)[H])ct_leaf, s1, &err);
            if (memcmp(want1, r1, H) == 0) {
                check_ct_proof(1, s1, s2, (const uint8_t(*)[H])proof, n);
                generated++;
            }
        }
        total++;
    }
    vec_close(&f);
    ck_assert_int_eq(total, 98);
    ck_assert_int_eq(known, 1);
    ck_assert_int_gt(generated, 0);
}
END_TEST

/* Every proof for every tree up to 70 leaves, from both kinds of source, equals the recursive
 * RFC definition, verifies, and fails when one bit of it changes. */
START_TEST(test_generated_proofs)
{
    enum { N = 70 };
    static uint8_t leaves[N][H];
    for (int i = 0; i < N; i++) {
        uint8_t data[4] = { (uint8_t)i, 'x', (uint8_t)(i * 7), 0 };
        journal_merkle_leaf_hash(leaves[i], data, sizeof data);
    }
    struct store st;
    store_init(&st, N);
    struct journal_merkle_range r;
    journal_merkle_range_init(&r);
    struct gsi_err err = GSI_ERR_INIT;
    for (uint64_t n = 1; n <= N; n++) {
        ck_assert_int_eq(journal_merkle_range_append(&r, leaves[n - 1], store_emit, &st, &err), 0);
        uint8_t want[H], got[H];
        ref_mth(want, (const uint8_t(*)[H])leaves, n);
        journal_merkle_range_root(&r, got);
        ck_assert_mem_eq(got, want, H);
        for (int lo = 0; lo <= 1; lo++) {
            st.leaves_only = lo;
            struct journal_merkle_source src = source_of(&st);
            struct journal_merkle_range loaded;
            ck_assert_int_eq(journal_merkle_range_load(&loaded, n, &src, &err), 0);
            ck_assert_uint_eq(loaded.size, r.size);
            ck_assert_uint_eq(loaded.count, r.count);
            ck_assert_mem_eq(loaded.hashes, r.hashes, r.count * H);
            for (uint64_t m = 0; m < n; m++) {
                uint8_t p[JOURNAL_MERKLE_PROOF_MAX][H], q[JOURNAL_MERKLE_PROOF_MAX][H];
                size_t plen, qlen;
                ref_path(q, &qlen, m, (const uint8_t(*)[H])leaves, n);
                ck_assert_int_eq(journal_merkle_inclusion_proof(p, &plen, m, n, &src, &err), 0);
                ck_assert_uint_eq(plen, qlen);
                ck_assert_mem_eq(p, q, plen * H);
                ck_assert_int_eq(journal_merkle_inclusion_verify(
                                     m, n, leaves[m], (const uint8_t(*)[H])p, plen, want, &err),
                                 0);
                if (plen > 0) {
                    p[plen / 2][m % H] ^= 1;
                    ck_assert_int_eq(journal_merkle_inclusion_verify(
                                         m, n, leaves[m], (const uint8_t(*)[H])p, plen, want, &err),
                                     GSI_EVERIFY);
                }
                /* A proof binds the leaf's position: its neighbour's index fails. (A different
                 * size of the same shape may pass; the root binds the size.) */
                if ((m ^ 1) < n) {
                    ck_assert_int_eq(journal_merkle_inclusion_verify(m ^ 1, n, leaves[m],
                                                                     (const uint8_t(*)[H])q, qlen,
                                                                     want, &err),
                                     GSI_EVERIFY);
                }
                /* consistency m+1 -> n */
                uint64_t s1 = m + 1;
                uint8_t old[H];
                ref_mth(old, (const uint8_t(*)[H])leaves, s1);
                ref_subproof(q, &qlen, s1, (const uint8_t(*)[H])leaves, n, 1);
                ck_assert_int_eq(journal_merkle_consistency_proof(p, &plen, s1, n, &src, &err), 0);
                ck_assert_uint_eq(plen, qlen);
                ck_assert_mem_eq(p, q, plen * H);
                ck_assert_int_eq(journal_merkle_consistency_verify(
                                     s1, n, old, want, (const uint8_t(*)[H])p, plen, &err),
                                 0);
                if (plen > 0) {
                    p[0][3] ^= 0x80;
                    ck_assert_int_eq(journal_merkle_consistency_verify(
                                         s1, n, old, want, (const uint8_t(*)[H])p, plen, &err),
                                     GSI_EVERIFY);
                }
            }
        }
        st.leaves_only = 0;
    }
    store_free(&st);
}
END_TEST

/* A source that answers any node of a huge virtual tree (hash = f(level, index)) shows that
 * proofs read O(log n) stored hashes. */
static int virtual_get(void *ctx, unsigned level, uint64_t index, uint8_t out[H],
                       struct gsi_err *err)
{
    long *reads = ctx;
    (*reads)++;
    memset(out, 0, H);
    memcpy(out, &level, sizeof level);
    memcpy(out + 8, &index, sizeof index);
    return 0;
}

START_TEST(test_proof_reads_logarithmic)
{
    long reads = 0;
    struct journal_merkle_source src = { virtual_get, &reads, 0 };
    struct gsi_err err = GSI_ERR_INIT;
    uint64_t size = ((uint64_t)1 << 40) + 123456789; /* about 1.1e12 leaves */
    uint8_t p[JOURNAL_MERKLE_PROOF_MAX][H];
    size_t len;
    ck_assert_int_eq(journal_merkle_inclusion_proof(p, &len, size - 2, size, &src, &err), 0);
    ck_assert_uint_le(len, 41);
    ck_assert_int_le(reads, 2 * 41);
    reads = 0;
    ck_assert_int_eq(journal_merkle_consistency_proof(p, &len, size / 3, size, &src, &err), 0);
    ck_assert_uint_le(len, 42);
    ck_assert_int_le(reads, 3 * 42);
    reads = 0;
    uint8_t root[H];
    ck_assert_int_eq(journal_merkle_root_at(root, size, &src, &err), 0);
    /* popcount(2^40 + 123456789) reads */
    ck_assert_int_eq(reads, 1 + __builtin_popcountll(123456789ULL));
}
END_TEST

START_TEST(test_bad_requests)
{
    struct store st;
    store_init(&st, 8);
    struct journal_merkle_source src = source_of(&st);
    struct gsi_err err = GSI_ERR_INIT;
    uint8_t p[JOURNAL_MERKLE_PROOF_MAX][H], a[H] = { 0 }, b[H] = { 1 };
    size_t len;
    ck_assert_int_eq(journal_merkle_inclusion_proof(p, &len, 8, 8, &src, &err), GSI_EUSAGE);
    ck_assert_int_eq(journal_merkle_inclusion_proof(p, &len, 0, 0, &src, &err), GSI_EUSAGE);
    ck_assert_int_eq(journal_merkle_consistency_proof(p, &len, 0, 4, &src, &err), GSI_EUSAGE);
    ck_assert_int_eq(journal_merkle_consistency_proof(p, &len, 5, 4, &src, &err), GSI_EUSAGE);
    ck_assert_int_eq(journal_merkle_consistency_proof(p, &len, 4, 4, &src, &err), 0);
    ck_assert_uint_eq(len, 0);
    /* the store has no node past its 8 leaves: the error comes through */
    ck_assert_int_eq(journal_merkle_inclusion_proof(p, &len, 3, 9, &src, &err), GSI_ENOTFOUND);
    ck_assert_int_eq(journal_merkle_inclusion_verify(0, 0, a, NULL, 0, a, &err), GSI_EVERIFY);
    ck_assert_int_eq(journal_merkle_inclusion_verify(0, 1, a, NULL, 0, a, &err), 0);
    ck_assert_int_eq(journal_merkle_inclusion_verify(0, 1, a, NULL, 0, b, &err), GSI_EVERIFY);
    ck_assert_int_eq(journal_merkle_inclusion_verify(0, 2, a, (const uint8_t(*)[H])p, 200, a, &err),
                     GSI_EVERIFY);
    ck_assert_int_eq(journal_merkle_consistency_verify(3, 3, a, a, NULL, 0, &err), 0);
    ck_assert_int_eq(journal_merkle_consistency_verify(3, 3, a, b, NULL, 0, &err), GSI_EVERIFY);
    ck_assert_int_eq(journal_merkle_consistency_verify(0, 3, a, b, NULL, 0, &err), GSI_EVERIFY);
    ck_assert_int_eq(journal_merkle_consistency_verify(4, 3, a, b, NULL, 0, &err), GSI_EVERIFY);
    ck_assert_int_eq(
        journal_merkle_consistency_verify(2, 3, a, b, (const uint8_t(*)[H])p, 100, &err),
        GSI_EVERIFY);
    store_free(&st);
}
END_TEST

static int failing_emit(void *ctx, unsigned level, uint64_t index, const uint8_t hash[H],
                        struct gsi_err *err)
{
    return level == 1 ? gsi_err_set(err, GSI_EDB, "disk full") : 0;
}

START_TEST(test_append_failure_leaves_range)
{
    struct journal_merkle_range r, before;
    journal_merkle_range_init(&r);
    struct gsi_err err = GSI_ERR_INIT;
    uint8_t leaf[H] = { 7 };
    ck_assert_int_eq(journal_merkle_range_append(&r, leaf, failing_emit, NULL, &err), 0);
    before = r;
    /* the second leaf completes a level-1 node; the emit fails and nothing changes */
    ck_assert_int_eq(journal_merkle_range_append(&r, leaf, failing_emit, NULL, &err), GSI_EDB);
    ck_assert_mem_eq(&r, &before, sizeof r);
}
END_TEST

Suite *make_suite(void)
{
    const TTest *tests[] = { test_rfc6962_tree,
                             test_tdev_inclusion,
                             test_tdev_consistency,
                             test_generated_proofs,
                             test_proof_reads_logarithmic,
                             test_bad_requests,
                             test_append_failure_leaves_range };
    return test_suite("journal_merkle", 0, tests, sizeof tests / sizeof tests[0]);
}
