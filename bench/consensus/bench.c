/* bench.c — times the consensus engine on synthetic consultations (synth.h).
 *
 *   bench N M VOTES [--threads T] [--seed S] [--dump PREFIX]
 *
 * Builds N participants × M statements with about VOTES votes in K = 3 planted groups, then
 * prints one line each for: the full computation, a warm-started recompute after 1,000 new
 * votes (three times), and the fast incremental path (consensus_update) after 1,000 new votes
 * (five times; the first after a compute also sums the base clusters once). With --dump,
 * writes PREFIX.coo (int32 row, int32 col, int8 vote per vote, the matrix after the first
 * computation) and PREFIX.groups (int8 per participant), for
 * the numpy + scikit-learn peer (peer.py). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "consensus/consensus.h"
#include "synth.h"

/* dump.c: writes the engine's vote matrix as (int32 row, int32 col, int8 vote) records. */
int bench_dump_matrix(const struct consensus *c, FILE *f);

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

static double peak_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0; /* KiB on Linux */
}

static int dump(const struct consensus *c, const char *prefix)
{
    char path[1024];
    snprintf(path, sizeof path, "%s.coo", prefix);
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        return -1;
    }
    int rc = bench_dump_matrix(c, f);
    fclose(f);
    if (rc < 0) {
        return rc;
    }
    snprintf(path, sizeof path, "%s.groups", prefix);
    f = fopen(path, "wb");
    if (f == NULL) {
        return -1;
    }
    fwrite(c->group, 1, c->np, f);
    fclose(f);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench N M VOTES [--threads T] [--seed S] [--dump PREFIX]\n");
        return 2;
    }
    struct synth_params p;
    p.n = strtoull(argv[1], NULL, 10);
    p.m = strtoull(argv[2], NULL, 10);
    double votes = strtod(argv[3], NULL);
    p.k = 3;
    p.votes_per_participant = votes / (double)p.n;
    p.noise = 0.2;
    p.shared = 0.2;
    p.seed = 1;
    const char *dump_prefix = NULL;
    struct consensus_opts o;
    consensus_opts_default(&o);
    for (int i = 4; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--threads") == 0) {
            o.threads = atoi(argv[i + 1]);
        } else if (strcmp(argv[i], "--seed") == 0) {
            p.seed = strtoull(argv[i + 1], NULL, 10);
        } else if (strcmp(argv[i], "--dump") == 0) {
            dump_prefix = argv[i + 1];
        }
    }
    struct gsi_err err = GSI_ERR_INIT;
    struct consensus *c = consensus_new(&o);
    double t0 = now();
    int32_t *truth = malloc(p.n * sizeof *truth);
    if (c == NULL || truth == NULL || synth_fill(c, &p, truth, &err) < 0) {
        fprintf(stderr, "bench: %s\n", err.msg);
        return 1;
    }
    double t1 = now(), cpu1 = cpu_seconds();
    if (consensus_compute(c, &err) < 0) {
        fprintf(stderr, "bench: %s\n", err.msg);
        return 1;
    }
    double t2 = now(), cpu2 = cpu_seconds();
    size_t clustered = 0;
    int32_t *ours = malloc(c->np * sizeof *ours), *ref = malloc(c->np * sizeof *ref);
    for (size_t i = 0; i < c->np; i++) {
        clustered += c->group[i] >= 0;
        ours[i] = c->group[i];
        ref[i] = truth[c->pid[i]];
    }
    double ari = consensus_ari(ours, ref, c->np);
    printf("full       n=%zu m=%zu votes=%llu  compute %.3f s (cpu %.3f s; build %.3f, pca %.3f, "
           "cluster %.3f, stats %.3f)  pca_iters %d  base %d  groups %d  clustered %zu  "
           "planted_ARI %.4f  peak %.0f MiB  (generate %.2f s)\n",
           c->np, c->ns, (unsigned long long)consensus_vote_count(c), t2 - t1, cpu2 - cpu1,
           c->t_build, c->t_pca, c->t_cluster, c->t_stats, c->pca_iterations, c->nbase, c->ngroups,
           clustered, ari, peak_mib(), t1 - t0);
    fflush(stdout);
    if (dump_prefix != NULL && dump(c, dump_prefix) < 0) {
        fprintf(stderr, "bench: cannot write %s.*\n", dump_prefix);
        return 1;
    }
    for (int round = 0; round < 3; round++) {
        for (uint64_t v = 0; v < 1000; v++) {
            if (synth_vote(c, &p, (uint64_t)round * 1000 + v, &err) < 0) {
                fprintf(stderr, "bench: %s\n", err.msg);
                return 1;
            }
        }
        double t3 = now(), cpu3 = cpu_seconds();
        if (consensus_compute(c, &err) < 0) {
            fprintf(stderr, "bench: %s\n", err.msg);
            return 1;
        }
        double t4 = now(), cpu4 = cpu_seconds();
        for (size_t i = 0; i < c->np; i++) {
            ours[i] = c->group[i];
        }
        printf("increment  +1000 votes  compute %.4f s (cpu %.4f s; build %.4f, pca %.4f, cluster "
               "%.4f, stats %.4f)  pca_iters %d  groups %d  planted_ARI %.4f  peak %.0f MiB\n",
               t4 - t3, cpu4 - cpu3, c->t_build, c->t_pca, c->t_cluster, c->t_stats,
               c->pca_iterations, c->ngroups, consensus_ari(ours, ref, c->np), peak_mib());
    }
    /* The fast path: consensus_update after each 1,000 new votes, on the components and
     * groups of the last compute (the first one after a compute also sums the base
     * clusters once, one pass over the participants). */
    for (int round = 0; round < 5; round++) {
        for (uint64_t v = 0; v < 1000; v++) {
            if (synth_vote(c, &p, (uint64_t)(3 + round) * 1000 + v, &err) < 0) {
                fprintf(stderr, "bench: %s\n", err.msg);
                return 1;
            }
        }
        double t3 = now(), cpu3 = cpu_seconds();
        int urc = consensus_update(c, &err);
        if (urc < 0) {
            fprintf(stderr, "bench: %s\n", err.msg);
            return 1;
        }
        double t4 = now(), cpu4 = cpu_seconds();
        for (size_t i = 0; i < c->np; i++) {
            ours[i] = c->group[i];
        }
        printf("update     +1000 votes  update %.4f s (cpu %.4f s)%s  groups %d  planted_ARI %.4f  "
               "peak %.0f MiB\n",
               t4 - t3, cpu4 - cpu3, urc > 0 ? "  (fell back to a full compute)" : "", c->ngroups,
               consensus_ari(ours, ref, c->np), peak_mib());
    }
    /* How far the updates' results are from a full computation on the same votes. */
    {
        double *ux = malloc(c->np * sizeof *ux), *uy = malloc(c->np * sizeof *uy);
        size_t unp = c->np;
        if (ux == NULL || uy == NULL) {
            fprintf(stderr, "bench: out of memory\n");
            return 1;
        }
        memcpy(ux, c->x, unp * sizeof *ux);
        memcpy(uy, c->y, unp * sizeof *uy);
        double t3 = now();
        if (consensus_compute(c, &err) < 0) {
            fprintf(stderr, "bench: %s\n", err.msg);
            return 1;
        }
        double t4 = now(), dmax = 0, span = 0;
        int32_t *fresh = malloc(c->np * sizeof *fresh);
        if (fresh == NULL) {
            fprintf(stderr, "bench: out of memory\n");
            return 1;
        }
        for (size_t i = 0; i < unp; i++) {
            double dx = c->x[i] - ux[i], dy = c->y[i] - uy[i];
            double d = dx * dx + dy * dy;
            dmax = d > dmax ? d : dmax;
            double r = c->x[i] * c->x[i] + c->y[i] * c->y[i];
            span = r > span ? r : span;
        }
        for (size_t i = 0; i < c->np; i++) {
            fresh[i] = c->group[i];
        }
        printf("recompute  after the updates  compute %.4f s  groups %d  ARI(update groups, "
               "recomputed groups) %.4f  max projection shift %.3g (largest radius %.3g)\n",
               t4 - t3, c->ngroups, consensus_ari(ours, fresh, c->np), sqrt(dmax), sqrt(span));
        free(fresh);
        free(ux);
        free(uy);
    }
    free(ours);
    free(ref);
    free(truth);
    consensus_free(c);
    return 0;
}
