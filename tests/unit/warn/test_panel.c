/* Unit tests for the panel and forecast readers (src/warn/panel.c, forecast.c) and the brief.
 *
 * Expected values: the actuals' shape and yearly sums are in tests/data/SOURCES.md (191
 * countries, months 457-516; 2018 sum 55,307, 2022 277,259), which
 *   awk -F, 'NR>1{y=int(($1-1)/12)+1980; s[y]+=$3} END{for(k in s) print k, s[k]}'
 * reproduces; the bad inputs below are written by hand with the line each error must name. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "warn/brief.h"
#include "warn/eval.h"
#include "warn/forecast.h"
#include "warn/panel.h"

START_TEST(actuals_shape_and_sums)
{
    struct warn_panel p;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(warn_panel_read(&p, test_path("views/cm_actuals_2018_2022.csv"), &err), 0);
    ck_assert_uint_eq(p.ncountries, 191);
    ck_assert_int_eq(p.month_first, 457);
    ck_assert_int_eq(p.nmonths, 60);
    double s2018 = 0, s2022 = 0;
    for (size_t c = 0; c < p.ncountries; c++) {
        for (int m = 457; m <= 468; m++) {
            s2018 += warn_panel_at(&p, c, m);
        }
        for (int m = 505; m <= 516; m++) {
            s2022 += warn_panel_at(&p, c, m);
        }
    }
    ck_assert(s2018 == 55307);
    ck_assert(s2022 == 277259);
    warn_panel_release(&p);
}
END_TEST

/* Reads `text` as a panel and checks the error code and line. */
static void panel_bad(const char *text, int code, long line, const char *needle)
{
    struct warn_panel p;
    struct gsi_err err = GSI_ERR_INIT;
    int rc = warn_panel_read_mem(&p, text, strlen(text), "bad.csv", &err);
    ck_assert_msg(rc == code, "rc %d, want %d (%s)", rc, code, err.msg);
    ck_assert_msg(err.line == line, "line %ld, want %ld (%s)", err.line, line, err.msg);
    ck_assert_msg(strstr(err.msg, needle) != NULL, "'%s' lacks '%s'", err.msg, needle);
    ck_assert_str_eq(err.file, "bad.csv");
    ck_assert_ptr_null(p.count);
}

START_TEST(panel_rejects_bad_input)
{
    /* A gap: country 1 lacks month 458; the next row of country 1 is on line 5. */
    panel_bad("month_id,country_id,ged_sb\n457,1,0\n457,2,0\n458,2,5\n459,1,3\n459,2,0\n",
              GSI_EDATA, 5, "gap in months");
    /* Unknown country id 9999 on line 3. */
    panel_bad("month_id,country_id,ged_sb\n457,1,0\n457,9999,0\n", GSI_EDATA, 3,
              "unknown country_id 9999");
    /* A negative count on line 2. */
    panel_bad("month_id,country_id,ged_sb\n457,1,-4\n", GSI_EDATA, 2, "never negative");
    /* A duplicate on line 3. */
    panel_bad("month_id,country_id,ged_sb\n457,1,0\n457,1,2\n", GSI_EDATA, 3, "twice");
    /* No header column. */
    panel_bad("month,country_id,ged_sb\n457,1,0\n", GSI_EDATA, 1, "month_id");
    /* Text where a number belongs. */
    panel_bad("month_id,country_id,ged_sb\n457,1,many\n", GSI_EDATA, 2, "ged_sb");
    /* Header only. */
    panel_bad("month_id,country_id,ged_sb\n", GSI_EDATA, 1, "no data rows");
    /* Nothing at all: the message names the header it wants. */
    panel_bad("", GSI_EDATA, 1, "empty file: expected a header month_id,country_id,ged_sb");
}
END_TEST

START_TEST(readers_name_the_column_and_skip_blank_lines)
{
    /* country_id is the first field here, so the unknown id on line 3 is in column 1. */
    struct warn_panel p;
    struct gsi_err err = GSI_ERR_INIT;
    const char *bad = "country_id,month_id,ged_sb\n1,457,0\n9999,457,0\n";
    ck_assert_int_eq(warn_panel_read_mem(&p, bad, strlen(bad), "bad.csv", &err), GSI_EDATA);
    ck_assert_int_eq(err.line, 3);
    ck_assert_int_eq(err.column, 1);
    /* Blank lines anywhere are not rows: 2 countries x 2 months. */
    const char *ok = "month_id,country_id,ged_sb\n\n457,1,2\n458,1,3\n\n457,2,0\n458,2,1\n\n";
    ck_assert_int_eq(warn_panel_read_mem(&p, ok, strlen(ok), "ok.csv", &err), 0);
    ck_assert_uint_eq(p.ncountries, 2);
    ck_assert_int_eq(p.nmonths, 2);
    ck_assert(warn_panel_at(&p, 0, 458) == 3 && warn_panel_at(&p, 1, 458) == 1);
    warn_panel_release(&p);
    struct warn_forecast f;
    const char *fc = "month_id,country_id,draw,outcome\n\n457,1,0,5\n\n457,1,1,6\n";
    ck_assert_int_eq(warn_forecast_read_mem(&f, fc, strlen(fc), "fc.csv", &err), 0);
    ck_assert_uint_eq(f.ndraws, 2);
    ck_assert(warn_forecast_draws(&f, 0, 0)[1] == 6);
    warn_forecast_release(&f);
}
END_TEST

START_TEST(panel_reads_columns_in_any_order)
{
    const char *text = "ged_sb,month_id,country_id,extra\n7,458,2,x\n3,457,2,y\n";
    struct warn_panel p;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(warn_panel_read_mem(&p, text, strlen(text), "ok.csv", &err), 0);
    ck_assert_uint_eq(p.ncountries, 1);
    ck_assert(warn_panel_at(&p, 0, 457) == 3 && warn_panel_at(&p, 0, 458) == 7);
    warn_panel_release(&p);
}
END_TEST

static void forecast_bad(const char *text, long line, const char *needle)
{
    struct warn_forecast f;
    struct gsi_err err = GSI_ERR_INIT;
    int rc = warn_forecast_read_mem(&f, text, strlen(text), "fc.csv", &err);
    ck_assert_msg(rc == GSI_EDATA, "rc %d (%s)", rc, err.msg);
    ck_assert_msg(err.line == line, "line %ld, want %ld (%s)", err.line, line, err.msg);
    ck_assert_msg(strstr(err.msg, needle) != NULL, "'%s' lacks '%s'", err.msg, needle);
}

START_TEST(forecast_rejects_missing_draws)
{
    const char *h = "month_id,country_id,draw,outcome\n";
    char buf[512];
    /* Country 2 lacks draw 1. */
    snprintf(buf, sizeof buf, "%s457,1,0,0\n457,1,1,3\n457,2,0,1\n", h);
    forecast_bad(buf, 0, "missing draw");
    /* Country 2 lacks draw 1 in the middle of the file. */
    snprintf(buf, sizeof buf, "%s457,1,0,0\n457,1,1,3\n457,2,0,1\n457,3,0,1\n457,3,1,1\n", h);
    forecast_bad(buf, 0, "country_id 2 has no draw 1");
    /* A duplicate draw on line 4. */
    snprintf(buf, sizeof buf, "%s457,1,0,0\n457,1,1,3\n457,1,1,4\n", h);
    forecast_bad(buf, 4, "twice");
    /* A negative outcome on line 2. */
    snprintf(buf, sizeof buf, "%s457,1,0,-1\n", h);
    forecast_bad(buf, 2, "never negative");
    /* An extra draw beyond the first country-month's count, line 4. */
    snprintf(buf, sizeof buf, "%s457,1,0,0\n457,2,0,3\n457,2,1,4\n", h);
    forecast_bad(buf, 4, "beyond");
    /* An unknown country on line 2. */
    snprintf(buf, sizeof buf, "%s457,9999,0,0\n", h);
    forecast_bad(buf, 2, "unknown country_id");
    /* Header only, and nothing at all. */
    forecast_bad(h, 1, "no data rows after the header");
    forecast_bad("", 1, "empty file: expected a header month_id,country_id,draw,outcome");
}
END_TEST

START_TEST(forecast_round_trip_and_evaluate)
{
    const char *act = "month_id,country_id,ged_sb\n457,1,2\n457,2,0\n";
    const char *fc = "month_id,country_id,draw,outcome\n457,1,0,1\n457,1,1,3\n"
                     "457,2,0,0\n457,2,1,0\n";
    struct warn_panel p;
    struct warn_forecast f;
    struct warn_eval e;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(warn_panel_read_mem(&p, act, strlen(act), "a.csv", &err), 0);
    ck_assert_int_eq(warn_forecast_read_mem(&f, fc, strlen(fc), "f.csv", &err), 0);
    ck_assert_int_eq(warn_eval_forecast(&e, &f, &p, "f.csv", &err), 0);
    /* Country 1: {1,3} vs 2 -> CRPS 0.5 (hand: 1 - 0.5); country 2: 0. Mean 0.25. */
    ck_assert(fabs(e.crps - 0.25) < 1e-12);
    ck_assert_uint_eq(e.n, 2);
    /* Write and read back. */
    char *mem = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&mem, &len);
    ck_assert_ptr_nonnull(out);
    ck_assert_int_eq(warn_forecast_write(&f, out, &err), 0);
    fclose(out);
    ck_assert_str_eq(mem, fc);
    free(mem);
    /* A forecast without a country the actuals hold is refused. */
    const char *fc1 = "month_id,country_id,draw,outcome\n457,1,0,1\n";
    struct warn_forecast g;
    ck_assert_int_eq(warn_forecast_read_mem(&g, fc1, strlen(fc1), "g.csv", &err), 0);
    ck_assert_int_eq(warn_eval_forecast(&e, &g, &p, "g.csv", &err), GSI_EDATA);
    warn_forecast_release(&g);
    warn_forecast_release(&f);
    warn_panel_release(&p);
}
END_TEST

START_TEST(brief_ranks_the_wars_of_2022)
{
    struct warn_panel p;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(warn_panel_read(&p, test_path("views/cm_actuals_2018_2022.csv"), &err), 0);
    struct warn_hotspot *hs = NULL;
    size_t n = 0;
    ck_assert_int_eq(warn_brief_build(&hs, &n, &p, 516, 1000, 1, &err), 0);
    ck_assert_uint_eq(n, 191);
    /* Ukraine and Ethiopia had the most deaths in 2022 (python3/pandas on the actuals:
     * groupby country_id for months 505..516: 117 Ukraine 91,692; 57 Ethiopia 163,208). */
    int top_ukr = 0, top_eth = 0;
    for (size_t i = 0; i < 3; i++) {
        top_ukr |= strcmp(hs[i].iso3, "UKR") == 0;
        top_eth |= strcmp(hs[i].iso3, "ETH") == 0;
    }
    ck_assert(top_ukr && top_eth);
    for (size_t i = 0; i < n; i++) {
        ck_assert(hs[i].lo <= hs[i].median && hs[i].median <= hs[i].hi);
        ck_assert(hs[i].p1000 <= hs[i].p25);
        ck_assert(i == 0 || hs[i - 1].median >= hs[i].median);
        ck_assert(hs[i].reasons[0] != '\0');
    }
    free(hs);
    warn_panel_release(&p);
}
END_TEST

Suite *make_suite(void)
{
    const TTest *tests[] = {
        actuals_shape_and_sums,           panel_rejects_bad_input,
        panel_reads_columns_in_any_order, readers_name_the_column_and_skip_blank_lines,
        forecast_rejects_missing_draws,   forecast_round_trip_and_evaluate,
        brief_ranks_the_wars_of_2022
    };
    return test_suite("warn_panel", 120, tests, sizeof tests / sizeof tests[0]);
}
