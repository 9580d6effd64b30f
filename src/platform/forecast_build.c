/* forecast_build.c — a stored run's content from the brief and the samples behind it (see
 * platform_forecast_build in forecast.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/forecast.h"
#include "warn/brief.h"
#include "warn/forecast.h"
#include "warn/panel.h"
#include "warn/score.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Rounds to cents: a summary of whole deaths needs no more, and the stored text stays
 * short (quantiles interpolate between draws). */
static double cents(double v)
{
    return round(v * 100) / 100;
}

/* The summary of one country-month's samples: mean, quantiles (numpy's linear rule, as the
 * brief's totals) and the share >= 25. `tmp` holds ndraws doubles. */
static void month_summary(struct platform_fc_month *out, const double *x, size_t n, double *tmp)
{
    double sum = 0;
    size_t k25 = 0;
    for (size_t d = 0; d < n; d++) {
        tmp[d] = x[d];
        sum += x[d];
        k25 += x[d] >= 25;
    }
    qsort(tmp, n, sizeof *tmp, cmp_double);
    out->mean = cents(sum / (double)n);
    out->q05 = cents(warn_score_quantile(tmp, n, 0.05));
    out->q25 = cents(warn_score_quantile(tmp, n, 0.25));
    out->q50 = cents(warn_score_quantile(tmp, n, 0.5));
    out->q75 = cents(warn_score_quantile(tmp, n, 0.75));
    out->q95 = cents(warn_score_quantile(tmp, n, 0.95));
    out->p_ge_25 = (double)k25 / (double)n;
}

int platform_forecast_build(struct platform_fc_run *run, const struct warn_hotspot *hs, size_t n,
                       const struct warn_forecast *f, const struct warn_panel *p, int through,
                       struct gsi_err *err)
{
    memset(run, 0, sizeof *run);
    run->countries = calloc(n ? n : 1, sizeof *run->countries);
    double *tmp = malloc(f->ndraws * sizeof *tmp);
    if (run->countries == NULL || tmp == NULL) {
        free(tmp);
        platform_forecast_release(run);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory building the run");
    }
    run->ncountries = n;
    run->through = through;
    run->draws = (int64_t)f->ndraws;
    snprintf(run->model, sizeof run->model, "gsi");
    for (size_t i = 0; i < n; i++) {
        const struct warn_hotspot *h = &hs[i];
        struct platform_fc_country *k = &run->countries[i];
        /* Kosovo has no ISO 3166-1 code; XKX is the user-assigned one the EU, the World
         * Bank and the IMF use for it. */
        snprintf(k->iso3, sizeof k->iso3, "%s",
                 h->iso3[0] == '\0' && strcmp(h->name, "Kosovo") == 0 ? "XKX" : h->iso3);
        snprintf(k->name, sizeof k->name, "%s", h->name);
        k->country_id = h->country_id;
        k->rank = (int)i + 1;
        k->median_12m = cents(h->median);
        k->mean_12m = cents(h->expected);
        k->lo90_12m = cents(h->lo);
        k->hi90_12m = cents(h->hi);
        k->p_ge_25 = h->p25;
        k->p_ge_1000 = h->p1000;
        k->past_12m = h->past12;
        k->change = cents(h->change);
        warn_brief_alert_text(k->alerts, sizeof k->alerts, h->alerts);
        snprintf(k->reasons, sizeof k->reasons, "%s", h->reasons);
        long fc = warn_forecast_find(f, h->country_id);
        long pc = warn_panel_find(p, h->country_id);
        if (fc < 0 || pc < 0) {
            free(tmp);
            platform_forecast_release(run);
            return gsi_err_set(err, GSI_EINTERNAL, "country %d missing from the forecast",
                               h->country_id);
        }
        for (int m = 0; m < PLATFORM_FC_HORIZON; m++) {
            k->fc[m].month_id = through + 1 + m;
            month_summary(&k->fc[m], warn_forecast_draws(f, m, (size_t)fc), f->ndraws, tmp);
        }
        k->p_ge_25_next = k->fc[0].p_ge_25;
        int first = through - PLATFORM_FC_HISTORY + 1;
        first = first < p->month_first ? p->month_first : first;
        for (int mo = first; mo <= through; mo++) {
            k->actuals[k->nactuals++] = warn_panel_at(p, (size_t)pc, mo);
        }
    }
    free(tmp);
    return 0;
}

