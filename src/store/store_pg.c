/* store_pg.c — the PostgreSQL backend of `struct store_ops`, through libpq.
 *
 * Parameters go as text with PQexecParams ($n placeholders made from `?` by
 * store_sql_to_pg). Each connection checks that the server runs with fsync on and sets and
 * reads back synchronous_commit=on, so COMMIT returns only once the WAL record is flushed.
 *
 * Deferred statements (store_exec_later: BEGIN, the log lock, savepoints, journal rows) are
 * queued and sent in pipeline mode (libpq >= 14) together with the next statement whose answer
 * is needed, so a journalled act costs one round trip instead of six. The server runs them in
 * order and skips everything after the first error up to the sync point. An error in a
 * deferred statement cannot be pinned on the caller that is waiting, so it marks the
 * transaction lost: every later statement, COMMIT included, fails with it until ROLLBACK. */
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

struct pg {
    PGconn *conn;
    char sql[STORE_SQL_MAX];
    struct pg_later later[PG_LATER_MAX];
    size_t nlater;
    size_t later_bytes;
    bool lost;               /* a deferred statement failed: only ROLLBACK is accepted */
    struct gsi_err lost_err; /* ... and this is what everything else returns */
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

static int pg_status_err(PGresult *res, struct gsi_err *err, const char *what, PGconn *c)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    int g = GSI_EDB;
    /* 23505 unique_violation, 23503 foreign_key_violation */
    if (state != NULL && (strcmp(state, "23505") == 0 || strcmp(state, "23503") == 0)) {
        g = GSI_ECONFLICT;
    }
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(c);
    char clean[400];
    snprintf(clean, sizeof clean, "%s", msg ? msg : "");
    size_t n = strlen(clean);
    while (n > 0 && (clean[n - 1] == '\n' || clean[n - 1] == ' ')) {
        clean[--n] = '\0';
    }
    return gsi_err_set(err, g, "postgresql: %s: %s", what, clean);
}

static int pg_query(void *h, struct store_rows **rows, const char *sql,
                    const struct store_val *params, size_t nparams, struct gsi_err *err);

static int pg_setting(struct pg *p, const char *sql, char *out, size_t cap, struct gsi_err *err)
{
    struct store_rows *r;
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

static int pg_open(void **h, const char *conninfo, bool create, struct gsi_err *err)
{
    (void)create; /* the database is made by its administrator (createdb), never here */
    struct pg *p = calloc(1, sizeof *p);
    if (p == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    p->conn = PQconnectdb(conninfo);
    if (p->conn == NULL || PQstatus(p->conn) != CONNECTION_OK) {
        char clean[300];
        snprintf(clean, sizeof clean, "%s", p->conn ? PQerrorMessage(p->conn) : "out of memory");
        size_t n = strlen(clean);
        while (n > 0 && (clean[n - 1] == '\n' || clean[n - 1] == ' ')) {
            clean[--n] = '\0';
        }
        gsi_err_set(err, GSI_EDB, "postgresql: cannot connect: %s", clean);
        PQfinish(p->conn);
        free(p);
        return GSI_EDB;
    }
    PQsetNoticeProcessor(p->conn, pg_notice, NULL);
    char v[64];
    const char *fail = NULL;
    int rc = pg_query(p, NULL, "SET synchronous_commit = on", NULL, 0, err);
    if (rc == 0) {
        rc = pg_query(p, NULL, "SET client_min_messages = warning", NULL, 0, err);
    }
    if (rc == 0) {
        rc = pg_setting(p, "SHOW fsync", v, sizeof v, err);
        if (rc == 0 && strcmp(v, "on") != 0) {
            fail = "the server runs with fsync off";
        }
    }
    if (rc == 0 && fail == NULL) {
        rc = pg_setting(p, "SHOW synchronous_commit", v, sizeof v, err);
        if (rc == 0 && strcmp(v, "on") != 0) {
            fail = "synchronous_commit is not on";
        }
    }
    if (rc < 0 || fail != NULL) {
        if (fail != NULL) {
            gsi_err_set(err, GSI_EDB, "postgresql: %s", fail);
        }
        PQfinish(p->conn);
        free(p);
        return GSI_EDB;
    }
    *h = p;
    return 0;
}

static void pg_close(void *h)
{
    struct pg *p = h;
    if (p == NULL) {
        return;
    }
    later_drop(p);
    PQfinish(p->conn);
    free(p);
}

/* Converts parameters to the NUL-terminated text libpq wants. texts[i] is malloc'd for text
 * values (free with free_texts); ints[] holds printed integers. */
static int params_text(const char **values, char ints[][24], char **texts,
                       const struct store_val *params, size_t nparams, struct gsi_err *err)
{
    for (size_t i = 0; i < nparams; i++) {
        texts[i] = NULL;
        if (params[i].kind == STORE_VAL_INT) {
            snprintf(ints[i], sizeof ints[i], "%lld", (long long)params[i].i);
            values[i] = ints[i];
        } else if (params[i].kind == STORE_VAL_TEXT) {
            texts[i] = malloc(params[i].len + 1);
            if (texts[i] == NULL) {
                for (size_t j = 0; j < i; j++) {
                    free(texts[j]);
                    texts[j] = NULL;
                }
                return gsi_err_set(err, GSI_ENOMEM, "out of memory");
            }
            memcpy(texts[i], params[i].text, params[i].len);
            texts[i][params[i].len] = '\0';
            values[i] = texts[i];
        } else {
            values[i] = NULL;
        }
    }
    return 0;
}

/* Reads one result into *rows (when wanted) and clears it. */
static int pg_result(struct pg *p, PGresult *res, struct store_rows **rows, const char *sql,
                     struct gsi_err *err);

/* Sends every queued statement and then `sql` (already in $n form; NULL: none) in one
 * pipeline, and reads their answers. The first error wins: in a queued statement it marks
 * the transaction lost. `sql`'s own result is read into *rows as by pg_query. */
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
        struct pg_later *l = &p->later[i];
        send_ok = PQsendQueryParams(p->conn, l->sql, l->n, NULL, (const char *const *)l->vals, NULL,
                                    NULL, 0) == 1;
        sent += send_ok;
    }
    if (send_ok && sql != NULL) {
        send_ok = PQsendQueryParams(p->conn, sql, nparams, NULL, values, NULL, NULL, 0) == 1;
        sent += send_ok;
    }
    if (send_ok) {
        send_ok = PQpipelineSync(p->conn) == 1;
    }
    /* Read every answer that was asked for, then the sync point. Each statement's results
     * end with a NULL; a broken connection answers NULL at once, so this cannot hang. */
    PGresult *first_bad = NULL, *mine = NULL;
    size_t bad_at = 0;
    for (size_t q = 0; q < sent; q++) {
        PGresult *r;
        while ((r = PQgetResult(p->conn)) != NULL) {
            ExecStatusType st = PQresultStatus(r);
            if (q == nq && sql != NULL && mine == NULL) {
                mine = r;
            } else if (first_bad == NULL && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
                       st != PGRES_PIPELINE_ABORTED) {
                first_bad = r;
                bad_at = q;
            } else {
                PQclear(r);
            }
        }
    }
    bool synced = false;
    if (send_ok) {
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
        rc = pg_status_err(first_bad, err, p->later[bad_at].sql, p->conn);
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
    const char *values[STORE_PARAMS_MAX];
    char ints[STORE_PARAMS_MAX][24];
    char *texts[STORE_PARAMS_MAX];
    rc = params_text(values, ints, texts, params, nparams, err);
    if (rc < 0) {
        return rc;
    }
    l->sql = strdup(p->sql);
    l->vals = calloc(nparams ? nparams : 1, sizeof *l->vals);
    l->n = (int)nparams;
    bool oom = l->sql == NULL || l->vals == NULL;
    for (size_t i = 0; i < nparams; i++) {
        if (texts[i] != NULL) {
            l->vals[i] = texts[i]; /* ownership moves to the queue */
        } else if (values[i] != NULL && !oom) {
            l->vals[i] = strdup(values[i]);
            oom = oom || l->vals[i] == NULL;
        }
    }
    if (oom) {
        if (l->vals == NULL) {
            for (size_t i = 0; i < nparams; i++) {
                free(texts[i]);
            }
            l->n = 0;
        }
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
        const char *values[STORE_PARAMS_MAX];
        char ints[STORE_PARAMS_MAX][24];
        char *texts[STORE_PARAMS_MAX];
        rc = params_text(values, ints, texts, params, nparams, err);
        if (rc < 0) {
            return rc;
        }
        if (p->nlater > 0) {
            rc = pg_pipeline(p, rows, p->sql, values, (int)nparams, sql, err);
        } else {
            res = PQexecParams(p->conn, p->sql, (int)nparams, NULL, values, NULL, NULL, 0);
            rc = pg_result(p, res, rows, sql, err);
        }
        for (size_t i = 0; i < nparams; i++) {
            free(texts[i]);
        }
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
