/* consult_import.c — a Polis export into a consultation (consult_import.h). */
#include "platform/consult_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consensus/consensus.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/text.h"
#include "platform/consult_live.h"
#include "store/store.h"

#define IMPORT_ROWS_PER_INSERT 4096

void platform_consult_polis_release(struct consult_polis *x)
{
    for (size_t i = 0; i < x->nstmt; i++) {
        free(x->stmt[i].text);
    }
    free(x->stmt);
    free(x->votes);
    memset(x, 0, sizeof *x);
}

static int parse_comments(struct consult_polis *x, const char *data, size_t n, const char *name,
                          struct gsi_err *err)
{
    struct consensus_opts o;
    consensus_opts_default(&o);
    o.threads = 1;
    struct consensus *c = consensus_new(&o);
    if (c == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    int rc = consensus_read_comments_mem(c, data, n, err);
    if (rc < 0) {
        snprintf(err->file, sizeof err->file, "%s", name);
    }
    if (rc < 0) {
        consensus_free(c);
        return rc;
    }
    x->stmt = calloc(c->ns ? c->ns : 1, sizeof *x->stmt);
    if (x->stmt == NULL) {
        consensus_free(c);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    for (size_t j = 0; rc == 0 && j < c->ns; j++) {
        x->stmt[j].id = CONSULT_IMPORT_STMT + c->stmt[j].id;
        x->stmt[j].moderated = c->stmt[j].moderated_out;
        x->stmt[j].text = strdup(c->stmt[j].text);
        x->nstmt++;
        if (x->stmt[j].text == NULL) {
            rc = gsi_err_set(err, GSI_ENOMEM, "out of memory");
        }
    }
    consensus_free(c);
    return rc;
}

static int stmt_known(const struct consult_polis *x, int64_t id)
{
    for (size_t i = 0; i < x->nstmt; i++) { /* statements are few (Polis: hundreds) */
        if (x->stmt[i].id == id) {
            return 1;
        }
    }
    return 0;
}

/* Column indexes of votes.csv's header. */
static int vote_header(long col[4], const struct gsi_csv *c, const char *name, struct gsi_err *err)
{
    static const char *const want[4] = { "comment-id", "voter-id", "vote", "timestamp" };
    for (int k = 0; k < 4; k++) {
        col[k] = -1;
        for (size_t i = 0; i < c->nfields; i++) {
            col[k] = gsi_slice_eq(c->field[i], c->flen[i], want[k]) ? (long)i : col[k];
        }
        if (col[k] < 0 && k < 3) {
            return gsi_err_at(err, GSI_EDATA, name, c->record_line, 0,
                              "%s line %ld: expected a header with comment-id, voter-id and vote",
                              name, c->record_line);
        }
    }
    return 0;
}

static int vote_row(struct consult_polis *x, const struct gsi_csv *c, const long col[4],
                    const char *name, struct gsi_err *err)
{
    int64_t tid = 0, voter = 0, vote = 0, ts = 0;
    if (col[0] < 0 || col[1] < 0 || col[2] < 0) {
        return gsi_err_set(err, GSI_EDATA, "%s: no header", name);
    }
    size_t need = (size_t)(col[3] > col[2] ? col[3] : col[2]);
    need = need > (size_t)col[0] ? need : (size_t)col[0];
    need = need > (size_t)col[1] ? need : (size_t)col[1];
    if (c->nfields <= need || gsi_parse_i64(&tid, c->field[col[0]], c->flen[col[0]]) < 0 ||
        gsi_parse_i64(&voter, c->field[col[1]], c->flen[col[1]]) < 0 ||
        gsi_parse_i64(&vote, c->field[col[2]], c->flen[col[2]]) < 0 || vote < -1 || vote > 1 ||
        voter < 0 || voter > CONSULT_IMPORT_VOTER_MAX || tid < 0 || tid > CONSENSUS_ID_MAX ||
        (col[3] >= 0 && gsi_parse_i64(&ts, c->field[col[3]], c->flen[col[3]]) < 0)) {
        return gsi_err_at(err, GSI_EDATA, name, c->record_line, 0,
                          "%s line %ld: expected comment-id, voter-id (0..%lld) and a vote of "
                          "-1, 0 or 1",
                          name, c->record_line, (long long)CONSULT_IMPORT_VOTER_MAX);
    }
    if (!stmt_known(x, CONSULT_IMPORT_STMT + tid)) {
        return gsi_err_at(err, GSI_EDATA, name, c->record_line, 0,
                          "%s line %ld: comment-id %lld is not in comments.csv", name,
                          c->record_line, (long long)tid);
    }
    if (x->nvotes == CONSULT_IMPORT_VOTES_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "%s: more than %u votes", name,
                           CONSULT_IMPORT_VOTES_MAX);
    }
    struct consult_polis_vote *v = &x->votes[x->nvotes++];
    v->ts = ts, v->voter = CONSULT_VOTER_PUBLIC + voter, v->statement = CONSULT_IMPORT_STMT + tid;
    v->vote = (int)vote;
    v->row = (uint32_t)(x->nvotes - 1);
    return 0;
}

static int cmp_vote(const void *a, const void *b)
{
    const struct consult_polis_vote *x = a, *y = b;
    if (x->ts != y->ts) {
        return (x->ts > y->ts) - (x->ts < y->ts);
    }
    return (x->row > y->row) - (x->row < y->row);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Timestamp order, file order among equal timestamps; then counts the distinct voters. */
static int sort_votes(struct consult_polis *x, struct gsi_err *err)
{
    if (x->nvotes > 1) { /* votes is NULL when there are none */
        qsort(x->votes, x->nvotes, sizeof *x->votes, cmp_vote);
    }
    int64_t *ids = malloc((x->nvotes ? x->nvotes : 1) * sizeof *ids);
    if (ids == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < x->nvotes; i++) {
        ids[i] = x->votes[i].voter;
    }
    qsort(ids, x->nvotes, sizeof *ids, cmp_i64);
    for (size_t i = 0; i < x->nvotes; i++) {
        x->voters += i == 0 || ids[i] != ids[i - 1];
    }
    free(ids);
    return 0;
}

int platform_consult_polis_parse(struct consult_polis *out, const char *comments, size_t clen,
                                 const char *comments_name, const char *votes, size_t vlen,
                                 const char *votes_name, struct gsi_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = parse_comments(out, comments, clen, comments_name, err);
    struct gsi_csv c;
    if (rc == 0) {
        rc = gsi_csv_open_mem(&c, votes, vlen, ',', true, err);
    }
    if (rc < 0) {
        platform_consult_polis_release(out);
        return rc;
    }
    long col[4] = { -1, -1, -1, -1 };
    size_t cap = 0;
    bool header = true;
    while (rc == 0 && (rc = gsi_csv_next(&c, err)) == 1) {
        if (header) {
            rc = vote_header(col, &c, votes_name, err);
            header = false;
            continue;
        }
        if (GSI_ALLOC_GROW(out->votes, out->nvotes + 1, cap, 1024) < 0) {
            rc = gsi_err_set(err, GSI_ENOMEM, "out of memory");
        } else {
            rc = vote_row(out, &c, col, votes_name, err);
        }
    }
    if (rc < 0 && err->file[0] == '\0') {
        snprintf(err->file, sizeof err->file, "%s", votes_name);
    }
    if (rc == 0 && header) {
        rc = gsi_err_set(err, GSI_EDATA, "%s: empty (expected a header and votes)", votes_name);
    }
    gsi_csv_close(&c);
    if (rc == 0) {
        rc = sort_votes(out, err);
    }
    if (rc < 0) {
        platform_consult_polis_release(out);
    }
    return rc;
}

int platform_consult_polis_insert(struct store *s, int64_t consultation, int64_t record,
                                  const struct consult_polis *x, struct gsi_err *err)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < x->nstmt; i++) {
        struct store_val v[] = { STORE_INT(x->stmt[i].id),
                                 STORE_INT(consultation),
                                 STORE_INT(0),
                                 STORE_TEXT(""),
                                 STORE_TEXT(x->stmt[i].text),
                                 STORE_INT(x->stmt[i].moderated ? 1 : 0),
                                 STORE_TEXT(x->stmt[i].moderated ? "moderated in Polis" : "") };
        rc = store_exec_later(s,
                              "INSERT INTO consult_statements (id, consultation, voter, party,"
                              " text, moderated, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                              v, 7, err);
    }
    if (rc < 0) {
        return rc;
    }
    struct store_val *vals = malloc((size_t)IMPORT_ROWS_PER_INSERT * 7 * sizeof *vals);
    if (vals == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    for (size_t i = 0; rc == 0 && i < x->nvotes; i += IMPORT_ROWS_PER_INSERT) {
        size_t n = x->nvotes - i < IMPORT_ROWS_PER_INSERT ? x->nvotes - i : IMPORT_ROWS_PER_INSERT;
        for (size_t k = 0; k < n; k++) {
            const struct consult_polis_vote *v = &x->votes[i + k];
            struct store_val *row = &vals[k * 7];
            row[0] = STORE_INT(CONSULT_VOTE_ID(record, i + k));
            row[1] = STORE_INT(consultation), row[2] = STORE_INT(record);
            row[3] = STORE_INT(v->voter), row[4] = STORE_TEXT("");
            row[5] = STORE_INT(v->statement), row[6] = STORE_INT(v->vote);
        }
        rc = store_insert_many(s, "consult_votes",
                               "id, consultation, record, voter, party, statement, vote", 7, vals,
                               n, err);
    }
    free(vals);
    return rc;
}
