/* forecast.c — storing and reading forecast runs, and the records linked to a hotspot (see
 * forecast.h). Schema: migration 4 in store_migrate.c (forecast_runs, forecast_countries,
 * forecast_months, forecast_actuals). */
#include "platform/forecast.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/text.h"
#include "platform/internal.h"

#define NUM_MAX 32 /* a double in its shortest round-trip form, with NUL */

void platform_forecast_release(struct platform_fc_run *run)
{
    if (run != NULL) {
        free(run->countries);
        run->countries = NULL;
        run->ncountries = 0;
    }
}

static void month_text(char out[16], int month_id)
{
    int y = 0, m = 0;
    gsi_month_from_id(month_id, &y, &m);
    snprintf(out, 16, "%04d-%02d", y % 10000, m % 100);
}

void platform_hotspot_id(char out[PLATFORM_FC_HOTSPOT_MAX], const char *iso3, int through)
{
    char m[16];
    month_text(m, through + 1);
    snprintf(out, PLATFORM_FC_HOTSPOT_MAX, "%.3s-%.7s", iso3, m);
}

static bool iso3_ok(const char *s)
{
    return strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
           s[2] >= 'A' && s[2] <= 'Z';
}

int platform_hotspot_parse(char iso3[4], int *through, const char *id, struct gsi_err *err)
{
    size_t n = strlen(id);
    int month = 0;
    if (n != 11 || id[3] != '-' || gsi_month_parse(&month, id + 4, 7) < 0 || month < 2) {
        return gsi_err_set(err, GSI_ENOTFOUND, "no hotspot '%.40s': expected ISO3-YYYY-MM", id);
    }
    memcpy(iso3, id, 3);
    iso3[3] = '\0';
    if (!iso3_ok(iso3)) {
        return gsi_err_set(err, GSI_ENOTFOUND, "no hotspot '%.40s': expected ISO3-YYYY-MM", id);
    }
    *through = month - 1;
    return 0;
}

/* --- storing --- */

/* The text forms of one run's numbers: they must outlive the statement that sends them. */
struct fc_text {
    char (*num)[NUM_MAX];
    size_t n, cap;
};

/* The value as a text parameter. (A function, because STORE_TEXT evaluates its argument
 * twice.) The caller sized t->num for every number of the run. */
static struct store_val num(struct fc_text *t, double v)
{
    char *s = t->num[t->n++];
    gsi_format_f64(s, NUM_MAX, v);
    return STORE_TEXT(s);
}

static int check_run(const struct platform_fc_run *run, struct gsi_err *err)
{
    if (run->ncountries == 0 || run->countries == NULL) {
        return gsi_err_set(err, GSI_EUSAGE, "a forecast run needs at least one country");
    }
    if (run->ncountries > PLATFORM_FC_COUNTRIES_MAX) {
        return gsi_err_set(err, GSI_ELIMIT, "a forecast run holds at most %d countries, not %zu",
                           PLATFORM_FC_COUNTRIES_MAX, run->ncountries);
    }
    if (run->through < 1 || run->through > gsi_month_id(9000, 12) || run->model[0] == '\0') {
        return gsi_err_set(err, GSI_EUSAGE, "a forecast run needs a data month and a model");
    }
    for (size_t c = 0; c < run->ncountries; c++) {
        const struct platform_fc_country *k = &run->countries[c];
        if (!iso3_ok(k->iso3) || k->nactuals < 0 || k->nactuals > PLATFORM_FC_HISTORY) {
            return gsi_err_set(err, GSI_EUSAGE, "country %zu of the run: bad iso3 or history", c);
        }
        for (int m = 0; m < PLATFORM_FC_HORIZON; m++) {
            if (k->fc[m].month_id != run->through + 1 + m) {
                return gsi_err_set(err, GSI_EUSAGE, "%s: forecast month %d is not %d", k->iso3,
                                   m + 1, run->through + 1 + m);
            }
        }
    }
    return 0;
}

struct store_ctx {
    struct platform_fc_run *run;
    struct fc_text text;
};

static int insert_run_row(struct pw_batch *b, struct platform_fc_run *run, struct gsi_err *err)
{
    char through[16];
    month_text(through, run->through);
    int64_t seq = 0, same = 0;
    struct store_val tv[] = { STORE_TEXT(through) };
    int rc = store_query_int(b->s, &seq, 0, "SELECT MAX(seq) FROM forecast_runs", NULL, 0, err);
    rc = rc ? rc
            : store_query_int(b->s, &same, 0,
                              "SELECT COUNT(*) FROM forecast_runs WHERE through = ?", tv, 1, err);
    if (rc < 0) {
        return rc;
    }
    snprintf(run->id, sizeof run->id, "%s.%lld", through, (long long)same + 1);
    platform_time_format(run->created, b->now_us);
    struct store_val v[] = { STORE_TEXT(run->id),
                             STORE_INT(seq + 1),
                             STORE_TEXT(through),
                             STORE_TEXT(run->model),
                             STORE_INT(run->seed),
                             STORE_INT(run->draws),
                             STORE_INT(PLATFORM_FC_HORIZON),
                             STORE_TEXT(run->source),
                             STORE_TEXT(run->created) };
    return store_exec(b->s,
                      "INSERT INTO forecast_runs (id, seq, through, model, seed, draws, horizon,"
                      " source, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      v, 9, err);
}

#define COUNTRY_COLS 16
static int insert_countries(struct pw_batch *b, struct store_ctx *x, struct gsi_err *err)
{
    const struct platform_fc_run *run = x->run;
    struct store_val *v = calloc(run->ncountries * COUNTRY_COLS, sizeof *v);
    if (v == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory storing the run");
    }
    for (size_t c = 0; c < run->ncountries; c++) {
        const struct platform_fc_country *k = &run->countries[c];
        struct store_val *r = v + c * COUNTRY_COLS;
        r[0] = STORE_TEXT(run->id);
        r[1] = STORE_TEXT(k->iso3);
        r[2] = STORE_INT(k->country_id);
        r[3] = STORE_TEXT(k->name);
        r[4] = STORE_INT(k->rank);
        const double nums[9] = { k->median_12m,   k->mean_12m, k->lo90_12m,
                                 k->hi90_12m,     k->p_ge_25,  k->p_ge_1000,
                                 k->p_ge_25_next, k->past_12m, k->change };
        for (int i = 0; i < 9; i++) {
            r[5 + i] = num(&x->text, nums[i]);
        }
        r[14] = STORE_TEXT(k->alerts);
        r[15] = STORE_TEXT(k->reasons);
    }
    int rc = store_insert_many(b->s, "forecast_countries",
                               "run, iso3, country_id, name, rank, median_12m, mean_12m, lo90_12m,"
                               " hi90_12m, p_ge_25, p_ge_1000, p_ge_25_next, past_12m, change_12m,"
                               " alerts, reasons",
                               COUNTRY_COLS, v, run->ncountries, err);
    free(v);
    return rc;
}

#define MONTH_COLS 10
static int insert_months(struct pw_batch *b, struct store_ctx *x, char (*months)[16],
                         struct gsi_err *err)
{
    const struct platform_fc_run *run = x->run;
    size_t nrows = run->ncountries * PLATFORM_FC_HORIZON;
    struct store_val *v = calloc(nrows * MONTH_COLS, sizeof *v);
    if (v == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory storing the run");
    }
    for (size_t c = 0; c < run->ncountries; c++) {
        const struct platform_fc_country *k = &run->countries[c];
        for (int m = 0; m < PLATFORM_FC_HORIZON; m++) {
            const struct platform_fc_month *f = &k->fc[m];
            struct store_val *r = v + (c * PLATFORM_FC_HORIZON + (size_t)m) * MONTH_COLS;
            r[0] = STORE_TEXT(run->id);
            r[1] = STORE_TEXT(k->iso3);
            r[2] = STORE_TEXT(months[PLATFORM_FC_HISTORY + m]);
            const double nums[7] = { f->mean, f->q05, f->q25, f->q50, f->q75, f->q95, f->p_ge_25 };
            for (int i = 0; i < 7; i++) {
                r[3 + i] = num(&x->text, nums[i]);
            }
        }
    }
    int rc = store_insert_many(b->s, "forecast_months",
                               "run, iso3, month, mean, q05, q25, q50, q75, q95, p_ge_25",
                               MONTH_COLS, v, nrows, err);
    free(v);
    return rc;
}

static int insert_actuals(struct pw_batch *b, struct store_ctx *x, char (*months)[16],
                          struct gsi_err *err)
{
    const struct platform_fc_run *run = x->run;
    struct store_val *v = calloc(run->ncountries * PLATFORM_FC_HISTORY * 4, sizeof *v);
    if (v == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory storing the run");
    }
    size_t nrows = 0;
    for (size_t c = 0; c < run->ncountries; c++) {
        const struct platform_fc_country *k = &run->countries[c];
        for (int i = 0; i < k->nactuals; i++) {
            struct store_val *r = v + nrows++ * 4;
            r[0] = STORE_TEXT(run->id);
            r[1] = STORE_TEXT(k->iso3);
            r[2] = STORE_TEXT(months[PLATFORM_FC_HISTORY - k->nactuals + i]);
            r[3] = num(&x->text, k->actuals[i]);
        }
    }
    int rc = nrows == 0 ? 0
                        : store_insert_many(b->s, "forecast_actuals", "run, iso3, month, deaths", 4,
                                            v, nrows, err);
    free(v);
    return rc;
}

static int store_fn(struct platform *p, struct pw_batch *b, void *ctx, struct gsi_err *err)
{
    (void)p;
    struct store_ctx *x = ctx;
    /* Month texts from through-35 to through+12, shared by every row that names them. */
    char months[PLATFORM_FC_HISTORY + PLATFORM_FC_HORIZON][16];
    for (int i = 0; i < PLATFORM_FC_HISTORY + PLATFORM_FC_HORIZON; i++) {
        month_text(months[i], x->run->through - PLATFORM_FC_HISTORY + 1 + i);
    }
    x->text.n = 0;
    int rc = insert_run_row(b, x->run, err);
    rc = rc ? rc : insert_countries(b, x, err);
    rc = rc ? rc : insert_months(b, x, months, err);
    return rc ? rc : insert_actuals(b, x, months, err);
}

int platform_forecast_store(struct platform *p, struct platform_fc_run *run, struct gsi_err *err)
{
    int rc = check_run(run, err);
    if (rc < 0) {
        return rc;
    }
    struct store_ctx x = { .run = run };
    x.text.cap = run->ncountries * (9 + 7 * PLATFORM_FC_HORIZON + PLATFORM_FC_HISTORY);
    x.text.num = malloc((x.text.cap + 1) * sizeof *x.text.num);
    if (x.text.num == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory storing the run");
    }
    rc = platform_write(p, store_fn, &x, NULL, err);
    free(x.text.num);
    return rc;
}

/* --- reading --- */

static double dnum(const struct store_rows *r, size_t row, size_t col)
{
    /* The database holds what gsi_format_f64 wrote: strtod reads it back exactly. */
    return strtod(store_rows_text(r, row, col), NULL);
}

#define RUN_COLS "SELECT id, created, through, model, seed, draws, source FROM forecast_runs"

static int run_row(struct platform *p, struct platform_fc_run *out, const char *id,
                   struct gsi_err *err)
{
    bool latest = id == NULL || strcmp(id, "latest") == 0;
    /* "YYYY-MM": the latest run on that month of data. */
    bool month = !latest && strlen(id) == 7 && id[4] == '-';
    struct store_val v[] = { STORE_TEXT(latest ? "" : id) };
    struct store_rows *r;
    int rc = platform_query(p, &r,
                            latest  ? RUN_COLS " ORDER BY seq DESC LIMIT 1"
                            : month ? RUN_COLS " WHERE through = ? ORDER BY seq DESC LIMIT 1"
                                    : RUN_COLS " WHERE id = ?",
                            v, latest ? 0 : 1, err);
    if (rc < 0) {
        return rc;
    }
    if (store_rows_count(r) == 0) {
        store_rows_free(r);
        return latest ? gsi_err_set(err, GSI_ENOTFOUND,
                                    "no forecast run is stored yet: run gsi warn run --db")
                      : gsi_err_set(err, GSI_ENOTFOUND, "no forecast run '%.40s'", id);
    }
    snprintf(out->id, sizeof out->id, "%s", store_rows_text(r, 0, 0));
    snprintf(out->created, sizeof out->created, "%s", store_rows_text(r, 0, 1));
    const char *t = store_rows_text(r, 0, 2);
    rc = gsi_month_parse(&out->through, t, strlen(t));
    snprintf(out->model, sizeof out->model, "%s", store_rows_text(r, 0, 3));
    out->seed = (uint64_t)store_rows_int(r, 0, 4);
    out->draws = store_rows_int(r, 0, 5);
    snprintf(out->source, sizeof out->source, "%s", store_rows_text(r, 0, 6));
    store_rows_free(r);
    return rc < 0 ? gsi_err_set(err, GSI_EDB, "run %s: bad data month", out->id) : 0;
}

static int countries_rows(struct platform *p, struct platform_fc_run *out, struct gsi_err *err)
{
    struct store_val v[] = { STORE_TEXT(out->id) };
    struct store_rows *r;
    int rc = platform_query(p, &r,
                            "SELECT iso3, country_id, name, rank, median_12m, mean_12m, lo90_12m,"
                            " hi90_12m, p_ge_25, p_ge_1000, p_ge_25_next, past_12m, change_12m,"
                            " alerts, reasons FROM forecast_countries WHERE run = ? ORDER BY rank",
                            v, 1, err);
    if (rc < 0) {
        return rc;
    }
    size_t n = store_rows_count(r);
    out->countries = calloc(n ? n : 1, sizeof *out->countries);
    if (out->countries == NULL) {
        store_rows_free(r);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory reading run %s", out->id);
    }
    out->ncountries = n;
    for (size_t i = 0; i < n; i++) {
        struct platform_fc_country *k = &out->countries[i];
        snprintf(k->iso3, sizeof k->iso3, "%s", store_rows_text(r, i, 0));
        k->country_id = (int)store_rows_int(r, i, 1);
        snprintf(k->name, sizeof k->name, "%s", store_rows_text(r, i, 2));
        k->rank = (int)store_rows_int(r, i, 3);
        double *dst[9] = { &k->median_12m,   &k->mean_12m, &k->lo90_12m,
                           &k->hi90_12m,     &k->p_ge_25,  &k->p_ge_1000,
                           &k->p_ge_25_next, &k->past_12m, &k->change };
        for (size_t j = 0; j < 9; j++) {
            *dst[j] = dnum(r, i, 4 + j);
        }
        snprintf(k->alerts, sizeof k->alerts, "%s", store_rows_text(r, i, 13));
        snprintf(k->reasons, sizeof k->reasons, "%s", store_rows_text(r, i, 14));
        for (int m = 0; m < PLATFORM_FC_HORIZON; m++) {
            k->fc[m].month_id = out->through + 1 + m;
        }
    }
    store_rows_free(r);
    return 0;
}

/* Reads the months (forecast or actuals) of every country; the rows come in rank order, so
 * the country a row belongs to is found by walking forward. */
static int series_rows(struct platform *p, struct platform_fc_run *out, bool actuals,
                       struct gsi_err *err)
{
    struct store_val v[] = { STORE_TEXT(out->id) };
    struct store_rows *r;
    int rc = platform_query(
        p, &r,
        actuals ? "SELECT a.iso3, a.month, a.deaths FROM forecast_actuals a JOIN"
                  " forecast_countries c ON c.run = a.run AND c.iso3 = a.iso3 WHERE a.run = ?"
                  " ORDER BY c.rank, a.month"
                : "SELECT m.iso3, m.month, m.mean, m.q05, m.q25, m.q50, m.q75, m.q95, m.p_ge_25"
                  " FROM forecast_months m JOIN forecast_countries c ON c.run = m.run AND"
                  " c.iso3 = m.iso3 WHERE m.run = ? ORDER BY c.rank, m.month",
        v, 1, err);
    if (rc < 0) {
        return rc;
    }
    size_t c = 0;
    for (size_t i = 0; i < store_rows_count(r); i++) {
        while (c < out->ncountries &&
               strcmp(out->countries[c].iso3, store_rows_text(r, i, 0)) != 0) {
            c++;
        }
        const char *mt = store_rows_text(r, i, 1);
        int month = 0;
        if (c == out->ncountries || gsi_month_parse(&month, mt, strlen(mt)) < 0) {
            store_rows_free(r);
            return gsi_err_set(err, GSI_EDB, "run %s: a stored month does not fit the run",
                               out->id);
        }
        struct platform_fc_country *k = &out->countries[c];
        int back = out->through - month; /* actuals: 0 for the last month */
        int ahead = month - out->through - 1;
        if (actuals && back >= 0 && back < PLATFORM_FC_HISTORY) {
            k->actuals[k->nactuals++] = dnum(r, i, 2);
        } else if (!actuals && ahead >= 0 && ahead < PLATFORM_FC_HORIZON) {
            struct platform_fc_month *f = &k->fc[ahead];
            double *dst[7] = { &f->mean, &f->q05, &f->q25, &f->q50, &f->q75, &f->q95, &f->p_ge_25 };
            for (size_t j = 0; j < 7; j++) {
                *dst[j] = dnum(r, i, 2 + j);
            }
        }
    }
    store_rows_free(r);
    return 0;
}

int platform_forecast_get(struct platform *p, struct platform_fc_run *out, const char *id,
                          bool series, struct gsi_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = run_row(p, out, id, err);
    rc = rc ? rc : countries_rows(p, out, err);
    if (rc == 0 && series) {
        rc = series_rows(p, out, false, err);
        rc = rc ? rc : series_rows(p, out, true, err);
    }
    if (rc < 0) {
        platform_forecast_release(out);
    }
    return rc;
}

/* --- links from procedures --- */

int platform_hotspot_links(struct platform *p, struct platform_record **out, size_t *n,
                           const struct platform_delegate *viewer, const char *id,
                           struct gsi_err *err)
{
    *out = NULL;
    *n = 0;
    char iso3[4];
    int through;
    int rc = platform_hotspot_parse(iso3, &through, id, err);
    if (rc < 0) {
        return rc;
    }
    /* The id holds only [A-Z0-9-], so it needs no escaping inside the LIKE pattern. */
    char pattern[64];
    snprintf(pattern, sizeof pattern, "%%\"hotspot\":\"%s\"%%", id);
    struct store_val v[] = { STORE_TEXT(pattern), STORE_INT(PLATFORM_FC_LINKS_MAX) };
    struct store_rows *r;
    rc = platform_query(p, &r, "SELECT id FROM records WHERE payload LIKE ? ORDER BY id LIMIT ?", v,
                        2, err);
    if (rc < 0) {
        return rc;
    }
    size_t cnt = store_rows_count(r);
    struct platform_record *list = calloc(cnt ? cnt : 1, sizeof *list);
    if (list == NULL) {
        store_rows_free(r);
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    size_t k = 0;
    for (size_t i = 0; i < cnt && rc == 0; i++) {
        /* platform_record_get applies the confidentiality rule: a hidden record is
         * GSI_ENOTFOUND and is left out. */
        struct gsi_err e2 = GSI_ERR_INIT;
        int g = platform_record_get(p, &list[k], viewer, store_rows_int(r, i, 0), &e2);
        if (g == 0) {
            k++;
        } else if (g != GSI_ENOTFOUND) {
            *err = e2;
            rc = g;
        }
    }
    store_rows_free(r);
    if (rc < 0) {
        platform_record_list_free(list, k);
        return rc;
    }
    *out = list;
    *n = k;
    return 0;
}
