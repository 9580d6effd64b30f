/* test_store.c — the store: URL parsing, placeholder rewriting, the SQLite backend's
 * durability settings, migrations, parameters, errors, transactions and savepoints.
 * (The PostgreSQL backend runs the same paths in tests/integration/store_test.sh.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "store/store.h"

static char dir[64];
static char db[128];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/gsi-store-unit.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/t.db", dir);
}

static void teardown(void)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

START_TEST(url_parse)
{
    struct store_url u;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(store_url_parse(&u, NULL, &err), 0);
    ck_assert_int_eq(u.backend, STORE_SQLITE);
    ck_assert_str_eq(u.conninfo, "./gsi.db");
    ck_assert_int_eq(store_url_parse(&u, "sqlite:/var/x.db", &err), 0);
    ck_assert_str_eq(u.conninfo, "/var/x.db");
    ck_assert_int_eq(store_url_parse(&u, "sqlite:///var/x.db", &err), 0);
    ck_assert_str_eq(u.conninfo, "/var/x.db");
    ck_assert_int_eq(store_url_parse(&u, "postgresql://u@h:5/d", &err), 0);
    ck_assert_int_eq(u.backend, STORE_POSTGRES);
    ck_assert_str_eq(u.conninfo, "postgresql://u@h:5/d");
    ck_assert_int_eq(store_url_parse(&u, "postgres://h/d", &err), 0);
    ck_assert_int_eq(u.backend, STORE_POSTGRES);
    ck_assert_int_eq(store_url_parse(&u, "sqlite:", &err), GSI_EUSAGE);
    char longurl[2000];
    memset(longurl, 'a', sizeof longurl - 1);
    longurl[sizeof longurl - 1] = '\0';
    ck_assert_int_eq(store_url_parse(&u, longurl, &err), GSI_EUSAGE);
}
END_TEST

START_TEST(placeholders)
{
    char out[128];
    struct gsi_err err = GSI_ERR_INIT;
    /* Written by hand from PostgreSQL's $n parameter syntax; quoted '?' stays. */
    ck_assert_int_eq(store_sql_to_pg(out, sizeof out, "SELECT ?, '?', \"?\", ? + 1", &err), 0);
    ck_assert_str_eq(out, "SELECT $1, '?', \"?\", $2 + 1");
    ck_assert_int_eq(store_sql_to_pg(out, 8, "SELECT ? FROM t", &err), GSI_ELIMIT);
}
END_TEST

static struct store *open_db(void)
{
    struct store *s = NULL;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_msg(store_create(&s, db, &err) == 0, "%s", err.msg);
    return s;
}

static void query_text(struct store *s, const char *sql, const char *want)
{
    struct store_rows *r;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_msg(store_query(s, &r, sql, NULL, 0, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(store_rows_count(r), 1);
    ck_assert_str_eq(store_rows_text(r, 0, 0), want);
    store_rows_free(r);
}

START_TEST(sqlite_durability)
{
    struct store *s = open_db();
    /* SQLite documents synchronous FULL as 2 and journal_mode WAL as "wal". */
    query_text(s, "PRAGMA journal_mode", "wal");
    query_text(s, "PRAGMA synchronous", "2");
    query_text(s, "PRAGMA foreign_keys", "1");
    ck_assert_str_eq(store_backend_name(s), "sqlite");
    store_close(s);
    /* A second connection gets the same settings (they are per connection). */
    s = open_db();
    query_text(s, "PRAGMA synchronous", "2");
    store_close(s);
}
END_TEST

START_TEST(open_failure)
{
    struct store *s = NULL;
    struct gsi_err err = GSI_ERR_INIT;
    char path[160];
    snprintf(path, sizeof path, "%s/no/such/dir/x.db", dir);
    ck_assert_int_eq(store_create(&s, path, &err), GSI_EDB);
    ck_assert_ptr_null(s);
    ck_assert_ptr_nonnull(strstr(err.msg, "cannot open"));
}
END_TEST

/* A file that is not a database is refused with SQLite's own reason ("file is not a
 * database", sqlite3 CLI: `echo hello > x.db; sqlite3 x.db 'PRAGMA journal_mode=WAL'`), not a
 * read-back of a value that was never read. */
START_TEST(open_not_a_database)
{
    char path[160];
    snprintf(path, sizeof path, "%s/text.db", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 64; i++) {
        fputs("this is a text file, not a SQLite database\n", f);
    }
    fclose(f);
    struct store *s = NULL;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(store_open(&s, path, &err), GSI_EDB);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(err.msg, "file is not a database") != NULL, "%s", err.msg);
    ck_assert_msg(strstr(err.msg, "read back") == NULL, "%s", err.msg);
}
END_TEST

/* A result of more columns than STORE_COLS_MAX (64) is GSI_ELIMIT, not a read past the
 * cells' array; 64 columns still work (the sum of 1..64 is 64*65/2 = 2080, by hand). */
START_TEST(too_many_columns)
{
    struct store *s = NULL;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_msg(store_create(&s, db, &err) == 0, "%s", err.msg);
    char sql[1024];
    for (int cols = 64; cols <= 65; cols++) {
        size_t n = (size_t)snprintf(sql, sizeof sql, "SELECT 1");
        for (int c = 2; c <= cols; c++) {
            n += (size_t)snprintf(sql + n, sizeof sql - n, ", %d", c);
        }
        ck_assert_uint_lt(n, sizeof sql);
        struct store_rows *r = NULL;
        if (cols == 64) {
            ck_assert_msg(store_query(s, &r, sql, NULL, 0, &err) == 0, "%s", err.msg);
            ck_assert_uint_eq(store_rows_columns(r), 64);
            int64_t sum = 0;
            for (size_t c = 0; c < 64; c++) {
                sum += store_rows_int(r, 0, c);
            }
            ck_assert_int_eq(sum, 2080);
            store_rows_free(r);
        } else {
            ck_assert_int_eq(store_query(s, &r, sql, NULL, 0, &err), GSI_ELIMIT);
            ck_assert_ptr_null(r);
        }
    }
    store_close(s);
}
END_TEST

/* An INSERT whose text passes the statement buffer (1024 bytes) is GSI_ELIMIT; before, the
 * length snprintf wanted made `sizeof sql - n` wrap and the next write ran past the buffer. */
START_TEST(insert_many_long_statement)
{
    struct store *s = NULL;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_msg(store_create(&s, db, &err) == 0, "%s", err.msg);
    char cols[1200];
    memset(cols, 'c', sizeof cols - 1);
    cols[sizeof cols - 1] = '\0';
    struct store_val v[] = { STORE_INT(1) };
    ck_assert_int_eq(store_insert_many(s, "t", cols, 1, v, 1, &err), GSI_ELIMIT);
    /* Just under: the name fits, the placeholders do not. */
    cols[1000] = '\0';
    ck_assert_int_eq(store_insert_many(s, "t", cols, 1, v, 1, &err), GSI_ELIMIT);
    store_close(s);
}
END_TEST

/* Opening a database that is not there fails and leaves no file behind; only store_create
 * (gsi init) makes one. */
START_TEST(open_does_not_create)
{
    struct store *s = NULL;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(access(db, F_OK), -1);
    ck_assert_int_eq(store_open(&s, db, &err), GSI_ENOTFOUND);
    ck_assert_ptr_null(s);
    ck_assert_ptr_nonnull(strstr(err.msg, "no database file"));
    ck_assert_int_eq(access(db, F_OK), -1);
    char url[160];
    snprintf(url, sizeof url, "sqlite:%s", db);
    ck_assert_int_eq(store_open(&s, url, &err), GSI_ENOTFOUND);
    ck_assert_int_eq(access(db, F_OK), -1);
    ck_assert_msg(store_create(&s, url, &err) == 0, "%s", err.msg);
    store_close(s);
    ck_assert_int_eq(access(db, F_OK), 0);
    /* Now it exists, plain open works. */
    ck_assert_msg(store_open(&s, db, &err) == 0, "%s", err.msg);
    store_close(s);
}
END_TEST

/* A COMMIT never checkpoints the write-ahead log (SQLite would at 1,000 pages, stalling that
 * commit): the log grows until store_checkpoint, after which the next write starts it over. */
START_TEST(wal_checkpoint_is_explicit)
{
    struct store *s = open_db();
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(store_exec(s, "CREATE TABLE big (b TEXT)", NULL, 0, &err), 0);
    char blob[3000];
    memset(blob, 'x', sizeof blob - 1);
    blob[sizeof blob - 1] = '\0';
    struct store_val v[] = { STORE_TEXT(blob) };
    long last = 0;
    /* 1,500 rows of 3,000 bytes: one row per 4,096-byte page at least, so over 1,500 frames
     * (PRAGMA page_size is 4096 by default). */
    for (int c = 0; c < 15; c++) {
        ck_assert_int_eq(store_begin_write(s, &err), 0);
        for (int i = 0; i < 100; i++) {
            ck_assert_msg(store_exec(s, "INSERT INTO big (b) VALUES (?)", v, 1, &err) == 0, "%s",
                          err.msg);
        }
        ck_assert_msg(store_commit(s, &err) == 0, "%s", err.msg);
        long now = store_wal_pages(s);
        ck_assert_msg(now > last, "the log shrank at commit %d (%ld after %ld)", c, now, last);
        last = now;
    }
    ck_assert_int_gt(last, 1500);
    struct store *other = open_db();
    ck_assert_msg(store_checkpoint(other, &err) == 0, "%s", err.msg);
    store_close(other);
    ck_assert_int_eq(store_begin_write(s, &err), 0);
    ck_assert_int_eq(store_exec(s, "INSERT INTO big (b) VALUES ('y')", NULL, 0, &err), 0);
    ck_assert_int_eq(store_commit(s, &err), 0);
    ck_assert_int_lt(store_wal_pages(s), 10);
    store_close(s);
}
END_TEST

START_TEST(migrations)
{
    struct store *s = open_db();
    struct gsi_err err = GSI_ERR_INIT;
    int v = -1;
    ck_assert_int_eq(store_schema_version(s, &v, &err), 0);
    ck_assert_int_eq(v, 0);
    ck_assert_msg(store_migrate(s, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(store_schema_version(s, &v, &err), 0);
    ck_assert_int_eq(v, store_schema_latest());
    ck_assert_int_eq(store_migrate(s, &err), 0); /* idempotent */
    /* Each migration recorded once, however often migrate runs. */
    query_text(s, "SELECT COUNT(*) - COUNT(DISTINCT version) FROM schema_migrations", "0");
    query_text(s, "SELECT COUNT(*) FROM schema_migrations WHERE version = 1", "1");
    query_text(s, "SELECT size FROM journal_head", "0");
    /* A database newer than the program is refused. */
    ck_assert_int_eq(
        store_exec(s, "INSERT INTO schema_migrations VALUES (999, 'future', 'x')", NULL, 0, &err),
        0);
    ck_assert_int_eq(store_migrate(s, &err), GSI_EDB);
    ck_assert_ptr_nonnull(strstr(err.msg, "newer"));
    store_close(s);
}
END_TEST

START_TEST(params_and_errors)
{
    struct store *s = open_db();
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(
        store_exec(s, "CREATE TABLE t (k TEXT PRIMARY KEY, n BIGINT, x TEXT)", NULL, 0, &err), 0);
    struct store_val v[] = { STORE_TEXTN("ab\0cd", 2), STORE_INT(-9007199254740993LL), STORE_NULL };
    ck_assert_int_eq(store_exec(s, "INSERT INTO t VALUES (?, ?, ?)", v, 3, &err), 0);
    struct store_rows *r;
    ck_assert_int_eq(store_query(s, &r, "SELECT k, n, x FROM t", NULL, 0, &err), 0);
    ck_assert_uint_eq(store_rows_columns(r), 3);
    ck_assert_str_eq(store_rows_text(r, 0, 0), "ab");
    ck_assert_int_eq(store_rows_int(r, 0, 1), -9007199254740993LL);
    ck_assert(store_rows_is_null(r, 0, 2));
    ck_assert(!store_rows_is_null(r, 0, 0));
    ck_assert_str_eq(store_rows_text(r, 5, 5), ""); /* out of range reads as empty */
    store_rows_free(r);
    ck_assert_int_eq(store_exec(s, "INSERT INTO t VALUES (?, ?, ?)", v, 3, &err), GSI_ECONFLICT);
    ck_assert_int_eq(store_exec(s, "SELEC nonsense", NULL, 0, &err), GSI_EDB);
    int64_t n = 0;
    ck_assert_int_eq(store_query_int(s, &n, 0, "SELECT n FROM t WHERE k = 'zz'", NULL, 0, &err),
                     GSI_ENOTFOUND);
    ck_assert_int_eq(store_query_int(s, &n, 7, "SELECT x FROM t", NULL, 0, &err), 0);
    ck_assert_int_eq(n, 7); /* NULL reads as the default */
    store_close(s);
}
END_TEST

START_TEST(transactions)
{
    struct store *s = open_db();
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(store_exec(s, "CREATE TABLE t (n INTEGER)", NULL, 0, &err), 0);
    ck_assert_int_eq(store_begin_write(s, &err), 0);
    ck_assert(store_in_transaction(s));
    ck_assert_int_eq(store_begin(s, &err), GSI_EINTERNAL);
    ck_assert_int_eq(store_exec(s, "INSERT INTO t VALUES (1)", NULL, 0, &err), 0);
    ck_assert_int_eq(store_savepoint(s, "a", &err), 0);
    ck_assert_int_eq(store_exec(s, "INSERT INTO t VALUES (2)", NULL, 0, &err), 0);
    ck_assert_int_eq(store_savepoint_rollback(s, "a", &err), 0);
    ck_assert_int_eq(store_savepoint_release(s, "a", &err), 0);
    ck_assert_int_eq(store_savepoint(s, "bad name", &err), GSI_EINTERNAL);
    ck_assert_int_eq(store_commit(s, &err), 0);
    query_text(s, "SELECT COUNT(*) FROM t", "1");
    ck_assert_int_eq(store_begin(s, &err), 0);
    ck_assert_int_eq(store_exec(s, "INSERT INTO t VALUES (3)", NULL, 0, &err), 0);
    store_rollback(s);
    ck_assert(!store_in_transaction(s));
    query_text(s, "SELECT COUNT(*) FROM t", "1");
    /* What one connection committed, another sees. */
    struct store *s2 = open_db();
    query_text(s2, "SELECT COUNT(*) FROM t", "1");
    store_close(s2);
    store_close(s);
}
END_TEST

START_TEST(many_rows)
{
    struct store *s = open_db();
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(store_exec(s, "CREATE TABLE t (n INTEGER)", NULL, 0, &err), 0);
    ck_assert_int_eq(store_begin_write(s, &err), 0);
    for (int i = 0; i < 5000; i++) {
        struct store_val v[] = { STORE_INT(i) };
        ck_assert_int_eq(store_exec(s, "INSERT INTO t VALUES (?)", v, 1, &err), 0);
    }
    ck_assert_int_eq(store_commit(s, &err), 0);
    struct store_rows *r;
    ck_assert_int_eq(store_query(s, &r, "SELECT n FROM t ORDER BY n", NULL, 0, &err), 0);
    ck_assert_uint_eq(store_rows_count(r), 5000);
    ck_assert_int_eq(store_rows_int(r, 4999, 0), 4999);
    store_rows_free(r);
    /* 0 + 1 + ... + 4999 = 4999 * 5000 / 2 */
    query_text(s, "SELECT SUM(n) FROM t", "12497500");
    store_close(s);
}
END_TEST

/* What query_pages's row callback saw: the keys in order, and where it stops. */
struct seen {
    int64_t keys[64];
    size_t n;
    int64_t stop_at; /* the key whose row refuses (GSI_EDATA); 0: none */
};

static int seen_row(void *ctx, const struct store_rows *r, size_t row, struct gsi_err *err)
{
    struct seen *sn = ctx;
    int64_t k = store_rows_int(r, row, 0);
    if (k == sn->stop_at) {
        return gsi_err_set(err, GSI_EDATA, "row %lld refused", (long long)k);
    }
    ck_assert_uint_lt(sn->n, 64);
    sn->keys[sn->n++] = k;
    return 0;
}

START_TEST(query_pages)
{
    struct store *s = open_db();
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(
        store_exec(s, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", NULL, 0, &err), 0);
    /* Keys 3, 6, ..., 30: ten rows, so pages of 4 are 4 + 4 + 2 and pages of 5 are 5 + 5 + 0. */
    for (int i = 1; i <= 10; i++) {
        struct store_val v[] = { STORE_INT(3 * i) };
        ck_assert_int_eq(store_exec(s, "INSERT INTO t (id, v) VALUES (?, 'x')", v, 1, &err), 0);
    }
    const char *sql = "SELECT id FROM t WHERE id > ? ORDER BY id LIMIT ?";
    for (int64_t page = 1; page <= 12; page++) {
        struct seen sn = { .n = 0 };
        ck_assert_int_eq(store_query_pages(s, sql, 0, page, seen_row, &sn, &err), 0);
        ck_assert_uint_eq(sn.n, 10);
        for (size_t i = 0; i < sn.n; i++) {
            ck_assert_int_eq(sn.keys[i], 3 * (int64_t)(i + 1));
        }
    }
    /* Starting after key 12: 15, 18, ..., 30. */
    struct seen sn = { .n = 0 };
    ck_assert_int_eq(store_query_pages(s, sql, 12, 4, seen_row, &sn, &err), 0);
    ck_assert_uint_eq(sn.n, 6);
    ck_assert_int_eq(sn.keys[0], 15);
    /* A row's error stops the reading and comes back: 3, 6, 9, 12 were read before key 15. */
    struct seen stop = { .n = 0, .stop_at = 15 };
    ck_assert_int_eq(store_query_pages(s, sql, 0, 4, seen_row, &stop, &err), GSI_EDATA);
    ck_assert_uint_eq(stop.n, 4);
    ck_assert_str_eq(err.msg, "row 15 refused");
    /* The query's error comes back too. */
    ck_assert_int_eq(store_query_pages(s, "SELECT id FROM nosuch WHERE id > ? LIMIT ?", 0, 4,
                                       seen_row, &sn, &err),
                     GSI_EDB);
    store_close(s);
}
END_TEST

Suite *make_suite(void)
{
    const TTest *tests[] = { url_parse,
                             placeholders,
                             sqlite_durability,
                             open_failure,
                             open_not_a_database,
                             too_many_columns,
                             insert_many_long_statement,
                             open_does_not_create,
                             wal_checkpoint_is_explicit,
                             migrations,
                             params_and_errors,
                             transactions,
                             many_rows,
                             query_pages };
    return test_suite_fixture("store", 0, setup, teardown, tests, sizeof tests / sizeof tests[0]);
}
