/* h_health.c — GET /v1/health: is the server up, and is its database answering. */
#include "gsi_config.h"
#include "http/handlers.h"
#include "platform/platform.h"

int h_health(struct http_req *req, struct http_resp *resp)
{
    json_t *j = json_pack("{s:s,s:s}", "status", "ok", "version", GSI_VERSION);
    if (j != NULL && req->platform != NULL) {
        uint64_t size;
        if (platform_journal_size(req->platform, &size, &req->err) < 0) {
            json_decref(j);
            return req->err.code;
        }
        json_object_set_new(j, "backend", json_string(platform_backend(req->platform)));
        json_object_set_new(j, "journal_size", json_integer((json_int_t)size));
    }
    return http_resp_json(resp, 200, j);
}
