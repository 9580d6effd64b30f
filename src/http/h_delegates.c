/*
 * h_delegates.c — who is calling (/v1/me), a delegate's public record, and revoking one's
 * own token. Delegates are added from the command line (`gsi delegate add`), which prints the
 * token once; the API never shows a token.
 */
#include "http/handlers.h"
#include "platform/platform.h"

int http__me(struct http_req *req, struct http_resp *resp)
{
    json_t *j = http_delegate_json(req->auth);
    if (j != NULL) {
        json_object_set_new(j, "party_name", json_string(req->auth_party->name));
    }
    return http_resp_json(resp, 200, j);
}

int http__delegate_get(struct http_req *req, struct http_resp *resp)
{
    int64_t id;
    struct platform_delegate d;
    if (http_req_param_id(&id, req, "delegate") < 0 ||
        platform_delegate_get(req->platform, &d, id, &req->err) < 0) {
        return req->err.code;
    }
    return http_resp_json(resp, 200, http_delegate_json(&d));
}

int http__delegate_revoke(struct http_req *req, struct http_resp *resp)
{
    int64_t id;
    if (http_req_param_id(&id, req, "delegate") < 0) {
        return req->err.code;
    }
    /* Over the API a delegate may revoke only its own token (a leaked token is revoked by
     * whoever holds it); revoking others is the administrator's, on the command line. */
    if (id != req->auth->id) {
        return gsi_err_set(&req->err, GSI_EFORBIDDEN,
                           "a delegate may revoke only its own token (it is delegate %lld)",
                           (long long)req->auth->id);
    }
    struct platform_delegate d;
    if (platform_delegate_revoke(req->platform, id, &req->err) < 0 ||
        platform_delegate_get(req->platform, &d, id, &req->err) < 0) {
        return req->err.code;
    }
    return http_resp_json(resp, 200, http_delegate_json(&d));
}
