/* rng.c — xoshiro256** by D. Blackman and S. Vigna (public domain), seeded with splitmix64. */
#include "core/rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

void gsi_rng_init(struct gsi_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++) {
        r->s[i] = splitmix64(&x);
    }
}

uint64_t gsi_rng_derive(uint64_t seed, uint64_t index)
{
    uint64_t x = seed ^ (index * UINT64_C(0xd1b54a32d192ed03));
    splitmix64(&x);
    return splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t gsi_rng_next(struct gsi_rng *r)
{
    uint64_t *s = r->s;
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double gsi_rng_uniform(struct gsi_rng *r)
{
    return (double)(gsi_rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t gsi_rng_below(struct gsi_rng *r, uint64_t n)
{
    uint64_t threshold = (0 - n) % n;
    for (;;) {
        uint64_t x = gsi_rng_next(r);
        if (x >= threshold) {
            return x % n;
        }
    }
}

double gsi_rng_normal(struct gsi_rng *r)
{
    double u1 = gsi_rng_uniform(r);
    double u2 = gsi_rng_uniform(r);
    if (u1 < 1e-300) {
        u1 = 1e-300;
    }
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

uint64_t gsi_rng_poisson(struct gsi_rng *r, double lambda)
{
    if (!(lambda > 0)) {
        return 0;
    }
    if (lambda < 30) {
        /* Inversion by sequential search. */
        double p = exp(-lambda), f = p, u = gsi_rng_uniform(r);
        uint64_t k = 0;
        while (u > f && k < 1000) {
            u -= f;
            k++;
            p *= lambda / (double)k;
            f = p;
        }
        return k;
    }
    /* PTRS: W. Hörmann, "The transformed rejection method for generating Poisson random
     * variables", Insurance: Mathematics and Economics 12 (1993). */
    const double slam = sqrt(lambda), loglam = log(lambda);
    const double b = 0.931 + 2.53 * slam;
    const double a = -0.059 + 0.02483 * b;
    const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const double vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
        double u = gsi_rng_uniform(r) - 0.5;
        double v = gsi_rng_uniform(r);
        double us = 0.5 - fabs(u);
        double k = floor((2 * a / us + b) * u + lambda + 0.43);
        if (us >= 0.07 && v <= vr) {
            return (uint64_t)k;
        }
        if (k < 0 || (us < 0.013 && v > us)) {
            continue;
        }
        if (log(v) + log(invalpha) - log(a / (us * us) + b) <=
            -lambda + k * loglam - lgamma(k + 1)) {
            return (uint64_t)k;
        }
    }
}
