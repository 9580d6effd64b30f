/* test_platform.c — parties, delegates and tokens, non-interference, confidentiality, the
 * group-committed act path, journal proofs and verification, on SQLite in a temp folder. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_platform.h"
#include "harness.h"
#include "journal/journal.h"
#include "platform/internal.h"
#include "platform/platform.h"
#include "store/store.h"

static struct fixture_platform fx;
static struct platform *p;

static void setup(void)
{
    p = fixture_platform_open(&fx, "platform-unit", NULL);
}

static void teardown(void)
{
    fixture_platform_remove(&fx, p);
    p = NULL;
}

START_TEST(parties_seeded)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_party *list;
    size_t n;
    ck_assert_int_eq(platform_party_list(p, &list, &n, "state", &err), 0);
    /* awk -F, 'NR>1 && $10==1' data/ref/countries.csv | wc -l  → 193 */
    ck_assert_uint_eq(n, 193);
    free(list);
    ck_assert_int_eq(platform_party_list(p, &list, &n, "observer", &err), 0);
    ck_assert_uint_eq(n, 2); /* the Holy See and the State of Palestine */
    ck_assert_str_eq(list[0].id, "PSE");
    ck_assert_str_eq(list[1].id, "VAT");
    free(list);
    struct platform_party pp;
    ck_assert_int_eq(platform_party_get(p, &pp, "CHN", &err), 0);
    ck_assert_str_eq(pp.name, "China"); /* data/ref/countries.csv line 45 */
    ck_assert_str_eq(pp.region, "Asia");
    ck_assert_int_eq(platform_party_get(p, &pp, "ZZZ", &err), GSI_ENOTFOUND);
    char(*m)[PLATFORM_ID_MAX];
    ck_assert_int_eq(platform_party_members(p, &m, &n, "ASEAN", &err), 0);
    /* ASEAN: 10 members and Timor-Leste, admitted 26 October 2025 (asean.org) */
    ck_assert_uint_eq(n, 11);
    ck_assert_str_eq(m[0], "BRN");
    ck_assert_str_eq(m[10], "VNM");
    free(m);
    ck_assert_int_eq(platform_party_members(p, &m, &n, "UN", &err), 0);
    ck_assert_uint_eq(n, 193);
    free(m);
    ck_assert_int_eq(platform_party_members(p, &m, &n, "SCO", &err), 0);
    ck_assert_uint_eq(n, 10); /* with Belarus since July 2024 (sectsco.org) */
    free(m);
    ck_assert_int_eq(platform_party_members(p, &m, &n, "NOPE", &err), GSI_ENOTFOUND);
}
END_TEST

START_TEST(nonstate_participants)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_party pp;
    ck_assert_int_eq(platform_party_add(p, &pp, NULL, "X-SIPRI", "SIPRI", &err), 0);
    ck_assert_str_eq(pp.kind, "nonstate");
    ck_assert_int_eq(platform_party_add(p, &pp, NULL, "X-SIPRI", "SIPRI", &err), GSI_ECONFLICT);
    ck_assert_int_eq(platform_party_add(p, &pp, NULL, "SIPRI", "SIPRI", &err), GSI_EUSAGE);
    struct platform_delegate d;
    char token[PLATFORM_TOKEN_MAX];
    fixture_platform_delegate_add(p, &d, token, "CHN", PLATFORM_ROLE_DELEGATE);
    ck_assert_int_eq(platform_party_add(p, &pp, &d, "X-ABC", "ABC", &err), GSI_EFORBIDDEN);
}
END_TEST

START_TEST(tokens)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_delegate d, got;
    struct platform_party party;
    char token[PLATFORM_TOKEN_MAX];
    uint64_t before = fixture_platform_journal_size(p);
    fixture_platform_delegate_add(p, &d, token, "IND", PLATFORM_ROLE_MEDIATOR);
    /* delegate.add is journalled */
    ck_assert_uint_eq(fixture_platform_journal_size(p), before + 1);
    ck_assert_uint_eq(strlen(token), 4 + 43); /* "gsi_" + unpadded base64url of 32 bytes */
    ck_assert_int_eq(platform_delegate_authenticate(p, &got, &party, token, strlen(token), &err),
                     0);
    ck_assert_int_eq(got.id, d.id);
    ck_assert_str_eq(got.party, "IND");
    ck_assert_int_eq(got.role, PLATFORM_ROLE_MEDIATOR);
    ck_assert_str_eq(party.name, "India");
    char wrong[PLATFORM_TOKEN_MAX];
    memcpy(wrong, token, sizeof wrong);
    wrong[10] = wrong[10] == 'A' ? 'B' : 'A';
    ck_assert_int_eq(platform_delegate_authenticate(p, &got, NULL, wrong, strlen(wrong), &err),
                     GSI_EAUTH);
    ck_assert_int_eq(platform_delegate_authenticate(p, &got, NULL, "x", 1, &err), GSI_EAUTH);
    ck_assert_int_eq(platform_delegate_authenticate(p, &got, NULL, NULL, 0, &err), GSI_EAUTH);
    ck_assert_int_eq(platform_delegate_revoke(p, d.id, &err), 0);
    ck_assert_int_eq(platform_delegate_authenticate(p, &got, NULL, token, strlen(token), &err),
                     GSI_EAUTH);
    ck_assert_int_eq(platform_delegate_revoke(p, d.id, &err), GSI_ECONFLICT);
    ck_assert_int_eq(platform_delegate_revoke(p, 9999, &err), GSI_ENOTFOUND);
    ck_assert_int_eq(platform_delegate_get(p, &got, d.id, &err), 0);
    ck_assert(got.revoked);
    char t2[PLATFORM_TOKEN_MAX];
    ck_assert_int_eq(
        platform_delegate_add(p, &got, t2, "NOPE", PLATFORM_ROLE_DELEGATE, "x", NULL, &err),
        GSI_ENOTFOUND);
    ck_assert_int_eq(
        platform_delegate_add(p, &got, t2, "CHN", PLATFORM_ROLE_DELEGATE, "bad\nname", NULL, &err),
        GSI_EUSAGE);
    ck_assert_int_eq(
        platform_delegate_add(p, &got, t2, "CHN", PLATFORM_ROLE_DELEGATE, "k", "not a key", &err),
        GSI_EUSAGE);
    enum platform_role r;
    ck_assert_int_eq(platform_role_parse(&r, "secretariat", &err), 0);
    ck_assert_int_eq(r, PLATFORM_ROLE_SECRETARIAT);
    ck_assert_int_eq(platform_role_parse(&r, "king", &err), GSI_EUSAGE);
}
END_TEST

START_TEST(pubkeys)
{
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(journal_crypto_init(&err), 0);
    char *skey = NULL;
    struct gsi_buf vkey;
    gsi_buf_init(&vkey, 4096);
    ck_assert_int_eq(journal_note_key_generate(&skey, &vkey, "wang@example", &err), 0);
    journal_note_secret_free(skey);
    struct platform_delegate d;
    char token[PLATFORM_TOKEN_MAX];
    ck_assert_msg(platform_delegate_add(p, &d, token, "CHN", PLATFORM_ROLE_DELEGATE, "Wang",
                                        vkey.data, &err) == 0,
                  "%s", err.msg);
    /* The stored key is the base64 of the 32-byte key inside the verifier key string. */
    struct journal_note_verifier v;
    ck_assert_int_eq(journal_note_verifier_parse(&v, vkey.data, vkey.len, &err), 0);
    char b64[64];
    ck_assert_int_eq(journal_base64_encode(b64, sizeof b64, v.pub, 32, &err), 0);
    ck_assert_str_eq(d.pubkey, b64);
    gsi_buf_release(&vkey);
}
END_TEST

START_TEST(non_interference)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_delegate chn, obs;
    char t1[PLATFORM_TOKEN_MAX], t2[PLATFORM_TOKEN_MAX];
    fixture_platform_delegate_add(p, &chn, t1, "CHN", PLATFORM_ROLE_DELEGATE);
    fixture_platform_delegate_add(p, &obs, t2, "BRA", PLATFORM_ROLE_OBSERVER);
    uint64_t before = fixture_platform_journal_size(p);
    struct platform_act act = {
        .type = "concern.lodge", .party = "IND", .payload = "{}", .payload_len = 2
    };
    struct platform_receipt r;
    ck_assert_int_eq(platform_act_record(p, &r, &chn, &act, &err), GSI_EFORBIDDEN);
    ck_assert_ptr_nonnull(strstr(err.msg, "non-interference"));
    act.party = NULL;
    ck_assert_int_eq(platform_act_record(p, &r, &obs, &act, &err), GSI_EFORBIDDEN);
    ck_assert_uint_eq(fixture_platform_journal_size(p), before); /* nothing was written */
    ck_assert_int_eq(platform_act_record(p, &r, &chn, &act, &err), 0);
    ck_assert_uint_eq(r.index, before);
    ck_assert_uint_eq(r.tree_size, before + 1);
    struct platform_record rec;
    ck_assert_int_eq(platform_record_get(p, &rec, NULL, r.record_id, &err), 0);
    ck_assert_str_eq(rec.party, "CHN"); /* defaults to the actor's party */
    ck_assert_int_eq(rec.delegate, chn.id);
    platform_record_release(&rec);
    ck_assert_int_eq(platform_may_act_for(NULL, "USA", &err), 0);
}
END_TEST

START_TEST(confidential)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_delegate chn, ind, usa;
    char t[PLATFORM_TOKEN_MAX];
    fixture_platform_delegate_add(p, &chn, t, "CHN", PLATFORM_ROLE_DELEGATE);
    fixture_platform_delegate_add(p, &ind, t, "IND", PLATFORM_ROLE_DELEGATE);
    fixture_platform_delegate_add(p, &usa, t, "USA", PLATFORM_ROLE_DELEGATE);
    struct platform_act act = { .type = "notification.send",
                                .payload = "{\"a\":1}",
                                .payload_len = 7,
                                .confidential = true,
                                .audience = "IND,PAK" };
    struct platform_receipt r;
    ck_assert_int_eq(platform_act_record(p, &r, &chn, &act, &err), 0);
    struct platform_record rec;
    ck_assert_int_eq(platform_record_get(p, &rec, &chn, r.record_id, &err), 0);
    ck_assert_str_eq(rec.payload, "{\"a\":1}");
    ck_assert_str_eq(rec.audience, "IND,PAK");
    platform_record_release(&rec);
    ck_assert_int_eq(platform_record_get(p, &rec, &ind, r.record_id, &err), 0);
    platform_record_release(&rec);
    ck_assert_int_eq(platform_record_get(p, &rec, &usa, r.record_id, &err), GSI_ENOTFOUND);
    char hidden[GSI_ERR_MSG_MAX];
    snprintf(hidden, sizeof hidden, "%s", err.msg);
    ck_assert_int_eq(platform_record_get(p, &rec, &usa, 999999, &err), GSI_ENOTFOUND);
    /* The outsider cannot tell a hidden record from a missing one, message aside of the id. */
    ck_assert_ptr_nonnull(strstr(hidden, "no record"));
    act.confidential = false;
    act.audience = NULL;
    ck_assert_int_eq(platform_act_record(p, &r, &chn, &act, &err), 0);
    struct platform_record *list;
    size_t n;
    ck_assert_int_eq(
        platform_record_list(p, &list, &n, &usa, "notification.send", NULL, 0, 100, 0, NULL, &err),
        0);
    ck_assert_uint_eq(n, 1);
    ck_assert(!list[0].confidential);
    platform_record_list_free(list, n);
    ck_assert_int_eq(platform_record_list(p, &list, &n, &ind, NULL, "CHN", 0, 100, 0, NULL, &err),
                     0);
    ck_assert_uint_eq(n, 2);
    platform_record_list_free(list, n);
    ck_assert_int_eq(platform_record_list(p, &list, &n, NULL, NULL, NULL, 0, PLATFORM_LIST_MAX + 1,
                                          0, NULL, &err),
                     GSI_ELIMIT);
    act.audience = "ind";
    ck_assert_int_eq(platform_act_record(p, &r, &chn, &act, &err), GSI_EUSAGE);
    /* An audience naming a party that does not exist, or an empty id, is refused: the act
     * would otherwise be shown to whoever registers that id later. */
    act.confidential = true;
    act.audience = "IND,ZZZ";
    ck_assert_int_eq(platform_act_record(p, &r, &chn, &act, &err), GSI_EDATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "ZZZ"));
    act.audience = "IND,,PAK";
    ck_assert_int_eq(platform_act_record(p, &r, &chn, &act, &err), GSI_EUSAGE);
    act.audience = "IND,";
    ck_assert_int_eq(platform_act_record(p, &r, &chn, &act, &err), GSI_EUSAGE);
    /* Nothing of the refused acts was written. */
    ck_assert_int_eq(platform_record_list(p, &list, &n, NULL, NULL, "CHN", 0, 100, 0, NULL, &err),
                     0);
    ck_assert_uint_eq(n, 2);
    platform_record_list_free(list, n);
    /* An unknown party kind is a usage error, not an empty list. */
    struct platform_party *parties;
    ck_assert_int_eq(platform_party_list(p, &parties, &n, "bogus", &err), GSI_EUSAGE);
    ck_assert_int_eq(platform_party_list(p, &parties, &n, "observer", &err), 0);
    ck_assert_uint_eq(n, 2); /* PSE and VAT: un.org/en/about-us/non-member-states */
    free(parties);
}
END_TEST

/* A viewer of no party (the HTTP API's anonymous reader) sees no confidential record, even one
 * with an empty audience: ',' || '' || ',' is ",,", which LIKE '%,,%' would match. */
START_TEST(anonymous_sees_public_only)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_delegate chn, anon;
    char t[PLATFORM_TOKEN_MAX];
    fixture_platform_delegate_add(p, &chn, t, "CHN", PLATFORM_ROLE_DELEGATE);
    memset(&anon, 0, sizeof anon);
    anon.id = -1;
    anon.role = PLATFORM_ROLE_OBSERVER;
    anon.revoked = true;
    struct platform_act act = { .type = "note",
                                .payload = "{\"secret\":\"s3cr3t\"}",
                                .payload_len = 19,
                                .confidential = true };
    struct platform_receipt secret, pub;
    ck_assert_int_eq(platform_act_record(p, &secret, &chn, &act, &err), 0);
    act.confidential = false;
    act.payload = "{}";
    act.payload_len = 2;
    ck_assert_int_eq(platform_act_record(p, &pub, &chn, &act, &err), 0);
    struct platform_record *list;
    size_t n;
    ck_assert_int_eq(platform_record_list(p, &list, &n, &anon, NULL, NULL, 0, 100, 0, NULL, &err),
                     0);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(list[0].id, pub.record_id);
    platform_record_list_free(list, n);
    ck_assert_int_eq(platform_record_list(p, &list, &n, &anon, NULL, "CHN", 0, 100, 0, NULL, &err),
                     0);
    ck_assert_uint_eq(n, 1);
    platform_record_list_free(list, n);
    struct platform_record rec;
    ck_assert_int_eq(platform_record_get(p, &rec, &anon, secret.record_id, &err), GSI_ENOTFOUND);
    ck_assert_int_eq(platform_record_get(p, &rec, &chn, secret.record_id, &err), 0);
    platform_record_release(&rec);
}
END_TEST

/* A page stops at the byte budget: payloads of 40, 40 and 40 bytes under a 100-byte budget
 * come as 2 then 1 (40 + 40 = 80 <= 100, 80 + 40 = 120 > 100, by hand); a first record larger
 * than the budget still comes alone, so a reader can always go on. */
START_TEST(list_byte_budget)
{
    struct gsi_err err = GSI_ERR_INIT;
    char payload[41];
    memset(payload, 'x', sizeof payload);
    payload[0] = '"';
    payload[39] = '"';
    payload[40] = '\0'; /* a JSON string of 40 bytes */
    struct platform_act act = {
        .type = "test.big", .party = "KAZ", .payload = payload, .payload_len = 40
    };
    struct platform_receipt r[3];
    for (int i = 0; i < 3; i++) {
        ck_assert_msg(platform_act_record(p, &r[i], NULL, &act, &err) == 0, "%s", err.msg);
    }
    struct platform_record *list;
    size_t n;
    bool more = false;
    ck_assert_int_eq(
        platform_record_list(p, &list, &n, NULL, "test.big", NULL, 0, 100, 100, &more, &err), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert(more);
    ck_assert_int_eq(list[1].id, r[1].record_id);
    platform_record_list_free(list, n);
    ck_assert_int_eq(platform_record_list(p, &list, &n, NULL, "test.big", NULL, r[1].record_id, 100,
                                          100, &more, &err),
                     0);
    ck_assert_uint_eq(n, 1);
    ck_assert(!more);
    ck_assert_int_eq(list[0].id, r[2].record_id);
    platform_record_list_free(list, n);
    ck_assert_int_eq(
        platform_record_list(p, &list, &n, NULL, "test.big", NULL, 0, 100, 10, &more, &err), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert(more);
    ck_assert_str_eq(list[0].payload, payload);
    platform_record_list_free(list, n);
    /* The count cap still says more may follow. */
    ck_assert_int_eq(
        platform_record_list(p, &list, &n, NULL, "test.big", NULL, 0, 3, 0, &more, &err), 0);
    ck_assert_uint_eq(n, 3);
    ck_assert(more);
    platform_record_list_free(list, n);
}
END_TEST

START_TEST(act_limits)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_receipt r;
    struct platform_act act = { .type = "Bad Type", .party = "CHN" };
    ck_assert_int_eq(platform_act_record(p, &r, NULL, &act, &err), GSI_EUSAGE);
    act.type = "ok.type";
    act.party = "ZZZ";
    ck_assert_int_eq(platform_act_record(p, &r, NULL, &act, &err), GSI_ENOTFOUND);
    act.party = "CHN";
    act.payload_len = PLATFORM_PAYLOAD_MAX + 1;
    act.payload = calloc(1, act.payload_len);
    ck_assert_int_eq(platform_act_record(p, &r, NULL, &act, &err), GSI_ELIMIT);
    free((void *)act.payload);
    act.payload = NULL;
    act.payload_len = 0;
    ck_assert_int_eq(platform_act_record(p, &r, NULL, &act, &err), 0);
    struct platform_record rec;
    ck_assert_int_eq(platform_record_get(p, &rec, NULL, r.record_id, &err), 0);
    ck_assert_str_eq(rec.payload, "{}");
    platform_record_release(&rec);
}
END_TEST

static int failing_apply(void *ctx, struct store *s, int64_t record_id, uint64_t index,
                         int64_t time_us, struct gsi_err *err)
{
    (void)ctx;
    (void)s;
    (void)record_id;
    (void)index;
    return gsi_err_set(err, GSI_ECONFLICT, "the feature refused");
}

static int counting_apply(void *ctx, struct store *s, int64_t record_id, uint64_t index,
                          int64_t time_us, struct gsi_err *err)
{
    (void)record_id;
    (void)index;
    *(int *)ctx += 1;
    return store_exec(s, "INSERT INTO meta (key, value) VALUES ('applied', 'yes')", NULL, 0, err);
}

START_TEST(apply_in_same_transaction)
{
    struct gsi_err err = GSI_ERR_INIT;
    uint64_t before = fixture_platform_journal_size(p);
    struct platform_receipt r;
    struct platform_act act = { .type = "x.fail", .party = "CHN", .apply = failing_apply };
    ck_assert_int_eq(platform_act_record(p, &r, NULL, &act, &err), GSI_ECONFLICT);
    ck_assert_uint_eq(fixture_platform_journal_size(p), before);
    int calls = 0;
    act.type = "x.ok";
    act.apply = counting_apply;
    act.apply_ctx = &calls;
    ck_assert_int_eq(platform_act_record(p, &r, NULL, &act, &err), 0);
    ck_assert_int_eq(calls, 1);
    ck_assert_uint_eq(fixture_platform_journal_size(p), before + 1);
    /* The same feature write twice violates meta's primary key: the act is undone whole. */
    ck_assert_int_eq(platform_act_record(p, &r, NULL, &act, &err), GSI_ECONFLICT);
    ck_assert_uint_eq(fixture_platform_journal_size(p), before + 1);
    struct platform_verify_report rep;
    ck_assert_msg(platform_journal_verify(p, &rep, NULL, NULL, &err) == 0, "%s", err.msg);
}
END_TEST

struct worker {
    int n;
    int fails;
    int id;
};

static void *write_many(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < w->n; i++) {
        char payload[64];
        int len = snprintf(payload, sizeof payload, "{\"w\":%d,\"i\":%d}", w->id, i);
        struct platform_act act = {
            .type = "test.write", .party = "KAZ", .payload = payload, .payload_len = (size_t)len
        };
        struct platform_receipt r;
        struct gsi_err err = GSI_ERR_INIT;
        if (platform_act_record(p, &r, NULL, &act, &err) < 0) {
            w->fails++;
        }
    }
    return NULL;
}

START_TEST(group_commit_threads)
{
    uint64_t before = fixture_platform_journal_size(p);
    pthread_t t[16];
    struct worker w[16];
    for (int i = 0; i < 16; i++) {
        w[i] = (struct worker){ .n = 40, .id = i };
        pthread_create(&t[i], NULL, write_many, &w[i]);
    }
    for (int i = 0; i < 16; i++) {
        pthread_join(t[i], NULL);
        ck_assert_int_eq(w[i].fails, 0);
    }
    ck_assert_uint_eq(fixture_platform_journal_size(p), before + 16 * 40);
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_verify_report rep;
    ck_assert_msg(platform_journal_verify(p, &rep, NULL, NULL, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(rep.entries, before + 640);
    ck_assert_uint_eq(rep.problems, 0);
}
END_TEST

/* Holds the first batch open until the main thread lets it go. */
static volatile int held_entered, held_release;

static int holding_apply(void *ctx, struct store *s, int64_t record_id, uint64_t index,
                         int64_t time_us, struct gsi_err *err)
{
    (void)ctx;
    (void)s;
    (void)record_id;
    (void)index;
    (void)err;
    __atomic_store_n(&held_entered, 1, __ATOMIC_SEQ_CST);
    for (int i = 0; i < 5000 && !__atomic_load_n(&held_release, __ATOMIC_SEQ_CST); i++) {
        usleep(1000);
    }
    return 0;
}

struct one_write {
    bool hold;
    int rc;
    struct platform_receipt r;
};

static void *write_one(void *arg)
{
    struct one_write *w = arg;
    struct platform_act act = { .type = "test.queue",
                                .party = "KAZ",
                                .payload = "{}",
                                .payload_len = 2,
                                .apply = w->hold ? holding_apply : NULL };
    struct gsi_err err = GSI_ERR_INIT;
    w->rc = platform_act_record(p, &w->r, NULL, &act, &err);
    return NULL;
}

static int64_t count_checkpoints(void)
{
    struct store *s;
    struct gsi_err err = GSI_ERR_INIT;
    int64_t n = -1;
    ck_assert_int_eq(store_open(&s, fx.db, &err), 0);
    ck_assert_int_eq(store_query_int(s, &n, 0, "SELECT COUNT(*) FROM checkpoints", NULL, 0, &err),
                     0);
    store_close(s);
    return n;
}

/* Writers that queue while a commit runs are all carried by the very next one: one more
 * commit (one more signed checkpoint), not one each, and none waits for a third. */
START_TEST(queued_writers_share_next_commit)
{
    uint64_t before = fixture_platform_journal_size(p);
    int64_t cps = count_checkpoints();
    held_entered = 0;
    held_release = 0;
    pthread_t ta, tb[8];
    struct one_write a = { .hold = true }, b[8];
    pthread_create(&ta, NULL, write_one, &a);
    for (int i = 0; i < 5000 && !__atomic_load_n(&held_entered, __ATOMIC_SEQ_CST); i++) {
        usleep(1000);
    }
    ck_assert_int_eq(held_entered, 1);
    for (int i = 0; i < 8; i++) {
        b[i] = (struct one_write){ .hold = false };
        pthread_create(&tb[i], NULL, write_one, &b[i]);
    }
    usleep(300000); /* every writer is queued behind the held batch by now */
    __atomic_store_n(&held_release, 1, __ATOMIC_SEQ_CST);
    pthread_join(ta, NULL);
    ck_assert_int_eq(a.rc, 0);
    ck_assert_uint_eq(a.r.tree_size, before + 1);
    for (int i = 0; i < 8; i++) {
        pthread_join(tb[i], NULL);
        ck_assert_int_eq(b[i].rc, 0);
        ck_assert_uint_eq(b[i].r.tree_size, before + 9); /* all in the second commit */
    }
    ck_assert_int_eq(count_checkpoints(), cps + 2);
}
END_TEST

/* Makes the writer's own transaction hit SQLITE_FULL, after which SQLite has rolled the whole
 * transaction back by itself (sqlite3VdbeHalt: SQLITE_FULL without a statement journal calls
 * sqlite3RollbackAll; checked with python3's sqlite3: after the failing INSERT,
 * in_transaction is False and ROLLBACK TO answers "no such savepoint"). */
static int full_apply(void *ctx, struct store *s, int64_t record_id, uint64_t index,
                      int64_t time_us, struct gsi_err *err)
{
    (void)ctx;
    (void)record_id;
    (void)index;
    int64_t pages = 0;
    ck_assert_int_eq(store_query_int(s, &pages, 0, "PRAGMA page_count", NULL, 0, err), 0);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages);
    struct store_rows *r;
    ck_assert_int_eq(store_query(s, &r, sql, NULL, 0, err), 0);
    store_rows_free(r);
    int rc = store_exec(s, "INSERT INTO meta (key, value) VALUES ('big', zeroblob(1000000))", NULL,
                        0, err);
    struct gsi_err ignore = GSI_ERR_INIT;
    ck_assert_int_eq(store_query(s, &r, "PRAGMA max_page_count = 1073741823", NULL, 0, &ignore), 0);
    store_rows_free(r);
    return rc;
}

static void *write_full(void *arg)
{
    struct one_write *w = arg;
    struct platform_act act = { .type = "test.full", .party = "KAZ", .apply = full_apply };
    struct gsi_err err = GSI_ERR_INIT;
    w->rc = platform_act_record(p, &w->r, NULL, &act, &err);
    return NULL;
}

/* A batch whose transaction the database ended by itself fails whole: no write behind it is
 * answered as recorded when it was rolled back, and none goes on in a new transaction. */
START_TEST(batch_fails_when_database_ends_transaction)
{
    uint64_t before = fixture_platform_journal_size(p);
    held_entered = 0;
    held_release = 0;
    pthread_t ta, tb[3];
    struct one_write a = { .hold = true }, b[3];
    pthread_create(&ta, NULL, write_one, &a);
    for (int i = 0; i < 5000 && !__atomic_load_n(&held_entered, __ATOMIC_SEQ_CST); i++) {
        usleep(1000);
    }
    ck_assert_int_eq(held_entered, 1);
    /* Queued in this order behind the held batch: a write, the one that fills the disk, a
     * write. */
    for (int i = 0; i < 3; i++) {
        b[i] = (struct one_write){ .hold = false };
        pthread_create(&tb[i], NULL, i == 1 ? write_full : write_one, &b[i]);
        usleep(100000);
    }
    __atomic_store_n(&held_release, 1, __ATOMIC_SEQ_CST);
    pthread_join(ta, NULL);
    ck_assert_int_eq(a.rc, 0);
    uint64_t ok = 1;
    for (int i = 0; i < 3; i++) {
        pthread_join(tb[i], NULL);
    }
    ck_assert_int_lt(b[1].rc, 0);
    for (int i = 0; i < 3; i++) {
        /* Every write answered as recorded is there. */
        ck_assert_msg(b[i].rc < 0, "write %d answered %d though its batch was rolled back", i,
                      b[i].rc);
    }
    ck_assert_uint_eq(fixture_platform_journal_size(p), before + ok);
    /* The platform goes on writing afterwards. */
    struct one_write c = { .hold = false };
    write_one(&c);
    ck_assert_int_eq(c.rc, 0);
    ck_assert_uint_eq(fixture_platform_journal_size(p), before + ok + 1);
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_verify_report rep;
    ck_assert_msg(platform_journal_verify(p, &rep, NULL, NULL, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(rep.problems, 0);
}
END_TEST

START_TEST(proofs)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_receipt r;
    struct platform_act act = { .type = "proof.test", .party = "EGY" };
    ck_assert_int_eq(platform_act_record(p, &r, NULL, &act, &err), 0);
    uint64_t size1 = fixture_platform_journal_size(p);
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(platform_act_record(p, &(struct platform_receipt){ 0 }, NULL, &act, &err),
                         0);
    }
    uint64_t size2 = fixture_platform_journal_size(p);
    uint8_t root1[32], root2[32], leaf[32];
    ck_assert_int_eq(platform_journal_root(p, root1, size1, &err), 0);
    ck_assert_int_eq(platform_journal_root(p, root2, size2, &err), 0);
    /* The leaf hash of the receipt is SHA-256(0x00 || the entry's canonical bytes). */
    struct platform_entry *e;
    size_t n;
    ck_assert_int_eq(platform_journal_entries(p, &e, &n, r.index, r.index + 1, &err), 0);
    ck_assert_uint_eq(n, 1);
    struct gsi_buf bytes;
    gsi_buf_init(&bytes, 1024);
    ck_assert_int_eq(platform_entry_canonical(&bytes, &e[0], &err), 0);
    uint8_t pre[1025];
    pre[0] = 0;
    memcpy(pre + 1, bytes.data, bytes.len);
    journal_sha256(leaf, pre, bytes.len + 1);
    char hex[65];
    for (int i = 0; i < 32; i++) {
        snprintf(hex + 2 * i, 3, "%02x", leaf[i]);
    }
    ck_assert_str_eq(hex, r.leaf_hash);
    ck_assert_str_eq(e[0].subject, "record/"
                                   "1");
    gsi_buf_release(&bytes);
    free(e);
    uint8_t proof[PLATFORM_PROOF_MAX][32];
    size_t len;
    ck_assert_int_eq(platform_journal_proof_inclusion(p, proof, &len, r.index, size2, &err), 0);
    ck_assert_int_eq(journal_merkle_inclusion_verify(r.index, size2, leaf,
                                                     (const uint8_t(*)[32])proof, len, root2, &err),
                     0);
    ck_assert_int_eq(platform_journal_proof_consistency(p, proof, &len, size1, size2, &err), 0);
    ck_assert_int_eq(journal_merkle_consistency_verify(size1, size2, root1, root2,
                                                       (const uint8_t(*)[32])proof, len, &err),
                     0);
    ck_assert_int_eq(platform_journal_proof_inclusion(p, proof, &len, 0, size2 + 1, &err),
                     GSI_EUSAGE);
    ck_assert_int_eq(platform_journal_entries(p, &e, &n, 0, 1001, &err), GSI_ELIMIT);
    ck_assert_int_eq(platform_journal_entries(p, &e, &n, 0, size2 + 1, &err), GSI_EUSAGE);
    /* The latest checkpoint is signed by the log and names the current size and root. */
    struct gsi_buf note, vkey;
    gsi_buf_init(&note, 1 << 16);
    gsi_buf_init(&vkey, 4096);
    ck_assert_int_eq(platform_journal_checkpoint(p, &note, &err), 0);
    ck_assert_int_eq(platform_journal_vkey(p, &vkey, &err), 0);
    struct journal_note_verifier v;
    ck_assert_int_eq(journal_note_verifier_parse(&v, vkey.data, vkey.len, &err), 0);
    struct journal_checkpoint cp;
    ck_assert_msg(
        journal_checkpoint_open(&cp, NULL, note.data, note.len, "gsi.local/log", &v, 1, &err) == 0,
        "%s", err.msg);
    ck_assert_uint_eq(cp.size, size2);
    ck_assert_mem_eq(cp.root, root2, 32);
    journal_checkpoint_release(&cp);
    gsi_buf_release(&note);
    gsi_buf_release(&vkey);
}
END_TEST

static void collect(void *ctx, const char *msg)
{
    struct gsi_buf *b = ctx;
    gsi_buf_appendf(b, "%s\n", msg);
}

/* Runs verify with its findings collected in `msgs` (emptied first) and expects GSI_EVERIFY,
 * `problems` findings (0: any number) and a finding that holds `want`. */
static void verify_finds(struct gsi_buf *msgs, uint64_t problems, const char *want)
{
    struct platform_verify_report rep;
    struct gsi_err err = GSI_ERR_INIT;
    gsi_buf_reset(msgs);
    ck_assert_int_eq(platform_journal_verify(p, &rep, collect, msgs, &err), GSI_EVERIFY);
    if (problems > 0) {
        ck_assert_uint_eq(rep.problems, problems);
    }
    ck_assert_msg(strstr(msgs->data, want) != NULL, "%s", msgs->data);
}

static void tamper(const char *sql)
{
    struct store *s;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(store_open(&s, fx.db, &err), 0);
    ck_assert_msg(store_exec(s, sql, NULL, 0, &err) == 0, "%s", err.msg);
    store_close(s);
}

START_TEST(verify_finds_tampering)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_receipt r;
    struct platform_act act = {
        .type = "t.t", .party = "CHN", .payload = "{\"x\":1}", .payload_len = 7
    };
    ck_assert_int_eq(platform_act_record(p, &r, NULL, &act, &err), 0);
    struct platform_verify_report rep;
    struct gsi_buf msgs;
    gsi_buf_init(&msgs, 1 << 16);
    ck_assert_int_eq(platform_journal_verify(p, &rep, collect, &msgs, &err), 0);
    ck_assert_uint_eq(rep.problems, 0);
    tamper("UPDATE records SET payload = '{\"x\":2}'");
    char want[64];
    snprintf(want, sizeof want, "record %lld (entry %llu)", (long long)r.record_id,
             (unsigned long long)r.index);
    verify_finds(&msgs, 1, want);
    tamper("UPDATE records SET payload = '{\"x\":1}'");
    ck_assert_int_eq(platform_journal_verify(p, &rep, NULL, NULL, &err), 0);
    tamper("DELETE FROM party_members WHERE org = 'GCC' AND member = 'QAT'");
    verify_finds(&msgs, 0, "party GCC");
    tamper("INSERT INTO party_members (org, member) VALUES ('GCC', 'QAT')");
    tamper("UPDATE journal SET type = 'x.x' WHERE idx = 3");
    verify_finds(&msgs, 0, "journal entry 3 ");
    ck_assert_ptr_nonnull(strstr(msgs.data, "do not hash to its signed root"));
    gsi_buf_release(&msgs);
}
END_TEST

/* Two confidential acts with the same content get different salts, hence different public
 * payload hashes: a guess of the content cannot be confirmed from the journal. The public
 * listing names neither type nor party; verify still checks the salted bytes, and a changed
 * salt is found. */
START_TEST(confidential_salted)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_act act = { .type = "note.private",
                                .party = "CHN",
                                .payload = "{\"a\":1}",
                                .payload_len = 7,
                                .confidential = true,
                                .audience = "IND" };
    struct platform_receipt r1, r2, r3;
    ck_assert_int_eq(platform_act_record(p, &r1, NULL, &act, &err), 0);
    ck_assert_int_eq(platform_act_record(p, &r2, NULL, &act, &err), 0);
    act.confidential = false;
    act.audience = NULL;
    ck_assert_int_eq(platform_act_record(p, &r3, NULL, &act, &err), 0);
    struct platform_record rec;
    ck_assert_int_eq(platform_record_get(p, &rec, NULL, r1.record_id, &err), 0);
    ck_assert_uint_eq(strlen(rec.salt), 64);
    char salt1[PLATFORM_HEX_MAX];
    snprintf(salt1, sizeof salt1, "%s", rec.salt);
    platform_record_release(&rec);
    ck_assert_int_eq(platform_record_get(p, &rec, NULL, r2.record_id, &err), 0);
    ck_assert_str_ne(rec.salt, salt1);
    platform_record_release(&rec);
    ck_assert_int_eq(platform_record_get(p, &rec, NULL, r3.record_id, &err), 0);
    ck_assert_str_eq(rec.salt, ""); /* a public record keeps the v1 form */
    platform_record_release(&rec);
    struct platform_entry *e;
    size_t n;
    ck_assert_int_eq(platform_journal_entries(p, &e, &n, r1.index, r3.index + 1, &err), 0);
    ck_assert_uint_eq(n, 3);
    ck_assert(e[0].confidential && e[1].confidential && !e[2].confidential);
    ck_assert_str_eq(e[0].type, "");
    ck_assert_str_eq(e[0].party, "");
    ck_assert_str_eq(e[0].payload_hash, "");
    ck_assert_uint_eq(strlen(e[0].leaf_hash), 64);
    ck_assert_str_eq(e[2].type, "note.private");
    free(e);
    struct platform_verify_report rep;
    ck_assert_msg(platform_journal_verify(p, &rep, NULL, NULL, &err) == 0, "%s", err.msg);
    char q[160];
    snprintf(q, sizeof q, "UPDATE records SET salt = '%064d' WHERE id = %lld", 0,
             (long long)r1.record_id);
    tamper(q);
    struct gsi_buf msgs;
    gsi_buf_init(&msgs, 1 << 16);
    ck_assert_int_eq(platform_journal_verify(p, &rep, collect, &msgs, &err), GSI_EVERIFY);
    /* The salt is in both the record's bytes and the entry's blinded leaf data. */
    char want[96];
    snprintf(want, sizeof want, "record %lld (entry %llu)", (long long)r1.record_id,
             (unsigned long long)r1.index);
    ck_assert_msg(strstr(msgs.data, want) != NULL, "%s", msgs.data);
    snprintf(want, sizeof want, "journal entry %llu (record/%lld): its content does not match",
             (unsigned long long)r1.index, (long long)r1.record_id);
    ck_assert_msg(strstr(msgs.data, want) != NULL, "%s", msgs.data);
    gsi_buf_release(&msgs);
}
END_TEST

static void hex_of(char *out, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        snprintf(out + 2 * i, 3, "%02x", b[i]);
    }
}

static size_t put_field(uint8_t *at, const char *s)
{
    size_t n = strlen(s);
    at[0] = (uint8_t)(n >> 8);
    at[1] = (uint8_t)n;
    memcpy(at + 2, s, n);
    return 2 + n;
}

/* A confidential act's leaf data is "GSIJ" 02 SHA-256("gsi-journal-blind/1" || salt ||
 * version-1 entry bytes), built here by hand from the record as its parties read it, the
 * way docs/internals/journal.md ("Blinded entries") spells it: the receipt's leaf hash is
 * SHA-256(0x00 || those 37 bytes), the entry bundle serves exactly them, and verify passes. */
START_TEST(confidential_blinded)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_act act = { .type = "note.private",
                                .party = "CHN",
                                .payload = "{\"a\":1}",
                                .payload_len = 7,
                                .confidential = true,
                                .audience = "IND" };
    struct platform_receipt r;
    ck_assert_int_eq(platform_act_record(p, &r, NULL, &act, &err), 0);
    struct platform_record rec;
    ck_assert_int_eq(platform_record_get(p, &rec, NULL, r.record_id, &err), 0);
    /* gsi-record/v2, docs/internals/platform.md ("The journal append"). */
    char canon[512];
    int cn = snprintf(canon, sizeof canon,
                      "gsi-record/v2\nid %lld\ntype note.private\nparty CHN\ndelegate 0\n"
                      "time %s\nconfidential 1\naudience IND\njournal %llu\nsalt %s\n"
                      "payload 7\n{\"a\":1}",
                      (long long)r.record_id, r.time, (unsigned long long)r.index, rec.salt);
    uint8_t salt[32];
    for (int i = 0; i < 32; i++) {
        unsigned v;
        ck_assert_int_eq(sscanf(rec.salt + 2 * i, "%2x", &v), 1);
        salt[i] = (uint8_t)v;
    }
    platform_record_release(&rec);
    struct store *s;
    ck_assert_int_eq(store_open(&s, fx.db, &err), 0);
    int64_t time_us = 0;
    struct store_val iv[] = { STORE_INT(r.index) };
    ck_assert_int_eq(
        store_query_int(s, &time_us, 0, "SELECT time_us FROM journal WHERE idx = ?", iv, 1, &err),
        0);
    store_close(s);
    /* The version-1 entry bytes: "GSIJ" 01, type, party, delegate "" (the administrator),
     * time (8 bytes, big-endian), subject, SHA-256 of the record's bytes. */
    uint8_t entry[512] = { 'G', 'S', 'I', 'J', 1 };
    size_t en = 5;
    en += put_field(entry + en, "note.private");
    en += put_field(entry + en, "CHN");
    en += put_field(entry + en, "");
    for (int i = 7; i >= 0; i--) {
        entry[en++] = (uint8_t)((uint64_t)time_us >> (8 * i));
    }
    char subject[48];
    snprintf(subject, sizeof subject, "record/%lld", (long long)r.record_id);
    en += put_field(entry + en, subject);
    journal_sha256(entry + en, canon, (size_t)cn);
    en += 32;
    uint8_t commit_in[19 + 32 + 512];
    memcpy(commit_in, "gsi-journal-blind/1", 19);
    memcpy(commit_in + 19, salt, 32);
    memcpy(commit_in + 51, entry, en);
    uint8_t leafdata[1 + 37] = { 0, 'G', 'S', 'I', 'J', 2 };
    journal_sha256(leafdata + 6, commit_in, 51 + en);
    uint8_t leaf[32];
    journal_sha256(leaf, leafdata, sizeof leafdata);
    char hex[65];
    hex_of(hex, leaf, 32);
    ck_assert_str_eq(hex, r.leaf_hash);
    /* The entry bundle holding it serves the 37 blinded bytes and nothing of the record. */
    uint64_t size = fixture_platform_journal_size(p);
    uint64_t tile = r.index / 256;
    unsigned width = size - tile * 256 >= 256 ? 256 : (unsigned)(size - tile * 256);
    struct gsi_buf b;
    gsi_buf_init(&b, 1 << 20);
    bool full = false;
    ck_assert_int_eq(platform_journal_tile(p, &b, -1, tile, width, &full, &err), 0);
    size_t at = 0;
    for (uint64_t i = tile * 256; i < r.index; i++) {
        at += 2 + (((size_t)(uint8_t)b.data[at] << 8) | (uint8_t)b.data[at + 1]);
    }
    ck_assert_uint_eq(((size_t)(uint8_t)b.data[at] << 8) | (uint8_t)b.data[at + 1], 37);
    ck_assert_int_eq(memcmp(b.data + at + 2, leafdata + 1, 37), 0);
    for (size_t i = 0; i + 12 <= b.len; i++) {
        ck_assert_msg(memcmp(b.data + i, "note.private", 12) != 0, "the type at byte %zu", i);
    }
    gsi_buf_release(&b);
    struct platform_verify_report rep;
    ck_assert_msg(platform_journal_verify(p, &rep, NULL, NULL, &err) == 0, "%s", err.msg);
}
END_TEST

/* A confidential act journalled before blinding has a salted record but a version-1 leaf:
 * platform_entry_form keeps that form (its stored leaf hash is the version-1 bytes'), so old
 * journals verify and their tiles stay the same bytes; any other leaf hash with a salt means
 * the blinded form, and without a salt there is nothing to blind with. */
START_TEST(entry_form_keeps_version1)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_entry e;
    memset(&e, 0, sizeof e);
    snprintf(e.type, sizeof e.type, "note.private");
    snprintf(e.party, sizeof e.party, "CHN");
    e.time_us = 1577836800LL * 1000000LL;
    snprintf(e.subject, sizeof e.subject, "record/7");
    memset(e.payload_hash, 'a', 64);
    /* SHA-256(0x00 || the version-1 bytes), from Python's hashlib:
     *   f = lambda s: len(s).to_bytes(2, "big") + s
     *   e = (b"GSIJ\x01" + f(b"note.private") + f(b"CHN") + f(b"") +
     *        (1577836800 * 10**6).to_bytes(8, "big") + f(b"record/7") + b"\xaa" * 32)
     *   hashlib.sha256(b"\x00" + e).hexdigest() */
    snprintf(e.leaf_hash, sizeof e.leaf_hash, "%s",
             "7d6076c9d254e2fa1aba4fe8a74f8d4bcb3ee2538a44d511fa60dd242df9c735");
    char salt[65];
    memset(salt, '1', 64);
    salt[64] = '\0';
    ck_assert_int_eq(platform_entry_form(&e, salt, &err), 0);
    ck_assert(!e.blind);
    ck_assert_str_eq(e.salt, "");
    snprintf(e.leaf_hash, sizeof e.leaf_hash, "%064d", 0);
    ck_assert_int_eq(platform_entry_form(&e, salt, &err), 0);
    ck_assert(e.blind);
    ck_assert_str_eq(e.salt, salt);
    ck_assert_int_eq(platform_entry_form(&e, "", &err), 0);
    ck_assert(!e.blind);
}
END_TEST

/* The stored tree nodes, which proofs are served from, are checked against the rebuilt tree:
 * one changed hex digit, a missing row and a row no tree of this size has are each found.
 * (Before, verify rebuilt the tree from the entries and never read journal_nodes, so a
 * changed node passed while the server handed out proofs leading to no signed root.) */
START_TEST(verify_checks_tree_nodes)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_verify_report rep;
    struct gsi_buf msgs;
    gsi_buf_init(&msgs, 1 << 16);
    ck_assert_int_eq(platform_journal_verify(p, &rep, NULL, NULL, &err), 0);
    /* Flip the first hex digit of node (level 1, index 0): '0' <-> '1', anything else to '0'. */
    tamper("UPDATE journal_nodes SET hash = (CASE WHEN substr(hash, 1, 1) = '0' THEN '1' ELSE '0'"
           " END) || substr(hash, 2) WHERE level = 1 AND idx = 0");
    verify_finds(&msgs, 1, "journal_nodes (level 1, index 0): the stored hash");
    tamper("DELETE FROM journal_nodes WHERE level = 1 AND idx = 0");
    verify_finds(&msgs, 0, "journal_nodes (level 1, index 0) is missing");
    tamper("INSERT INTO journal_nodes (level, idx, hash) VALUES (40, 0, '00')");
    verify_finds(&msgs, 0, "(level 40, index 0): no such node");
    gsi_buf_release(&msgs);
}
END_TEST

/* A checkpoint file that cannot be read, or is larger than a checkpoint may be, is reported
 * by verify; only a missing file is no finding. (Before, a failing fopen skipped the file in
 * silence and a larger file was checked by its first 64 KiB.) */
START_TEST(verify_reports_unreadable_checkpoint_file)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_verify_report rep;
    struct gsi_buf msgs;
    gsi_buf_init(&msgs, 1 << 16);
    char path[200];
    snprintf(path, sizeof path, "%s.checkpoint", fx.db);
    ck_assert_msg(platform_journal_verify(p, &rep, collect, &msgs, &err) == 0, "%s", msgs.data);
    /* A link to itself: open fails with ELOOP, not ENOENT. */
    ck_assert_int_eq(unlink(path), 0);
    ck_assert_int_eq(symlink(path, path), 0);
    verify_finds(&msgs, 1, "cannot be checked");
    /* Larger than the 65536 bytes a checkpoint file may hold. */
    ck_assert_int_eq(unlink(path), 0);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 70000; i++) {
        fputc('x', f);
    }
    fclose(f);
    verify_finds(&msgs, 1, "larger than 65536 bytes");
    /* Missing: nothing to report. */
    ck_assert_int_eq(unlink(path), 0);
    ck_assert_int_eq(platform_journal_verify(p, &rep, NULL, NULL, &err), 0);
    gsi_buf_release(&msgs);
}
END_TEST

/* A journal head of negative size is bad data, reported as such. (Before, verify read it as a
 * size past every entry and indexed its table of one entry by each entry's index.) */
START_TEST(verify_refuses_negative_head)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_verify_report rep;
    tamper("UPDATE journal_head SET size = -3 WHERE id = 1");
    ck_assert_int_eq(platform_journal_verify(p, &rep, NULL, NULL, &err), GSI_EDATA);
    ck_assert_msg(strstr(err.msg, "negative") != NULL, "%s", err.msg);
}
END_TEST

/* Signing a checkpoint when no read connection can be opened (here: the database file is
 * gone from its path) fails with the store's error. (Before, the failed query's unset rows
 * pointer was freed.) */
START_TEST(checkpoint_sign_without_read_connection)
{
    struct gsi_err err = GSI_ERR_INIT;
    char moved[160];
    snprintf(moved, sizeof moved, "%s/moved.db", fx.dir);
    ck_assert_int_eq(rename(fx.db, moved), 0);
    int rc = platform_journal_checkpoint_sign(p, NULL, &err);
    ck_assert_int_eq(rename(moved, fx.db), 0);
    ck_assert_int_eq(rc, GSI_ENOTFOUND);
    ck_assert_int_eq(platform_journal_checkpoint_sign(p, NULL, &err), 0);
}
END_TEST

START_TEST(refuses_database_behind_file)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_act act = { .type = "t.t", .party = "CHN" };
    struct platform_receipt r;
    ck_assert_int_eq(platform_act_record(p, &r, NULL, &act, &err), 0);
    ck_assert_int_eq(platform_journal_checkpoint_sign(p, NULL, &err), 0);
    platform_close(p);
    p = NULL;
    char q[256];
    snprintf(q, sizeof q,
             "DELETE FROM journal WHERE idx = %llu; DELETE FROM journal_nodes WHERE level = 0 AND"
             " idx = %llu; UPDATE journal_head SET size = %llu",
             (unsigned long long)r.index, (unsigned long long)r.index, (unsigned long long)r.index);
    tamper(q);
    struct platform_opts o;
    platform_opts_init(&o);
    o.db = fx.db;
    ck_assert_int_eq(platform_open(&p, &o, &err), GSI_EVERIFY);
    ck_assert_ptr_nonnull(strstr(err.msg, "behind"));
    ck_assert_ptr_null(p);
}
END_TEST

/* A database rolled back to an old copy, with the checkpoint file deleted to hide it, is
 * refused loudly; only the operator's confirmation (gsi journal confirm) opens it, and that
 * writes the file anew. (Before, it was opened in silence and the file rewritten at the old
 * size.) */
START_TEST(refuses_rollback_without_file)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_act act = { .type = "t.t", .party = "CHN" };
    struct platform_receipt r;
    ck_assert_int_eq(platform_act_record(p, &r, NULL, &act, &err), 0);
    ck_assert_int_eq(platform_journal_checkpoint_sign(p, NULL, &err), 0);
    uint64_t old_size = fixture_platform_journal_size(p);
    platform_close(p);
    p = NULL;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s.old'", fx.db, fx.db);
    ck_assert_int_eq(system(cmd), 0);
    struct platform_opts o;
    platform_opts_init(&o);
    o.db = fx.db;
    ck_assert_msg(platform_open(&p, &o, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(platform_act_record(p, &r, NULL, &act, &err), 0);
    ck_assert_int_eq(platform_journal_checkpoint_sign(p, NULL, &err), 0);
    platform_close(p);
    p = NULL;
    /* The rollback: the old copy back, the file that would betray it gone. */
    snprintf(cmd, sizeof cmd, "mv '%s.old' '%s' && rm -f '%s-wal' '%s-shm' '%s.checkpoint'", fx.db,
             fx.db, fx.db, fx.db, fx.db);
    ck_assert_int_eq(system(cmd), 0);
    ck_assert_int_eq(platform_open(&p, &o, &err), GSI_EVERIFY);
    ck_assert_ptr_null(p);
    ck_assert_msg(strstr(err.msg, "ROLLBACK") != NULL && strstr(err.msg, "gsi journal confirm"),
                  "%s", err.msg);
    /* Still refused on the next start: nothing was written meanwhile. */
    ck_assert_int_eq(platform_open(&p, &o, &err), GSI_EVERIFY);
    o.checkpoint_missing_ok = true;
    ck_assert_msg(platform_open(&p, &o, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(fixture_platform_journal_size(p), old_size);
    ck_assert_int_eq(platform_journal_checkpoint_sign(p, NULL, &err), 0);
    platform_close(p);
    p = NULL;
    o.checkpoint_missing_ok = false;
    ck_assert_msg(platform_open(&p, &o, &err) == 0, "%s", err.msg);
}
END_TEST

/* With checkpoint_every_ms, a burst of commits signs once, not once per commit (gsi serve
 * once signed 612 checkpoints in a second at --checkpoint-every 1); the journal head runs
 * ahead until an explicit signature, which covers it all. */
START_TEST(checkpoint_every)
{
    struct gsi_err err = GSI_ERR_INIT;
    platform_close(p);
    struct platform_opts o;
    platform_opts_init(&o);
    o.db = fx.db;
    o.checkpoint_every_ms = 3600u * 1000u; /* the burst below takes far less than an hour */
    ck_assert_msg(platform_open(&p, &o, &err) == 0, "%s", err.msg);
    struct store *s;
    ck_assert_int_eq(store_open(&s, fx.db, &err), 0);
    int64_t before = 0, after = 0, top = 0;
    ck_assert_int_eq(
        store_query_int(s, &before, 0, "SELECT COUNT(*) FROM checkpoints", NULL, 0, &err), 0);
    struct platform_act act = { .type = "t.t", .party = "CHN" };
    struct platform_receipt r;
    for (int i = 0; i < 50; i++) {
        ck_assert_int_eq(platform_act_record(p, &r, NULL, &act, &err), 0);
    }
    ck_assert_int_eq(
        store_query_int(s, &after, 0, "SELECT COUNT(*) FROM checkpoints", NULL, 0, &err), 0);
    ck_assert_int_eq(after - before, 1); /* the first commit's; the other 49 were not due */
    ck_assert_int_eq(platform_journal_checkpoint_sign(p, NULL, &err), 0);
    ck_assert_int_eq(
        store_query_int(s, &top, 0, "SELECT MAX(size) FROM checkpoints", NULL, 0, &err), 0);
    ck_assert_uint_eq((uint64_t)top, fixture_platform_journal_size(p));
    /* Signing again with nothing new adds nothing. */
    ck_assert_int_eq(platform_journal_checkpoint_sign(p, NULL, &err), 0);
    ck_assert_int_eq(
        store_query_int(s, &after, 0, "SELECT COUNT(*) FROM checkpoints", NULL, 0, &err), 0);
    ck_assert_int_eq(after - before, 2);
    store_close(s);
    struct platform_verify_report rep;
    ck_assert_msg(platform_journal_verify(p, &rep, NULL, NULL, &err) == 0, "%s", err.msg);
}
END_TEST

START_TEST(uninitialised)
{
    struct platform_opts o;
    platform_opts_init(&o);
    char other[160];
    snprintf(other, sizeof other, "%s/empty.db", fx.dir);
    o.db = other;
    struct platform *q = NULL;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(platform_open(&q, &o, &err), GSI_ENOTFOUND);
    /* The message names the command to run, and opening left no empty file behind. */
    char want[200];
    snprintf(want, sizeof want, "run gsi init --db %s", other);
    ck_assert_msg(strstr(err.msg, want) != NULL, "%s", err.msg);
    ck_assert_int_eq(access(other, F_OK), -1);
    /* A file that exists but holds no schema: "not initialised", with the same hint. */
    struct store *s = NULL;
    ck_assert_msg(store_create(&s, other, &err) == 0, "%s", err.msg);
    store_close(s);
    ck_assert_int_eq(platform_open(&q, &o, &err), GSI_ENOTFOUND);
    ck_assert_msg(strstr(err.msg, "not initialised") != NULL && strstr(err.msg, want) != NULL, "%s",
                  err.msg);
    /* init on an existing database is an upgrade, not a re-seed */
    bool created = true;
    o.db = fx.db;
    uint64_t before = fixture_platform_journal_size(p);
    ck_assert_int_eq(platform_init(&o, &created, &err), 0);
    ck_assert(!created);
    ck_assert_uint_eq(fixture_platform_journal_size(p), before);
}
END_TEST

/* A database migrated by a newer gsi (schema version above this build's) is refused with
 * GSI_EDB and the advice to upgrade, not opened and written as if it were current. */
START_TEST(refuses_newer_schema)
{
    platform_close(p);
    p = NULL;
    struct store *s = NULL;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_msg(store_open(&s, fx.db, &err) == 0, "%s", err.msg);
    struct store_val v[] = { STORE_INT(store_schema_latest() + 1) };
    ck_assert_msg(store_exec(s,
                             "INSERT INTO schema_migrations (version, name, applied)"
                             " VALUES (?, 'from the future', '2099-01-01T00:00:00Z')",
                             v, 1, &err) == 0,
                  "%s", err.msg);
    store_close(s);
    struct platform_opts o;
    platform_opts_init(&o);
    o.db = fx.db;
    struct platform *q = NULL;
    ck_assert_int_eq(platform_open(&q, &o, &err), GSI_EDB);
    ck_assert_ptr_null(q);
    ck_assert_msg(strstr(err.msg, "upgrade gsi") != NULL, "%s", err.msg);
}
END_TEST

/* A store that refuses writes (here a trigger that aborts every insert into records, as a
 * read-only or full database would): the write fails with GSI_EDB, the platform reports the
 * store as not writable, and a later successful write clears it. */
START_TEST(store_write_fault)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_delegate chn;
    char t[PLATFORM_TOKEN_MAX];
    fixture_platform_delegate_add(p, &chn, t, "CHN", PLATFORM_ROLE_DELEGATE);
    char why[GSI_ERR_MSG_MAX] = "";
    ck_assert(platform_store_writable(p, why, sizeof why));
    struct store *s;
    ck_assert_msg(store_open(&s, fx.db, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(store_exec(s,
                                "CREATE TRIGGER refuse BEFORE INSERT ON records BEGIN "
                                "SELECT RAISE(ABORT, 'attempt to write a readonly database'); END",
                                NULL, 0, &err),
                     0);
    struct platform_act act = { .type = "note", .payload = "{}", .payload_len = 2 };
    struct platform_receipt r;
    ck_assert_int_eq(platform_act_record(p, &r, &chn, &act, &err), GSI_EDB);
    ck_assert(!platform_store_writable(p, why, sizeof why));
    ck_assert_ptr_nonnull(strstr(why, "readonly"));
    ck_assert_int_eq(store_exec(s, "DROP TRIGGER refuse", NULL, 0, &err), 0);
    store_close(s);
    ck_assert_int_eq(platform_act_record(p, &r, &chn, &act, &err), 0);
    ck_assert(platform_store_writable(p, why, sizeof why));
}
END_TEST

Suite *make_suite(void)
{
    const TTest *tests[] = { parties_seeded,
                             nonstate_participants,
                             tokens,
                             pubkeys,
                             non_interference,
                             confidential,
                             anonymous_sees_public_only,
                             list_byte_budget,
                             act_limits,
                             apply_in_same_transaction,
                             group_commit_threads,
                             queued_writers_share_next_commit,
                             batch_fails_when_database_ends_transaction,
                             proofs,
                             verify_finds_tampering,
                             verify_reports_unreadable_checkpoint_file,
                             verify_refuses_negative_head,
                             checkpoint_sign_without_read_connection,
                             refuses_database_behind_file,
                             uninitialised,
                             refuses_newer_schema,
                             store_write_fault,
                             verify_checks_tree_nodes,
                             refuses_rollback_without_file,
                             confidential_salted,
                             confidential_blinded,
                             entry_form_keeps_version1,
                             checkpoint_every };
    return test_suite_fixture("platform", 300, setup, teardown, tests,
                              sizeof tests / sizeof tests[0]);
}
