/*
 * consult_import.h — a Polis export (comments.csv, votes.csv) read into a consultation's
 * statements and votes.
 *
 * Statements keep their Polis comment-id, offset by CONSULT_IMPORT_STMT (so they never meet
 * the record ids that statements made on the platform get), their text, and their moderation
 * (moderated = -1: moderated out, excluded from the computation as in Polis). Votes keep Polis's
 * export sign (agree +1, disagree -1, pass 0), are stored in timestamp order (file order breaks
 * ties, as the consensus engine's reader does) with ids CONSULT_VOTE_ID(record, i) in that
 * order, and their voters become public participants CONSULT_VOTER_PUBLIC + voter-id.
 *
 *     struct consult_polis x;
 *     platform_consult_polis_parse(&x, comments, clen, votes, vlen, &err);   // errors name file
 * and line
 *     ... inside a write:  platform_consult_polis_insert(s, consultation, record_id, &x, &err);
 *     platform_consult_polis_release(&x);
 */
#ifndef GSI_PLATFORM_CONSULT_IMPORT_H
#define GSI_PLATFORM_CONSULT_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct store;

#define CONSULT_IMPORT_STMT      INT64_C(3000000000) /* imported statement ids start here */
#define CONSULT_IMPORT_VOTES_MAX 5000000u            /* vote rows one import may hold */
#define CONSULT_IMPORT_VOTER_MAX INT64_C(999999999)  /* largest Polis voter-id accepted */

/* A vote's id (consult_votes.id): its record's id times CONSULT_VOTES_PER_RECORD plus its place
 * in that record (0 for a vote act, an import's votes in their order). So ids grow in commit
 * order as record ids do (the live view follows new votes by id), and a rebuild of the
 * projection gives every vote the id it had. Exact as a JSON double for record ids < 9e8. */
#define CONSULT_VOTES_PER_RECORD   INT64_C(10000000)
#define CONSULT_VOTE_ID(record, i) ((record)*CONSULT_VOTES_PER_RECORD + (int64_t)(i))
_Static_assert(CONSULT_IMPORT_VOTES_MAX < CONSULT_VOTES_PER_RECORD,
               "an import's votes fit in its record's range of vote ids");

struct consult_polis_stmt {
    int64_t id; /* CONSULT_IMPORT_STMT + comment-id */
    char *text;
    bool moderated;
};

struct consult_polis_vote {
    int64_t ts, voter, statement; /* voter: CONSULT_VOTER_PUBLIC + voter-id */
    uint32_t row;                 /* in the file: breaks ties between equal timestamps */
    int vote;
};

struct consult_polis {
    struct consult_polis_stmt *stmt;
    size_t nstmt;
    struct consult_polis_vote *votes;
    size_t nvotes, voters; /* voters: distinct voter-ids */
};

/* Parses both files (each a memory block; `comments_name` and `votes_name` name them in
 * errors). A vote on a comment-id not in comments.csv is GSI_EDATA naming the line. */
int platform_consult_polis_parse(struct consult_polis *out, const char *comments, size_t clen,
                                 const char *comments_name, const char *votes, size_t vlen,
                                 const char *votes_name, struct gsi_err *err);

/* Inserts the statements and votes into consultation `consultation`, as made by record
 * `record`, through `s` (inside a write transaction). */
int platform_consult_polis_insert(struct store *s, int64_t consultation, int64_t record,
                                  const struct consult_polis *x, struct gsi_err *err);

void platform_consult_polis_release(struct consult_polis *x);

#endif
