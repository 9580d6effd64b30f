/*
 * h_forecasts.c — stored forecast runs and their hotspots (platform/forecast.h): the latest
 * run or one by id, one country's series (actuals and the forecast months), the ranked
 * hotspots of a run, and one hotspot's page with the records that link to it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "http/handlers.h"
#include "platform/forecast.h"
#include "platform/platform.h"

static json_t *month_json(int month_id)
{
    int y = 0, m = 0;
    gsi_month_from_id(month_id, &y, &m);
    char s[16];
    snprintf(s, sizeof s, "%04d-%02d", y % 10000, m);
    return json_string(s);
}

/* A number as JSON: whole numbers as integers (counts stay counts), others as reals. */
static json_t *num(double v)
{
    if (v == (double)(json_int_t)v && v > -1e15 && v < 1e15) {
        return json_integer((json_int_t)v);
    }
    return json_real(v);
}

/* "surge, rising" and "a; b" as arrays of strings. */
static json_t *split_json(const char *s, const char *sep)
{
    json_t *a = json_array();
    size_t seplen = strlen(sep);
    while (a != NULL && *s != '\0') {
        const char *e = strstr(s, sep);
        size_t n = e != NULL ? (size_t)(e - s) : strlen(s);
        if (n > 0) {
            json_array_append_new(a, json_stringn(s, n));
        }
        s += n + (e != NULL ? seplen : 0);
    }
    return a;
}

static json_t *run_head(const struct platform_fc_run *r)
{
    json_t *j = json_object();
    if (j == NULL) {
        return NULL;
    }
    json_object_set_new(j, "run", json_string(r->id));
    json_object_set_new(j, "through", month_json(r->through));
    json_object_set_new(j, "model", json_string(r->model));
    json_object_set_new(j, "seed", json_integer((json_int_t)r->seed));
    json_object_set_new(j, "draws", json_integer((json_int_t)r->draws));
    json_object_set_new(j, "created", json_string(r->created));
    json_object_set_new(j, "first_month", month_json(r->through + 1));
    json_object_set_new(j, "horizon", json_integer(PLATFORM_FC_HORIZON));
    json_object_set_new(j, "source", json_string(r->source));
    return j;
}

static int get_run(struct http_req *req, struct platform_fc_run *run, const char *id, bool series)
{
    return platform_forecast_get(req->platform, run, id, series, &req->err);
}

int http__forecast_get(struct http_req *req, struct http_resp *resp)
{
    const char *id = req->nparams > 0 ? req->params[0] : "latest";
    struct platform_fc_run run;
    if (get_run(req, &run, id, false) < 0) {
        return req->err.code;
    }
    json_t *j = run_head(&run);
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < run.ncountries; i++) {
        const struct platform_fc_country *c = &run.countries[i];
        json_array_append_new(
            a, json_pack("{s:s,s:s,s:i,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "iso3", c->iso3, "name",
                         c->name, "rank", c->rank, "p_ge_25_next", num(c->p_ge_25_next),
                         "median_12m", num(c->median_12m), "lo90_12m", num(c->lo90_12m), "hi90_12m",
                         num(c->hi90_12m), "mean_12m", num(c->mean_12m), "p_ge_25_12m",
                         num(c->p_ge_25), "past_12m", num(c->past_12m)));
    }
    platform_forecast_release(&run);
    if (j != NULL) {
        json_object_set_new(j, "countries", a);
    } else {
        json_decref(a);
    }
    return http_resp_json(resp, 200, j);
}

static json_t *series_json(const struct platform_fc_run *run, const struct platform_fc_country *c)
{
    json_t *act = json_array();
    for (int i = 0; act != NULL && i < c->nactuals; i++) {
        json_array_append_new(act, json_pack("{s:o,s:o}", "month",
                                             month_json(run->through - c->nactuals + 1 + i),
                                             "deaths", num(c->actuals[i])));
    }
    json_t *fc = json_array();
    for (int m = 0; fc != NULL && m < PLATFORM_FC_HORIZON; m++) {
        const struct platform_fc_month *f = &c->fc[m];
        json_array_append_new(fc, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "month",
                                            month_json(f->month_id), "mean", num(f->mean), "q05",
                                            num(f->q05), "q25", num(f->q25), "q50", num(f->q50),
                                            "q75", num(f->q75), "q95", num(f->q95), "p_ge_25",
                                            num(f->p_ge_25)));
    }
    return json_pack("{s:o,s:o}", "actuals", act, "forecast", fc);
}

static const struct platform_fc_country *find(const struct platform_fc_run *run, const char *iso3)
{
    for (size_t i = 0; i < run->ncountries; i++) {
        if (strcmp(run->countries[i].iso3, iso3) == 0) {
            return &run->countries[i];
        }
    }
    return NULL;
}

int http__forecast_country(struct http_req *req, struct http_resp *resp)
{
    struct platform_fc_run run;
    if (get_run(req, &run, req->params[0], true) < 0) {
        return req->err.code;
    }
    const struct platform_fc_country *c = find(&run, req->params[1]);
    if (c == NULL) {
        gsi_err_set(&req->err, GSI_ENOTFOUND, "run %s has no country '%.8s' (ISO3, upper case)",
                    run.id, req->params[1]);
        platform_forecast_release(&run);
        return req->err.code;
    }
    json_t *j = series_json(&run, c);
    if (j != NULL) {
        json_object_set_new(j, "run", json_string(run.id));
        json_object_set_new(j, "iso3", json_string(c->iso3));
        json_object_set_new(j, "name", json_string(c->name));
        json_object_set_new(j, "reasons", split_json(c->reasons, "; "));
    }
    platform_forecast_release(&run);
    return http_resp_json(resp, 200, j);
}

static json_t *hotspot_json(const struct platform_fc_run *run, const struct platform_fc_country *c)
{
    char id[PLATFORM_FC_HOTSPOT_MAX];
    platform_hotspot_id(id, c->iso3, run->through);
    return json_pack("{s:s,s:i,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", id,
                     "rank", c->rank, "iso3", c->iso3, "name", c->name, "median_12m",
                     num(c->median_12m), "mean_12m", num(c->mean_12m), "lo90", num(c->lo90_12m),
                     "hi90", num(c->hi90_12m), "p_ge_25", num(c->p_ge_25), "p_ge_1000",
                     num(c->p_ge_1000), "p_ge_25_next", num(c->p_ge_25_next), "past_12m",
                     num(c->past_12m), "change", num(c->change), "alerts",
                     split_json(c->alerts, ", "), "reasons", split_json(c->reasons, "; "));
}

int http__hotspots_list(struct http_req *req, struct http_resp *resp)
{
    const char *id = req->query != NULL ? req->query(req->query_ctx, "run") : NULL;
    uint64_t limit;
    if (http_req_query_u64(&limit, req, "limit", false, PLATFORM_FC_COUNTRIES_MAX, 1,
                           PLATFORM_FC_COUNTRIES_MAX) < 0) {
        return req->err.code;
    }
    struct platform_fc_run run;
    if (get_run(req, &run, id, false) < 0) {
        return req->err.code;
    }
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < run.ncountries && i < limit; i++) {
        json_array_append_new(a, hotspot_json(&run, &run.countries[i]));
    }
    json_t *j = json_pack("{s:s,s:o,s:o}", "run", run.id, "through", month_json(run.through),
                          "hotspots", a);
    platform_forecast_release(&run);
    return http_resp_json(resp, 200, j);
}

/* The linked records, grouped by the procedure their type names ("concern.lodge" goes to
 * "concerns"); types of no known procedure go to "other". */
static json_t *links_json(const struct platform_record *recs, size_t n)
{
    static const char *const group[][2] = {
        { "concern", "concerns" },      { "notification", "notifications" },
        { "notify", "notifications" },  { "consultation", "consultations" },
        { "consult", "consultations" }, { "agreement", "agreements" }
    };
    json_t *j = json_pack("{s:[],s:[],s:[],s:[],s:[]}", "concerns", "notifications",
                          "consultations", "agreements", "other");
    for (size_t i = 0; j != NULL && i < n; i++) {
        const char *key = "other";
        for (size_t g = 0; g < sizeof group / sizeof group[0]; g++) {
            size_t len = strlen(group[g][0]);
            if (strncmp(recs[i].type, group[g][0], len) == 0 && recs[i].type[len] == '.') {
                key = group[g][1];
            }
        }
        json_array_append_new(json_object_get(j, key),
                              json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)recs[i].id, "type",
                                        recs[i].type, "party", recs[i].party, "time",
                                        recs[i].time));
    }
    return j;
}

int http__hotspot_get(struct http_req *req, struct http_resp *resp)
{
    char iso3[4];
    int through;
    if (platform_hotspot_parse(iso3, &through, req->params[0], &req->err) < 0) {
        return req->err.code;
    }
    /* The hotspot as the latest run on its data month says it. */
    char month[16];
    int y = 0, m = 0;
    gsi_month_from_id(through, &y, &m);
    snprintf(month, sizeof month, "%04d-%02d", y % 10000, m);
    struct platform_fc_run run;
    if (get_run(req, &run, month, true) < 0) {
        gsi_err_set(&req->err, GSI_ENOTFOUND, "no hotspot '%.40s': no run on data through %s",
                    req->params[0], month);
        return req->err.code;
    }
    const struct platform_fc_country *c = find(&run, iso3);
    if (c == NULL) {
        platform_forecast_release(&run);
        return gsi_err_set(&req->err, GSI_ENOTFOUND, "no hotspot '%.40s'", req->params[0]);
    }
    struct platform_delegate anon;
    struct platform_record *recs = NULL;
    size_t n = 0;
    if (platform_hotspot_links(req->platform, &recs, &n, http_viewer(req, &anon), req->params[0],
                               &req->err) < 0) {
        platform_forecast_release(&run);
        return req->err.code;
    }
    json_t *j = hotspot_json(&run, c);
    if (j != NULL) {
        json_object_set_new(j, "run", json_string(run.id));
        json_object_set_new(j, "series", series_json(&run, c));
        json_object_set_new(j, "linked", links_json(recs, n));
    }
    platform_record_list_free(recs, n);
    platform_forecast_release(&run);
    return http_resp_json(resp, 200, j);
}
