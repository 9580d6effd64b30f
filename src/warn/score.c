/* score.c — CRPS, IGN and MIS as the ViEWS challenge computes them (see score.h). */
#include "warn/score.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"

/* The challenge's IGN bin edges (evaluate_submissions.py). */
static const double ign_edges[WARN_IGN_NBINS] = { 0,    0.5,   2.5,   5.5,   10.5,  25.5,
                                                  50.5, 100.5, 250.5, 500.5, 1000.5 };

void warn_score_ws_init(struct warn_score_ws *ws)
{
    memset(ws, 0, sizeof *ws);
}

void warn_score_ws_release(struct warn_score_ws *ws)
{
    free(ws->sorted);
    free(ws->resamp);
    free(ws->cosn);
    free(ws->sinn);
    free(ws->re);
    free(ws->im);
    memset(ws, 0, sizeof *ws);
}

double warn_score_crps_sorted(const double *sorted, size_t n, double y)
{
    /* Walks the sorted samples once, integrating (F(x) - H(x - y))^2 piece by piece, in the
     * same order of operations as properscoring's _crps_ensemble_gufunc with equal weights. */
    double obs_cdf = 0, fc_cdf = 0, prev = 0, integral = 0, f = 0;
    for (size_t i = 0; i < n; i++) {
        f = sorted[i];
        if (obs_cdf == 0 && y < f) {
            integral += (y - prev) * fc_cdf * fc_cdf;
            integral += (f - y) * (fc_cdf - 1) * (fc_cdf - 1);
            obs_cdf = 1;
        } else {
            integral += (f - prev) * (fc_cdf - obs_cdf) * (fc_cdf - obs_cdf);
        }
        fc_cdf = (double)(i + 1) / (double)n;
        prev = f;
    }
    if (obs_cdf == 0) {
        integral += y - f;
    }
    return integral;
}

double warn_score_quantile(const double *sorted, size_t n, double q)
{
    /* numpy.quantile, method "linear": virtual index q(n-1), and numpy's two-sided lerp. */
    double h = q * (double)(n - 1);
    double lo = floor(h);
    size_t i = (size_t)lo;
    if (i >= n - 1) {
        return sorted[n - 1];
    }
    double t = h - lo, a = sorted[i], b = sorted[i + 1];
    double d = b - a;
    return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

double warn_score_mis_sorted(const double *sorted, size_t n, double y)
{
    const double alpha = 1 - WARN_PI_LEVEL; /* 0.09999999999999998, as in Python */
    double lower = warn_score_quantile(sorted, n, alpha / 2);
    double upper = warn_score_quantile(sorted, n, 1 - alpha / 2);
    double s = upper - lower;
    if (y < lower) {
        s += (2 / alpha) * (lower - y);
    }
    if (y > upper) {
        s += (2 / alpha) * (y - upper);
    }
    return s;
}

int warn_score_ign_bin(double v)
{
    /* numpy.digitize(v, edges) - 1: the number of edges <= v, less one. */
    int b = 0;
    while (b + 1 < WARN_IGN_NBINS && ign_edges[b + 1] <= v) {
        b++;
    }
    return b;
}

/* Makes the Fourier tables for n samples. */
static int ws_prepare(struct warn_score_ws *ws, size_t n)
{
    if (ws->resamp == NULL) {
        ws->resamp = malloc(WARN_IGN_SAMPLES * sizeof *ws->resamp);
        if (ws->resamp == NULL) {
            return GSI_ENOMEM;
        }
    }
    if (ws->n == n && ws->cosn != NULL) {
        return 0;
    }
    free(ws->cosn);
    free(ws->sinn);
    free(ws->re);
    free(ws->im);
    /* cos/sin of 2*pi*r/n, then of 2*pi*r/1000 */
    ws->cosn = malloc((n + WARN_IGN_SAMPLES) * sizeof *ws->cosn);
    ws->sinn = malloc((n + WARN_IGN_SAMPLES) * sizeof *ws->sinn);
    ws->re = malloc((WARN_IGN_SAMPLES / 2 + 1) * sizeof *ws->re);
    ws->im = malloc((WARN_IGN_SAMPLES / 2 + 1) * sizeof *ws->im);
    if (ws->cosn == NULL || ws->sinn == NULL || ws->re == NULL || ws->im == NULL) {
        ws->n = 0;
        return GSI_ENOMEM;
    }
    const double two_pi = 6.283185307179586476925286766559;
    for (size_t r = 0; r < n; r++) {
        ws->cosn[r] = cos(two_pi * (double)r / (double)n);
        ws->sinn[r] = sin(two_pi * (double)r / (double)n);
    }
    for (size_t r = 0; r < WARN_IGN_SAMPLES; r++) {
        ws->cosn[n + r] = cos(two_pi * (double)r / WARN_IGN_SAMPLES);
        ws->sinn[n + r] = sin(two_pi * (double)r / WARN_IGN_SAMPLES);
    }
    ws->n = n;
    return 0;
}

/* scipy.signal.resample(x, 1000) for real x, then negatives set to 0, into ws->resamp.
 * The real FFT of x is truncated (n > 1000) or zero-padded (n < 1000) and inverted:
 *   y[m] = (1/n) sum_{k=0..kmax} w_k Re(X_k e^{2 pi i k m / 1000})
 * with w_0 = 1, w_k = 2, and the Nyquist term of the shorter length weighted as scipy does
 * (halved when padding an even n, doubled and then counted once by the inverse when
 * truncating). Direct sums suffice: kmax <= 500 terms; `nout` is the output length (1000). */
static void resample(struct warn_score_ws *ws, const double *x, size_t n)
{
    const size_t nout = WARN_IGN_SAMPLES;
    size_t kmax = n < nout ? n / 2 : nout / 2;
    const double *cn = ws->cosn, *sn = ws->sinn;
    const double *cm = ws->cosn + n, *sm = ws->sinn + n;
    for (size_t k = 0; k <= kmax; k++) {
        double re = 0, im = 0;
        for (size_t j = 0; j < n; j++) {
            size_t r = (size_t)(((unsigned long long)j * k) % n);
            re += x[j] * cn[r];
            im -= x[j] * sn[r];
        }
        double w = k == 0 ? 1 : 2;
        if (n < nout && n % 2 == 0 && k == kmax) {
            w = 1; /* scipy halves the padded Nyquist term */
        }
        ws->re[k] = w * re;
        ws->im[k] = w * im;
    }
    for (size_t m = 0; m < nout; m++) {
        double s = ws->re[0];
        for (size_t k = 1; k <= kmax; k++) {
            size_t r = (k * m) % nout;
            if (n > nout && k == kmax) {
                s += ws->re[k] * cm[r]; /* the Nyquist term: real part only */
            } else {
                s += ws->re[k] * cm[r] - ws->im[k] * sm[r];
            }
        }
        double v = s / (double)n;
        ws->resamp[m] = v < 0 ? 0 : v;
    }
}

double warn_score_ign(struct warn_score_ws *ws, const double *x, size_t n, double y)
{
    const double *s = x;
    size_t ns = n;
    if (n != WARN_IGN_SAMPLES) {
        if (ws_prepare(ws, n) < 0) {
            return -1;
        }
        resample(ws, x, n);
        s = ws->resamp;
        ns = WARN_IGN_SAMPLES;
    }
    int by = warn_score_ign_bin(y);
    size_t k = 1; /* the pseudo-sample every bin gets */
    for (size_t i = 0; i < ns; i++) {
        k += warn_score_ign_bin(s[i]) == by;
    }
    return -log2((double)k / (double)(ns + WARN_IGN_NBINS));
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int warn_score_all(struct warn_scores *out, struct warn_score_ws *ws, const double *x, size_t n,
                   double y)
{
    if (ws->cap < n) {
        if (GSI_ALLOC_RESIZE(ws->sorted, n) < 0) {
            return GSI_ENOMEM;
        }
        ws->cap = n;
    }
    memcpy(ws->sorted, x, n * sizeof *x);
    qsort(ws->sorted, n, sizeof *x, cmp_double);
    const double alpha = 1 - WARN_PI_LEVEL;
    out->crps = warn_score_crps_sorted(ws->sorted, n, y);
    out->mis = warn_score_mis_sorted(ws->sorted, n, y);
    out->lower = warn_score_quantile(ws->sorted, n, alpha / 2);
    out->upper = warn_score_quantile(ws->sorted, n, 1 - alpha / 2);
    out->covered = y >= out->lower && y <= out->upper;
    out->ign = warn_score_ign(ws, x, n, y);
    return out->ign < 0 ? GSI_ENOMEM : 0;
}
