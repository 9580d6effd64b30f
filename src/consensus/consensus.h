/*
 * consensus.h — opinion groups, common ground and differences from statements and votes.
 *
 * The engine follows the method of Polis (docs/internals/consensus.md gives every formula):
 * votes form a sparse participants × statements matrix (agree +1, disagree −1, pass 0,
 * missing); two principal components come from power iteration on the column-mean-imputed,
 * centred matrix; participants are projected from the statements they voted on; those with
 * enough votes are clustered, first into up to 100 base clusters, then into 2..5 opinion
 * groups chosen by silhouette; per group and statement the representativeness statistics
 * pick each group's representative statements, and the group-informed consensus ranks the
 * common ground.
 *
 * A `struct consensus` holds the votes and the state of the last computation, so a live
 * consultation adds votes and recomputes from where it stood (warm start):
 *
 *     struct consensus_opts o;
 *     consensus_opts_default(&o);
 *     struct consensus *c = consensus_new(&o);
 *     consensus_statement_add(c, 17, "Text", false, &err);
 *     consensus_vote_add(c, 4, 17, +1, &err);
 *     consensus_compute(c, &err);               // full computation
 *     ... read c->... results, consensus_group_of(c, i) ...
 *     consensus_vote_add(c, 5, 17, -1, &err);   // later votes
 *     consensus_compute(c, &err);               // warm start from the previous state
 *     consensus_vote_add(c, 6, 17, +1, &err);
 *     consensus_update(c, &err);                // fast: only what the new votes change
 *     consensus_free(c);
 *
 * Identifiers are non-negative integers (Polis's pid and tid). Results are deterministic for
 * a given seed and do not depend on the number of threads: every sum over participants is
 * taken over fixed blocks, added in block order.
 */
#ifndef GSI_CONSENSUS_CONSENSUS_H
#define GSI_CONSENSUS_CONSENSUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Caps on what input may grow to. */
#define CONSENSUS_PARTICIPANTS_MAX 20000000u
#define CONSENSUS_STATEMENTS_MAX   200000u
#define CONSENSUS_VOTES_MAX        2000000000u
#define CONSENSUS_ID_MAX           INT64_C(4000000000) /* largest accepted pid or tid */
#define CONSENSUS_TEXT_MAX         8192u               /* bytes kept of a statement's text */
#define CONSENSUS_GROUPS_MAX       5
#define CONSENSUS_REPS_MAX         5        /* representative statements per group */
#define CONSENSUS_REPLAY_MAX       1000000u /* computes in one consensus_replay_votes */

struct consensus_opts {
    uint64_t seed;   /* for the random start vectors of the power iteration */
    int threads;     /* worker threads; 0 = one per online CPU. Results do not depend on it */
    int base_k;      /* base clusters (Polis: 100) */
    int max_k;       /* most opinion groups (Polis: 5) */
    int pca_iters;   /* most power iterations (Polis: 100) */
    double pca_tol;  /* stop when the components' plane turns by less than this (sine) */
    int base_iters;  /* most base k-means iterations (Polis: 100) */
    int group_iters; /* most group k-means iterations (Polis: 20 in effect) */
    int k_buffer;    /* on warm updates, a new k must win this many times in a row (Polis: 4) */
    int min_votes;   /* votes a participant needs to be clustered (Polis: 7, or all statements) */
    int greedy_n;    /* clustered participants topped up to this many (Polis: 15) */
};

/* Polis's parameters, seed 1, all CPUs. */
void consensus_opts_default(struct consensus_opts *o);

/* A statement with its vote counts and, after consensus_compute, its statistics. */
struct consensus_statement {
    int64_t id;
    char *text;         /* owned; "" when unknown */
    bool moderated_out; /* excluded from every computation */
    /* Every vote row read or added, vote changes included (what Polis's comments.csv counts). */
    uint64_t ev_agree, ev_disagree, ev_pass;
    /* The current matrix: each participant's last vote. */
    uint32_t agree, disagree, pass;
    /* After compute: */
    double gic;          /* group-informed consensus: product over groups of (A+1)/(S+2) */
    double divisiveness; /* max − min over groups of (A−D)/(S+2) */
    double pc[2];        /* the statement's loadings in the two components */
};

/* Per group and statement counts and representativeness (Polis's repness). */
struct consensus_repness {
    uint32_t na, nd, ns;     /* agrees, disagrees, votes seen in the group */
    double pa, pd, pat, pdt; /* (n+1)/(ns+2) and the one-proportion z test */
    double ra, rd, rat, rdt; /* ratio to the rest of the participants and its z test */
};

struct consensus_rep {
    uint32_t statement; /* index into c->stmt */
    bool agree;         /* representative for agreeing (else disagreeing) */
    bool best_agree;    /* Polis's "best agree" statement, put first */
    uint32_t n_success, n_trials;
    double p_success, p_test, repness, repness_test;
};

struct consensus_group {
    uint32_t size; /* participants */
    double cx, cy; /* weighted centre in the projection */
    int nreps;
    struct consensus_rep reps[CONSENSUS_REPS_MAX];
};

/* Majority statement (Polis's "consensus" comments): over all participants. */
struct consensus_majority {
    uint32_t statement;
    bool agree;
    uint32_t n_success, n_trials;
    double p_success, p_test;
};

struct consensus_state; /* private: votes, warm-start state */

struct consensus {
    struct consensus_opts opts;

    /* Participants, in the order they were first seen. */
    size_t np;
    int64_t *pid;       /* participant ids */
    uint32_t *nvotes;   /* votes in the matrix, on any statement (after compute) */
    bool *in_conv;      /* clustered; once in, stays in (Polis) */
    double *x, *y;      /* projection (after compute) */
    int8_t *group;      /* opinion group index, −1 when not clustered (after compute) */
    int32_t *ref_group; /* a reference grouping read with the matrix (Polis's group-id),
                           −1 when blank; NULL when none was read */

    /* Statements, in the order they were first seen. */
    size_t ns;
    struct consensus_statement *stmt;
    size_t n_active; /* statements not moderated out */

    /* After compute. */
    int ngroups;
    struct consensus_group groups[CONSENSUS_GROUPS_MAX];
    int nbase;                         /* base clusters */
    struct consensus_repness *repness; /* [g * ns + j] */
    int nmaj_agree, nmaj_disagree;
    struct consensus_majority maj_agree[5], maj_disagree[5];
    int pca_iterations; /* power iterations the last compute took */
    int computes;       /* completed computations */
    int updates;        /* consensus_update calls since the last computation */
    double t_update;    /* wall-clock seconds the last consensus_update took */
    /* Wall-clock seconds the last compute spent folding in new votes, on the components, on
     * clustering and on the statistics (for benchmarks and operations; not deterministic). */
    double t_build, t_pca, t_cluster, t_stats;

    struct consensus_state *st;
};

struct consensus *consensus_new(const struct consensus_opts *opts);
void consensus_free(struct consensus *c);

/* Adds a statement, or updates its text and moderation when the id is known. GSI_ELIMIT past
 * CONSENSUS_STATEMENTS_MAX, GSI_EDATA for an id out of range. */
int consensus_statement_add(struct consensus *c, int64_t id, const char *text, size_t text_len,
                            bool moderated_out, struct gsi_err *err);

/* Records one vote (−1, 0 or +1); a later vote by the same participant on the same statement
 * replaces the earlier one in the matrix, and every call counts in ev_*. When `known_only`
 * the statement must have been added before (GSI_ENOTFOUND otherwise); else it is created.
 * GSI_EDATA for a vote outside −1..1 or an id out of range. */
int consensus_vote_add(struct consensus *c, int64_t pid, int64_t tid, int vote, bool known_only,
                       struct gsi_err *err);

/* Index of a statement id, or −1. */
long consensus_statement_index(const struct consensus *c, int64_t tid);
/* Index of a participant id, or −1. */
long consensus_participant_index(const struct consensus *c, int64_t pid);

/* Computes everything from the current votes. The first call starts fresh; later calls start
 * from the previous components and clusters. GSI_ENOMEM on allocation failure. */
int consensus_compute(struct consensus *c, struct gsi_err *err);

/* The fast incremental path: folds in the votes added since the last compute or update and
 * refreshes only what they change, keeping the last compute's principal components, base
 * clusters and opinion groups: the column means and counts of the statements voted on; the
 * projection of each participant who voted, on the kept components with the √(statements /
 * votes) scaling; their base cluster (the nearest centre), which moves the centres and sizes
 * of the base clusters and the groups; their group; and the per-group counts, statistics,
 * gic and divisiveness of the statements whose counts changed, then the representative and
 * majority statements. Other participants keep their projection, even where a column mean
 * they depend on moved. Work is proportional to the new votes and the affected
 * participants' rows (plus one pass over the participants on the first update after a
 * compute), never to all votes.
 *
 * The components and groups go stale as votes accumulate; the caller runs consensus_compute
 * on its own schedule (docs/internals/consensus.md recommends a policy). A compute after any
 * number of updates gives exactly the result it gives without them.
 *
 * Falls back to consensus_compute and returns 1 when only a full computation can answer: no
 * compute yet, statements added since the last one, or a statement's moderation changed.
 * Returns 0 after an incremental update (also when no votes were added), or GSI_ENOMEM. */
int consensus_update(struct consensus *c, struct gsi_err *err);

/* Forgets the warm-start state, so the next compute is a full one (votes are kept). */
void consensus_reset_state(struct consensus *c);

/* Forgets what Polis does not persist between its updates: each k's opinion groups and the
 * k smoother (Polis stores the base clusters, components and in-conv set, not its
 * group-clusterings nor group-k-smoother, so an update after Polis reloads a conversation
 * starts the groups afresh from the first k distinct base centres). The next compute keeps
 * the components, base clusters and clustered participants, and starts the groups as Polis
 * does after a reload. */
void consensus_reload_state(struct consensus *c);

/* Number of votes in the matrix (last vote per participant and statement): exact after
 * consensus_compute; before it, votes added since count as new cells. */
uint64_t consensus_vote_count(const struct consensus *c);

/* ---- Readers (Polis export layouts). Errors name the file and line; codes GSI_EDATA (bad
 * value, unknown statement id, wrong field count), GSI_ELIMIT, GSI_EIO, GSI_ENOMEM. ---- */

/* comments.csv: a header with at least comment-id, moderated and comment-body (timestamp,
 * author-id, agrees, disagrees and others are allowed). moderated = −1 excludes the statement. */
int consensus_read_comments(struct consensus *c, const char *path, struct gsi_err *err);
int consensus_read_comments_mem(struct consensus *c, const char *data, size_t n,
                                struct gsi_err *err);

/* votes.csv: a header with at least comment-id, voter-id and vote. Rows are applied in
 * timestamp order when a timestamp column exists (file order breaks ties). When statements
 * were read first, a vote on an unknown comment-id is an error. */
int consensus_read_votes(struct consensus *c, const char *path, struct gsi_err *err);
int consensus_read_votes_mem(struct consensus *c, const char *data, size_t n, struct gsi_err *err);

/* Replays votes.csv as a live conversation would have seen it: the rows in timestamp order,
 * with consensus_compute run at the end of every `window` (timestamp units, milliseconds in
 * Polis's export) that holds votes, counted from the first vote, and once at the end; each
 * compute warm-starts from the one before, as Polis's update after each batch of votes does.
 * GSI_EUSAGE for a window <= 0, GSI_ELIMIT past CONSENSUS_REPLAY_MAX windows, and the codes
 * of consensus_read_votes. */
int consensus_replay_votes(struct consensus *c, const char *path, int64_t window,
                           struct gsi_err *err);

/* participants-votes.csv: participant, optional xid, group-id, n-comments, n-votes, n-agree,
 * n-disagree, then one column per comment-id holding 1, −1, 0 or blank. The group-id column
 * fills c->ref_group. */
int consensus_read_matrix(struct consensus *c, const char *path, struct gsi_err *err);
int consensus_read_matrix_mem(struct consensus *c, const char *data, size_t n, struct gsi_err *err);

/* ---- Comparing groupings ---- */

/* Adjusted Rand index (Hubert & Arabie 1985) of two labelings of n items; labels are any
 * non-negative int32, and labels < 0 mark items left out (only items labelled in both count).
 * Returns NAN when fewer than 2 items count (or memory runs out: 24 bytes an item); 1 when
 * both labelings put every counted item in one class. */
double consensus_ari(const int32_t *a, const int32_t *b, size_t n);

/* How the groups of a computed consultation agree with a reference grouping: `ref` read by
 * consensus_read_matrix from a participants-votes.csv whose group-id column holds, for
 * instance, the groups Polis assigned. Participants are matched by id; one missing from `c`
 * counts as not grouped there. */
struct consensus_agreement {
    size_t participants; /* participants in the reference */
    size_t grouped_both; /* grouped in both (the items the index is computed over) */
    int ref_groups;      /* distinct groups in the reference */
    int groups;          /* groups in c */
    double ari;          /* adjusted Rand index over grouped_both; NAN when fewer than 2 */
};

/* Fills `out` (after consensus_compute on `c`). GSI_EDATA when `ref` has no group-id column or
 * no participant in a group; GSI_ENOMEM. */
int consensus_agreement(struct consensus_agreement *out, const struct consensus *c,
                        const struct consensus *ref, struct gsi_err *err);
/* The same against the reference groups in the participants-votes.csv at `path` (read into a
 * second engine that is freed again). Errors name `path`. */
int consensus_agreement_file(struct consensus_agreement *out, const struct consensus *c,
                             const char *path, struct gsi_err *err);

/* ---- Ranking statements ---- */

enum consensus_rank_by { CONSENSUS_RANK_CONSENSUS, CONSENSUS_RANK_DIVISIVENESS };

/* Writes into `out` (room for c->ns) the indices of the statements not moderated out, ordered
 * by group-informed consensus or by divisiveness, highest first, ties by index. Returns how
 * many it wrote. After consensus_compute. */
size_t consensus_statements_rank(uint32_t *out, const struct consensus *c,
                                 enum consensus_rank_by by);

#endif
