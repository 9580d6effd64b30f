/* store.c — the backend-independent half of the store: URL parsing, dispatch through
 * `struct store_ops`, transactions and savepoints, and result sets (see store.h). */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"

struct store {
    const struct store_ops *ops;
    enum store_backend backend;
    void *h;
    int depth; /* 0 outside a transaction, 1 inside one */
};

/* A result set: every cell is an offset into one text arena, NULLs flagged. */
struct store_rows {
    size_t ncols;
    size_t nrows;
    size_t cap_rows;
    size_t *off; /* nrows * ncols offsets into `text` */
    size_t *len; /* cell lengths */
    unsigned char *null;
    char *text;
    size_t text_len;
    size_t text_cap;
};

int store_url_parse(struct store_url *out, const char *db, struct gsi_err *err)
{
    memset(out, 0, sizeof *out);
    if (db == NULL || db[0] == '\0') {
        db = "./gsi.db";
    }
    const char *path = db;
    if (strncmp(db, "postgresql://", 13) == 0 || strncmp(db, "postgres://", 11) == 0) {
        out->backend = STORE_POSTGRES;
    } else {
        out->backend = STORE_SQLITE;
        if (strncmp(db, "sqlite:", 7) == 0) {
            path = db + 7;
        } else if (strncmp(db, "file:", 5) == 0) {
            path = db + 5;
        }
        if (strncmp(path, "//", 2) == 0) {
            path += 2; /* sqlite:///abs/path */
        }
        if (path[0] == '\0') {
            return gsi_err_set(err, GSI_EUSAGE, "--db '%s': no database file named", db);
        }
    }
    size_t len = strlen(path);
    if (len >= sizeof out->conninfo) {
        return gsi_err_set(err, GSI_EUSAGE, "--db: longer than %d bytes", STORE_URL_MAX - 1);
    }
    gsi_slice_copy(out->conninfo, sizeof out->conninfo, path, len);
    return 0;
}

static int open_db(struct store **out, const char *db, bool create, struct gsi_err *err)
{
    *out = NULL;
    struct store_url u;
    int rc = store_url_parse(&u, db, err);
    if (rc < 0) {
        return rc;
    }
    struct store *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory opening the database");
    }
    s->backend = u.backend;
    s->ops = u.backend == STORE_POSTGRES ? &store_pg_ops : &store_sqlite_ops;
    rc = s->ops->open(&s->h, u.conninfo, create, err);
    if (rc < 0) {
        free(s);
        return rc;
    }
    *out = s;
    return 0;
}

int store_open(struct store **out, const char *db, struct gsi_err *err)
{
    return open_db(out, db, false, err);
}

int store_create(struct store **out, const char *db, struct gsi_err *err)
{
    return open_db(out, db, true, err);
}

void store_close(struct store *s)
{
    if (s == NULL) {
        return;
    }
    if (s->depth > 0) {
        store_rollback(s);
    }
    s->ops->close(s->h);
    free(s);
}

enum store_backend store_backend_of(const struct store *s)
{
    return s->backend;
}

const char *store_backend_name(const struct store *s)
{
    return s->ops->name;
}

int store_exec(struct store *s, const char *sql, const struct store_val *params, size_t nparams,
               struct gsi_err *err)
{
    return s->ops->query(s->h, NULL, sql, params, nparams, err);
}

int store_exec_later(struct store *s, const char *sql, const struct store_val *params,
                     size_t nparams, struct gsi_err *err)
{
    if (s->depth == 0 || s->ops->defer == NULL) {
        return store_exec(s, sql, params, nparams, err);
    }
    return s->ops->defer(s->h, sql, params, nparams, err);
}

/* Appends one element of a PostgreSQL array literal: NULL bare, integers bare, text in double
 * quotes with '"' and '\\' escaped by a backslash (the array input syntax). */
static int array_elem(struct gsi_buf *b, const struct store_val *v)
{
    if (v->kind == STORE_VAL_NULL) {
        return gsi_buf_puts(b, "NULL");
    }
    if (v->kind == STORE_VAL_INT) {
        return gsi_buf_appendf(b, "%lld", (long long)v->i);
    }
    int rc = gsi_buf_putc(b, '"');
    for (size_t i = 0; rc == 0 && i < v->len; i++) {
        char c = v->text[i];
        if (c == '"' || c == '\\') {
            rc = gsi_buf_putc(b, '\\');
        }
        if (rc == 0) {
            rc = gsi_buf_putc(b, c);
        }
    }
    return rc == 0 ? gsi_buf_putc(b, '"') : rc;
}

/* Closes the column list of an INSERT that store_insert_many builds in sql[cap], whose text
 * is n bytes long if it fitted (snprintf's wanted length: n may be past cap). */
static int insert_sql_close(char *sql, size_t cap, size_t n, const char *table, struct gsi_err *err)
{
    if (n + 2 >= cap) {
        return gsi_err_set(err, GSI_ELIMIT, "insert into %s: statement too long", table);
    }
    memcpy(sql + n, ")", 2);
    return 0;
}

int store_insert_many(struct store *s, const char *table, const char *cols, size_t ncols,
                      const struct store_val *vals, size_t nrows, struct gsi_err *err)
{
    if (ncols == 0 || ncols > STORE_PARAMS_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "insert into %s: %zu columns (1 to %d)", table, ncols,
                           STORE_PARAMS_MAX);
    }
    if (nrows == 0) {
        return 0;
    }
    /* snprintf returns the length it wanted: past the buffer, `sizeof sql - n` would wrap,
     * so every step checks n first. */
    char sql[1024];
    size_t n = (size_t)snprintf(sql, sizeof sql, "INSERT INTO %s (%s) ", table, cols);
    if (n >= sizeof sql) {
        return gsi_err_set(err, GSI_ELIMIT, "insert into %.64s: statement too long", table);
    }
    if (s->backend != STORE_POSTGRES) {
        n += (size_t)snprintf(sql + n, sizeof sql - n, "VALUES (");
        for (size_t c = 0; c < ncols && n < sizeof sql; c++) {
            n += (size_t)snprintf(sql + n, sizeof sql - n, c ? ", ?" : "?");
        }
        int rc = insert_sql_close(sql, sizeof sql, n, table, err);
        for (size_t r = 0; rc == 0 && r < nrows; r++) {
            rc = store_exec_later(s, sql, vals + r * ncols, ncols, err);
        }
        return rc;
    }
    n += (size_t)snprintf(sql + n, sizeof sql - n, "SELECT * FROM unnest(");
    for (size_t c = 0; c < ncols && n < sizeof sql; c++) {
        n += (size_t)snprintf(sql + n, sizeof sql - n, "%s?::%s[]", c ? ", " : "",
                              vals[c].kind == STORE_VAL_INT ? "bigint" : "text");
    }
    int rc = insert_sql_close(sql, sizeof sql, n, table, err);
    if (rc < 0) {
        return rc;
    }
    struct gsi_buf arrays[STORE_PARAMS_MAX];
    struct store_val params[STORE_PARAMS_MAX];
    for (size_t c = 0; c < ncols; c++) {
        gsi_buf_init(&arrays[c], STORE_BATCH_MAX / ncols);
        rc = rc ? rc : gsi_buf_putc(&arrays[c], '{');
        for (size_t r = 0; rc == 0 && r < nrows; r++) {
            if (r > 0) {
                rc = gsi_buf_putc(&arrays[c], ',');
            }
            rc = rc ? rc : array_elem(&arrays[c], &vals[r * ncols + c]);
        }
        rc = rc ? rc : gsi_buf_putc(&arrays[c], '}');
        params[c] = STORE_TEXTN((const char *)arrays[c].data, arrays[c].len);
    }
    if (rc < 0) {
        rc = gsi_err_set(err, GSI_ELIMIT, "insert into %s: %zu rows are more than %zu bytes", table,
                         nrows, STORE_BATCH_MAX);
    } else {
        rc = store_exec_later(s, sql, params, ncols, err);
    }
    for (size_t c = 0; c < ncols; c++) {
        gsi_buf_release(&arrays[c]);
    }
    return rc;
}

int store_query(struct store *s, struct store_rows **rows, const char *sql,
                const struct store_val *params, size_t nparams, struct gsi_err *err)
{
    *rows = NULL;
    return s->ops->query(s->h, rows, sql, params, nparams, err);
}

int store_query_int(struct store *s, int64_t *out, int64_t dflt, const char *sql,
                    const struct store_val *params, size_t nparams, struct gsi_err *err)
{
    struct store_rows *r;
    int rc = store_query(s, &r, sql, params, nparams, err);
    if (rc < 0) {
        return rc;
    }
    if (store_rows_count(r) == 0) {
        store_rows_free(r);
        return gsi_err_set(err, GSI_ENOTFOUND, "query returned no row: %.80s", sql);
    }
    *out = store_rows_is_null(r, 0, 0) ? dflt : store_rows_int(r, 0, 0);
    store_rows_free(r);
    return 0;
}

int store_query_pages(struct store *s, const char *sql, int64_t after, int64_t page,
                      store_page_row row, void *ctx, struct gsi_err *err)
{
    for (;;) {
        struct store_val v[] = { STORE_INT(after), STORE_INT(page) };
        struct store_rows *r;
        int rc = store_query(s, &r, sql, v, 2, err);
        if (rc < 0) {
            return rc;
        }
        size_t n = store_rows_count(r);
        for (size_t i = 0; rc == 0 && i < n; i++) {
            rc = row(ctx, r, i, err);
            after = store_rows_int(r, i, 0);
        }
        store_rows_free(r);
        if (rc < 0 || n < (size_t)page) {
            return rc;
        }
    }
}

int store_begin(struct store *s, struct gsi_err *err)
{
    if (s->depth > 0) {
        return gsi_err_set(err, GSI_EINTERNAL, "transaction already open");
    }
    int rc = store_exec(s, "BEGIN", NULL, 0, err);
    if (rc == 0) {
        s->depth = 1;
    }
    return rc;
}

int store_begin_write(struct store *s, struct gsi_err *err)
{
    if (s->depth > 0) {
        return gsi_err_set(err, GSI_EINTERNAL, "transaction already open");
    }
    int rc = s->ops->begin_write(s->h, err);
    if (rc == 0) {
        s->depth = 1;
    }
    return rc;
}

int store_begin_snapshot(struct store *s, struct gsi_err *err)
{
    int rc = store_begin(s, err);
    if (rc == 0 && s->backend == STORE_POSTGRES) {
        rc = store_exec(s, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", NULL, 0,
                        err);
        if (rc < 0) {
            store_rollback(s);
        }
    }
    return rc;
}

int store_commit(struct store *s, struct gsi_err *err)
{
    if (s->depth == 0) {
        return gsi_err_set(err, GSI_EINTERNAL, "commit outside a transaction");
    }
    int rc = store_exec(s, "COMMIT", NULL, 0, err);
    if (rc < 0) {
        /* A failed COMMIT leaves SQLite in the transaction (e.g. SQLITE_BUSY) and PostgreSQL
         * out of it; ROLLBACK makes both agree that nothing was written. */
        struct gsi_err ignore = GSI_ERR_INIT;
        store_exec(s, "ROLLBACK", NULL, 0, &ignore);
    }
    s->depth = 0;
    return rc;
}

void store_rollback(struct store *s)
{
    struct gsi_err ignore = GSI_ERR_INIT;
    store_exec(s, "ROLLBACK", NULL, 0, &ignore);
    s->depth = 0;
}

static int savepoint_sql(struct store *s, const char *verb, const char *name, bool later,
                         struct gsi_err *err)
{
    char sql[96];
    for (const char *c = name; *c; c++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_')) {
            return gsi_err_set(err, GSI_EINTERNAL, "bad savepoint name '%s'", name);
        }
    }
    snprintf(sql, sizeof sql, "%s%.40s", verb, name);
    return later ? store_exec_later(s, sql, NULL, 0, err) : store_exec(s, sql, NULL, 0, err);
}

int store_savepoint(struct store *s, const char *name, struct gsi_err *err)
{
    return savepoint_sql(s, "SAVEPOINT ", name, true, err);
}

int store_savepoint_release(struct store *s, const char *name, struct gsi_err *err)
{
    return savepoint_sql(s, "RELEASE SAVEPOINT ", name, true, err);
}

int store_savepoint_rollback(struct store *s, const char *name, struct gsi_err *err)
{
    return savepoint_sql(s, "ROLLBACK TO SAVEPOINT ", name, false, err);
}

long store_wal_pages(const struct store *s)
{
    return s->ops->wal_pages ? s->ops->wal_pages(s->h) : 0;
}

int store_checkpoint(struct store *s, struct gsi_err *err)
{
    return s->ops->checkpoint ? s->ops->checkpoint(s->h, err) : 0;
}

int store_lock_log(struct store *s, struct gsi_err *err)
{
    return s->ops->lock_log(s->h, err);
}

bool store_in_transaction(const struct store *s)
{
    return s->depth > 0;
}

bool store_txn_open(const struct store *s)
{
    return s->depth > 0 && (s->ops->txn_open == NULL || s->ops->txn_open(s->h));
}

/* --- result sets --- */

int store_rows_new(struct store_rows **out, size_t ncols, struct gsi_err *err)
{
    /* NULL on failure too, so that a caller's cleanup may free *out whatever happened. */
    *out = NULL;
    struct store_rows *r = calloc(1, sizeof *r);
    if (r == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory for a result set");
    }
    r->ncols = ncols;
    *out = r;
    return 0;
}

int store_rows_add(struct store_rows *r, const char *const *vals, const size_t *lens,
                   struct gsi_err *err)
{
    if (r->nrows >= STORE_ROWS_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "query returned more than %u rows", STORE_ROWS_MAX);
    }
    /* The cell arrays grow by whole rows: their capacity in cells is cap_rows × columns. */
    size_t width = r->ncols ? r->ncols : 1;
    size_t cells = r->cap_rows * width;
    struct gsi_array_ref grow[] = { GSI_ARRAY_REF(r->off), GSI_ARRAY_REF(r->len),
                                    GSI_ARRAY_REF(r->null) };
    if (gsi_arrays_grow(grow, 3, &cells, (r->nrows + 1) * width, 16 * width) < 0) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory for a result set");
    }
    r->cap_rows = cells / width;
    size_t need = 0;
    for (size_t c = 0; c < r->ncols; c++) {
        need += (vals[c] ? lens[c] : 0) + 1;
    }
    if (r->text_len + need > STORE_RESULT_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "query result larger than %zu bytes", STORE_RESULT_MAX);
    }
    if (GSI_ALLOC_GROW(r->text, r->text_len + need, r->text_cap, 256) < 0) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory for a result set");
    }
    for (size_t c = 0; c < r->ncols; c++) {
        size_t cell = r->nrows * r->ncols + c;
        size_t n = vals[c] ? lens[c] : 0;
        r->off[cell] = r->text_len;
        r->len[cell] = n;
        r->null[cell] = vals[c] == NULL;
        if (n > 0) {
            memcpy(r->text + r->text_len, vals[c], n);
        }
        r->text[r->text_len + n] = '\0';
        r->text_len += n + 1;
    }
    r->nrows++;
    return 0;
}

size_t store_rows_count(const struct store_rows *r)
{
    return r ? r->nrows : 0;
}

size_t store_rows_columns(const struct store_rows *r)
{
    return r ? r->ncols : 0;
}

static bool cell_ok(const struct store_rows *r, size_t row, size_t col)
{
    return r != NULL && row < r->nrows && col < r->ncols;
}

const char *store_rows_text(const struct store_rows *r, size_t row, size_t col)
{
    if (!cell_ok(r, row, col)) {
        return "";
    }
    return r->text + r->off[row * r->ncols + col];
}

size_t store_rows_len(const struct store_rows *r, size_t row, size_t col)
{
    return cell_ok(r, row, col) ? r->len[row * r->ncols + col] : 0;
}

bool store_rows_is_null(const struct store_rows *r, size_t row, size_t col)
{
    return !cell_ok(r, row, col) || r->null[row * r->ncols + col];
}

int64_t store_rows_int(const struct store_rows *r, size_t row, size_t col)
{
    int64_t v = 0;
    if (store_rows_is_null(r, row, col)) {
        return 0;
    }
    if (gsi_parse_i64(&v, store_rows_text(r, row, col), store_rows_len(r, row, col)) < 0) {
        return 0;
    }
    return v;
}

void store_rows_free(struct store_rows *r)
{
    if (r == NULL) {
        return;
    }
    free(r->off);
    free(r->len);
    free(r->null);
    free(r->text);
    free(r);
}

int store_sql_to_pg(char *out, size_t cap, const char *sql, struct gsi_err *err)
{
    size_t o = 0;
    unsigned n = 0;
    char quote = 0;
    for (const char *c = sql; *c; c++) {
        char tmp[16];
        const char *piece = tmp;
        size_t plen;
        if (quote) {
            if (*c == quote) {
                quote = 0;
            }
            tmp[0] = *c;
            plen = 1;
        } else if (*c == '\'' || *c == '"') {
            quote = *c;
            tmp[0] = *c;
            plen = 1;
        } else if (*c == '?') {
            plen = (size_t)snprintf(tmp, sizeof tmp, "$%u", ++n);
        } else {
            tmp[0] = *c;
            plen = 1;
        }
        if (o + plen + 1 > cap) {
            return gsi_err_set(err, GSI_ELIMIT, "SQL statement longer than %zu bytes", cap);
        }
        memcpy(out + o, piece, plen);
        o += plen;
    }
    if (cap == 0) {
        return gsi_err_set(err, GSI_ELIMIT, "no room for SQL");
    }
    out[o] = '\0';
    return 0;
}
