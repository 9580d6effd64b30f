/* store_sqlite.c — the SQLite backend of `struct store_ops`.
 *
 * Every connection is put in WAL mode with synchronous=FULL (a commit is on disk before it
 * returns: the WAL is fsynced on every commit) and foreign_keys=ON, and all three are read
 * back, because a PRAGMA that SQLite does not accept is silently ignored. Prepared statements
 * are cached per connection (the same few statements run for every write), so the hot path
 * does not re-parse SQL. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/store.h"

#define STMT_CACHE      48
#define BUSY_TIMEOUT_MS 10000

struct cached_stmt {
    char *sql;
    sqlite3_stmt *stmt;
    unsigned long used;
};

struct sq {
    sqlite3 *db;
    struct cached_stmt cache[STMT_CACHE];
    unsigned long tick;
    int wal_pages; /* frames in the WAL after this connection's last commit (sqlite3_wal_hook) */
};

/* Replaces SQLite's automatic checkpoint, which would run inside the COMMIT that crosses
 * 1,000 WAL pages and make that commit (and every write queued behind it) pay for writing
 * and syncing the database file. The owner checkpoints when it likes (store_checkpoint). */
static int wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
    (void)db;
    (void)name;
    ((struct sq *)arg)->wal_pages = pages;
    return SQLITE_OK;
}

static int sq_fail(struct sq *q, struct gsi_err *err, const char *what)
{
    int code = sqlite3_extended_errcode(q->db);
    int primary = code & 0xff;
    int g = GSI_EDB;
    if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY ||
        code == SQLITE_CONSTRAINT_FOREIGNKEY) {
        g = GSI_ECONFLICT;
    } else if (primary == SQLITE_NOMEM) {
        g = GSI_ENOMEM;
    }
    return gsi_err_set(err, g, "sqlite: %s: %s", what, sqlite3_errmsg(q->db));
}

static int pragma_text(struct sq *q, const char *sql, char *out, size_t cap, struct gsi_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK) {
        return sq_fail(q, err, sql);
    }
    out[0] = '\0';
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(out, cap, "%s", t ? (const char *)t : "");
    } else if (rc != SQLITE_DONE) {
        sqlite3_finalize(st);
        return sq_fail(q, err, sql);
    }
    sqlite3_finalize(st);
    return 0;
}

static void sq_close(void *h)
{
    struct sq *q = h;
    if (q == NULL) {
        return;
    }
    for (size_t i = 0; i < STMT_CACHE; i++) {
        sqlite3_finalize(q->cache[i].stmt);
        free(q->cache[i].sql);
    }
    sqlite3_close(q->db);
    free(q);
}

/* Sets WAL mode, synchronous=FULL and foreign keys on a new connection and reads all three
 * back: a PRAGMA that SQLite does not accept is silently ignored. */
static int sq_check_durable(struct sq *q, const char *path, struct gsi_err *err)
{
    char v[32] = "";
    const char *fail = NULL;
    /* A PRAGMA that fails (a file that is not a database, an unreadable one) is reported
     * with SQLite's own message; one that answers the wrong value with what it read. */
    bool db_error = false;
    if (sqlite3_exec(q->db, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;", NULL, NULL, NULL) !=
        SQLITE_OK) {
        fail = "setting foreign_keys and synchronous";
        db_error = true;
        sq_fail(q, err, fail);
    } else if ((db_error = pragma_text(q, "PRAGMA journal_mode=WAL", v, sizeof v, err) < 0) ||
               strcmp(v, "wal") != 0) {
        fail = "journal_mode is not WAL";
    } else if ((db_error = pragma_text(q, "PRAGMA synchronous", v, sizeof v, err) < 0) ||
               strcmp(v, "2") != 0) {
        fail = "synchronous is not FULL (2)";
    } else if ((db_error = pragma_text(q, "PRAGMA foreign_keys", v, sizeof v, err) < 0) ||
               strcmp(v, "1") != 0) {
        fail = "foreign_keys is not on";
    }
    if (fail == NULL) {
        return 0;
    }
    if (db_error) {
        /* err holds "sqlite: <statement>: <SQLite's message>" from sq_fail. */
        char cause[GSI_ERR_MSG_MAX];
        snprintf(cause, sizeof cause, "%s",
                 strncmp(err->msg, "sqlite: ", 8) == 0 ? err->msg + 8 : err->msg);
        return gsi_err_set(err, GSI_EDB, "sqlite: '%s': %s", path, cause);
    }
    return gsi_err_set(err, GSI_EDB, "sqlite: '%s': %s (read back '%s')", path, fail, v);
}

static int sq_open(void **h, const char *path, bool create, struct gsi_err *err)
{
    struct sq *q = calloc(1, sizeof *q);
    if (q == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path, &q->db, flags, NULL);
    if (rc != SQLITE_OK && !create && access(path, F_OK) != 0 && errno == ENOENT) {
        /* Told apart from other failures so that callers can say what to do next. */
        rc = gsi_err_set(err, GSI_ENOTFOUND, "sqlite: no database file '%s'", path);
    } else if (rc != SQLITE_OK) {
        rc = gsi_err_set(err, GSI_EDB, "sqlite: cannot open '%s': %s", path,
                         q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc));
    } else {
        sqlite3_busy_timeout(q->db, BUSY_TIMEOUT_MS);
        sqlite3_wal_hook(q->db, wal_hook, q);
        sqlite3_extended_result_codes(q->db, 1);
        rc = sq_check_durable(q, path, err);
    }
    if (rc < 0) {
        sq_close(q);
        return rc;
    }
    *h = q;
    return 0;
}

/* The cached statement for `sql`, prepared on first use; the least recently used one is
 * evicted when the cache is full. */
static int sq_prepare(struct sq *q, sqlite3_stmt **out, const char *sql, struct gsi_err *err)
{
    struct cached_stmt *victim = &q->cache[0];
    q->tick++;
    for (size_t i = 0; i < STMT_CACHE; i++) {
        struct cached_stmt *c = &q->cache[i];
        if (c->sql != NULL && strcmp(c->sql, sql) == 0) {
            c->used = q->tick;
            *out = c->stmt;
            return 0;
        }
        if (c->sql == NULL || c->used < victim->used) {
            victim = c;
        }
        if (c->sql == NULL) {
            break;
        }
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK) {
        return sq_fail(q, err, "prepare");
    }
    char *copy = strdup(sql);
    if (copy == NULL) {
        sqlite3_finalize(st);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    sqlite3_finalize(victim->stmt);
    free(victim->sql);
    victim->sql = copy;
    victim->stmt = st;
    victim->used = q->tick;
    *out = st;
    return 0;
}

/* Binds the parameters to st; on failure resets it and fills err. */
static int sq_bind(struct sq *q, sqlite3_stmt *st, const struct store_val *params, size_t nparams,
                   struct gsi_err *err)
{
    for (size_t i = 0; i < nparams; i++) {
        int b;
        int idx = (int)i + 1;
        switch (params[i].kind) {
        case STORE_VAL_TEXT:
            b = sqlite3_bind_text(st, idx, params[i].text, (int)params[i].len, SQLITE_STATIC);
            break;
        case STORE_VAL_INT:
            b = sqlite3_bind_int64(st, idx, params[i].i);
            break;
        default:
            b = sqlite3_bind_null(st, idx);
            break;
        }
        if (b != SQLITE_OK) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return sq_fail(q, err, "bind");
        }
    }
    return 0;
}

/* Steps st to the end, adding each row to rows (NULL: the rows are not wanted). */
static int sq_collect(struct sq *q, sqlite3_stmt *st, const char *sql, struct store_rows *rows,
                      int ncols, struct gsi_err *err)
{
    const char *vals[STORE_COLS_MAX];
    size_t lens[STORE_COLS_MAX];
    for (;;) {
        int s = sqlite3_step(st);
        if (s == SQLITE_DONE) {
            return 0;
        }
        if (s != SQLITE_ROW) {
            return sq_fail(q, err, sql);
        }
        if (rows == NULL) {
            continue;
        }
        for (int c = 0; c < ncols; c++) {
            if (sqlite3_column_type(st, c) == SQLITE_NULL) {
                vals[c] = NULL;
                lens[c] = 0;
            } else {
                vals[c] = (const char *)sqlite3_column_text(st, c);
                lens[c] = (size_t)sqlite3_column_bytes(st, c);
                if (vals[c] == NULL) {
                    vals[c] = "";
                }
            }
        }
        int rc = store_rows_add(rows, vals, lens, err);
        if (rc < 0) {
            return rc;
        }
    }
}

static int sq_query(void *h, struct store_rows **rows, const char *sql,
                    const struct store_val *params, size_t nparams, struct gsi_err *err)
{
    struct sq *q = h;
    if (nparams == 0 && rows == NULL && strchr(sql, ';') != NULL) {
        /* A script (migrations): several statements, no parameters. */
        char *msg = NULL;
        if (sqlite3_exec(q->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
            int rc = sq_fail(q, err, "exec");
            sqlite3_free(msg);
            return rc;
        }
        return 0;
    }
    if (nparams > STORE_PARAMS_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "more than %d parameters", STORE_PARAMS_MAX);
    }
    sqlite3_stmt *st = NULL;
    int rc = sq_prepare(q, &st, sql, err);
    if (rc < 0 || (rc = sq_bind(q, st, params, nparams, err)) < 0) {
        return rc;
    }
    int ncols = sqlite3_column_count(st);
    if (rows != NULL && ncols > STORE_COLS_MAX) {
        /* Refused before any row is built: sq_collect's vals[] holds STORE_COLS_MAX cells. */
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        return gsi_err_set(err, GSI_ELIMIT, "query returns %d columns, more than %d", ncols,
                           STORE_COLS_MAX);
    }
    if (rows != NULL) {
        rc = store_rows_new(rows, (size_t)ncols, err);
        if (rc < 0) {
            sqlite3_reset(st);
            return rc;
        }
    }
    rc = sq_collect(q, st, sql, rows != NULL ? *rows : NULL, ncols, err);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc < 0 && rows != NULL) {
        store_rows_free(*rows);
        *rows = NULL;
    }
    return rc;
}

static int sq_begin_write(void *h, struct gsi_err *err)
{
    return sq_query(h, NULL, "BEGIN IMMEDIATE", NULL, 0, err);
}

static int sq_lock_log(void *h, struct gsi_err *err)
{
    (void)h;
    (void)err;
    return 0; /* BEGIN IMMEDIATE already holds the only write lock */
}

static long sq_wal_pages(void *h)
{
    return ((struct sq *)h)->wal_pages;
}

static int sq_checkpoint(void *h, struct gsi_err *err)
{
    struct sq *q = h;
    /* PASSIVE: copies what no reader still needs, without waiting for anyone; writers go on
     * committing meanwhile. */
    int rc = sqlite3_wal_checkpoint_v2(q->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
        return sq_fail(q, err, "wal checkpoint");
    }
    return 0;
}

static bool sq_txn_open(void *h)
{
    return sqlite3_get_autocommit(((struct sq *)h)->db) == 0;
}

const struct store_ops store_sqlite_ops = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .query = sq_query,
    .begin_write = sq_begin_write,
    .lock_log = sq_lock_log,
    .wal_pages = sq_wal_pages,
    .checkpoint = sq_checkpoint,
    .txn_open = sq_txn_open,
    .serial_pk = "INTEGER PRIMARY KEY",
};
