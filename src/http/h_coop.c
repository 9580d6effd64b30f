/*
 * h_coop.c — cooperation's own routes beside the generic procedure handlers:
 *
 *   POST /v1/cooperation/offers, /v1/cooperation/requests, …/{id}/amend, …/{id}/withdraw
 *        the procedure's acts (h_proc.c), then the allocation re-run and journalled
 *        (a "cooperation.allocation" record by the same delegate)
 *   GET  /v1/cooperation/matches      ?request= &top= (default 3, 0: all) &compatible=true
 *   GET  /v1/cooperation/allocations  the max-min fair allocation of the open offers' places
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "platform/platform_coop.h"

/* After an act that committed: the allocation again, journalled. Its failure does not undo
 * the act (already answered for by its commit); it is logged, and the next act or a reader
 * of /v1/cooperation/allocations recomputes it from the acts. */
static void reallocate(struct http_req *req)
{
    struct platform_receipt r;
    struct gsi_err err = GSI_ERR_INIT;
    if (req->auth != NULL &&
        platform_coop_reallocate(req->platform, &r, req->auth, req->auth->party, &err) < 0) {
        fprintf(stderr, "gsi serve: cooperation: the allocation was not journalled: %s\n", err.msg);
    }
}

int http__coop_open(struct http_req *req, struct http_resp *resp)
{
    int rc = http__proc_open(req, resp);
    if (rc == 0) {
        reallocate(req);
    }
    return rc;
}

int http__coop_act(struct http_req *req, struct http_resp *resp)
{
    int rc = http__proc_act(req, resp);
    if (rc == 0) {
        reallocate(req);
    }
    return rc;
}

static json_t *reasons_json(unsigned why)
{
    static const char *const names[] = { "domain", "language", "region", "dates" };
    json_t *a = json_array();
    for (unsigned i = 0; i < 4; i++) {
        if (why >> i & 1u) {
            json_array_append_new(a, json_string(names[i]));
        }
    }
    return a;
}

int http__coop_matches(struct http_req *req, struct http_resp *resp)
{
    uint64_t request;
    uint64_t top;
    const char *c = req->query != NULL ? req->query(req->query_ctx, "compatible") : NULL;
    if (http_req_query_u64(&request, req, "request", false, 0, 1, INT64_MAX) < 0 ||
        http_req_query_u64(&top, req, "top", false, 3, 0, 1000) < 0) {
        return req->err.code;
    }
    if (c != NULL && strcmp(c, "true") != 0 && strcmp(c, "false") != 0) {
        return gsi_err_set(&req->err, GSI_EUSAGE,
                           "query argument 'compatible' must be true or false");
    }
    struct platform_coop_match *m = NULL;
    size_t n = 0;
    int64_t as_of = 0;
    if (platform_coop_matches(req->platform, &m, &n, (int64_t)request, (size_t)top,
                              c != NULL && strcmp(c, "true") == 0, &as_of, &req->err) < 0) {
        return req->err.code;
    }
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++) {
        json_array_append_new(a, json_pack("{s:I,s:s,s:I,s:s,s:i,s:i,s:o,s:o}", "request",
                                           (json_int_t)m[i].request, "party", m[i].party, "offer",
                                           (json_int_t)m[i].offer, "offered_by", m[i].offered_by,
                                           "rank", m[i].rank, "places", (int)m[i].places, "reasons",
                                           reasons_json(m[i].reasons), "missing",
                                           reasons_json(COOP_REASON_ALL & ~m[i].reasons)));
    }
    free(m);
    return http_resp_json(resp, 200,
                          json_pack("{s:I,s:o}", "as_of", (json_int_t)as_of, "matches", a));
}

int http__coop_allocations(struct http_req *req, struct http_resp *resp)
{
    struct platform_coop_result r;
    if (platform_coop_result_get(req->platform, &r, &req->err) < 0) {
        return req->err.code;
    }
    json_t *shares = json_array();
    for (size_t i = 0; shares != NULL && i < r.nshares; i++) {
        json_array_append_new(shares, json_pack("{s:s,s:I,s:I}", "party", r.shares[i].party,
                                                "requested", (json_int_t)r.shares[i].requested,
                                                "allocated", (json_int_t)r.shares[i].allocated));
    }
    json_t *grants = json_array();
    for (size_t i = 0; grants != NULL && i < r.ngrants; i++) {
        json_array_append_new(
            grants, json_pack("{s:I,s:s,s:I,s:i}", "request", (json_int_t)r.grants[i].request,
                              "party", r.grants[i].party, "offer", (json_int_t)r.grants[i].offer,
                              "places", (int)r.grants[i].places));
    }
    json_t *j = json_pack("{s:I,s:I,s:o,s:o}", "as_of", (json_int_t)r.as_of, "allocated",
                          (json_int_t)r.allocated, "shares", shares, "grants", grants);
    platform_coop_result_release(&r);
    int rc = http_resp_json(resp, 200, j);
    if (rc == 0) {
        http_resp_etag(resp, req);
    }
    return rc;
}
