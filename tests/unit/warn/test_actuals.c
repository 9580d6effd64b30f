/* test_actuals.c — country-month actuals built from the shipped UCDP GED files
 * (warn/actuals.h), checked against the shipped ViEWS actuals and against sums made with
 * Python's csv module over the same files (the figures are written beside each check). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "harness.h"
#include "warn/actuals.h"
#include "warn/panel.h"

static void build(struct warn_panel *out, const char *const *files, size_t n, bool global,
                  const char *base, int from, int to, int want_rc, const char *want_msg)
{
    struct warn_actuals a;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(warn_actuals_init(&a, &err), 0);
    if (base != NULL) {
        struct warn_panel b;
        ck_assert_msg(warn_panel_read(&b, base, &err) == 0, "%s", err.msg);
        ck_assert_int_eq(warn_actuals_add_panel(&a, &b, &err), 0);
        warn_panel_release(&b);
    }
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct warn_actuals_file info;
        rc = warn_actuals_add_file(&a, test_path(files[i]), WARN_ACTUALS_GED, global, &info, &err);
    }
    rc = rc ? rc : warn_actuals_build(out, &a, from, to, &err);
    warn_actuals_release(&a);
    ck_assert_msg(rc == want_rc, "rc %d, want %d: %s", rc, want_rc, err.msg);
    if (want_msg != NULL) {
        ck_assert_msg(strstr(err.msg, want_msg) != NULL, "message '%s' lacks '%s'", err.msg,
                      want_msg);
    }
}

static double at(const struct warn_panel *p, int country, int y, int m)
{
    long c = warn_panel_find(p, country);
    ck_assert_int_ge(c, 0);
    return warn_panel_at(p, (size_t)c, gsi_month_id(y, m));
}

START_TEST(views_ids)
{
    /* data/ref/views_countries.csv; the ambiguous ones as in the shipped actuals. */
    ck_assert_int_eq(warn_actuals_views_id("ETH"), 57);
    ck_assert_int_eq(warn_actuals_views_id("SDN"), 245);
    ck_assert_int_eq(warn_actuals_views_id("SSD"), 246);
    ck_assert_int_eq(warn_actuals_views_id("IDN"), 209);
    ck_assert_int_eq(warn_actuals_views_id("YEM"), 124);
    ck_assert_int_eq(warn_actuals_views_id("SYR"), 220);
    ck_assert_int_eq(warn_actuals_views_id("ZZZ"), -1);
}
END_TEST

/* Python: sum of `best` over type_of_violence 1 by month of date_start in
 * ged231_south_sudan.csv: 2018-04 238, 2018-05 46, 2019-01 48, 2019-02 14, 2020-02 4,
 * 2020-05 9; 2018-01..2022-12 933 (the ViEWS actuals also sum to 933 there). */
START_TEST(south_sudan_against_views)
{
    const char *f[] = { "ucdp/ged231_south_sudan.csv" };
    struct warn_panel p, v;
    build(&p, f, 1, false, NULL, 0, 0, 0, NULL);
    ck_assert_uint_eq(p.ncountries, 1);
    ck_assert_int_eq(p.country_id[0], 246);
    ck_assert_int_eq(p.month_first, gsi_month_id(2011, 1)); /* GED covers whole years */
    ck_assert_int_eq(warn_panel_month_last(&p), gsi_month_id(2022, 12));
    ck_assert(at(&p, 246, 2018, 4) == 238);
    ck_assert(at(&p, 246, 2018, 5) == 46);
    ck_assert(at(&p, 246, 2019, 1) == 48);
    ck_assert(at(&p, 246, 2020, 2) == 4);
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(warn_panel_read(&v, source_path("data/views/cm_actuals_2018_2022.csv"), &err),
                     0);
    double tp = 0, tv = 0;
    int differ = 0;
    for (int m = gsi_month_id(2018, 1); m <= gsi_month_id(2022, 12); m++) {
        double a = warn_panel_at(&p, 0, m), b = warn_panel_at(&v, (size_t)warn_panel_find(&v, 246), m);
        tp += a;
        tv += b;
        differ += a != b;
    }
    ck_assert(tp == 933 && tv == 933);
    /* The six months where GED 23.1 dates events differently from the release ViEWS used. */
    ck_assert_int_eq(differ, 6);
    warn_panel_release(&p);
    warn_panel_release(&v);
}
END_TEST

/* Python over ged231_ethiopia.csv: state-based best 279,293 in all; 2022 101,076, of which
 * August 97,570 (event 457286, 75,340 deaths, starts 2022-08-24) and October 436. The ViEWS
 * actuals hold 124,427 in October 2022 (data/views/cm_actuals_2018_2022.csv). */
START_TEST(ethiopia_months_of_date_start)
{
    const char *f[] = { "ucdp/ged231_ethiopia.csv" };
    struct warn_panel p;
    build(&p, f, 1, false, NULL, 0, 0, 0, NULL);
    double all = 0, y2022 = 0;
    for (int m = p.month_first; m <= warn_panel_month_last(&p); m++) {
        all += warn_panel_at(&p, 0, m);
        y2022 += m >= gsi_month_id(2022, 1) ? warn_panel_at(&p, 0, m) : 0;
    }
    ck_assert(all == 279293);
    ck_assert(y2022 == 101076);
    ck_assert(at(&p, 57, 2022, 8) == 97570);
    ck_assert(at(&p, 57, 2022, 10) == 436);
    warn_panel_release(&p);
}
END_TEST

START_TEST(zero_deaths_countries_match_views)
{
    /* Venezuela, El Salvador: no state-based deaths 2018-2022 in either source. */
    const char *f[] = { "ucdp/ged231_venezuela.csv", "ucdp/ged231_el_salvador.csv" };
    struct warn_panel p;
    build(&p, f, 2, false, NULL, gsi_month_id(2018, 1), gsi_month_id(2022, 12), 0, NULL);
    ck_assert_uint_eq(p.ncountries, 2);
    for (size_t c = 0; c < 2; c++) {
        for (int m = p.month_first; m <= warn_panel_month_last(&p); m++) {
            ck_assert(warn_panel_at(&p, c, m) == 0);
        }
    }
    warn_panel_release(&p);
}
END_TEST

START_TEST(gap_is_an_error)
{
    /* South Sudan's file starts in 2011: Ethiopia's reaches back to 1989. */
    const char *f[] = { "ucdp/ged231_ethiopia.csv", "ucdp/ged231_south_sudan.csv" };
    struct warn_panel p;
    build(&p, f, 2, false, NULL, 0, 0, GSI_EDATA, "SSD (country_id 246, South Sudan) in 1989-01");
    build(&p, f, 2, false, NULL, gsi_month_id(2011, 1), 0, 0, NULL);
    ck_assert_uint_eq(p.ncountries, 2);
    warn_panel_release(&p);
}
END_TEST

START_TEST(later_layers_replace_months)
{
    /* The shipped ViEWS actuals, then South Sudan's GED file: the panel is the ViEWS one but
     * for South Sudan, whose months are GED's (six of them differ). */
    const char *f[] = { "ucdp/ged231_south_sudan.csv" };
    const char *base = source_path("data/views/cm_actuals_2018_2022.csv");
    struct warn_panel p, v;
    build(&p, f, 1, false, base, gsi_month_id(2018, 1), 0, 0, NULL);
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(warn_panel_read(&v, base, &err), 0);
    ck_assert_uint_eq(p.ncountries, v.ncountries);
    ck_assert_int_eq(p.nmonths, v.nmonths);
    int differ = 0;
    for (size_t c = 0; c < p.ncountries; c++) {
        for (int m = p.month_first; m <= warn_panel_month_last(&p); m++) {
            if (warn_panel_at(&p, c, m) != warn_panel_at(&v, c, m)) {
                ck_assert_int_eq(p.country_id[c], 246);
                differ++;
            }
        }
    }
    ck_assert_int_eq(differ, 6);
    ck_assert(at(&p, 246, 2018, 4) == 238);
    warn_panel_release(&p);
    /* A worldwide file speaks for every country: the others get 0 in the months it covers. */
    build(&p, f, 1, true, base, gsi_month_id(2018, 1), 0, 0, NULL);
    ck_assert(at(&p, 57, 2021, 12) == 0); /* ViEWS: 113,554 */
    ck_assert(at(&p, 246, 2018, 4) == 238);
    warn_panel_release(&p);
    warn_panel_release(&v);
}
END_TEST

START_TEST(bad_rows_named)
{
    char path[] = "/tmp/gsi-actuals-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs("id,date_start,type_of_violence,country_id,best,low,high\n"
          "1,2020-01-05,1,530,10,5,20\n"
          "2,2020-13-05,1,530,10,5,20\n",
          f);
    fclose(f);
    struct warn_actuals a;
    struct warn_actuals_file info;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(warn_actuals_init(&a, &err), 0);
    ck_assert_int_eq(warn_actuals_add_file(&a, path, WARN_ACTUALS_CANDIDATE, false, &info, &err),
                     GSI_EDATA);
    ck_assert_int_eq(err.line, 3);
    ck_assert_ptr_nonnull(strstr(err.msg, "date_start"));
    warn_actuals_release(&a);
    remove(path);
}
END_TEST

START_TEST(panel_written_reads_back)
{
    const char *f[] = { "ucdp/ged231_south_sudan.csv" };
    struct warn_panel p, q;
    build(&p, f, 1, false, NULL, 0, 0, 0, NULL);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(warn_panel_write(&p, m, &err), 0);
    fclose(m);
    ck_assert_int_eq(warn_panel_read_mem(&q, buf, len, "mem", &err), 0);
    ck_assert_int_eq(q.nmonths, p.nmonths);
    ck_assert_mem_eq(q.count, p.count, sizeof(double) * (size_t)p.nmonths);
    free(buf);
    warn_panel_release(&p);
    warn_panel_release(&q);
}
END_TEST

Suite *make_suite(void)
{
    const TTest *tests[] = { views_ids,
                             south_sudan_against_views,
                             ethiopia_months_of_date_start,
                             zero_deaths_countries_match_views,
                             gap_is_an_error,
                             later_layers_replace_months,
                             bad_rows_named,
                             panel_written_reads_back };
    return test_suite("warn_actuals", 120, tests, sizeof tests / sizeof tests[0]);
}
