/* Unit tests for the scores in src/warn/score.c.
 *
 * Expected values come from hand calculations (written beside each) and from the challenge's
 * published per-country-month scores of its benchmarks (tests/data/views/
 * bm_cm_unit_scores_2018_2022.csv, computed with the challenge's evaluation code; see
 * tests/data/SOURCES.md): the conflictology benchmark's own samples
 * (bm_conflictology_cm_samples_2018_2022.csv) and the zero benchmark's 1,000 zeros, scored
 * here, must give the published CRPS, IGN and MIS of every country-month of every window. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/text.h"
#include "harness.h"
#include "warn/forecast.h"
#include "warn/panel.h"
#include "warn/score.h"

#define TOL 1e-9

/* |a - b| <= 1e-9 relative (absolute below 1e-9: exact zeros stay exact). */
static int close_rel(double a, double b)
{
    double s = fabs(b) > 1 ? fabs(b) : 1;
    return fabs(a - b) <= TOL * s;
}

START_TEST(crps_by_hand)
{
    /* One sample equal to y: 0. */
    double a[1] = { 0 };
    ck_assert(warn_score_crps_sorted(a, 1, 0) == 0);
    /* {1, 3}, y = 2: E|X-y| - E|X-X'|/2 = 1 - (0+2+2+0)/4/2 = 0.5 */
    double b[2] = { 1, 3 };
    ck_assert(close_rel(warn_score_crps_sorted(b, 2, 2), 0.5));
    /* {0,0,0,10}, y = 5: E|X-y| = 5; E|X-X'| = 6 pairs of 10 / 16 = 3.75 -> 5 - 1.875 */
    double c[4] = { 0, 0, 0, 10 };
    ck_assert(close_rel(warn_score_crps_sorted(c, 4, 5), 3.125));
    /* y above every sample, {2}, y = 7: |2 - 7| = 5 */
    double d[1] = { 2 };
    ck_assert(close_rel(warn_score_crps_sorted(d, 1, 7), 5));
}
END_TEST

START_TEST(mis_by_hand)
{
    /* 0..100: 5% quantile at index 5 -> 5, 95% -> 95; width 90. */
    double x[101];
    for (int i = 0; i <= 100; i++) {
        x[i] = i;
    }
    ck_assert(close_rel(warn_score_mis_sorted(x, 101, 50), 90));
    /* y = 100 lies 5 above: 90 + (2 / 0.1) * 5 = 190 */
    ck_assert(close_rel(warn_score_mis_sorted(x, 101, 100), 190));
    /* y = 0 lies 5 below: 190 */
    ck_assert(close_rel(warn_score_mis_sorted(x, 101, 0), 190));
    /* Linear interpolation: {0, 10}: q=0.05 -> 0.5, q=0.95 -> 9.5 */
    double y[2] = { 0, 10 };
    ck_assert(close_rel(warn_score_quantile(y, 2, 0.05), 0.5));
    ck_assert(close_rel(warn_score_quantile(y, 2, 0.95), 9.5));
}
END_TEST

START_TEST(ign_bins_and_by_hand)
{
    ck_assert_int_eq(warn_score_ign_bin(0), 0);
    ck_assert_int_eq(warn_score_ign_bin(0.49), 0);
    ck_assert_int_eq(warn_score_ign_bin(0.5), 1);
    ck_assert_int_eq(warn_score_ign_bin(2), 1);
    ck_assert_int_eq(warn_score_ign_bin(2.5), 2);
    ck_assert_int_eq(warn_score_ign_bin(5), 2);
    ck_assert_int_eq(warn_score_ign_bin(6), 3);
    ck_assert_int_eq(warn_score_ign_bin(25), 4);
    ck_assert_int_eq(warn_score_ign_bin(26), 5);
    ck_assert_int_eq(warn_score_ign_bin(1000), 9);
    ck_assert_int_eq(warn_score_ign_bin(1001), 10);
    ck_assert_int_eq(warn_score_ign_bin(1e9), 10);

    struct warn_score_ws ws;
    warn_score_ws_init(&ws);
    double *z = calloc(1000, sizeof *z);
    ck_assert_ptr_nonnull(z);
    /* 1000 zeros, y = 0: p = 1001/1011; y = 7: p = 1/1011 (python3: -math.log2(1001/1011)) */
    ck_assert(close_rel(warn_score_ign(&ws, z, 1000, 0), -log2(1001.0 / 1011.0)));
    ck_assert(close_rel(warn_score_ign(&ws, z, 1000, 7), -log2(1.0 / 1011.0)));
    /* 12 samples all 3 resample to 1000 values of 3: p = 1001/1011 for y = 4 (same bin). */
    double t[12];
    for (int i = 0; i < 12; i++) {
        t[i] = 3;
    }
    ck_assert(close_rel(warn_score_ign(&ws, t, 12, 4), -log2(1001.0 / 1011.0)));
    /* ... and 2000 samples of 3 are resampled down to 1000 of 3. */
    double *u = malloc(2000 * sizeof *u);
    ck_assert_ptr_nonnull(u);
    for (int i = 0; i < 2000; i++) {
        u[i] = 3;
    }
    ck_assert(close_rel(warn_score_ign(&ws, u, 2000, 4), -log2(1001.0 / 1011.0)));
    free(u);
    free(z);
    warn_score_ws_release(&ws);
}
END_TEST

/* The published scores, indexed by benchmark (0 zero, 1 conflictology), metric and cell. */
struct published {
    int month_first, nmonths; /* 457.., 60 months */
    int ids[256];
    size_t nids;
    double *v[2][3]; /* [bench][metric][m * 256 + country_id] */
};

static int metric_of(const char *s, size_t n)
{
    return gsi_slice_eq(s, n, "crps")  ? 0
           : gsi_slice_eq(s, n, "ign") ? 1
           : gsi_slice_eq(s, n, "mis") ? 2
                                       : -1;
}

static void load_published(struct published *pub)
{
    memset(pub, 0, sizeof *pub);
    pub->month_first = 457;
    pub->nmonths = 60;
    for (int b = 0; b < 2; b++) {
        for (int m = 0; m < 3; m++) {
            pub->v[b][m] = malloc(60 * 256 * sizeof(double));
            ck_assert_ptr_nonnull(pub->v[b][m]);
            for (size_t i = 0; i < 60 * 256; i++) {
                pub->v[b][m][i] = NAN;
            }
        }
    }
    struct gsi_csv c;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(
        gsi_csv_open(&c, test_path("views/bm_cm_unit_scores_2018_2022.csv"), ',', true, &err), 0);
    ck_assert_int_eq(gsi_csv_next(&c, &err), 1); /* benchmark,window,metric,month_id,... */
    int rc;
    size_t rows = 0;
    while ((rc = gsi_csv_next(&c, &err)) != 0) {
        ck_assert_int_eq(rc, 1);
        ck_assert_uint_eq(c.nfields, 6);
        int b = gsi_slice_eq(c.field[0], c.flen[0], "bm_zero")            ? 0
                : gsi_slice_eq(c.field[0], c.flen[0], "bm_conflictology") ? 1
                                                                          : -1;
        if (b < 0) {
            continue;
        }
        int metric = metric_of(c.field[2], c.flen[2]);
        int64_t month = 0, id = 0;
        double v = 0;
        ck_assert(metric >= 0);
        ck_assert_int_eq(gsi_parse_i64(&month, c.field[3], c.flen[3]), 0);
        ck_assert_int_eq(gsi_parse_i64(&id, c.field[4], c.flen[4]), 0);
        ck_assert_int_eq(gsi_parse_f64(&v, c.field[5], c.flen[5]), 0);
        ck_assert(month >= 457 && month <= 516 && id > 0 && id < 256);
        pub->v[b][metric][(month - 457) * 256 + id] = v;
        rows++;
    }
    gsi_csv_close(&c);
    /* 2 benchmarks x 5 windows x 3 metrics x 2,292 country-months */
    ck_assert_uint_eq(rows, 2 * 5 * 3 * 2292);
}

static void free_published(struct published *pub)
{
    for (int b = 0; b < 2; b++) {
        for (int m = 0; m < 3; m++) {
            free(pub->v[b][m]);
        }
    }
}

START_TEST(benchmark_samples_score_as_published)
{
    struct published pub;
    load_published(&pub);
    struct gsi_err err = GSI_ERR_INIT;
    struct warn_panel act;
    struct warn_forecast conf;
    ck_assert_int_eq(warn_panel_read(&act, test_path("views/cm_actuals_2018_2022.csv"), &err), 0);
    /* The sample file's windows hold disjoint months, so it reads as one 60-month forecast. */
    ck_assert_msg(warn_forecast_read(&conf,
                                     test_path("views/bm_conflictology_cm_samples_2018_2022.csv"),
                                     &err) == 0,
                  "%s", err.msg);
    ck_assert_int_eq(conf.month_first, 457);
    ck_assert_int_eq(conf.nmonths, 60);
    ck_assert_uint_eq(conf.ndraws, 12);
    ck_assert_uint_eq(conf.ncountries, 191);

    struct warn_score_ws ws;
    warn_score_ws_init(&ws);
    double *zeros = calloc(1000, sizeof *zeros);
    ck_assert_ptr_nonnull(zeros);
    size_t checked = 0;
    double worst[3] = { 0, 0, 0 };
    /* Windows Y2019..Y2022 are required; Y2018 is checked too because its samples are here. */
    for (int m = 0; m < conf.nmonths; m++) {
        int month = 457 + m;
        for (size_t c = 0; c < conf.ncountries; c++) {
            int id = conf.country_id[c];
            long ai = warn_panel_find(&act, id);
            ck_assert(ai >= 0);
            double y = warn_panel_at(&act, (size_t)ai, month);
            struct warn_scores s[2];
            ck_assert_int_eq(warn_score_all(&s[0], &ws, zeros, 1000, y), 0);
            ck_assert_int_eq(warn_score_all(&s[1], &ws, warn_forecast_draws(&conf, m, c), 12, y),
                             0);
            for (int b = 0; b < 2; b++) {
                double mine[3] = { s[b].crps, s[b].ign, s[b].mis };
                for (int k = 0; k < 3; k++) {
                    double want = pub.v[b][k][m * 256 + id];
                    ck_assert_msg(!isnan(want), "no published score for %d/%d", month, id);
                    double s0 = fabs(want) > 1 ? fabs(want) : 1;
                    double e = fabs(mine[k] - want) / s0;
                    worst[k] = e > worst[k] ? e : worst[k];
                    ck_assert_msg(close_rel(mine[k], want),
                                  "bench %d metric %d month %d country %d: %.17g, published %.17g",
                                  b, k, month, id, mine[k], want);
                    checked++;
                }
            }
        }
    }
    ck_assert_uint_eq(checked, 60 * 191 * 2 * 3);
    printf("scores: %zu published values matched; worst relative error crps %.2g ign %.2g "
           "mis %.2g\n",
           checked, worst[0], worst[1], worst[2]);
    free(zeros);
    warn_score_ws_release(&ws);
    warn_forecast_release(&conf);
    warn_panel_release(&act);
    free_published(&pub);
}
END_TEST

Suite *make_suite(void)
{
    const TTest *tests[] = { crps_by_hand, mis_by_hand, ign_bins_and_by_hand,
                             benchmark_samples_score_as_published };
    return test_suite("warn_score", 300, tests, sizeof tests / sizeof tests[0]);
}
