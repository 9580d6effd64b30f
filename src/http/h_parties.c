/*
 * h_parties.c — the parties: states, observer states, the UN and its organs, organisations
 * and non-state participants; an organisation's members; a party's delegates.
 */
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "platform/platform.h"

static json_t *party_json(const struct platform_party *p)
{
    return json_pack("{s:s,s:s,s:s,s:s}", "id", p->id, "kind", p->kind, "name", p->name, "region",
                     p->region);
}

json_t *http_delegate_json(const struct platform_delegate *d)
{
    /* The public face of a delegate: never anything about its token. */
    json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:b}", "id", (json_int_t)d->id, "party", d->party,
                          "role", platform_role_name(d->role), "name", d->name, "created",
                          d->created, "revoked", d->revoked);
    if (j != NULL && d->pubkey[0] != '\0') {
        json_object_set_new(j, "pubkey", json_string(d->pubkey));
    }
    if (j != NULL && d->revoked) {
        json_object_set_new(j, "revoked_at", json_string(d->revoked_at));
    }
    return j;
}

int http__parties_list(struct http_req *req, struct http_resp *resp)
{
    const char *kind = req->query != NULL ? req->query(req->query_ctx, "kind") : NULL;
    struct platform_party *list = NULL;
    size_t n = 0;
    if (platform_party_list(req->platform, &list, &n, kind, &req->err) < 0) {
        return req->err.code;
    }
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++) {
        json_array_append_new(a, party_json(&list[i]));
    }
    free(list);
    return http_resp_json(resp, 200, json_pack("{s:o}", "parties", a));
}

int http__party_get(struct http_req *req, struct http_resp *resp)
{
    struct platform_party p;
    if (platform_party_get(req->platform, &p, req->params[0], &req->err) < 0) {
        return req->err.code;
    }
    json_t *j = party_json(&p);
    if (j != NULL && strcmp(p.kind, "state") != 0 && strcmp(p.kind, "observer") != 0) {
        /* Organisations (and the UN) list their members; a state has none. */
        char(*members)[PLATFORM_ID_MAX] = NULL;
        size_t n = 0;
        if (platform_party_members(req->platform, &members, &n, p.id, &req->err) < 0) {
            json_decref(j);
            return req->err.code;
        }
        json_t *a = json_array();
        for (size_t i = 0; a != NULL && i < n; i++) {
            json_array_append_new(a, json_string(members[i]));
        }
        free(members);
        json_object_set_new(j, "members", a);
    }
    return http_resp_json(resp, 200, j);
}

int http__party_delegates(struct http_req *req, struct http_resp *resp)
{
    struct platform_party p;
    if (platform_party_get(req->platform, &p, req->params[0], &req->err) < 0) {
        return req->err.code;
    }
    struct platform_delegate *list = NULL;
    size_t n = 0;
    if (platform_delegate_list(req->platform, &list, &n, p.id, &req->err) < 0) {
        return req->err.code;
    }
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++) {
        json_array_append_new(a, http_delegate_json(&list[i]));
    }
    free(list);
    return http_resp_json(resp, 200, json_pack("{s:s,s:o}", "party", p.id, "delegates", a));
}

int http__parties_add(struct http_req *req, struct http_resp *resp)
{
    json_t *body;
    if (http_req_json(&body, req) < 0) {
        return req->err.code;
    }
    const char *id = NULL;
    const char *name = NULL;
    json_error_t je;
    if (json_unpack_ex(body, &je, JSON_STRICT, "{s:s,s:s}", "id", &id, "name", &name) < 0) {
        gsi_err_set(&req->err, GSI_EUSAGE,
                    "the body must be {\"id\": \"X-...\", \"name\": \"...\"} and nothing else: %s",
                    je.text);
        json_decref(body);
        return req->err.code;
    }
    struct platform_party p;
    int rc = platform_party_add(req->platform, &p, req->auth, id, name, &req->err);
    json_decref(body);
    if (rc < 0) {
        return rc;
    }
    snprintf(resp->location, sizeof resp->location, "/v1/parties/%s", p.id);
    return http_resp_json(resp, 201, party_json(&p));
}
