/*
 * h_witness.c — POST /add-checkpoint, C2SP tlog-witness: this server cosigns another log's
 * checkpoint once it is consistent with the last one it cosigned (platform_witness.c).
 */
#include <time.h>

#include "http/handlers.h"
#include "platform/platform.h"

int http__witness_add_checkpoint(struct http_req *req, struct http_resp *resp)
{
    int rc = platform_witness_add_checkpoint(req->platform, &resp->body,
                                             req->body != NULL ? req->body : "", req->body_len,
                                             (int64_t)time(NULL), &req->err);
    if (rc == GSI_ECONFLICT) {
        /* The spec's answer to a stale old size or a fork: the size held, as text. */
        resp->status = 409;
        resp->content_type = "text/x.tlog.size";
        return 0;
    }
    if (rc < 0) {
        gsi_buf_reset(&resp->body);
        return rc;
    }
    resp->status = 200;
    resp->content_type = "text/plain; charset=utf-8";
    return 0;
}
