/* h_health.c — GET /v1/health: is the server up, and is its database answering. */
#include "gsi_config.h"
#include "http/handlers.h"
#include "platform/platform.h"

int http__health(struct http_req *req, struct http_resp *resp)
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
        /* Reads may still work while writes fail: say so, with 503, so that a monitor
         * (or a load balancer) notices. The store's own message, which may hold SQL, is
         * for the log, not for this public route. */
        char why[GSI_ERR_MSG_MAX];
        bool writable = platform_store_writable(req->platform, why, sizeof why);
        json_object_set_new(j, "writable", json_boolean(writable));
        if (!writable) {
            json_object_set_new(j, "status", json_string("degraded"));
            json_object_set_new(j, "problem",
                                json_string("the store refuses writes (read-only, full or "
                                            "unreachable); the server's log has the details"));
            return http_resp_json(resp, 503, j);
        }
    }
    return http_resp_json(resp, 200, j);
}
