/*
 * rng.h — a seeded, portable random number generator (xoshiro256**, seeded by splitmix64).
 *
 * Every random choice in GSI takes a seed, so the same input and seed give the same output on
 * every machine and thread count. To use several threads, give each unit of work its own
 * stream: gsi_rng_init(&r, gsi_rng_derive(seed, unit_index)).
 */
#ifndef GSI_CORE_RNG_H
#define GSI_CORE_RNG_H

#include <stdint.h>

struct gsi_rng {
    uint64_t s[4];
};

void gsi_rng_init(struct gsi_rng *r, uint64_t seed);
/* A seed for sub-stream `index` of `seed`, independent of the others. */
uint64_t gsi_rng_derive(uint64_t seed, uint64_t index);
uint64_t gsi_rng_next(struct gsi_rng *r);
/* Uniform in [0, 1) with 53 random bits. */
double gsi_rng_uniform(struct gsi_rng *r);
/* Uniform integer in [0, n), without modulo bias; n > 0. */
uint64_t gsi_rng_below(struct gsi_rng *r, uint64_t n);
/* Standard normal (Box–Muller, one value per call). */
double gsi_rng_normal(struct gsi_rng *r);
/* Poisson with mean `lambda` >= 0 (inversion for small means, PTRS for large ones). */
uint64_t gsi_rng_poisson(struct gsi_rng *r, double lambda);

#endif
