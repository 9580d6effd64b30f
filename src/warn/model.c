/* model.c — the four challenge benchmarks and GSI's model (see model.h). */
#include "warn/model.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/rng.h"

static const char *const names[WARN_MODEL_KINDS] = {
    "zero", "conflictology", "last_poisson", "boot_240", "gsi", "gsi_capped", "gsi_errors", "gsi_own"
};

const char *warn_model_name(enum warn_model_kind k)
{
    return (unsigned)k < WARN_MODEL_KINDS ? names[k] : "?";
}

int warn_model_parse(enum warn_model_kind *out, const char *s, struct gsi_err *err)
{
    for (int k = 0; k < WARN_MODEL_KINDS; k++) {
        if (strcmp(s, names[k]) == 0) {
            *out = (enum warn_model_kind)k;
            return 0;
        }
    }
    return gsi_err_set(err, GSI_EUSAGE,
                       "unknown model '%s': expected zero, conflictology, last_poisson, boot_240, "
                       "gsi, or the ablations gsi_capped, gsi_errors, gsi_own",
                       s);
}

static uint64_t stream_key(int country_id, int month_id)
{
    return (uint64_t)country_id * 4096u + (uint64_t)month_id;
}

static double lg(const struct warn_panel *p, size_t c, int month)
{
    return log1p(warn_panel_at(p, c, month));
}

void warn_gsi_features(struct warn_gsi_features *out, const struct warn_panel *p, size_t c,
                       int origin)
{
    /* The 12-month mean uses what the panel holds when it starts less than 12 months back. */
    double s3 = 0, s12 = 0;
    int n12 = 0;
    for (int k = 0; k < 12 && origin - k >= p->month_first; k++) {
        double v = lg(p, c, origin - k);
        s12 += v;
        n12++;
        if (k < 3) {
            s3 += v;
        }
    }
    out->last = lg(p, c, origin);
    out->mean3 = s3 / 3;
    out->mean12 = s12 / n12;
    out->point = WARN_GSI_W3 * out->mean3 + WARN_GSI_W12 * out->mean12 + WARN_GSI_WLAST * out->last;
}

/* A training pair of the gsi model: the point forecast and the error it made. */
struct pair {
    double point, resid;
};

static int cmp_pair(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->point != y->point) {
        return x->point < y->point ? -1 : 1;
    }
    return (x->resid > y->resid) - (x->resid < y->resid);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Forecast levels (log1p scale) that split the error pool: no recent violence, then about
 * e^1 - 1 = 1.7, 6.4, 19, 54, 147 and 402 deaths a month and above. */
static const double level_edges[] = { 0.01, 1, 2, 3, 4, 5, 6 };
#define NLEVELS   8
#define POOL_MIN  30  /* fewest errors a level needs to stand alone */
#define POOL_NEAR 200 /* otherwise: the errors of the 200 nearest point forecasts */

static int level_of(double point)
{
    int b = 0;
    while (b < NLEVELS - 1 && point >= level_edges[b]) {
        b++;
    }
    return b;
}

/* Empirical quantile (linear interpolation) of ascending v[0..n-1] at q in [0, 1]. */
static double quantile(const double *v, size_t n, double q)
{
    double h = q * (double)(n - 1);
    size_t i = (size_t)h;
    if (i >= n - 1) {
        return v[n - 1];
    }
    return v[i] + (h - (double)i) * (v[i + 1] - v[i]);
}

/* The training pairs of every country, origin t0..t1 and lead lead_lo..lead_hi: each origin's
 * point forecast and the log residual at the lead, sorted by point forecast. */
static void gsi_pairs(struct pair *pr, const struct warn_panel *p, int t0, int t1, int lead_lo,
                      int lead_hi)
{
    size_t k = 0;
    for (size_t c = 0; c < p->ncountries; c++) {
        for (int t = t0; t <= t1; t++) {
            struct warn_gsi_features f;
            warn_gsi_features(&f, p, c, t);
            for (int h = lead_lo; h <= lead_hi; h++) {
                pr[k].point = f.point;
                pr[k].resid = lg(p, c, t + h) - f.point;
                k++;
            }
        }
    }
    qsort(pr, k, sizeof *pr, cmp_pair);
}

/* The first expert's pool for a point forecast: the sorted residuals of its level, or of the
 * POOL_NEAR pairs nearest in point forecast when the level holds fewer than POOL_MIN.
 * lv_start[b] is the first pair of level >= b. Returns the pool's size. */
static size_t gsi_pool(double *pool, const struct pair *pr, size_t npairs, const size_t *lv_start,
                       double point)
{
    int b = level_of(point);
    size_t lo = lv_start[b], hi = lv_start[b + 1];
    if (hi - lo < POOL_MIN) {
        /* Widen a window around the insertion point, taking the nearer side each step (ties:
         * the lower side). */
        size_t at = 0;
        while (at < npairs && pr[at].point < point) {
            at++;
        }
        lo = at;
        hi = at;
        while (hi - lo < POOL_NEAR && hi - lo < npairs) {
            bool lower =
                lo > 0 && (hi == npairs || point - pr[lo - 1].point <= pr[hi].point - point);
            if (lower) {
                lo--;
            } else {
                hi++;
            }
        }
    }
    size_t n = hi - lo;
    for (size_t i = 0; i < n; i++) {
        pool[i] = pr[lo + i].resid;
    }
    qsort(pool, n, sizeof *pool, cmp_double);
    return n;
}

/* The second expert: country c's own recent months up to the origin, sorted (the largest
 * capped for gsi_capped). Returns how many. */
static size_t gsi_own(double *own, const struct warn_panel *p, size_t c, int origin,
                      enum warn_model_kind variant)
{
    int from = origin - (WARN_GSI_OWN_MONTHS - 1);
    from = from < p->month_first ? p->month_first : from;
    size_t nown = (size_t)(origin - from) + 1;
    for (size_t i = 0; i < nown; i++) {
        own[i] = warn_panel_at(p, c, from + (int)i);
    }
    qsort(own, nown, sizeof *own, cmp_double);
    if (variant == WARN_MODEL_GSI_CAPPED && nown >= 2 &&
        own[nown - 1] > WARN_GSI_SPIKE_CAP * own[nown - 2]) {
        own[nown - 1] = WARN_GSI_SPIKE_CAP * own[nown - 2];
    }
    return nown;
}

/* The experts of one country, whose draws are to be made. */
struct gsi_experts {
    double point;       /* the point forecast (log scale) */
    const double *pool; /* the first expert's residuals, sorted */
    size_t npool;
    const double *own; /* the second expert's months, sorted */
    size_t nown;
    size_t n1; /* draws 0..n1-1 from the first expert */
};

/* Country c's draws for each forecast month. */
static void gsi_draws(struct warn_forecast *out, const struct gsi_experts *e, size_t c,
                      int country_id, int first_month, int nmonths, size_t ndraws, uint64_t seed)
{
    for (int m = 0; m < nmonths; m++) {
        struct gsi_rng r;
        gsi_rng_init(&r, gsi_rng_derive(seed, stream_key(country_id, first_month + m)));
        double *x = warn_forecast_draws(out, m, c);
        for (size_t d = 0; d < ndraws; d++) {
            /* The first n1 draws from the error model, the others from the country's
             * own history; each expert's draws are stratified over its own share. */
            size_t part = d < e->n1 ? 0 : 1, j = part ? d - e->n1 : d;
            size_t nk = part ? ndraws - e->n1 : e->n1;
            double u = ((double)j + gsi_rng_uniform(&r)) / (double)nk;
            if (part == 0) {
                double v = expm1(e->point + quantile(e->pool, e->npool, u));
                x[d] = v < 0 ? 0 : floor(v + 0.5);
            } else {
                size_t i = (size_t)(u * (double)e->nown);
                x[d] = e->own[i < e->nown ? i : e->nown - 1];
            }
        }
    }
}

static int gsi_forecast(struct warn_forecast *out, const struct warn_panel *p, int origin,
                        int first_month, int nmonths, size_t ndraws, uint64_t seed,
                        enum warn_model_kind variant, struct gsi_err *err)
{
    /* Draws 0..n1-1 come from expert 1, the others from expert 2. */
    size_t n1 = variant == WARN_MODEL_GSI_ERRORS ? ndraws
                : variant == WARN_MODEL_GSI_OWN  ? 0
                                                 : (size_t)(WARN_GSI_SHARE1 * (double)ndraws + 0.5);
    int lead_lo = first_month - origin, lead_hi = lead_lo + nmonths - 1;
    /* Training origins t: the features need t-2 in the panel, the targets t+lead <= origin. */
    int t0 = p->month_first + 2, t1 = origin - lead_hi;
    if (origin - p->month_first + 1 < WARN_GSI_HISTORY_MIN || t1 < t0) {
        int y = 0, m = 0, y0 = 0, m0 = 0;
        gsi_month_from_id(origin, &y, &m);
        gsi_month_from_id(p->month_first, &y0, &m0);
        return gsi_err_set(err, GSI_EDATA,
                           "the gsi model needs at least %d months of history up to %04d-%02d "
                           "(month_id %d) to learn its errors at leads %d..%d; the data start "
                           "at %04d-%02d",
                           WARN_GSI_HISTORY_MIN, y, m, origin, lead_lo, lead_hi, y0, m0);
    }
    size_t npairs = (size_t)(t1 - t0 + 1) * (size_t)(lead_hi - lead_lo + 1) * p->ncountries;
    struct pair *pr = malloc(npairs * sizeof *pr);
    double *pool = malloc(npairs * sizeof *pool);
    double own[WARN_GSI_OWN_MONTHS];
    if (pr == NULL || pool == NULL) {
        free(pr);
        free(pool);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory fitting the gsi model");
    }
    gsi_pairs(pr, p, t0, t1, lead_lo, lead_hi);
    /* lv_start[b] is the first pair of level >= b; pairs are sorted by point, so each level
     * is the contiguous run lv_start[b] .. lv_start[b + 1] - 1. */
    size_t lv_start[NLEVELS + 1];
    for (size_t i = 0, b = 0; b <= NLEVELS; b++) {
        while (i < npairs && level_of(pr[i].point) < (int)b) {
            i++;
        }
        lv_start[b] = i;
    }
    for (size_t c = 0; c < p->ncountries; c++) {
        struct warn_gsi_features f;
        warn_gsi_features(&f, p, c, origin);
        struct gsi_experts e = { .point = f.point, .pool = pool, .own = own, .n1 = n1 };
        e.npool = gsi_pool(pool, pr, npairs, lv_start, f.point);
        e.nown = gsi_own(own, p, c, origin, variant);
        gsi_draws(out, &e, c, p->country_id[c], first_month, nmonths, ndraws, seed);
    }
    free(pr);
    free(pool);
    return 0;
}

int warn_model_forecast(struct warn_forecast *out, const struct warn_panel *p,
                        enum warn_model_kind k, int origin, int first_month, int nmonths,
                        size_t ndraws, uint64_t seed, struct gsi_err *err)
{
    memset(out, 0, sizeof *out);
    if ((unsigned)k >= WARN_MODEL_KINDS) {
        return gsi_err_set(err, GSI_EUSAGE, "unknown model");
    }
    if (origin < p->month_first || origin > warn_panel_month_last(p)) {
        return gsi_err_set(err, GSI_EDATA,
                           "the forecast needs data for month_id %d; the panel holds %d to %d",
                           origin, p->month_first, warn_panel_month_last(p));
    }
    if (first_month <= origin || nmonths < 1 || nmonths > WARN_FORECAST_MONTHS_MAX || ndraws < 1 ||
        ndraws > WARN_FORECAST_DRAWS_MAX) {
        return gsi_err_set(err, GSI_EUSAGE, "bad forecast shape");
    }
    if (k == WARN_MODEL_CONFLICTOLOGY) {
        ndraws = WARN_CONFLICTOLOGY_DRAWS;
        if (origin - (WARN_CONFLICTOLOGY_DRAWS - 1) < p->month_first) {
            int y = 0, m = 0;
            gsi_month_from_id(origin - (WARN_CONFLICTOLOGY_DRAWS - 1), &y, &m);
            return gsi_err_set(err, GSI_EDATA,
                               "conflictology needs the 12 months from %04d-%02d; the panel "
                               "starts at month_id %d",
                               y, m, p->month_first);
        }
    }
    int rc =
        warn_forecast_init(out, first_month, nmonths, p->country_id, p->ncountries, ndraws, err);
    if (rc < 0) {
        return rc;
    }
    if (k == WARN_MODEL_GSI || k >= WARN_MODEL_GSI_CAPPED) {
        rc = gsi_forecast(out, p, origin, first_month, nmonths, ndraws, seed, k, err);
        if (rc < 0) {
            warn_forecast_release(out);
        }
        return rc;
    }
    for (size_t c = 0; c < p->ncountries; c++) {
        for (int m = 0; m < nmonths; m++) {
            double *x = warn_forecast_draws(out, m, c);
            struct gsi_rng r;
            gsi_rng_init(&r, gsi_rng_derive(seed, stream_key(p->country_id[c], first_month + m)));
            switch (k) {
            case WARN_MODEL_ZERO:
                break; /* calloc'd zeros */
            case WARN_MODEL_CONFLICTOLOGY:
                for (size_t d = 0; d < ndraws; d++) {
                    x[d] = warn_panel_at(p, c, origin - (int)(ndraws - 1) + (int)d);
                }
                break;
            case WARN_MODEL_LAST_POISSON: {
                double lambda = warn_panel_at(p, c, origin);
                for (size_t d = 0; d < ndraws; d++) {
                    x[d] = (double)gsi_rng_poisson(&r, lambda);
                }
                break;
            }
            case WARN_MODEL_BOOT240: {
                int from = origin - 239 < p->month_first ? p->month_first : origin - 239;
                uint64_t span = (uint64_t)(origin - from) + 1;
                for (size_t d = 0; d < ndraws; d++) {
                    x[d] = warn_panel_at(p, c, from + (int)gsi_rng_below(&r, span));
                }
                break;
            }
            default:
                break;
            }
        }
    }
    return 0;
}

int warn_model_forecast_year(struct warn_forecast *out, const struct warn_panel *p,
                             enum warn_model_kind k, int year, size_t ndraws, uint64_t seed,
                             struct gsi_err *err)
{
    return warn_model_forecast(out, p, k, gsi_month_id(year - 1, 10), gsi_month_id(year, 1), 12,
                               ndraws, seed, err);
}
