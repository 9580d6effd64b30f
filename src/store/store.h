/*
 * store.h — one database connection behind one operations table, with a SQLite and a
 * PostgreSQL backend, and the versioned migrations of GSI's schema.
 *
 * SQL is written once, in the common subset of both dialects, with `?` placeholders; the
 * PostgreSQL backend rewrites them to $1, $2, ... Values travel as text (integers are printed
 * in decimal), so no binary formats differ between the two. Results are read whole into a
 * `struct store_rows` (the queries GSI makes are bounded by their LIMITs).
 *
 *     struct store *s;
 *     if (store_create(&s, "./gsi.db", &err) < 0) ...      // or "postgresql://..."
 *     if (store_migrate(s, &err) < 0) ...
 *     struct store_val v[] = {STORE_TEXT("CHN")};
 *     struct store_rows *r;
 *     if (store_query(s, &r, "SELECT name FROM parties WHERE id = ?", v, 1, &err) < 0) ...
 *     for (size_t i = 0; i < store_rows_count(r); i++) puts(store_rows_text(r, i, 0));
 *     store_rows_free(r);
 *     store_close(s);
 *
 * Durability is checked, not assumed: every SQLite connection is put in WAL mode with
 * synchronous=FULL and foreign_keys=ON and each is read back (GSI_EDB if the library refuses);
 * every PostgreSQL connection checks that fsync and synchronous_commit are on. store_commit()
 * returns 0 only after the database acknowledged the commit.
 *
 * A connection is used by one thread at a time. Errors are GSI_EDB with the database's
 * message, GSI_ECONFLICT for a unique or foreign-key violation, GSI_EUSAGE for a bad URL.
 */
#ifndef GSI_STORE_STORE_H
#define GSI_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/err.h"

#define STORE_URL_MAX    1024
#define STORE_PARAMS_MAX 32
#define STORE_COLS_MAX   64                /* columns one query may return (GSI_ELIMIT past it) */
#define STORE_ROWS_MAX   (1u << 22)        /* rows one query may return */
#define STORE_RESULT_MAX ((size_t)1 << 30) /* bytes one query may return */
#define STORE_SQL_MAX    (1u << 16)
#define STORE_BATCH_MAX  ((size_t)64 << 20) /* bytes of array text one store_insert_many sends */

enum store_backend { STORE_SQLITE, STORE_POSTGRES };

/* A parameter: NULL, text (len bytes, need not be NUL-terminated) or a 64-bit integer. */
enum store_val_kind { STORE_VAL_NULL, STORE_VAL_TEXT, STORE_VAL_INT };
struct store_val {
    enum store_val_kind kind;
    const char *text;
    size_t len;
    int64_t i;
};
#define STORE_NULL        ((struct store_val){ STORE_VAL_NULL, NULL, 0, 0 })
#define STORE_TEXT(s)     ((struct store_val){ STORE_VAL_TEXT, (s), strlen(s), 0 })
#define STORE_TEXTN(s, n) ((struct store_val){ STORE_VAL_TEXT, (s), (n), 0 })
#define STORE_INT(v)      ((struct store_val){ STORE_VAL_INT, NULL, 0, (int64_t)(v) })

struct store;
struct store_rows;

/* A parsed --db URL. */
struct store_url {
    enum store_backend backend;
    char conninfo[STORE_URL_MAX]; /* SQLite: the file path; PostgreSQL: the URL as given */
};

/* Parses a --db value: NULL or "" → "./gsi.db"; "sqlite:PATH", "file:PATH" or a plain path →
 * SQLite; "postgresql://..." or "postgres://..." → PostgreSQL. GSI_EUSAGE if empty path or
 * too long. */
int store_url_parse(struct store_url *out, const char *db, struct gsi_err *err);

/* The operations every backend implements (store_sqlite.c, store_pg.c). `h` is the backend's
 * own connection handle. */
struct store_ops {
    const char *name; /* "sqlite", "postgresql" */
    /* `create`: make the database when it is not there (SQLite: a new file). Without it a
     * missing SQLite file is GSI_ENOTFOUND and nothing is created. */
    int (*open)(void **h, const char *conninfo, bool create, struct gsi_err *err);
    void (*close)(void *h);
    /* Runs one statement (or several separated by ';' when nparams == 0 and rows == NULL). */
    int (*query)(void *h, struct store_rows **rows, const char *sql, const struct store_val *params,
                 size_t nparams, struct gsi_err *err);
    /* BEGIN for a writer: SQLite takes the write lock at once (BEGIN IMMEDIATE) so two
     * writers never deadlock upgrading; PostgreSQL a plain BEGIN. */
    int (*begin_write)(void *h, struct gsi_err *err);
    /* Serialises journal appends across processes inside the current transaction:
     * PostgreSQL locks the log head row (SELECT ... FOR UPDATE); SQLite already holds the
     * database's write lock. */
    int (*lock_log)(void *h, struct gsi_err *err);
    /* Queues a statement whose result is not needed, to be sent with the next one that is
     * (NULL: the backend runs it at once). See store_exec_later. */
    int (*defer)(void *h, const char *sql, const struct store_val *params, size_t nparams,
                 struct gsi_err *err);
    /* SQLite's write-ahead log: frames in it after this connection's last commit, and a
     * passive checkpoint (NULL for PostgreSQL, which checkpoints on its own). */
    long (*wal_pages)(void *h);
    int (*checkpoint)(void *h, struct gsi_err *err);
    /* Whether the database still holds the transaction open: SQLite ends one by itself on
     * SQLITE_FULL, SQLITE_IOERR or SQLITE_NOMEM, after which a SAVEPOINT would silently start
     * a new one (SQLite: sqlite3_get_autocommit() == 0; PostgreSQL: PQtransactionStatus is
     * PQTRANS_INTRANS, or its BEGIN is still queued). NULL: assumed open. */
    bool (*txn_open)(void *h);
    /* Dialect pieces for migrations: the type of an auto-increment primary key column. */
    const char *serial_pk;
};

extern const struct store_ops store_sqlite_ops;
extern const struct store_ops store_pg_ops;

/* Opens a connection to an existing database for a --db value (store_url_parse). A SQLite
 * file that does not exist is GSI_ENOTFOUND and is not created: a mistyped path must not
 * leave an empty database behind. */
int store_open(struct store **out, const char *db, struct gsi_err *err);
/* As store_open, but creates a SQLite file that is not there yet (only `gsi init` does). */
int store_create(struct store **out, const char *db, struct gsi_err *err);
void store_close(struct store *s);
enum store_backend store_backend_of(const struct store *s);
const char *store_backend_name(const struct store *s);

/* Runs a statement that returns no rows (INSERT, UPDATE, DDL). With nparams == 0 the text may
 * hold several statements separated by ';'. */
int store_exec(struct store *s, const char *sql, const struct store_val *params, size_t nparams,
               struct gsi_err *err);
/* Runs a statement whose result the caller does not need, inside a transaction, possibly
 * later: PostgreSQL queues it and sends it in one pipeline with the next statement that needs
 * an answer (or COMMIT), saving a round trip; SQLite (and any connection outside a
 * transaction) runs it at once. A deferred statement that fails cannot be blamed on the
 * statement that carried it, so it fails the whole transaction: every later statement,
 * COMMIT included, returns its error until ROLLBACK. Use it for statements that fail only when
 * something is badly wrong (the journal's rows, savepoints), never for one whose failure the
 * caller means to handle. ROLLBACK drops what is queued. */
int store_exec_later(struct store *s, const char *sql, const struct store_val *params,
                     size_t nparams, struct gsi_err *err);
/* Inserts `nrows` rows of `ncols` values each (vals is row-major) into `table` (`cols` names
 * the columns, comma-separated; both are trusted SQL text), deferred like store_exec_later.
 * PostgreSQL gets one statement, INSERT ... SELECT * FROM unnest($1::bigint[], $2::text[], ...),
 * each column as one array literal, so a whole batch costs one statement; SQLite runs one
 * cached single-row INSERT per row (it has no round trips to save). A column's SQL type is
 * that of its value in the first row (STORE_VAL_INT: bigint, otherwise text); NULLs are
 * allowed. GSI_ELIMIT past STORE_PARAMS_MAX columns or STORE_BATCH_MAX bytes of arrays. */
int store_insert_many(struct store *s, const char *table, const char *cols, size_t ncols,
                      const struct store_val *vals, size_t nrows, struct gsi_err *err);
/* Runs a query and reads all its rows into *rows (free with store_rows_free). */
int store_query(struct store *s, struct store_rows **rows, const char *sql,
                const struct store_val *params, size_t nparams, struct gsi_err *err);
/* Runs a query expected to return one integer (first column of the first row). GSI_ENOTFOUND
 * when it returns no row; a NULL reads as `dflt`. */
int store_query_int(struct store *s, int64_t *out, int64_t dflt, const char *sql,
                    const struct store_val *params, size_t nparams, struct gsi_err *err);

/* Called for row `row` of a page read by store_query_pages: 0 goes on; a negative GSI_E* code
 * stops the reading, and store_query_pages returns it. */
typedef int (*store_page_row)(void *ctx, const struct store_rows *r, size_t row,
                              struct gsi_err *err);
/* Reads a query too large to hold at once, a page at a time, keyed by the integer in column 0
 * (keyset paging): `sql` takes two parameters, the last key read and the page size, as in
 * "SELECT id, ... FROM t WHERE id > ? ORDER BY id LIMIT ?"; the first page starts after
 * `after`. Calls row(ctx, r, i) for every row, in order, each page freed once read. Ends after
 * the first page of fewer than `page` rows, or at the first error (the query's or a row's). */
int store_query_pages(struct store *s, const char *sql, int64_t after, int64_t page,
                      store_page_row row, void *ctx, struct gsi_err *err);
/* Transactions. store_begin is a read/write BEGIN; store_begin_write takes the write lock at
 * once (SQLite BEGIN IMMEDIATE). Savepoints nest inside either. */
int store_begin(struct store *s, struct gsi_err *err);
int store_begin_write(struct store *s, struct gsi_err *err);
/* A read-only snapshot: every query until commit/rollback sees the same committed state
 * (SQLite: a deferred transaction; PostgreSQL: REPEATABLE READ). */
int store_begin_snapshot(struct store *s, struct gsi_err *err);
int store_commit(struct store *s, struct gsi_err *err);
/* Rolls back; never fails in a way the caller can act on, so returns nothing. */
void store_rollback(struct store *s);
/* SAVEPOINT and RELEASE are deferred (store_exec_later): their errors may show later. */
int store_savepoint(struct store *s, const char *name, struct gsi_err *err);
int store_savepoint_release(struct store *s, const char *name, struct gsi_err *err);
int store_savepoint_rollback(struct store *s, const char *name, struct gsi_err *err);
/* SQLite never checkpoints its write-ahead log inside a COMMIT here (that would stall the
 * commit, and every write queued behind it, for the database file's own writes and fsync):
 * the owner of the write path watches store_wal_pages after its commits and calls
 * store_checkpoint (a PASSIVE checkpoint, which does not block writers) from another
 * connection when the log has grown. A connection closing last still checkpoints. Both are
 * no-ops (0) on PostgreSQL. */
long store_wal_pages(const struct store *s);
int store_checkpoint(struct store *s, struct gsi_err *err);
/* See store_ops.lock_log (deferred on PostgreSQL, like BEGIN of store_begin_write). */
int store_lock_log(struct store *s, struct gsi_err *err);
bool store_in_transaction(const struct store *s);
/* Whether the transaction begun here is still open in the database (store_ops.txn_open):
 * false outside one, and false once the database has rolled it back by itself. A writer
 * checks it after any failed statement it means to recover from with ROLLBACK TO: when it
 * is false, everything done since BEGIN is gone and the whole transaction must fail. */
bool store_txn_open(const struct store *s);

/* Result rows. Columns come back as text ("" for NULL; store_rows_is_null tells them apart). */
size_t store_rows_count(const struct store_rows *r);
size_t store_rows_columns(const struct store_rows *r);
const char *store_rows_text(const struct store_rows *r, size_t row, size_t col);
size_t store_rows_len(const struct store_rows *r, size_t row, size_t col);
bool store_rows_is_null(const struct store_rows *r, size_t row, size_t col);
/* The value as an integer; 0 for NULL or text that is not one. */
int64_t store_rows_int(const struct store_rows *r, size_t row, size_t col);
void store_rows_free(struct store_rows *r);

/* Builds result sets: used by the backends. */
int store_rows_new(struct store_rows **out, size_t ncols, struct gsi_err *err);
/* Appends one row of `ncols` values (vals[i] NULL = SQL NULL). */
int store_rows_add(struct store_rows *r, const char *const *vals, const size_t *lens,
                   struct gsi_err *err);

/* --- migrations --- */

/* The schema version this build knows. */
int store_schema_latest(void);
/* The database's schema version (0 for an empty database). */
int store_schema_version(struct store *s, int *out, struct gsi_err *err);
/* Applies every migration newer than the database's version, each in its own transaction,
 * and records it in schema_migrations. Safe to run from several processes at once (they
 * serialise on the database's write lock / an advisory lock). GSI_EDB if the database is newer
 * than this build. */
int store_migrate(struct store *s, struct gsi_err *err);

/* Rewrites `?` placeholders to $1, $2, ... (outside quotes). Used by the PostgreSQL backend;
 * exposed for tests. Returns GSI_ELIMIT when `out` (cap bytes) is too small. */
int store_sql_to_pg(char *out, size_t cap, const char *sql, struct gsi_err *err);

#endif
