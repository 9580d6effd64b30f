/*
 * h_log.c — the journal as a C2SP tlog-tiles log under /log/: the signed checkpoint and the
 * hash tiles and entry bundles (journal/tile.h), byte for byte what `gsi journal export-tiles`
 * writes, so any static server or cache can stand in for this one.
 */
#include <stdio.h>
#include <string.h>

#include "http/handlers.h"
#include "journal/tile.h"
#include "platform/platform.h"

/* A full tile never changes; a partial tile of width W never changes either (its hashes are
 * complete subtrees), but a log may drop it once the full tile exists, so it is cached for a
 * day only. */
#define CACHE_FULL    "public, max-age=31536000, immutable"
#define CACHE_PARTIAL "public, max-age=86400"

int http__log_checkpoint(struct http_req *req, struct http_resp *resp)
{
    /* With witnesses, the checkpoint as last submitted to them, with the cosignatures they
     * returned; without, the latest one the log signed. */
    int rc = platform_journal_cosigned(req->platform, &resp->body, &req->err);
    if (rc == GSI_ENOTFOUND) {
        rc = platform_journal_checkpoint(req->platform, &resp->body, &req->err);
    }
    if (rc < 0) {
        return rc;
    }
    resp->status = 200;
    resp->content_type = "text/plain; charset=utf-8";
    return 0;
}

int http__log_tile(struct http_req *req, struct http_resp *resp)
{
    char path[HTTP_PARAM_LEN_MAX + 8];
    int n = snprintf(path, sizeof path, "tile/%s", req->params[0]);
    struct journal_tile t;
    if (n < 0 || (size_t)n >= sizeof path ||
        journal_tile_path_parse(&t, path, (size_t)n, &req->err) < 0) {
        /* No resource has a malformed name. */
        return gsi_err_set(&req->err, GSI_ENOTFOUND, "no tile '%s': %s", path, req->err.msg);
    }
    bool full = false;
    if (platform_journal_tile(req->platform, &resp->body, t.level, t.index, t.width, &full,
                              &req->err) < 0) {
        return req->err.code;
    }
    resp->status = 200;
    resp->content_type = "application/octet-stream";
    resp->cache_control = full ? CACHE_FULL : CACHE_PARTIAL;
    return 0;
}
