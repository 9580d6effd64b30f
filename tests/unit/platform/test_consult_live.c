/* test_consult_live.c — a real Polis conversation (brexit-consensus) imported into a
 * consultation on SQLite; its live consensus view against the engine run directly on the same
 * files and against counts taken with wc/awk (written beside each check); then votes and a
 * moderation arriving while the view is followed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "consensus/consensus.h"
#include "fixture_platform.h"
#include "harness.h"
#include "platform/consult_import.h"
#include "platform/consult_live.h"
#include "platform/platform.h"
#include "store/store.h"

static struct fixture_platform fx;
static struct platform *p;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return b;
}

static int load_apply(void *ctx, struct store *s, int64_t record_id, uint64_t index,
                      int64_t time_us, struct gsi_err *err)
{
    (void)index;
    (void)time_us;
    return platform_consult_polis_insert(s, record_id, record_id, ctx, err);
}

/* Extra rows for the live part: votes of voter `voter` on `n` statements, or a moderation. */
struct extra {
    int64_t consultation, voter, stmt0;
    int n;
    int64_t moderate; /* statement to moderate out, 0: none */
};

static int extra_apply(void *ctx, struct store *s, int64_t record_id, uint64_t index,
                       int64_t time_us, struct gsi_err *err)
{
    (void)index;
    (void)time_us;
    const struct extra *x = ctx;
    int rc = 0;
    for (int i = 0; rc == 0 && i < x->n; i++) {
        struct store_val v[] = { STORE_INT(x->consultation), STORE_INT(record_id),
                                 STORE_INT(x->voter),        STORE_TEXT("ETH"),
                                 STORE_INT(x->stmt0 + i),    STORE_INT(1) };
        rc = store_exec(s,
                        "INSERT INTO consult_votes (consultation, record, voter, party,"
                        " statement, vote) VALUES (?, ?, ?, ?, ?, ?)",
                        v, 6, err);
    }
    if (rc == 0 && x->moderate != 0) {
        struct store_val v[] = { STORE_INT(x->moderate) };
        rc = store_exec(s, "UPDATE consult_statements SET moderated = 1 WHERE id = ?", v, 1, err);
    }
    return rc;
}

static json_t *view(int64_t consultation)
{
    char *js = NULL;
    size_t len = 0;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_msg(platform_consult_live_view(p, consultation, &js, &len, &err) == 0, "%s", err.msg);
    json_error_t je;
    json_t *v = json_loadb(js, len, 0, &je);
    ck_assert_msg(v != NULL, "view is not JSON: %s", je.text);
    free(js);
    return v;
}

/* Polls the view until its last_vote passes `after` (the thread runs every 50 ms; the loop
 * is bounded, and nothing here asserts how long it took). */
static json_t *view_after(int64_t consultation, int64_t after, bool (*ok)(json_t *))
{
    for (int i = 0; i < 6000; i++) {
        json_t *v = view(consultation);
        if (json_integer_value(json_object_get(v, "last_vote")) > after && (ok == NULL || ok(v))) {
            return v;
        }
        json_decref(v);
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    ck_abort_msg("the view never reflected the new votes");
    return NULL;
}

static bool stmt1_moderated(json_t *v)
{
    json_t *st = json_object_get(v, "statements"), *s;
    size_t i;
    json_array_foreach(st, i, s)
    {
        if (json_integer_value(json_object_get(s, "statement")) == CONSULT_IMPORT_STMT + 1) {
            return json_is_true(json_object_get(s, "moderated"));
        }
    }
    return false;
}

START_TEST(brexit_view_matches_engine_and_follows_votes)
{
    p = fixture_platform_open(&fx, "live-unit", NULL);
    struct gsi_err err = GSI_ERR_INIT;

    const char *cpath = test_path("deliberation/brexit-consensus/comments.csv");
    const char *vpath = test_path("deliberation/brexit-consensus/votes.csv");
    size_t clen, vlen;
    char *comments = slurp(cpath, &clen), *votes = slurp(vpath, &vlen);
    struct consult_polis x;
    ck_assert_msg(
        platform_consult_polis_parse(&x, comments, clen, cpath, votes, vlen, vpath, &err) == 0,
        "%s", err.msg);
    /* wc -l votes.csv = 5313 (a header and 5312 votes); awk -F, 'NR>1{print $4}' | sort -u |
     * wc -l = 204 voters; comments.csv holds 50 statements (csvkit: csvstat --count). */
    ck_assert_uint_eq(x.nvotes, 5312);
    ck_assert_uint_eq(x.voters, 204);
    ck_assert_uint_eq(x.nstmt, 50);
    struct platform_act act = { .type = "consultation.import",
                                .party = "GBR",
                                .payload = "{}",
                                .payload_len = 2,
                                .apply = load_apply,
                                .apply_ctx = &x };
    struct platform_receipt r;
    ck_assert_msg(platform_act_record(p, &r, NULL, &act, &err) == 0, "%s", err.msg);
    platform_consult_polis_release(&x);
    int64_t cid = r.record_id;

    /* The engine run directly on the files: the peer of the view's first computation. */
    struct consensus_opts co;
    consensus_opts_default(&co);
    struct consensus *c = consensus_new(&co);
    ck_assert_int_eq(consensus_read_comments_mem(c, comments, clen, &err), 0);
    ck_assert_int_eq(consensus_read_votes_mem(c, votes, vlen, &err), 0);
    ck_assert_int_eq(consensus_compute(c, &err), 0);

    json_t *v = view(cid);
    ck_assert_int_eq(json_integer_value(json_object_get(v, "votes")), 5312);
    ck_assert_uint_eq(json_array_size(json_object_get(v, "participants")), c->np);
    ck_assert_uint_eq(json_array_size(json_object_get(v, "groups")), (size_t)c->ngroups);
    ck_assert_int_ge(c->ngroups, 2);
    /* Same common ground, in the same order: the statement of highest gic first. */
    size_t best = 0;
    for (size_t j = 1; j < c->ns; j++) {
        best = !c->stmt[j].moderated_out && c->stmt[j].gic > c->stmt[best].gic ? j : best;
    }
    json_t *cg = json_object_get(v, "common_ground");
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(cg, 0), "statement")),
                     CONSULT_IMPORT_STMT + c->stmt[best].id);
    /* Every participant is public: no party has spoken. */
    ck_assert_uint_eq(json_array_size(json_object_get(v, "parties")), 0);
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_object_get(v, "public"), "participants")), 204);
    int64_t last = json_integer_value(json_object_get(v, "last_vote"));
    json_decref(v);

    /* A party's delegate votes on 5 statements: shown apart, under `parties`. */
    struct extra ex = { .consultation = cid, .voter = 7, .stmt0 = CONSULT_IMPORT_STMT + 0, .n = 5 };
    struct platform_act a2 = {
        .type = "consultation.vote", .party = "ETH", .apply = extra_apply, .apply_ctx = &ex
    };
    ck_assert_msg(platform_act_record(p, &r, NULL, &a2, &err) == 0, "%s", err.msg);
    v = view_after(cid, last, NULL);
    ck_assert_int_eq(json_integer_value(json_object_get(v, "votes")), 5317);
    ck_assert_uint_eq(json_array_size(json_object_get(v, "participants")), c->np + 1);
    json_t *parties = json_object_get(v, "parties");
    ck_assert_uint_eq(json_array_size(parties), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(parties, 0), "party")),
                     "ETH");
    ck_assert_uint_eq(json_array_size(json_object_get(json_array_get(parties, 0), "positions")), 5);
    last = json_integer_value(json_object_get(v, "last_vote"));
    json_decref(v);

    /* A moderation (with one more vote to move the cursor): statement 1 leaves the count. */
    struct extra ex2 = { .consultation = cid,
                         .voter = 7,
                         .stmt0 = CONSULT_IMPORT_STMT + 5,
                         .n = 1,
                         .moderate = CONSULT_IMPORT_STMT + 1 };
    a2.apply_ctx = &ex2;
    ck_assert_msg(platform_act_record(p, &r, NULL, &a2, &err) == 0, "%s", err.msg);
    v = view_after(cid, last, stmt1_moderated);
    cg = json_object_get(v, "common_ground");
    for (size_t i = 0; i < json_array_size(cg); i++) {
        ck_assert_int_ne(json_integer_value(json_object_get(json_array_get(cg, i), "statement")),
                         CONSULT_IMPORT_STMT + 1);
    }
    json_decref(v);

    consensus_free(c);
    free(comments);
    free(votes);
    platform_consult_live_shutdown(p);
    fixture_platform_remove(&fx, p);
}
END_TEST

START_TEST(import_refuses_bad_files)
{
    struct consult_polis x;
    struct gsi_err err = GSI_ERR_INIT;
    static const char comments[] = "comment-id,moderated,comment-body\n0,1,\"a\"\n1,-1,\"b\"\n";
    static const char v_unknown[] = "timestamp,comment-id,voter-id,vote\n1,0,0,1\n2,9,0,1\n";
    ck_assert_int_eq(platform_consult_polis_parse(&x, comments, strlen(comments), "c.csv",
                                                  v_unknown, strlen(v_unknown), "v.csv", &err),
                     GSI_EDATA);
    ck_assert_int_eq(err.line, 3);
    static const char v_bad[] = "timestamp,comment-id,voter-id,vote\n1,0,0,2\n";
    ck_assert_int_eq(platform_consult_polis_parse(&x, comments, strlen(comments), "c.csv", v_bad,
                                                  strlen(v_bad), "v.csv", &err),
                     GSI_EDATA);
    static const char v_nohdr[] = "a,b\n1,2\n";
    ck_assert_int_eq(platform_consult_polis_parse(&x, comments, strlen(comments), "c.csv", v_nohdr,
                                                  strlen(v_nohdr), "v.csv", &err),
                     GSI_EDATA);
    /* Equal timestamps keep file order: voter 0's second vote on statement 0 is the last. */
    static const char v_ok[] = "timestamp,comment-id,voter-id,vote\n5,0,0,1\n5,0,0,-1\n1,1,3,0\n";
    ck_assert_int_eq(platform_consult_polis_parse(&x, comments, strlen(comments), "c.csv", v_ok,
                                                  strlen(v_ok), "v.csv", &err),
                     0);
    ck_assert_uint_eq(x.nvotes, 3);
    ck_assert_uint_eq(x.voters, 2);
    ck_assert_int_eq(x.votes[0].voter, CONSULT_VOTER_PUBLIC + 3);
    ck_assert_int_eq(x.votes[2].vote, -1);
    ck_assert(x.stmt[1].moderated);
    platform_consult_polis_release(&x);
}
END_TEST

Suite *make_suite(void)
{
    const TTest *tests[] = { brexit_view_matches_engine_and_follows_votes,
                             import_refuses_bad_files };
    return test_suite("consult_live", 300, tests, sizeof tests / sizeof tests[0]);
}
