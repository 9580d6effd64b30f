/*
 * route.h — requests, responses, the route table and the helpers every handler uses.
 *
 * A handler is `int http__<what>(struct http_req *req, struct http_resp *resp)`. It reads the
 * path parameters, the query and the body from `req`, and either fills `resp` (usually with
 * http_resp_json) and returns 0, or returns a negative GSI_E* code with req->err filled, which
 * the server turns into {"error":{"code":"GSI_E…","message":"…"}} with the code's HTTP status
 * (gsi_err_http_status). Handlers know nothing of connections or sockets, so tests can call them
 * directly.
 *
 * The route table (routes.c) is the one list of what the API answers; docs/api.yaml must name
 * the same set of (method, path) pairs, and tests/unit/http checks that both ways.
 */
#ifndef GSI_HTTP_ROUTE_H
#define GSI_HTTP_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/err.h"

struct platform;
struct platform_delegate;
struct platform_party;

#define HTTP_PARAMS_MAX    4  /* {name} segments in one pattern */
#define HTTP_PARAM_LEN_MAX 64 /* bytes in one path parameter */
#define HTTP_PATH_MAX      1024
#define HTTP_RESP_MAX      (64u << 20) /* bytes in one response body */

enum http_method { HTTP_GET, HTTP_POST, HTTP_PUT, HTTP_DELETE, HTTP_HEAD, HTTP_OTHER };

/* How a route treats the Authorization header. */
enum http_auth {
    HTTP_AUTH_NONE,     /* public; a token, if sent, is ignored */
    HTTP_AUTH_OPTIONAL, /* public, but a valid token lets the caller see its party's records */
    HTTP_AUTH_REQUIRED, /* 401 without a valid bearer token */
};

struct http_req {
    enum http_method method;
    const char *path; /* without the query string */
    size_t nparams;
    char params[HTTP_PARAMS_MAX][HTTP_PARAM_LEN_MAX + 1]; /* values of the pattern's {names} */
    const char *body; /* NULL when the request had none; not NUL-terminated */
    size_t body_len;
    struct platform *platform;               /* NULL when the server runs without one */
    const struct platform_delegate *auth;    /* the authenticated delegate, NULL: anonymous */
    const struct platform_party *auth_party; /* its party, NULL when anonymous */
    bool want_text;                          /* the client asked for text/plain before JSON */
    /* Looks up one query-string argument; NULL when absent. */
    const char *(*query)(void *ctx, const char *name);
    void *query_ctx;
    struct gsi_err err;        /* filled by a handler that returns < 0 */
    const char *if_none_match; /* the If-None-Match header, NULL when absent */
    char client_addr[64];      /* the client's numeric address, "" when unknown */
};

struct http_resp {
    int status;
    const char *content_type; /* static string */
    struct gsi_buf body;      /* owned, capped at HTTP_RESP_MAX */
    const void *static_body;  /* borrowed, used instead of `body` when not NULL */
    size_t static_len;
    char location[HTTP_PATH_MAX]; /* Location header of a 201, "" for none */
    const char *cache_control;    /* static string; NULL: "no-store" */
    char etag[48];                /* ETag header ("\"...\""), "" for none */
};

typedef int (*http_handler)(struct http_req *req, struct http_resp *resp);

struct http_route {
    enum http_method method;
    const char *pattern; /* "/v1/parties/{iso3}"; names as in docs/api.yaml */
    enum http_auth auth;
    bool needs_platform; /* false only for health and the OpenAPI document */
    http_handler fn;
};

/* The table, in routes.c, and its length. */
extern const struct http_route http_routes[];
extern const size_t http_routes_len;

/* "GET" for HTTP_GET, and so on; "OTHER" for HTTP_OTHER. */
const char *http_method_name(enum http_method m);
/* HTTP_OTHER for a method the API never answers. */
enum http_method http_method_parse(const char *s);

/* What matching a path against the table found. */
enum http_match { HTTP_MATCH_OK, HTTP_MATCH_NO_PATH, HTTP_MATCH_NO_METHOD };

/* Finds the route for (method, path) in `routes`, filling req->params and req->nparams.
 * A pattern's last segment "{name+}" takes the rest of the path, one or more segments (at
 * most HTTP_PARAM_LEN_MAX bytes in all): "/log/tile/{path+}" matches "/log/tile/0/x001/234".
 * HTTP_MATCH_NO_METHOD when some route has that path but not that method (405); then `allow`
 * (at least 64 bytes) gets the methods that are allowed, comma-separated. A path segment that
 * is empty, longer than HTTP_PARAM_LEN_MAX, or a path longer than HTTP_PATH_MAX never
 * matches. HEAD matches the GET route. */
enum http_match http_route_find(const struct http_route **out, struct http_req *req,
                                const struct http_route *routes, size_t nroutes,
                                enum http_method method, const char *path, char *allow,
                                size_t allow_cap);

/* --- responses --------------------------------------------------------------------- */

void http_resp_init(struct http_resp *resp);
void http_resp_release(struct http_resp *resp);

/* Serialises `json` (stolen: it is decref'd) compactly as the body, with `status`. */
int http_resp_json(struct http_resp *resp, int status, json_t *json);

/* Error body {"error":{"code": gsi_err_name(code), "message": msg}} with the code's status. */
int http_resp_error(struct http_resp *resp, int code, const char *msg);

/* As http_resp_error, with an explicit status and code string (405 and friends, which have no
 * GSI_E* of their own). */
int http_resp_error_status(struct http_resp *resp, int status, const char *code, const char *msg);

/* The error response for a handler's failure: code, message, and the line and column of the
 * bad input when err->line > 0 (malformed JSON). A code >= 0 is reported as GSI_EINTERNAL.
 * For a code whose status is 5xx the message is a fixed sentence, never err->msg (which may
 * hold SQL or paths); the caller logs err->msg. */
int http_resp_from_err(struct http_resp *resp, const struct gsi_err *err);

/* Sets an ETag on a 200 JSON response (a hash of its body) and, when the request's
 * If-None-Match names it, turns the response into a 304 without a body. */
void http_resp_etag(struct http_resp *resp, const struct http_req *req);

/* --- request helpers ------------------------------------------------------------------ */

/* Parses the body as one JSON object. On malformed JSON returns GSI_EUSAGE (400) and the
 * message gives jansson's line, column and byte position of the error; req->err.line and
 * .column carry them too. An empty body is an error, as is any JSON value but an object. */
int http_req_json(json_t **out, struct http_req *req);

/* Reads query argument `name` as an integer in [lo, hi]. When absent: `*out = dflt` if
 * `required` is false, GSI_EUSAGE otherwise. GSI_EUSAGE when it is not a decimal integer in
 * range, written in digits without a sign or a leading zero ("007" is refused, "0" is not),
 * with a message naming the argument. */
int http_req_query_u64(uint64_t *out, struct http_req *req, const char *name, bool required,
                       uint64_t dflt, uint64_t lo, uint64_t hi);

/* Reads the first path parameter as a row id: digits only, no leading zero ("07" names no
 * row: one id, one spelling), from 1 to INT64_MAX. Otherwise
 * GSI_ENOTFOUND ("no <what> '<param>'"), since no row has such an id, and `*id` is 0. */
int http_req_param_id(int64_t *id, struct http_req *req, const char *what);

#endif
