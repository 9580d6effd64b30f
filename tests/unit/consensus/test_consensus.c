/* Unit tests of the consensus engine: readers and their errors, vote counts against Polis's own
 * comments.csv, the statistics against hand calculations, the adjusted Rand index against
 * scikit-learn, determinism across thread counts, incremental updates, planted groups. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../../bench/consensus/synth.h"
#include "consensus/consensus.h"
#include "core/csv.h"
#include "core/rng.h"
#include "core/text.h"
#include "harness.h"

static const char *const with_votes[] = {
    "15-per-hour-seattle",
    "bg2050-volunteers",
    "brexit-consensus",
    "canadian-electoral-reform",
    "football-concussions",
    "london.youth.policing",
    "scoop-hivemind.affordable-housing",
    "scoop-hivemind.freshwater",
    "scoop-hivemind.taxes",
    "scoop-hivemind.ubi",
    "ssis.land-bank-farmland.2rumnecbeh.2021-08-01",
};

static int col_of(const struct gsi_csv *cs, const char *name)
{
    for (size_t i = 0; i < cs->nfields; i++) {
        if (gsi_slice_eq(cs->field[i], cs->flen[i], name)) {
            return (int)i;
        }
    }
    return -1;
}

/* Polis's comments.csv carries each statement's agrees and disagrees; every vote row of
 * votes.csv counts (a changed vote counts twice), and GSI's ev_* counts must equal them. */
START_TEST(counts_match_comments_csv)
{
    for (size_t k = 0; k < sizeof with_votes / sizeof with_votes[0]; k++) {
        char path[512];
        struct gsi_err err = GSI_ERR_INIT;
        struct consensus *c = consensus_new(NULL);
        snprintf(path, sizeof path, "deliberation/%s/comments.csv", with_votes[k]);
        ck_assert_int_eq(consensus_read_comments(c, test_path(path), &err), 0);
        snprintf(path, sizeof path, "deliberation/%s/votes.csv", with_votes[k]);
        ck_assert_msg(consensus_read_votes(c, test_path(path), &err) == 0, "%s", err.msg);
        snprintf(path, sizeof path, "deliberation/%s/comments.csv", with_votes[k]);
        struct gsi_csv cs;
        ck_assert_int_eq(gsi_csv_open(&cs, test_path(path), ',', true, &err), 0);
        ck_assert_int_eq(gsi_csv_next(&cs, &err), 1);
        int cid = col_of(&cs, "comment-id"), ca = col_of(&cs, "agrees"),
            cd = col_of(&cs, "disagrees");
        ck_assert(cid >= 0 && ca >= 0 && cd >= 0);
        size_t rows = 0;
        while (gsi_csv_next(&cs, &err) == 1) {
            int64_t id, a, d;
            ck_assert_int_eq(gsi_parse_i64(&id, cs.field[cid], cs.flen[cid]), 0);
            ck_assert_int_eq(gsi_parse_i64(&a, cs.field[ca], cs.flen[ca]), 0);
            ck_assert_int_eq(gsi_parse_i64(&d, cs.field[cd], cs.flen[cd]), 0);
            long j = consensus_statement_index(c, id);
            ck_assert_int_ge(j, 0);
            ck_assert_msg((int64_t)c->stmt[j].ev_agree == a && (int64_t)c->stmt[j].ev_disagree == d,
                          "%s comment %lld: %llu/%llu vs %lld/%lld", with_votes[k], (long long)id,
                          (unsigned long long)c->stmt[j].ev_agree,
                          (unsigned long long)c->stmt[j].ev_disagree, (long long)a, (long long)d);
            rows++;
        }
        gsi_csv_close(&cs);
        ck_assert_uint_eq(rows, c->ns);
        consensus_free(c);
    }
}
END_TEST

/* Expected values: sklearn.metrics.adjusted_rand_score (python3 -c "from sklearn.metrics
 * import adjusted_rand_score as a; print(a([0,0,1,1,2,2],[0,0,1,2,2,2]))") = 0.4444...,
 * a([0,0,0,1,1,1,1],[1,1,0,0,0,2,2]) = 0.17647..., a([0,1,0,1],[1,0,1,0]) = 1. */
START_TEST(ari_matches_sklearn)
{
    int32_t a1[] = { 0, 0, 1, 1, 2, 2 }, b1[] = { 0, 0, 1, 2, 2, 2 };
    ck_assert_double_eq_tol(consensus_ari(a1, b1, 6), 0.4444444444444444, 1e-12);
    int32_t a2[] = { 0, 0, 0, 1, 1, 1, 1 }, b2[] = { 1, 1, 0, 0, 0, 2, 2 };
    ck_assert_double_eq_tol(consensus_ari(a2, b2, 7), 0.17647058823529413, 1e-12);
    int32_t a3[] = { 0, 1, 0, 1 }, b3[] = { 1, 0, 1, 0 };
    ck_assert_double_eq_tol(consensus_ari(a3, b3, 4), 1.0, 1e-12);
    /* items labelled -1 on either side do not count */
    int32_t a4[] = { 0, 1, 0, 1, -1 }, b4[] = { 1, 0, 1, 0, 0 };
    ck_assert_double_eq_tol(consensus_ari(a4, b4, 5), 1.0, 1e-12);
    /* the index depends on the partition only, not on the label values: a2 and b2 relabelled
     * with large ids (Polis group ids are any non-negative integer) */
    int32_t a5[] = { 70000, 70000, 70000, 5, 5, 5, 5 };
    int32_t b5[] = { 2147483647, 2147483647, 0, 0, 0, 1000000, 1000000 };
    ck_assert_double_eq_tol(consensus_ari(a5, b5, 7), 0.17647058823529413, 1e-12);
    /* fewer than two items counted: undefined */
    int32_t a6[] = { 0, -1 }, b6[] = { 0, 0 };
    ck_assert(isnan(consensus_ari(a6, b6, 2)));
}
END_TEST

/* 12 participants agree with statements 0-4 and disagree with 5-9; 8 do the opposite. Hand
 * calculation (python3, Polis's formulas) for group 0 (the 12) and statement 0:
 * na = 12, ns = 12, rest na = 0, ns = 8; pa = 13/14; pat = 2 sqrt(13) (13/13 - 1/2) = 3.60555;
 * ra = (13/14) / (1/10) = 9.2857; rat = (1 - 1/9) / sqrt(14/22 * 8/22 * (1/13 + 1/9)) = 4.26131;
 * pd = 1/14; pdt = 2 sqrt(13) (1/13 - 1/2) = -3.05085; consensus (13/14)(1/10) = 0.092857. */
START_TEST(stats_hand_calculation)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct consensus *c = consensus_new(NULL);
    for (int p = 0; p < 20; p++) {
        for (int j = 0; j < 10; j++) {
            int v = (j < 5) == (p < 12) ? 1 : -1;
            ck_assert_int_eq(consensus_vote_add(c, p, j, v, false, &err), 0);
        }
    }
    ck_assert_int_eq(consensus_compute(c, &err), 0);
    ck_assert_int_eq(c->ngroups, 2);
    ck_assert_uint_eq(c->groups[0].size, 12);
    ck_assert_uint_eq(c->groups[1].size, 8);
    for (int p = 0; p < 20; p++) {
        ck_assert_int_eq(c->group[consensus_participant_index(c, p)], p < 12 ? 0 : 1);
    }
    long j0 = consensus_statement_index(c, 0);
    const struct consensus_repness *r = &c->repness[0 * c->ns + (size_t)j0];
    ck_assert_uint_eq(r->na, 12);
    ck_assert_uint_eq(r->ns, 12);
    ck_assert_double_eq_tol(r->pa, 13.0 / 14.0, 1e-12);
    ck_assert_double_eq_tol(r->pat, 3.605551275463989, 1e-12);
    ck_assert_double_eq_tol(r->ra, 9.285714285714285, 1e-12);
    ck_assert_double_eq_tol(r->rat, 4.2613061564184935, 1e-12);
    ck_assert_double_eq_tol(r->pd, 1.0 / 14.0, 1e-12);
    ck_assert_double_eq_tol(r->pdt, -3.05085107923876, 1e-12);
    ck_assert_double_eq_tol(c->stmt[j0].gic, 0.09285714285714286, 1e-12);
    ck_assert_uint_eq(c->stmt[j0].agree, 12);
    ck_assert_uint_eq(c->stmt[j0].disagree, 8);
    /* divisiveness: (12-0)/14 - (0-8)/10 = 0.857142857 + 0.8 */
    ck_assert_double_eq_tol(c->stmt[j0].divisiveness, 12.0 / 14.0 + 0.8, 1e-12);
    /* each group has representative statements, agrees first */
    ck_assert_int_ge(c->groups[0].nreps, 1);
    ck_assert(c->groups[0].reps[0].agree);
    consensus_free(c);
}
END_TEST

static int read_votes_text(const char *text, struct gsi_err *err, bool comments_first)
{
    struct consensus *c = consensus_new(NULL);
    const char *comments =
        "timestamp,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        "1,0,0,1,0,1,First\n2,1,0,0,0,1,\"Second, with a comma\"\n";
    if (comments_first) {
        ck_assert_int_eq(consensus_read_comments_mem(c, comments, strlen(comments), err), 0);
    }
    int rc = consensus_read_votes_mem(c, text, strlen(text), err);
    consensus_free(c);
    return rc;
}

START_TEST(bad_input_names_the_line)
{
    struct gsi_err err = GSI_ERR_INIT;
    /* vote outside -1..1 on line 3 */
    int rc = read_votes_text("timestamp,comment-id,voter-id,vote\n1,0,0,1\n2,0,1,2\n", &err, false);
    ck_assert_int_eq(rc, GSI_EDATA);
    ck_assert_int_eq(err.line, 3);
    ck_assert_ptr_nonnull(strstr(err.msg, "outside -1..1"));
    ck_assert_int_eq(gsi_err_exit_status(rc), 65);
    /* unknown comment-id on line 2 when comments were read */
    gsi_err_clear(&err);
    rc = read_votes_text("timestamp,comment-id,voter-id,vote\n1,7,0,1\n", &err, true);
    ck_assert_int_eq(rc, GSI_EDATA);
    ck_assert_int_eq(err.line, 2);
    ck_assert_ptr_nonnull(strstr(err.msg, "unknown comment-id 7"));
    /* truncated file: the last row lacks its vote */
    gsi_err_clear(&err);
    rc = read_votes_text("timestamp,comment-id,voter-id,vote\n1,0,0,1\n2,1,0", &err, false);
    ck_assert_int_eq(rc, GSI_EDATA);
    ck_assert_int_eq(err.line, 3);
    ck_assert_ptr_nonnull(strstr(err.msg, "truncated"));
    /* not a number */
    gsi_err_clear(&err);
    rc = read_votes_text("comment-id,voter-id,vote\n0,x,1\n", &err, false);
    ck_assert_int_eq(rc, GSI_EDATA);
    ck_assert_int_eq(err.line, 2);
    /* missing columns */
    gsi_err_clear(&err);
    rc = read_votes_text("a,b\n1,2\n", &err, false);
    ck_assert_int_eq(rc, GSI_EDATA);
    ck_assert_int_eq(err.line, 1);

    /* participants-votes.csv: bad vote, truncated row, unknown column */
    struct consensus *c = consensus_new(NULL);
    const char *m1 = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n"
                     "0,0,0,2,1,1,1,-1\n1,,0,1,0,0,5,\n";
    gsi_err_clear(&err);
    ck_assert_int_eq(consensus_read_matrix_mem(c, m1, strlen(m1), &err), GSI_EDATA);
    ck_assert_int_eq(err.line, 3);
    ck_assert_int_eq(err.column, 7);
    consensus_free(c);
    c = consensus_new(NULL);
    const char *m2 = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n"
                     "0,0,0,2,1,1,1,-1\n1,1,0,1";
    gsi_err_clear(&err);
    ck_assert_int_eq(consensus_read_matrix_mem(c, m2, strlen(m2), &err), GSI_EDATA);
    ck_assert_int_eq(err.line, 3);
    consensus_free(c);
    c = consensus_new(NULL);
    const char *m3 = "participant,group-id,foo\n0,0,1\n";
    gsi_err_clear(&err);
    ck_assert_int_eq(consensus_read_matrix_mem(c, m3, strlen(m3), &err), GSI_EDATA);
    ck_assert_int_eq(err.line, 1);
    consensus_free(c);
    /* a good matrix reads, with the reference groups */
    c = consensus_new(NULL);
    const char *m4 = "participant,xid,group-id,n-comments,n-votes,n-agree,n-disagree,4,9\n"
                     "3,\"x,1\",1,0,2,1,1,1,-1\n5,,,0,1,0,0,,0\n";
    gsi_err_clear(&err);
    ck_assert_int_eq(consensus_read_matrix_mem(c, m4, strlen(m4), &err), 0);
    ck_assert_uint_eq(c->np, 2);
    ck_assert_int_eq(c->ref_group[consensus_participant_index(c, 3)], 1);
    ck_assert_int_eq(c->ref_group[consensus_participant_index(c, 5)], -1);
    consensus_free(c);
}
END_TEST

/* The last vote of a participant on a statement is the one in the matrix, in timestamp order
 * even when the file lists votes by statement. */
START_TEST(last_vote_wins)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct consensus *c = consensus_new(NULL);
    const char *v = "timestamp,comment-id,voter-id,vote\n30,0,1,-1\n10,0,1,1\n20,1,1,0\n";
    ck_assert_int_eq(consensus_read_votes_mem(c, v, strlen(v), &err), 0);
    ck_assert_int_eq(consensus_compute(c, &err), 0);
    long j = consensus_statement_index(c, 0);
    ck_assert_uint_eq(c->stmt[j].agree, 0);
    ck_assert_uint_eq(c->stmt[j].disagree, 1);
    ck_assert_uint_eq(c->stmt[j].ev_agree, 1);
    ck_assert_uint_eq(c->stmt[j].ev_disagree, 1);
    ck_assert_uint_eq(consensus_vote_count(c), 2);
    consensus_free(c);
}
END_TEST

/* consensus_replay_votes: one compute per window holding votes (counts from awk over the
 * sorted timestamps:
 *   tail -n +2 votes.csv | cut -d, -f1 | sort -n |
 *     awk 'NR==1{t0=$1} {w=int(($1-t0)/60000); if(!(w in s)){s[w]=1;n++}} END{print n}'
 * gives 17 for london.youth.policing; with a 1 ms window, one per distinct timestamp: 640),
 * the same matrix as reading the file at once, and the same bits with 1 or 3 threads. */
static struct consensus *replayed(int threads, int64_t window)
{
    struct consensus_opts o;
    consensus_opts_default(&o);
    o.threads = threads;
    struct consensus *c = consensus_new(&o);
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(consensus_read_comments(
                         c, test_path("deliberation/london.youth.policing/comments.csv"), &err),
                     0);
    ck_assert_msg(consensus_replay_votes(c,
                                         test_path("deliberation/london.youth.policing/votes.csv"),
                                         window, &err) == 0,
                  "%s", err.msg);
    return c;
}

START_TEST(replay_votes_in_windows)
{
    struct consensus *a = replayed(1, 60000);
    ck_assert_int_eq(a->computes, 17);
    struct consensus *b = replayed(3, 60000);
    ck_assert_uint_eq(a->np, b->np);
    for (size_t i = 0; i < a->np; i++) {
        ck_assert_int_eq(a->group[i], b->group[i]);
        ck_assert(a->x[i] == b->x[i] && a->y[i] == b->y[i]);
    }
    consensus_free(b);
    struct consensus *once = consensus_new(NULL);
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(consensus_read_comments(
                         once, test_path("deliberation/london.youth.policing/comments.csv"), &err),
                     0);
    ck_assert_int_eq(
        consensus_read_votes(once, test_path("deliberation/london.youth.policing/votes.csv"), &err),
        0);
    ck_assert_int_eq(consensus_compute(once, &err), 0);
    ck_assert_uint_eq(consensus_vote_count(a), consensus_vote_count(once));
    for (size_t j = 0; j < once->ns; j++) {
        ck_assert_uint_eq(a->stmt[j].agree, once->stmt[j].agree);
        ck_assert_uint_eq(a->stmt[j].disagree, once->stmt[j].disagree);
        ck_assert_uint_eq(a->stmt[j].pass, once->stmt[j].pass);
    }
    consensus_free(once);
    consensus_free(a);
    a = replayed(0, 1);
    ck_assert_int_eq(a->computes, 640);
    consensus_free(a);
    a = consensus_new(NULL);
    ck_assert_int_eq(consensus_replay_votes(
                         a, test_path("deliberation/london.youth.policing/votes.csv"), 0, &err),
                     GSI_EUSAGE);
    consensus_free(a);
}
END_TEST

static struct consensus *synth(const struct synth_params *p, int threads, int32_t *truth)
{
    struct consensus_opts o;
    consensus_opts_default(&o);
    o.threads = threads;
    struct consensus *c = consensus_new(&o);
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(synth_fill(c, p, truth, &err), 0);
    ck_assert_int_eq(consensus_compute(c, &err), 0);
    return c;
}

START_TEST(same_result_any_thread_count)
{
    struct synth_params p = { 20000, 60, 3, 12, 0.2, 0.2, 42 };
    struct consensus *a = synth(&p, 1, NULL);
    struct consensus *b = synth(&p, 2, NULL);
    struct consensus *d = synth(&p, 5, NULL);
    ck_assert_uint_eq(a->np, b->np);
    ck_assert_int_eq(a->ngroups, b->ngroups);
    ck_assert_int_eq(a->ngroups, d->ngroups);
    ck_assert_mem_eq(a->x, b->x, a->np * sizeof *a->x);
    ck_assert_mem_eq(a->y, d->y, a->np * sizeof *a->y);
    ck_assert_mem_eq(a->group, b->group, a->np);
    ck_assert_mem_eq(a->group, d->group, a->np);
    for (size_t j = 0; j < a->ns; j++) {
        ck_assert(a->stmt[j].gic == d->stmt[j].gic);
    }
    /* and after an incremental update (overflow votes, warm start) */
    struct gsi_err err = GSI_ERR_INIT;
    for (uint64_t v = 0; v < 500; v++) {
        ck_assert_int_eq(synth_vote(a, &p, v, &err), 0);
        ck_assert_int_eq(synth_vote(d, &p, v, &err), 0);
    }
    ck_assert_int_eq(consensus_compute(a, &err), 0);
    ck_assert_int_eq(consensus_compute(d, &err), 0);
    ck_assert_mem_eq(a->x, d->x, a->np * sizeof *a->x);
    ck_assert_mem_eq(a->group, d->group, a->np);
    consensus_free(a);
    consensus_free(b);
    consensus_free(d);
}
END_TEST

static double planted_ari(const struct synth_params *p, int *ngroups)
{
    int32_t *truth = malloc(p->n * sizeof *truth);
    struct consensus *c = synth(p, 0, truth);
    int32_t *ours = malloc(p->n * sizeof *ours), *ref = malloc(p->n * sizeof *ref);
    for (size_t i = 0; i < c->np; i++) {
        ours[i] = c->group[i];
        ref[i] = truth[c->pid[i]];
    }
    double ari = consensus_ari(ours, ref, c->np);
    *ngroups = c->ngroups;
    free(truth);
    free(ours);
    free(ref);
    consensus_free(c);
    return ari;
}

/* Planted, separable groups (clear stances, 10-25% noise, enough votes each) are found. */
START_TEST(planted_groups_recovered)
{
    int ng;
    struct synth_params p2 = { 3000, 100, 2, 20, 0.1, 0.3, 7 };
    double a2 = planted_ari(&p2, &ng);
    printf("planted K=2: ARI %.4f, %d groups\n", a2, ng);
    ck_assert_double_ge(a2, 0.95);
    ck_assert_int_eq(ng, 2);
    struct synth_params p3 = { 3000, 100, 3, 25, 0.1, 0.2, 11 };
    double a3 = planted_ari(&p3, &ng);
    printf("planted K=3: ARI %.4f, %d groups\n", a3, ng);
    ck_assert_double_ge(a3, 0.95);
    ck_assert_int_eq(ng, 3);
}
END_TEST

/* Adding votes and recomputing from the previous state gives the same matrix as building it
 * at once, and recovers the planted groups as well as a fresh computation does. (The two
 * groupings need not be identical: the warm start keeps the previous clusters, as Polis
 * does, where a fresh computation starts from the first distinct points.) */
START_TEST(incremental_update)
{
    struct synth_params p = { 5000, 80, 2, 15, 0.15, 0.3, 3 };
    int32_t *truth = malloc(p.n * sizeof *truth);
    struct consensus *inc = synth(&p, 0, truth);
    struct gsi_err err = GSI_ERR_INIT;
    for (uint64_t v = 0; v < 1000; v++) {
        ck_assert_int_eq(synth_vote(inc, &p, v, &err), 0);
    }
    ck_assert_int_eq(consensus_compute(inc, &err), 0);
    ck_assert_int_eq(inc->computes, 2);

    struct consensus *full = consensus_new(NULL);
    ck_assert_int_eq(synth_fill(full, &p, NULL, &err), 0);
    for (uint64_t v = 0; v < 1000; v++) {
        ck_assert_int_eq(synth_vote(full, &p, v, &err), 0);
    }
    ck_assert_int_eq(consensus_compute(full, &err), 0);
    ck_assert_uint_eq(consensus_vote_count(inc), consensus_vote_count(full));
    for (size_t j = 0; j < full->ns; j++) {
        ck_assert_uint_eq(inc->stmt[j].agree, full->stmt[j].agree);
        ck_assert_uint_eq(inc->stmt[j].disagree, full->stmt[j].disagree);
        ck_assert_uint_eq(inc->stmt[j].pass, full->stmt[j].pass);
    }
    int32_t *a = malloc(full->np * sizeof *a), *b = malloc(full->np * sizeof *b);
    int32_t *t = malloc(full->np * sizeof *t);
    for (size_t i = 0; i < full->np; i++) {
        a[i] = inc->group[i];
        b[i] = full->group[i];
        t[i] = truth[full->pid[i]];
    }
    double ari_inc = consensus_ari(a, t, full->np), ari_full = consensus_ari(b, t, full->np);
    printf("incremental: ARI vs planted %.4f (fresh %.4f), vs fresh %.4f\n", ari_inc, ari_full,
           consensus_ari(a, b, full->np));
    ck_assert_double_ge(ari_inc, ari_full - 0.02);
    ck_assert_double_ge(consensus_ari(a, b, full->np), 0.9);
    free(a);
    free(b);
    free(t);
    free(truth);
    consensus_free(inc);
    consensus_free(full);
}
END_TEST

/* A conversation that grows while it is computed, as a live one does: participants join ten
 * at a time with a computation after each batch, so the warm start recentres, merges and
 * splits base clusters (Polis's clean-start-clusters) below and past 100 of them. */
START_TEST(growing_conversation)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct consensus *c = consensus_new(NULL);
    int32_t truth[400];
    struct gsi_rng rng;
    gsi_rng_init(&rng, 5);
    for (int p = 0; p < 400; p++) {
        truth[p] = p % 3 == 0;
        for (int j = 0; j < 12; j++) {
            int v = ((j % 2) == truth[p]) ? 1 : -1;
            double u = gsi_rng_uniform(&rng);
            if (u < 0.1) {
                v = -v; /* some noise */
            } else if (u < 0.25) {
                continue; /* and missing votes */
            }
            ck_assert_int_eq(consensus_vote_add(c, p, j, v, false, &err), 0);
        }
        if (p % 10 == 9) {
            ck_assert_int_eq(consensus_compute(c, &err), 0);
            ck_assert_int_le(c->nbase, 100);
            ck_assert_int_ge(c->ngroups, 1);
        }
    }
    ck_assert_int_eq(c->computes, 40);
    int32_t ours[400], ref[400];
    for (size_t i = 0; i < c->np; i++) {
        ours[i] = c->group[i];
        ref[i] = truth[c->pid[i]];
    }
    double ari = consensus_ari(ours, ref, c->np);
    printf("growing: %d base clusters, %d groups, ARI vs planted %.4f\n", c->nbase, c->ngroups,
           ari);
    ck_assert_int_eq(c->nbase, 100);
    ck_assert_double_ge(ari, 0.9);
    consensus_free(c);
}
END_TEST

START_TEST(tiny_and_empty_inputs)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct consensus *c = consensus_new(NULL);
    ck_assert_int_eq(consensus_compute(c, &err), 0);
    ck_assert_int_eq(c->ngroups, 0);
    ck_assert_int_eq(consensus_vote_add(c, 1, 1, 1, false, &err), 0);
    ck_assert_int_eq(consensus_compute(c, &err), 0);
    ck_assert_int_le(c->ngroups, 1);
    ck_assert_int_eq(consensus_vote_add(c, 1, 1, 3, false, &err), GSI_EDATA);
    ck_assert_int_eq(consensus_vote_add(c, -1, 1, 1, false, &err), GSI_EDATA);
    ck_assert_int_eq(consensus_vote_add(c, 1, 99, 1, true, &err), GSI_ENOTFOUND);
    consensus_free(c);

    /* everyone agrees with everything: no variance, one group, no useless iterations */
    c = consensus_new(NULL);
    for (int p = 0; p < 30; p++) {
        for (int j = 0; j < 3; j++) {
            ck_assert_int_eq(consensus_vote_add(c, p, j, 1, false, &err), 0);
        }
    }
    ck_assert_int_eq(consensus_compute(c, &err), 0);
    ck_assert_int_le(c->pca_iterations, 2);
    ck_assert_int_eq(c->ngroups, 1);
    ck_assert_double_eq_tol(c->stmt[0].gic, 31.0 / 32.0, 1e-12);
    consensus_free(c);

    /* one dimension of disagreement (rank one): two groups, 20 and 10, found quickly */
    c = consensus_new(NULL);
    for (int p = 0; p < 30; p++) {
        for (int j = 0; j < 3; j++) {
            ck_assert_int_eq(consensus_vote_add(c, p, j, p < 10 ? 1 : -1, false, &err), 0);
        }
    }
    ck_assert_int_eq(consensus_compute(c, &err), 0);
    ck_assert_int_lt(c->pca_iterations, 10);
    ck_assert_int_eq(c->ngroups, 2);
    ck_assert_uint_eq(c->groups[0].size, 20);
    ck_assert_uint_eq(c->groups[1].size, 10);
    consensus_free(c);
}
END_TEST

Suite *make_suite(void)
{
    const TTest *tests[] = {
        counts_match_comments_csv, ari_matches_sklearn,    stats_hand_calculation,
        bad_input_names_the_line,  last_vote_wins,         same_result_any_thread_count,
        planted_groups_recovered,  incremental_update,     tiny_and_empty_inputs,
        growing_conversation,      replay_votes_in_windows
    };
    return test_suite("consensus", 300, tests, sizeof tests / sizeof tests[0]);
}
