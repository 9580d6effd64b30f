/* Signed notes (Go sumdb and C2SP vectors), checkpoints, and the canonical entry bytes. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "journal/journal.h"
#include "vecfile.h"

struct keyring {
    int n;
    char name[4][64];
    struct journal_note_verifier v[4];
    char skey[4][128];
};

static char *hex_text(const char *hex, size_t *len)
{
    uint8_t *b = vec_hex_alloc(hex, len);
    ck_assert_ptr_nonnull(b);
    char *s = malloc(*len + 1);
    memcpy(s, b, *len);
    s[*len] = '\0';
    free(b);
    return s;
}

/* The Go sumdb note package's test values, one file for keys, signing, opening and trees. */
static void open_sumdb_vectors(struct vec_file *f)
{
    ck_assert_int_eq(vec_open(f, test_path("vectors/converted/go_sumdb_note.txt")), 0);
}

static void load_sumdb_keys(struct keyring *kr)
{
    memset(kr, 0, sizeof *kr);
    struct vec_file f;
    open_sumdb_vectors(&f);
    const char *name;
    while ((name = vec_next_with(&f, "KEY")) != NULL) {
        struct gsi_err err = GSI_ERR_INIT;
        const char *vkey = vec_get(&f, "VKEY");
        ck_assert_int_eq(journal_note_verifier_parse(&kr->v[kr->n], vkey, strlen(vkey), &err), 0);
        ck_assert_str_eq(kr->v[kr->n].name, name);
        ck_assert_uint_eq(kr->v[kr->n].id, strtoul(vec_get(&f, "KEY_ID"), NULL, 16));
        /* the key ID is recomputed from the key, not just read */
        ck_assert_uint_eq(journal_note_key_id(name, strlen(name), kr->v[kr->n].pub),
                          kr->v[kr->n].id);
        snprintf(kr->name[kr->n], sizeof kr->name[0], "%s", name);
        const char *skey = vec_get(&f, "SKEY");
        if (skey != NULL) {
            snprintf(kr->skey[kr->n], sizeof kr->skey[0], "%s", skey);
        }
        /* formatting gives the same string back */
        struct gsi_buf b;
        gsi_buf_init(&b, 1024);
        ck_assert_int_eq(journal_note_verifier_format(&b, &kr->v[kr->n], &err), 0);
        ck_assert_str_eq(b.data, vkey);
        gsi_buf_release(&b);
        kr->n++;
    }
    vec_close(&f);
    ck_assert_int_eq(kr->n, 2);
}

static int key_index(const struct keyring *kr, const char *name)
{
    for (int i = 0; i < kr->n; i++) {
        if (strcmp(kr->name[i], name) == 0) {
            return i;
        }
    }
    ck_abort_msg("unknown key %s", name);
    return -1;
}

START_TEST(test_sumdb_sign)
{
    struct keyring kr;
    load_sumdb_keys(&kr);
    struct vec_file f;
    open_sumdb_vectors(&f);
    int done = 0;
    const char *key;
    while ((key = vec_next_with(&f, "SIGN_KEY")) != NULL) {
        int k = key_index(&kr, key);
        struct journal_note_signer s;
        struct gsi_err err = GSI_ERR_INIT;
        ck_assert_int_eq(journal_note_signer_parse(&s, kr.skey[k], strlen(kr.skey[k]), &err), 0);
        ck_assert_str_eq(s.name, key);
        ck_assert_uint_eq(s.id, kr.v[k].id);
        ck_assert_mem_eq(s.key.pub, kr.v[k].pub, 32);
        size_t tlen, elen;
        char *text = hex_text(vec_get(&f, "TEXT_HEX"), &tlen);
        char *want = hex_text(vec_get(&f, "EXPECTED_HEX"), &elen);
        struct gsi_buf out;
        gsi_buf_init(&out, 1 << 16);
        ck_assert_int_eq(journal_note_sign(&out, text, tlen, &s, 1, &err), 0);
        ck_assert_uint_eq(out.len, elen);
        ck_assert_mem_eq(out.data, want, elen);
        /* and it opens again */
        struct journal_note note;
        ck_assert_int_eq(journal_note_open(&note, out.data, out.len, kr.v, 2, &err), 0);
        ck_assert_uint_eq(note.text_len, tlen);
        ck_assert_mem_eq(note.text, text, tlen);
        journal_note_release(&note);
        gsi_buf_release(&out);
        journal_note_signer_release(&s);
        free(text);
        free(want);
        done++;
    }
    vec_close(&f);
    ck_assert_int_eq(done, 1);
}
END_TEST

static void check_open(const struct keyring *kr, const char *msg, size_t len, const char *trusted,
                       const char *expect, const char *verified, const char *desc)
{
    struct journal_note_verifier vs[4];
    size_t nv = 0;
    char *copy;
    const char *item[VEC_MAX_LIST];
    int n = vec_list(trusted, &copy, item);
    for (int i = 0; i < n; i++) {
        vs[nv++] = kr->v[key_index(kr, item[i])];
    }
    free(copy);
    struct journal_note note;
    struct gsi_err err = GSI_ERR_INIT;
    int rc = journal_note_open(&note, msg, len, vs, nv, &err);
    if (strcmp(expect, "ok") == 0) {
        ck_assert_msg(rc == 0, "%s: %s", desc, err.msg);
        n = vec_list(verified, &copy, item);
        ck_assert_uint_eq(note.nverified, (size_t)n);
        for (int i = 0; i < n; i++) {
            ck_assert(note.sigs[i].verified);
            ck_assert_str_eq(note.sigs[i].name, item[i]);
        }
        free(copy);
        journal_note_release(&note);
    } else if (strcmp(expect, "error:unverified") == 0) {
        ck_assert_msg(rc == GSI_EVERIFY && strstr(err.msg, "unverified") != NULL, "%s: %d %s", desc,
                      rc, err.msg);
    } else if (strcmp(expect, "error:invalid signature") == 0) {
        ck_assert_msg(rc == GSI_EVERIFY && strstr(err.msg, "invalid signature") != NULL,
                      "%s: %d %s", desc, rc, err.msg);
    } else if (strcmp(expect, "error:malformed") == 0) {
        ck_assert_msg(rc == GSI_EDATA && strstr(err.msg, "malformed") != NULL, "%s: %d %s", desc,
                      rc, err.msg);
    } else {
        ck_abort_msg("unknown expectation %s", expect);
    }
}

START_TEST(test_sumdb_open)
{
    struct keyring kr;
    load_sumdb_keys(&kr);
    struct vec_file f;
    open_sumdb_vectors(&f);
    int cases = 0;
    char *good = NULL;
    size_t good_len = 0;
    const char *desc;
    while ((desc = vec_next_with(&f, "OPEN")) != NULL) {
        size_t len;
        char *msg = hex_text(vec_get(&f, "MSG_HEX"), &len);
        check_open(&kr, msg, len, vec_get(&f, "TRUSTED"), vec_get(&f, "EXPECT"),
                   vec_get(&f, "VERIFIED"), desc);
        if (good == NULL) {
            good = msg;
            good_len = len;
        } else {
            free(msg);
        }
        cases++;
    }
    vec_close(&f);
    ck_assert_int_eq(cases, 11);
    /* Go's test: a note starting with the byte 0xff is malformed. */
    char *bad = malloc(good_len + 1);
    bad[0] = (char)0xff;
    memcpy(bad + 1, good, good_len);
    check_open(&kr, bad, good_len + 1, "PeterNeumann", "error:malformed", "-", "leading 0xff");
    free(bad);
    free(good);
}
END_TEST

START_TEST(test_sumdb_bad_vkeys)
{
    struct keyring kr;
    load_sumdb_keys(&kr);
    struct vec_file f;
    open_sumdb_vectors(&f);
    int bad = 0;
    struct gsi_err err = GSI_ERR_INIT;
    struct journal_note_verifier v;
    const char *good = NULL;
    char good_copy[128] = "";
    while (vec_next(&f)) {
        const char *vk = vec_get(&f, "BAD_VKEY");
        if (vec_get(&f, "KEY") != NULL && strcmp(vec_get(&f, "KEY"), "PeterNeumann") == 0) {
            snprintf(good_copy, sizeof good_copy, "%s", vec_get(&f, "VKEY"));
            good = good_copy;
        }
        if (vk == NULL) {
            continue;
        }
        ck_assert_msg(journal_note_verifier_parse(&v, vk, strlen(vk), &err) == GSI_EDATA, "%s",
                      vec_get(&f, "WHY"));
        bad++;
    }
    vec_close(&f);
    ck_assert_int_eq(bad, 2);
    ck_assert_ptr_nonnull(good);
    /* As Go's TestNewVerifier: every proper substring and every one-byte increment fails. */
    size_t n = strlen(good);
    for (size_t i = 0; i <= n; i++) {
        for (size_t j = i; j <= n; j++) {
            if (i == 0 && j == n) {
                continue;
            }
            ck_assert_int_eq(journal_note_verifier_parse(&v, good + i, j - i, &err), GSI_EDATA);
        }
    }
    for (size_t i = 0; i < n; i++) {
        char m[128];
        memcpy(m, good, n);
        m[i]++;
        ck_assert_msg(journal_note_verifier_parse(&v, m, n, &err) == GSI_EDATA,
                      "increment at %zu accepted", i);
    }
}
END_TEST

/* The sumdb tree note is a checkpoint (Go's tlog.FormatTree); its root is
 * SHA-256(0x00 || "hello world") per the vector. */
START_TEST(test_sumdb_tree_note)
{
    struct vec_file f;
    open_sumdb_vectors(&f);
    int done = 0;
    const char *hex;
    while ((hex = vec_next_with(&f, "TREE_TEXT_HEX")) != NULL) {
        size_t len;
        char *text = hex_text(hex, &len);
        struct journal_checkpoint cp;
        struct gsi_err err = GSI_ERR_INIT;
        ck_assert_int_eq(journal_checkpoint_parse(&cp, text, len, &err), 0);
        ck_assert_str_eq(cp.origin, "go.sum database tree");
        ck_assert_uint_eq(cp.size, 123456789012ULL);
        uint8_t want[32];
        journal_merkle_leaf_hash(want, "hello world", 11);
        ck_assert_mem_eq(cp.root, want, 32);
        ck_assert_ptr_null(cp.extensions);
        struct gsi_buf b;
        gsi_buf_init(&b, 4096);
        ck_assert_int_eq(journal_checkpoint_format(&b, &cp, &err), 0);
        ck_assert_uint_eq(b.len, len);
        ck_assert_mem_eq(b.data, text, len);
        gsi_buf_release(&b);
        journal_checkpoint_release(&cp);
        free(text);
        done++;
    }
    vec_close(&f);
    ck_assert_int_eq(done, 1);
}
END_TEST

START_TEST(test_c2sp_examples)
{
    struct vec_file f;
    ck_assert_int_eq(vec_open(&f, test_path("vectors/converted/c2sp_examples.txt")), 0);
    int done = 0;
    struct gsi_err err = GSI_ERR_INIT;
    while (vec_next(&f)) {
        const char *v;
        size_t len;
        if ((v = vec_get(&f, "NOTE_HEX")) != NULL) {
            const char *vkey = vec_get(&f, "VKEY");
            struct journal_note_verifier ver;
            ck_assert_int_eq(journal_note_verifier_parse(&ver, vkey, strlen(vkey), &err), 0);
            ck_assert_str_eq(ver.name, "example.com/foo");
            char *msg = hex_text(v, &len);
            struct journal_note note;
            ck_assert_int_eq(journal_note_open(&note, msg, len, &ver, 1, &err), 0);
            ck_assert_str_eq(note.text, "This is an example message.\n");
            ck_assert_uint_eq(note.nverified, 1);
            journal_note_release(&note);
            /* one changed byte of text breaks it */
            msg[0] = 't';
            ck_assert_int_eq(journal_note_open(&note, msg, len, &ver, 1, &err), GSI_EVERIFY);
            ck_assert_ptr_nonnull(strstr(err.msg, "invalid signature"));
            free(msg);
            done++;
        } else if ((v = vec_get(&f, "CHECKPOINT_HEX")) != NULL ||
                   (v = vec_get(&f, "COSIGNED_CHECKPOINT_HEX")) != NULL) {
            /* Format only (no published key): no verifier, so opening says "unverified"; the
             * body, cut at the blank line, parses. */
            char *msg = hex_text(v, &len);
            struct journal_note note;
            ck_assert_int_eq(journal_note_open(&note, msg, len, NULL, 0, &err), GSI_EVERIFY);
            ck_assert_ptr_nonnull(strstr(err.msg, "unverified"));
            char *blank = strstr(msg, "\n\n");
            ck_assert_ptr_nonnull(blank);
            struct journal_checkpoint cp;
            ck_assert_int_eq(journal_checkpoint_parse(&cp, msg, (size_t)(blank - msg) + 1, &err),
                             0);
            ck_assert_str_eq(cp.origin, "example.com/behind-the-sofa");
            ck_assert_uint_eq(cp.size, 20852163);
            char b64[64];
            journal_base64_encode(b64, sizeof b64, cp.root, 32, &err);
            ck_assert_str_eq(b64, "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");
            journal_checkpoint_release(&cp);
            free(msg);
            done++;
        }
    }
    vec_close(&f);
    ck_assert_int_eq(done, 3);
}
END_TEST

/* Strict parsing: each of these must be refused. */
START_TEST(test_checkpoint_strict)
{
    static const char *bad[] = {
        "",
        "origin\n",
        "origin\n5\n",
        "origin\n05\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", /* leading zero */
        "origin\n+5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", /* sign */
        "origin\n 5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", /* space */
        "origin\n9223372036854775808\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", /* 2^63 */
        "origin\n99999999999999999999\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
        "origin\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n",     /* 31 bytes */
        "origin\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", /* 34 bytes */
        "origin\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",      /* no padding */
        "origin\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",       /* no final newline */
        "origin\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n",   /* empty extension */
        "\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",           /* empty origin */
        "ori\tgin\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",   /* control character */
        "origin\n\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
    };
    struct gsi_err err = GSI_ERR_INIT;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct journal_checkpoint cp;
        int rc = journal_checkpoint_parse(&cp, bad[i], strlen(bad[i]), &err);
        ck_assert_msg(rc == GSI_EDATA, "case %zu accepted (%d)", i, rc);
        ck_assert_ptr_null(cp.extensions);
    }
    static const char ok[] =
        "o\n9223372036854775807\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\next one\next two\n";
    struct journal_checkpoint cp;
    ck_assert_int_eq(journal_checkpoint_parse(&cp, ok, strlen(ok), &err), 0);
    ck_assert_uint_eq(cp.size, 9223372036854775807ULL);
    ck_assert_str_eq(cp.extensions, "ext one\next two\n");
    journal_checkpoint_release(&cp);
}
END_TEST

START_TEST(test_checkpoint_roundtrip)
{
    struct gsi_err err = GSI_ERR_INIT;
    char *skey;
    struct gsi_buf vkey;
    gsi_buf_init(&vkey, 1024);
    ck_assert_int_eq(journal_note_key_generate(&skey, &vkey, "gsi.example/journal", &err), 0);
    ck_assert_int_eq(strncmp(skey, "PRIVATE+KEY+gsi.example/journal+", 32), 0);
    struct journal_note_signer s;
    struct journal_note_verifier v, other;
    ck_assert_int_eq(journal_note_signer_parse(&s, skey, strlen(skey), &err), 0);
    journal_note_secret_free(skey);
    ck_assert_int_eq(journal_note_verifier_parse(&v, vkey.data, vkey.len, &err), 0);
    ck_assert_mem_eq(v.pub, s.key.pub, 32);
    journal_note_signer_verifier(&other, &s);
    ck_assert_uint_eq(other.id, v.id);

    struct journal_checkpoint cp;
    memset(&cp, 0, sizeof cp);
    snprintf(cp.origin, sizeof cp.origin, "gsi.example/journal");
    cp.size = 42;
    for (int i = 0; i < 32; i++) {
        cp.root[i] = (uint8_t)i;
    }
    struct gsi_buf out;
    gsi_buf_init(&out, 1 << 16);
    ck_assert_int_eq(journal_checkpoint_sign(&out, &cp, &s, &err), 0);
    /* The layout, checked by hand: origin, size, base64 of 00 01 .. 1f, blank, one sig line. */
    ck_assert_int_eq(
        strncmp(
            out.data,
            "gsi.example/journal\n42\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n\n\xe2\x80\x94 gsi.example/journal ",
            93),
        0);
    struct journal_checkpoint back;
    struct journal_note note;
    ck_assert_int_eq(journal_checkpoint_open(&back, &note, out.data, out.len, "gsi.example/journal",
                                             &v, 1, &err),
                     0);
    ck_assert_uint_eq(back.size, 42);
    ck_assert_mem_eq(back.root, cp.root, 32);
    ck_assert_uint_eq(note.nverified, 1);
    journal_note_release(&note);
    journal_checkpoint_release(&back);
    ck_assert_int_eq(
        journal_checkpoint_open(&back, NULL, out.data, out.len, "other.example/log", &v, 1, &err),
        GSI_EVERIFY);
    /* a signature by a key nobody trusts */
    struct journal_key k2;
    ck_assert_int_eq(journal_key_generate(&k2, &err), 0);
    struct journal_note_signer s2;
    ck_assert_int_eq(journal_note_signer_take_key(&s2, "gsi.example/journal", &k2, &err), 0);
    ck_assert_ptr_null(k2.secret);
    gsi_buf_reset(&out);
    ck_assert_int_eq(journal_checkpoint_sign(&out, &cp, &s2, &err), 0);
    ck_assert_int_eq(journal_checkpoint_open(&back, NULL, out.data, out.len, NULL, &v, 1, &err),
                     GSI_EVERIFY);
    journal_note_signer_release(&s2);
    gsi_buf_release(&out);
    gsi_buf_release(&vkey);
    journal_note_signer_release(&s);
}
END_TEST

START_TEST(test_note_limits)
{
    struct keyring kr;
    load_sumdb_keys(&kr);
    struct gsi_err err = GSI_ERR_INIT;
    /* 101 distinct signature lines from unknown keys: over the cap of 100 */
    struct gsi_buf b;
    gsi_buf_init(&b, 1 << 20);
    gsi_buf_puts(&b, "text\n\n");
    for (int i = 0; i < 101; i++) {
        gsi_buf_appendf(
            &b,
            "\xe2\x80\x94 k%d AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
            i);
    }
    struct journal_note note;
    ck_assert_int_eq(journal_note_open(&note, b.data, b.len, kr.v, 2, &err), GSI_EDATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "100"));
    /* over the size cap */
    char *big = malloc(JOURNAL_NOTE_MAX_BYTES + 1);
    memset(big, 'a', JOURNAL_NOTE_MAX_BYTES + 1);
    ck_assert_int_eq(journal_note_open(&note, big, JOURNAL_NOTE_MAX_BYTES + 1, kr.v, 2, &err),
                     GSI_ELIMIT);
    free(big);
    /* names */
    ck_assert(!journal_note_name_valid("a+b", 3));
    ck_assert(!journal_note_name_valid("a b", 3));
    ck_assert(!journal_note_name_valid("a\xc2\xa0"
                                       "b",
                                       4));                  /* U+00A0 is a space */
    ck_assert(!journal_note_name_valid("a\xe3\x80\x80", 4)); /* U+3000 */
    ck_assert(!journal_note_name_valid("", 0));
    ck_assert(!journal_note_name_valid("\xc0\xaf", 2)); /* overlong */
    ck_assert(journal_note_name_valid("example.com/log", 15));
    ck_assert(journal_note_name_valid("\xe4\xb8\xad", 3)); /* U+4E2D */
    /* sign refuses text that does not end in a newline or has a control character */
    struct journal_note_signer s;
    int k = key_index(&kr, "PeterNeumann");
    ck_assert_int_eq(journal_note_signer_parse(&s, kr.skey[k], strlen(kr.skey[k]), &err), 0);
    gsi_buf_reset(&b);
    ck_assert_int_eq(journal_note_sign(&b, "abc", 3, &s, 1, &err), GSI_EUSAGE);
    ck_assert_int_eq(journal_note_sign(&b, "a\rc\n", 4, &s, 1, &err), GSI_EUSAGE);
    ck_assert_int_eq(journal_note_sign(&b, "", 0, &s, 1, &err), GSI_EUSAGE);
    /* a known key that signs twice is malformed */
    ck_assert_int_eq(journal_note_sign(&b, "x\n", 2, &s, 1, &err), 0);
    size_t one = b.len;
    gsi_buf_append(&b, b.data + 3, one - 3);
    ck_assert_int_eq(journal_note_open(&note, b.data, b.len, kr.v, 2, &err), GSI_EDATA);
    journal_note_signer_release(&s);
    /* bad signer keys */
    static const char *bad_skeys[] = {
        "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", /* wrong
                                                                                             ID */
        "PRIVATE+KEY+PeterNeumann+c74f20a3+AoEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", /* alg
                                                                                             0x02 */
        "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDF",  /* base64
                                                                                           */
        "PRIVATE+KEZ+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
        "PRIVATE+KEY+PeterNeumann+c74f20a+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    };
    for (size_t i = 0; i < sizeof bad_skeys / sizeof bad_skeys[0]; i++) {
        ck_assert_msg(journal_note_signer_parse(&s, bad_skeys[i], strlen(bad_skeys[i]), &err) ==
                          GSI_EDATA,
                      "skey %zu accepted", i);
        ck_assert_ptr_null(s.key.secret);
    }
    gsi_buf_release(&b);
}
END_TEST

/* Canonical entry bytes, spelled out by hand from the layout in entry.h:
 *   47 53 49 4a 01 | 00 0d "concern.lodge" | 00 03 "CHN" | 00 02 "17" |
 *   00 05 9b 08 c1 fa 40 00 (1 577 836 800 000 000 us = 2020-01-01T00:00:00Z,
 *   python3 -c 'print(hex(1577836800*10**6))') | 00 0a "concern/42" | 32 bytes 0xab */
START_TEST(test_entry_encoding)
{
    struct journal_entry e;
    memset(&e, 0, sizeof e);
    strcpy(e.type, "concern.lodge");
    strcpy(e.party, "CHN");
    strcpy(e.delegate, "17");
    e.time_us = 1577836800LL * 1000000LL;
    strcpy(e.subject, "concern/42");
    memset(e.payload_hash, 0xab, 32);
    uint8_t want[128];
    long wn = vec_hex(want, sizeof want,
                      "4753494a01"
                      "000d636f6e6365726e2e6c6f646765"
                      "000343484e"
                      "00023137"
                      "00059b08c1fa4000"
                      "000a636f6e6365726e2f3432"
                      "abababababababababababababababababababababababababababababababab");
    ck_assert_int_gt(wn, 0);
    uint8_t got[JOURNAL_ENTRY_MAX_BYTES];
    size_t n;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(journal_entry_encode(got, sizeof got, &n, &e, &err), 0);
    ck_assert_uint_eq(n, (size_t)wn);
    ck_assert_mem_eq(got, want, n);
    struct journal_entry back;
    ck_assert_int_eq(journal_entry_decode(&back, got, n, &err), 0);
    ck_assert_mem_eq(&back, &e, sizeof e);
    uint8_t leaf[32], leaf2[32];
    ck_assert_int_eq(journal_entry_leaf_hash(leaf, &e, &err), 0);
    journal_merkle_leaf_hash(leaf2, want, n);
    ck_assert_mem_eq(leaf, leaf2, 32);
    /* negative time round-trips (two's complement) */
    e.time_us = -1;
    ck_assert_int_eq(journal_entry_encode(got, sizeof got, &n, &e, &err), 0);
    ck_assert_int_eq(journal_entry_decode(&back, got, n, &err), 0);
    ck_assert_int_eq(back.time_us, -1);
    e.time_us = INT64_MIN;
    ck_assert_int_eq(journal_entry_encode(got, sizeof got, &n, &e, &err), 0);
    ck_assert_int_eq(journal_entry_decode(&back, got, n, &err), 0);
    ck_assert(back.time_us == INT64_MIN);
    /* every truncation and any extra byte is refused */
    for (size_t cut = 0; cut < n; cut++) {
        ck_assert_int_eq(journal_entry_decode(&back, got, cut, &err), GSI_EDATA);
    }
    got[n] = 0;
    ck_assert_int_eq(journal_entry_decode(&back, got, n + 1, &err), GSI_EDATA);
    /* fields out of range */
    strcpy(e.type, "");
    ck_assert_int_eq(journal_entry_encode(got, sizeof got, &n, &e, &err), GSI_EDATA);
    strcpy(e.type, "Concern");
    ck_assert_int_eq(journal_entry_encode(got, sizeof got, &n, &e, &err), GSI_EDATA);
    strcpy(e.type, "x");
    strcpy(e.party, "C N");
    ck_assert_int_eq(journal_entry_encode(got, sizeof got, &n, &e, &err), GSI_EDATA);
    strcpy(e.party, "");
    strcpy(e.delegate, "");
    strcpy(e.subject, "");
    ck_assert_int_eq(journal_entry_encode(got, sizeof got, &n, &e, &err), 0);
    ck_assert_uint_eq(n, 5 + 2 + 1 + 2 + 2 + 8 + 2 + 32);
    /* the largest entry fits the documented maximum */
    memset(e.type, 'a', JOURNAL_ENTRY_TYPE_MAX);
    memset(e.party, 'B', JOURNAL_ENTRY_PARTY_MAX);
    memset(e.delegate, 'c', JOURNAL_ENTRY_DELEGATE_MAX);
    memset(e.subject, '~', JOURNAL_ENTRY_SUBJECT_MAX);
    ck_assert_int_eq(journal_entry_encode(got, sizeof got, &n, &e, &err), 0);
    ck_assert_uint_eq(n, JOURNAL_ENTRY_MAX_BYTES);
}
END_TEST

/* The blinded leaf data of a confidential act (entry.h, docs/internals/journal.md "Blinded
 * entries") over the entry of test_entry_encoding with the salt 01 02 .. 20; expected bytes
 * and leaf hash from Python's hashlib:
 *   e = bytes.fromhex("4753494a01000d636f6e6365726e2e6c6f646765000343484e00023137"
 *                     "00059b08c1fa4000000a636f6e6365726e2f3432" + "ab" * 32)
 *   c = b"GSIJ\x02" + hashlib.sha256(b"gsi-journal-blind/1" + bytes(range(1, 33)) + e).digest()
 *   hashlib.sha256(b"\x00" + c).hexdigest() */
START_TEST(test_entry_blind)
{
    uint8_t full[128];
    long fn = vec_hex(full, sizeof full,
                      "4753494a01000d636f6e6365726e2e6c6f646765000343484e00023137"
                      "00059b08c1fa4000000a636f6e6365726e2f3432"
                      "abababababababababababababababababababababababababababababababab");
    ck_assert_int_gt(fn, 0);
    uint8_t salt[JOURNAL_ENTRY_SALT_SIZE];
    for (int i = 0; i < JOURNAL_ENTRY_SALT_SIZE; i++) {
        salt[i] = (uint8_t)(i + 1);
    }
    uint8_t want[JOURNAL_ENTRY_BLIND_BYTES];
    ck_assert_int_eq(vec_hex(want, sizeof want,
                             "4753494a02"
                             "af3c56c1904c934acd8f7578d05530714738b218f8eddbea9de3e5568031edd4"),
                     JOURNAL_ENTRY_BLIND_BYTES);
    uint8_t got[JOURNAL_ENTRY_BLIND_BYTES];
    journal_entry_blind(got, salt, full, (size_t)fn);
    ck_assert_mem_eq(got, want, sizeof want);
    uint8_t leaf[JOURNAL_HASH_SIZE], wleaf[JOURNAL_HASH_SIZE];
    journal_merkle_leaf_hash(leaf, got, sizeof got);
    ck_assert_int_eq(
        vec_hex(wleaf, sizeof wleaf,
                "2dd702c1f8a50b45f30e46bb1b6f23253058b4b1e2fe61187672a5c98b7d4950"),
        JOURNAL_HASH_SIZE);
    ck_assert_mem_eq(leaf, wleaf, sizeof leaf);
    /* Another salt, another commitment: the salt is what hides the fields. */
    salt[0] ^= 1;
    journal_entry_blind(got, salt, full, (size_t)fn);
    ck_assert_int_ne(memcmp(got, want, sizeof want), 0);
    /* Either form is leaf data; a blinded entry is exactly 37 bytes, and a version-1 entry
     * must still decode. */
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(journal_entry_check(want, sizeof want, &err), 0);
    ck_assert_int_eq(journal_entry_check(full, (size_t)fn, &err), 0);
    ck_assert_int_eq(journal_entry_check(want, sizeof want - 1, &err), GSI_EDATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "version 2"));
    uint8_t longer[JOURNAL_ENTRY_BLIND_BYTES + 1] = { 0 };
    memcpy(longer, want, sizeof want);
    ck_assert_int_eq(journal_entry_check(longer, sizeof longer, &err), GSI_EDATA);
    ck_assert_int_eq(journal_entry_check(full, (size_t)fn - 1, &err), GSI_EDATA);
    want[4] = 3;
    ck_assert_int_eq(journal_entry_check(want, sizeof want, &err), GSI_EDATA);
}
END_TEST

Suite *make_suite(void)
{
    struct gsi_err err = GSI_ERR_INIT;
    if (journal_crypto_init(&err) < 0) {
        abort();
    }
    const TTest *tests[] = { test_sumdb_sign,           test_sumdb_open,    test_sumdb_bad_vkeys,
                             test_sumdb_tree_note,      test_c2sp_examples, test_checkpoint_strict,
                             test_checkpoint_roundtrip, test_note_limits,   test_entry_encoding,
                             test_entry_blind };
    return test_suite("journal_note", 0, tests, sizeof tests / sizeof tests[0]);
}
