/* store_pg.c — the PostgreSQL backend of `struct store_ops`, through libpq.
 *
 * Parameters go as text with PQexecParams ($n placeholders made from `?` by
 * store_sql_to_pg). Each connection checks that the server runs with fsync on and sets and
 * reads back synchronous_commit=on, so COMMIT returns only once the WAL record is flushed. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

struct pg {
    PGconn *conn;
    char sql[STORE_SQL_MAX];
};

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

static int pg_open(void **h, const char *conninfo, struct gsi_err *err)
{
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
    PQfinish(p->conn);
    free(p);
}

static int pg_query(void *h, struct store_rows **rows, const char *sql,
                    const struct store_val *params, size_t nparams, struct gsi_err *err)
{
    struct pg *p = h;
    PGresult *res;
    if (nparams > STORE_PARAMS_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "more than %d parameters", STORE_PARAMS_MAX);
    }
    if (nparams == 0 && rows == NULL && strchr(sql, ';') != NULL) {
        res = PQexec(p->conn, sql); /* a script: several statements */
    } else {
        int rc = store_sql_to_pg(p->sql, sizeof p->sql, sql, err);
        if (rc < 0) {
            return rc;
        }
        const char *values[STORE_PARAMS_MAX];
        int lengths[STORE_PARAMS_MAX];
        int formats[STORE_PARAMS_MAX];
        char ints[STORE_PARAMS_MAX][24];
        char *texts[STORE_PARAMS_MAX] = {0};
        for (size_t i = 0; i < nparams; i++) {
            formats[i] = 0;
            lengths[i] = 0;
            if (params[i].kind == STORE_VAL_INT) {
                snprintf(ints[i], sizeof ints[i], "%lld", (long long)params[i].i);
                values[i] = ints[i];
            } else if (params[i].kind == STORE_VAL_TEXT) {
                /* libpq wants NUL-terminated text parameters. */
                texts[i] = malloc(params[i].len + 1);
                if (texts[i] == NULL) {
                    for (size_t j = 0; j < i; j++) {
                        free(texts[j]);
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
        res = PQexecParams(p->conn, p->sql, (int)nparams, NULL, values, lengths, formats, 0);
        for (size_t i = 0; i < nparams; i++) {
            free(texts[i]);
        }
    }
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        int rc = pg_status_err(res, err, sql, p->conn);
        PQclear(res);
        return rc;
    }
    int rc = 0;
    if (rows != NULL) {
        int ncols = PQnfields(res);
        int nrows = PQntuples(res);
        if (ncols > 64) {
            ncols = 64;
        }
        rc = store_rows_new(rows, (size_t)ncols, err);
        const char *vals[64];
        size_t lens[64];
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
    return pg_query(h, NULL, "BEGIN", NULL, 0, err);
}

static int pg_lock_log(void *h, struct gsi_err *err)
{
    /* The log head row is the one place every appender must pass: holding it FOR UPDATE until
     * COMMIT makes appends from several processes take turns, so sizes never collide. */
    struct store_rows *r = NULL;
    int rc = pg_query(h, &r, "SELECT size FROM journal_head WHERE id = 1 FOR UPDATE", NULL, 0, err);
    store_rows_free(r);
    return rc;
}

const struct store_ops store_pg_ops = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .query = pg_query,
    .begin_write = pg_begin_write,
    .lock_log = pg_lock_log,
    .serial_pk = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
};
