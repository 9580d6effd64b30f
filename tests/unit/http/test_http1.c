/*
 * test_http1.c — the server's HTTP/1.1 reader and connections over loopback (parse.c,
 * chunked.c, conn.c): every refusal is the JSON error with the status RFC 9110/9112 names,
 * and keep-alive, pipelining, HTTP/1.0, HEAD and 100-continue behave as RFC 9112 says.
 * The expected statuses are the RFCs' (cited at each case), not the server's output.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "client.h"
#include "harness.h"
#include "http/http.h"
#include "http/parse.h"

struct platform *fake_platform(void);

static struct http_server *srv;
static uint16_t port;

static void setup(void)
{
    struct http_server_opts o;
    struct gsi_err err = GSI_ERR_INIT;
    http_server_opts_init(&o);
    ck_assert_int_eq(http_listen_parse(&o, "127.0.0.1:0", &err), 0);
    o.threads = 2;
    o.writers = 4;
    o.quiet = 1;
    ck_assert_int_eq(http_server_start(&srv, &o, fake_platform(), &err), 0);
    port = http_server_port(srv);
}

static void teardown(void)
{
    http_server_stop(srv);
    srv = NULL;
}

/* `req` (len bytes) on its own connection: the answer must be `status` with the JSON error
 * `code` and Content-Type application/json. */
static void expect_json_error(const char *req, size_t len, int status, const char *code)
{
    struct test_resp r;
    ck_assert_int_eq(test_http(port, req, len, &r), 0);
    ck_assert_msg(r.status == status, "want %d, got %d for %.40s", status, r.status, req);
    ck_assert_ptr_nonnull(strstr(r.head, "\r\nContent-Type: application/json"));
    json_error_t je;
    json_t *j = json_loads(r.body, 0, &je);
    ck_assert_msg(j != NULL, "not JSON: %s", r.body);
    json_t *e = json_object_get(j, "error");
    ck_assert_str_eq(json_string_value(json_object_get(e, "code")), code);
    ck_assert_ptr_nonnull(json_string_value(json_object_get(e, "message")));
    json_decref(j);
    test_resp_free(&r);
}

#define EXPECT(req, status, code) expect_json_error(req, sizeof(req) - 1, status, code)

/* A table of refused requests: each on its own connection, each its JSON error. */
struct refusal {
    const char *req;
    size_t len;
    int status;
    const char *code;
};
#define REFUSAL(req, status, code)         \
    {                                      \
        req, sizeof(req) - 1, status, code \
    }

static void expect_refusals(const struct refusal *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        expect_json_error(t[i].req, t[i].len, t[i].status, t[i].code);
    }
}
#define POST                                                                    \
    "POST /v1/parties/CHN/records HTTP/1.1\r\nHost: t\r\nConnection: close\r\n" \
    "Authorization: Bearer gsi_tokCHN\r\n"

/* RFC 9110 15.6.6: 505 for a major version the server does not support; RFC 9112 2.3: a
 * 1.x server may answer a higher minor version as 1.1, but this one reads 1.0 and 1.1 only
 * and says so. */
START_TEST(test_version)
{
    static const struct refusal t[] = {
        REFUSAL("GET /v1/health HTTP/2.0\r\nHost: t\r\nConnection: close\r\n\r\n", 505,
                "GSI_EUNSUPPORTED"),
        REFUSAL("GET /v1/health HTTP/1.2\r\nHost: t\r\nConnection: close\r\n\r\n", 505,
                "GSI_EUNSUPPORTED"),
        REFUSAL("GET /v1/health HTTP/1.1x\r\nHost: t\r\n\r\n", 400, "GSI_EUSAGE"),
        REFUSAL("GET /v1/health\r\nHost: t\r\n\r\n", 400, "GSI_EUSAGE"),
        REFUSAL("GET  /v1/health HTTP/1.1\r\nHost: t\r\n\r\n", 400, "GSI_EUSAGE"),
        REFUSAL("GET http://t/v1/health HTTP/1.1\r\nHost: t\r\n\r\n", 400, "GSI_EUSAGE"),
        /* A raw NUL in the target is refused, not read as the end of the path. */
        REFUSAL("GET /v1/health\0x HTTP/1.1\r\nHost: t\r\n\r\n", 400, "GSI_EUSAGE"),
    };
    expect_refusals(t, sizeof t / sizeof t[0]);
}
END_TEST

/* RFC 9112 7.1: chunk-size is 1*HEXDIG followed by CRLF (or extensions), and each chunk's
 * data by CRLF; anything else cannot be framed: 400. */
START_TEST(test_bad_chunks)
{
    static const struct refusal t[] = {
        REFUSAL(POST "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400, "GSI_EUSAGE"),
        REFUSAL(POST "Transfer-Encoding: chunked\r\n\r\n1ffffffffffffffff\r\n{}\r\n0\r\n\r\n", 400,
                "GSI_EUSAGE"),
        REFUSAL(POST "Transfer-Encoding: chunked\r\n\r\n2\r\n{}0\r\n\r\n", 400, "GSI_EUSAGE"),
        REFUSAL(POST "Transfer-Encoding: chunked\r\n\r\n2\n{}\r\n0\r\n\r\n", 400, "GSI_EUSAGE"),
        REFUSAL(POST "Transfer-Encoding: chunked\r\n\r\n2;a=\x01\r\n{}\r\n0\r\n\r\n", 400,
                "GSI_EUSAGE"),
    };
    expect_refusals(t, sizeof t / sizeof t[0]);
    /* Extensions and trailers are read past (RFC 9112 7.1.1, 7.1.2). */
    const char ok[] = POST "Transfer-Encoding: chunked\r\n\r\n2;name=v\r\n{}\r\n0\r\n"
                           "X-Trailer: 1\r\n\r\n";
    struct test_resp r;
    ck_assert_int_eq(test_http(port, ok, sizeof ok - 1, &r), 0);
    ck_assert_int_eq(r.status, 201);
    test_resp_free(&r);
}
END_TEST

/* RFC 9110 8.6: Content-Length is 1*DIGIT. */
START_TEST(test_bad_length)
{
    static const struct refusal t[] = {
        REFUSAL(POST "Content-Length: abc\r\n\r\n{}", 400, "GSI_EUSAGE"),
        REFUSAL(POST "Content-Length: -2\r\n\r\n{}", 400, "GSI_EUSAGE"),
        REFUSAL(POST "Content-Length: 2, 2\r\n\r\n{}", 400, "GSI_EUSAGE"),
        REFUSAL(POST "Content-Length: 99999999999999999999\r\n\r\n{}", 400, "GSI_EUSAGE"),
    };
    expect_refusals(t, sizeof t / sizeof t[0]);
}
END_TEST

/* Heads past the caps: a 9 KiB target is 414 (RFC 9110 15.5.15), a 17 KiB field and a
 * 70 KiB head are 431 (RFC 6585 5). */
START_TEST(test_head_caps)
{
    static char big[80 << 10];
    int n =
        snprintf(big, sizeof big, "GET /v1/health?a=%0*d HTTP/1.1\r\nHost: t\r\n\r\n", 9 << 10, 0);
    expect_json_error(big, (size_t)n, 414, "GSI_ELIMIT");
    n = snprintf(big, sizeof big, "GET /v1/health HTTP/1.1\r\nHost: t\r\nX-A: %0*d\r\n\r\n",
                 17 << 10, 0);
    expect_json_error(big, (size_t)n, 431, "GSI_ELIMIT");
    size_t len = (size_t)snprintf(big, sizeof big, "GET /v1/health HTTP/1.1\r\nHost: t\r\n");
    for (int i = 0; len < (70u << 10); i++) {
        len += (size_t)snprintf(big + len, sizeof big - len, "X-%d: %0900d\r\n", i, 0);
    }
    len += (size_t)snprintf(big + len, sizeof big - len, "\r\n");
    expect_json_error(big, len, 431, "GSI_ELIMIT");
    /* More fields than HTTP_FIELDS_COUNT_MAX, each small. */
    len = (size_t)snprintf(big, sizeof big, "GET /v1/health HTTP/1.1\r\nHost: t\r\n");
    for (unsigned i = 0; i <= HTTP_FIELDS_COUNT_MAX; i++) {
        len += (size_t)snprintf(big + len, sizeof big - len, "X-%u: 1\r\n", i);
    }
    len += (size_t)snprintf(big + len, sizeof big - len, "\r\n");
    expect_json_error(big, len, 431, "GSI_ELIMIT");
}
END_TEST

/* Field syntax (RFC 9112 5): a raw NUL inside a value, whitespace before the colon,
 * obs-fold and a bare LF are refused with 400, never cut short or joined. */
START_TEST(test_field_syntax)
{
    static const struct refusal t[] = {
        REFUSAL("GET /v1/me HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer gsi_tokCHN\0x\r\n\r\n",
                400, "GSI_EUSAGE"),
        REFUSAL("GET /v1/me HTTP/1.1\r\nHost: t\r\nAuthorization : Bearer gsi_tokCHN\r\n\r\n", 400,
                "GSI_EUSAGE"),
        REFUSAL("GET /v1/me HTTP/1.1\r\nHost: t\r\nX-A: 1\r\n  folded\r\n\r\n", 400, "GSI_EUSAGE"),
        REFUSAL("GET /v1/me HTTP/1.1\nHost: t\r\n\r\n", 400, "GSI_EUSAGE"),
        REFUSAL("GET /v1/me HTTP/1.1\r\nHost: t\r\nX-A: a\rb\r\n\r\n", 400, "GSI_EUSAGE"),
        REFUSAL("GET /v1/me HTTP/1.1\r\nHost: t\r\nNo colon\r\n\r\n", 400, "GSI_EUSAGE"),
    };
    expect_refusals(t, sizeof t / sizeof t[0]);
}
END_TEST

/* Reads one response off a connection that stays open: the head, then Content-Length bytes
 * (none for a HEAD or a 304). Returns the status, or -1. */
static int read_one(int fd, bool head_only, char *hdr, size_t cap)
{
    size_t n = 0;
    while (n + 1 < cap) {
        if (recv(fd, hdr + n, 1, 0) != 1) {
            return -1;
        }
        n++;
        hdr[n] = '\0';
        if (n >= 4 && memcmp(hdr + n - 4, "\r\n\r\n", 4) == 0) {
            break;
        }
    }
    const char *cl = strstr(hdr, "Content-Length: ");
    size_t body = cl != NULL && !head_only ? strtoul(cl + 16, NULL, 10) : 0;
    for (char c; body > 0; body--) {
        if (recv(fd, &c, 1, 0) != 1) {
            return -1;
        }
    }
    return strncmp(hdr, "HTTP/1.1 ", 9) == 0 ? atoi(hdr + 9) : -1;
}

/* RFC 9112 9.3.2: pipelined requests are answered in order, one at a time. */
START_TEST(test_pipelining)
{
    const char three[] = "GET /v1/health HTTP/1.1\r\nHost: t\r\n\r\n"
                         "POST /v1/parties/CHN/records HTTP/1.1\r\nHost: t\r\n"
                         "Authorization: Bearer gsi_tokCHN\r\nContent-Length: 2\r\n\r\n{}"
                         "HEAD /v1/health HTTP/1.1\r\nHost: t\r\n\r\n"
                         "GET /v1/nothing HTTP/1.1\r\nHost: t\r\n\r\n";
    int fd = test_connect(port);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(test_send_all(fd, three, sizeof three - 1), 0);
    char hdr[4096];
    ck_assert_int_eq(read_one(fd, false, hdr, sizeof hdr), 200);
    ck_assert_int_eq(read_one(fd, false, hdr, sizeof hdr), 201);
    ck_assert_int_eq(read_one(fd, true, hdr, sizeof hdr), 200);
    ck_assert_ptr_nonnull(strstr(hdr, "Content-Length: ")); /* the GET's length, no body */
    ck_assert_int_eq(read_one(fd, false, hdr, sizeof hdr), 404);
    ck_assert_ptr_null(strstr(hdr, "Connection: close"));
    /* ... and the connection is still open for a fifth, sent after the answers. */
    const char more[] = "GET /v1/health HTTP/1.1\r\nHost: t\r\n\r\n";
    ck_assert_int_eq(test_send_all(fd, more, sizeof more - 1), 0);
    ck_assert_int_eq(read_one(fd, false, hdr, sizeof hdr), 200);
    close(fd);
}
END_TEST

/* RFC 9112 9.3: HTTP/1.0 closes after the response unless it asks for keep-alive. */
START_TEST(test_http10)
{
    struct test_resp r;
    const char plain[] = "GET /v1/health HTTP/1.0\r\n\r\n";
    ck_assert_int_eq(test_http(port, plain, sizeof plain - 1, &r), 0); /* reads to the close */
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_nonnull(strstr(r.head, "Connection: close"));
    test_resp_free(&r);
    int fd = test_connect(port);
    const char ka[] = "GET /v1/health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
    char hdr[4096];
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(test_send_all(fd, ka, sizeof ka - 1), 0);
        ck_assert_int_eq(read_one(fd, false, hdr, sizeof hdr), 200);
        ck_assert_ptr_nonnull(strstr(hdr, "Connection: keep-alive"));
    }
    close(fd);
}
END_TEST

/* RFC 9110 10.1.1: with Expect: 100-continue the server says 100 before the client sends
 * the body; the final answer follows it. */
START_TEST(test_continue)
{
    const char head[] = "POST /v1/parties/CHN/records HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                        "Authorization: Bearer gsi_tokCHN\r\nExpect: 100-continue\r\n"
                        "Content-Length: 2\r\n\r\n";
    int fd = test_connect(port);
    ck_assert_int_eq(test_send_all(fd, head, sizeof head - 1), 0);
    char hdr[4096];
    ck_assert_int_eq(read_one(fd, true, hdr, sizeof hdr), 100);
    ck_assert_int_eq(test_send_all(fd, "{}", 2), 0);
    struct test_resp r;
    ck_assert_int_eq(test_read_resp(fd, &r), 0);
    ck_assert_int_eq(r.status, 201);
    test_resp_free(&r);
    close(fd);
    /* A declared oversize body gets its 413 instead, before any of it is sent. */
    EXPECT("POST /v1/parties/CHN/records HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
           "Content-Length: 2000000\r\n\r\n",
           413, "GSI_ELIMIT");
}
END_TEST

static void sink_count(void *ctx, const char *p, size_t n)
{
    (void)p;
    *(size_t *)ctx += n;
}

/* The decoder alone, fed a byte at a time: RFC 9112 7.1's example framing. */
START_TEST(test_chunked_bytewise)
{
    const char body[] = "4\r\nWiki\r\n6;x=y\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\n"
                        "T: 1\r\n\r\nNEXT";
    struct http_chunked c;
    http_chunked_init(&c);
    struct http_parse_err e;
    size_t data = 0, used = 0, i = 0;
    int rc = 0;
    for (; i < sizeof body - 1 && rc == 0; i++) {
        rc = http_chunked_feed(&c, body + i, 1, &used, sink_count, &data, &e);
    }
    ck_assert_int_eq(rc, 1);
    ck_assert_uint_eq(data, 4 + 6 + 14); /* "Wiki", "pedia ", "in \r\n\r\nchunks." */
    ck_assert_str_eq(body + i, "NEXT");
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("http1");
    TCase *tc = tcase_create("http1");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_version);
    tcase_add_test(tc, test_bad_chunks);
    tcase_add_test(tc, test_bad_length);
    tcase_add_test(tc, test_head_caps);
    tcase_add_test(tc, test_field_syntax);
    tcase_add_test(tc, test_pipelining);
    tcase_add_test(tc, test_http10);
    tcase_add_test(tc, test_continue);
    tcase_add_test(tc, test_chunked_bytewise);
    suite_add_tcase(s, tc);
    return s;
}
