/* reply.c — a response as the bytes to send: the status line, the fields, the body
 * (see internal.h). Every response is written whole with its Content-Length. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "http/assets.h"
#include "http/internal.h"

/* RFC 9110 section 15's reason phrases for the statuses the server sends. */
static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 412:
        return "Precondition Failed";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 422:
        return "Unprocessable Content";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

/* A capped writer into c->out_head. */
struct head_w {
    char *p;
    size_t len, cap;
};

static void put(struct head_w *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct head_w *w, const char *fmt, ...)
{
    if (w->len >= w->cap) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(w->p + w->len, w->cap - w->len, fmt, ap);
    va_end(ap);
    w->len = n < 0 ? w->cap : w->len + (size_t)n;
}

/* The fields of a dashboard file (docs/internals/http.md, "The dashboard's files"): the
 * policy forbids any request outside this server, so the page cannot load a script, style,
 * font or image from elsewhere by mistake. */
static void asset_fields(struct head_w *w, bool gz)
{
    put(w, "Vary: Accept-Encoding\r\n"
           "Content-Security-Policy: default-src 'self'; img-src 'self' data:; "
           "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'\r\n");
    if (gz) {
        put(w, "Content-Encoding: gzip\r\n");
    }
}

void http__reply_build(struct http_conn *c)
{
    struct http_resp *r = &c->resp;
    const char *body = r->static_body != NULL ? r->static_body : r->body.data;
    size_t len = r->static_body != NULL ? r->static_len : r->body.len;
    if (r->static_body == NULL) {
        c->out_owned = gsi_buf_take(&r->body, &len);
        body = c->out_owned;
    }
    struct head_w w = { c->out_head, 0, sizeof c->out_head };
    put(&w, "HTTP/1.1 %d %s\r\nDate: %s\r\n", r->status, reason(r->status), c->loop->date);
    if (r->status != 304) {
        put(&w, "Content-Length: %zu\r\n", len);
    }
    put(&w, "Content-Type: %s\r\nX-Content-Type-Options: nosniff\r\nCache-Control: %s\r\n",
        r->content_type, r->cache_control != NULL ? r->cache_control : "no-store");
    if (r->location[0] != '\0') {
        put(&w, "Location: %s\r\n", r->location);
    }
    if (r->etag[0] != '\0') {
        put(&w, "ETag: %s\r\n", r->etag);
    }
    if (c->allow[0] != '\0' && r->status == 405) {
        put(&w, "Allow: %s\r\n", c->allow);
    }
    if (c->www_auth) {
        put(&w, "WWW-Authenticate: Bearer realm=\"gsi\"\r\n");
    }
    if (c->asset) {
        asset_fields(&w, c->gz);
    }
    if (c->close_after || !c->keep_alive) {
        put(&w, "Connection: close\r\n");
    } else if (c->head.minor == 0) {
        put(&w, "Connection: keep-alive\r\n");
    }
    put(&w, "\r\n");
    /* The fields are bounded (a Location of at most HTTP_PATH_MAX, the rest fixed), so the
     * head always fits; were it cut, the client would see a broken response, not a wrong
     * one. */
    bool no_body = r->status == 304 || c->head.method == HTTP_HEAD;
    c->iov[0].iov_base = c->out_head;
    c->iov[0].iov_len = w.len < w.cap ? w.len : w.cap;
    c->iov[1].iov_base = (void *)body;
    c->iov[1].iov_len = no_body || body == NULL ? 0 : len;
}

void http__reply_error(struct http_conn *c, int status, const char *code, const char *msg)
{
    http_resp_release(&c->resp);
    http_resp_init(&c->resp);
    http_resp_error_status(&c->resp, status, code, msg);
    c->allow[0] = '\0';
    c->www_auth = false;
    c->asset = false;
}

bool http__reply_asset(struct http_conn *c)
{
    const struct http_asset *a = http_asset_find(c->head.check.path);
    if (a == NULL) {
        return false;
    }
    const char *inm = http_req_head_field(&c->head, c->in, "If-None-Match");
    const char *ae = http_req_head_field(&c->head, c->in, "Accept-Encoding");
    bool fresh = http_asset_etag_matches(inm, a->etag);
    bool gz = !fresh && a->gz != NULL && http_asset_accepts_gzip(ae);
    struct http_resp *r = &c->resp;
    r->status = fresh ? 304 : 200;
    r->content_type = a->content_type;
    r->static_body = gz ? a->gz : a->data;
    r->static_len = fresh ? 0 : gz ? a->gz_len : a->len;
    r->cache_control = "no-cache";
    snprintf(r->etag, sizeof r->etag, "%s", a->etag);
    c->asset = true;
    c->gz = gz;
    return true;
}
