/* store_writer.c — a journalled-write load generator and checker for the store tests.
 *
 *   store_writer burst --db URL [--threads T] [--count N] [--quiet]
 *       T threads each record N acts through platform_act_record (group commit). After each
 *       acknowledged write it prints "ack RECORD_ID JOURNAL_INDEX" (flushed), so a test that
 *       kills the process with SIGKILL knows exactly which writes were acknowledged. Prints
 *       the rate on stderr: "writes: N in S s = R/s".
 *   store_writer check --db URL ACKFILE
 *       Every acknowledged write in ACKFILE must be in the database with its journal index.
 *       Prints "acked N, found F, wrong W" and exits 1 unless F == N.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "platform/platform.h"

static const char *const parties[] = {"CHN", "IND", "BRA", "ZAF", "RUS", "IDN", "EGY", "KAZ"};

struct job {
    struct platform *p;
    int thread;
    long count;
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
        struct platform_act act = {.type = "test.write",
                                   .party = parties[(size_t)j->thread % 8],
                                   .payload = payload,
                                   .payload_len = (size_t)n};
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

static int burst(struct platform *p, int threads, long count, int quiet)
{
    struct job *jobs = calloc((size_t)threads, sizeof *jobs);
    pthread_t *tids = calloc((size_t)threads, sizeof *tids);
    if (jobs == NULL || tids == NULL) {
        return 1;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int t = 0; t < threads; t++) {
        jobs[t] = (struct job){.p = p, .thread = t, .count = count, .quiet = quiet};
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
        if (sscanf(line, "ack %lld %llu", &id, &index) != 2) {
            continue; /* a line cut by the kill: it was never a complete acknowledgement */
        }
        if (strchr(line, '\n') == NULL) {
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

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: store_writer burst|check --db URL ...\n");
        return 2;
    }
    const char *db = NULL, *file = NULL;
    int threads = 8, quiet = 0;
    long count = 100;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            threads = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc) {
            count = atol(argv[++i]);
        } else if (strcmp(argv[i], "--quiet") == 0) {
            quiet = 1;
        } else {
            file = argv[i];
        }
    }
    if (threads < 1 || threads > 1024 || count < 0) {
        fprintf(stderr, "store_writer: bad --threads or --count\n");
        return 2;
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
        rc = burst(p, threads, count, quiet);
    } else if (strcmp(argv[1], "check") == 0 && file != NULL) {
        rc = check(p, file);
    } else {
        fprintf(stderr, "store_writer: unknown mode\n");
        rc = 2;
    }
    platform_close(p);
    return rc;
}
