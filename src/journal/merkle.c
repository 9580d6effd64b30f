/* RFC 6962 / RFC 9162 Merkle trees: hashing, the compact range, proofs. See merkle.h. */
#include "journal/merkle.h"

#include <string.h>

#include <sodium.h>

void journal_sha256(uint8_t out[JOURNAL_HASH_SIZE], const void *data, size_t len)
{
    crypto_hash_sha256(out, (const unsigned char *)data, (unsigned long long)len);
}

void journal_merkle_leaf_hash(uint8_t out[JOURNAL_HASH_SIZE], const void *data, size_t len)
{
    static const unsigned char prefix = 0x00;
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, &prefix, 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)data, (unsigned long long)len);
    crypto_hash_sha256_final(&st, out);
}

void journal_merkle_node_hash(uint8_t out[JOURNAL_HASH_SIZE], const uint8_t left[JOURNAL_HASH_SIZE],
                              const uint8_t right[JOURNAL_HASH_SIZE])
{
    /* Copy the inputs first so that `out` may alias either. */
    unsigned char buf[1 + 2 * JOURNAL_HASH_SIZE];
    buf[0] = 0x01;
    memcpy(buf + 1, left, JOURNAL_HASH_SIZE);
    memcpy(buf + 1 + JOURNAL_HASH_SIZE, right, JOURNAL_HASH_SIZE);
    crypto_hash_sha256(out, buf, sizeof buf);
}

void journal_merkle_empty_root(uint8_t out[JOURNAL_HASH_SIZE])
{
    crypto_hash_sha256(out, (const unsigned char *)"", 0);
}

/* Largest power of two strictly less than n; n >= 2. */
static uint64_t split_point(uint64_t n)
{
    uint64_t k = 1;
    while (k < n - k) {
        k <<= 1;
    }
    /* Loop invariant: k is a power of two; it stops at the first k with 2k >= n, i.e. k < n <= 2k.
     */
    return k;
}

static unsigned popcount64(uint64_t x)
{
    unsigned c = 0;
    while (x != 0) {
        x &= x - 1;
        c++;
    }
    return c;
}

/* --- the compact range --- */

void journal_merkle_range_init(struct journal_merkle_range *r)
{
    memset(r, 0, sizeof *r);
}

int journal_merkle_range_append(struct journal_merkle_range *r,
                                const uint8_t leaf_hash[JOURNAL_HASH_SIZE],
                                journal_merkle_emit_fn emit, void *emit_ctx, struct gsi_err *err)
{
    if (r->size >= JOURNAL_MERKLE_SIZE_MAX) {
        return gsi_err_set(err, GSI_ELIMIT,
                           "journal: the tree already holds %llu leaves, the most it may",
                           (unsigned long long)r->size);
    }
    if (r->count != popcount64(r->size)) {
        GSI_BUG("compact range count does not match its size");
    }
    uint8_t h[JOURNAL_HASH_SIZE];
    memcpy(h, leaf_hash, JOURNAL_HASH_SIZE);
    uint64_t index = r->size;
    unsigned level = 0;
    unsigned count = r->count;
    if (emit != NULL) {
        int rc = emit(emit_ctx, 0, index, h, err);
        if (rc < 0) {
            return rc;
        }
    }
    /* Each trailing 1 bit of size is a complete subtree of that level that the new leaf's
     * subtree now completes into one twice as large. Work on a copy of the count and commit
     * only after every emit succeeded, so a failed append leaves the range as it was. */
    while ((r->size >> level) & 1u) {
        journal_merkle_node_hash(h, r->hashes[count - 1], h);
        count--;
        level++;
        index >>= 1;
        if (emit != NULL) {
            int rc = emit(emit_ctx, level, index, h, err);
            if (rc < 0) {
                return rc;
            }
        }
    }
    memcpy(r->hashes[count], h, JOURNAL_HASH_SIZE);
    r->count = count + 1;
    r->size++;
    return 0;
}

void journal_merkle_range_root(const struct journal_merkle_range *r, uint8_t out[JOURNAL_HASH_SIZE])
{
    if (r->count == 0) {
        journal_merkle_empty_root(out);
        return;
    }
    /* MTH folds from the right: the smallest subtrees combine first (RFC 9162 split rule). */
    uint8_t h[JOURNAL_HASH_SIZE];
    memcpy(h, r->hashes[r->count - 1], JOURNAL_HASH_SIZE);
    for (unsigned j = r->count - 1; j-- > 0;) {
        journal_merkle_node_hash(h, r->hashes[j], h);
    }
    memcpy(out, h, JOURNAL_HASH_SIZE);
}

int journal_merkle_root(uint8_t out[JOURNAL_HASH_SIZE],
                        const uint8_t (*leaf_hashes)[JOURNAL_HASH_SIZE], uint64_t n,
                        struct gsi_err *err)
{
    struct journal_merkle_range r;
    journal_merkle_range_init(&r);
    for (uint64_t i = 0; i < n; i++) {
        int rc = journal_merkle_range_append(&r, leaf_hashes[i], NULL, NULL, err);
        if (rc < 0) {
            return rc;
        }
    }
    journal_merkle_range_root(&r, out);
    return 0;
}

/* --- reading a source --- */

/* Hash of the complete subtree at (level, index). With a leaves_only source it is derived
 * from its 2^level leaf hashes, read left to right into a compact range: the range's merge of
 * equal-sized subtrees is the same fold as the MTH recursion, with no recursion and a stack of
 * at most 64 hashes. */
static int perfect_hash(const struct journal_merkle_source *src, unsigned level, uint64_t index,
                        uint8_t out[JOURNAL_HASH_SIZE], struct gsi_err *err)
{
    if (!src->leaves_only || level == 0) {
        return src->get_node(src->ctx, level, index, out, err);
    }
    struct journal_merkle_range r;
    journal_merkle_range_init(&r);
    uint64_t first = index << level, width = (uint64_t)1 << level;
    for (uint64_t i = 0; i < width; i++) {
        uint8_t leaf[JOURNAL_HASH_SIZE];
        int rc = src->get_node(src->ctx, 0, first + i, leaf, err);
        if (rc < 0) {
            return rc;
        }
        rc = journal_merkle_range_append(&r, leaf, NULL, NULL, err);
        if (rc < 0) {
            return rc;
        }
    }
    journal_merkle_range_root(&r, out);
    return 0;
}

/* Reads the complete subtrees that tile D[begin : begin + size], one per set bit of size,
 * largest first, into r->hashes: popcount(size) reads. begin must be a multiple of the smallest
 * power of two >= size (true of every subtree the RFC recursion visits, and of begin 0). `r` is
 * then the compact range of those `size` leaves as if they began at 0, so
 * journal_merkle_range_root() folds it into their MTH. */
static int range_read(struct journal_merkle_range *r, uint64_t begin, uint64_t size,
                      const struct journal_merkle_source *src, struct gsi_err *err)
{
    journal_merkle_range_init(r);
    uint64_t at = begin;
    for (unsigned level = 64; level-- > 0;) {
        uint64_t width = (uint64_t)1 << level;
        if (size & width) {
            int rc = perfect_hash(src, level, at >> level, r->hashes[r->count], err);
            if (rc < 0) {
                return rc;
            }
            r->count++;
            at += width;
        }
    }
    r->size = size;
    return 0;
}

/* MTH(D[begin : begin + size]), begin as range_read() needs; the empty root for size 0. */
static int subtree_hash(const struct journal_merkle_source *src, uint64_t begin, uint64_t size,
                        uint8_t out[JOURNAL_HASH_SIZE], struct gsi_err *err)
{
    struct journal_merkle_range r;
    int rc = range_read(&r, begin, size, src, err);
    if (rc < 0) {
        return rc;
    }
    journal_merkle_range_root(&r, out);
    return 0;
}

int journal_merkle_range_load(struct journal_merkle_range *r, uint64_t size,
                              const struct journal_merkle_source *src, struct gsi_err *err)
{
    if (size > JOURNAL_MERKLE_SIZE_MAX) {
        return gsi_err_set(err, GSI_EUSAGE, "journal: tree size %llu is past the limit",
                           (unsigned long long)size);
    }
    /* Read into a copy so that a failed read leaves `r` as it was. */
    struct journal_merkle_range tmp;
    int rc = range_read(&tmp, 0, size, src, err);
    if (rc < 0) {
        return rc;
    }
    *r = tmp;
    return 0;
}

int journal_merkle_root_at(uint8_t out[JOURNAL_HASH_SIZE], uint64_t size,
                           const struct journal_merkle_source *src, struct gsi_err *err)
{
    if (size > JOURNAL_MERKLE_SIZE_MAX) {
        return gsi_err_set(err, GSI_EUSAGE, "journal: tree size %llu is past the limit",
                           (unsigned long long)size);
    }
    return subtree_hash(src, 0, size, out, err);
}

/* --- proofs --- */

/* A proof is first planned as a list of subtree ranges, top of the tree first, then each range
 * is hashed. The plan costs no reads. */
struct plan {
    uint64_t begin[JOURNAL_MERKLE_PROOF_MAX];
    uint64_t size[JOURNAL_MERKLE_PROOF_MAX];
    size_t n;
};

static void plan_add(struct plan *p, uint64_t begin, uint64_t size)
{
    p->begin[p->n] = begin;
    p->size[p->n] = size;
    p->n++;
}

/* One step of the RFC recursion over D[*begin : *begin + *n] split at k: it goes on into the
 * left part (`left`) or the right part, where *m moves along, and plans the other part. */
static void plan_split(struct plan *p, int left, uint64_t k, uint64_t *begin, uint64_t *n,
                       uint64_t *m)
{
    if (left) {
        plan_add(p, *begin + k, *n - k);
        *n = k;
    } else {
        plan_add(p, *begin, k);
        *begin += k;
        *m -= k;
        *n -= k;
    }
}

/* Hashes the planned ranges into `proof`, bottom of the tree first as both proofs list them. */
static int plan_hash(uint8_t (*proof)[JOURNAL_HASH_SIZE], size_t *proof_len, const struct plan *p,
                     const struct journal_merkle_source *src, struct gsi_err *err)
{
    for (size_t i = 0; i < p->n; i++) {
        size_t j = p->n - 1 - i;
        int rc = subtree_hash(src, p->begin[j], p->size[j], proof[i], err);
        if (rc < 0) {
            return rc;
        }
    }
    *proof_len = p->n;
    return 0;
}

int journal_merkle_inclusion_proof(uint8_t (*proof)[JOURNAL_HASH_SIZE], size_t *proof_len,
                                   uint64_t index, uint64_t size,
                                   const struct journal_merkle_source *src, struct gsi_err *err)
{
    *proof_len = 0;
    if (size > JOURNAL_MERKLE_SIZE_MAX || index >= size) {
        return gsi_err_set(err, GSI_EUSAGE,
                           "journal: inclusion proof needs index < size, got index %llu, size %llu",
                           (unsigned long long)index, (unsigned long long)size);
    }
    /* PATH(m, D[begin:begin+n]) (RFC 9162 §2.1.3.1): the sibling at each split, top first;
     * the proof lists them leaf first. */
    struct plan p = { .n = 0 };
    uint64_t begin = 0, n = size, m = index;
    while (n > 1) {
        uint64_t k = split_point(n);
        plan_split(&p, m < k, k, &begin, &n, &m);
    }
    return plan_hash(proof, proof_len, &p, src, err);
}

int journal_merkle_consistency_proof(uint8_t (*proof)[JOURNAL_HASH_SIZE], size_t *proof_len,
                                     uint64_t size1, uint64_t size2,
                                     const struct journal_merkle_source *src, struct gsi_err *err)
{
    *proof_len = 0;
    if (size2 > JOURNAL_MERKLE_SIZE_MAX || size1 == 0 || size1 > size2) {
        return gsi_err_set(err, GSI_EUSAGE,
                           "journal: consistency proof needs 0 < size1 <= size2, got %llu and %llu",
                           (unsigned long long)size1, (unsigned long long)size2);
    }
    /* SUBPROOF(m, D[begin:begin+n], b) (RFC 9162 §2.1.4.1), unrolled: siblings top first, and
     * at the bottom MTH(D[begin:begin+m]) itself unless that subtree is the whole old tree
     * (b stays true only while every step goes left). */
    struct plan p = { .n = 0 };
    uint64_t begin = 0, n = size2, m = size1;
    int whole = 1;
    while (m != n) {
        uint64_t k = split_point(n);
        int left = m <= k;
        whole = whole && left;
        plan_split(&p, left, k, &begin, &n, &m);
    }
    if (!whole) {
        plan_add(&p, begin, m);
    }
    return plan_hash(proof, proof_len, &p, src, err);
}

static int fail(struct gsi_err *err, const char *what)
{
    return gsi_err_set(err, GSI_EVERIFY, "journal: proof does not verify: %s", what);
}

/* The path walk both verifiers share (the loops of RFC 9162 §2.1.3.2 and §2.1.4.2): fn and sn
 * start at the proven node and the tree's last node; each proof hash is a left sibling while
 * fn is odd or on the right border, a right sibling otherwise. `sr` folds every hash into the
 * root of the tree of size sn + 1; `fr`, when not NULL, folds only the left siblings (the old
 * root of a consistency proof). `too_long` and `too_short` name the failures in messages. */
static int walk_path(uint64_t fn, uint64_t sn, const uint8_t (*proof)[JOURNAL_HASH_SIZE],
                     size_t proof_len, uint8_t *fr, uint8_t sr[JOURNAL_HASH_SIZE],
                     const char *too_long, const char *too_short, struct gsi_err *err)
{
    for (size_t i = 0; i < proof_len; i++) {
        if (sn == 0) {
            return fail(err, too_long);
        }
        if ((fn & 1u) || fn == sn) {
            if (fr != NULL) {
                journal_merkle_node_hash(fr, proof[i], fr);
            }
            journal_merkle_node_hash(sr, proof[i], sr);
            while (!(fn & 1u) && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            journal_merkle_node_hash(sr, sr, proof[i]);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0) {
        return fail(err, too_short);
    }
    return 0;
}

int journal_merkle_inclusion_verify(uint64_t index, uint64_t size,
                                    const uint8_t leaf_hash[JOURNAL_HASH_SIZE],
                                    const uint8_t (*proof)[JOURNAL_HASH_SIZE], size_t proof_len,
                                    const uint8_t root[JOURNAL_HASH_SIZE], struct gsi_err *err)
{
    if (index >= size) {
        return fail(err, "leaf index is not below the tree size");
    }
    if (proof_len > 64) {
        return fail(err, "inclusion proof is longer than any tree allows");
    }
    uint8_t r[JOURNAL_HASH_SIZE];
    memcpy(r, leaf_hash, JOURNAL_HASH_SIZE);
    int rc = walk_path(index, size - 1, proof, proof_len, NULL, r,
                       "inclusion proof is too long for the tree size",
                       "inclusion proof is too short for the tree size", err);
    if (rc < 0) {
        return rc;
    }
    if (sodium_memcmp(r, root, JOURNAL_HASH_SIZE) != 0) {
        return fail(err, "computed root differs from the expected root");
    }
    return 0;
}

int journal_merkle_consistency_verify(uint64_t size1, uint64_t size2,
                                      const uint8_t root1[JOURNAL_HASH_SIZE],
                                      const uint8_t root2[JOURNAL_HASH_SIZE],
                                      const uint8_t (*proof)[JOURNAL_HASH_SIZE], size_t proof_len,
                                      struct gsi_err *err)
{
    if (size1 > size2) {
        return fail(err, "the old tree is larger than the new one");
    }
    if (size1 == 0) {
        return fail(err, "consistency from the empty tree is not checked");
    }
    if (size1 == size2) {
        if (proof_len != 0) {
            return fail(err, "equal tree sizes need an empty proof");
        }
        if (sodium_memcmp(root1, root2, JOURNAL_HASH_SIZE) != 0) {
            return fail(err, "equal tree sizes with different roots");
        }
        return 0;
    }
    if (proof_len == 0) {
        return fail(err, "empty consistency proof");
    }
    if (proof_len > 64 + 1) {
        return fail(err, "consistency proof is longer than any tree allows");
    }
    /* RFC 9162 §2.1.4.2. When size1 is a power of two, the old root is itself the first node
     * of the path (the generator leaves it out). */
    size_t i = 0;
    const uint8_t *first;
    if ((size1 & (size1 - 1)) == 0) {
        first = root1;
    } else {
        first = proof[0];
        i = 1;
    }
    uint64_t fn = size1 - 1, sn = size2 - 1;
    while (fn & 1u) {
        fn >>= 1;
        sn >>= 1;
    }
    uint8_t fr[JOURNAL_HASH_SIZE], sr[JOURNAL_HASH_SIZE];
    memcpy(fr, first, JOURNAL_HASH_SIZE);
    memcpy(sr, first, JOURNAL_HASH_SIZE);
    int rc = walk_path(fn, sn, proof + i, proof_len - i, fr, sr,
                       "consistency proof is too long for the tree sizes",
                       "consistency proof is too short for the tree sizes", err);
    if (rc < 0) {
        return rc;
    }
    if (sodium_memcmp(fr, root1, JOURNAL_HASH_SIZE) != 0) {
        return fail(err, "computed old root differs from the old root");
    }
    if (sodium_memcmp(sr, root2, JOURNAL_HASH_SIZE) != 0) {
        return fail(err, "computed new root differs from the new root");
    }
    return 0;
}
