/*
 * h_proc.c — the generic handlers of every procedure (concerns, notifications, ...): the route
 * table points each procedure's paths here, and the procedure is found from the path's first
 * segment after /v1/ (its `path` in the platform's table), the act from the last.
 *
 *   POST /v1/<path>               opens a case (the body is the payload; "type" picks the
 *                                 opening act when the procedure has several)
 *   POST /v1/<path>/{id}/<verb>   performs act <verb> on case {id}
 *   GET  /v1/<path>               lists cases (?party= &overdue=true &state= &type= &domain=
 *                                 &at= &since= &after= &limit=), with an ETag
 *   GET  /v1/<path>/{id}          one case, its parties, deadlines and acts
 */
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "platform/platform.h"
#include "platform/proc.h"

#define PROC_PAGE_DEFAULT 100u

const struct platform_delegate *http_viewer(const struct http_req *req,
                                            struct platform_delegate *anon)
{
    if (req->auth != NULL) {
        return req->auth;
    }
    memset(anon, 0, sizeof *anon);
    anon->id = -1;
    anon->role = PLATFORM_ROLE_OBSERVER;
    anon->revoked = true;
    return anon;
}

/* The procedure served at the path after "/v1/": the one whose `path` is its first two
 * segments ("cooperation/offers"), or else its first one ("concerns"). */
static const struct platform_proc *proc_of(struct http_req *req)
{
    const char *s = req->path + strlen("/v1/");
    size_t one = strcspn(s, "/");
    size_t two = s[one] == '/' ? one + 1 + strcspn(s + one + 1, "/") : one;
    const struct platform_proc *proc = NULL;
    for (int k = 0; k < 2 && proc == NULL; k++) {
        char seg[64];
        size_t n = k == 0 ? two : one;
        snprintf(seg, sizeof seg, "%.*s", (int)(n < sizeof seg - 1 ? n : sizeof seg - 1), s);
        proc = platform_proc_find(seg);
    }
    if (proc == NULL) {
        gsi_err_set(&req->err, GSI_ENOTFOUND, "no procedure at %s", req->path);
    }
    return proc;
}

static json_t *time_json(int64_t us)
{
    char t[PLATFORM_TIME_MAX];
    platform_proc_time_format(t, us);
    return json_string(t);
}

static json_t *case_json(const struct platform_proc_case *c)
{
    json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:i,s:I}", "id", (json_int_t)c->id,
                          "kind", c->kind, "type", c->subtype, "owner", c->owner, "state", c->state,
                          "confidential", c->confidential, "title", c->title, "domain", c->domain,
                          "version", c->version, "last_record", (json_int_t)c->last_record);
    if (j == NULL) {
        return NULL;
    }
    json_object_set_new(j, "opened", time_json(c->opened_us));
    json_object_set_new(j, "updated", time_json(c->updated_us));
    json_t *data = json_loads(c->data != NULL ? c->data : "{}", 0, NULL);
    json_object_set_new(j, "data", data != NULL ? data : json_object());
    json_t *parties = json_array();
    json_t *overdue = json_array();
    for (size_t i = 0; i < c->nparties; i++) {
        const struct platform_proc_party *pp = &c->parties[i];
        json_t *o = json_pack("{s:s,s:s,s:b}", "party", pp->party, "state", pp->state, "overdue",
                              pp->overdue);
        if (o != NULL && pp->due_us != 0) {
            json_object_set_new(o, "due", time_json(pp->due_us));
            json_object_set_new(o, "due_what", json_string(pp->due_what));
        }
        json_array_append_new(parties, o);
        if (pp->overdue) {
            json_array_append_new(overdue, json_string(pp->party));
        }
    }
    json_object_set_new(j, "parties", parties);
    json_object_set_new(j, "overdue", overdue);
    if (c->acts != NULL) {
        json_t *acts = json_array();
        for (size_t i = 0; i < c->nacts; i++) {
            json_t *a = json_pack("{s:I,s:s,s:s}", "record", (json_int_t)c->acts[i].record_id,
                                  "type", c->acts[i].type, "party", c->acts[i].party);
            if (a != NULL) {
                json_object_set_new(a, "time", time_json(c->acts[i].time_us));
            }
            json_array_append_new(acts, a);
        }
        json_object_set_new(j, "acts", acts);
    }
    return j;
}

/* Reads a time query argument (RFC 3339 UTC); 0 when absent. */
static int query_time(int64_t *us, struct http_req *req, const char *name)
{
    const char *v = req->query != NULL ? req->query(req->query_ctx, name) : NULL;
    *us = 0;
    if (v != NULL && platform_time_parse(us, v, strlen(v)) < 0) {
        return gsi_err_set(&req->err, GSI_EUSAGE,
                           "query argument '%s' must be an RFC 3339 UTC time such as "
                           "2026-12-03T09:00:00Z",
                           name);
    }
    return 0;
}

static const char *query_str(struct http_req *req, const char *name)
{
    return req->query != NULL ? req->query(req->query_ctx, name) : NULL;
}

int http__proc_list(struct http_req *req, struct http_resp *resp)
{
    const struct platform_proc *proc = proc_of(req);
    if (proc == NULL) {
        return req->err.code;
    }
    struct platform_proc_query q;
    memset(&q, 0, sizeof q);
    q.party = query_str(req, "party");
    q.state = query_str(req, "state");
    q.subtype = query_str(req, "type");
    q.domain = query_str(req, "domain");
    const char *od = query_str(req, "overdue");
    if (od != NULL && strcmp(od, "true") != 0 && strcmp(od, "false") != 0) {
        return gsi_err_set(&req->err, GSI_EUSAGE, "query argument 'overdue' must be true or false");
    }
    q.overdue = od != NULL && strcmp(od, "true") == 0;
    uint64_t after;
    uint64_t limit;
    if (query_time(&q.at_us, req, "at") < 0 || query_time(&q.since_us, req, "since") < 0 ||
        http_req_query_u64(&after, req, "after", false, 0, 0, INT64_MAX) < 0 ||
        http_req_query_u64(&limit, req, "limit", false, PROC_PAGE_DEFAULT, 1,
                           PLATFORM_PROC_LIST_MAX) < 0) {
        return req->err.code;
    }
    q.after = (int64_t)after;
    q.limit = (size_t)limit;
    struct platform_delegate anon;
    struct platform_proc_case *list = NULL;
    size_t n = 0;
    if (platform_proc_list(req->platform, &list, &n, http_viewer(req, &anon), proc, &q, &req->err) <
        0) {
        return req->err.code;
    }
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++) {
        json_array_append_new(a, case_json(&list[i]));
    }
    const char *key = strrchr(proc->path, '/'); /* "cooperation/offers" lists as "offers" */
    json_t *j = json_pack("{s:o}", key != NULL ? key + 1 : proc->path, a);
    if (j != NULL && n == q.limit) {
        json_object_set_new(j, "next_after", json_integer((json_int_t)list[n - 1].last_record));
    }
    platform_proc_case_list_free(list, n);
    int rc = http_resp_json(resp, 200, j);
    if (rc == 0) {
        http_resp_etag(resp, req);
    }
    return rc;
}

int http__proc_get(struct http_req *req, struct http_resp *resp)
{
    const struct platform_proc *proc = proc_of(req);
    int64_t id;
    int64_t at;
    if (proc == NULL || http_req_param_id(&id, req, proc->name) < 0 ||
        query_time(&at, req, "at") < 0) {
        return req->err.code;
    }
    struct platform_delegate anon;
    struct platform_proc_case c;
    if (platform_proc_get(req->platform, &c, http_viewer(req, &anon), proc, id, at, &req->err) <
        0) {
        return req->err.code;
    }
    json_t *j = case_json(&c);
    platform_proc_case_release(&c);
    int rc = http_resp_json(resp, 200, j);
    if (rc == 0) {
        http_resp_etag(resp, req);
    }
    return rc;
}

/* Performs `type` on case `id` (type NULL: opens a case) with the request body as payload. */
static int act(struct http_req *req, struct http_resp *resp, const struct platform_proc *proc,
               const char *type, int64_t id)
{
    struct platform_proc_receipt r;
    const char *body = req->body != NULL && req->body_len > 0 ? req->body : "{}";
    size_t len = req->body != NULL && req->body_len > 0 ? req->body_len : 2;
    int rc =
        type == NULL
            ? platform_proc_open(req->platform, &r, req->auth, proc, body, len, &req->err)
            : platform_proc_act(req->platform, &r, req->auth, proc, type, id, body, len, &req->err);
    if (rc < 0) {
        return req->err.code;
    }
    char act_type[PLATFORM_TYPE_MAX];
    snprintf(act_type, sizeof act_type, "%s", r.act_type);
    snprintf(resp->location, sizeof resp->location, "/v1/%s/%lld", proc->path,
             (long long)r.case_id);
    return http_resp_json(resp, 201,
                          json_pack("{s:I,s:s,s:I,s:I,s:s,s:s,s:I}", "case", (json_int_t)r.case_id,
                                    "act", act_type, "record", (json_int_t)r.act.record_id, "index",
                                    (json_int_t)r.act.index, "time", r.act.time, "leaf_hash",
                                    r.act.leaf_hash, "tree_size", (json_int_t)r.act.tree_size));
}

int http__proc_open(struct http_req *req, struct http_resp *resp)
{
    const struct platform_proc *proc = proc_of(req);
    if (proc == NULL) {
        return req->err.code;
    }
    return act(req, resp, proc, NULL, 0);
}

int http__proc_act(struct http_req *req, struct http_resp *resp)
{
    const struct platform_proc *proc = proc_of(req);
    int64_t id;
    if (proc == NULL || http_req_param_id(&id, req, proc->name) < 0) {
        return req->err.code;
    }
    const char *verb = strrchr(req->path, '/') + 1;
    char type[PLATFORM_TYPE_MAX];
    snprintf(type, sizeof type, "%s.%.40s", proc->name, verb);
    return act(req, resp, proc, type, id);
}
