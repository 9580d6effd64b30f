/* test_forecast.c — stored forecast runs (platform/forecast.h) on SQLite in a temp folder: a
 * run built from the shipped ViEWS actuals is stored and read back identically, run ids and
 * "latest" resolve, the per-month summaries follow numpy's quantile rule, and records link to
 * a hotspot with the confidentiality rule applied. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/date.h"
#include "fixture_platform.h"
#include "harness.h"
#include "platform/forecast.h"
#include "platform/platform.h"
#include "warn/brief.h"
#include "warn/forecast.h"
#include "warn/panel.h"

static struct fixture_platform fx;
static struct platform *p;
static struct warn_panel panel;

static void setup(void)
{
    p = fixture_platform_open(&fx, "forecast-unit", NULL);
    struct gsi_err err = GSI_ERR_INIT;
    char path[1024];
    const char *root = getenv("GSI_SOURCE_ROOT");
    snprintf(path, sizeof path, "%s/data/views/cm_actuals_2018_2022.csv", root ? root : ".");
    ck_assert_msg(warn_panel_read(&panel, path, &err) == 0, "%s", err.msg);
}

static void teardown(void)
{
    fixture_platform_remove(&fx, p);
    p = NULL;
    warn_panel_release(&panel);
}

/* A run of the gsi model on the shipped actuals through `through`, 200 draws. */
static void build(struct platform_fc_run *run, int through)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct warn_hotspot *hs = NULL;
    size_t n = 0;
    struct warn_forecast f;
    ck_assert_msg(warn_brief_build_keep(&hs, &n, &f, &panel, through, 200, 7, &err) == 0, "%s",
                  err.msg);
    ck_assert_msg(platform_forecast_build(run, hs, n, &f, &panel, through, &err) == 0, "%s",
                  err.msg);
    run->seed = 7;
    snprintf(run->source, sizeof run->source, "cm_actuals_2018_2022.csv");
    free(hs);
    warn_forecast_release(&f);
}

static const struct platform_fc_country *find(const struct platform_fc_run *r, const char *iso3)
{
    for (size_t i = 0; i < r->ncountries; i++) {
        if (strcmp(r->countries[i].iso3, iso3) == 0) {
            return &r->countries[i];
        }
    }
    return NULL;
}

/* Every field of every country, compared bit for bit (memcmp of the doubles). */
static void same_run(const struct platform_fc_run *a, const struct platform_fc_run *b)
{
    ck_assert_str_eq(a->id, b->id);
    ck_assert_str_eq(a->created, b->created);
    ck_assert_int_eq(a->through, b->through);
    ck_assert_str_eq(a->model, b->model);
    ck_assert_uint_eq(a->seed, b->seed);
    ck_assert_int_eq(a->draws, b->draws);
    ck_assert_str_eq(a->source, b->source);
    ck_assert_uint_eq(a->ncountries, b->ncountries);
    for (size_t i = 0; i < a->ncountries; i++) {
        const struct platform_fc_country *x = &a->countries[i], *y = &b->countries[i];
        ck_assert_str_eq(x->iso3, y->iso3);
        ck_assert_str_eq(x->name, y->name);
        ck_assert_int_eq(x->country_id, y->country_id);
        ck_assert_int_eq(x->rank, y->rank);
        ck_assert_str_eq(x->alerts, y->alerts);
        ck_assert_str_eq(x->reasons, y->reasons);
        ck_assert_int_eq(x->nactuals, y->nactuals);
        /* The numbers and the months are plain doubles and ints: compare their bytes. */
        ck_assert_msg(memcmp(&x->median_12m, &y->median_12m,
                             sizeof(double) * 9) == 0, "%s: 12-month figures differ", x->iso3);
        ck_assert_msg(memcmp(x->fc, y->fc, sizeof x->fc) == 0, "%s: months differ", x->iso3);
        ck_assert_msg(memcmp(x->actuals, y->actuals, sizeof(double) * (size_t)x->nactuals) == 0,
                      "%s: actuals differ", x->iso3);
    }
}

START_TEST(stored_run_reads_back_identically)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_fc_run run, got;
    int through = gsi_month_id(2022, 12);
    build(&run, through);
    ck_assert_msg(platform_forecast_store(p, &run, &err) == 0, "%s", err.msg);
    ck_assert_str_eq(run.id, "2022-12.1");
    ck_assert_msg(platform_forecast_get(p, &got, run.id, true, &err) == 0, "%s", err.msg);
    same_run(&run, &got);
    platform_forecast_release(&got);
    /* "latest" and the data month name the same run. */
    ck_assert_int_eq(platform_forecast_get(p, &got, "latest", true, &err), 0);
    same_run(&run, &got);
    platform_forecast_release(&got);
    ck_assert_int_eq(platform_forecast_get(p, &got, "2022-12", true, &err), 0);
    same_run(&run, &got);
    /* The countries' 12-month fields only, without the series. */
    platform_forecast_release(&got);
    ck_assert_int_eq(platform_forecast_get(p, &got, NULL, false, &err), 0);
    ck_assert_uint_eq(got.ncountries, run.ncountries);
    ck_assert_int_eq(got.countries[0].nactuals, 0);
    ck_assert(got.countries[0].median_12m == run.countries[0].median_12m);
    platform_forecast_release(&got);
    platform_forecast_release(&run);
}
END_TEST

START_TEST(actuals_are_the_data)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_fc_run run, got;
    build(&run, gsi_month_id(2022, 12));
    ck_assert_int_eq(platform_forecast_store(p, &run, &err), 0);
    ck_assert_int_eq(platform_forecast_get(p, &got, run.id, true, &err), 0);
    const struct platform_fc_country *eth = find(&got, "ETH");
    ck_assert_ptr_nonnull(eth);
    ck_assert_int_eq(eth->nactuals, 36);
    /* From the CSV with awk: ViEWS country 57 (Ethiopia), month_id 516 (2022-12) is 4
     * deaths; months 481..516 (2020-01..2022-12) sum to 308674. */
    ck_assert(eth->actuals[35] == 4);
    double sum = 0;
    for (int i = 0; i < 36; i++) {
        sum += eth->actuals[i];
    }
    ck_assert(sum == 308674);
    ck_assert_int_eq(eth->fc[0].month_id, gsi_month_id(2023, 1));
    ck_assert(eth->p_ge_25_next == eth->fc[0].p_ge_25);
    /* Quantiles are ordered and the median of the first month lies within them. */
    for (size_t i = 0; i < got.ncountries; i++) {
        const struct platform_fc_month *f = &got.countries[i].fc[0];
        ck_assert(f->q05 <= f->q25 && f->q25 <= f->q50 && f->q50 <= f->q75 && f->q75 <= f->q95);
        ck_assert(f->p_ge_25 >= 0 && f->p_ge_25 <= 1);
    }
    /* Kosovo has no ISO 3166-1 code in the ViEWS table: it is stored as XKX. */
    ck_assert_ptr_nonnull(find(&got, "XKX"));
    platform_forecast_release(&got);
    platform_forecast_release(&run);
}
END_TEST

START_TEST(run_ids)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct platform_fc_run a, b, c, got;
    ck_assert_int_eq(platform_forecast_get(p, &got, NULL, false, &err), GSI_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.msg, "gsi warn run"));
    build(&a, gsi_month_id(2022, 12));
    build(&b, gsi_month_id(2022, 10));
    build(&c, gsi_month_id(2022, 12));
    ck_assert_int_eq(platform_forecast_store(p, &a, &err), 0);
    ck_assert_int_eq(platform_forecast_store(p, &b, &err), 0);
    ck_assert_str_eq(b.id, "2022-10.1");
    ck_assert_int_eq(platform_forecast_get(p, &got, "latest", false, &err), 0);
    ck_assert_str_eq(got.id, "2022-10.1");
    platform_forecast_release(&got);
    ck_assert_int_eq(platform_forecast_store(p, &c, &err), 0);
    ck_assert_str_eq(c.id, "2022-12.2");
    ck_assert_int_eq(platform_forecast_get(p, &got, "2022-12", false, &err), 0);
    ck_assert_str_eq(got.id, "2022-12.2");
    platform_forecast_release(&got);
    ck_assert_int_eq(platform_forecast_get(p, &got, "2022-12.9", false, &err), GSI_ENOTFOUND);
    ck_assert_int_eq(platform_forecast_get(p, &got, "1999-01", false, &err), GSI_ENOTFOUND);
    /* A run that is not whole is refused before anything is written. */
    struct platform_fc_run bad = a;
    bad.ncountries = 0;
    ck_assert_int_eq(platform_forecast_store(p, &bad, &err), GSI_EUSAGE);
    platform_forecast_release(&a);
    platform_forecast_release(&b);
    platform_forecast_release(&c);
}
END_TEST

/* The per-month summary against numpy by hand: draws 0, 10, ..., 90 (n = 10).
 * numpy.quantile(x, q) with linear interpolation is x[q(n-1)] interpolated:
 * q = 0.05 -> index 0.45 -> 4.5; 0.25 -> 2.25 -> 22.5; 0.5 -> 4.5 -> 45; 0.75 -> 6.75 ->
 * 67.5; 0.95 -> 8.55 -> 85.5. Mean 45; 7 of 10 draws are >= 25. */
START_TEST(month_summary_by_hand)
{
    struct gsi_err err = GSI_ERR_INIT;
    int ids[1] = { 57 };
    int through = gsi_month_id(2022, 12);
    struct warn_forecast f;
    ck_assert_int_eq(warn_forecast_init(&f, through + 1, 12, ids, 1, 10, &err), 0);
    for (int m = 0; m < 12; m++) {
        double *x = warn_forecast_draws(&f, m, 0);
        for (int d = 0; d < 10; d++) {
            x[d] = 10.0 * (9 - d); /* out of order: the summary sorts */
        }
    }
    struct warn_hotspot h = { .country_id = 57, .iso3 = "ETH", .name = "Ethiopia" };
    struct platform_fc_run run;
    ck_assert_int_eq(platform_forecast_build(&run, &h, 1, &f, &panel, through, &err), 0);
    const struct platform_fc_month *fm = &run.countries[0].fc[11];
    ck_assert(fabs(fm->mean - 45) < 1e-12);
    ck_assert(fabs(fm->q05 - 4.5) < 1e-12);
    ck_assert(fabs(fm->q25 - 22.5) < 1e-12);
    ck_assert(fabs(fm->q50 - 45) < 1e-12);
    ck_assert(fabs(fm->q75 - 67.5) < 1e-12);
    ck_assert(fabs(fm->q95 - 85.5) < 1e-12);
    ck_assert(fabs(fm->p_ge_25 - 0.7) < 1e-12);
    ck_assert_int_eq(fm->month_id, through + 12);
    platform_forecast_release(&run);
    warn_forecast_release(&f);
}
END_TEST

START_TEST(hotspot_links)
{
    struct gsi_err err = GSI_ERR_INIT;
    char id[PLATFORM_FC_HOTSPOT_MAX];
    platform_hotspot_id(id, "ETH", gsi_month_id(2022, 10));
    ck_assert_str_eq(id, "ETH-2022-11");
    char iso3[4];
    int through = 0;
    ck_assert_int_eq(platform_hotspot_parse(iso3, &through, id, &err), 0);
    ck_assert_str_eq(iso3, "ETH");
    ck_assert_int_eq(through, gsi_month_id(2022, 10));
    ck_assert_int_eq(platform_hotspot_parse(iso3, &through, "eth-2022-11", &err), GSI_ENOTFOUND);
    ck_assert_int_eq(platform_hotspot_parse(iso3, &through, "ETH-2022-13", &err), GSI_ENOTFOUND);
    ck_assert_int_eq(platform_hotspot_parse(iso3, &through, "ETH-2022-1", &err), GSI_ENOTFOUND);
    /* Two linked records (one confidential to ETH and KEN), one about another hotspot. */
    const char *pl[3] = { "{\"hotspot\":\"ETH-2022-11\",\"text\":\"concern\"}",
                          "{\"hotspot\":\"ETH-2022-11\"}", "{\"hotspot\":\"SOM-2022-11\"}" };
    struct platform_act acts[3] = {
        { .type = "note.concern", .party = "KEN", .payload = pl[0] },
        { .type = "note.notification", .party = "ETH", .payload = pl[1], .confidential = true,
          .audience = "KEN" },
        { .type = "note", .party = "SOM", .payload = pl[2] },
    };
    for (int i = 0; i < 3; i++) {
        struct platform_receipt r;
        acts[i].payload_len = strlen(acts[i].payload);
        ck_assert_msg(platform_act_record(p, &r, NULL, &acts[i], &err) == 0, "%s", err.msg);
    }
    struct platform_record *recs = NULL;
    size_t n = 0;
    ck_assert_int_eq(platform_hotspot_links(p, &recs, &n, NULL, id, &err), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(recs[0].type, "note.concern");
    ck_assert_str_eq(recs[1].type, "note.notification");
    platform_record_list_free(recs, n);
    /* An anonymous reader (a delegate of no party) sees the public one only. */
    struct platform_delegate anon = { .id = -1, .role = PLATFORM_ROLE_OBSERVER };
    ck_assert_int_eq(platform_hotspot_links(p, &recs, &n, &anon, id, &err), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(recs[0].party, "KEN");
    platform_record_list_free(recs, n);
    /* KEN is in the audience. */
    struct platform_delegate ken = { .id = 5, .party = "KEN", .role = PLATFORM_ROLE_DELEGATE };
    ck_assert_int_eq(platform_hotspot_links(p, &recs, &n, &ken, id, &err), 0);
    ck_assert_uint_eq(n, 2);
    platform_record_list_free(recs, n);
}
END_TEST

Suite *make_suite(void)
{
    const TTest *tests[] = { stored_run_reads_back_identically, actuals_are_the_data, run_ids,
                             month_summary_by_hand, hotspot_links };
    return test_suite_fixture("platform_forecast", 300, setup, teardown, tests,
                              sizeof tests / sizeof tests[0]);
}
