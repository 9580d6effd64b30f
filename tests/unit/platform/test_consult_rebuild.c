/* test_consult_rebuild.c — the consultations' and agreements' own tables (schema 6) rebuilt
 * from the records, on SQLite: a consultation run through every act (consent, invitations and
 * the mediator, statements, party and public votes, a moderation, a proposal decided by the
 * parties' positions), an agreement drafted from it, and a Polis export imported and moderated
 * on the platform. Then the rebuild must give back every row as it was (compared as text, all
 * columns, read here with plain SQL), `gsi journal verify`'s projection check must pass, the
 * live view must follow a vote cast after the rebuild, and a row changed behind the journal's
 * back must be found. Expected values are worked out by hand beside each check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "fixture_platform.h"
#include "harness.h"
#include "platform/consult.h"
#include "platform/consult_import.h"
#include "platform/consult_live.h"
#include "platform/platform.h"
#include "platform/proc.h"
#include "store/store.h"

static struct fixture_platform fx;
static struct platform *p;
static struct platform_delegate eth, eri, un;

/* Every row of the tables of schema 6, all columns, in key order, as text. */
static char *snapshot(void)
{
    static const char *const q[] = {
        "SELECT * FROM consult_public ORDER BY id",
        "SELECT * FROM consult_statements ORDER BY id",
        "SELECT * FROM consult_votes ORDER BY id",
        "SELECT * FROM consult_invites ORDER BY consultation, mediator, party",
        "SELECT * FROM consult_mediators ORDER BY consultation, party",
        "SELECT * FROM consult_proposals ORDER BY id",
        "SELECT * FROM consult_positions ORDER BY proposal, party",
        "SELECT * FROM agreement_docs ORDER BY id",
        "SELECT * FROM agreement_sigs ORDER BY agreement, party",
    };
    struct gsi_err err = GSI_ERR_INIT;
    struct store *s;
    ck_assert_msg(store_open(&s, fx.db, &err) == 0, "%s", err.msg);
    struct gsi_buf out;
    gsi_buf_init(&out, (size_t)1 << 26);
    for (size_t k = 0; k < sizeof q / sizeof q[0]; k++) {
        struct store_rows *r;
        ck_assert_msg(store_query(s, &r, q[k], NULL, 0, &err) == 0, "%s", err.msg);
        ck_assert_int_eq(gsi_buf_appendf(&out, "%s\n", q[k]), 0);
        for (size_t i = 0; i < store_rows_count(r); i++) {
            for (size_t c = 0; c < store_rows_columns(r); c++) {
                ck_assert_int_eq(gsi_buf_appendf(&out, "%s|", store_rows_text(r, i, c)), 0);
            }
            ck_assert_int_eq(gsi_buf_putc(&out, '\n'), 0);
        }
        store_rows_free(r);
    }
    store_close(s);
    ck_assert_int_eq(gsi_buf_putc(&out, '\0'), 0);
    return out.data;
}

static void sql(const char *q)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct store *s;
    ck_assert_msg(store_open(&s, fx.db, &err) == 0, "%s", err.msg);
    ck_assert_msg(store_exec(s, q, NULL, 0, &err) == 0, "%s: %s", q, err.msg);
    store_close(s);
}

static int64_t sql_int(const char *q)
{
    return fixture_platform_sql_int(&fx, q);
}

/* An act that must pass; returns its record id (and the case's through *case_id). */
static int64_t ok(const struct platform_delegate *who, const struct platform_proc *proc,
                  const char *type, int64_t id, const char *payload, int64_t *case_id)
{
    struct platform_proc_receipt r;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_msg(platform_proc_act(p, &r, who, proc, type, id, payload, strlen(payload), &err) ==
                      0,
                  "%s: %s", type, err.msg);
    if (case_id != NULL) {
        *case_id = r.case_id;
    }
    return r.act.record_id;
}

static int64_t cact(const struct platform_delegate *who, const char *type, int64_t id,
                    const char *fmt, int64_t arg)
{
    char body[512];
    snprintf(body, sizeof body, fmt, (long long)arg);
    return ok(who, &platform_proc_consultation, type, id, body, NULL);
}

struct problems {
    int n;
    char last[512];
};

static void on_problem(void *ctx, const char *msg)
{
    struct problems *pr = ctx;
    pr->n++;
    snprintf(pr->last, sizeof pr->last, "%s", msg);
}

/* gsi journal verify's checks; returns how many problems it found. */
static int verify(struct problems *pr)
{
    struct platform_verify_report rep;
    struct gsi_err err = GSI_ERR_INIT;
    memset(pr, 0, sizeof *pr);
    int rc = platform_journal_verify(p, &rep, on_problem, pr, &err);
    ck_assert_msg(rc == 0 || rc == GSI_EVERIFY, "%s", err.msg);
    ck_assert_int_eq(rc == 0, pr->n == 0);
    return pr->n;
}

static void rebuild(void)
{
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_msg(platform_proc_rebuild(p, &err) == 0, "%s", err.msg);
}

static int64_t last_vote(int64_t cid)
{
    char *js = NULL;
    size_t len = 0;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_msg(platform_consult_live_view(p, cid, &js, &len, &err) == 0, "%s", err.msg);
    json_t *v = json_loadb(js, len, 0, NULL);
    ck_assert_ptr_nonnull(v);
    int64_t last = json_integer_value(json_object_get(v, "last_vote"));
    json_decref(v);
    free(js);
    return last;
}

static void setup(void)
{
    p = fixture_platform_open(&fx, "consult-rebuild", NULL);
    struct gsi_err err = GSI_ERR_INIT;
    char token[PLATFORM_TOKEN_MAX];
    ck_assert_int_eq(
        platform_delegate_add(p, &eth, token, "ETH", PLATFORM_ROLE_DELEGATE, "E", NULL, &err), 0);
    ck_assert_int_eq(
        platform_delegate_add(p, &eri, token, "ERI", PLATFORM_ROLE_DELEGATE, "R", NULL, &err), 0);
    ck_assert_int_eq(
        platform_delegate_add(p, &un, token, "UN", PLATFORM_ROLE_MEDIATOR, "U", NULL, &err), 0);
}

static void teardown(void)
{
    platform_consult_live_shutdown(p);
    fixture_platform_remove(&fx, p);
    p = NULL;
}

/* A consultation through every act, and an agreement drafted from its decision. */
static int64_t consultation(void)
{
    int64_t cid = 0;
    ok(&eth, &platform_proc_consultation, "consultation.propose", 0,
       "{\"parties\":[\"ERI\"],\"means\":\"mediation\",\"domain\":\"africa\",\"question\":\"How?\","
       "\"open\":true,\"rule\":\"consensus\"}",
       &cid);
    cact(&eri, "consultation.consent", cid, "{}", 0);
    /* Invitations: the mediator joins with the second (the original bug: replaying the first
     * met its own row again, "ETH has already invited UN"). */
    cact(&eth, "consultation.invite", cid, "{\"mediator\":\"UN\"}", 0);
    cact(&eri, "consultation.invite", cid, "{\"mediator\":\"UN\"}", 0);
    int64_t s1 = cact(&eth, "consultation.statement", cid, "{\"text\":\"Withdraw %lld km.\"}", 5);
    int64_t s2 = cact(&un, "consultation.statement", cid, "{\"text\":\"Off topic %lld.\"}", 1);
    cact(&eri, "consultation.vote", cid, "{\"statement\":%lld,\"vote\":\"agree\"}", s1);
    cact(&eth, "consultation.vote", cid, "{\"statement\":%lld,\"vote\":\"pass\"}", s1);
    cact(&eth, "consultation.vote", cid, "{\"statement\":%lld,\"vote\":\"agree\"}", s1);
    cact(&un, "consultation.moderate", cid, "{\"statement\":%lld,\"reason\":\"off topic\"}", s2);
    /* A member of the public registers and votes. */
    char token[CONSULT_PUBLIC_TOKEN_MAX];
    int64_t part = 0;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_msg(
        platform_consult_public_register(p, token, &part, cid, "Ana", "192.0.2.1", 1000, &err) == 0,
        "%s", err.msg);
    char body[128];
    snprintf(body, sizeof body, "{\"statement\":%lld,\"vote\":\"disagree\"}", (long long)s1);
    struct platform_proc_receipt r;
    ck_assert_msg(
        platform_consult_public_act(p, &r, cid, token, "vote", body, strlen(body), &err) == 0, "%s",
        err.msg);
    int64_t prop =
        cact(&eth, "consultation.proposal", cid, "{\"text\":\"Withdraw.\",\"days\":%lld}", 3);
    cact(&eth, "consultation.position", cid, "{\"proposal\":%lld,\"position\":\"support\"}", prop);
    cact(&eri, "consultation.position", cid, "{\"proposal\":%lld,\"position\":\"support\"}", prop);
    snprintf(body, sizeof body,
             "{\"consultation\":%lld,\"proposal\":%lld,\"title\":\"Accord\",\"text\":\"We "
             "withdraw.\\n\",\"signatories\":[\"ERI\"]}",
             (long long)cid, (long long)prop);
    ok(&eth, &platform_proc_agreement, "agreement.draft", 0, body, NULL);
    return cid;
}

/* A Polis export: comment 0 moderated in (1), comment 1 out (-1), comment 2 unmoderated (0);
 * four votes, the two at time 5 in file order. Opened by UN (its convenor). */
static int64_t import(void)
{
    static const char comments[] = "comment-id,moderated,comment-body\n0,1,\"a\"\n1,-1,\"b\"\n"
                                   "2,0,\"c\"\n";
    static const char votes[] = "timestamp,comment-id,voter-id,vote\n5,0,0,1\n5,2,0,-1\n"
                                "1,0,3,0\n9,2,3,1\n";
    struct consult_polis x;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_msg(platform_consult_polis_parse(&x, comments, strlen(comments), "c.csv", votes,
                                               strlen(votes), "v.csv", &err) == 0,
                  "%s", err.msg);
    int64_t id = 0;
    ck_assert_msg(
        platform_consult_import(p, &id, "UN", "Imported?", "africa", "mediation", &x,
                                "00000000000000000000000000000000000000000000000000000000000000aa",
                                "00000000000000000000000000000000000000000000000000000000000000bb",
                                &err) == 0,
        "%s", err.msg);
    platform_consult_polis_release(&x);
    /* The platform moderates out comment 2, which Polis had not. */
    cact(&un, "consultation.moderate", id, "{\"statement\":%lld,\"reason\":\"spam\"}",
         CONSULT_IMPORT_STMT + 2);
    cact(&un, "consultation.vote", id, "{\"statement\":%lld,\"vote\":\"agree\"}",
         CONSULT_IMPORT_STMT + 0);
    return id;
}

START_TEST(rebuild_gives_every_row_back)
{
    int64_t cid = consultation();
    int64_t iid = import();
    /* By hand: 4 party/public votes in the consultation, each id = its record id * 10^7; the
     * import's 4 votes have ids iid * 10^7 + 0..3; one more vote by UN in the import. */
    ck_assert_int_eq(sql_int("SELECT COUNT(*) FROM consult_votes"), 4 + 4 + 1);
    ck_assert_int_eq(sql_int("SELECT COUNT(*) FROM consult_votes WHERE id <> record * 10000000 AND"
                             " record <> consultation"),
                     0);
    char q[256];
    snprintf(q, sizeof q, "SELECT MIN(id) FROM consult_votes WHERE record = %lld", (long long)iid);
    ck_assert_int_eq(sql_int(q), iid * 10000000);
    snprintf(q, sizeof q, "SELECT MAX(id) FROM consult_votes WHERE record = %lld", (long long)iid);
    ck_assert_int_eq(sql_int(q), iid * 10000000 + 3);
    ck_assert_int_eq(sql_int("SELECT COUNT(*) FROM consult_mediators"), 1);
    ck_assert_int_eq(sql_int("SELECT COUNT(*) FROM consult_proposals WHERE outcome = 'adopted'"),
                     1);
    ck_assert_int_eq(sql_int("SELECT COUNT(*) FROM agreement_docs"), 1);
    /* Moderated out: the UN's statement, Polis's comment 1, the platform's comment 2. */
    ck_assert_int_eq(sql_int("SELECT COUNT(*) FROM consult_statements WHERE moderated = 1"), 3);

    int64_t before = last_vote(cid);
    char *a = snapshot();
    struct problems pr;
    ck_assert_msg(verify(&pr) == 0, "%s", pr.last);
    rebuild();
    char *b = snapshot();
    ck_assert_str_eq(a, b);
    free(b);
    free(a);
    ck_assert_msg(verify(&pr) == 0, "%s", pr.last);

    /* The live view follows a vote cast after the rebuild: its id is its record's * 10^7. */
    int64_t rec = cact(&eri, "consultation.vote", cid, "{\"statement\":%lld,\"vote\":\"pass\"}",
                       sql_int("SELECT MIN(id) FROM consult_statements"));
    ck_assert_int_gt(rec * 10000000, before);
    int64_t seen = 0;
    for (int i = 0; i < 6000 && seen != rec * 10000000; i++) {
        seen = last_vote(cid);
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    ck_assert_int_eq(seen, rec * 10000000);
}
END_TEST

START_TEST(verify_finds_changed_rows)
{
    consultation();
    int64_t iid = import();
    struct problems pr;
    ck_assert_msg(verify(&pr) == 0, "%s", pr.last);
    /* A party's vote changed: the rebuild writes it back, so the check sees a difference. */
    sql("UPDATE consult_votes SET vote = -1 WHERE party = 'ERI'");
    ck_assert_int_eq(verify(&pr), 1);
    ck_assert_ptr_nonnull(strstr(pr.last, "differ from their rebuild"));
    rebuild();
    ck_assert_msg(verify(&pr) == 0, "%s", pr.last);
    /* The platform's moderation of an imported statement undone behind its back. */
    char q[160];
    snprintf(q, sizeof q,
             "UPDATE consult_statements SET moderated = 0, reason = '' WHERE id = %lld",
             (long long)(CONSULT_IMPORT_STMT + 2));
    sql(q);
    ck_assert_int_eq(verify(&pr), 1);
    rebuild();
    ck_assert_msg(verify(&pr) == 0, "%s", pr.last);
    /* An agreement's bytes changed. */
    sql("UPDATE agreement_docs SET body = body || 'x'");
    ck_assert_int_eq(verify(&pr), 1);
    rebuild();
    /* An imported vote deleted: its record says there were 4; the check names it. */
    snprintf(q, sizeof q, "DELETE FROM consult_votes WHERE id = %lld",
             (long long)(iid * 10000000 + 1));
    sql(q);
    ck_assert_int_eq(verify(&pr), 1);
    ck_assert_ptr_nonnull(strstr(pr.last, "consultation.import"));
    ck_assert_ptr_nonnull(strstr(pr.last, "3 votes kept"));
}
END_TEST

Suite *make_suite(void)
{
    const TTest *tests[] = { rebuild_gives_every_row_back, verify_finds_changed_rows };
    return test_suite_fixture("consult_rebuild", 120, setup, teardown, tests,
                              sizeof tests / sizeof tests[0]);
}
