/*
 * merkle.h — RFC 6962 / RFC 9162 Merkle tree hashing, tree heads and proofs.
 *
 * Hashes (RFC 9162 §2.1.1), SHA-256 throughout:
 *   leaf hash  = SHA-256(0x00 || entry bytes)
 *   node hash  = SHA-256(0x01 || left || right)
 *   MTH({})    = SHA-256("")                       (the empty tree)
 *   MTH(D[n])  = node(MTH(D[0:k]), MTH(D[k:n]))   k = largest power of two < n
 *
 * Where the hashes come from. The proof generators and journal_merkle_root_at() read the tree
 * through a `struct journal_merkle_source`: a callback that returns the hash of one *complete*
 * (perfect) subtree, named by its level and index. Level 0 is the leaf hashes; the node at
 * (level L, index i) covers leaves [i*2^L, (i+1)*2^L). The library asks only for nodes that are
 * complete in the tree it works on ((i+1)*2^L <= size). A store that keeps every complete
 * subtree hash (they never change in an append-only log: journal_merkle_range_append() hands
 * each new one to the caller as it completes) answers every proof with O(log n) reads. A store
 * that keeps only leaf hashes sets `leaves_only` and the library derives interior nodes from the
 * leaves (O(n) reads per proof; for tests and small logs).
 *
 * Appending. `struct journal_merkle_range` is the compact range [0, size): the hashes of the
 * complete subtrees along the right border, one per set bit of `size` (at most 64). Appending a
 * leaf merges equal-sized subtrees and reports every newly complete node to an emit callback,
 * which is how the store fills its node table in the same transaction as the entry.
 *
 *     struct journal_merkle_range r;
 *     journal_merkle_range_init(&r);
 *     journal_merkle_range_append(&r, leaf_hash, store_put_node, db, &err);   // per entry
 *     journal_merkle_range_root(&r, root);                                    // tree head
 *
 * Proofs are arrays of 32-byte hashes in the RFC 9162 order; JOURNAL_MERKLE_PROOF_MAX bounds
 * them, so a caller can keep a proof on the stack. All functions return 0 or a negative GSI_E*
 * code; a proof that does not verify is GSI_EVERIFY, a malformed request (index >= size,
 * size1 > size2, a proof longer than any valid proof) is GSI_EUSAGE or GSI_EVERIFY as stated.
 */
#ifndef GSI_JOURNAL_MERKLE_H
#define GSI_JOURNAL_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define JOURNAL_HASH_SIZE 32
/* Longest inclusion or consistency proof for a tree of at most 2^64 - 1 leaves is 64 + 1 hashes
 * (consistency: one per level plus the first subtree); the cap leaves room. */
#define JOURNAL_MERKLE_PROOF_MAX 130
/* Largest tree size the library accepts (sizes are signed 64-bit in checkpoints and SQL). */
#define JOURNAL_MERKLE_SIZE_MAX ((uint64_t)INT64_MAX)

/* Reads the hash of the complete subtree at (level, index) into `out`. Returns 0, or a negative
 * GSI_E* code after filling `err` (GSI_ENOTFOUND if the store does not have it). */
typedef int (*journal_merkle_get_node_fn)(void *ctx, unsigned level, uint64_t index,
                                          uint8_t out[JOURNAL_HASH_SIZE], struct gsi_err *err);

struct journal_merkle_source {
    journal_merkle_get_node_fn get_node;
    void *ctx;
    /* true: get_node answers only level 0 (leaf hashes); interior nodes are derived. */
    int leaves_only;
};

/* Receives one newly complete subtree hash during an append (level 0 is the leaf itself). */
typedef int (*journal_merkle_emit_fn)(void *ctx, unsigned level, uint64_t index,
                                      const uint8_t hash[JOURNAL_HASH_SIZE], struct gsi_err *err);

struct journal_merkle_range {
    uint64_t size;                         /* leaves covered: [0, size) */
    unsigned count;                        /* hashes held = popcount(size) */
    uint8_t hashes[64][JOURNAL_HASH_SIZE]; /* largest (leftmost) subtree first */
};

/* --- hashing --- */

/* SHA-256 of `len` bytes. */
void journal_sha256(uint8_t out[JOURNAL_HASH_SIZE], const void *data, size_t len);
/* SHA-256(0x00 || data). */
void journal_merkle_leaf_hash(uint8_t out[JOURNAL_HASH_SIZE], const void *data, size_t len);
/* SHA-256(0x01 || left || right). `out` may alias either input. */
void journal_merkle_node_hash(uint8_t out[JOURNAL_HASH_SIZE], const uint8_t left[JOURNAL_HASH_SIZE],
                              const uint8_t right[JOURNAL_HASH_SIZE]);
/* MTH of the empty tree, SHA-256(""). */
void journal_merkle_empty_root(uint8_t out[JOURNAL_HASH_SIZE]);

/* MTH over `n` leaf hashes held in memory (any n, 0 included). O(n) time, O(log n) space. */
int journal_merkle_root(uint8_t out[JOURNAL_HASH_SIZE],
                        const uint8_t (*leaf_hashes)[JOURNAL_HASH_SIZE], uint64_t n,
                        struct gsi_err *err);

/* --- the compact range (append path) --- */

/* The empty range (size 0). */
void journal_merkle_range_init(struct journal_merkle_range *r);
/* Appends one leaf hash. `emit` (may be NULL) is called for the leaf (level 0) and for every
 * subtree the leaf completes, lowest first; an error from it stops the append and leaves `r`
 * unchanged. GSI_ELIMIT past JOURNAL_MERKLE_SIZE_MAX. */
int journal_merkle_range_append(struct journal_merkle_range *r,
                                const uint8_t leaf_hash[JOURNAL_HASH_SIZE],
                                journal_merkle_emit_fn emit, void *emit_ctx, struct gsi_err *err);
/* MTH of the leaves the range covers (empty root for size 0). */
void journal_merkle_range_root(const struct journal_merkle_range *r,
                               uint8_t out[JOURNAL_HASH_SIZE]);
/* Rebuilds the range for a tree of `size` leaves from stored nodes: popcount(size) reads
 * (or O(size) with a leaves_only source). Used at start-up to resume appending. */
int journal_merkle_range_load(struct journal_merkle_range *r, uint64_t size,
                              const struct journal_merkle_source *src, struct gsi_err *err);

/* --- tree heads and proofs over a source --- */

/* MTH of the first `size` leaves of the source. */
int journal_merkle_root_at(uint8_t out[JOURNAL_HASH_SIZE], uint64_t size,
                           const struct journal_merkle_source *src, struct gsi_err *err);

/* Inclusion proof (RFC 9162 §2.1.3.1) of leaf `index` in the tree of `size` leaves. Writes
 * *proof_len hashes to `proof`, which holds JOURNAL_MERKLE_PROOF_MAX. GSI_EUSAGE unless
 * index < size <= JOURNAL_MERKLE_SIZE_MAX. */
int journal_merkle_inclusion_proof(uint8_t (*proof)[JOURNAL_HASH_SIZE], size_t *proof_len,
                                   uint64_t index, uint64_t size,
                                   const struct journal_merkle_source *src, struct gsi_err *err);

/* Verifies an inclusion proof (RFC 9162 §2.1.3.2): 0 when `leaf_hash` is leaf `index` of the
 * tree of `size` leaves whose root is `root`; GSI_EVERIFY otherwise (index >= size included). */
int journal_merkle_inclusion_verify(uint64_t index, uint64_t size,
                                    const uint8_t leaf_hash[JOURNAL_HASH_SIZE],
                                    const uint8_t (*proof)[JOURNAL_HASH_SIZE], size_t proof_len,
                                    const uint8_t root[JOURNAL_HASH_SIZE], struct gsi_err *err);

/* Consistency proof (RFC 9162 §2.1.4.1) between the trees of size1 and size2 leaves.
 * 0 < size1 <= size2; size1 == size2 gives an empty proof. GSI_EUSAGE otherwise. */
int journal_merkle_consistency_proof(uint8_t (*proof)[JOURNAL_HASH_SIZE], size_t *proof_len,
                                     uint64_t size1, uint64_t size2,
                                     const struct journal_merkle_source *src, struct gsi_err *err);

/* Verifies a consistency proof (RFC 9162 §2.1.4.2). size1 == size2 needs an empty proof and
 * equal roots; size1 == 0 is refused (there is nothing to prove: any tree extends the empty
 * one, and accepting it would let a caller skip the check). GSI_EVERIFY on any failure. */
int journal_merkle_consistency_verify(uint64_t size1, uint64_t size2,
                                      const uint8_t root1[JOURNAL_HASH_SIZE],
                                      const uint8_t root2[JOURNAL_HASH_SIZE],
                                      const uint8_t (*proof)[JOURNAL_HASH_SIZE], size_t proof_len,
                                      struct gsi_err *err);

#endif
