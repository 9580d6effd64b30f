/* resp.c — building responses and reading request bodies and queries (see route.h). */
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "http/route.h"

void http_resp_init(struct http_resp *resp)
{
    resp->status = 200;
    resp->content_type = "application/json";
    gsi_buf_init(&resp->body, HTTP_RESP_MAX);
    resp->static_body = NULL;
    resp->static_len = 0;
    resp->location[0] = '\0';
    resp->cache_control = NULL;
    resp->etag[0] = '\0';
}

void http_resp_release(struct http_resp *resp)
{
    gsi_buf_release(&resp->body);
}

/* jansson's json_dump_callback writes in pieces; each goes into the capped buffer. */
static int dump_cb(const char *buffer, size_t size, void *data)
{
    return gsi_buf_append(data, buffer, size) < 0 ? -1 : 0;
}

int http_resp_json(struct http_resp *resp, int status, json_t *json)
{
    if (json == NULL) {
        return http_resp_error(resp, GSI_ENOMEM, "out of memory building the response");
    }
    gsi_buf_reset(&resp->body);
    resp->static_body = NULL;
    /* 15 significant digits: a stored figure such as 0.123 goes out as 0.123, not as the
     * 17-digit form of its binary value. */
    int rc = json_dump_callback(json, dump_cb, &resp->body,
                                JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(15));
    json_decref(json);
    if (rc != 0 || gsi_buf_putc(&resp->body, '\n') < 0) {
        /* The server's own failure, not the client's: 413 is for request bodies, and the
         * pages of a list are sized to fit, so this is a 500. */
        return http_resp_error(resp, GSI_EINTERNAL, "the response is larger than the server sends");
    }
    resp->status = status;
    resp->content_type = "application/json";
    return 0;
}

int http_resp_error_status(struct http_resp *resp, int status, const char *code, const char *msg)
{
    gsi_buf_reset(&resp->body);
    resp->static_body = NULL;
    resp->location[0] = '\0';
    resp->status = status;
    resp->content_type = "application/json";
    json_t *j = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg);
    int rc = -1;
    if (j != NULL) {
        rc = json_dump_callback(j, dump_cb, &resp->body, JSON_COMPACT | JSON_ENSURE_ASCII);
        json_decref(j);
    }
    if (rc != 0) {
        /* Out of memory, or a message that is not UTF-8: a fixed body still says what
         * the status says. */
        gsi_buf_reset(&resp->body);
        gsi_buf_appendf(&resp->body, "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}", code,
                        "the error message could not be encoded");
    }
    gsi_buf_putc(&resp->body, '\n');
    return 0;
}

int http_resp_error(struct http_resp *resp, int code, const char *msg)
{
    return http_resp_error_status(resp, gsi_err_http_status(code), gsi_err_name(code), msg);
}

int http_resp_from_err(struct http_resp *resp, const struct gsi_err *err)
{
    int code = err->code < 0 ? err->code : GSI_EINTERNAL;
    const char *msg = err->msg[0] != '\0' ? err->msg : gsi_err_describe(code);
    if (gsi_err_http_status(code) >= 500) {
        /* The server's own failure: its message may hold SQL, paths or a library's words,
         * which are for the operator's log (the server writes it there), not the client. */
        return http_resp_error(resp, code,
                               code == GSI_EDB
                                   ? "the database could not complete the request; the "
                                     "server's log has the details"
                                   : "the server could not complete the request; its log has "
                                     "the details");
    }
    if (err->line <= 0) {
        return http_resp_error(resp, code, msg);
    }
    /* Where in the body the error is, as numbers a client can point at. */
    json_t *j = json_pack("{s:{s:s,s:s,s:I,s:I}}", "error", "code", gsi_err_name(code), "message",
                          msg, "line", (json_int_t)err->line, "column", (json_int_t)err->column);
    if (j == NULL) {
        return http_resp_error(resp, code, msg);
    }
    return http_resp_json(resp, gsi_err_http_status(code), j);
}

int http_req_json(json_t **out, struct http_req *req)
{
    *out = NULL;
    if (req->body == NULL || req->body_len == 0) {
        return gsi_err_set(&req->err, GSI_EUSAGE, "the request needs a JSON object as its body");
    }
    json_error_t je;
    /* JSON_REJECT_DUPLICATES: two values for one key would make the act ambiguous. */
    json_t *j = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &je);
    if (j == NULL) {
        gsi_err_set(&req->err, GSI_EUSAGE, "malformed JSON at line %d, column %d (byte %d): %s",
                    je.line, je.column, je.position, je.text);
        req->err.line = je.line;
        req->err.column = je.column;
        return GSI_EUSAGE;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        return gsi_err_set(&req->err, GSI_EUSAGE, "the request body must be a JSON object");
    }
    *out = j;
    return 0;
}

/* Parses `s` as an integer in canonical decimal: digits only, no leading zero but in "0" itself.
 * "007" and "7" would otherwise name the same row or page under two spellings. */
static int parse_canonical_u64(uint64_t *out, const char *s)
{
    size_t n = strlen(s);
    if (n > 1 && s[0] == '0') {
        return GSI_EDATA;
    }
    return gsi_parse_u64(out, s, n);
}

int http_req_query_u64(uint64_t *out, struct http_req *req, const char *name, bool required,
                       uint64_t dflt, uint64_t lo, uint64_t hi)
{
    const char *v = req->query != NULL ? req->query(req->query_ctx, name) : NULL;
    if (v == NULL) {
        if (required) {
            return gsi_err_set(&req->err, GSI_EUSAGE, "query argument '%s' is required", name);
        }
        *out = dflt;
        return 0;
    }
    uint64_t x;
    if (parse_canonical_u64(&x, v) < 0 || x < lo || x > hi) {
        return gsi_err_set(&req->err, GSI_EUSAGE,
                           "query argument '%s' must be an integer from %llu to %llu, in digits "
                           "without a sign or a leading zero",
                           name, (unsigned long long)lo, (unsigned long long)hi);
    }
    *out = x;
    return 0;
}

int http_req_param_id(int64_t *id, struct http_req *req, const char *what)
{
    const char *s = req->params[0];
    uint64_t v;
    *id = 0;
    if (parse_canonical_u64(&v, s) < 0 || v == 0 || v > INT64_MAX) {
        return gsi_err_set(&req->err, GSI_ENOTFOUND, "no %s '%s'", what, s);
    }
    *id = (int64_t)v;
    return 0;
}

void http_resp_etag(struct http_resp *resp, const struct http_req *req)
{
    if (resp->status != 200 || resp->static_body != NULL) {
        return;
    }
    /* FNV-1a (64 bits) of the exact body: the same bytes, the same tag; a client polling a
     * feed learns "unchanged" from a 304 without the body. */
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < resp->body.len; i++) {
        h ^= (unsigned char)resp->body.data[i];
        h *= 1099511628211ULL;
    }
    snprintf(resp->etag, sizeof resp->etag, "\"%016llx-%zu\"", (unsigned long long)h,
             resp->body.len);
    if (req->if_none_match == NULL) {
        return;
    }
    /* If-None-Match is a list of tags (RFC 9110 13.1.2), or "*". */
    const char *m = req->if_none_match;
    if (strcmp(m, "*") == 0 || strstr(m, resp->etag) != NULL) {
        resp->status = 304;
        gsi_buf_reset(&resp->body);
    }
}
