/*
 * bench.c — times the max-min fair allocation (src/coop) on synthetic instances.
 *
 *   bench PARTIES DOMAINS LANGUAGES OFFERS PLACES_PER_OFFER REQUESTS [--dump FILE] [--repeat N]
 *
 * Offers: a random domain, 1 to 3 of the languages, open to all regions (70%) or to 1 or 2
 * of 5, a course of 5 to 14 days in 2027. Requests: REQUESTS = 0 means one per (party,
 * domain, language), otherwise that many with a random party, domain and language; 1 to 5
 * places; a window of the whole year (half) or one quarter. Everything comes from one seed.
 * Prints one line: the time of the fastest run, the sizes, and a checksum of the sorted share
 * vector that bench/coop/peer.py prints too. --dump writes the instance for the peer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "coop/coop.h"
#include "core/rng.h"

#define DAY0 20819 /* 2027-01-01 */

static double clock_s(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint64_t some_languages(struct gsi_rng *r, uint64_t nl)
{
    uint64_t m = 0;
    uint64_t k = 1 + gsi_rng_below(r, 3);
    for (uint64_t i = 0; i < k; i++) {
        m |= (uint64_t)1 << gsi_rng_below(r, nl);
    }
    return m;
}

static void make_offers(struct coop_offer *o, size_t n, uint64_t nd, uint64_t nl,
                        uint32_t places, struct gsi_rng *r)
{
    for (size_t i = 0; i < n; i++) {
        int32_t start = DAY0 + (int32_t)gsi_rng_below(r, 350);
        uint64_t regions = 0;
        if (gsi_rng_below(r, 10) >= 7) {
            regions = (uint64_t)1 << gsi_rng_below(r, 5) | (uint64_t)1 << gsi_rng_below(r, 5);
        }
        o[i] = (struct coop_offer){some_languages(r, nl), regions,
                                   (uint32_t)(1 + gsi_rng_below(r, nd)), places, start,
                                   start + 4 + (int32_t)gsi_rng_below(r, 10)};
    }
}

static void make_request(struct coop_request *q, uint32_t party, uint32_t domain, uint32_t lang,
                         struct gsi_rng *r)
{
    int32_t from = DAY0;
    int32_t to = DAY0 + 364;
    if (gsi_rng_below(r, 2) == 0) {
        from = DAY0 + 91 * (int32_t)gsi_rng_below(r, 4);
        to = from + 90;
    }
    *q = (struct coop_request){(uint64_t)1 << lang, party, domain,
                               (uint32_t)(1 + gsi_rng_below(r, 5)), party % 5, from, to};
}

static void dump(const char *path, const struct coop_offer *o, size_t no,
                 const struct coop_request *q, size_t nq, size_t np)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        exit(1);
    }
    fprintf(f, "%zu %zu %zu\n", np, no, nq);
    for (size_t i = 0; i < no; i++) {
        fprintf(f, "%u %llu %llu %u %d %d\n", o[i].domain, (unsigned long long)o[i].languages,
                (unsigned long long)o[i].regions, o[i].places, o[i].start, o[i].end);
    }
    for (size_t i = 0; i < nq; i++) {
        fprintf(f, "%u %u %llu %u %u %d %d\n", q[i].party, q[i].domain,
                (unsigned long long)q[i].languages, q[i].region, q[i].places, q[i].from, q[i].to);
    }
    fclose(f);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a;
    uint32_t y = *(const uint32_t *)b;
    return x < y ? -1 : (x > y);
}

/* FNV-1a over the sorted shares, printed as "vector N:HASH" (peer.py computes the same). */
static void vector_line(const uint32_t *shares, size_t np, char *out, size_t cap)
{
    uint32_t *s = malloc((np > 0 ? np : 1) * sizeof *s);
    memcpy(s, shares, np * sizeof *s);
    qsort(s, np, sizeof *s, cmp_u32);
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < np; i++) {
        h = (h ^ s[i]) * 1099511628211u;
    }
    snprintf(out, cap, "min %u max %u vector %016llx", np > 0 ? s[0] : 0,
             np > 0 ? s[np - 1] : 0, (unsigned long long)h);
    free(s);
}

int main(int argc, char **argv)
{
    if (argc < 7) {
        fputs("usage: bench PARTIES DOMAINS LANGUAGES OFFERS PLACES_PER_OFFER REQUESTS "
              "[--dump FILE] [--repeat N]\n", stderr);
        return 2;
    }
    size_t np = strtoul(argv[1], NULL, 10), nd = strtoul(argv[2], NULL, 10);
    size_t nl = strtoul(argv[3], NULL, 10), no = strtoul(argv[4], NULL, 10);
    uint32_t per = (uint32_t)strtoul(argv[5], NULL, 10);
    size_t nq = strtoul(argv[6], NULL, 10);
    const char *dump_path = NULL;
    int repeat = 3;
    for (int i = 7; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--dump") == 0) {
            dump_path = argv[i + 1];
        } else if (strcmp(argv[i], "--repeat") == 0) {
            repeat = atoi(argv[i + 1]);
        }
    }
    size_t every = nq == 0;
    if (every) {
        nq = np * nd * nl;
    }
    struct gsi_rng rng;
    gsi_rng_init(&rng, 2027);
    struct coop_offer *o = malloc(no * sizeof *o);
    struct coop_request *q = malloc(nq * sizeof *q);
    if (o == NULL || q == NULL) {
        return 1;
    }
    make_offers(o, no, nd, nl, per, &rng);
    for (size_t i = 0; i < nq; i++) {
        size_t p = every ? i / (nd * nl) : gsi_rng_below(&rng, np);
        size_t d = every ? i / nl % nd : gsi_rng_below(&rng, nd);
        size_t l = every ? i % nl : gsi_rng_below(&rng, nl);
        make_request(&q[i], (uint32_t)p, (uint32_t)(d + 1), (uint32_t)l, &rng);
    }
    if (dump_path != NULL) {
        dump(dump_path, o, no, q, nq, np);
    }
    double best = 1e30;
    double best_cpu = 1e30;
    struct coop_alloc a = {0};
    for (int k = 0; k < repeat; k++) {
        struct gsi_err err = GSI_ERR_INIT;
        coop_alloc_release(&a);
        double t0 = clock_s(CLOCK_MONOTONIC);
        double c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        if (coop_alloc_run(&a, o, no, q, nq, np, &err) < 0) {
            fprintf(stderr, "bench: %s\n", err.msg);
            return 1;
        }
        double t = clock_s(CLOCK_MONOTONIC) - t0;
        double c = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        best = t < best ? t : best;
        best_cpu = c < best_cpu ? c : best_cpu;
    }
    char line[128];
    vector_line(a.party_places, np, line, sizeof line);
    printf("allocate %.6f s  cpu %.6f s  parties %zu offers %zu places %zu requests %zu classes %zu "
           "paths %llu allocated %llu %s\n",
           best, best_cpu, np, no, no * per, nq, a.classes, (unsigned long long)a.augments,
           (unsigned long long)a.total, line);
    coop_alloc_release(&a);
    free(o);
    free(q);
    return 0;
}
