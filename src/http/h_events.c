/*
 * h_events.c — GET /v1/events/countries/{iso3}/trend: a country's event counts as loaded by
 * `gsi events load` (platform/events_store.h), by month or by day, with cooperation (CAMEO
 * quad classes 1 and 2) and conflict (3 and 4) apart and the mean Goldstein score.
 */
#include <string.h>

#include "http/handlers.h"
#include "platform/events_store.h"
#include "platform/platform.h"

static json_t *period_json(const struct platform_ev_period *e)
{
    json_int_t coop = (json_int_t)e->quad[0] + (json_int_t)e->quad[1];
    json_int_t conflict = (json_int_t)e->quad[2] + (json_int_t)e->quad[3];
    json_t *j = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "period", e->period, "events",
                          (json_int_t)e->events, "cooperation", coop, "conflict", conflict, "q1",
                          (json_int_t)e->quad[0], "q2", (json_int_t)e->quad[1], "q3",
                          (json_int_t)e->quad[2], "q4", (json_int_t)e->quad[3]);
    if (j != NULL) {
        /* Tenths summed exactly; the mean is their quotient, null for no event. */
        json_object_set_new(j, "goldstein_mean",
                            e->events > 0
                                ? json_real((double)e->goldstein_tenths / 10.0 / (double)e->events)
                                : json_null());
    }
    return j;
}

int http__events_trend(struct http_req *req, struct http_resp *resp)
{
    const char *by = req->query(req->query_ctx, "by");
    const char *source = req->query(req->query_ctx, "source");
    if (by != NULL && strcmp(by, "month") != 0 && strcmp(by, "day") != 0) {
        return gsi_err_set(&req->err, GSI_EUSAGE, "by must be month or day, not '%.20s'", by);
    }
    if (source == NULL) {
        source = "gdelt";
    }
    bool by_month = by == NULL || strcmp(by, "month") == 0;
    struct platform_ev_period *t = NULL;
    size_t n = 0;
    int64_t files = 0;
    int64_t events = 0;
    if (platform_events_files(req->platform, &files, &events, source, &req->err) < 0 ||
        platform_events_trend(req->platform, &t, &n, req->params[0], source, by_month, &req->err) <
            0) {
        return req->err.code;
    }
    json_t *list = json_array();
    for (size_t i = 0; list != NULL && i < n; i++) {
        json_array_append_new(list, period_json(&t[i]));
    }
    free(t);
    json_t *j = json_pack("{s:s,s:s,s:s,s:I,s:I,s:o}", "iso3", req->params[0], "source", source,
                          "by", by_month ? "month" : "day", "files", (json_int_t)files,
                          "events_loaded", (json_int_t)events, "periods", list);
    return http_resp_json(resp, 200, j);
}
