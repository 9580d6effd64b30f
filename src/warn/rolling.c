/* rolling.c — pooled means and the paired bootstrap over countries (see rolling.h). */
#include "warn/rolling.h"

#include <stdlib.h>

#include "core/date.h"
#include "core/rng.h"
#include "warn/score.h"

static const struct warn_eval_cell *run_cells(const struct warn_rolling *r, size_t w, size_t m)
{
    return r->cells + (w * r->nmodels + m) * 12 * r->ncountries;
}

static double metric_of(const struct warn_eval_cell *c, enum warn_metric metric)
{
    return metric == WARN_METRIC_CRPS ? c->crps : metric == WARN_METRIC_IGN ? c->ign : c->mis;
}

double warn_rolling_pooled(const struct warn_rolling *r, size_t m, size_t w0, size_t w1,
                           enum warn_metric metric)
{
    double sum = 0;
    size_t n = 0;
    for (size_t w = w0; w <= w1; w++) {
        const struct warn_eval_cell *c = run_cells(r, w, m);
        for (size_t i = 0; i < 12 * r->ncountries; i++) {
            sum += metric_of(&c[i], metric);
            n++;
        }
    }
    return n ? sum / (double)n : 0;
}

/* CRPS summed over a country's months and the windows, for model m. */
static void country_sums(double *out, const struct warn_rolling *r, size_t m, size_t w0, size_t w1)
{
    for (size_t c = 0; c < r->ncountries; c++) {
        out[c] = 0;
    }
    for (size_t w = w0; w <= w1; w++) {
        const struct warn_eval_cell *cells = run_cells(r, w, m);
        for (size_t mo = 0; mo < 12; mo++) {
            for (size_t c = 0; c < r->ncountries; c++) {
                out[c] += cells[mo * r->ncountries + c].crps;
            }
        }
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int warn_rolling_ratio(double *ratio, double *lo, double *hi, const struct warn_rolling *r,
                       size_t m, size_t b, size_t w0, size_t w1, size_t boots, uint64_t seed,
                       struct gsi_err *err)
{
    if (boots < 1 || boots > WARN_ROLLING_BOOT_MAX) {
        return gsi_err_set(err, GSI_EUSAGE, "bootstrap draws must be 1..%d",
                           WARN_ROLLING_BOOT_MAX);
    }
    size_t nc = r->ncountries;
    double *sm = malloc(nc * sizeof *sm), *sb = malloc(nc * sizeof *sb);
    double *draws = malloc(boots * sizeof *draws);
    if (sm == NULL || sb == NULL || draws == NULL) {
        free(sm);
        free(sb);
        free(draws);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory for the bootstrap");
    }
    country_sums(sm, r, m, w0, w1);
    country_sums(sb, r, b, w0, w1);
    double tm = 0, tb = 0;
    for (size_t c = 0; c < nc; c++) {
        tm += sm[c];
        tb += sb[c];
    }
    *ratio = tb > 0 ? tm / tb : 1;
    for (size_t k = 0; k < boots; k++) {
        /* One stream per draw: the interval does not depend on anything but the seed. */
        struct gsi_rng g;
        gsi_rng_init(&g, gsi_rng_derive(seed, k));
        double x = 0, y = 0;
        for (size_t i = 0; i < nc; i++) {
            size_t c = (size_t)gsi_rng_below(&g, nc);
            x += sm[c];
            y += sb[c];
        }
        draws[k] = y > 0 ? x / y : 1;
    }
    qsort(draws, boots, sizeof *draws, cmp_double);
    *lo = warn_score_quantile(draws, boots, 0.05);
    *hi = warn_score_quantile(draws, boots, 0.95);
    free(sm);
    free(sb);
    free(draws);
    return 0;
}

const char *warn_class_name(enum warn_class c)
{
    static const char *const names[WARN_CLASS_COUNT] = { "calm",   "onset",         "surge",
                                                         "steady", "de-escalation", "other" };
    return (unsigned)c < WARN_CLASS_COUNT ? names[c] : "?";
}

static double span_sum(const struct warn_panel *p, size_t c, int from, int to)
{
    double s = 0;
    for (int m = from; m <= to; m++) {
        if (m >= p->month_first && m <= warn_panel_month_last(p)) {
            s += warn_panel_at(p, c, m);
        }
    }
    return s;
}

void warn_rolling_classes(unsigned char *out, const struct warn_panel *p, const int *years,
                          size_t ny)
{
    for (size_t w = 0; w < ny; w++) {
        int origin = gsi_month_id(years[w] - 1, 10);
        for (size_t c = 0; c < p->ncountries; c++) {
            double before = span_sum(p, c, origin - 11, origin);
            double after = span_sum(p, c, gsi_month_id(years[w], 1), gsi_month_id(years[w], 12));
            enum warn_class k = WARN_CLASS_CALM;
            if (before >= 25) {
                k = after > 4 * before   ? WARN_CLASS_SURGE
                    : after < before / 4 ? WARN_CLASS_DEESC
                                         : WARN_CLASS_STEADY;
            } else if (after >= 25) {
                k = before == 0 ? WARN_CLASS_ONSET : WARN_CLASS_OTHER;
            }
            out[w * p->ncountries + c] = (unsigned char)k;
        }
    }
}

double warn_rolling_class_crps(const struct warn_rolling *r, size_t m, const unsigned char *classes,
                               enum warn_class cls, size_t *n)
{
    double sum = 0;
    *n = 0;
    for (size_t w = 0; w < r->nwindows; w++) {
        const struct warn_eval_cell *cells = run_cells(r, w, m);
        for (size_t c = 0; c < r->ncountries; c++) {
            if (classes[w * r->ncountries + c] != cls) {
                continue;
            }
            (*n)++;
            for (size_t mo = 0; mo < 12; mo++) {
                sum += cells[mo * r->ncountries + c].crps;
            }
        }
    }
    return *n ? sum / (double)(*n * 12) : 0;
}
