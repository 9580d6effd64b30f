/*
 * score.h — the three scores of the ViEWS 2023/24 prediction challenge, for one forecast
 * given as samples and one observed value. Each follows the challenge's evaluation code so
 * that a score here equals the challenge's score for the same samples (docs/internals/warn.md
 * gives the formulas and the checks against the published per-country-month scores).
 *
 *   CRPS  the sample (ensemble) estimator: the integral of (F_n(x) - 1{x >= y})^2 over x,
 *         where F_n is the empirical CDF of the samples (properscoring's crps_ensemble, which
 *         xskillscore calls). Lower is better; same unit as the counts.
 *   IGN   ignorance (log score, bits) on the challenge's 11 bins with edges
 *         0, 0.5, 2.5, 5.5, 10.5, 25.5, 50.5, 100.5, 250.5, 500.5, 1000.5 (so bins hold 0, 1-2,
 *         3-5, 6-10, 11-25, 26-50, 51-100, 101-250, 251-500, 501-1000, >1000): one pseudo-sample
 *         is added to every bin, p = (k + 1) / (n + 11), IGN = -log2 p. As in the challenge, a
 *         forecast that does not have exactly 1,000 samples is first resampled to 1,000 by
 *         Fourier resampling (scipy.signal.resample, in draw order) and negative values are
 *         set to 0, so IGN depends on the order of the draws when n != 1000.
 *   MIS   the interval score of the central 90% interval (alpha = 1 - 0.9): width plus
 *         (2/alpha) times the distance by which y falls outside; the interval ends are the 5%
 *         and 95% sample quantiles with linear interpolation (numpy's default).
 *
 * `x` holds `n` samples (n >= 1) in draw order; none is modified. Samples and `y` are >= 0.
 */
#ifndef GSI_WARN_SCORE_H
#define GSI_WARN_SCORE_H

#include <stddef.h>

#define WARN_IGN_NBINS   11
#define WARN_IGN_SAMPLES 1000 /* the sample count IGN is computed on */
#define WARN_PI_LEVEL    0.9  /* central prediction interval of MIS and coverage */

/* Scratch space the scores need; one per thread. */
struct warn_score_ws {
    double *sorted; /* n sorted samples */
    double *resamp; /* WARN_IGN_SAMPLES resampled values */
    double *cosn;   /* cos/sin tables of the resampling for the current n */
    double *sinn;
    double *re; /* Fourier coefficients */
    double *im;
    size_t n;   /* sample count the Fourier tables were made for */
    size_t cap; /* samples `sorted` can hold */
};

void warn_score_ws_init(struct warn_score_ws *ws);
void warn_score_ws_release(struct warn_score_ws *ws);

/* CRPS of samples `sorted` (ascending) against y. */
double warn_score_crps_sorted(const double *sorted, size_t n, double y);

/* Linear-interpolation sample quantile (numpy's default) of ascending `sorted`, q in [0, 1]. */
double warn_score_quantile(const double *sorted, size_t n, double q);

/* MIS of the central WARN_PI_LEVEL interval of ascending `sorted` against y. */
double warn_score_mis_sorted(const double *sorted, size_t n, double y);

/* Bin of a value (0..10) on the IGN edges; values below 0 are bin 0. */
int warn_score_ign_bin(double v);

/* IGN of samples `x` in draw order against y. -1 (never a valid score) on allocation failure. */
double warn_score_ign(struct warn_score_ws *ws, const double *x, size_t n, double y);

/* All three for samples `x` in draw order; also whether y lies in the 90% interval.
 * Returns 0 or GSI_ENOMEM. */
struct warn_scores {
    double crps, ign, mis;
    double lower, upper; /* the 90% interval */
    int covered;
};
int warn_score_all(struct warn_scores *out, struct warn_score_ws *ws, const double *x, size_t n,
                   double y);

#endif
