/* store_pg.c — the PostgreSQL backend of `struct store_ops`, through libpq.
 *
 * Parameters go as text with PQexecParams ($n placeholders made from `?` by
 * store_sql_to_pg), or with PQsendQueryPrepared for deferred statements (below). Each
 * connection checks that the server runs with fsync on and sets and reads back
 * synchronous_commit=on, so COMMIT returns only once the WAL record is flushed.
 *
 * Deferred statements (store_exec_later: BEGIN, the log lock, savepoints, journal rows) are
 * queued and sent in pipeline mode (libpq >= 14) together with the next statement whose answer
 * is needed, so a journalled act costs one round trip instead of six. The server runs them in
 * order and skips everything after the first error up to the sync point. An error in a
 * deferred statement cannot be pinned on the caller that is waiting, so it marks the
 * transaction lost: every later statement, COMMIT included, fails with it until ROLLBACK.
 *
 * The same few deferred statements run for every act, so each is parsed once per connection:
 * the first time it is queued its Parse goes into the pipeline as a named prepared statement
 * just ahead of it, and from then on only Bind and Execute are sent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store/store.h"

/* A statement queued by pg_defer: SQL with $n placeholders and its text parameters. */
struct pg_later {
    char *sql;
    int n;
    char **vals; /* NULL entries are SQL NULLs */
};

/* Statements, and bytes of their parameters, queued before the queue is sent on its own. */
#define PG_LATER_MAX       256
#define PG_LATER_BYTES_MAX ((size_t)4 << 20)

/* Distinct deferred statements a connection prepares (named "gsi_<slot>"); past that they go
 * unnamed, parsed each time, as statements that need an answer always do. GSI defers about a
 * dozen; slots are never reused, so no DEALLOCATE is ever needed. */
#define PG_PREPARED_MAX 64

/* A slot's statement exists on the server only once its Parse was answered: a Parse skipped
 * or refused (an earlier error in its pipeline, a broken connection) leaves it NONE, and it
 * is sent again the next time. Prepared statements outlive ROLLBACK: they belong to the
 * session, not to a transaction. */
enum pg_prep_state { PG_PREP_NONE, PG_PREP_SENT, PG_PREP_READY };

struct pg_prepared {
    char *sql; /* $n form */
    enum pg_prep_state state;
};

/* What each command sent in a pipeline was, to read its answer: a Parse for prepared slot
 * `i`, queued statement `i`, or the statement whose answer is wanted. */
enum pg_cmd_kind { PG_CMD_PREPARE, PG_CMD_LATER, PG_CMD_MINE };
struct pg_cmd {
    enum pg_cmd_kind kind;
    size_t i;
};

struct pg {
    PGconn *conn;
    char sql[STORE_SQL_MAX];
    struct pg_later later[PG_LATER_MAX];
    size_t nlater;
    size_t later_bytes;
    bool lost;               /* a deferred statement failed: only ROLLBACK is accepted */
    struct gsi_err lost_err; /* ... and this is what everything else returns */
    struct pg_prepared prepared[PG_PREPARED_MAX];
    size_t nprepared;
    struct pg_cmd cmds[2 * PG_LATER_MAX + 1]; /* pg_pipeline's, kept here off the stack */
};

static void later_free(struct pg_later *l)
{
    for (int i = 0; i < l->n; i++) {
        free(l->vals[i]);
    }
    free(l->vals);
    free(l->sql);
    memset(l, 0, sizeof *l);
}

static void later_drop(struct pg *p)
{
    for (size_t i = 0; i < p->nlater; i++) {
        later_free(&p->later[i]);
    }
    p->nlater = 0;
    p->later_bytes = 0;
}

/* Copies libpq's message into dst[cap] without the newline (and spaces) it ends with. */
static const char *pg_message(char *dst, size_t cap, const char *msg)
{
    snprintf(dst, cap, "%s", msg ? msg : "");
    size_t n = strlen(dst);
    while (n > 0 && (dst[n - 1] == '\n' || dst[n - 1] == ' ')) {
        dst[--n] = '\0';
    }
    return dst;
}

/* Whether `res` carries the SQLSTATE `code` (five characters, PostgreSQL Appendix A). */
static bool sqlstate_is(const PGresult *res, const char *code)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    return state != NULL && strcmp(state, code) == 0;
}

static int pg_status_err(PGresult *res, struct gsi_err *err, const char *what, PGconn *c)
{
    int g = GSI_EDB;
    /* 23505 unique_violation, 23503 foreign_key_violation */
    if (sqlstate_is(res, "23505") || sqlstate_is(res, "23503")) {
        g = GSI_ECONFLICT;
    }
    char clean[400];
    pg_message(clean, sizeof clean, res ? PQresultErrorMessage(res) : PQerrorMessage(c));
    return gsi_err_set(err, g, "postgresql: %s: %s", what, clean);
}

static int pg_query(void *h, struct store_rows **rows, const char *sql,
                    const struct store_val *params, size_t nparams, struct gsi_err *err);

static int pg_setting(struct pg *p, const char *sql, char *out, size_t cap, struct gsi_err *err)
{
    struct store_rows *r = NULL;
    int rc = pg_query(p, &r, sql, NULL, 0, err);
    if (rc < 0) {
        return rc;
    }
    snprintf(out, cap, "%s", store_rows_text(r, 0, 0));
    store_rows_free(r);
    return 0;
}

static void pg_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* "relation already exists, skipping" and the like: not for the user */
}

static void pg_close(void *h)
{
    struct pg *p = h;
    if (p == NULL) {
        return;
    }
    later_drop(p);
    for (size_t i = 0; i < p->nprepared; i++) {
        free(p->prepared[i].sql);
    }
    PQfinish(p->conn);
    free(p);
}

/* Makes COMMIT wait for the WAL flush and refuses a server that would not do it. */
static int pg_check_durable(struct pg *p, struct gsi_err *err)
{
    char v[64];
    int rc = pg_query(p, NULL, "SET synchronous_commit = on", NULL, 0, err);
    if (rc == 0) {
        rc = pg_query(p, NULL, "SET client_min_messages = warning", NULL, 0, err);
    }
    if (rc == 0) {
        rc = pg_setting(p, "SHOW fsync", v, sizeof v, err);
        if (rc == 0 && strcmp(v, "on") != 0) {
            return gsi_err_set(err, GSI_EDB, "postgresql: the server runs with fsync off");
        }
    }
    if (rc == 0) {
        rc = pg_setting(p, "SHOW synchronous_commit", v, sizeof v, err);
        if (rc == 0 && strcmp(v, "on") != 0) {
            return gsi_err_set(err, GSI_EDB, "postgresql: synchronous_commit is not on");
        }
    }
    return rc;
}

static int pg_open(void **h, const char *conninfo, bool create, struct gsi_err *err)
{
    (void)create; /* the database is made by its administrator (createdb), never here */
    struct pg *p = calloc(1, sizeof *p);
    if (p == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    p->conn = PQconnectdb(conninfo);
    int rc;
    if (p->conn == NULL || PQstatus(p->conn) != CONNECTION_OK) {
        char clean[300];
        pg_message(clean, sizeof clean, p->conn ? PQerrorMessage(p->conn) : "out of memory");
        rc = gsi_err_set(err, GSI_EDB, "postgresql: cannot connect: %s", clean);
    } else {
        PQsetNoticeProcessor(p->conn, pg_notice, NULL);
        rc = pg_check_durable(p, err);
    }
    if (rc < 0) {
        pg_close(p);
        return GSI_EDB;
    }
    *h = p;
    return 0;
}

/* A statement's parameters as the NUL-terminated text libpq wants: values[i] points into
 * ints[i] (a printed integer) or texts[i] (a malloc'd copy of a text value), or is NULL for
 * SQL NULL. */
struct pg_params {
    const char *values[STORE_PARAMS_MAX];
    char ints[STORE_PARAMS_MAX][24];
    char *texts[STORE_PARAMS_MAX];
    size_t n;
};

static void params_free(struct pg_params *pp)
{
    for (size_t i = 0; i < pp->n; i++) {
        free(pp->texts[i]);
        pp->texts[i] = NULL;
    }
}

/* Fills pp from params (nparams <= STORE_PARAMS_MAX); free with params_free. */
static int params_text(struct pg_params *pp, const struct store_val *params, size_t nparams,
                       struct gsi_err *err)
{
    pp->n = 0;
    for (size_t i = 0; i < nparams; i++) {
        pp->texts[i] = NULL;
        pp->n = i + 1;
        if (params[i].kind == STORE_VAL_INT) {
            snprintf(pp->ints[i], sizeof pp->ints[i], "%lld", (long long)params[i].i);
            pp->values[i] = pp->ints[i];
        } else if (params[i].kind == STORE_VAL_TEXT) {
            pp->texts[i] = malloc(params[i].len + 1);
            if (pp->texts[i] == NULL) {
                params_free(pp);
                return gsi_err_set(err, GSI_ENOMEM, "out of memory");
            }
            memcpy(pp->texts[i], params[i].text, params[i].len);
            pp->texts[i][params[i].len] = '\0';
            pp->values[i] = pp->texts[i];
        } else {
            pp->values[i] = NULL;
        }
    }
    return 0;
}

/* Reads one result into *rows (when wanted) and clears it. */
static int pg_result(struct pg *p, PGresult *res, struct store_rows **rows, const char *sql,
                     struct gsi_err *err);

/* The prepared slot for `sql` ($n form), taken now if it is new; -1 when every slot is
 * taken by other statements or memory is short (the statement then goes unnamed). */
static int prepared_slot(struct pg *p, const char *sql)
{
    for (size_t i = 0; i < p->nprepared; i++) {
        if (strcmp(p->prepared[i].sql, sql) == 0) {
            return (int)i;
        }
    }
    if (p->nprepared == PG_PREPARED_MAX) {
        return -1;
    }
    char *copy = strdup(sql);
    if (copy == NULL) {
        return -1;
    }
    p->prepared[p->nprepared] = (struct pg_prepared){ copy, PG_PREP_NONE };
    return (int)p->nprepared++;
}

/* Sends queued statement `li` into the pipeline, with its Parse first when its prepared
 * statement does not exist yet, and records each command sent in p->cmds. False when libpq
 * refused to send. */
static bool send_later(struct pg *p, size_t li, size_t *sent)
{
    const struct pg_later *l = &p->later[li];
    const char *const *vals = (const char *const *)l->vals;
    int slot = prepared_slot(p, l->sql);
    if (slot < 0) {
        if (PQsendQueryParams(p->conn, l->sql, l->n, NULL, vals, NULL, NULL, 0) != 1) {
            return false;
        }
    } else {
        char name[24];
        snprintf(name, sizeof name, "gsi_%d", slot);
        struct pg_prepared *pr = &p->prepared[slot];
        if (pr->state == PG_PREP_NONE) {
            if (PQsendPrepare(p->conn, name, l->sql, l->n, NULL) != 1) {
                return false;
            }
            pr->state = PG_PREP_SENT;
            p->cmds[(*sent)++] = (struct pg_cmd){ PG_CMD_PREPARE, (size_t)slot };
        }
        if (PQsendQueryPrepared(p->conn, name, l->n, vals, NULL, NULL, 0) != 1) {
            return false;
        }
    }
    p->cmds[(*sent)++] = (struct pg_cmd){ PG_CMD_LATER, li };
    return true;
}

/* Sends every queued statement and then `sql` (already in $n form; NULL: none) in one
 * pipeline, and reads their answers. The first error wins: in a queued statement it marks
 * the transaction lost. `sql`'s own result is read into *rows as by pg_query. */
/* Reads every answer that was asked for (`sent` commands, p->cmds). Each command's results
 * end with a NULL; a broken connection answers NULL at once. Keeps the answer to the caller's
 * own statement (*mine) and the first failure (*first_bad, with the SQL that failed). */
static void read_answers(struct pg *p, size_t sent, PGresult **first_bad, const char **bad_sql,
                         PGresult **mine)
{
    for (size_t q = 0; q < sent; q++) {
        const struct pg_cmd *cmd = &p->cmds[q];
        PGresult *r;
        while ((r = PQgetResult(p->conn)) != NULL) {
            ExecStatusType st = PQresultStatus(r);
            if (cmd->kind == PG_CMD_PREPARE &&
                (st == PGRES_COMMAND_OK || sqlstate_is(r, "42P05"))) {
                /* 42P05, "already exists": a Parse whose answer was lost earlier did run.
                 * This act still fails (the error aborts its transaction); the next one
                 * uses the statement. */
                p->prepared[cmd->i].state = PG_PREP_READY;
            }
            if (cmd->kind == PG_CMD_MINE && *mine == NULL) {
                *mine = r;
            } else if (*first_bad == NULL && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
                       st != PGRES_PIPELINE_ABORTED) {
                *first_bad = r;
                *bad_sql =
                    cmd->kind == PG_CMD_PREPARE ? p->prepared[cmd->i].sql : p->later[cmd->i].sql;
            } else {
                PQclear(r);
            }
        }
    }
    for (size_t i = 0; i < p->nprepared; i++) {
        if (p->prepared[i].state == PG_PREP_SENT) {
            p->prepared[i].state = PG_PREP_NONE; /* never answered: not on the server */
        }
    }
}

static int pg_pipeline(struct pg *p, struct store_rows **rows, const char *sql,
                       const char *const *values, int nparams, const char *orig_sql,
                       struct gsi_err *err)
{
    size_t nq = p->nlater;
    if (PQenterPipelineMode(p->conn) != 1) {
        /* The queued statements are lost with it: so is the transaction. */
        later_drop(p);
        int rc = pg_status_err(NULL, err, "entering pipeline mode", p->conn);
        p->lost = true;
        p->lost_err = *err;
        return rc;
    }
    size_t sent = 0;
    bool send_ok = true;
    for (size_t i = 0; i < nq && send_ok; i++) {
        send_ok = send_later(p, i, &sent);
    }
    if (send_ok && sql != NULL) {
        send_ok = PQsendQueryParams(p->conn, sql, nparams, NULL, values, NULL, NULL, 0) == 1;
        if (send_ok) {
            p->cmds[sent++] = (struct pg_cmd){ PG_CMD_MINE, 0 };
        }
    }
    /* The sync point goes out even after a failed send: it makes the server answer, and
     * libpq flush, what was sent, so the reads below never wait for answers that cannot come
     * on a live connection. */
    bool sync_sent = PQpipelineSync(p->conn) == 1;
    PGresult *first_bad = NULL, *mine = NULL;
    const char *bad_sql = NULL;
    read_answers(p, sent, &first_bad, &bad_sql, &mine);
    bool synced = false;
    if (sync_sent) {
        PGresult *r = PQgetResult(p->conn);
        synced = r != NULL && PQresultStatus(r) == PGRES_PIPELINE_SYNC;
        PQclear(r);
    }
    if (PQexitPipelineMode(p->conn) != 1) {
        synced = false;
    }
    int rc = 0;
    if (first_bad != NULL) {
        /* The error of a queued statement, named by its SQL. */
        rc = pg_status_err(first_bad, err, bad_sql, p->conn);
        p->lost = true;
        p->lost_err = *err;
    } else if (!send_ok || !synced) {
        rc = pg_status_err(NULL, err, "pipeline", p->conn);
        p->lost = true;
        p->lost_err = *err;
    }
    PQclear(first_bad);
    later_drop(p);
    if (rc < 0) {
        PQclear(mine);
        return rc;
    }
    if (sql == NULL) {
        return 0;
    }
    return pg_result(p, mine, rows, orig_sql, err);
}

static int pg_defer(void *h, const char *sql, const struct store_val *params, size_t nparams,
                    struct gsi_err *err)
{
    struct pg *p = h;
    if (p->lost) {
        *err = p->lost_err;
        return err->code;
    }
    if (nparams > STORE_PARAMS_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "more than %d parameters", STORE_PARAMS_MAX);
    }
    size_t bytes = 0;
    for (size_t i = 0; i < nparams; i++) {
        bytes += params[i].kind == STORE_VAL_TEXT ? params[i].len : 8;
    }
    if (p->nlater == PG_LATER_MAX ||
        (p->nlater > 0 && p->later_bytes + bytes > PG_LATER_BYTES_MAX)) {
        int rc = pg_pipeline(p, NULL, NULL, NULL, 0, NULL, err);
        if (rc < 0) {
            return rc;
        }
    }
    int rc = store_sql_to_pg(p->sql, sizeof p->sql, sql, err);
    if (rc < 0) {
        return rc;
    }
    struct pg_later *l = &p->later[p->nlater];
    struct pg_params pp;
    rc = params_text(&pp, params, nparams, err);
    if (rc < 0) {
        return rc;
    }
    l->sql = strdup(p->sql);
    l->vals = calloc(nparams ? nparams : 1, sizeof *l->vals);
    l->n = l->vals ? (int)nparams : 0;
    bool oom = l->sql == NULL || l->vals == NULL;
    for (size_t i = 0; i < nparams && !oom; i++) {
        if (pp.texts[i] != NULL) {
            l->vals[i] = pp.texts[i]; /* ownership moves to the queue */
            pp.texts[i] = NULL;
        } else if (pp.values[i] != NULL) {
            l->vals[i] = strdup(pp.values[i]);
            oom = l->vals[i] == NULL;
        }
    }
    params_free(&pp); /* what the queue did not take */
    if (oom) {
        later_free(l);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    p->nlater++;
    p->later_bytes += bytes;
    return 0;
}

static int pg_query(void *h, struct store_rows **rows, const char *sql,
                    const struct store_val *params, size_t nparams, struct gsi_err *err)
{
    struct pg *p = h;
    PGresult *res;
    if (rows != NULL) {
        *rows = NULL; /* whatever happens, as store_query promises */
    }
    if (nparams > STORE_PARAMS_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "more than %d parameters", STORE_PARAMS_MAX);
    }
    if (strcmp(sql, "ROLLBACK") == 0) {
        /* Queued statements would be undone anyway; a lost transaction ends here. */
        later_drop(p);
        p->lost = false;
    } else if (p->lost) {
        *err = p->lost_err;
        return err->code;
    }
    if (nparams == 0 && rows == NULL && strchr(sql, ';') != NULL) {
        if (p->nlater > 0) {
            int rc = pg_pipeline(p, NULL, NULL, NULL, 0, NULL, err);
            if (rc < 0) {
                return rc;
            }
        }
        res = PQexec(p->conn, sql); /* a script: several statements */
    } else {
        int rc = store_sql_to_pg(p->sql, sizeof p->sql, sql, err);
        if (rc < 0) {
            return rc;
        }
        struct pg_params pp;
        rc = params_text(&pp, params, nparams, err);
        if (rc < 0) {
            return rc;
        }
        if (p->nlater > 0) {
            rc = pg_pipeline(p, rows, p->sql, pp.values, (int)nparams, sql, err);
        } else {
            res = PQexecParams(p->conn, p->sql, (int)nparams, NULL, pp.values, NULL, NULL, 0);
            rc = pg_result(p, res, rows, sql, err);
        }
        params_free(&pp);
        return rc;
    }
    return pg_result(p, res, rows, sql, err);
}

static int pg_result(struct pg *p, PGresult *res, struct store_rows **rows, const char *sql,
                     struct gsi_err *err)
{
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        int rc = pg_status_err(res, err, sql, p->conn);
        PQclear(res);
        return rc;
    }
    if (st == PGRES_COMMAND_OK && strcmp(sql, "COMMIT") == 0 &&
        strcmp(PQcmdStatus(res), "COMMIT") != 0) {
        /* An aborted transaction answers COMMIT with "ROLLBACK" and no error: nothing was
         * written, and the caller must not say otherwise. */
        int rc = gsi_err_set(err, GSI_EDB,
                             "postgresql: COMMIT answered '%s': the transaction "
                             "had failed and was rolled back",
                             PQcmdStatus(res));
        PQclear(res);
        return rc;
    }
    int rc = 0;
    if (rows != NULL) {
        int ncols = PQnfields(res);
        int nrows = PQntuples(res);
        if (ncols > STORE_COLS_MAX) {
            rc = gsi_err_set(err, GSI_ELIMIT, "query returns %d columns, more than %d", ncols,
                             STORE_COLS_MAX);
            PQclear(res);
            return rc;
        }
        rc = store_rows_new(rows, (size_t)ncols, err);
        const char *vals[STORE_COLS_MAX];
        size_t lens[STORE_COLS_MAX];
        for (int r = 0; rc == 0 && r < nrows; r++) {
            for (int c = 0; c < ncols; c++) {
                if (PQgetisnull(res, r, c)) {
                    vals[c] = NULL;
                    lens[c] = 0;
                } else {
                    vals[c] = PQgetvalue(res, r, c);
                    lens[c] = (size_t)PQgetlength(res, r, c);
                }
            }
            rc = store_rows_add(*rows, vals, lens, err);
        }
        if (rc < 0) {
            store_rows_free(*rows);
            *rows = NULL;
        }
    }
    PQclear(res);
    return rc;
}

static int pg_begin_write(void *h, struct gsi_err *err)
{
    /* Sent with the first statement of the transaction. */
    return pg_defer(h, "BEGIN", NULL, 0, err);
}

static int pg_lock_log(void *h, struct gsi_err *err)
{
    /* The log head row is the one place every appender must pass: holding it FOR UPDATE until
     * COMMIT makes appends from several processes take turns, so sizes never collide. */
    return pg_defer(h, "SELECT size FROM journal_head WHERE id = 1 FOR UPDATE", NULL, 0, err);
}

static bool pg_txn_open(void *h)
{
    struct pg *p = h;
    if (p->lost) {
        return false;
    }
    PGTransactionStatusType t = PQtransactionStatus(p->conn);
    /* IDLE with statements queued: the BEGIN has not been sent yet. */
    return t == PQTRANS_INTRANS || (t == PQTRANS_IDLE && p->nlater > 0);
}

const struct store_ops store_pg_ops = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .query = pg_query,
    .begin_write = pg_begin_write,
    .lock_log = pg_lock_log,
    .defer = pg_defer,
    .txn_open = pg_txn_open,
    .serial_pk = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
};
