/*
 * test_server.c — the server over loopback against the fake platform: status codes, the
 * error body, limits (413, connections per address, idle timeout), authentication (401),
 * non-interference (403), confidentiality (404) and the JSON shapes of the journal routes.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <jansson.h>

#include "client.h"
#include "harness.h"
#include "http/assets.h"
#include "http/head.h"
#include "http/http.h"

struct platform *fake_platform(void);

static struct http_server *srv;
static uint16_t port;

static int64_t (*test_clock)(void); /* the guard's clock for the next start; NULL: real */

static void start_max(unsigned conn_max, unsigned per_ip, unsigned timeout_s)
{
    struct http_server_opts o;
    struct gsi_err err = GSI_ERR_INIT;
    http_server_opts_init(&o);
    ck_assert_int_eq(http_listen_parse(&o, "127.0.0.1:0", &err), 0);
    o.threads = 2;
    o.quiet = 1;
    o.clock_ms = test_clock;
    if (per_ip > 0) {
        o.conn_per_ip = per_ip;
    }
    if (conn_max > 0) {
        o.conn_max = conn_max;
    }
    if (timeout_s > 0) {
        o.timeout_s = timeout_s;
    }
    ck_assert_int_eq(http_server_start(&srv, &o, fake_platform(), &err), 0);
    port = http_server_port(srv);
    ck_assert_uint_gt(port, 0);
}

static void start(unsigned per_ip, unsigned timeout_s)
{
    start_max(0, per_ip, timeout_s);
}

static void setup(void)
{
    start(0, 0);
}

static void teardown(void)
{
    http_server_stop(srv);
    srv = NULL;
}

/* Sends METHOD PATH with optional token and body; returns the status, body in *out. */
static int call(const char *method, const char *path, const char *token, const char *body,
                struct test_resp *out)
{
    char req[8192];
    int n = snprintf(req, sizeof req,
                     "%s %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n%s%s%s"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                     method, path, token != NULL ? "Authorization: Bearer " : "",
                     token != NULL ? token : "", token != NULL ? "\r\n" : "",
                     body != NULL ? strlen(body) : 0, body != NULL ? body : "");
    ck_assert_int_lt(n, (int)sizeof req);
    ck_assert_int_eq(test_http(port, req, (size_t)n, out), 0);
    return out->status;
}

static json_t *body_json(const struct test_resp *r)
{
    json_error_t je;
    json_t *j = json_loads(r->body, 0, &je);
    ck_assert_msg(j != NULL, "not JSON: %s", r->body);
    return j;
}

/* The error code in an error body. */
static void assert_error(const struct test_resp *r, const char *code)
{
    json_t *j = body_json(r);
    const char *c = json_string_value(json_object_get(json_object_get(j, "error"), "code"));
    const char *m = json_string_value(json_object_get(json_object_get(j, "error"), "message"));
    ck_assert_msg(c != NULL && strcmp(c, code) == 0, "want %s in %s", code, r->body);
    ck_assert_ptr_nonnull(m);
    json_decref(j);
}

START_TEST(test_health_and_openapi)
{
    struct test_resp r;
    ck_assert_int_eq(call("GET", "/v1/health", NULL, NULL, &r), 200);
    ck_assert_ptr_nonnull(strstr(r.head, "Content-Type: application/json"));
    json_t *j = body_json(&r);
    ck_assert_str_eq(json_string_value(json_object_get(j, "status")), "ok");
    ck_assert_str_eq(json_string_value(json_object_get(j, "backend")), "fake");
    json_decref(j);
    test_resp_free(&r);

    ck_assert_int_eq(call("GET", "/v1/openapi.yaml", NULL, NULL, &r), 200);
    ck_assert_uint_eq(r.body_len, http_api_yaml_len);
    ck_assert_ptr_nonnull(strstr(r.head, "application/yaml"));
    test_resp_free(&r);
}
END_TEST

START_TEST(test_not_found_and_method)
{
    struct test_resp r;
    ck_assert_int_eq(call("GET", "/v1/nothing", NULL, NULL, &r), 404);
    assert_error(&r, "GSI_ENOTFOUND");
    test_resp_free(&r);
    ck_assert_int_eq(call("PUT", "/v1/parties", NULL, "{}", &r), 405);
    ck_assert_ptr_nonnull(strstr(r.head, "Allow: GET, POST"));
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", "/v1/parties/ZZZ", NULL, NULL, &r), 404);
    assert_error(&r, "GSI_ENOTFOUND");
    test_resp_free(&r);
    /* A method no route has: 405 with Allow on a known path, 404 on an unknown one
     * (docs/internals/http.md; RFC 9110 section 15.5.6 requires Allow with a 405). */
    ck_assert_int_eq(call("PATCH", "/v1/parties", NULL, "{}", &r), 405);
    assert_error(&r, "GSI_EMETHOD");
    ck_assert_ptr_nonnull(strstr(r.head, "Allow: GET, POST"));
    test_resp_free(&r);
    ck_assert_int_eq(call("PATCH", "/v1/nothing", NULL, "{}", &r), 404);
    assert_error(&r, "GSI_ENOTFOUND");
    test_resp_free(&r);
    /* ... and the connection stays open for the next request. */
    const char *two = "PATCH /v1/parties HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\n{}"
                      "GET /v1/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    int fd = test_connect(port);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(test_send_all(fd, two, strlen(two)), 0);
    ck_assert_int_eq(test_read_resp(fd, &r), 0);
    close(fd);
    ck_assert_int_eq(r.status, 405);
    ck_assert_ptr_null(strstr(r.head, "Connection: close"));
    ck_assert_ptr_nonnull(strstr(r.body, "HTTP/1.1 200 OK"));
    test_resp_free(&r);
}
END_TEST

START_TEST(test_parties)
{
    struct test_resp r;
    ck_assert_int_eq(call("GET", "/v1/parties?kind=state", NULL, NULL, &r), 200);
    json_t *j = body_json(&r);
    ck_assert_uint_eq(json_array_size(json_object_get(j, "parties")), 3);
    json_decref(j);
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", "/v1/parties/ASEAN", NULL, NULL, &r), 200);
    j = body_json(&r);
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(j, "members"), 1)), "MYS");
    json_decref(j);
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", "/v1/parties/CHN/delegates", NULL, NULL, &r), 200);
    ck_assert_ptr_null(strstr(r.body, "tok")); /* never a token */
    test_resp_free(&r);
}
END_TEST

START_TEST(test_auth)
{
    struct test_resp r;
    ck_assert_int_eq(call("GET", "/v1/me", NULL, NULL, &r), 401);
    assert_error(&r, "GSI_EAUTH");
    ck_assert_ptr_nonnull(strstr(r.head, "WWW-Authenticate: Bearer"));
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", "/v1/me", "gsi_wrong", NULL, &r), 401);
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", "/v1/me", "gsi_tokCHN", NULL, &r), 200);
    json_t *j = body_json(&r);
    ck_assert_str_eq(json_string_value(json_object_get(j, "party")), "CHN");
    ck_assert_str_eq(json_string_value(json_object_get(j, "party_name")), "China");
    json_decref(j);
    test_resp_free(&r);
    /* A bad token is refused even where a token is optional. */
    ck_assert_int_eq(call("GET", "/v1/records", "nope", NULL, &r), 401);
    test_resp_free(&r);
}
END_TEST

START_TEST(test_write_rules)
{
    struct test_resp r;
    const char *note = "{\"payload\": {\"text\": \"hello\", \"a\": 1}}";
    ck_assert_int_eq(call("POST", "/v1/parties/CHN/records", NULL, note, &r), 401);
    test_resp_free(&r);
    /* Non-interference: IND's delegate may not act for CHN. */
    ck_assert_int_eq(call("POST", "/v1/parties/CHN/records", "gsi_tokIND", note, &r), 403);
    assert_error(&r, "GSI_EFORBIDDEN");
    test_resp_free(&r);
    /* An observer writes nothing, not even for its own party. */
    ck_assert_int_eq(call("POST", "/v1/parties/BRA/records", "gsi_tokOBS", note, &r), 403);
    test_resp_free(&r);
    ck_assert_int_eq(call("POST", "/v1/parties/CHN/records", "gsi_tokCHN", note, &r), 201);
    ck_assert_ptr_nonnull(strstr(r.head, "Location: /v1/records/"));
    json_t *j = body_json(&r);
    json_int_t id = json_integer_value(json_object_get(j, "id"));
    ck_assert_int_gt(id, 0);
    ck_assert_str_eq(json_string_value(json_object_get(j, "type")), "note");
    json_decref(j);
    test_resp_free(&r);

    char path[64];
    snprintf(path, sizeof path, "/v1/records/%lld", (long long)id);
    ck_assert_int_eq(call("GET", path, NULL, NULL, &r), 200);
    j = body_json(&r);
    /* Stored compact with keys sorted. */
    json_t *p = json_object_get(j, "payload");
    ck_assert_str_eq(json_string_value(json_object_get(p, "text")), "hello");
    json_decref(j);
    test_resp_free(&r);

    ck_assert_int_eq(
        call("POST", "/v1/parties/CHN/records", "gsi_tokCHN", "{\"type\": \"vote.cast\"}", &r),
        400);
    test_resp_free(&r);
    ck_assert_int_eq(
        call("POST", "/v1/parties/CHN/records", "gsi_tokCHN", "{\"payload\": 1, \"extra\": 2}", &r),
        400);
    test_resp_free(&r);
    ck_assert_int_eq(
        call("POST", "/v1/parties/CHN/records", "gsi_tokCHN", "{\"audience\": [\"IND\", 3]}", &r),
        400);
    test_resp_free(&r);
}
END_TEST

START_TEST(test_confidential)
{
    struct test_resp r;
    ck_assert_int_eq(call("POST", "/v1/parties/CHN/records", "gsi_tokCHN",
                          "{\"type\":\"note.secret\",\"confidential\":true,\"audience\":[\"IND\"],"
                          "\"payload\":{\"x\":1}}",
                          &r),
                     201);
    json_t *j = body_json(&r);
    char path[64];
    snprintf(path, sizeof path, "/v1/records/%lld",
             (long long)json_integer_value(json_object_get(j, "id")));
    json_decref(j);
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", path, NULL, NULL, &r), 404); /* anonymous */
    assert_error(&r, "GSI_ENOTFOUND");
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", path, "gsi_tokOBS", NULL, &r), 404); /* not in the audience */
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", path, "gsi_tokIND", NULL, &r), 200); /* in the audience */
    ck_assert_ptr_nonnull(strstr(r.body, "\"audience\":[\"IND\"]"));
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", path, "gsi_tokCHN", NULL, &r), 200); /* its own party */
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", "/v1/records?type=note.secret", NULL, NULL, &r), 200);
    ck_assert_str_eq(r.body, "{\"records\":[]}\n");
    test_resp_free(&r);
    ck_assert_int_eq(
        call("GET", "/v1/parties/CHN/records?type=note.secret", "gsi_tokIND", NULL, &r), 200);
    j = body_json(&r);
    ck_assert_uint_eq(json_array_size(json_object_get(j, "records")), 1);
    json_decref(j);
    test_resp_free(&r);
}
END_TEST

START_TEST(test_malformed_json)
{
    struct test_resp r;
    ck_assert_int_eq(
        call("POST", "/v1/parties/CHN/records", "gsi_tokCHN", "{\"payload\": 1,\n \"type\": }", &r),
        400);
    json_t *j = body_json(&r);
    json_t *e = json_object_get(j, "error");
    ck_assert_str_eq(json_string_value(json_object_get(e, "code")), "GSI_EUSAGE");
    /* ` "type": }` — the `}` is the 10th character of line 2. */
    ck_assert_int_eq(json_integer_value(json_object_get(e, "line")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(e, "column")), 10);
    json_decref(j);
    test_resp_free(&r);
}
END_TEST

START_TEST(test_body_limit)
{
    struct test_resp r;
    /* Declared too big: refused before the body is read. */
    const char *big = "POST /v1/parties/CHN/records HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                      "Authorization: Bearer gsi_tokCHN\r\nContent-Length: 1048577\r\n\r\n";
    ck_assert_int_eq(test_http(port, big, strlen(big), &r), 0);
    ck_assert_int_eq(r.status, 413);
    assert_error(&r, "GSI_ELIMIT");
    test_resp_free(&r);
    /* Chunked, with no declared length: cut off at 1 MiB. */
    size_t chunk = (1u << 20) + 16;
    char *req = malloc(chunk + 512);
    int n =
        snprintf(req, 512,
                 "POST /v1/parties/CHN/records HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                 "Authorization: Bearer gsi_tokCHN\r\nTransfer-Encoding: chunked\r\n\r\n%zx\r\n",
                 chunk);
    memset(req + n, ' ', chunk);
    memcpy(req + (size_t)n + chunk, "\r\n0\r\n\r\n", 7);
    ck_assert_int_eq(test_http(port, req, (size_t)n + chunk + 7, &r), 0);
    ck_assert_int_eq(r.status, 413);
    test_resp_free(&r);
    free(req);
    /* 100 MiB, chunked (100 chunks of 1 MiB): read and dropped past the cap, then 413 with
     * the JSON error, not a reset. */
    size_t mib = (size_t)1 << 20;
    req = malloc(512 + 100 * (mib + 16));
    n = snprintf(req, 512,
                 "POST /v1/parties/CHN/records HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                 "Authorization: Bearer gsi_tokCHN\r\nTransfer-Encoding: chunked\r\n\r\n");
    size_t len = (size_t)n;
    for (int i = 0; i < 100; i++) {
        len += (size_t)sprintf(req + len, "%zx\r\n", mib);
        memset(req + len, ' ', mib);
        len += mib;
        memcpy(req + len, "\r\n", 2);
        len += 2;
    }
    memcpy(req + len, "0\r\n\r\n", 5);
    len += 5;
    ck_assert_int_eq(test_http(port, req, len, &r), 0);
    ck_assert_int_eq(r.status, 413);
    assert_error(&r, "GSI_ELIMIT");
    test_resp_free(&r);
    free(req);
    /* Exactly 1 MiB is accepted as far as the JSON parser, which finds no object in blanks. */
    const char *head = "POST /v1/parties/CHN/records HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                       "Authorization: Bearer gsi_tokCHN\r\nContent-Length: 1048576\r\n\r\n";
    req = malloc(strlen(head) + (1u << 20));
    memcpy(req, head, strlen(head));
    memset(req + strlen(head), ' ', 1u << 20);
    ck_assert_int_eq(test_http(port, req, strlen(head) + (1u << 20), &r), 0);
    ck_assert_int_eq(r.status, 400);
    test_resp_free(&r);
    free(req);
}
END_TEST

/* One raw request on its own connection; the answer must be the JSON error `code` with
 * `status` (docs/internals/http.md, "Errors"), never an HTML page. */
static void raw_expect(const char *req, size_t len, int status, const char *code)
{
    struct test_resp r;
    ck_assert_int_eq(test_http(port, req, len, &r), 0);
    ck_assert_msg(r.status == status, "want %d, got %d for %.60s", status, r.status, req);
    ck_assert_ptr_nonnull(strstr(r.head, "Content-Type: application/json"));
    assert_error(&r, code);
    test_resp_free(&r);
}

#define RAW(req, status, code) raw_expect(req, sizeof(req) - 1, status, code)
#define POST_HEAD              "POST /v1/parties/CHN/records HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"

/* RFC 9112 section 6: a request whose body length is ambiguous is refused at once, before
 * any of its body is read, with the documented JSON error. */
START_TEST(test_framing)
{
    /* Two different Content-Length values: 400 (RFC 9112 6.3, item 5). */
    RAW(POST_HEAD "Content-Length: 2\r\nContent-Length: 5\r\n\r\n{}abc", 400, "GSI_EUSAGE");
    /* Transfer codings the server does not implement: 501 at once, not a 30 s wait. */
    RAW(POST_HEAD "Transfer-Encoding: gzip\r\n\r\n{}", 501, "GSI_EUNSUPPORTED");
    RAW(POST_HEAD "Transfer-Encoding: xchunked\r\n\r\n{}", 501, "GSI_EUNSUPPORTED");
    /* chunked twice, or with Content-Length as well: 400. */
    RAW(POST_HEAD "Transfer-Encoding: chunked, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 400,
        "GSI_EUSAGE");
    RAW(POST_HEAD "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400,
        "GSI_EUSAGE");
    RAW(POST_HEAD "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
        400, "GSI_EUSAGE");
    /* HTTP/1.1 without Host, or with two (RFC 9112 3.2). */
    RAW("GET /v1/health HTTP/1.1\r\nConnection: close\r\n\r\n", 400, "GSI_EUSAGE");
    RAW("GET /v1/health HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n", 400,
        "GSI_EUSAGE");
    /* A control byte in a field value. */
    RAW("GET /v1/me HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer gsi_tokCHN\x01x\r\n"
        "Connection: close\r\n\r\n",
        400, "GSI_EUSAGE");
    /* A decoded NUL in a query argument. */
    RAW("GET /v1/parties?kind=state%00x HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", 400,
        "GSI_EUSAGE");
    /* 414 and 431 past the server's own caps (head.h), in JSON. */
    char big[HTTP_URI_MAX + HTTP_FIELDS_MAX + 256];
    int n = snprintf(big, sizeof big,
                     "GET /v1/health?a=%0*d HTTP/1.1\r\nHost: t\r\n"
                     "Connection: close\r\n\r\n",
                     HTTP_URI_MAX, 0);
    raw_expect(big, (size_t)n, 414, "GSI_ELIMIT");
    n = snprintf(big, sizeof big,
                 "GET /v1/health HTTP/1.1\r\nHost: t\r\nX-A: %0*d\r\n"
                 "Connection: close\r\n\r\n",
                 HTTP_FIELDS_MAX, 0);
    raw_expect(big, (size_t)n, 431, "GSI_ELIMIT");
}
END_TEST

/* The path is routed as sent: "%00" does not cut a segment short and "%2F" does not make
 * a new one (a decoded "/v1/parties/CHN%00/records" used to route as "/v1/parties/CHN",
 * and "DELETE /v1/delegates/3%00" revoked delegate 3). */
/* A store that refuses writes: the client gets a 500 without the SQL, and health says the
 * store cannot write (503) until a write succeeds again. */
START_TEST(test_store_fault)
{
    struct test_resp r;
    ck_assert_int_eq(call("POST", "/v1/parties/CHN/records", "gsi_tokCHN",
                          "{\"type\":\"note.dbfail\",\"payload\":{}}", &r),
                     500);
    assert_error(&r, "GSI_EDB");
    ck_assert_msg(strstr(r.body, "INSERT") == NULL && strstr(r.body, "sqlite") == NULL,
                  "internal detail sent to the client: %s", r.body);
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", "/v1/health", NULL, NULL, &r), 503);
    json_t *j = body_json(&r);
    ck_assert_str_eq(json_string_value(json_object_get(j, "status")), "degraded");
    ck_assert(json_is_false(json_object_get(j, "writable")));
    ck_assert_ptr_null(strstr(r.body, "INSERT"));
    json_decref(j);
    test_resp_free(&r);
    ck_assert_int_eq(call("POST", "/v1/parties/CHN/records", "gsi_tokCHN",
                          "{\"type\":\"note\",\"payload\":{}}", &r),
                     201);
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", "/v1/health", NULL, NULL, &r), 200);
    ck_assert_ptr_nonnull(strstr(r.body, "\"writable\":true"));
    test_resp_free(&r);
}
END_TEST

START_TEST(test_raw_path)
{
    struct test_resp r;
    ck_assert_int_eq(call("GET", "/v1/parties/CHN%00/records", NULL, NULL, &r), 404);
    assert_error(&r, "GSI_ENOTFOUND");
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", "/v1/parties/CHN%2Frecords", NULL, NULL, &r), 404);
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", "/v1/parties/CHN%00", NULL, NULL, &r), 404);
    test_resp_free(&r);
    ck_assert_int_eq(call("DELETE", "/v1/delegates/3%00", "gsi_tokOBS", NULL, &r), 404);
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", "/v1/me", "gsi_tokOBS", NULL, &r), 200);
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", "/v1/parties/CHN", NULL, NULL, &r), 200);
    test_resp_free(&r);
}
END_TEST

START_TEST(test_journal_routes)
{
    struct test_resp r;
    ck_assert_int_eq(call("POST", "/v1/parties/IND/records", "gsi_tokIND", "{}", &r), 201);
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", "/v1/journal/checkpoint", NULL, NULL, &r), 200);
    json_t *j = body_json(&r);
    ck_assert_str_eq(json_string_value(json_object_get(j, "origin")), "gsi.local/log");
    ck_assert_int_eq(json_integer_value(json_object_get(j, "size")), 3);
    ck_assert_str_eq(json_string_value(json_object_get(j, "root")),
                     "q6z7YJEeU4k0r8g0tsr3mY4y8Ye/0lJz0dLcd3l0Zkc=");
    json_decref(j);
    test_resp_free(&r);
    const char *plain = "GET /v1/journal/checkpoint HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                        "Accept: text/plain\r\n\r\n";
    ck_assert_int_eq(test_http(port, plain, strlen(plain), &r), 0);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(strncmp(r.body, "gsi.local/log\n3\n", 16), 0);
    test_resp_free(&r);

    ck_assert_int_eq(call("GET", "/v1/journal/entries?start=0&end=1", NULL, NULL, &r), 200);
    j = body_json(&r);
    ck_assert_uint_eq(json_array_size(json_object_get(j, "entries")), 1);
    json_decref(j);
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", "/v1/journal/entries?start=5", NULL, NULL, &r), 400);
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", "/v1/journal/entries?start=0&end=x", NULL, NULL, &r), 400);
    test_resp_free(&r);

    ck_assert_int_eq(call("GET", "/v1/journal/proof/inclusion?index=0&size=1", NULL, NULL, &r),
                     200);
    j = body_json(&r);
    json_t *proof = json_object_get(j, "proof");
    ck_assert_uint_eq(json_array_size(proof), 2);
    /* The fake's hash number i is 32 bytes of value i+1. */
    ck_assert_str_eq(json_string_value(json_array_get(proof, 1)),
                     "0202020202020202020202020202020202020202020202020202020202020202");
    ck_assert_uint_eq(strlen(json_string_value(json_object_get(j, "root"))), 64);
    json_decref(j);
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", "/v1/journal/proof/inclusion", NULL, NULL, &r), 400);
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", "/v1/journal/proof/inclusion?index=1&size=1", NULL, NULL, &r),
                     400);
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", "/v1/journal/proof/consistency?from=1", NULL, NULL, &r), 200);
    j = body_json(&r);
    ck_assert_uint_eq(json_array_size(json_object_get(j, "proof")), 3);
    json_decref(j);
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", "/v1/journal/proof/consistency?from=0&to=1", NULL, NULL, &r), 400);
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", "/v1/journal/key", NULL, NULL, &r), 200);
    test_resp_free(&r);
}
END_TEST

START_TEST(test_revoke_self_only)
{
    struct test_resp r;
    ck_assert_int_eq(call("DELETE", "/v1/delegates/1", "gsi_tokIND", NULL, &r), 403);
    test_resp_free(&r);
    ck_assert_int_eq(call("DELETE", "/v1/delegates/x", "gsi_tokIND", NULL, &r), 404);
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", "/v1/delegates/3", NULL, NULL, &r), 200);
    test_resp_free(&r);
    ck_assert_int_eq(call("DELETE", "/v1/delegates/3", "gsi_tokOBS", NULL, &r), 200);
    ck_assert_ptr_nonnull(strstr(r.body, "\"revoked\":true"));
    test_resp_free(&r);
    ck_assert_int_eq(call("GET", "/v1/me", "gsi_tokOBS", NULL, &r), 401);
    test_resp_free(&r);
}
END_TEST

/* A connection the server closed reads EOF (or a reset) within `ms`. */
static bool closed_within(int fd, int ms)
{
    struct pollfd p = { fd, POLLIN, 0 };
    if (poll(&p, 1, ms) <= 0) {
        return false;
    }
    char c;
    return recv(fd, &c, 1, 0) <= 0;
}

START_TEST(test_conn_limits)
{
    teardown();
    start(2, 1);
    int a = test_connect(port);
    int b = test_connect(port);
    int c = test_connect(port);
    ck_assert_int_ge(a, 0);
    ck_assert_int_ge(b, 0);
    ck_assert_int_ge(c, 0);
    /* The third from one address is accepted by the kernel, then closed by the server. */
    ck_assert(closed_within(c, 3000));
    /* Idle ones are closed once the 1 s timeout passes (the loops look ten times a second). */
    ck_assert(closed_within(a, 5000));
    ck_assert(closed_within(b, 5000));
    close(a);
    close(b);
    close(c);
    struct test_resp r;
    ck_assert_int_eq(call("GET", "/v1/health", NULL, NULL, &r), 200);
    test_resp_free(&r);
}
END_TEST

/* The guard's clock (guard.h), moved by the tests: no test waits for a deadline to pass. */
static _Atomic int64_t fake_ms;
static int64_t fake_clock_ms(void)
{
    return fake_ms;
}

static void start_guarded(unsigned conn_max)
{
    fake_ms = 1000000;
    test_clock = fake_clock_ms;
    start_max(conn_max, 0, 0);
    test_clock = NULL;
}

/* One GET /v1/health on a new connection; true when it was answered 200. */
static bool health_ok(void)
{
    const char *req = "GET /v1/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    struct test_resp r;
    if (test_http(port, req, strlen(req), &r) != 0) {
        return false;
    }
    bool ok = r.status == 200;
    test_resp_free(&r);
    return ok;
}

/* Past conn_max, the server still accepts a few more (HTTP_CONN_SPARE), so a new client is
 * answered at once; past those, new clients wait in the kernel's backlog until the guard
 * evicts the connections that have waited longest for their heads (here once the clock says
 * they have waited 1.5 s). */
START_TEST(test_conn_max)
{
    teardown();
    start_guarded(2);
    int idle[6];
    for (int i = 0; i < 6; i++) { /* 2 + the spare 2 / 8 + 4 = 6 */
        idle[i] = test_connect(port);
        ck_assert_int_ge(idle[i], 0);
    }
    int c = test_connect(port);
    ck_assert_int_ge(c, 0);
    const char *req = "GET /v1/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    ck_assert_int_eq(test_send_all(c, req, strlen(req)), 0);
    struct pollfd p = { c, POLLIN, 0 };
    ck_assert_int_eq(poll(&p, 1, 1000), 0); /* not accepted yet */
    fake_ms += 1500;
    struct test_resp r;
    ck_assert_int_eq(test_read_resp(c, &r), 0);
    ck_assert_int_eq(r.status, 200);
    test_resp_free(&r);
    close(c);
    int closed = 0;
    for (int i = 0; i < 6; i++) {
        closed += closed_within(idle[i], 3000);
        close(idle[i]);
    }
    ck_assert_int_ge(closed, 4); /* evicted down to conn_max */
}
END_TEST

/* Runs the guard's clock ten times as fast as the real one while the slowloris test runs. */
static _Atomic bool clock_running;
static void *clock_main(void *arg)
{
    (void)arg;
    while (clock_running) {
        struct timespec ts = { 0, 10 * 1000000L };
        nanosleep(&ts, NULL);
        fake_ms += 100;
    }
    return NULL;
}

static int slow_connect(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    (void)connect(fd, (struct sockaddr *)&a, sizeof a);
    return fd;
}

/* Slowloris on loopback: 40 connections that send their heads a byte at a time, and come
 * back whenever they are closed, against a server of 16 connections, for 100 rounds (15 s
 * or more of the guard's clock, which runs ten times as fast as the real one). A normal client
 * asks for /v1/health every round and is answered 200 every time (client.h gives up after
 * 10 s); the slow heads are closed (the 10 s head deadline, and eviction when full). */
START_TEST(test_slowloris)
{
    teardown();
    start_guarded(16);
    pthread_t clk;
    clock_running = true;
    ck_assert_int_eq(pthread_create(&clk, NULL, clock_main, NULL), 0);
    enum { ATTACKERS = 40, ROUNDS = 100 };
    const char *head = "GET /v1/health HTTP/1.1\r\nHost: t\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    int fd[ATTACKERS];
    size_t sent[ATTACKERS];
    for (int i = 0; i < ATTACKERS; i++) {
        fd[i] = slow_connect();
        sent[i] = 0;
    }
    unsigned served = 0, reconnects = 0;
    double worst_ms = 0; /* a figure for the log, not asserted */
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < ATTACKERS; i++) {
            char c;
            ssize_t got = recv(fd[i], &c, 1, MSG_DONTWAIT);
            if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
                /* Closed by the server: come back, as an attacker would. */
                close(fd[i]);
                fd[i] = slow_connect();
                sent[i] = 0;
                reconnects++;
                continue;
            }
            if (round % 10 == 0 && sent[i] < strlen(head) &&
                send(fd[i], head + sent[i], 1, MSG_NOSIGNAL | MSG_DONTWAIT) == 1) {
                sent[i]++; /* one byte a second of the guard's clock */
            }
        }
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        served += health_ok();
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        worst_ms = ms > worst_ms ? ms : worst_ms;
        struct timespec ts = { 0, 15 * 1000000L };
        nanosleep(&ts, NULL);
    }
    clock_running = false;
    pthread_join(clk, NULL);
    for (int i = 0; i < ATTACKERS; i++) {
        close(fd[i]);
    }
    fprintf(stderr,
            "slowloris: %u of %d requests answered under attack, slowest %.0f ms, "
            "%u slow connections closed\n",
            served, ROUNDS, worst_ms, reconnects);
    ck_assert_uint_eq(served, ROUNDS);
    ck_assert_uint_gt(reconnects, ATTACKERS); /* the slow heads were closed, repeatedly */
}
END_TEST

/* Sends `n` blank bytes in 64 KiB pieces; false as soon as a send fails (the server closed). */
static bool send_blanks(int fd, size_t n)
{
    static char blanks[65536];
    memset(blanks, ' ', sizeof blanks);
    for (size_t sent = 0; sent < n; sent += sizeof blanks) {
        if (test_send_all(fd, blanks, sizeof blanks) < 0) {
            return false;
        }
    }
    return true;
}

/* Goes on sending 64 KiB pieces, looking 10 ms after each for the server's close (a reset:
 * POLLERR or POLLHUP, or a send failing with EPIPE or ECONNRESET); true when it came within
 * 500 looks. */
static bool cut_while_sending(int fd)
{
    static char blanks[65536];
    memset(blanks, ' ', sizeof blanks);
    for (int i = 0; i < 500; i++) {
        if (send(fd, blanks, sizeof blanks, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 && errno != EAGAIN &&
            errno != EWOULDBLOCK) {
            return errno == EPIPE || errno == ECONNRESET;
        }
        struct pollfd p = { fd, 0, 0 }; /* only POLLERR and POLLHUP: the end of the answer
                                         * was read already */
        if (poll(&p, 1, 10) > 0 && (p.revents & (POLLERR | POLLHUP)) != 0) {
            return true;
        }
    }
    return false;
}

/* An oversize chunked body that does not end (a chunk announced as 1 GiB, 8 MiB of it sent):
 * the 413 comes as soon as the cap is passed, while the body still comes in; what follows is
 * read and dropped only until the head timeout has passed on the guard's clock: then the
 * connection is closed, rather than read for as long as the client sends. */
START_TEST(test_drain_bounded)
{
    teardown();
    start_guarded(16);
    size_t sent = (size_t)8 << 20;
    char *req = malloc(512 + sent);
    int n = snprintf(req, 512,
                     "POST /v1/parties/CHN/records HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                     "Authorization: Bearer gsi_tokCHN\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n",
                     1u << 30);
    memset(req + n, ' ', sent);
    int fd = test_connect(port);
    ck_assert_int_ge(fd, 0);
    struct timeval tv = { 5, 0 };
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    ck_assert_int_eq(test_send_all(fd, req, (size_t)n + sent), 0);
    struct test_resp r;
    ck_assert_int_eq(test_read_resp(fd, &r), 0); /* the 413, then the end of the answer */
    ck_assert_int_eq(r.status, 413);
    ck_assert_ptr_nonnull(strstr(r.head, "Content-Type: application/json"));
    assert_error(&r, "GSI_ELIMIT");
    test_resp_free(&r);
    ck_assert(send_blanks(fd, (size_t)4 << 20)); /* still read and dropped */
    fake_ms += 11000;
    /* Closed at one of the guard's next looks, while the client still sends. */
    ck_assert(cut_while_sending(fd));
    close(fd);
    free(req);
}
END_TEST

/* A body that trickles in below the minimum rate (1024 bytes a second, once past the 10 s
 * head deadline) is closed; the declared 100000 bytes would otherwise hold the connection. */
START_TEST(test_slow_body)
{
    teardown();
    start_guarded(16);
    const char *req = "POST /v1/parties/CHN/records HTTP/1.1\r\nHost: t\r\n"
                      "Authorization: Bearer gsi_tokCHN\r\nContent-Length: 100000\r\n\r\n{\"a\":";
    int fd = test_connect(port);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(test_send_all(fd, req, strlen(req)), 0);
    ck_assert(!closed_within(fd, 500));
    fake_ms += 11000;
    ck_assert(closed_within(fd, 5000));
    close(fd);
    ck_assert(health_ok());
}
END_TEST

START_TEST(test_head_and_keepalive)
{
    /* HEAD: the GET's status and headers, no body (RFC 9110 section 9.3.2). */
    const char *head = "HEAD /v1/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    struct test_resp r;
    ck_assert_int_eq(test_http(port, head, strlen(head), &r), 0);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(r.body_len, 0);
    test_resp_free(&r);
    /* Two requests on one connection: keep-alive holds after a GET and after a POST. */
    const char *two = "GET /v1/health HTTP/1.1\r\nHost: t\r\n\r\n"
                      "POST /v1/parties/CHN/records HTTP/1.1\r\nHost: t\r\n"
                      "Authorization: Bearer gsi_tokCHN\r\nContent-Length: 2\r\n\r\n{}"
                      "GET /v1/nothing HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    int fd = test_connect(port);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(test_send_all(fd, two, strlen(two)), 0);
    ck_assert_int_eq(test_read_resp(fd, &r), 0);
    close(fd);
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_nonnull(strstr(r.body, "HTTP/1.1 201 Created"));
    ck_assert_ptr_nonnull(strstr(r.body, "HTTP/1.1 404 Not Found"));
    test_resp_free(&r);
}
END_TEST

/* GET or HEAD `path` with extra header lines `hdrs` ("" for none). */
static int fetch(const char *method, const char *path, const char *hdrs, struct test_resp *r)
{
    char req[2048];
    int n = snprintf(req, sizeof req, "%s %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n%s\r\n",
                     method, path, hdrs);
    ck_assert_int_lt(n, (int)sizeof req);
    ck_assert_int_eq(test_http(port, req, (size_t)n, r), 0);
    return r->status;
}

/* The value of header `name` in the response head, copied into `out` ("" when absent). */
static void header(const struct test_resp *r, const char *name, char *out, size_t cap)
{
    out[0] = '\0';
    char pat[64];
    snprintf(pat, sizeof pat, "\r\n%s: ", name);
    const char *p = strstr(r->head, pat);
    if (p != NULL) {
        p += strlen(pat);
        size_t n = strcspn(p, "\r\n");
        n = n < cap - 1 ? n : cap - 1;
        memcpy(out, p, n);
        out[n] = '\0';
    }
}

/* The embedded dashboard: content types, ETag and 304, the gzip variant, HEAD, and /v1/
 * untouched. */
START_TEST(test_dashboard)
{
    const struct http_asset *root = http_asset_find("/");
    struct test_resp r;
    char etag[128];
    char v[128];
    ck_assert_int_eq(fetch("GET", "/", "", &r), 200);
    ck_assert_uint_eq(r.body_len, root->len);
    ck_assert_int_eq(memcmp(r.body, root->data, root->len), 0);
    header(&r, "Content-Type", v, sizeof v);
    ck_assert_str_eq(v, "text/html; charset=utf-8");
    header(&r, "ETag", etag, sizeof etag);
    ck_assert_str_eq(etag, root->etag);
    header(&r, "Content-Encoding", v, sizeof v);
    ck_assert_str_eq(v, "");
    header(&r, "Content-Security-Policy", v, sizeof v);
    ck_assert_ptr_nonnull(strstr(v, "default-src 'self'"));
    test_resp_free(&r);

    /* The client's copy is current: 304 with no body. */
    char hdr[256];
    snprintf(hdr, sizeof hdr, "If-None-Match: %s\r\n", etag);
    ck_assert_int_eq(fetch("GET", "/index.html", hdr, &r), 304);
    ck_assert_uint_eq(r.body_len, 0);
    test_resp_free(&r);
    ck_assert_int_eq(fetch("GET", "/", "If-None-Match: \"other\"\r\n", &r), 200);
    test_resp_free(&r);

    /* gzip when asked for and built. */
    ck_assert_int_eq(fetch("GET", "/", "Accept-Encoding: gzip, br\r\n", &r), 200);
    header(&r, "Content-Encoding", v, sizeof v);
    ck_assert_str_eq(v, root->gz != NULL ? "gzip" : "");
    ck_assert_uint_eq(r.body_len, root->gz != NULL ? root->gz_len : root->len);
    header(&r, "Vary", v, sizeof v);
    ck_assert_str_eq(v, "Accept-Encoding");
    test_resp_free(&r);

    /* HEAD: the headers, no body; a query string does not change the file. */
    ck_assert_int_eq(fetch("HEAD", "/?x=1", "", &r), 200);
    ck_assert_uint_eq(r.body_len, 0);
    test_resp_free(&r);

    /* What is not a file is the API's 404; /v1/ is never a file; POST is not served. */
    ck_assert_int_eq(fetch("GET", "/nothing.js", "", &r), 404);
    ck_assert_ptr_nonnull(strstr(r.body, "GSI_ENOTFOUND"));
    test_resp_free(&r);
    ck_assert_int_eq(fetch("GET", "/v1/index.html", "", &r), 404);
    test_resp_free(&r);
    ck_assert_int_eq(fetch("POST", "/", "Content-Length: 0\r\n", &r), 404);
    test_resp_free(&r);
    ck_assert_int_eq(fetch("GET", "/v1/health", "", &r), 200);
    test_resp_free(&r);
}
END_TEST

/* Out of descriptors (EMFILE), accept(2) fails while the pending connection stays queued:
 * the level-triggered listening socket must not wake its loop again at once, over and over
 * (a busy loop burning a core), and the connection is served once descriptors free up.
 * The bound: a loop that retries each 100 ms tick spends well under 100 ms of CPU in 1 s;
 * one that spins spends most of the second (measured: ~1000 ms of CPU before the fix). */
START_TEST(test_accept_emfile)
{
    struct rlimit old;
    ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
    int lo = dup(0); /* the lowest free descriptor: every one below it is taken */
    ck_assert_int_ge(lo, 0);
    close(lo);
    struct rlimit tight = { (rlim_t)lo + 1, old.rlim_max };
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &tight), 0);
    int fd = test_connect(port); /* takes `lo`, the last one: the server's accept gets EMFILE */
    ck_assert_int_ge(fd, 0);
    const char req[] = "GET /v1/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    ck_assert_int_eq(test_send_all(fd, req, sizeof req - 1), 0);
    struct timespec c0, c1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    struct pollfd p = { fd, POLLIN, 0 };
    ck_assert_int_eq(poll(&p, 1, 1000), 0); /* not served while out of descriptors */
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    int64_t cpu_ms = (int64_t)(c1.tv_sec - c0.tv_sec) * 1000 + (c1.tv_nsec - c0.tv_nsec) / 1000000;
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &old), 0);
    ck_assert_msg(cpu_ms < 100, "the loops spent %lld ms of CPU in 1 s out of descriptors",
                  (long long)cpu_ms);
    struct test_resp r;
    ck_assert_int_eq(test_read_resp(fd, &r), 0);
    ck_assert_int_eq(r.status, 200);
    test_resp_free(&r);
    close(fd);
}
END_TEST

/* A response that is still going out is not idle: a client that reads a large one slowly,
 * but steadily, gets all of it even when that takes longer than the idle timeout (1 s here).
 * Four records of 900 000 payload bytes make a list response larger than what the two
 * sockets' buffers hold, so the last of it waits in the server's send buffer while the client
 * reads (before the fix: cut after 2992128 bytes, 1 s after the last write). */
START_TEST(test_slow_reader_not_idle)
{
    teardown();
    start(0, 1);
    const size_t text = 900000;
    char *body = malloc(text + 64);
    ck_assert_ptr_nonnull(body);
    int blen = snprintf(body, 64, "{\"payload\": {\"text\": \"");
    memset(body + blen, 'x', text);
    blen += (int)text;
    blen += snprintf(body + blen, 64, "\"}}");
    for (int i = 0; i < 4; i++) {
        char head[512];
        int hn = snprintf(head, sizeof head,
                          "POST /v1/parties/CHN/records HTTP/1.1\r\nHost: t\r\n"
                          "Connection: close\r\nAuthorization: Bearer gsi_tokCHN\r\n"
                          "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n",
                          blen);
        int fd = test_connect(port);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(test_send_all(fd, head, (size_t)hn), 0);
        ck_assert_int_eq(test_send_all(fd, body, (size_t)blen), 0);
        struct test_resp r;
        ck_assert_int_eq(test_read_resp(fd, &r), 0);
        ck_assert_int_eq(r.status, 201);
        test_resp_free(&r);
        close(fd);
    }
    free(body);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int small = 4096;
    ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small), 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    const char req[] = "GET /v1/parties/CHN/records HTTP/1.1\r\nHost: t\r\n"
                       "Authorization: Bearer gsi_tokCHN\r\nConnection: close\r\n\r\n";
    ck_assert_int_eq(test_send_all(fd, req, sizeof req - 1), 0);
    /* 16 KiB every 100 ms for 3 s (under 500 KB of the 3.6 MB), then the rest at once. */
    size_t got = 0, want = 0;
    char buf[16384];
    for (int i = 0; i < 30; i++) {
        ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
        ck_assert_msg(n > 0, "the response was cut after %zu bytes", got);
        if (i == 0) { /* the head: the whole is its length plus Content-Length */
            buf[n] = '\0';
            const char *cl = strstr(buf, "Content-Length: ");
            const char *end = strstr(buf, "\r\n\r\n");
            ck_assert(cl != NULL && end != NULL);
            want = (size_t)(end + 4 - buf) + strtoul(cl + 16, NULL, 10);
        }
        got += (size_t)n;
        struct timespec pause = { 0, 100 * 1000000L };
        nanosleep(&pause, NULL);
    }
    for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;) {
        got += (size_t)n;
    }
    close(fd);
    ck_assert_uint_gt(want, 3 * text);
    ck_assert_msg(got == want, "the response was cut after %zu of %zu bytes", got, want);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("http_server");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_health_and_openapi);
    tcase_add_test(tc, test_not_found_and_method);
    tcase_add_test(tc, test_parties);
    tcase_add_test(tc, test_auth);
    tcase_add_test(tc, test_write_rules);
    tcase_add_test(tc, test_confidential);
    tcase_add_test(tc, test_malformed_json);
    tcase_add_test(tc, test_body_limit);
    tcase_add_test(tc, test_journal_routes);
    tcase_add_test(tc, test_revoke_self_only);
    tcase_add_test(tc, test_conn_limits);
    tcase_add_test(tc, test_conn_max);
    tcase_add_test(tc, test_head_and_keepalive);
    tcase_add_test(tc, test_framing);
    tcase_add_test(tc, test_raw_path);
    tcase_add_test(tc, test_store_fault);
    tcase_add_test(tc, test_dashboard);
    tcase_add_test(tc, test_slowloris);
    tcase_add_test(tc, test_slow_body);
    tcase_add_test(tc, test_drain_bounded);
    tcase_add_test(tc, test_accept_emfile);
    tcase_add_test(tc, test_slow_reader_not_idle);
    suite_add_tcase(s, tc);
    return s;
}
