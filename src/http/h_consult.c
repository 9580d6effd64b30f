/*
 * h_consult.c — what consultations and agreements add to the generic procedure routes
 * (h_proc.c):
 *
 *   GET  /v1/consultations/{id}/consensus            the live consensus view (consult_live.h)
 *   POST /v1/consultations/{id}/participants         a member of the public registers in an
 *                                                    open consultation: {"name"} → its token
 *   POST /v1/consultations/{id}/public/{verb}        its statement or vote, {"token", ...}
 *   GET  /v1/consultations/{id}/proposals            proposals, positions and outcomes
 *   GET  /v1/agreements/{id}/bytes                   the canonical bytes to sign (text/plain)
 *   GET  /v1/agreements/{id}/bundle                  the offline-verifiable bundle (text/plain)
 *
 * Each first checks that the viewer may see the case (a confidential one is 404 to others).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/handlers.h"
#include "platform/consult.h"
#include "platform/consult_live.h"
#include "platform/platform.h"
#include "platform/proc.h"

/* 0 when the case `id` of `proc` exists and the request's viewer may see it. */
static int visible(struct http_req *req, const struct platform_proc *proc, int64_t *id)
{
    if (http_req_param_id(id, req, proc->name) < 0) {
        return req->err.code;
    }
    struct platform_delegate anon;
    struct platform_proc_case c;
    if (platform_proc_get(req->platform, &c, http_viewer(req, &anon), proc, *id, 0, &req->err) <
        0) {
        return req->err.code;
    }
    platform_proc_case_release(&c);
    return 0;
}

int http__consult_consensus(struct http_req *req, struct http_resp *resp)
{
    int64_t id;
    if (visible(req, &platform_proc_consultation, &id) < 0) {
        return req->err.code;
    }
    char *json = NULL;
    size_t len = 0;
    if (platform_consult_live_view(req->platform, id, &json, &len, &req->err) < 0) {
        return req->err.code;
    }
    gsi_buf_release(&resp->body);
    int rc = gsi_buf_append(&resp->body, json, len);
    free(json);
    if (rc < 0) {
        return gsi_err_set(&req->err, rc, "the view is too large to send");
    }
    resp->status = 200;
    resp->content_type = "application/json";
    return 0;
}

int http__consult_proposals(struct http_req *req, struct http_resp *resp)
{
    int64_t id;
    if (visible(req, &platform_proc_consultation, &id) < 0) {
        return req->err.code;
    }
    gsi_buf_reset(&resp->body);
    if (platform_consult_proposals_json(req->platform, &resp->body, id, &req->err) < 0) {
        return req->err.code;
    }
    resp->status = 200;
    resp->content_type = "application/json";
    return 0;
}

int http__consult_register(struct http_req *req, struct http_resp *resp)
{
    int64_t id;
    if (visible(req, &platform_proc_consultation, &id) < 0) {
        return req->err.code;
    }
    json_t *body;
    if (http_req_json(&body, req) < 0) {
        return req->err.code;
    }
    const char *name = json_string_value(json_object_get(body, "name"));
    char token[CONSULT_PUBLIC_TOKEN_MAX];
    int64_t part = 0;
    int rc = name == NULL ? gsi_err_set(&req->err, GSI_EDATA, "/name: expected a string")
                          : platform_consult_public_register(req->platform, token, &part, id, name,
                                                             req->client_addr, (int64_t)time(NULL),
                                                             &req->err);
    json_decref(body);
    if (rc < 0) {
        return rc;
    }
    rc = http_resp_json(resp, 201,
                        json_pack("{s:I,s:I,s:s}", "consultation", (json_int_t)id, "participant",
                                  (json_int_t)part, "token", token));
    memset(token, 0, sizeof token);
    return rc;
}

int http__consult_public_act(struct http_req *req, struct http_resp *resp)
{
    int64_t id;
    if (http_req_param_id(&id, req, "consultation") < 0) {
        return req->err.code;
    }
    json_t *body;
    if (http_req_json(&body, req) < 0) {
        return req->err.code;
    }
    const char *token = json_string_value(json_object_get(body, "token"));
    const char *verb = strrchr(req->path, '/') + 1;
    struct platform_proc_receipt r;
    int rc = token == NULL
                 ? gsi_err_set(&req->err, GSI_EAUTH, "/token: the participant token is required")
                 : platform_consult_public_act(req->platform, &r, id, token, verb, req->body,
                                               req->body_len, &req->err);
    json_decref(body);
    if (rc < 0) {
        return rc;
    }
    return http_resp_json(resp, 201,
                          json_pack("{s:I,s:s,s:I,s:I,s:s}", "case", (json_int_t)r.case_id, "act",
                                    verb, "record", (json_int_t)r.act.record_id, "index",
                                    (json_int_t)r.act.index, "leaf_hash", r.act.leaf_hash));
}

/* The agreement's bytes or bundle as text/plain. */
static int agreement_text(struct http_req *req, struct http_resp *resp, bool bundle)
{
    int64_t id;
    if (visible(req, &platform_proc_agreement, &id) < 0) {
        return req->err.code;
    }
    gsi_buf_reset(&resp->body);
    int rc = bundle ? platform_consult_agreement_export(req->platform, &resp->body, id, &req->err)
                    : platform_consult_agreement_bytes(req->platform, &resp->body, id, &req->err);
    if (rc < 0) {
        return rc;
    }
    resp->status = 200;
    resp->content_type = "text/plain; charset=utf-8";
    return 0;
}

int http__agreement_bytes(struct http_req *req, struct http_resp *resp)
{
    return agreement_text(req, resp, false);
}

int http__agreement_bundle(struct http_req *req, struct http_resp *resp)
{
    return agreement_text(req, resp, true);
}
