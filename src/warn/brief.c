/* brief.c — ranking hotspots and explaining them (see brief.h). */
#include "warn/brief.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref/ref.h"
#include "warn/forecast.h"
#include "warn/model.h"
#include "warn/score.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_hotspot(const void *a, const void *b)
{
    const struct warn_hotspot *x = a, *y = b;
    if (x->median != y->median) {
        return x->median > y->median ? -1 : 1;
    }
    if (x->expected != y->expected) {
        return x->expected > y->expected ? -1 : 1;
    }
    return (x->country_id > y->country_id) - (x->country_id < y->country_id);
}

void warn_brief_alert_text(char *buf, size_t cap, int alerts)
{
    static const char *const words[3] = { "surge", "rising", "new" };
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < 3; i++) {
        if ((alerts & (1 << i)) && len < cap) {
            int w = snprintf(buf + len, cap - len, "%s%s", len ? ", " : "", words[i]);
            len += w > 0 ? (size_t)w : 0;
        }
    }
}

/* Sum of the panel over months [from, to], clipped to the panel. */
static double sum_months(const struct warn_panel *p, size_t c, int from, int to)
{
    double s = 0;
    for (int m = from < p->month_first ? p->month_first : from; m <= to; m++) {
        s += warn_panel_at(p, c, m);
    }
    return s;
}

static void explain(struct warn_hotspot *h, const struct warn_gsi_features *f)
{
    /* Each feature's share of the point forecast (weights times log1p levels), and the
     * monthly level it stands for, expm1 of the log1p mean (a geometric-type mean). */
    double parts[3] = { WARN_GSI_W3 * f->mean3, WARN_GSI_W12 * f->mean12,
                        WARN_GSI_WLAST * f->last };
    static const char *const label[3] = { "3-month level", "12-month level", "last month" };
    static const char *const unit[3] = { "/month", "/month", " deaths" };
    double level[3] = { expm1(f->mean3), expm1(f->mean12), expm1(f->last) };
    if (f->point <= 0) {
        snprintf(h->reasons, sizeof h->reasons, "no state-based deaths in the last 12 months");
        return;
    }
    size_t len = 0;
    for (int i = 0; i < 3; i++) {
        int w = snprintf(h->reasons + len, sizeof h->reasons - len, "%s%s %.0f%s (%.0f%%)",
                         i ? "; " : "", label[i], level[i], unit[i], 100 * parts[i] / f->point);
        len += w > 0 ? (size_t)w : 0;
        if (len >= sizeof h->reasons) {
            return;
        }
    }
    const char *trend = f->mean3 > f->mean12 + 0.5   ? "; trend up"
                        : f->mean3 < f->mean12 - 0.5 ? "; trend down"
                                                     : "";
    snprintf(h->reasons + len, sizeof h->reasons - len, "%s", trend);
}

int warn_brief_build(struct warn_hotspot **out, size_t *n, const struct warn_panel *p, int through,
                     size_t ndraws, uint64_t seed, struct gsi_err *err)
{
    return warn_brief_build_keep(out, n, NULL, p, through, ndraws, seed, err);
}

int warn_brief_build_keep(struct warn_hotspot **out, size_t *n, struct warn_forecast *keep,
                          const struct warn_panel *p, int through, size_t ndraws, uint64_t seed,
                          struct gsi_err *err)
{
    struct warn_forecast f;
    *out = NULL;
    *n = 0;
    int rc =
        warn_model_forecast(&f, p, WARN_MODEL_GSI, through, through + 1, 12, ndraws, seed, err);
    if (rc < 0) {
        return rc;
    }
    struct warn_hotspot *hs = calloc(p->ncountries, sizeof *hs);
    double *tot = malloc(ndraws * sizeof *tot);
    if (hs == NULL || tot == NULL) {
        free(hs);
        free(tot);
        warn_forecast_release(&f);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory building the brief");
    }
    const double alpha = 1 - WARN_PI_LEVEL;
    for (size_t c = 0; c < p->ncountries; c++) {
        struct warn_hotspot *h = &hs[c];
        h->country_id = p->country_id[c];
        const struct ref_views_country *vc = ref_views_country_by_id(h->country_id);
        const struct ref_country *rc3 =
            vc != NULL && vc->iso3 != NULL ? ref_country_by_iso3(vc->iso3, strlen(vc->iso3)) : NULL;
        snprintf(h->iso3, sizeof h->iso3, "%s", vc != NULL && vc->iso3 != NULL ? vc->iso3 : "");
        snprintf(h->name, sizeof h->name, "%s",
                 rc3 != NULL  ? rc3->name
                 : vc != NULL ? vc->name
                              : "");
        double sum = 0;
        size_t n25 = 0, n1000 = 0;
        for (size_t d = 0; d < ndraws; d++) {
            double t = 0;
            for (int m = 0; m < 12; m++) {
                t += warn_forecast_draws(&f, m, c)[d];
            }
            tot[d] = t;
            sum += t;
            n25 += t >= 25;
            n1000 += t >= 1000;
        }
        qsort(tot, ndraws, sizeof *tot, cmp_double);
        h->expected = sum / (double)ndraws;
        h->median = warn_score_quantile(tot, ndraws, 0.5);
        h->lo = warn_score_quantile(tot, ndraws, alpha / 2);
        h->hi = warn_score_quantile(tot, ndraws, 1 - alpha / 2);
        h->p25 = (double)n25 / (double)ndraws;
        h->p1000 = (double)n1000 / (double)ndraws;
        h->past12 = sum_months(p, c, through - 11, through);
        h->change = h->median - h->past12;
        double last3 = sum_months(p, c, through - 2, through);
        int prev_from = through - 11 < p->month_first ? p->month_first : through - 11;
        int prev_n = through - 2 - prev_from;
        double prev9 = sum_months(p, c, prev_from, through - 3);
        if (last3 >= 25 && prev_n > 0 && last3 / 3 > 2 * prev9 / prev_n) {
            h->alerts |= WARN_ALERT_SURGE;
        }
        if (h->median >= 100 && h->median > 1.5 * h->past12) {
            h->alerts |= WARN_ALERT_RISING;
        }
        if (last3 >= 25 && prev_n >= 9 && prev9 == 0) {
            h->alerts |= WARN_ALERT_NEW;
        }
        struct warn_gsi_features feat;
        warn_gsi_features(&feat, p, c, through);
        explain(h, &feat);
    }
    qsort(hs, p->ncountries, sizeof *hs, cmp_hotspot);
    free(tot);
    if (keep != NULL) {
        *keep = f; /* moved: the caller releases it */
    } else {
        warn_forecast_release(&f);
    }
    *out = hs;
    *n = p->ncountries;
    return 0;
}

int warn_brief_signal(struct warn_hotspot *hs, size_t n, const char *iso3, int64_t count,
                      const char *what)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(hs[i].iso3, iso3) != 0) {
            continue;
        }
        hs[i].signals += count;
        size_t len = strlen(hs[i].reasons);
        snprintf(hs[i].reasons + len, sizeof hs[i].reasons - len, "%s%lld %s%s",
                 len > 0 ? "; " : "", (long long)count, what, count == 1 ? "" : "s");
        return 0;
    }
    return GSI_ENOTFOUND;
}
