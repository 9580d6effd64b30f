/* test_consult_batch.c — acts on one consultation carried by one group commit, on SQLite.
 *
 * The write path runs every request queued while a batch runs in the next batch, in queue
 * order. Holding the leader inside a batch (an act whose apply callback waits) makes the next
 * batch's contents and order certain: the requests are queued one by one, each once the one
 * before is seen in the queue. So these tests reproduce, without timing, what concurrent
 * requests meet:
 *
 *   - a public vote whose statement was moderated out by an act committed in the same batch,
 *     just before it (the vote's check before the write saw the statement still accepted):
 *     refused with 409, nothing of it written;
 *   - a public vote after the consultation was closed in the same batch: 409;
 *   - a batch mixing accepted and refused acts on one consultation: what each act sees is
 *     what the acts before it in the batch left, and the rebuild gives back every row.
 *
 * Expected outcomes follow from the rules in docs/internals/consultations.md, written beside
 * each check. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "fixture_platform.h"
#include "harness.h"
#include "platform/consult.h"
#include "platform/internal.h"
#include "platform/platform.h"
#include "platform/proc.h"
#include "store/store.h"

static struct fixture_platform fx;
static struct platform *p;
static struct platform_delegate eth, eri;

static int64_t sql_int(const char *q)
{
    return fixture_platform_sql_int(&fx, q);
}

static void setup(void)
{
    p = fixture_platform_open(&fx, "consult-batch", NULL);
    fixture_platform_delegate_add(p, &eth, NULL, "ETH", PLATFORM_ROLE_DELEGATE);
    fixture_platform_delegate_add(p, &eri, NULL, "ERI", PLATFORM_ROLE_DELEGATE);
}

static void teardown(void)
{
    fixture_platform_remove(&fx, p);
    p = NULL;
}

static int64_t cact(const struct platform_delegate *who, const char *type, int64_t id,
                    const char *payload)
{
    struct platform_proc_receipt r;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_msg(platform_proc_act(p, &r, who, &platform_proc_consultation, type, id, payload,
                                    strlen(payload), &err) == 0,
                  "%s: %s", type, err.msg);
    return id == 0 ? r.case_id : r.act.record_id;
}

/* An open consultation of ETH with ERI, active (ERI consented). */
static int64_t consultation(void)
{
    int64_t cid = cact(&eth, "consultation.propose", 0,
                       "{\"parties\":[\"ERI\"],\"means\":\"mediation\",\"domain\":\"africa\","
                       "\"question\":\"How?\",\"open\":true,\"rule\":\"consensus\"}");
    cact(&eri, "consultation.consent", cid, "{}");
    return cid;
}

static int64_t statement(int64_t cid, const char *text)
{
    char body[128];
    snprintf(body, sizeof body, "{\"text\":\"%s\"}", text);
    return cact(&eth, "consultation.statement", cid, body);
}

static void public_register(int64_t cid, char token[CONSULT_PUBLIC_TOKEN_MAX])
{
    int64_t part = 0;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_msg(
        platform_consult_public_register(p, token, &part, cid, "Ana", "192.0.2.1", 1000, &err) == 0,
        "%s", err.msg);
}

/* --- holding a batch open --- */

static pthread_mutex_t hold_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hold_cv = PTHREAD_COND_INITIALIZER;
static bool hold_entered, hold_go;

static int hold_apply(void *ctx, struct store *b, int64_t record_id, uint64_t journal_index,
                      int64_t time_us, struct gsi_err *err)
{
    (void)ctx, (void)b, (void)record_id, (void)journal_index, (void)time_us, (void)err;
    pthread_mutex_lock(&hold_mu);
    hold_entered = true;
    pthread_cond_broadcast(&hold_cv);
    while (!hold_go) {
        pthread_cond_wait(&hold_cv, &hold_mu);
    }
    pthread_mutex_unlock(&hold_mu);
    return 0;
}

static void *hold_run(void *arg)
{
    (void)arg;
    struct platform_act a = { .type = "note", .party = "ETH", .apply = hold_apply };
    struct platform_receipt r;
    struct gsi_err err = GSI_ERR_INIT;
    int rc = platform_act_record(p, &r, NULL, &a, &err);
    return (void *)(intptr_t)rc;
}

/* Requests waiting for the next batch. */
static unsigned queued(void)
{
    unsigned n = 0;
    pthread_mutex_lock(&p->wmu);
    for (struct pw_req *r = p->qhead; r != NULL; r = r->next) {
        n++;
    }
    pthread_mutex_unlock(&p->wmu);
    return n;
}

/* One request queued behind the held batch: the act runs in its own thread. */
struct req {
    pthread_t t;
    int64_t cid;
    const struct platform_delegate *who; /* NULL: the public participant with `token` */
    const char *type;                    /* act type, or the public verb */
    char body[256];
    char token[CONSULT_PUBLIC_TOKEN_MAX];
    int rc;
    struct gsi_err err;
    int64_t record;
};

static void *req_run(void *arg)
{
    struct req *q = arg;
    struct platform_proc_receipt r;
    memset(&r, 0, sizeof r);
    q->err = (struct gsi_err)GSI_ERR_INIT;
    if (q->who == NULL) {
        q->rc = platform_consult_public_act(p, &r, q->cid, q->token, q->type, q->body,
                                            strlen(q->body), &q->err);
    } else {
        q->rc = platform_proc_act(p, &r, q->who, &platform_proc_consultation, q->type, q->cid,
                                  q->body, strlen(q->body), &q->err);
    }
    q->record = r.act.record_id;
    return NULL;
}

/* Runs reqs[0..n) as one batch, in this order: holds the write path, queues each request once
 * the one before it is in the queue, then lets the held batch commit. */
static void one_batch(struct req *reqs, size_t n)
{
    hold_entered = hold_go = false;
    pthread_t h;
    ck_assert_int_eq(pthread_create(&h, NULL, hold_run, NULL), 0);
    pthread_mutex_lock(&hold_mu);
    while (!hold_entered) {
        pthread_cond_wait(&hold_cv, &hold_mu);
    }
    pthread_mutex_unlock(&hold_mu);
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(pthread_create(&reqs[i].t, NULL, req_run, &reqs[i]), 0);
        while (queued() < i + 1) {
            struct timespec ts = { 0, 1000000 };
            nanosleep(&ts, NULL); /* waiting for a state, not for a time */
        }
    }
    pthread_mutex_lock(&hold_mu);
    hold_go = true;
    pthread_cond_broadcast(&hold_cv);
    pthread_mutex_unlock(&hold_mu);
    void *hrc = NULL;
    pthread_join(h, &hrc);
    ck_assert_int_eq((int)(intptr_t)hrc, 0);
    for (size_t i = 0; i < n; i++) {
        pthread_join(reqs[i].t, NULL);
    }
}

static void req_party(struct req *q, const struct platform_delegate *who, const char *type,
                      int64_t cid, const char *fmt, int64_t arg)
{
    memset(q, 0, sizeof *q);
    q->who = who, q->type = type, q->cid = cid;
    snprintf(q->body, sizeof q->body, fmt, (long long)arg);
}

static void req_vote(struct req *q, const char *token, int64_t cid, int64_t stmt, const char *vote)
{
    memset(q, 0, sizeof *q);
    q->type = "vote", q->cid = cid;
    snprintf(q->token, sizeof q->token, "%s", token);
    snprintf(q->body, sizeof q->body, "{\"statement\":%lld,\"vote\":\"%s\"}", (long long)stmt,
             vote);
}

static int64_t public_votes(int64_t stmt)
{
    char q[160];
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM consult_votes WHERE statement = %lld AND party = ''",
             (long long)stmt);
    return sql_int(q);
}

/* An active consultation with one statement and one registered member of the public. */
struct scene {
    int64_t cid, stmt;
    char token[CONSULT_PUBLIC_TOKEN_MAX];
};

static void scene_set(struct scene *sc)
{
    sc->cid = consultation();
    sc->stmt = statement(sc->cid, "Withdraw 5 km.");
    public_register(sc->cid, sc->token);
}

static void verify_clean(void)
{
    struct platform_verify_report rep;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_msg(platform_journal_verify(p, &rep, NULL, NULL, &err) == 0, "%s", err.msg);
}

/* The moderation race: moderated out, then voted on, in one batch. The vote's check before
 * the write ran while the moderation was queued, uncommitted, so only a check inside the
 * transaction can refuse it (consultations.md: "vote … 409 on a moderated-out statement"). */
START_TEST(moderation_then_vote_in_one_batch)
{
    struct scene sc;
    scene_set(&sc);
    int64_t cid = sc.cid, s = sc.stmt;
    uint64_t before = fixture_platform_journal_size(p);
    struct req q[2];
    req_party(&q[0], &eth, "consultation.moderate", cid,
              "{\"statement\":%lld,\"reason\":\"off topic\"}", s);
    req_vote(&q[1], sc.token, cid, s, "agree");
    one_batch(q, 2);
    ck_assert_msg(q[0].rc == 0, "moderate: %s", q[0].err.msg);
    ck_assert_int_eq(q[1].rc, GSI_ECONFLICT);
    ck_assert_ptr_nonnull(strstr(q[1].err.msg, "moderated out"));
    ck_assert_int_eq(public_votes(s), 0);
    /* The journal grew by the held note and the moderation: 2 entries, no vote. */
    ck_assert_uint_eq(fixture_platform_journal_size(p), before + 2);
    verify_clean();
}
END_TEST

/* The other order: voted on, then moderated out, in one batch: both stand (the engine leaves
 * the statement out of the computation, the vote row is kept). */
START_TEST(vote_then_moderation_in_one_batch)
{
    struct scene sc;
    scene_set(&sc);
    int64_t cid = sc.cid, s = sc.stmt;
    struct req q[2];
    req_vote(&q[0], sc.token, cid, s, "agree");
    req_party(&q[1], &eth, "consultation.moderate", cid,
              "{\"statement\":%lld,\"reason\":\"off topic\"}", s);
    one_batch(q, 2);
    ck_assert_msg(q[0].rc == 0, "vote: %s", q[0].err.msg);
    ck_assert_msg(q[1].rc == 0, "moderate: %s", q[1].err.msg);
    ck_assert_int_eq(public_votes(s), 1);
    verify_clean();
}
END_TEST

/* Closed, then voted on, in one batch: "vote … active" (409 once closed). */
START_TEST(close_then_vote_in_one_batch)
{
    struct scene sc;
    scene_set(&sc);
    int64_t cid = sc.cid, s = sc.stmt;
    struct req q[2];
    req_party(&q[0], &eth, "consultation.close", cid, "{}", 0);
    req_vote(&q[1], sc.token, cid, s, "agree");
    one_batch(q, 2);
    ck_assert_msg(q[0].rc == 0, "close: %s", q[0].err.msg);
    ck_assert_int_eq(q[1].rc, GSI_ECONFLICT);
    ck_assert_ptr_nonnull(strstr(q[1].err.msg, "closed"));
    ck_assert_int_eq(public_votes(s), 0);
    verify_clean();
}
END_TEST

/* Seven acts on one consultation in one batch, accepted and refused mixed: each sees what
 * the accepted ones before it left, a refused one leaves nothing, and the rebuild agrees. */
START_TEST(mixed_batch)
{
    int64_t cid = consultation();
    int64_t s1 = statement(cid, "Withdraw 5 km.");
    int64_t s2 = statement(cid, "Open the border.");
    char a[CONSULT_PUBLIC_TOKEN_MAX], b[CONSULT_PUBLIC_TOKEN_MAX];
    public_register(cid, a);
    public_register(cid, b);
    struct req q[7];
    req_vote(&q[0], a, cid, s1, "agree");                    /* ok */
    req_party(&q[1], &eri, "consultation.moderate", cid,     /* 403: ERI is */
              "{\"statement\":%lld,\"reason\":\"no\"}", s1); /* not convenor */
    req_vote(&q[2], b, cid, s1, "disagree");                 /* ok */
    req_party(&q[3], &eth, "consultation.moderate", cid,     /* ok */
              "{\"statement\":%lld,\"reason\":\"off topic\"}", s1);
    req_vote(&q[4], b, cid, s1, "agree");                /* 409 */
    req_party(&q[5], &eth, "consultation.moderate", cid, /* 409 twice */
              "{\"statement\":%lld,\"reason\":\"again\"}", s1);
    req_vote(&q[6], a, cid, s2, "pass"); /* ok */
    one_batch(q, 7);
    const int want[] = { 0, GSI_EFORBIDDEN, 0, 0, GSI_ECONFLICT, GSI_ECONFLICT, 0 };
    for (size_t i = 0; i < 7; i++) {
        ck_assert_msg(q[i].rc == want[i], "request %zu: %d, expected %d (%s)", i, q[i].rc, want[i],
                      q[i].err.msg);
    }
    /* Two public votes on s1 (requests 0 and 2), one on s2 (request 6). */
    ck_assert_int_eq(public_votes(s1), 2);
    ck_assert_int_eq(public_votes(s2), 1);
    /* Record ids follow the accepted acts without gaps: 0, 2, 3, 6 are consecutive. */
    ck_assert_int_eq(q[2].record, q[0].record + 1);
    ck_assert_int_eq(q[3].record, q[0].record + 2);
    ck_assert_int_eq(q[6].record, q[0].record + 3);
    verify_clean();
}
END_TEST

static int public_act(const char *token, int64_t cid, const char *verb, const char *body,
                      struct gsi_err *err)
{
    struct platform_proc_receipt r;
    *err = (struct gsi_err)GSI_ERR_INIT;
    return platform_consult_public_act(p, &r, cid, token, verb, body, strlen(body), err);
}

/* A public act's checks before the write, one read for all of them, in the order
 * consultations.md gives: the token (401, 403), the payload (422), the statement (404, 409). */
START_TEST(public_checks_before_the_write)
{
    struct scene sc, other;
    scene_set(&sc);
    scene_set(&other);
    char body[128];
    struct gsi_err err;
    snprintf(body, sizeof body, "{\"statement\":%lld,\"vote\":\"agree\"}", (long long)sc.stmt);
    ck_assert_int_eq(public_act("gsip_unknown", sc.cid, "vote", body, &err), GSI_EAUTH);
    ck_assert_int_eq(public_act(other.token, sc.cid, "vote", body, &err), GSI_EFORBIDDEN);
    ck_assert_ptr_nonnull(strstr(err.msg, "belongs to consultation"));
    /* An unknown token is 401 even with a body that is not JSON. */
    ck_assert_int_eq(public_act("gsip_unknown", sc.cid, "vote", "[", &err), GSI_EAUTH);
    ck_assert_int_eq(public_act(sc.token, sc.cid, "vote", "[", &err), GSI_EDATA);
    ck_assert_int_eq(public_act(sc.token, sc.cid, "vote", "{\"statement\":\"x\"}", &err),
                     GSI_EDATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "/statement"));
    /* The other consultation's statement, and one that does not exist. */
    snprintf(body, sizeof body, "{\"statement\":%lld,\"vote\":\"agree\"}", (long long)other.stmt);
    ck_assert_int_eq(public_act(sc.token, sc.cid, "vote", body, &err), GSI_ENOTFOUND);
    ck_assert_int_eq(
        public_act(sc.token, sc.cid, "vote", "{\"statement\":999999,\"vote\":\"pass\"}", &err),
        GSI_ENOTFOUND);
    /* A statement by the public needs no statement id. */
    ck_assert_int_eq(public_act(sc.token, sc.cid, "statement", "{\"text\":\"Talk.\"}", &err), 0);
    /* Moderated out before: refused before the write, 409. */
    char mod[128];
    snprintf(mod, sizeof mod, "{\"statement\":%lld,\"reason\":\"off topic\"}", (long long)sc.stmt);
    cact(&eth, "consultation.moderate", sc.cid, mod);
    snprintf(body, sizeof body, "{\"statement\":%lld,\"vote\":\"agree\"}", (long long)sc.stmt);
    ck_assert_int_eq(public_act(sc.token, sc.cid, "vote", body, &err), GSI_ECONFLICT);
    /* Nothing of the refused votes was written: no public vote at all. */
    ck_assert_int_eq(public_votes(sc.stmt), 0);
    ck_assert_int_eq(public_votes(other.stmt), 0);
    verify_clean();
}
END_TEST

/* Past the batch's case cache (64 cases, procedures.md): 65 consultations voted on in one
 * batch, so the 65th is read each time and keeps no moderated-out statements; then in the same
 * batch a statement of the 65th and one of the first are moderated out and voted on again.
 * Both votes are refused, 409 (consultations.md: "vote … 409 on a moderated-out statement"),
 * cached case or not, and the rebuild agrees. */
START_TEST(past_the_case_cache)
{
    enum { N = 65 };
    static struct scene sc[N];
    platform_consult_public_rate(1000);
    for (size_t i = 0; i < N; i++) {
        sc[i].cid = consultation();
        sc[i].stmt = statement(sc[i].cid, "Withdraw 5 km.");
        char addr[32];
        snprintf(addr, sizeof addr, "192.0.2.%zu", i + 1);
        int64_t part = 0;
        struct gsi_err err = GSI_ERR_INIT;
        ck_assert_msg(platform_consult_public_register(p, sc[i].token, &part, sc[i].cid, "Ana",
                                                       addr, 1000, &err) == 0,
                      "%s", err.msg);
    }
    static struct req q[N + 4];
    for (size_t i = 0; i < N; i++) {
        req_vote(&q[i], sc[i].token, sc[i].cid, sc[i].stmt, "agree");
    }
    req_party(&q[N], &eth, "consultation.moderate", sc[N - 1].cid,
              "{\"statement\":%lld,\"reason\":\"off topic\"}", sc[N - 1].stmt);
    req_vote(&q[N + 1], sc[N - 1].token, sc[N - 1].cid, sc[N - 1].stmt, "disagree");
    req_party(&q[N + 2], &eth, "consultation.moderate", sc[0].cid,
              "{\"statement\":%lld,\"reason\":\"off topic\"}", sc[0].stmt);
    req_vote(&q[N + 3], sc[0].token, sc[0].cid, sc[0].stmt, "disagree");
    one_batch(q, N + 4);
    for (size_t i = 0; i < N + 3; i++) {
        if (i == N + 1) {
            continue;
        }
        ck_assert_msg(q[i].rc == 0, "request %zu: %s", i, q[i].err.msg);
    }
    ck_assert_int_eq(q[N + 1].rc, GSI_ECONFLICT);
    ck_assert_ptr_nonnull(strstr(q[N + 1].err.msg, "moderated out"));
    ck_assert_int_eq(q[N + 3].rc, GSI_ECONFLICT);
    ck_assert_ptr_nonnull(strstr(q[N + 3].err.msg, "moderated out"));
    ck_assert_int_eq(public_votes(sc[N - 1].stmt), 1);
    ck_assert_int_eq(public_votes(sc[0].stmt), 1);
    verify_clean();
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("consult_batch");
    TCase *tc = tcase_create("consult_batch");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, moderation_then_vote_in_one_batch);
    tcase_add_test(tc, vote_then_moderation_in_one_batch);
    tcase_add_test(tc, close_then_vote_in_one_batch);
    tcase_add_test(tc, mixed_batch);
    tcase_add_test(tc, public_checks_before_the_write);
    tcase_add_test(tc, past_the_case_cache);
    suite_add_tcase(s, tc);
    return s;
}
