/* test_coop_reruns.c — cooperation's allocation re-runs shared among acts that commit together
 * (platform_coop_reallocate, docs/internals/cooperation.md "One re-run for acts that commit
 * together"), on SQLite.
 *
 * Eight parties each make a request at once and then ask for the re-run, as the HTTP handler
 * does after its act committed. The contract checked for every one of them: when the re-run
 * returns, the allocation record it answers with is journalled after the party's own act and
 * reflects it (its as_of is at least that act's record id); and the last allocation record
 * reflects every act (its as_of is the last act's record id, the highest of the receipts).
 * A lost wake-up would leave a thread waiting: the test would time out. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_platform.h"
#include "harness.h"
#include "platform/platform.h"
#include "platform/platform_coop.h"
#include "platform/proc.h"

enum { PARTIES = 8, ROUNDS = 3 };

static struct fixture_platform fx;
static struct platform *p;
static struct platform_delegate del[PARTIES];
static const char *const codes[PARTIES] = { "BRA", "KEN", "SEN", "IND", "MEX", "NOR", "PER", "GHA" };

static void setup(void)
{
    p = fixture_platform_open(&fx, "coop-reruns", NULL);
    for (size_t i = 0; i < PARTIES; i++) {
        fixture_platform_delegate_add(p, &del[i], NULL, codes[i], PLATFORM_ROLE_DELEGATE);
    }
}

static void teardown(void)
{
    fixture_platform_remove(&fx, p);
    p = NULL;
}

struct party_run {
    pthread_t t;
    const struct platform_delegate *d;
    int64_t act[ROUNDS];   /* the request's record id */
    int64_t alloc[ROUNDS]; /* the allocation record the re-run answered with */
    int rc;
    struct gsi_err err;
};

static void *party_main(void *arg)
{
    struct party_run *r = arg;
    const char *body = "{\"domain\":\"wmd-arms-control\",\"title\":\"Training\",\"places\":1,"
                       "\"languages\":[\"en\"]}";
    for (int k = 0; r->rc == 0 && k < ROUNDS; k++) {
        struct platform_proc_receipt pr;
        r->rc = platform_proc_act(p, &pr, r->d, &platform_proc_coop_request, "cooperation.request",
                                  0, body, strlen(body), &r->err);
        if (r->rc == 0) {
            r->act[k] = pr.case_id;
            struct platform_receipt ar;
            r->rc = platform_coop_reallocate(p, &ar, r->d, r->d->party, &r->err);
            r->alloc[k] = ar.record_id;
        }
    }
    return NULL;
}

static int64_t as_of(int64_t record)
{
    char q[128];
    snprintf(q, sizeof q,
             "SELECT json_extract(payload, '$.as_of') FROM records WHERE id = %lld AND"
             " type = 'cooperation.allocation'",
             (long long)record);
    return fixture_platform_sql_int(&fx, q);
}

START_TEST(acts_at_once_each_reflected)
{
    struct party_run runs[PARTIES];
    memset(runs, 0, sizeof runs);
    for (size_t i = 0; i < PARTIES; i++) {
        runs[i].d = &del[i];
        ck_assert_int_eq(pthread_create(&runs[i].t, NULL, party_main, &runs[i]), 0);
    }
    int64_t last_act = 0;
    for (size_t i = 0; i < PARTIES; i++) {
        pthread_join(runs[i].t, NULL);
        ck_assert_msg(runs[i].rc == 0, "%s: %s", codes[i], runs[i].err.msg);
        for (int k = 0; k < ROUNDS; k++) {
            /* Journalled after the act, and reflecting it. */
            ck_assert_int_gt(runs[i].alloc[k], runs[i].act[k]);
            ck_assert_int_ge(as_of(runs[i].alloc[k]), runs[i].act[k]);
            last_act = runs[i].act[k] > last_act ? runs[i].act[k] : last_act;
        }
    }
    /* The last allocation record reflects every act: its as_of is the last request's id. */
    int64_t last_alloc = fixture_platform_sql_int(
        &fx, "SELECT MAX(id) FROM records WHERE type = 'cooperation.allocation'");
    ck_assert_int_eq(as_of(last_alloc), last_act);
    /* No act after the last allocation: every request came before it. */
    ck_assert_int_gt(last_alloc, last_act);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("coop_reruns");
    TCase *tc = tcase_create("coop_reruns");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, acts_at_once_each_reflected);
    suite_add_tcase(s, tc);
    return s;
}
