/* Real logs: the Tessera tlog-tiles test log (checkpoints, tiles, entry bundles) and the
 * Sigsum proof chain, verified end to end with this module. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "journal/journal.h"
#include "vecfile.h"

#define H       JOURNAL_HASH_SIZE
#define TESSERA "vectors/tessera-tlog-tiles/testdata/log/"

struct leaves {
    uint64_t n;
    uint8_t hash[64][H];
};

static int leaves_get(void *ctx, unsigned level, uint64_t index, uint8_t out[H],
                      struct gsi_err *err)
{
    const struct leaves *l = ctx;
    if (level != 0 || index >= l->n) {
        return gsi_err_set(err, GSI_ENOTFOUND, "no leaf %llu", (unsigned long long)index);
    }
    memcpy(out, l->hash[index], H);
    return 0;
}

START_TEST(test_tessera_log)
{
    struct vec_file f;
    ck_assert_int_eq(vec_open(&f, test_path("vectors/converted/tessera_keys.txt")), 0);
    ck_assert(vec_next(&f));
    struct gsi_err err = GSI_ERR_INIT;
    const char *origin = vec_get(&f, "ORIGIN"), *vkey = vec_get(&f, "VKEY"),
               *skey = vec_get(&f, "SKEY");
    struct journal_note_verifier v;
    struct journal_note_signer s;
    ck_assert_int_eq(journal_note_verifier_parse(&v, vkey, strlen(vkey), &err), 0);
    ck_assert_int_eq(journal_note_signer_parse(&s, skey, strlen(skey), &err), 0);
    ck_assert_str_eq(v.name, origin);
    ck_assert_uint_eq(v.id, 0x33d7b496);
    ck_assert_uint_eq(s.id, v.id);
    ck_assert_mem_eq(s.key.pub, v.pub, 32);

    char *copy;
    const char *item[VEC_MAX_LIST];
    int nentries = vec_list(vec_get(&f, "ENTRIES"), &copy, item);
    ck_assert_int_eq(nentries, 15);
    uint8_t entry[15][64];
    size_t entry_len[15];
    struct leaves lv = { .n = 0 };
    for (int i = 0; i < nentries; i++) {
        long n = vec_hex(entry[i], sizeof entry[i], item[i]);
        ck_assert_int_gt(n, 0);
        entry_len[i] = (size_t)n;
        journal_merkle_leaf_hash(lv.hash[i], entry[i], entry_len[i]);
    }
    free(copy);
    lv.n = 15;
    struct journal_merkle_source src = { leaves_get, &lv, 1 };

    uint8_t roots[16][H];
    for (int n = 0; n <= 15; n++) {
        char rel[128];
        snprintf(rel, sizeof rel, TESSERA "checkpoint.%d", n);
        size_t len;
        char *msg = vec_slurp(test_path(rel), &len);
        ck_assert_ptr_nonnull(msg);
        struct journal_checkpoint cp;
        struct journal_note note;
        ck_assert_msg(journal_checkpoint_open(&cp, &note, msg, len, origin, &v, 1, &err) == 0,
                      "%s: %s", rel, err.msg);
        ck_assert_uint_eq(cp.size, (uint64_t)n);
        /* the root is the RFC 6962 tree over the entries */
        uint8_t root[H];
        ck_assert_int_eq(journal_merkle_root(root, (const uint8_t(*)[H])lv.hash, (uint64_t)n, &err),
                         0);
        ck_assert_msg(memcmp(root, cp.root, H) == 0, "%s: root differs", rel);
        memcpy(roots[n], root, H);
        /* Ed25519 is deterministic: re-signing the text reproduces the file byte for byte */
        struct gsi_buf out;
        gsi_buf_init(&out, 1 << 16);
        ck_assert_int_eq(journal_note_sign(&out, note.text, note.text_len, &s, 1, &err), 0);
        ck_assert_uint_eq(out.len, len);
        ck_assert_mem_eq(out.data, msg, len);
        gsi_buf_release(&out);
        journal_note_release(&note);
        journal_checkpoint_release(&cp);
        free(msg);
        if (n == 0) {
            continue;
        }
        /* level-0 tile: the n leaf hashes */
        snprintf(rel, sizeof rel, TESSERA "tile/0/000.p/%d", n);
        uint8_t *tile = (uint8_t *)vec_slurp(test_path(rel), &len);
        ck_assert_ptr_nonnull(tile);
        ck_assert_uint_eq(len, (size_t)n * H);
        ck_assert_mem_eq(tile, lv.hash, len);
        free(tile);
        /* entry bundle: big-endian uint16 length, then the entry */
        snprintf(rel, sizeof rel, TESSERA "tile/entries/000.p/%d", n);
        uint8_t *bundle = (uint8_t *)vec_slurp(test_path(rel), &len);
        ck_assert_ptr_nonnull(bundle);
        size_t at = 0;
        for (int i = 0; i < n; i++) {
            ck_assert_uint_le(at + 2, len);
            size_t el = ((size_t)bundle[at] << 8) | bundle[at + 1];
            at += 2;
            ck_assert_uint_eq(el, entry_len[i]);
            ck_assert_uint_le(at + el, len);
            ck_assert_mem_eq(bundle + at, entry[i], el);
            at += el;
        }
        ck_assert_uint_eq(at, len);
        free(bundle);
    }
    /* the latest checkpoint is checkpoint.15 */
    size_t l1, l2;
    char *a = vec_slurp(test_path(TESSERA "checkpoint"), &l1),
         *b = vec_slurp(test_path(TESSERA "checkpoint.15"), &l2);
    ck_assert(a != NULL && b != NULL && l1 == l2 && memcmp(a, b, l1) == 0);
    free(a);
    free(b);
    /* every consistency proof between published checkpoints, every inclusion proof */
    for (uint64_t n2 = 1; n2 <= 15; n2++) {
        for (uint64_t n1 = 1; n1 <= n2; n1++) {
            uint8_t p[JOURNAL_MERKLE_PROOF_MAX][H];
            size_t plen;
            ck_assert_int_eq(journal_merkle_consistency_proof(p, &plen, n1, n2, &src, &err), 0);
            ck_assert_int_eq(journal_merkle_consistency_verify(n1, n2, roots[n1], roots[n2],
                                                               (const uint8_t(*)[H])p, plen, &err),
                             0);
            if (n1 < n2) {
                ck_assert_int_eq(journal_merkle_consistency_verify(
                                     n1, n2, roots[n1 - 1 == 0 ? 2 : n1 - 1], roots[n2],
                                     (const uint8_t(*)[H])p, plen, &err),
                                 GSI_EVERIFY);
            }
        }
        for (uint64_t i = 0; i < n2; i++) {
            uint8_t p[JOURNAL_MERKLE_PROOF_MAX][H];
            size_t plen;
            ck_assert_int_eq(journal_merkle_inclusion_proof(p, &plen, i, n2, &src, &err), 0);
            ck_assert_int_eq(journal_merkle_inclusion_verify(
                                 i, n2, lv.hash[i], (const uint8_t(*)[H])p, plen, roots[n2], &err),
                             0);
        }
    }
    /* a checkpoint with one changed byte of its root does not open */
    size_t len;
    char *msg = vec_slurp(test_path(TESSERA "checkpoint.7"), &len);
    char *nl = strchr(strchr(msg, '\n') + 1, '\n');
    nl[1] = nl[1] == 'A' ? 'B' : 'A';
    struct journal_checkpoint cp;
    ck_assert_int_eq(journal_checkpoint_open(&cp, NULL, msg, len, origin, &v, 1, &err),
                     GSI_EVERIFY);
    free(msg);
    journal_note_signer_release(&s);
    vec_close(&f);
}
END_TEST

/* --- Sigsum --- */

static void hex_or_fail(uint8_t *out, size_t n, const char *hex)
{
    ck_assert_int_eq(vec_hex(out, n, hex), (long)n);
}

static const char *field(const char *text, const char *key, int nth)
{
    /* the nth "key=value" line of the proof file (0-based); value up to the newline */
    static char buf[4][512];
    static int next;
    size_t kl = strlen(key);
    const char *p = text;
    for (;;) {
        if (strncmp(p, key, kl) == 0 && p[kl] == '=' && nth-- == 0) {
            const char *e = strchr(p, '\n');
            size_t n = e != NULL ? (size_t)(e - p - (ptrdiff_t)kl - 1) : strlen(p + kl + 1);
            char *out = buf[next++ % 4];
            ck_assert_uint_lt(n, sizeof buf[0]);
            memcpy(out, p + kl + 1, n);
            out[n] = '\0';
            return out;
        }
        p = strchr(p, '\n');
        if (p == NULL) {
            return NULL;
        }
        p++;
    }
}

START_TEST(test_sigsum_proof)
{
    struct vec_file f;
    ck_assert_int_eq(vec_open(&f, test_path("vectors/converted/sigsum.txt")), 0);
    ck_assert(vec_next(&f));
    size_t plen;
    char *proof = vec_slurp(test_path("vectors/sigsum/proof_with_cosignature_size4.txt"), &plen);
    ck_assert_ptr_nonnull(proof);
    ck_assert_str_eq(field(proof, "version", 0), "2");
    struct gsi_err err = GSI_ERR_INIT;

    uint8_t log_pub[32], submit_pub[32], witness_pub[32], msg[64];
    hex_or_fail(log_pub, 32, vec_get(&f, "LOG_PUB"));
    hex_or_fail(submit_pub, 32, vec_get(&f, "SUBMIT_PUB"));
    hex_or_fail(witness_pub, 32, vec_get(&f, "WITNESS_PUB"));
    long mlen = vec_hex(msg, sizeof msg, vec_get(&f, "MESSAGE"));
    ck_assert_int_eq(mlen, 32);

    /* (1) checksum; (2) the leaf signature over the namespaced checksum */
    uint8_t checksum[32], keyhash[32], want_keyhash[32], leafsig[64];
    journal_sha256(checksum, msg, (size_t)mlen);
    const char *leaf = field(proof, "leaf", 0);
    ck_assert_ptr_nonnull(leaf);
    char kh_hex[65];
    memcpy(kh_hex, leaf, 64);
    kh_hex[64] = '\0';
    hex_or_fail(keyhash, 32, kh_hex);
    ck_assert_int_eq(leaf[64], ' ');
    hex_or_fail(leafsig, 64, leaf + 65);
    journal_sha256(want_keyhash, submit_pub, 32);
    ck_assert_mem_eq(keyhash, want_keyhash, 32);
    uint8_t signed_leaf[24 + 32];
    memcpy(signed_leaf, "sigsum.org/v1/tree-leaf", 23);
    signed_leaf[23] = 0;
    memcpy(signed_leaf + 24, checksum, 32);
    ck_assert_int_eq(
        journal_ed25519_verify(leafsig, signed_leaf, sizeof signed_leaf, submit_pub, &err), 0);

    /* (3) the leaf and its hash */
    uint8_t leaf_bytes[128], leaf_hash[32];
    memcpy(leaf_bytes, checksum, 32);
    memcpy(leaf_bytes + 32, leafsig, 64);
    memcpy(leaf_bytes + 96, keyhash, 32);
    journal_merkle_leaf_hash(leaf_hash, leaf_bytes, sizeof leaf_bytes);

    /* (4) inclusion against the signed root */
    uint64_t size = strtoull(field(proof, "size", 0), NULL, 10);
    uint64_t index = strtoull(field(proof, "leaf_index", 0), NULL, 10);
    ck_assert_uint_eq(size, 4);
    ck_assert_uint_eq(index, 3);
    uint8_t root[32], path[2][32];
    hex_or_fail(root, 32, field(proof, "root_hash", 0));
    hex_or_fail(path[0], 32, field(proof, "node_hash", 0));
    hex_or_fail(path[1], 32, field(proof, "node_hash", 1));
    ck_assert_ptr_null(field(proof, "node_hash", 2));
    ck_assert_int_eq(journal_merkle_inclusion_verify(index, size, leaf_hash,
                                                     (const uint8_t(*)[32])path, 2, root, &err),
                     0);
    path[1][0] ^= 1;
    ck_assert_int_eq(journal_merkle_inclusion_verify(index, size, leaf_hash,
                                                     (const uint8_t(*)[32])path, 2, root, &err),
                     GSI_EVERIFY);

    /* (5) the tree head is a checkpoint body with origin sigsum.org/v1/tree/<hex SHA-256(log key)>
     */
    uint8_t log_kh[32], want_log_kh[32];
    hex_or_fail(log_kh, 32, field(proof, "log", 0));
    journal_sha256(want_log_kh, log_pub, 32);
    ck_assert_mem_eq(log_kh, want_log_kh, 32);
    struct journal_checkpoint cp;
    memset(&cp, 0, sizeof cp);
    snprintf(cp.origin, sizeof cp.origin, "sigsum.org/v1/tree/%s", field(proof, "log", 0));
    cp.size = size;
    memcpy(cp.root, root, 32);
    struct gsi_buf head;
    gsi_buf_init(&head, 4096);
    ck_assert_int_eq(journal_checkpoint_format(&head, &cp, &err), 0);
    size_t want_len;
    uint8_t *want_head = vec_hex_alloc(vec_get(&f, "TREE_HEAD_HEX"), &want_len);
    ck_assert_uint_eq(head.len, want_len);
    ck_assert_mem_eq(head.data, want_head, want_len);
    uint8_t sig[64];
    hex_or_fail(sig, 64, field(proof, "signature", 0));
    ck_assert_int_eq(journal_ed25519_verify(sig, head.data, head.len, log_pub, &err), 0);
    ck_assert_int_eq(journal_ed25519_verify(sig, head.data, head.len, witness_pub, &err),
                     GSI_EVERIFY);

    /* (6) the witness cosignature: "<key hash> <time> <sig>" over cosignature/v1 */
    const char *cos = field(proof, "cosignature", 0);
    uint8_t wkh[32], want_wkh[32], csig[64];
    char part[3][160];
    ck_assert_int_eq(sscanf(cos, "%159s %159s %159s", part[0], part[1], part[2]), 3);
    hex_or_fail(wkh, 32, part[0]);
    journal_sha256(want_wkh, witness_pub, 32);
    ck_assert_mem_eq(wkh, want_wkh, 32);
    hex_or_fail(csig, 64, part[2]);
    struct gsi_buf cm;
    gsi_buf_init(&cm, 4096);
    gsi_buf_appendf(&cm, "cosignature/v1\ntime %s\n", part[1]);
    gsi_buf_append(&cm, head.data, head.len);
    size_t want_cm_len;
    uint8_t *want_cm = vec_hex_alloc(vec_get(&f, "COSIGNED_HEX"), &want_cm_len);
    ck_assert_uint_eq(cm.len, want_cm_len);
    ck_assert_mem_eq(cm.data, want_cm, want_cm_len);
    ck_assert_int_eq(journal_ed25519_verify(csig, cm.data, cm.len, witness_pub, &err), 0);

    free(want_cm);
    free(want_head);
    gsi_buf_release(&cm);
    gsi_buf_release(&head);
    free(proof);
    vec_close(&f);
}
END_TEST

Suite *make_suite(void)
{
    struct gsi_err err = GSI_ERR_INIT;
    if (journal_crypto_init(&err) < 0) {
        abort();
    }
    const TTest *tests[] = { test_tessera_log, test_sigsum_proof };
    return test_suite("journal_logs", 0, tests, sizeof tests / sizeof tests[0]);
}
