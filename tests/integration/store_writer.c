/* store_writer.c — a journalled-write load generator and checker for the store tests.
 *
 *   store_writer burst --db URL [--threads T] [--count N] [--confidential K] [--quiet]
 *       T threads each record N acts through platform_act_record (group commit). After each
 *       acknowledged write it prints "ack RECORD_ID JOURNAL_INDEX" (flushed), so a test that
 *       kills the process with SIGKILL knows exactly which writes were acknowledged. Prints
 *       the rate on stderr: "writes: N in S s = R/s". With --confidential K each thread's
 *       acts 0, K, 2K, ... are confidential, of type "test.secret" (the tiles test).
 *   store_writer check --db URL ACKFILE
 *       Every acknowledged write in ACKFILE must be in the database with its journal index.
 *       Prints "acked N, found F, wrong W" and exits 1 unless F == N.
 *   store_writer batch --db URL
 *       Checks the store's deferred statements on this backend with a scratch table:
 *       store_insert_many round-trips awkward text, NULLs and integers; a statement's own
 *       error with deferred ones queued ahead is that statement's alone (ROLLBACK TO SAVEPOINT
 *       recovers and COMMIT keeps the rest); a deferred statement's error fails the whole
 *       transaction (COMMIT refuses, nothing is kept); a deferred statement that failed to
 *       parse, or was skipped behind one that did, runs once its table exists, and again
 *       after a ROLLBACK (PostgreSQL's prepared statements). Prints "batch: ok" or what
 *       failed.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "platform/platform.h"
#include "store/store.h"

static const char *const parties[] = { "CHN", "IND", "BRA", "ZAF", "RUS", "IDN", "EGY", "KAZ" };

struct job {
    struct platform *p;
    int thread;
    long count;
    long confidential; /* every such act is confidential (type test.secret); 0: none */
    int quiet;
    long done;
    int failed;
};

static pthread_mutex_t out_mu = PTHREAD_MUTEX_INITIALIZER;

static void *writer(void *arg)
{
    struct job *j = arg;
    for (long i = 0; i < j->count; i++) {
        char payload[128];
        int n = snprintf(payload, sizeof payload, "{\"thread\":%d,\"n\":%ld}", j->thread, i);
        bool secret = j->confidential > 0 && i % j->confidential == 0;
        struct platform_act act = { .type = secret ? "test.secret" : "test.write",
                                    .party = parties[(size_t)j->thread % 8],
                                    .payload = payload,
                                    .payload_len = (size_t)n,
                                    .confidential = secret };
        struct platform_receipt r;
        struct gsi_err err = GSI_ERR_INIT;
        if (platform_act_record(j->p, &r, NULL, &act, &err) < 0) {
            gsi_err_print(&err, "store_writer");
            j->failed = 1;
            return NULL;
        }
        j->done++;
        if (!j->quiet) {
            pthread_mutex_lock(&out_mu);
            printf("ack %lld %llu\n", (long long)r.record_id, (unsigned long long)r.index);
            fflush(stdout);
            pthread_mutex_unlock(&out_mu);
        }
    }
    return NULL;
}

static int burst(struct platform *p, int threads, long count, long confidential, int quiet)
{
    struct job *jobs = calloc((size_t)threads, sizeof *jobs);
    pthread_t *tids = calloc((size_t)threads, sizeof *tids);
    if (jobs == NULL || tids == NULL) {
        free(jobs);
        free(tids);
        return 1;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int t = 0; t < threads; t++) {
        jobs[t] = (struct job){
            .p = p, .thread = t, .count = count, .confidential = confidential, .quiet = quiet
        };
        pthread_create(&tids[t], NULL, writer, &jobs[t]);
    }
    long total = 0;
    int failed = 0;
    for (int t = 0; t < threads; t++) {
        pthread_join(tids[t], NULL);
        total += jobs[t].done;
        failed |= jobs[t].failed;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(stderr, "writes: %ld in %.3f s = %.0f/s (%d threads)\n", total, s,
            s > 0 ? (double)total / s : 0.0, threads);
    free(jobs);
    free(tids);
    return failed;
}

static int check(struct platform *p, const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        perror(path);
        return 1;
    }
    long acked = 0, found = 0, wrong = 0;
    long long id;
    unsigned long long index;
    char line[256];
    while (fgets(line, sizeof line, f) != NULL) {
        /* "ack ID INDEX\n"; a line cut by the kill was never a complete acknowledgement */
        char *end, *nl = strchr(line, '\n');
        if (nl == NULL || strncmp(line, "ack ", 4) != 0) {
            continue;
        }
        errno = 0;
        id = strtoll(line + 4, &end, 10);
        if (end == line + 4 || *end != ' ') {
            continue;
        }
        const char *num = end + 1;
        index = strtoull(num, &end, 10);
        if (end == num || end != nl || errno != 0) {
            continue;
        }
        acked++;
        struct platform_record r;
        struct gsi_err err = GSI_ERR_INIT;
        if (platform_record_get(p, &r, NULL, id, &err) == 0) {
            if (r.index == index) {
                found++;
            } else {
                wrong++;
            }
            platform_record_release(&r);
        } else {
            fprintf(stderr, "store_writer: acknowledged record %lld is lost: %s\n", id, err.msg);
        }
    }
    fclose(f);
    printf("acked %ld, found %ld, wrong %ld\n", acked, found, wrong);
    return found == acked && wrong == 0 ? 0 : 1;
}

#define BATCH_CHECK(cond, ...)                             \
    do {                                                   \
        if (!(cond)) {                                     \
            fprintf(stderr, "batch: line %d: ", __LINE__); \
            fprintf(stderr, __VA_ARGS__);                  \
            fprintf(stderr, " (%s)\n", err.msg);           \
            goto out;                                      \
        }                                                  \
    } while (0)

static int64_t count_rows(struct store *s, const char *where)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM gsi_test_batch WHERE %s", where);
    int64_t n = -1;
    struct gsi_err e = GSI_ERR_INIT;
    if (store_query_int(s, &n, 0, sql, NULL, 0, &e) < 0) {
        fprintf(stderr, "batch: %s\n", e.msg);
    }
    return n;
}

static int batch(const char *db)
{
    struct store *s = NULL;
    struct gsi_err err = GSI_ERR_INIT;
    struct store_rows *r = NULL;
    int ok = 0;
    BATCH_CHECK(store_open(&s, db, &err) == 0, "open");
    BATCH_CHECK(store_exec(s, "DROP TABLE IF EXISTS gsi_test_batch", NULL, 0, &err) == 0, "drop");
    BATCH_CHECK(store_exec(s, "CREATE TABLE gsi_test_batch (a BIGINT PRIMARY KEY, b TEXT)", NULL, 0,
                           &err) == 0,
                "create");

    /* 1. Many rows in one statement: the values read back are the ones written. */
    static const char *const texts[] = {
        "plain", "quote \" inside", "back\\slash", "{braces},comma", "",
        "NULL",  "  spaces  ",      "caf\xc3\xa9", "'single'"
    };
    enum { NT = sizeof texts / sizeof texts[0] };
    struct store_val v[(NT + 1) * 2];
    for (int i = 0; i < NT; i++) {
        v[(size_t)i * 2] = STORE_INT((int64_t)i * 1000003 - 4);
        v[(size_t)i * 2 + 1] = STORE_TEXT(texts[i]);
    }
    v[(size_t)NT * 2] = STORE_INT(INT64_C(9007199254740993));
    v[(size_t)NT * 2 + 1] = STORE_NULL;
    BATCH_CHECK(store_begin_write(s, &err) == 0, "begin");
    BATCH_CHECK(store_insert_many(s, "gsi_test_batch", "a, b", 2, v, NT + 1, &err) == 0,
                "insert_many");
    BATCH_CHECK(store_commit(s, &err) == 0, "commit");
    BATCH_CHECK(store_query(s, &r, "SELECT a, b FROM gsi_test_batch ORDER BY a", NULL, 0, &err) ==
                    0,
                "select");
    BATCH_CHECK(store_rows_count(r) == NT + 1, "%zu rows, want %d", store_rows_count(r), NT + 1);
    for (int i = 0; i < NT; i++) {
        /* a = i * 1000003 - 4 is increasing in i, so row i is texts[i]. */
        BATCH_CHECK(store_rows_int(r, (size_t)i, 0) == (int64_t)i * 1000003 - 4, "row %d: a", i);
        BATCH_CHECK(strcmp(store_rows_text(r, (size_t)i, 1), texts[i]) == 0 &&
                        !store_rows_is_null(r, (size_t)i, 1),
                    "row %d: b is '%s', want '%s'", i, store_rows_text(r, (size_t)i, 1), texts[i]);
    }
    BATCH_CHECK(store_rows_int(r, NT, 0) == INT64_C(9007199254740993), "big integer");
    BATCH_CHECK(store_rows_is_null(r, NT, 1), "NULL stays NULL");
    store_rows_free(r);
    r = NULL;

    /* 2. A statement's own error, with deferred ones queued ahead of it, is its own. */
    struct store_val one[] = { STORE_INT(-1000), STORE_TEXT("kept") };
    BATCH_CHECK(store_begin_write(s, &err) == 0, "begin");
    BATCH_CHECK(
        store_exec_later(s, "INSERT INTO gsi_test_batch (a, b) VALUES (?, ?)", one, 2, &err) == 0,
        "deferred insert");
    BATCH_CHECK(store_savepoint(s, "act", &err) == 0, "savepoint");
    int rc = store_exec(s, "INSERT INTO gsi_test_batch (a, b) VALUES (?, ?)", one, 2, &err);
    BATCH_CHECK(rc == GSI_ECONFLICT, "a duplicate key is a conflict, got %d", rc);
    BATCH_CHECK(store_savepoint_rollback(s, "act", &err) == 0, "rollback to savepoint");
    BATCH_CHECK(store_savepoint_release(s, "act", &err) == 0, "release");
    BATCH_CHECK(store_commit(s, &err) == 0, "commit after a handled error");
    BATCH_CHECK(count_rows(s, "a = -1000") == 1, "the deferred row is kept once");

    /* 3. A deferred statement's error fails the transaction: nothing of it is kept. */
    struct store_val two[] = { STORE_INT(-2000), STORE_TEXT("lost") };
    BATCH_CHECK(store_begin_write(s, &err) == 0, "begin");
    BATCH_CHECK(
        store_exec_later(s, "INSERT INTO gsi_test_batch (a, b) VALUES (?, ?)", two, 2, &err) == 0,
        "deferred insert");
    BATCH_CHECK(store_savepoint(s, "act", &err) == 0, "savepoint");
    rc = store_exec_later(s, "INSERT INTO gsi_test_batch (a, b) VALUES (?, ?)", one, 2, &err);
    if (rc == 0) {
        /* PostgreSQL: queued; the error comes with the next statement, and sticks. */
        rc = store_exec(s, "UPDATE gsi_test_batch SET b = b WHERE a = 0", NULL, 0, &err);
        BATCH_CHECK(rc < 0, "the deferred conflict shows at the next statement");
        struct gsi_err e2 = GSI_ERR_INIT;
        store_savepoint_rollback(s, "act", &e2);
        BATCH_CHECK(store_commit(s, &err) < 0, "COMMIT after a deferred error must fail");
        BATCH_CHECK(count_rows(s, "a = -2000") == 0, "nothing of a lost transaction is kept");
    } else {
        /* SQLite runs it at once: an ordinary error the caller handles. */
        BATCH_CHECK(rc == GSI_ECONFLICT, "conflict at once, got %d", rc);
        store_rollback(s);
    }

    /* 4. A deferred statement that cannot be parsed (its table is not there yet) fails its
     * transaction, and so does one queued behind it. PostgreSQL sends each deferred statement
     * as a prepared one, parsed the first time: neither Parse succeeded, so once the table
     * exists both must be parsed again, not run as prepared statements that were never
     * made. A prepared statement outlives a ROLLBACK (round 1). */
    static const char *const ins_later = "INSERT INTO gsi_test_later (a) VALUES (?)";
    static const char *const ins_behind = "INSERT INTO gsi_test_batch (a, b) VALUES (?, 'behind')";
    struct store_val k[] = { STORE_INT(-3000) };
    BATCH_CHECK(store_exec(s, "DROP TABLE IF EXISTS gsi_test_later", NULL, 0, &err) == 0, "drop");
    BATCH_CHECK(store_begin_write(s, &err) == 0, "begin");
    rc = store_exec_later(s, ins_later, k, 1, &err);
    if (rc == 0) {
        /* PostgreSQL: queued; the error comes with the next statement. */
        BATCH_CHECK(store_exec_later(s, ins_behind, k, 1, &err) == 0, "deferred insert");
        rc = store_exec(s, "UPDATE gsi_test_batch SET b = b WHERE a = 0", NULL, 0, &err);
    }
    BATCH_CHECK(rc < 0 && strstr(err.msg, "gsi_test_later") != NULL,
                "a missing table is an error that names it, got %d", rc);
    store_rollback(s);
    BATCH_CHECK(store_exec(s, "CREATE TABLE gsi_test_later (a BIGINT)", NULL, 0, &err) == 0,
                "create");
    for (int round = 0; round < 3; round++) {
        struct store_val kr[] = { STORE_INT(-3000 - round) };
        BATCH_CHECK(store_begin_write(s, &err) == 0, "begin");
        BATCH_CHECK(store_exec_later(s, ins_later, kr, 1, &err) == 0, "round %d: insert", round);
        BATCH_CHECK(store_exec_later(s, ins_behind, kr, 1, &err) == 0, "round %d: insert", round);
        if (round == 1) {
            store_rollback(s);
        } else {
            BATCH_CHECK(store_commit(s, &err) == 0, "round %d: commit", round);
        }
    }
    int64_t n_later = -1;
    BATCH_CHECK(store_query_int(s, &n_later, 0, "SELECT COUNT(*) FROM gsi_test_later", NULL, 0,
                                &err) == 0 &&
                    n_later == 2,
                "%lld rows in gsi_test_later, want 2 (rounds 0 and 2)", (long long)n_later);
    BATCH_CHECK(count_rows(s, "b = 'behind' AND a IN (-3000, -3002)") == 2 &&
                    count_rows(s, "b = 'behind'") == 2,
                "the rows queued behind are those of rounds 0 and 2");
    BATCH_CHECK(store_exec(s, "DROP TABLE gsi_test_later", NULL, 0, &err) == 0, "drop");
    BATCH_CHECK(store_exec(s, "DROP TABLE gsi_test_batch", NULL, 0, &err) == 0, "drop");
    ok = 1;
    printf("batch: ok (%s)\n", store_backend_name(s));
out:
    store_rows_free(r);
    store_close(s);
    return ok ? 0 : 1;
}

/* A whole decimal number, or -1 (which the range checks below refuse). */
static long number(const char *s)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    return end == s || *end != '\0' || errno != 0 ? -1 : v;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: store_writer burst|check|batch --db URL ...\n");
        return 2;
    }
    const char *db = NULL, *file = NULL;
    int threads = 8, quiet = 0;
    long count = 100, confidential = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            threads = (int)number(argv[++i]);
        } else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc) {
            count = number(argv[++i]);
        } else if (strcmp(argv[i], "--confidential") == 0 && i + 1 < argc) {
            confidential = number(argv[++i]);
        } else if (strcmp(argv[i], "--quiet") == 0) {
            quiet = 1;
        } else {
            file = argv[i];
        }
    }
    if (threads < 1 || threads > 1024 || count < 0 || confidential < 0) {
        fprintf(stderr, "store_writer: bad --threads, --count or --confidential\n");
        return 2;
    }
    if (strcmp(argv[1], "batch") == 0) {
        return batch(db);
    }
    struct platform_opts o;
    platform_opts_init(&o);
    o.db = db;
    struct platform *p;
    struct gsi_err err = GSI_ERR_INIT;
    if (platform_open(&p, &o, &err) < 0) {
        gsi_err_print(&err, "store_writer");
        return 1;
    }
    int rc;
    if (strcmp(argv[1], "burst") == 0) {
        rc = burst(p, threads, count, confidential, quiet);
    } else if (strcmp(argv[1], "check") == 0 && file != NULL) {
        rc = check(p, file);
    } else {
        fprintf(stderr, "store_writer: unknown mode\n");
        rc = 2;
    }
    platform_close(p);
    return rc;
}
