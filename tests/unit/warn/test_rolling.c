/* test_rolling.c — the rolling-origin summaries (warn/rolling.h), the per-country-month PIT
 * and coverage (eval.h) and the SVG plots (plot.h), on small cases worked by hand beside
 * each check. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "harness.h"
#include "warn/eval.h"
#include "warn/forecast.h"
#include "warn/panel.h"
#include "warn/plot.h"
#include "warn/rolling.h"

/* 2 windows x 2 models x 12 months x 2 countries. Model 0: CRPS 1 for country 0 and 3 for
 * country 1 in every month; model 1: 2 and 2. Window 1 doubles everything. */
static struct warn_eval_cell cells[2 * 2 * 12 * 2];

static void fill(void)
{
    memset(cells, 0, sizeof cells);
    for (size_t w = 0; w < 2; w++) {
        for (size_t m = 0; m < 2; m++) {
            struct warn_eval_cell *c = cells + (w * 2 + m) * 24;
            for (size_t mo = 0; mo < 12; mo++) {
                c[mo * 2 + 0].crps = (m == 0 ? 1 : 2) * (double)(w + 1);
                c[mo * 2 + 1].crps = (m == 0 ? 3 : 2) * (double)(w + 1);
                c[mo * 2 + 0].ign = 0.5;
                c[mo * 2 + 1].mis = 10;
            }
        }
    }
}

START_TEST(pooled_and_ratio)
{
    fill();
    struct warn_rolling r = { cells, 2, 2, 2 };
    /* Window 0: model 0 mean (1 + 3) / 2 = 2; window 1: 4; pooled 3. Model 1 the same. */
    ck_assert(fabs(warn_rolling_pooled(&r, 0, 0, 0, WARN_METRIC_CRPS) - 2) < 1e-12);
    ck_assert(fabs(warn_rolling_pooled(&r, 0, 1, 1, WARN_METRIC_CRPS) - 4) < 1e-12);
    ck_assert(fabs(warn_rolling_pooled(&r, 0, 0, 1, WARN_METRIC_CRPS) - 3) < 1e-12);
    ck_assert(fabs(warn_rolling_pooled(&r, 1, 0, 1, WARN_METRIC_IGN) - 0.25) < 1e-12);
    ck_assert(fabs(warn_rolling_pooled(&r, 1, 0, 1, WARN_METRIC_MIS) - 5) < 1e-12);
    double ratio, lo, hi;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(warn_rolling_ratio(&ratio, &lo, &hi, &r, 0, 1, 0, 1, 2000, 3, &err), 0);
    ck_assert(fabs(ratio - 1) < 1e-12);
    /* A draw of country 0 twice gives 1/2, of country 1 twice 3/2, one of each 1; each with
     * probability 1/4, 1/4, 1/2: the 5% and 95% quantiles are 0.5 and 1.5. */
    ck_assert(fabs(lo - 0.5) < 1e-12);
    ck_assert(fabs(hi - 1.5) < 1e-12);
    ck_assert_int_eq(warn_rolling_ratio(&ratio, &lo, &hi, &r, 0, 1, 0, 1, 0, 3, &err), GSI_EUSAGE);
}
END_TEST

/* A one-country forecast of 12 months with the given samples in every month. */
static void one(struct warn_forecast *f, struct warn_panel *p, const double *x, size_t n, double y)
{
    struct gsi_err err = GSI_ERR_INIT;
    int ids[1] = { 57 };
    int first = gsi_month_id(2021, 1);
    ck_assert_int_eq(warn_forecast_init(f, first, 12, ids, 1, n, &err), 0);
    for (int m = 0; m < 12; m++) {
        memcpy(warn_forecast_draws(f, m, 0), x, n * sizeof *x);
    }
    memset(p, 0, sizeof *p);
    p->month_first = first;
    p->nmonths = 12;
    p->ncountries = 1;
    p->country_id = malloc(sizeof *p->country_id);
    p->count = malloc(12 * sizeof *p->count);
    ck_assert(p->country_id != NULL && p->count != NULL);
    p->country_id[0] = 57;
    for (int m = 0; m < 12; m++) {
        p->count[m] = y;
    }
}

START_TEST(pit_and_coverage)
{
    struct warn_forecast f;
    struct warn_panel p;
    struct warn_eval e;
    struct warn_eval_cell c[12];
    struct gsi_err err = GSI_ERR_INIT;
    /* Samples 0, 0, 1, 2 and y = 1: F(y-) = 2/4, F(y) = 3/4, so the PIT is in [0.5, 0.75). */
    const double a[4] = { 2, 0, 1, 0 };
    one(&f, &p, a, 4, 1);
    ck_assert_int_eq(warn_eval_forecast_cells(&e, c, &f, &p, "t", 5, &err), 0);
    for (int m = 0; m < 12; m++) {
        ck_assert(c[m].pit >= 0.5 && c[m].pit < 0.75);
    }
    warn_forecast_release(&f);
    warn_panel_release(&p);
    /* Samples 0..9 and y = 2: the central interval at level l is [4.5 (1 - l), 9 - 4.5 (1 - l)]
     * (numpy's quantile at (1 - l) / 2 is 9 (1 - l) / 2); it holds 2 from l = 5/9 on: levels
     * 60%..90%, bits 5..8. PIT: F(2-) = 0.2, F(2) = 0.3. */
    double b[10];
    for (int i = 0; i < 10; i++) {
        b[i] = 9 - i;
    }
    one(&f, &p, b, 10, 2);
    ck_assert_int_eq(warn_eval_forecast_cells(&e, c, &f, &p, "t", 5, &err), 0);
    ck_assert_uint_eq(c[0].covered, 0x1E0u);
    ck_assert(c[0].pit >= 0.2 && c[0].pit < 0.3);
    ck_assert_int_eq(c[0].active, 1);
    ck_assert(fabs(warn_plot_coverage(c, 12, 8, 0) - 1) < 1e-12);
    ck_assert(fabs(warn_plot_coverage(c, 12, 0, 0)) < 1e-12);
    /* The PIT histogram: every value in bin 2 (0.2..0.3), density 10 there. */
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    ck_assert_int_eq(warn_plot_pit_svg(m, "PIT <test> & more", c, 12, &err), 0);
    fclose(m);
    ck_assert(strncmp(buf, "<svg ", 5) == 0);
    ck_assert_ptr_nonnull(strstr(buf, "</svg>\n"));
    ck_assert_ptr_nonnull(strstr(buf, "PIT &lt;test&gt; &amp; more"));
    ck_assert_ptr_nonnull(strstr(buf, "<title>10.000</title>"));
    ck_assert_ptr_nonnull(strstr(buf, "n = 12"));
    free(buf);
    struct warn_plot_series s = { "gsi", c, 12 };
    m = open_memstream(&buf, &len);
    ck_assert_int_eq(warn_plot_coverage_svg(m, "coverage", &s, 1, 1, &err), 0);
    fclose(m);
    ck_assert_ptr_nonnull(strstr(buf, "<polyline"));
    free(buf);
    warn_forecast_release(&f);
    warn_panel_release(&p);
}
END_TEST

START_TEST(situations)
{
    /* Four countries, 2019-11..2021-12; window 2021 (before: 2019-11..2020-10, after: 2021).
     * Country 1: 0 before, 30 after (onset); 2: 100 before, 500 after (surge);
     * 3: 100 before, 10 after (de-escalation); 4: 100 before, 100 after (steady). */
    struct warn_panel p = { 0 };
    p.month_first = gsi_month_id(2019, 11);
    p.nmonths = 26;
    p.ncountries = 4;
    int ids[4] = { 1, 2, 3, 4 };
    double *count = calloc(4 * 26, sizeof *count);
    ck_assert_ptr_nonnull(count);
    p.country_id = ids;
    p.count = count;
    count[0 * 26 + 20] = 30;  /* 2021-07 */
    count[1 * 26 + 5] = 100;  /* 2020-04 */
    count[1 * 26 + 14] = 500; /* 2021-01 */
    count[2 * 26 + 5] = 100;
    count[2 * 26 + 25] = 10; /* 2021-12 */
    count[3 * 26 + 5] = 100;
    count[3 * 26 + 16] = 100;
    unsigned char cls[4];
    int years[1] = { 2021 };
    warn_rolling_classes(cls, &p, years, 1);
    ck_assert_int_eq(cls[0], WARN_CLASS_ONSET);
    ck_assert_int_eq(cls[1], WARN_CLASS_SURGE);
    ck_assert_int_eq(cls[2], WARN_CLASS_DEESC);
    ck_assert_int_eq(cls[3], WARN_CLASS_STEADY);
    ck_assert_str_eq(warn_class_name(WARN_CLASS_DEESC), "de-escalation");
    free(count);
}
END_TEST

Suite *make_suite(void)
{
    const TTest *tests[] = { pooled_and_ratio, pit_and_coverage, situations };
    return test_suite("warn_rolling", 0, tests, sizeof tests / sizeof tests[0]);
}
