/* Unit tests for the forecast models in src/warn/model.c.
 *
 * Independent references: the challenge's conflictology samples
 * (tests/data/views/bm_conflictology_cm_samples_2018_2022.csv) and the challenge's published
 * per-country-month scores of its four benchmarks (bm_cm_unit_scores_2018_2022.csv), whose
 * yearly means are, from
 *   awk -F, '$3=="crps"{s[$1" "$2]+=$6; n[$1" "$2]++} END{for(k in s) print k, s[k]/n[k]}'
 * zero 32.04 / 87.34 / 120.97, conflictology 21.34 / 76.85 / 124.00, last historical Poisson
 * 23.70 / 85.61 / 131.02 and boot_240 31.42 / 86.63 / 120.25 for 2020 / 2021 / 2022. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/text.h"
#include "harness.h"
#include "warn/backtest.h"
#include "warn/eval.h"
#include "warn/forecast.h"
#include "warn/model.h"
#include "warn/panel.h"

static struct warn_panel actuals;

static void setup(void)
{
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(warn_panel_read(&actuals, test_path("views/cm_actuals_2018_2022.csv"), &err),
                     0);
}

static void teardown(void)
{
    warn_panel_release(&actuals);
}

/* Mean published CRPS per benchmark and window, read once from the score file. */
static const char *const bench_names[4] = { "bm_zero", "bm_conflictology",
                                            "bm_last_historical_poisson", "bm_boot_240" };
static double pub_sum[4][5];
static size_t pub_n[4][5];
static int pub_loaded;

static double published_crps(const char *bench, int year)
{
    if (!pub_loaded) {
        struct gsi_csv c;
        struct gsi_err err = GSI_ERR_INIT;
        ck_assert_int_eq(
            gsi_csv_open(&c, test_path("views/bm_cm_unit_scores_2018_2022.csv"), ',', true, &err),
            0);
        while (gsi_csv_next(&c, &err) == 1) {
            if (c.nfields != 6 || !gsi_slice_eq(c.field[2], c.flen[2], "crps")) {
                continue;
            }
            int64_t y = 0;
            double v = 0;
            ck_assert(c.flen[1] == 5 && c.field[1][0] == 'Y');
            ck_assert_int_eq(gsi_parse_i64(&y, c.field[1] + 1, 4), 0);
            ck_assert(y >= 2018 && y <= 2022);
            ck_assert_int_eq(gsi_parse_f64(&v, c.field[5], c.flen[5]), 0);
            for (int b = 0; b < 4; b++) {
                if (gsi_slice_eq(c.field[0], c.flen[0], bench_names[b])) {
                    pub_sum[b][y - 2018] += v;
                    pub_n[b][y - 2018]++;
                }
            }
        }
        gsi_csv_close(&c);
        pub_loaded = 1;
    }
    for (int b = 0; b < 4; b++) {
        if (strcmp(bench, bench_names[b]) == 0) {
            ck_assert_uint_eq(pub_n[b][year - 2018], 2292);
            return pub_sum[b][year - 2018] / (double)pub_n[b][year - 2018];
        }
    }
    ck_abort_msg("unknown benchmark %s", bench);
    return 0;
}

START_TEST(conflictology_equals_published_samples)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct warn_forecast pub;
    ck_assert_int_eq(warn_forecast_read(
                         &pub, test_path("views/bm_conflictology_cm_samples_2018_2022.csv"), &err),
                     0);
    for (int year = 2020; year <= 2022; year++) {
        struct warn_forecast f;
        ck_assert_int_eq(
            warn_model_forecast_year(&f, &actuals, WARN_MODEL_CONFLICTOLOGY, year, 1000, 1, &err),
            0);
        ck_assert_uint_eq(f.ndraws, 12);
        ck_assert_uint_eq(f.ncountries, pub.ncountries);
        for (int m = 0; m < 12; m++) {
            for (size_t c = 0; c < f.ncountries; c++) {
                ck_assert_int_eq(f.country_id[c], pub.country_id[c]);
                const double *a = warn_forecast_draws(&f, m, c);
                const double *b = warn_forecast_draws(&pub, f.month_first - pub.month_first + m, c);
                for (size_t d = 0; d < 12; d++) {
                    ck_assert_msg(a[d] == b[d], "year %d month %d country %d draw %zu: %g vs %g",
                                  year, m, f.country_id[c], d, a[d], b[d]);
                }
            }
        }
        warn_forecast_release(&f);
    }
    /* 2019 needs November 2017, which the 2018-2022 actuals do not hold. */
    struct warn_forecast f;
    ck_assert_int_eq(
        warn_model_forecast_year(&f, &actuals, WARN_MODEL_CONFLICTOLOGY, 2019, 1000, 1, &err),
        GSI_EDATA);
    warn_forecast_release(&pub);
}
END_TEST

static struct warn_eval eval_year(enum warn_model_kind k, int year, uint64_t seed)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct warn_forecast f;
    struct warn_eval e;
    ck_assert_msg(warn_model_forecast_year(&f, &actuals, k, year, 1000, seed, &err) == 0, "%s",
                  err.msg);
    ck_assert_msg(warn_eval_forecast(&e, &f, &actuals, "forecast", &err) == 0, "%s", err.msg);
    warn_forecast_release(&f);
    return e;
}

START_TEST(zero_and_poisson_match_published_means)
{
    for (int year = 2020; year <= 2022; year++) {
        struct warn_eval z = eval_year(WARN_MODEL_ZERO, year, 1);
        double pz = published_crps("bm_zero", year);
        ck_assert_msg(fabs(z.crps - pz) <= 1e-9 * pz, "zero %d: %.12g vs %.12g", year, z.crps, pz);
        /* Poisson draws differ from the challenge's, so only the mean is comparable: 1,000
         * draws per country-month keep it within 0.5% of the published mean. */
        struct warn_eval p = eval_year(WARN_MODEL_LAST_POISSON, year, 1);
        double pp = published_crps("bm_last_historical_poisson", year);
        ck_assert_msg(fabs(p.crps - pp) <= 0.005 * pp, "poisson %d: %g vs %g", year, p.crps, pp);
    }
}
END_TEST

START_TEST(gsi_beats_every_benchmark)
{
    for (int year = 2020; year <= 2022; year++) {
        struct warn_eval g = eval_year(WARN_MODEL_GSI, year, 1);
        for (int b = 0; b < 4; b++) {
            double pb = published_crps(bench_names[b], year);
            ck_assert_msg(g.crps < pb, "%d: gsi %g not below %s %g", year, g.crps, bench_names[b],
                          pb);
        }
        for (int k = 0; k < WARN_MODEL_GSI; k++) {
            struct warn_eval e = eval_year((enum warn_model_kind)k, year, 1);
            ck_assert_msg(g.crps < e.crps, "%d: gsi %g not below %s %g", year, g.crps,
                          warn_model_name((enum warn_model_kind)k), e.crps);
        }
        /* Calibration where the model expects violence: 90% intervals cover 85-95%. */
        ck_assert_msg(g.coverage_active > 0.85 && g.coverage_active < 0.95, "%d: coverage %g", year,
                      g.coverage_active);
        printf("gsi %d: crps %.3f ign %.3f mis %.1f coverage %.3f (active %.3f)\n", year, g.crps,
               g.ign, g.mis, g.coverage, g.coverage_active);
    }
}
END_TEST

static int same_forecast(const struct warn_forecast *a, const struct warn_forecast *b)
{
    size_t n = (size_t)a->nmonths * a->ncountries * a->ndraws;
    return a->nmonths == b->nmonths && a->ncountries == b->ncountries && a->ndraws == b->ndraws &&
           memcmp(a->x, b->x, n * sizeof *a->x) == 0;
}

START_TEST(deterministic_and_no_lookahead)
{
    struct gsi_err err = GSI_ERR_INIT;
    for (int k = 0; k < WARN_MODEL_KINDS; k++) {
        struct warn_forecast a, b, c;
        ck_assert_int_eq(
            warn_model_forecast_year(&a, &actuals, (enum warn_model_kind)k, 2021, 500, 7, &err), 0);
        ck_assert_int_eq(
            warn_model_forecast_year(&b, &actuals, (enum warn_model_kind)k, 2021, 500, 7, &err), 0);
        ck_assert(same_forecast(&a, &b));
        /* Data after October 2020 must not matter: scramble it and forecast again. */
        struct warn_panel p = actuals;
        size_t cells = p.ncountries * (size_t)p.nmonths;
        p.count = malloc(cells * sizeof *p.count);
        ck_assert_ptr_nonnull(p.count);
        memcpy(p.count, actuals.count, cells * sizeof *p.count);
        int origin = 490; /* 2020-10 */
        for (size_t cc = 0; cc < p.ncountries; cc++) {
            for (int m = origin + 1; m <= warn_panel_month_last(&p); m++) {
                p.count[cc * (size_t)p.nmonths + (size_t)(m - p.month_first)] = 12345;
            }
        }
        ck_assert_int_eq(
            warn_model_forecast_year(&c, &p, (enum warn_model_kind)k, 2021, 500, 7, &err), 0);
        ck_assert_msg(same_forecast(&a, &c), "model %s looks past the origin",
                      warn_model_name((enum warn_model_kind)k));
        free(p.count);
        warn_forecast_release(&a);
        warn_forecast_release(&b);
        warn_forecast_release(&c);
    }
    /* Another seed changes the random models. */
    struct warn_forecast a, b;
    ck_assert_int_eq(warn_model_forecast_year(&a, &actuals, WARN_MODEL_GSI, 2021, 500, 7, &err), 0);
    ck_assert_int_eq(warn_model_forecast_year(&b, &actuals, WARN_MODEL_GSI, 2021, 500, 8, &err), 0);
    ck_assert(!same_forecast(&a, &b));
    warn_forecast_release(&a);
    warn_forecast_release(&b);
}
END_TEST

START_TEST(backtest_same_for_any_thread_count)
{
    const int years[3] = { 2020, 2021, 2022 };
    enum warn_model_kind models[WARN_MODEL_COUNT];
    for (int k = 0; k < WARN_MODEL_COUNT; k++) {
        models[k] = (enum warn_model_kind)k;
    }
    struct warn_eval a[3 * WARN_MODEL_COUNT], b[3 * WARN_MODEL_COUNT];
    struct gsi_err err = GSI_ERR_INIT;
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    ck_assert_int_eq(
        warn_backtest_run(a, &actuals, years, 3, models, WARN_MODEL_COUNT, 100, 9, 1, &err), 0);
    ck_assert_int_eq(
        warn_backtest_run(b, &actuals, years, 3, models, WARN_MODEL_COUNT, 100, 9, 4, &err), 0);
    ck_assert(memcmp(a, b, sizeof a) == 0);
    /* An impossible year fails the same way with any thread count. */
    const int bad[2] = { 2021, 2019 };
    ck_assert_int_eq(
        warn_backtest_run(a, &actuals, bad, 2, models, WARN_MODEL_COUNT, 10, 9, 3, &err),
        GSI_EDATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "conflictology"));
}
END_TEST

START_TEST(gsi_needs_history)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct warn_forecast f;
    /* 2019: origin 2018-10 leaves 10 months of history. */
    ck_assert_int_eq(warn_model_forecast_year(&f, &actuals, WARN_MODEL_GSI, 2019, 100, 1, &err),
                     GSI_EDATA);
    /* 2024: origin 2023-10 is beyond the data. */
    ck_assert_int_eq(warn_model_forecast_year(&f, &actuals, WARN_MODEL_GSI, 2024, 100, 1, &err),
                     GSI_EDATA);
    /* 2023 is a real forecast: origin 2022-10 is in the data, the targets are not. */
    ck_assert_int_eq(warn_model_forecast_year(&f, &actuals, WARN_MODEL_GSI, 2023, 100, 1, &err), 0);
    ck_assert_int_eq(f.month_first, 517);
    warn_forecast_release(&f);
}
END_TEST

Suite *make_suite(void)
{
    const TTest *tests[] = { conflictology_equals_published_samples,
                             zero_and_poisson_match_published_means,
                             gsi_beats_every_benchmark,
                             deterministic_and_no_lookahead,
                             backtest_same_for_any_thread_count,
                             gsi_needs_history };
    return test_suite_fixture("warn_model", 300, setup, teardown, tests,
                              sizeof tests / sizeof tests[0]);
}
