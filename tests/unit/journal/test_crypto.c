/* SHA-256 (NIST SHAVS), Ed25519 (RFC 8032, ring/SUPERCOP, Wycheproof), HMAC-SHA-256
 * (Wycheproof, a check of the linked libsodium) and the strict base64 codec. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "harness.h"
#include "journal/journal.h"
#include "vecfile.h"

static void check_shavs(const char *rel, int want_count)
{
    struct vec_file f;
    ck_assert_int_eq(vec_open(&f, test_path(rel)), 0);
    int count = 0;
    const char *len;
    while ((len = vec_next_with(&f, "Len")) != NULL) {
        size_t n;
        uint8_t *msg = vec_hex_alloc(vec_get(&f, "Msg"), &n);
        ck_assert_ptr_nonnull(msg);
        long bits = atol(len);
        /* Len = 0 carries "Msg = 00" as a placeholder: the message is empty. */
        size_t bytes = (size_t)bits / 8;
        ck_assert_uint_le(bytes, n);
        uint8_t want[32], got[32];
        ck_assert_int_eq(vec_hex(want, sizeof want, vec_get(&f, "MD")), 32);
        journal_sha256(got, msg, bytes);
        ck_assert_msg(memcmp(got, want, 32) == 0, "%s line %ld: Len %ld", rel, f.line, bits);
        free(msg);
        count++;
    }
    vec_close(&f);
    ck_assert_int_eq(count, want_count);
}

START_TEST(test_nist_sha256)
{
    check_shavs("vectors/nist-shavs-sha256/SHA256ShortMsg.rsp", 65);
    check_shavs("vectors/nist-shavs-sha256/SHA256LongMsg.rsp", 64);
}
END_TEST

/* Signing is deterministic: the seed must give the published public key and signature. */
static void check_sign(const char *seed_hex, const char *pub_hex, const char *msg_hex,
                       const char *sig_hex, const char *where)
{
    uint8_t seed[32], pub[32], sig[64], got[64];
    ck_assert_int_eq(vec_hex(seed, 32, seed_hex), 32);
    ck_assert_int_eq(vec_hex(pub, 32, pub_hex), 32);
    ck_assert_int_eq(vec_hex(sig, 64, sig_hex), 64);
    size_t n;
    uint8_t *msg = vec_hex_alloc(msg_hex, &n);
    ck_assert_ptr_nonnull(msg);
    struct journal_key k;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(journal_key_from_seed(&k, seed, &err), 0);
    ck_assert_msg(memcmp(k.pub, pub, 32) == 0, "%s: public key", where);
    ck_assert_int_eq(journal_key_sign(got, &k, msg, n, &err), 0);
    ck_assert_msg(memcmp(got, sig, 64) == 0, "%s: signature", where);
    ck_assert_int_eq(journal_ed25519_verify(sig, msg, n, pub, &err), 0);
    sig[n % 64] ^= 0x10;
    ck_assert_int_eq(journal_ed25519_verify(sig, msg, n, pub, &err), GSI_EVERIFY);
    uint8_t back[32];
    ck_assert_int_eq(journal_key_seed(back, &k, &err), 0);
    ck_assert_mem_eq(back, seed, 32);
    journal_key_release(&k);
    ck_assert_ptr_null(k.secret);
    free(msg);
}

START_TEST(test_rfc8032)
{
    struct vec_file f;
    ck_assert_int_eq(vec_open(&f, test_path("vectors/converted/rfc8032_ed25519.txt")), 0);
    int count = 0;
    while (vec_next(&f)) {
        check_sign(vec_get(&f, "SEED"), vec_get(&f, "PUB"), vec_get(&f, "MESSAGE"),
                   vec_get(&f, "SIG"), vec_get(&f, "NAME"));
        count++;
    }
    vec_close(&f);
    ck_assert_int_eq(count, 5);
}
END_TEST

START_TEST(test_ring_sign)
{
    struct vec_file f;
    ck_assert_int_eq(vec_open(&f, test_path("vectors/ring-ed25519/ed25519_tests.txt")), 0);
    int count = 0;
    while (vec_next(&f)) {
        char where[64];
        snprintf(where, sizeof where, "ed25519_tests.txt line %ld", f.line);
        check_sign(vec_get(&f, "SEED"), vec_get(&f, "PUB"), vec_get(&f, "MESSAGE"),
                   vec_get(&f, "SIG"), where);
        count++;
    }
    vec_close(&f);
    ck_assert_int_eq(count, 514);
}
END_TEST

START_TEST(test_ring_verify)
{
    struct vec_file f;
    ck_assert_int_eq(vec_open(&f, test_path("vectors/ring-ed25519/ed25519_verify_tests.txt")), 0);
    int count = 0, fails = 0;
    while (vec_next(&f)) {
        uint8_t pub[32], sig[64];
        ck_assert_int_eq(vec_hex(pub, 32, vec_get(&f, "PUB")), 32);
        ck_assert_int_eq(vec_hex(sig, 64, vec_get(&f, "SIG")), 64);
        size_t n;
        uint8_t *msg = vec_hex_alloc(vec_get(&f, "MESSAGE"), &n);
        ck_assert_ptr_nonnull(msg);
        struct gsi_err err = GSI_ERR_INIT;
        int want_ok = strcmp(vec_get(&f, "Result"), "P") == 0;
        int rc = journal_ed25519_verify(sig, msg, n, pub, &err);
        ck_assert_msg((rc == 0) == want_ok, "ed25519_verify_tests.txt line %ld", f.line);
        fails += !want_ok;
        free(msg);
        count++;
    }
    vec_close(&f);
    ck_assert_int_eq(count, 5);
    ck_assert_int_eq(fails, 2); /* the two S >= L malleability cases */
}
END_TEST

/* Wycheproof: "valid" must verify and "invalid" must not. There are no "acceptable" cases
 * in this file; if one appears, either answer is allowed and it is counted. */
START_TEST(test_wycheproof_ed25519)
{
    struct vec_file f;
    ck_assert_int_eq(vec_open(&f, test_path("vectors/converted/wycheproof_ed25519.txt")), 0);
    int count = 0, valid = 0, invalid = 0;
    while (vec_next(&f)) {
        uint8_t pub[32], sig[64];
        ck_assert_int_eq(vec_hex(pub, 32, vec_get(&f, "PUB")), 32);
        size_t n;
        uint8_t *msg = vec_hex_alloc(vec_get(&f, "MSG"), &n);
        ck_assert_ptr_nonnull(msg);
        const char *result = vec_get(&f, "RESULT");
        struct gsi_err err = GSI_ERR_INIT;
        /* A signature that is not 64 bytes cannot reach the API: rejected. */
        int rc = vec_hex(sig, 64, vec_get(&f, "SIG")) == 64
                     ? journal_ed25519_verify(sig, msg, n, pub, &err)
                     : -1;
        if (strcmp(result, "valid") == 0) {
            ck_assert_msg(rc == 0, "wycheproof tcId %s: valid signature rejected",
                          vec_get(&f, "TCID"));
            valid++;
        } else if (strcmp(result, "invalid") == 0) {
            ck_assert_msg(rc != 0, "wycheproof tcId %s: invalid signature accepted",
                          vec_get(&f, "TCID"));
            invalid++;
        }
        free(msg);
        count++;
    }
    vec_close(&f);
    ck_assert_int_eq(count, 151);
    ck_assert_int_gt(valid, 0);
    ck_assert_int_gt(invalid, 0);
}
END_TEST

START_TEST(test_wycheproof_hmac)
{
    struct vec_file f;
    ck_assert_int_eq(vec_open(&f, test_path("vectors/converted/wycheproof_hmac_sha256.txt")), 0);
    int count = 0;
    while (vec_next(&f)) {
        size_t kn, mn, tn;
        uint8_t *key = vec_hex_alloc(vec_get(&f, "KEY"), &kn);
        uint8_t *msg = vec_hex_alloc(vec_get(&f, "MSG"), &mn);
        uint8_t *tag = vec_hex_alloc(vec_get(&f, "TAG"), &tn);
        ck_assert(key != NULL && msg != NULL && tag != NULL);
        size_t want_len = (size_t)atoi(vec_get(&f, "TAG_BITS")) / 8;
        crypto_auth_hmacsha256_state st;
        uint8_t got[32];
        crypto_auth_hmacsha256_init(&st, key, kn);
        crypto_auth_hmacsha256_update(&st, msg, mn);
        crypto_auth_hmacsha256_final(&st, got);
        /* A tag matches when it is the first TAG_BITS of the MAC. */
        int match = tn == want_len && memcmp(got, tag, tn) == 0;
        int valid = strcmp(vec_get(&f, "RESULT"), "valid") == 0;
        ck_assert_msg(match == valid, "wycheproof hmac tcId %s", vec_get(&f, "TCID"));
        free(key);
        free(msg);
        free(tag);
        count++;
    }
    vec_close(&f);
    ck_assert_int_gt(count, 100);
}
END_TEST

START_TEST(test_key_generate)
{
    struct journal_key a, b;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(journal_key_generate(&a, &err), 0);
    ck_assert_int_eq(journal_key_generate(&b, &err), 0);
    ck_assert_mem_ne(a.pub, b.pub, 32);
    uint8_t sig[64];
    ck_assert_int_eq(journal_key_sign(sig, &a, "abc", 3, &err), 0);
    ck_assert_int_eq(journal_ed25519_verify(sig, "abc", 3, a.pub, &err), 0);
    ck_assert_int_eq(journal_ed25519_verify(sig, "abc", 3, b.pub, &err), GSI_EVERIFY);
    ck_assert_int_eq(journal_ed25519_verify(sig, "abd", 3, a.pub, &err), GSI_EVERIFY);
    struct journal_key v;
    journal_key_from_public(&v, a.pub);
    ck_assert_int_eq(journal_key_sign(sig, &v, "abc", 3, &err), GSI_EUSAGE);
    journal_key_release(&a);
    journal_key_release(&b);
}
END_TEST

/* RFC 4648 §10 test vectors, and the strictness rules. */
START_TEST(test_base64)
{
    static const char *plain[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
    static const char *enc[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
    struct gsi_err err = GSI_ERR_INIT;
    for (int i = 0; i < 7; i++) {
        char out[16];
        uint8_t back[16];
        size_t n;
        ck_assert_int_eq(journal_base64_encode(out, sizeof out, plain[i], strlen(plain[i]), &err),
                         0);
        ck_assert_str_eq(out, enc[i]);
        ck_assert_int_eq(journal_base64_decode(back, sizeof back, &n, enc[i], strlen(enc[i]), &err),
                         0);
        ck_assert_uint_eq(n, strlen(plain[i]));
        ck_assert_mem_eq(back, plain[i], n);
    }
    static const char *bad[] = { "Zg=",   "Zg",     "Z===", "Zh==", "Zm9=", "Zg==Zg==",
                                 "Zm 9v", "Zm9v\n", "=Zg=", "Zm-v", "Zm_v" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t back[16];
        size_t n;
        ck_assert_msg(journal_base64_decode(back, sizeof back, &n, bad[i], strlen(bad[i]), &err) ==
                          GSI_EDATA,
                      "accepted %s", bad[i]);
    }
    uint8_t small[2];
    size_t n;
    ck_assert_int_eq(journal_base64_decode(small, sizeof small, &n, "Zm9v", 4, &err), GSI_ELIMIT);
    char tiny[4];
    ck_assert_int_eq(journal_base64_encode(tiny, sizeof tiny, "foo", 3, &err), GSI_ELIMIT);
}
END_TEST

Suite *make_suite(void)
{
    struct gsi_err err = GSI_ERR_INIT;
    if (journal_crypto_init(&err) < 0) {
        abort();
    }
    const TTest *tests[] = { test_nist_sha256,        test_rfc8032,
                             test_ring_sign,          test_ring_verify,
                             test_wycheproof_ed25519, test_wycheproof_hmac,
                             test_key_generate,       test_base64 };
    return test_suite("journal_crypto", 0, tests, sizeof tests / sizeof tests[0]);
}
