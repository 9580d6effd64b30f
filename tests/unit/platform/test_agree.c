/* test_agree.c — agreements' canonical bytes (against bytes written out by hand from the
 * format in docs/internals/agreements.md), signatures made by an independent implementation
 * (OpenSSL's `pkeyutl -sign -rawin`), and the bundle: exported from a real SQLite journal,
 * verified offline, and refused when any part of it is changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_platform.h"
#include "harness.h"
#include "journal/journal.h"
#include "platform/agree.h"
#include "platform/platform.h"

/* The body of agreement 7 of consultation 3, decision 5, signed by ETH, ERI and UN, written
 * by hand from the format: signatories in ascending byte order, text length 45 counted by
 * hand ("Both parties withdraw to the 2000 lines.\n" is 41 bytes, "Ok.\n" 4). */
static const char hand_body[] = "gsi-agreement/v1\n"
                                "log gsi.local/log\n"
                                "agreement 7\n"
                                "consultation 3\n"
                                "decision 5\n"
                                "signatories ERI,ETH,UN\n"
                                "text 45\n"
                                "Both parties withdraw to the 2000 lines.\n"
                                "Ok.\n";
static const char hand_text[] = "Both parties withdraw to the 2000 lines.\nOk.\n";

static void doc_fill(struct agree_doc *d, const char *origin)
{
    memset(d, 0, sizeof *d);
    snprintf(d->origin, sizeof d->origin, "%s", origin);
    d->agreement = 7, d->consultation = 3, d->decision = 5;
    d->nsignatories = 3;
    snprintf(d->signatories[0], PLATFORM_ID_MAX, "UN");
    snprintf(d->signatories[1], PLATFORM_ID_MAX, "ETH");
    snprintf(d->signatories[2], PLATFORM_ID_MAX, "ERI");
    d->text = hand_text;
    d->text_len = strlen(hand_text);
}

START_TEST(body_matches_hand_written_bytes)
{
    ck_assert_uint_eq(strlen(hand_text), 45);
    struct agree_doc d;
    doc_fill(&d, "gsi.local/log");
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(platform_agree_signatories_normalise(&d, &err), 0);
    struct gsi_buf b;
    gsi_buf_init(&b, AGREE_BODY_MAX);
    ck_assert_msg(platform_agree_body_format(&b, &d, &err) == 0, "%s", err.msg);
    ck_assert_str_eq(b.data, hand_body);
    struct agree_doc back;
    ck_assert_msg(platform_agree_body_parse(&back, b.data, b.len, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(back.agreement, 7);
    ck_assert_int_eq(back.consultation, 3);
    ck_assert_int_eq(back.decision, 5);
    ck_assert_uint_eq(back.nsignatories, 3);
    ck_assert_str_eq(back.signatories[0], "ERI");
    ck_assert_str_eq(back.signatories[2], "UN");
    ck_assert_uint_eq(back.text_len, 45);
    gsi_buf_release(&b);
}
END_TEST

/* One encoding per agreement: every other spelling of the same thing is refused. */
START_TEST(body_parse_is_strict)
{
    static const char *const bad[] = {
        "gsi-agreement/v1\nlog l\nagreement 07\nconsultation 3\ndecision 5\nsignatories AB\n"
        "text 3\nok\n",
        "gsi-agreement/v1\nlog l\nagreement 7\nconsultation 3\ndecision 5\nsignatories BC,AB\n"
        "text 3\nok\n",
        "gsi-agreement/v1\nlog l\nagreement 7\nconsultation 3\ndecision 5\nsignatories AB,AB\n"
        "text 3\nok\n",
        "gsi-agreement/v1\nlog l\nagreement 7\nconsultation 3\ndecision 5\nsignatories AB\n"
        "text 4\nok\n",
        "gsi-agreement/v1\nlog l\nagreement 7\nconsultation 3\ndecision 5\nsignatories AB\n"
        "text 4\nok\n\n",
        "gsi-agreement/v1\nlog l\nagreement +7\nconsultation 3\ndecision 5\nsignatories AB\n"
        "text 3\nok\n",
        "gsi-agreement/v1\nlog l\nagreement 7\nconsultation 3\ndecision 5\nsignatories AB\n"
        "text 3\no\x01\n",
        "gsi-agreement/v1\nlog l\nagreement 7\ndecision 5\nconsultation 3\nsignatories AB\n"
        "text 3\nok\n",
        "gsi-agreement/v2\nlog l\nagreement 7\nconsultation 3\ndecision 5\nsignatories AB\n"
        "text 3\nok\n",
    };
    struct gsi_err err = GSI_ERR_INIT;
    struct agree_doc d;
    static const char good[] = "gsi-agreement/v1\nlog l\nagreement 7\nconsultation 3\n"
                               "decision 5\nsignatories AB\ntext 3\nok\n";
    ck_assert_msg(platform_agree_body_parse(&d, good, strlen(good), &err) == 0, "%s", err.msg);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(platform_agree_body_parse(&d, bad[i], strlen(bad[i]), &err) == GSI_EDATA,
                      "case %zu accepted", i);
    }
}
END_TEST

/* The folder of the OpenSSL keys and signatures, and of the database where there is one. */
static struct fixture_platform tmp;

static void run(const char *cmd)
{
    ck_assert_msg(system(cmd) == 0, "failed: %s", cmd);
}

/* Reads the first line of a file into out (trimmed). */
static void slurp(char *out, size_t cap, const char *path)
{
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(fgets(out, (int)cap, f));
    fclose(f);
    out[strcspn(out, "\r\n")] = '\0';
}

/* An Ed25519 key made by OpenSSL: `name`.pem, its raw public key in base64 to `pub`. */
static void openssl_key(char pub[PLATFORM_PUBKEY_MAX], const char *name)
{
    char cmd[512], path[128];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && openssl genpkey -algorithm ed25519 -out %s.pem 2>/dev/null && "
             "openssl pkey -in %s.pem -pubout -outform DER | tail -c 32 | base64 -w0 > %s.pub",
             tmp.dir, name, name, name);
    run(cmd);
    snprintf(path, sizeof path, "%s/%s.pub", tmp.dir, name);
    slurp(pub, PLATFORM_PUBKEY_MAX, path);
}

/* OpenSSL's signature of `body` with key `name`, in base64. */
static void openssl_sign(char sig[AGREE_SIG_B64_LEN + 1], const char *name, const char *body,
                         size_t len)
{
    char path[128], cmd[512];
    snprintf(path, sizeof path, "%s/body", tmp.dir);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(body, 1, len, f), len);
    fclose(f);
    snprintf(cmd, sizeof cmd,
             "cd '%s' && openssl pkeyutl -sign -rawin -inkey %s.pem -in body | base64 -w0 "
             "> %s.sig",
             tmp.dir, name, name);
    run(cmd);
    snprintf(path, sizeof path, "%s/%s.sig", tmp.dir, name);
    slurp(sig, AGREE_SIG_B64_LEN + 1, path);
}

START_TEST(openssl_signature_verifies_and_other_bytes_do_not)
{
    fixture_platform_mkdir(&tmp, "agree-unit");
    char pub[PLATFORM_PUBKEY_MAX], sig[AGREE_SIG_B64_LEN + 1];
    openssl_key(pub, "eth");
    openssl_sign(sig, "eth", hand_body, strlen(hand_body));
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(journal_crypto_init(&err), 0);
    ck_assert_msg(platform_agree_sig_verify(pub, hand_body, strlen(hand_body), sig, &err) == 0,
                  "%s", err.msg);
    /* The same signature over other bytes (one byte of the text changed). */
    char other[sizeof hand_body];
    memcpy(other, hand_body, sizeof hand_body);
    other[sizeof hand_body - 3] = 'K';
    ck_assert_int_eq(platform_agree_sig_verify(pub, other, strlen(other), sig, &err), GSI_EVERIFY);
    /* Another key's signature over the right bytes. */
    char pub2[PLATFORM_PUBKEY_MAX];
    openssl_key(pub2, "eri");
    ck_assert_int_eq(platform_agree_sig_verify(pub2, hand_body, strlen(hand_body), sig, &err),
                     GSI_EVERIFY);
    /* Malformed inputs are bad data, not a verification result. */
    ck_assert_int_eq(platform_agree_sig_verify(pub, hand_body, strlen(hand_body), "abc", &err),
                     GSI_EDATA);
    ck_assert_int_eq(platform_agree_sig_verify("", hand_body, strlen(hand_body), sig, &err),
                     GSI_EVERIFY);
    fixture_platform_remove(&tmp, NULL);
}
END_TEST

/* A journal with two signatories' delegates (keys from OpenSSL) and their agreement.sign
 * records; returns the body and the record ids. */
struct fixture {
    struct platform *p;
    struct gsi_buf body;
    int64_t recs[2];
};

static void fixture_make(struct fixture *fx)
{
    fx->p = fixture_platform_open(&tmp, "agree-unit", NULL);
    struct gsi_err err = GSI_ERR_INIT;
    struct agree_doc d;
    memset(&d, 0, sizeof d);
    snprintf(d.origin, sizeof d.origin, "gsi.local/log");
    d.agreement = 1, d.consultation = 1, d.decision = 1, d.nsignatories = 2;
    snprintf(d.signatories[0], PLATFORM_ID_MAX, "ETH");
    snprintf(d.signatories[1], PLATFORM_ID_MAX, "ERI");
    d.text = hand_text, d.text_len = strlen(hand_text);
    ck_assert_int_eq(platform_agree_signatories_normalise(&d, &err), 0);
    gsi_buf_init(&fx->body, AGREE_BODY_MAX);
    ck_assert_int_eq(platform_agree_body_format(&fx->body, &d, &err), 0);
    uint8_t h[32];
    char hex[65];
    journal_sha256(h, fx->body.data, fx->body.len);
    for (int i = 0; i < 32; i++) {
        snprintf(hex + 2 * i, 3, "%02x", h[i]);
    }
    for (int i = 0; i < 2; i++) {
        const char *party = d.signatories[i];
        char pub[PLATFORM_PUBKEY_MAX], sig[AGREE_SIG_B64_LEN + 1], tok[PLATFORM_TOKEN_MAX];
        openssl_key(pub, party);
        openssl_sign(sig, party, fx->body.data, fx->body.len);
        struct platform_delegate del;
        ck_assert_msg(platform_delegate_add(fx->p, &del, tok, party, PLATFORM_ROLE_DELEGATE,
                                            "Signer", pub, &err) == 0,
                      "%s", err.msg);
        struct gsi_buf pl;
        gsi_buf_init(&pl, 4096);
        ck_assert_int_eq(platform_agree_sign_payload(&pl, 1, hex, sig, &err), 0);
        struct platform_act act = { .type = "agreement.sign",
                                    .payload = pl.data,
                                    .payload_len = pl.len };
        struct platform_receipt rc;
        ck_assert_msg(platform_act_record(fx->p, &rc, &del, &act, &err) == 0, "%s", err.msg);
        fx->recs[i] = rc.record_id;
        gsi_buf_release(&pl);
    }
}

static void fixture_free(struct fixture *fx)
{
    gsi_buf_release(&fx->body);
    fixture_platform_remove(&tmp, fx->p);
}

START_TEST(bundle_exports_and_verifies_offline)
{
    struct fixture fx;
    fixture_make(&fx);
    struct gsi_err err = GSI_ERR_INIT;
    struct gsi_buf bundle, vkey;
    gsi_buf_init(&bundle, AGREE_BUNDLE_MAX);
    gsi_buf_init(&vkey, 4096);
    ck_assert_msg(platform_agree_bundle_export(fx.p, &bundle, fx.body.data, fx.body.len, fx.recs, 2,
                                               &err) == 0,
                  "%s", err.msg);
    ck_assert_int_eq(platform_journal_vkey(fx.p, &vkey, &err), 0);
    fixture_free(&fx); /* offline from here: the database is gone */
    struct agree_bundle_report rep;
    ck_assert_msg(platform_agree_bundle_verify(&rep, bundle.data, bundle.len, vkey.data, &err) == 0,
                  "%s", err.msg);
    ck_assert_uint_eq(rep.signatures, 2);
    ck_assert_uint_eq(rep.proofs, 4); /* two sign records, two delegate records */

    /* Any changed byte of the body: the signatures no longer match it. */
    char *copy = malloc(bundle.len);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, bundle.data, bundle.len);
    char *t = strstr(copy, "withdraw");
    ck_assert_ptr_nonnull(t);
    t[0] = 'W';
    ck_assert_int_eq(platform_agree_bundle_verify(&rep, copy, bundle.len, vkey.data, &err),
                     GSI_EVERIFY);
    /* A changed record (the delegate's registered key): its proof fails. */
    memcpy(copy, bundle.data, bundle.len);
    t = strstr(copy, "pubkey ");
    ck_assert_ptr_nonnull(t);
    t[7] = t[7] == 'A' ? 'B' : 'A';
    ck_assert_int_eq(platform_agree_bundle_verify(&rep, copy, bundle.len, vkey.data, &err),
                     GSI_EVERIFY);
    /* Another log's key: the checkpoint is not signed by it. */
    static const char other_key[] =
        "example.com/log+3cb1e24c+ASdMM2QF0mNFpRJLE5LAdqHGGx0jlFMoAvxTbe2dkk8m";
    int rc = platform_agree_bundle_verify(&rep, bundle.data, bundle.len, other_key, &err);
    ck_assert_msg(rc == GSI_EVERIFY || rc == GSI_EDATA, "rc %d", rc);
    /* Truncated: malformed, named by line. */
    ck_assert_int_eq(
        platform_agree_bundle_verify(&rep, bundle.data, bundle.len / 2, vkey.data, &err),
        GSI_EDATA);
    free(copy);
    gsi_buf_release(&bundle);
    gsi_buf_release(&vkey);
}
END_TEST

START_TEST(bundle_missing_a_signatory_fails)
{
    struct fixture fx;
    fixture_make(&fx);
    struct gsi_err err = GSI_ERR_INIT;
    struct gsi_buf bundle;
    gsi_buf_init(&bundle, AGREE_BUNDLE_MAX);
    /* Only ERI's signature exported: ETH's is missing. */
    ck_assert_int_eq(platform_agree_bundle_export(fx.p, &bundle, fx.body.data, fx.body.len,
                                                  &fx.recs[0], 1, &err),
                     0);
    struct agree_bundle_report rep;
    ck_assert_int_eq(platform_agree_bundle_verify(&rep, bundle.data, bundle.len, NULL, &err),
                     GSI_EVERIFY);
    ck_assert_msg(strstr(err.msg, "no signature of") != NULL, "%s", err.msg);
    gsi_buf_release(&bundle);
    fixture_free(&fx);
}
END_TEST

Suite *make_suite(void)
{
    const TTest *tests[] = { body_matches_hand_written_bytes, body_parse_is_strict,
                             openssl_signature_verifies_and_other_bytes_do_not,
                             bundle_exports_and_verifies_offline,
                             bundle_missing_a_signatory_fails };
    return test_suite("agree", 120, tests, sizeof tests / sizeof tests[0]);
}
