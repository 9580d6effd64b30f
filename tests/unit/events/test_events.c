/* Unit tests for src/events on the real files in tests/data (see tests/data/SOURCES.md).
 *
 * Expected values come from the data's published counts (data/SOURCES.md: UCDP GED row counts,
 * violence types and best sums; ViEWS yearly sums; GDELT 25,270 events) or from independent
 * tools, with the command beside each figure:
 *   GDELT totals:  cat tests/data/gdelt/2*.CSV | awk -F'\t' '{s+=$31; t+=$35; m+=$32}
 *                  END {printf "%.4f %.10f %d\n", s, t/NR, m}'          → 17518.0 -1.5493910667
 * 115328 per location:  awk -F'\t' '{n[$54]++; g[$54]+=$31; m[$54]+=$32; q[$54","$30]++}' (FIPS US,
 * IS, UP) date range:    awk -F'\t' '$2>="20241020" && $2<="20241022"' | wc -l  → 16508 UCDP,
 * ICEWS:   /usr/bin/python3 with pandas: read_csv(...).best.sum(), .type_of_violence
 *                  .value_counts(), Intensity.sum() */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/date.h"
#include "events/convert.h"
#include "events/scan.h"
#include "events/summary.h"
#include "harness.h"
#include "ref/ref.h"

static const char *const gdelt_files[] = {
    "20241022130000", "20241022131500", "20241022133000", "20241022134500", "20241022140000",
    "20241022143000", "20241022144500", "20241022150000", "20241022151500", "20241022153000",
    "20250103140000", "20250103141500", "20250103143000", "20250103144500", "20250103150000",
    "20250104161500", "20250104163000", "20250104164500", "20250104170000"
};
#define NGDELT (sizeof gdelt_files / sizeof gdelt_files[0])

static const char *gdelt_path(size_t i)
{
    static char buf[64];
    snprintf(buf, sizeof buf, "gdelt/%s.export.CSV", gdelt_files[i]);
    return test_path(buf);
}

/* Runs a summary over `paths` and returns it as CSV text (caller frees). */
static char *summarize(const char *const *paths, size_t n, const char *keys, unsigned threads,
                       const struct events_scan_options *base, struct events_stats *st)
{
    struct gsi_err err = GSI_ERR_INIT;
    struct events_keys k;
    ck_assert_int_eq(events_keys_parse(&k, keys, &err), 0);
    struct events_summary *s = events_summary_new(&k, threads);
    struct events_sink sink;
    events_summary_sink(s, &sink);
    struct events_scan_options opt = EVENTS_SCAN_OPTIONS_INIT;
    if (base != NULL) {
        opt = *base;
    }
    opt.threads = threads;
    events_stats_init(st);
    for (size_t i = 0; i < n; i++) {
        int rc = events_scan(paths[i], &opt, &sink, st, &err);
        ck_assert_msg(rc == 0, "%s: %s", paths[i], err.msg);
    }
    struct gsi_table *t = events_summary_table(s, &err);
    ck_assert_ptr_nonnull(t);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    gsi_table_write(t, f, GSI_FORMAT_CSV);
    fclose(f);
    gsi_table_free(t);
    events_summary_free(s);
    return out;
}

/* The CSV row whose first field is `key` (a copy in a static buffer), or NULL. */
static const char *row_of(const char *csv, const char *key)
{
    static char line[512];
    size_t klen = strlen(key);
    for (const char *p = csv; p != NULL && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, key, klen) == 0 && p[klen] == ',') {
            const char *e = strchr(p, '\n');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            snprintf(line, sizeof line, "%.*s", (int)n, p);
            return line;
        }
    }
    return NULL;
}

/* Field i (0-based) of a CSV line without quotes, as a number; NAN when empty. */
static double field_num(const char *line, int i)
{
    const char *p = line;
    for (int k = 0; k < i; k++) {
        p = strchr(p, ',');
        ck_assert_ptr_nonnull(p);
        p++;
    }
    if (*p == ',' || *p == '\0') {
        return NAN;
    }
    return strtod(p, NULL);
}

static const char *all_gdelt[NGDELT];

static void fill_gdelt(void)
{
    static char paths[NGDELT][4096];
    for (size_t i = 0; i < NGDELT; i++) {
        snprintf(paths[i], sizeof paths[i], "%s", gdelt_path(i));
        all_gdelt[i] = paths[i];
    }
}

START_TEST(gdelt_totals)
{
    fill_gdelt();
    struct events_stats st;
    char *csv = summarize(all_gdelt, NGDELT, "source", 2, NULL, &st);
    const char *r = row_of(csv, "gdelt");
    ck_assert_ptr_nonnull(r);
    /* source,events,goldstein_sum,goldstein_mean,mentions,tone_mean,fatalities,q1..q4 */
    ck_assert_double_eq(field_num(r, 1), 25270);
    ck_assert_double_eq_tol(field_num(r, 2), 17518.0, 1e-9);
    ck_assert_double_eq(field_num(r, 4), 115328);
    ck_assert_double_eq_tol(field_num(r, 5), -1.5493910667, 1e-9);
    ck_assert(isnan(field_num(r, 6))); /* GDELT carries no fatalities */
    ck_assert_uint_eq(st.rows, 25270);
    ck_assert_uint_eq(st.skipped, 0);
    free(csv);
}
END_TEST

START_TEST(gdelt_by_country)
{
    fill_gdelt();
    struct events_stats st;
    char *csv = summarize(all_gdelt, NGDELT, "country", 1, NULL, &st);
    /* FIPS US → USA, IS → ISR, UP → UKR. */
    const char *r = row_of(csv, "USA");
    ck_assert_ptr_nonnull(r);
    ck_assert_double_eq(field_num(r, 1), 7371);
    ck_assert_double_eq_tol(field_num(r, 2), 3443.8, 1e-9);
    ck_assert_double_eq(field_num(r, 4), 31540);
    ck_assert_double_eq(field_num(r, 7), 4402);
    ck_assert_double_eq(field_num(r, 10), 1044);
    r = row_of(csv, "ISR");
    ck_assert_ptr_nonnull(r);
    ck_assert_double_eq(field_num(r, 1), 1214);
    ck_assert_double_eq_tol(field_num(r, 2), -920.9, 1e-9);
    ck_assert_double_eq(field_num(r, 4), 4817);
    ck_assert_double_eq(field_num(r, 10), 258);
    r = row_of(csv, "UKR");
    ck_assert_ptr_nonnull(r);
    ck_assert_double_eq(field_num(r, 1), 480);
    ck_assert_double_eq_tol(field_num(r, 2), 610.8, 1e-9);
    ck_assert_double_eq(field_num(r, 4), 1784);
    free(csv);
}
END_TEST

/* One file of all 19 exports (about 10 MB, so several chunks of the parallel reader). */
static const char *concat_gdelt(void)
{
    static char path[256];
    snprintf(path, sizeof path, "/tmp/gsi-test-gdelt-%ld.CSV", (long)getpid());
    FILE *out = fopen(path, "wb");
    ck_assert_ptr_nonnull(out);
    for (size_t i = 0; i < NGDELT; i++) {
        FILE *in = fopen(gdelt_path(i), "rb");
        ck_assert_ptr_nonnull(in);
        char buf[65536];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
            fwrite(buf, 1, n, out);
        }
        fclose(in);
    }
    fclose(out);
    return path;
}

START_TEST(gdelt_same_result_any_thread_count)
{
    const char *path = concat_gdelt();
    struct events_stats st1, st2, st5;
    char *a = summarize(&path, 1, "country,day,quadclass", 1, NULL, &st1);
    char *b = summarize(&path, 1, "country,day,quadclass", 2, NULL, &st2);
    char *c = summarize(&path, 1, "country,day,quadclass", 5, NULL, &st5);
    ck_assert_str_eq(a, b);
    ck_assert_str_eq(a, c);
    ck_assert_uint_eq(st1.rows, 25270);
    ck_assert_uint_eq(st5.rows, 25270);
    free(a);
    free(b);
    free(c);
    char *s = summarize(&path, 1, "source", 3, NULL, &st1);
    ck_assert_double_eq(field_num(row_of(s, "gdelt"), 1), 25270);
    free(s);
    unlink(path);
}
END_TEST

START_TEST(gdelt_date_range)
{
    fill_gdelt();
    struct events_scan_options opt = EVENTS_SCAN_OPTIONS_INIT;
    ck_assert_int_eq(gsi_date_parse(&opt.from_day, "2024-10-20", 10), 0);
    ck_assert_int_eq(gsi_date_parse(&opt.to_day, "2024-10-22", 10), 0);
    struct events_stats st;
    char *csv = summarize(all_gdelt, NGDELT, "source", 2, &opt, &st);
    ck_assert_double_eq(field_num(row_of(csv, "gdelt"), 1), 16508);
    ck_assert_uint_eq(st.filtered, 25270 - 16508);
    free(csv);
}
END_TEST

/* Counts UCDP violence types and fatalities through a sink of our own. */
struct ucdp_tally {
    long events, type[4];
    long long best, low, high;
};

static int tally_event(void *ctx, const struct events_event *ev, struct gsi_err *err)
{
    struct ucdp_tally *t = ctx;
    t->events++;
    t->type[ev->violence]++;
    t->best += ev->fatalities_best;
    t->low += ev->fatalities_low;
    t->high += ev->fatalities_high;
    return 0;
}

static void check_ucdp(const char *file, long events, long t1, long t2, long t3, long long best,
                       long long low, long long high)
{
    struct ucdp_tally t;
    memset(&t, 0, sizeof t);
    void *ctx[1] = { &t };
    struct events_sink sink = { 1, ctx, tally_event };
    struct events_scan_options opt = EVENTS_SCAN_OPTIONS_INIT;
    opt.strict = true;
    struct events_stats st;
    events_stats_init(&st);
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_msg(events_scan(test_path(file), &opt, &sink, &st, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(t.events, events);
    ck_assert_int_eq(t.type[1], t1);
    ck_assert_int_eq(t.type[2], t2);
    ck_assert_int_eq(t.type[3], t3);
    ck_assert_int_eq(t.best, best);
    ck_assert_int_eq(t.low, low);
    ck_assert_int_eq(t.high, high);
}

START_TEST(ucdp_ged_v23_and_v19)
{
    /* Published: Ethiopia 3,808 events, types 2,524/356/928, best 299,973; Syria (41-column
     * layout) 16,566, 11,507/4,577/482, best 112,337. low/high sums by pandas. */
    check_ucdp("ucdp/ged231_ethiopia.csv", 3808, 2524, 356, 928, 299973, 296633, 379526);
    check_ucdp("ucdp/ged191_syria_2016_2019.csv", 16566, 11507, 4577, 482, 112337, 104929, 119020);
}
END_TEST

START_TEST(ucdp_country_best_sums)
{
    static const char *const files[] = { "ucdp/ged231_sri_lanka.csv",
                                         "ucdp/ged231_sierra_leone.csv",
                                         "ucdp/ged231_south_sudan.csv", "ucdp/ged231_venezuela.csv",
                                         "ucdp/ged231_el_salvador.csv" };
    const char *paths[5];
    static char buf[5][4096];
    for (int i = 0; i < 5; i++) {
        snprintf(buf[i], sizeof buf[i], "%s", test_path(files[i]));
        paths[i] = buf[i];
    }
    struct events_stats st;
    char *csv = summarize(paths, 5, "country", 1, NULL, &st);
    /* data/SOURCES.md: best sums 65,628; 20,444; 14,308; 1,498; 5,989 and row counts. */
    ck_assert_double_eq(field_num(row_of(csv, "LKA"), 6), 65628);
    ck_assert_double_eq(field_num(row_of(csv, "LKA"), 1), 4581);
    ck_assert_double_eq(field_num(row_of(csv, "SLE"), 6), 20444);
    ck_assert_double_eq(field_num(row_of(csv, "SLE"), 1), 1497);
    ck_assert_double_eq(field_num(row_of(csv, "SSD"), 6), 14308);
    ck_assert_double_eq(field_num(row_of(csv, "SSD"), 1), 974);
    ck_assert_double_eq(field_num(row_of(csv, "VEN"), 6), 1498);
    ck_assert_double_eq(field_num(row_of(csv, "VEN"), 1), 1441);
    ck_assert_double_eq(field_num(row_of(csv, "SLV"), 6), 5989);
    ck_assert_double_eq(field_num(row_of(csv, "SLV"), 1), 186);
    ck_assert(isnan(field_num(row_of(csv, "SLV"), 2))); /* no Goldstein in UCDP */
    free(csv);
}
END_TEST

/* Every reader gives each country field its reference row (event.h): 0 exactly when the ISO3
 * is empty, else the row that ref_country_by_iso3() finds for that ISO3, whichever code the
 * source used (FIPS and CAMEO in GDELT, GW numbers in UCDP, names in ICEWS, ViEWS ids). */
struct row_check {
    long events, countries, mismatches;
};

static int check_row(struct row_check *t, const char iso3[4], uint16_t row)
{
    if (iso3[0] == '\0') {
        return row == 0 ? 0 : 1;
    }
    t->countries++;
    const struct ref_country *c = ref_country_by_iso3(iso3, strlen(iso3));
    return c != NULL && row == ref_country_index(c) + 1 ? 0 : 1;
}

static int row_check_event(void *ctx, const struct events_event *ev, struct gsi_err *err)
{
    struct row_check *t = ctx;
    t->events++;
    t->mismatches += check_row(t, ev->country, ev->country_row) +
                     check_row(t, ev->actor1, ev->actor1_row) +
                     check_row(t, ev->actor2, ev->actor2_row);
    return 0;
}

START_TEST(readers_carry_the_reference_row)
{
    const char *files[] = { "ucdp/ged231_ethiopia.csv", "ucdp/ged191_syria_2016_2019.csv",
                            "icews/icews_events_2018_sample.tab",
                            "views/cm_actuals_2018_2022.csv" };
    struct row_check t;
    memset(&t, 0, sizeof t);
    void *ctx[1] = { &t };
    struct events_sink sink = { 1, ctx, row_check_event };
    struct events_scan_options opt = EVENTS_SCAN_OPTIONS_INIT;
    struct events_stats st;
    struct gsi_err err = GSI_ERR_INIT;
    for (size_t i = 0; i < NGDELT + 4; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s",
                 i < NGDELT ? gdelt_path(i) : test_path(files[i - NGDELT]));
        events_stats_init(&st);
        ck_assert_msg(events_scan(path, &opt, &sink, &st, &err) == 0, "%s", err.msg);
    }
    ck_assert_int_gt(t.countries, 50000);
    ck_assert_int_eq(t.mismatches, 0);
}
END_TEST

START_TEST(icews_sample)
{
    const char *path = test_path("icews/icews_events_2018_sample.tab");
    struct events_stats st;
    char *csv = summarize(&path, 1, "source", 1, NULL, &st);
    const char *r = row_of(csv, "icews");
    ck_assert_double_eq(field_num(r, 1), 3705);
    ck_assert_double_eq_tol(field_num(r, 2), 138.4, 1e-9);
    ck_assert_uint_eq(st.skipped, 0);
    free(csv);
    csv = summarize(&path, 1, "country", 1, NULL, &st);
    r = row_of(csv, "IND");
    ck_assert_double_eq(field_num(r, 1), 708);
    ck_assert_double_eq_tol(field_num(r, 2), -1473.5, 1e-9);
    free(csv);
}
END_TEST

START_TEST(views_actuals)
{
    const char *path = test_path("views/cm_actuals_2018_2022.csv");
    struct events_stats st;
    char *csv = summarize(&path, 1, "year", 2, NULL, &st);
    /* data/SOURCES.md: 2018 55,307; 2019 52,759; 2020 73,437; 2021 200,181; 2022 277,259;
     * 2,292 rows a year. */
    static const double sums[] = { 55307, 52759, 73437, 200181, 277259 };
    for (int y = 0; y < 5; y++) {
        char key[8];
        snprintf(key, sizeof key, "%d", 2018 + y);
        const char *r = row_of(csv, key);
        ck_assert_ptr_nonnull(r);
        ck_assert_double_eq(field_num(r, 1), 2292);
        ck_assert_double_eq(field_num(r, 6), sums[y]);
    }
    ck_assert_uint_eq(st.unknown, 0);
    free(csv);
}
END_TEST

static const char *write_tmp(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "/tmp/gsi-test-%ld-%s", (long)getpid(), name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* A GDELT row: the first of the shipped files' first line, with fields replaced. */
static char *gdelt_row(int field, const char *value)
{
    FILE *f = fopen(gdelt_path(0), "rb");
    ck_assert_ptr_nonnull(f);
    char line[8192];
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    fclose(f);
    char *out = malloc(sizeof line + 64);
    size_t o = 0;
    int k = 0;
    for (const char *p = line;; p++) {
        const char *e = p;
        while (*e != '\t' && *e != '\n' && *e != '\0') {
            e++;
        }
        const char *v = k == field ? value : NULL;
        size_t n = v != NULL ? strlen(v) : (size_t)(e - p);
        memcpy(out + o, v != NULL ? v : p, n);
        o += n;
        if (*e != '\t') {
            break;
        }
        out[o++] = '\t';
        p = e;
        k++;
    }
    out[o++] = '\n';
    out[o] = '\0';
    return out;
}

START_TEST(bad_rows_are_counted_and_named)
{
    char *good = gdelt_row(-1, NULL);
    char *bad_date = gdelt_row(1, "20241345");
    char *bad_geo = gdelt_row(53, "ZZ");
    char text[65536];
    snprintf(text, sizeof text, "%s%s1\t2\t3\n%s%s%s", good, good, bad_date, bad_geo, good);
    const char *path = write_tmp("bad.CSV", text);
    struct events_stats st;
    char *csv = summarize(&path, 1, "source", 1, NULL, &st);
    ck_assert_uint_eq(st.rows, 6);
    ck_assert_uint_eq(st.skipped, 2);
    ck_assert_uint_eq(st.nreported, 2);
    ck_assert_int_eq(st.reported[0].line, 3);
    ck_assert(strstr(st.reported[0].msg, "expected 61 tab-separated fields") != NULL);
    ck_assert_int_eq(st.reported[1].line, 4);
    ck_assert_int_eq(st.reported[1].column, 2);
    ck_assert(strstr(st.reported[1].msg, "SQLDATE") != NULL);
    ck_assert_uint_eq(st.unknown, 1);
    ck_assert_str_eq(st.unknowns[0].code, "ZZ");
    ck_assert_double_eq(field_num(row_of(csv, "gdelt"), 1), 4);
    free(csv);

    /* --strict: the first bad row ends the scan with GSI_EDATA, naming line 3. */
    struct events_scan_options opt = EVENTS_SCAN_OPTIONS_INIT;
    opt.strict = true;
    struct ucdp_tally t;
    memset(&t, 0, sizeof t);
    void *ctx[1] = { &t };
    struct events_sink sink = { 1, ctx, tally_event };
    struct gsi_err err = GSI_ERR_INIT;
    events_stats_init(&st);
    ck_assert_int_eq(events_scan(path, &opt, &sink, &st, &err), GSI_EDATA);
    ck_assert_int_eq(err.line, 3);
    ck_assert_str_eq(err.file, path);
    ck_assert_int_eq(gsi_err_exit_status(err.code), 65);
    unlink(path);
    free(good);
    free(bad_date);
    free(bad_geo);
}
END_TEST

START_TEST(gdelt_long_line_and_no_final_line_feed)
{
    /* Row 1, then a 5.5 MiB line that runs past the first 4 MiB chunk and the 1 MiB line cap,
     * then row 3 without a line feed: 3 rows, the long one skipped as line 2. */
    char *good = gdelt_row(-1, NULL);
    static char path[256];
    snprintf(path, sizeof path, "/tmp/gsi-test-%ld-long.CSV", (long)getpid());
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(good, f);
    for (int i = 0; i < 11 * 512; i++) {
        char kb[1024];
        memset(kb, 'x', sizeof kb);
        fwrite(kb, 1, sizeof kb, f);
    }
    fputc('\n', f);
    fwrite(good, 1, strlen(good) - 1, f); /* no final line feed */
    fclose(f);
    for (unsigned threads = 1; threads <= 2; threads++) {
        struct events_stats st;
        const char *p = path;
        char *csv = summarize(&p, 1, "source", threads, NULL, &st);
        ck_assert_uint_eq(st.rows, 3);
        ck_assert_uint_eq(st.skipped, 1);
        ck_assert_int_eq(st.reported[0].line, 2);
        ck_assert(strstr(st.reported[0].msg, "longer than") != NULL);
        ck_assert_double_eq(field_num(row_of(csv, "gdelt"), 1), 2);
        free(csv);
    }
    unlink(path);
    free(good);
}
END_TEST

START_TEST(ucdp_bad_row_names_physical_line)
{
    /* The first three Ethiopia records hold quoted line breaks; a bad fourth record must be
     * reported at the physical line where it starts (counted here by hand: one more than the
     * line feeds before it). */
    FILE *f = fopen(test_path("ucdp/ged231_ethiopia.csv"), "rb");
    ck_assert_ptr_nonnull(f);
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    /* Cut after the 4th line feed that is outside quotes (header + 3 records). */
    int records = 0;
    bool inq = false;
    size_t cut = 0;
    for (size_t i = 0; i < n && records < 4; i++) {
        if (text[i] == '"') {
            inq = !inq;
        } else if (text[i] == '\n' && !inq) {
            records++;
            cut = i + 1;
        }
    }
    long lf = 0;
    for (size_t i = 0; i < cut; i++) {
        lf += text[i] == '\n';
    }
    /* A fourth record with 49 fields whose type_of_violence (6th) is 7. */
    static const char bad[] = "1,x,2020,1,Clear,7,1,1,a,1,1,a,1,1,a,1,1,a,1,a,a,a,a,a,1,a,a,a,"
                              "a,9.0,38.7,a,1,Ethiopia,530,Africa,1,1,2020-01-01,2020-01-01,0,0,"
                              "0,0,1,1,1,530,\n";
    memcpy(text + cut, bad, sizeof bad);
    const char *path = write_tmp("bad_ged.csv", text);
    struct events_stats st;
    char *csv = summarize(&path, 1, "source", 1, NULL, &st);
    ck_assert_uint_eq(st.skipped, 1);
    ck_assert_int_eq(st.reported[0].line, lf + 1);
    ck_assert_int_eq(st.reported[0].column, 6);
    ck_assert_double_eq(field_num(row_of(csv, "ucdp"), 1), 3);
    free(csv);
    unlink(path);
}
END_TEST

START_TEST(format_detection)
{
    struct gsi_err err = GSI_ERR_INIT;
    enum events_format fmt;
    const char views[] = "month_id,country_id,ged_sb\n457,1,0\n";
    ck_assert_int_eq(events_format_detect(&fmt, views, sizeof views - 1, "v", &err), 0);
    ck_assert_int_eq(fmt, EVENTS_FORMAT_VIEWS);
    const char junk[] = "hello,world\n";
    ck_assert_int_eq(events_format_detect(&fmt, junk, sizeof junk - 1, "j", &err), GSI_EDATA);
    ck_assert_str_eq(err.file, "j");
    struct events_keys k;
    ck_assert_int_eq(events_keys_parse(&k, "country,bogus", &err), GSI_EUSAGE);
    ck_assert_int_eq(events_keys_parse(&k, "day,day", &err), GSI_EUSAGE);
    ck_assert_int_eq(events_keys_parse(&k, "dyad,month,year,root,source", &err), 0);
    ck_assert_uint_eq(k.n, 5);
    /* An empty file and a missing file are clear errors, not crashes. */
    const char *empty = write_tmp("empty.csv", "");
    struct events_scan_options opt = EVENTS_SCAN_OPTIONS_INIT;
    struct events_stats st;
    events_stats_init(&st);
    struct events_sink sink = { 0, NULL, NULL };
    ck_assert_int_eq(events_scan(empty, &opt, &sink, &st, &err), GSI_EDATA);
    ck_assert_int_eq(events_scan("/nonexistent.csv", &opt, &sink, &st, &err), GSI_EIO);
    unlink(empty);
}
END_TEST

START_TEST(convert_writes_every_event)
{
    struct events_writer w;
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    events_writer_init(&w, f, EVENTS_WRITE_CSV);
    struct events_sink sink;
    events_writer_sink(&w, &sink);
    struct events_scan_options opt = EVENTS_SCAN_OPTIONS_INIT;
    struct events_stats st;
    events_stats_init(&st);
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(events_scan(test_path("ucdp/ged231_el_salvador.csv"), &opt, &sink, &st, &err),
                     0);
    ck_assert_int_eq(events_writer_finish(&w, &err), 0);
    fclose(f);
    long lines = 0;
    for (size_t i = 0; i < len; i++) {
        lines += out[i] == '\n';
    }
    ck_assert_int_eq(lines, 186 + 1); /* header + 186 events (data/SOURCES.md) */
    ck_assert(strncmp(out, "date,source,actor1,", 19) == 0);
    ck_assert(strstr(out, ",ucdp,") != NULL);
    free(out);
}
END_TEST

Suite *make_suite(void)
{
    const TTest *tests[] = { gdelt_totals,
                             gdelt_by_country,
                             gdelt_same_result_any_thread_count,
                             gdelt_date_range,
                             ucdp_ged_v23_and_v19,
                             ucdp_country_best_sums,
                             icews_sample,
                             readers_carry_the_reference_row,
                             views_actuals,
                             bad_rows_are_counted_and_named,
                             gdelt_long_line_and_no_final_line_feed,
                             ucdp_bad_row_names_physical_line,
                             format_detection,
                             convert_writes_every_event };
    return test_suite("events", 300, tests, sizeof tests / sizeof tests[0]);
}
