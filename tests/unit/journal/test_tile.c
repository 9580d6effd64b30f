/* tlog-tiles paths and widths (C2SP tlog-tiles' own examples), verifying the Tessera test log's
 * tiles and bundles, cosignature/v1 (the C2SP example message, Sigsum's real witness
 * cosignature) and witness policies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "journal/journal.h"
#include "vecfile.h"

#define TESSERA "vectors/tessera-tlog-tiles/testdata/log/"

START_TEST(test_tile_paths)
{
    struct gsi_err err = GSI_ERR_INIT;
    char p[JOURNAL_TILE_PATH_MAX];
    /* The spec's example: index 1234067 is x001/x234/067. */
    ck_assert_int_eq(journal_tile_path_format(p, sizeof p, 0, 1234067, 256, &err), 0);
    ck_assert_str_eq(p, "tile/0/x001/x234/067");
    ck_assert_int_eq(journal_tile_path_format(p, sizeof p, JOURNAL_TILE_ENTRIES, 5, 7, &err), 0);
    ck_assert_str_eq(p, "tile/entries/005.p/7");
    ck_assert_int_eq(journal_tile_path_format(p, sizeof p, 63, UINT64_MAX, 255, &err), 0);
    ck_assert_str_eq(p, "tile/63/x018/x446/x744/x073/x709/x551/615.p/255");
    ck_assert_int_eq(journal_tile_path_format(p, sizeof p, 64, 0, 256, &err), GSI_EUSAGE);

    struct journal_tile t;
    const char *good = "tile/2/x001/x000/000.p/255";
    ck_assert_int_eq(journal_tile_path_parse(&t, good, strlen(good), &err), 0);
    ck_assert_int_eq(t.level, 2);
    ck_assert_uint_eq(t.index, 1000000);
    ck_assert_uint_eq(t.width, 255);
    /* Round trips over indices around every group boundary. */
    static const uint64_t idx[] = { 0, 1, 999, 1000, 1001, 999999, 1000000, 1234067,
                                    UINT64_MAX };
    for (size_t i = 0; i < sizeof idx / sizeof idx[0]; i++) {
        for (int level = -1; level <= 63; level += 16) {
            ck_assert_int_eq(journal_tile_path_format(p, sizeof p, level, idx[i], 3, &err), 0);
            ck_assert_int_eq(journal_tile_path_parse(&t, p, strlen(p), &err), 0);
            ck_assert_int_eq(t.level, level);
            ck_assert_uint_eq(t.index, idx[i]);
            ck_assert_uint_eq(t.width, 3);
        }
    }
    static const char *const bad[] = {
        "tile/0/0",          "tile/0/0000",    "tile/0/x000",        "tile/00/000",
        "tile/64/000",       "tile/-1/000",    "tile/data/000",      "tile/0/000.p/0",
        "tile/0/000.p/256",  "tile/0/000.p/01", "tile/0/000.p/",     "tile/0/000/",
        "tile/0/x001/x002",  "tile/0/001/002", "tile/0/x1/002",      "tile//000",
        "tile/0/000.p/7/",   "tile/0",         "tiles/0/000",        "tile/0/x018/x446/x744/x073/x709/x551/616",
        "tile/0/x999/x999/x999/x999/x999/x999/x999/999", "tile/0/x000/x234/067",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(journal_tile_path_parse(&t, bad[i], strlen(bad[i]), &err) == GSI_EDATA,
                      "%s accepted", bad[i]);
    }
}
END_TEST

START_TEST(test_tile_widths)
{
    /* The spec's example: a tree of 70,000 has 273 full level-0 tiles and a partial one of
     * width 112, one full level-1 tile and a partial one of width 17, and a partial level-2
     * tile of width 1 (70000 = 273 * 256 + 112; 273 = 256 + 17). */
    ck_assert_uint_eq(journal_tile_width_at(70000, 0, 272), 256);
    ck_assert_uint_eq(journal_tile_width_at(70000, 0, 273), 112);
    ck_assert_uint_eq(journal_tile_width_at(70000, 0, 274), 0);
    ck_assert_uint_eq(journal_tile_width_at(70000, 1, 0), 256);
    ck_assert_uint_eq(journal_tile_width_at(70000, 1, 1), 17);
    ck_assert_uint_eq(journal_tile_width_at(70000, 2, 0), 1);
    ck_assert_uint_eq(journal_tile_width_at(70000, 3, 0), 0);
    /* "a tree of size 256 will be represented by a full level 0 tile and a partial level 1
     * tile of width 1" */
    ck_assert_uint_eq(journal_tile_width_at(256, 0, 0), 256);
    ck_assert_uint_eq(journal_tile_width_at(256, 1, 0), 1);
    ck_assert_uint_eq(journal_tile_width_at(256, 0, 1), 0);
    ck_assert_uint_eq(journal_tile_width_at(UINT64_MAX >> 1, 7, UINT64_MAX), 0);
}
END_TEST

/* Fetches from the Tessera test log; "checkpoint" is not needed (the test opens it). */
static int tessera_fetch(void *ctx, const char *path, struct gsi_buf *out, struct gsi_err *err)
{
    (void)ctx;
    char rel[256];
    snprintf(rel, sizeof rel, TESSERA "%s", path);
    size_t len = 0;
    char *data = vec_slurp(test_path(rel), &len);
    if (data == NULL) {
        return gsi_err_set(err, GSI_ENOTFOUND, "%s", path);
    }
    int rc = gsi_buf_append(out, data, len);
    free(data);
    return rc < 0 ? gsi_err_set(err, GSI_ELIMIT, "too big") : 0;
}

START_TEST(test_tessera_tiles)
{
    struct vec_file f;
    ck_assert_int_eq(vec_open(&f, test_path("vectors/converted/tessera_keys.txt")), 0);
    ck_assert(vec_next(&f));
    const char *vkey = vec_get(&f, "VKEY");
    struct gsi_err err = GSI_ERR_INIT;
    struct journal_note_verifier v;
    ck_assert_int_eq(journal_note_verifier_parse(&v, vkey, strlen(vkey), &err), 0);
    /* Every checkpoint of the Tessera log: its tiles and bundles recompute its root. */
    for (int n = 1; n <= 15; n++) {
        char rel[128];
        snprintf(rel, sizeof rel, TESSERA "checkpoint.%d", n);
        size_t len = 0;
        char *note = vec_slurp(test_path(rel), &len);
        ck_assert_ptr_nonnull(note);
        struct journal_checkpoint cp;
        ck_assert_int_eq(journal_checkpoint_open(&cp, NULL, note, len, vec_get(&f, "ORIGIN"),
                                                 &v, 1, &err),
                         0);
        ck_assert_uint_eq(cp.size, (uint64_t)n);
        struct journal_tiles_report rep;
        ck_assert_msg(journal_tiles_verify(&rep, cp.size, cp.root, tessera_fetch, NULL, NULL,
                                           NULL, &err) == 0,
                      "size %d: %s", n, err.msg);
        ck_assert_uint_eq(rep.entries, (uint64_t)n);
        ck_assert_uint_eq(rep.tiles, 1);
        /* A different root is refused. */
        cp.root[0] ^= 1;
        ck_assert_int_eq(journal_tiles_verify(&rep, cp.size, cp.root, tessera_fetch, NULL, NULL,
                                              NULL, &err),
                         GSI_EVERIFY);
        journal_checkpoint_release(&cp);
        free(note);
    }
    vec_close(&f);
}
END_TEST

START_TEST(test_bundle)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct gsi_buf b;
    gsi_buf_init(&b, 1 << 20);
    ck_assert_int_eq(journal_bundle_append(&b, "one", 3, &err), 0);
    ck_assert_int_eq(journal_bundle_append(&b, "", 0, &err), 0);
    ck_assert_mem_eq(b.data, "\x00\x03one\x00\x00", 7);
    size_t pos = 0, len = 0;
    const uint8_t *e = NULL;
    ck_assert_int_eq(journal_bundle_next(&e, &len, (uint8_t *)b.data, b.len, &pos, &err), 1);
    ck_assert_uint_eq(len, 3);
    ck_assert_int_eq(journal_bundle_next(&e, &len, (uint8_t *)b.data, b.len, &pos, &err), 1);
    ck_assert_uint_eq(len, 0);
    ck_assert_int_eq(journal_bundle_next(&e, &len, (uint8_t *)b.data, b.len, &pos, &err), 0);
    pos = 0;
    ck_assert_int_eq(journal_bundle_next(&e, &len, (uint8_t *)b.data, 4, &pos, &err), GSI_EDATA);
    static char big[70000];
    ck_assert_int_eq(journal_bundle_append(&b, big, sizeof big, &err), GSI_ELIMIT);
    gsi_buf_release(&b);
}
END_TEST

static uint8_t *hex_alloc(const char *hex, size_t *len)
{
    size_t cap = strlen(hex) / 2 + 1;
    uint8_t *out = malloc(cap);
    long n = vec_hex(out, cap, hex);
    ck_assert_int_ge(n, 0);
    *len = (size_t)n;
    return out;
}

START_TEST(test_cosig_vectors)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct vec_file f;
    /* C2SP tlog-cosignature's example of the signed message, for time 1679315147; the
     * example cosignature line's timestamp field (bytes 4..11) is that same time. */
    ck_assert_int_eq(vec_open(&f, test_path("vectors/converted/c2sp_examples.txt")), 0);
    const char *cosigned = vec_next_with(&f, "COSIGNED_CHECKPOINT_HEX");
    ck_assert_ptr_nonnull(cosigned);
    size_t clen = 0;
    uint8_t *cp = hex_alloc(cosigned, &clen);
    const char *body_end = strstr((char *)cp, "\n\n");
    ck_assert_ptr_nonnull(body_end);
    size_t body_len = (size_t)(body_end - (char *)cp) + 1;
    struct gsi_buf msg;
    gsi_buf_init(&msg, 1 << 16);
    ck_assert_int_eq(journal_cosig_message(&msg, 1679315147, (char *)cp, body_len, &err), 0);
    static const char want[] = "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n"
                               "20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    ck_assert_str_eq(msg.data, want);
    const char *w1 = strstr((char *)cp, "witness.example.com/w1 ");
    ck_assert_ptr_nonnull(w1);
    uint8_t raw[80];
    size_t rlen = 0;
    ck_assert_int_eq(journal_base64_decode(raw, sizeof raw, &rlen, w1 + 23, 104, &err), 0);
    ck_assert_uint_eq(rlen, JOURNAL_COSIG_BYTES);
    uint64_t ts = 0;
    for (int i = 4; i < 12; i++) {
        ts = (ts << 8) | raw[i];
    }
    ck_assert_uint_eq(ts, 1679315147);
    /* A verifier of another key ignores the line (GSI_ENOTFOUND), as the spec asks. */
    struct journal_note_verifier other = { .name = "witness.example.com/w1", .id = 1 };
    const char *line = w1 - 4;
    ck_assert_int_eq(journal_cosig_verify(&ts, &other, line, 4 + 23 + 104, (char *)cp, body_len,
                                          &err),
                     GSI_ENOTFOUND);
    free(cp);
    gsi_buf_release(&msg);
    vec_close(&f);

    /* Sigsum's real witness cosignature (sigsum-go's proof test): key, time 1683202758 and
     * signature from the proof file, over the tree head. */
    ck_assert_int_eq(vec_open(&f, test_path("vectors/converted/sigsum.txt")), 0);
    ck_assert(vec_next(&f));
    uint8_t pub[32];
    ck_assert_int_eq(vec_hex(pub, sizeof pub, vec_get(&f, "WITNESS_PUB")), 32);
    size_t hlen = 0;
    uint8_t *head = hex_alloc(vec_get(&f, "TREE_HEAD_HEX"), &hlen);
    size_t plen = 0;
    char *proof = vec_slurp(test_path("vectors/sigsum/proof_with_cosignature_size4.txt"), &plen);
    ck_assert_ptr_nonnull(proof);
    const char *cos = strstr(proof, "cosignature=");
    ck_assert_ptr_nonnull(cos);
    char kh[65], tstr[21], sighex[129];
    ck_assert_int_eq(sscanf(cos, "cosignature=%64s %20s %128s", kh, tstr, sighex), 3);
    ck_assert_str_eq(tstr, "1683202758");
    struct journal_note_verifier wv;
    snprintf(wv.name, sizeof wv.name, "sigsum.org/witness");
    memcpy(wv.pub, pub, 32);
    wv.id = journal_cosig_key_id(wv.name, strlen(wv.name), pub);
    uint8_t field[JOURNAL_COSIG_BYTES];
    for (int i = 0; i < 4; i++) {
        field[i] = (uint8_t)(wv.id >> (24 - 8 * i));
    }
    uint64_t t0 = 1683202758;
    for (int i = 0; i < 8; i++) {
        field[4 + i] = (uint8_t)(t0 >> (56 - 8 * i));
    }
    ck_assert_int_eq(vec_hex(field + 12, 64, sighex), 64);
    char b64[JOURNAL_BASE64_LEN(sizeof field)];
    ck_assert_int_eq(journal_base64_encode(b64, sizeof b64, field, sizeof field, &err), 0);
    char l2[256];
    snprintf(l2, sizeof l2, "\xe2\x80\x94 %s %s\n", wv.name, b64);
    ck_assert_msg(journal_cosig_verify(&ts, &wv, l2, strlen(l2), (char *)head, hlen, &err) == 0,
                  "%s", err.msg);
    ck_assert_uint_eq(ts, 1683202758);
    /* One bit of the signature flipped: GSI_EVERIFY. */
    field[40] ^= 1;
    journal_base64_encode(b64, sizeof b64, field, sizeof field, &err);
    snprintf(l2, sizeof l2, "\xe2\x80\x94 %s %s\n", wv.name, b64);
    ck_assert_int_eq(journal_cosig_verify(&ts, &wv, l2, strlen(l2), (char *)head, hlen, &err),
                     GSI_EVERIFY);
    free(proof);
    free(head);
    vec_close(&f);
}
END_TEST

START_TEST(test_cosig_policy)
{
    struct gsi_err err = GSI_ERR_INIT;
    char *sk[3];
    struct gsi_buf vk[3];
    struct journal_note_signer s[3];
    char wvkey[3][256];
    static const char *const names[] = { "au.example/witness", "asean.example/witness",
                                         "un.example/witness" };
    for (int i = 0; i < 3; i++) {
        gsi_buf_init(&vk[i], 1024);
        ck_assert_int_eq(journal_note_key_generate(&sk[i], &vk[i], names[i], &err), 0);
        ck_assert_int_eq(journal_note_signer_parse(&s[i], sk[i], strlen(sk[i]), &err), 0);
        struct gsi_buf w;
        gsi_buf_init(&w, 256);
        ck_assert_int_eq(journal_cosig_verifier_format(&w, names[i], s[i].key.pub, &err), 0);
        snprintf(wvkey[i], sizeof wvkey[i], "%s", w.data);
        gsi_buf_release(&w);
        struct journal_note_verifier v;
        ck_assert_int_eq(journal_cosig_verifier_parse(&v, wvkey[i], strlen(wvkey[i]), &err), 0);
        ck_assert_mem_eq(v.pub, s[i].key.pub, 32);
        /* The log's own vkey (0x01) is not a cosigner key, nor the reverse. */
        ck_assert_int_eq(journal_cosig_verifier_parse(&v, vk[i].data, vk[i].len, &err),
                         GSI_EDATA);
        ck_assert_int_eq(journal_note_verifier_parse(&v, wvkey[i], strlen(wvkey[i]), &err),
                         GSI_EDATA);
    }
    /* The log is signer 0; witnesses 1 and 2 cosign. */
    static const char body[] = "au.example/log\n5\nq6z7YJEeU4k0r8g0tsr3mY4y8Ye/0lJz0dLcd3l0Zkc=\n";
    struct gsi_buf note;
    gsi_buf_init(&note, 1 << 16);
    ck_assert_int_eq(journal_note_sign(&note, body, strlen(body), &s[0], 1, &err), 0);
    struct gsi_buf two = note;
    char policy[2048];
    snprintf(policy, sizeof policy,
             "# AU's log, cosigned by two of ASEAN and the UN\nlog %s\nwitness %s "
             "http://127.0.0.1:1/\nwitness %s\nquorum 2\n",
             vk[0].data, wvkey[1], wvkey[2]);
    struct journal_policy pol;
    ck_assert_msg(journal_policy_parse(&pol, policy, strlen(policy), "p", &err) == 0, "%s",
                  err.msg);
    ck_assert_uint_eq(pol.nwitnesses, 2);
    ck_assert_uint_eq(pol.quorum, 2);
    ck_assert_str_eq(pol.witnesses[0].url, "http://127.0.0.1:1/");
    size_t valid = 9;
    ck_assert_int_eq(journal_policy_check(&valid, &pol, note.data, note.len, &err), GSI_EVERIFY);
    ck_assert_uint_eq(valid, 0);
    gsi_buf_init(&two, 1 << 16);
    gsi_buf_append(&two, note.data, note.len);
    ck_assert_int_eq(journal_cosig_sign(&two, &s[1], 1700000000, body, strlen(body), &err), 0);
    ck_assert_int_eq(journal_policy_check(&valid, &pol, two.data, two.len, &err), GSI_EVERIFY);
    ck_assert_uint_eq(valid, 1);
    /* The same witness twice still counts once. */
    ck_assert_int_eq(journal_cosig_sign(&two, &s[1], 1700000001, body, strlen(body), &err), 0);
    ck_assert_int_eq(journal_policy_check(&valid, &pol, two.data, two.len, &err), GSI_EVERIFY);
    ck_assert_int_eq(journal_cosig_sign(&two, &s[2], 1700000002, body, strlen(body), &err), 0);
    ck_assert_int_eq(journal_policy_check(&valid, &pol, two.data, two.len, &err), 0);
    ck_assert_uint_eq(valid, 2);
    /* The whole note still opens with the log's key (cosignature lines are unknown keys). */
    struct journal_checkpoint cp;
    struct journal_note_verifier lv;
    ck_assert_int_eq(journal_note_verifier_parse(&lv, vk[0].data, vk[0].len, &err), 0);
    ck_assert_msg(journal_checkpoint_open(&cp, NULL, two.data, two.len, "au.example/log", &lv, 1,
                                          &err) == 0,
                  "%s", err.msg);
    journal_checkpoint_release(&cp);
    /* A cosignature over another body does not count. */
    struct gsi_buf forged;
    gsi_buf_init(&forged, 1 << 16);
    gsi_buf_append(&forged, note.data, note.len);
    static const char other[] = "au.example/log\n6\nq6z7YJEeU4k0r8g0tsr3mY4y8Ye/0lJz0dLcd3l0Zkc=\n";
    journal_cosig_sign(&forged, &s[1], 1700000000, other, strlen(other), &err);
    journal_cosig_sign(&forged, &s[2], 1700000000, other, strlen(other), &err);
    ck_assert_int_eq(journal_policy_check(&valid, &pol, forged.data, forged.len, &err),
                     GSI_EVERIFY);
    ck_assert_uint_eq(valid, 0);

    static const char *const bad[] = { "quorum 0\n", "quorum x\n", "log abc\n",
                                       "witness abc\n", "frobnicate 1\n", "quorum 1\nquorum 1\n",
                                       "quorum 3\n" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(journal_policy_parse(&pol, bad[i], strlen(bad[i]), "p", &err),
                         GSI_EDATA);
        ck_assert_ptr_nonnull(strstr(err.msg, "p"));
    }
    ck_assert_int_eq(journal_policy_parse(&pol, "\n\nfrob\n", 7, "pol.txt", &err), GSI_EDATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "pol.txt:3:"));
    gsi_buf_release(&forged);
    gsi_buf_release(&two);
    gsi_buf_release(&note);
    for (int i = 0; i < 3; i++) {
        journal_note_signer_release(&s[i]);
        journal_note_secret_free(sk[i]);
        gsi_buf_release(&vk[i]);
    }
}
END_TEST

struct mem_leaves {
    uint8_t hash[16][32];
};

static int mem_get(void *ctx, unsigned level, uint64_t index, uint8_t out[32], struct gsi_err *err)
{
    const struct mem_leaves *m = ctx;
    if (level != 0 || index >= 16) {
        return gsi_err_set(err, GSI_ENOTFOUND, "no leaf");
    }
    memcpy(out, m->hash[index], 32);
    return 0;
}

START_TEST(test_witness_request)
{
    struct gsi_err err = GSI_ERR_INIT;
    static struct journal_witness_request req;
    /* The example body of C2SP tlog-witness. */
    struct vec_file f;
    ck_assert_int_eq(vec_open(&f, test_path("vectors/converted/c2sp_examples.txt")), 0);
    const char *cosigned = vec_next_with(&f, "COSIGNED_CHECKPOINT_HEX");
    ck_assert_ptr_nonnull(cosigned);
    static const char head[] = "old 20852014\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n"
                               "jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n"
                               "5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=\n"
                               "/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=\n\n";
    size_t clen = 0;
    uint8_t *cp = hex_alloc(cosigned, &clen);
    struct gsi_buf body;
    gsi_buf_init(&body, 1 << 16);
    gsi_buf_puts(&body, head);
    gsi_buf_append(&body, cp, clen);
    ck_assert_int_eq(journal_witness_request_parse(&req, body.data, body.len, &err), 0);
    ck_assert_uint_eq(req.old_size, 20852014);
    ck_assert_uint_eq(req.nproof, 4);
    ck_assert_uint_eq(req.proof[0][0], 0x3e); /* base64 "PlRN" = 3e 54 4d */
    ck_assert_uint_eq(req.checkpoint_len, clen);
    /* Formatting the parsed request gives the body back. */
    struct gsi_buf again;
    gsi_buf_init(&again, 1 << 16);
    ck_assert_int_eq(journal_witness_request_format(&again, req.old_size,
                                                    (const uint8_t(*)[32])req.proof, req.nproof,
                                                    req.checkpoint, req.checkpoint_len, &err),
                     0);
    ck_assert_uint_eq(again.len, body.len);
    ck_assert_mem_eq(again.data, body.data, body.len);
    static const char *const bad[] = { "old 01\n\nx", "old\n\nx", "old 1\nAAAA\n\nx",
                                       "old 1\n", "old 1\n\n", "old 99999999999999999999\n\nx" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(journal_witness_request_parse(&req, bad[i], strlen(bad[i]), &err),
                         GSI_EUSAGE);
    }
    gsi_buf_reset(&body);
    gsi_buf_puts(&body, "old 5\n");
    for (int i = 0; i < 64; i++) {
        gsi_buf_puts(&body, "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n");
    }
    gsi_buf_puts(&body, "\nx");
    ck_assert_int_eq(journal_witness_request_parse(&req, body.data, body.len, &err), GSI_ELIMIT);
    gsi_buf_release(&again);
    gsi_buf_release(&body);
    free(cp);
    vec_close(&f);
}
END_TEST

START_TEST(test_witness_decide)
{
    struct gsi_err err = GSI_ERR_INIT;
    static struct mem_leaves m;
    for (int i = 0; i < 16; i++) {
        uint8_t b = (uint8_t)i;
        journal_merkle_leaf_hash(m.hash[i], &b, 1);
    }
    struct journal_merkle_source src = { .get_node = mem_get, .ctx = &m, .leaves_only = 1 };
    uint8_t r4[32], r10[32];
    ck_assert_int_eq(journal_merkle_root_at(r4, 4, &src, &err), 0);
    ck_assert_int_eq(journal_merkle_root_at(r10, 10, &src, &err), 0);
    static struct journal_witness_request req;
    memset(&req, 0, sizeof req);
    /* Never cosigned: old 0 and no proof is accepted (trust on first use). */
    ck_assert_int_eq(journal_witness_decide(&req, 4, r4, 0, NULL, &err), 0);
    req.nproof = 1;
    ck_assert_int_eq(journal_witness_decide(&req, 4, r4, 0, NULL, &err), GSI_EDATA);
    /* Holding 4: old 0 is a conflict; old 4 with the proof 4 -> 10 is accepted. */
    req.nproof = 0;
    ck_assert_int_eq(journal_witness_decide(&req, 10, r10, 4, r4, &err), GSI_ECONFLICT);
    req.old_size = 4;
    ck_assert_int_eq(journal_merkle_consistency_proof(req.proof, &req.nproof, 4, 10, &src, &err),
                     0);
    ck_assert_int_eq(journal_witness_decide(&req, 10, r10, 4, r4, &err), 0);
    /* Another old root (a fork before 4) or another new root: the proof fails, 422. */
    uint8_t other[32];
    memcpy(other, r4, 32);
    other[5] ^= 1;
    ck_assert_int_eq(journal_witness_decide(&req, 10, r10, 4, other, &err), GSI_EDATA);
    ck_assert_int_eq(journal_witness_decide(&req, 10, other, 4, r4, &err), GSI_EDATA);
    /* Old size past the checkpoint: 400. */
    req.old_size = 11;
    ck_assert_int_eq(journal_witness_decide(&req, 10, r10, 11, r10, &err), GSI_EUSAGE);
    /* The same size again: the same root is fine, another one is a fork (409). */
    req.old_size = 10;
    req.nproof = 0;
    ck_assert_int_eq(journal_witness_decide(&req, 10, r10, 10, r10, &err), 0);
    ck_assert_int_eq(journal_witness_decide(&req, 10, other, 10, r10, &err), GSI_ECONFLICT);

    struct journal_witness_logs logs;
    static const char two[] = "# followed\nlog example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54"
                              "Id2LKaANYcrnKv3U2k\n\n";
    ck_assert_int_eq(journal_witness_logs_parse(&logs, two, strlen(two), "logs", &err), 0);
    ck_assert_uint_eq(logs.n, 1);
    ck_assert_str_eq(logs.logs[0].name, "example.com/foo");
    ck_assert_int_eq(journal_witness_logs_parse(&logs, "witness x\n", 10, "logs", &err),
                     GSI_EDATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "logs:1:"));
}
END_TEST

Suite *make_suite(void)
{
    struct gsi_err err = GSI_ERR_INIT;
    if (journal_crypto_init(&err) < 0) {
        abort();
    }
    const TTest *tests[] = { test_tile_paths,      test_tile_widths,   test_tessera_tiles,
                             test_bundle,          test_cosig_vectors, test_cosig_policy,
                             test_witness_request, test_witness_decide };
    return test_suite("journal_tile", 0, tests, sizeof tests / sizeof tests[0]);
}
