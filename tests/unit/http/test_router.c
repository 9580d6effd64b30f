/*
 * test_router.c — path matching, the listen address, bearer tokens and the request helpers
 * of src/http. Expected values are worked out by hand from the specs cited beside them.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "http/auth.h"
#include "http/http.h"
#include "http/log.h"
#include "http/route.h"

static int nop(struct http_req *req, struct http_resp *resp)
{
    return 0;
}

static const struct http_route table[] = {
    { HTTP_GET, "/v1/parties", HTTP_AUTH_NONE, true, nop },
    { HTTP_POST, "/v1/parties", HTTP_AUTH_REQUIRED, true, nop },
    { HTTP_GET, "/v1/parties/{id}", HTTP_AUTH_NONE, true, nop },
    { HTTP_GET, "/v1/parties/{id}/records", HTTP_AUTH_NONE, true, nop },
    { HTTP_DELETE, "/v1/a/{x}/b/{y}", HTTP_AUTH_NONE, true, nop },
};
#define NTABLE (sizeof table / sizeof table[0])

static enum http_match find(const struct http_route **r, struct http_req *req, enum http_method m,
                            const char *path, char *allow)
{
    memset(req, 0, sizeof *req);
    return http_route_find(r, req, table, NTABLE, m, path, allow, 64);
}

START_TEST(test_route_literal_and_params)
{
    const struct http_route *r;
    struct http_req req;
    char allow[64];
    ck_assert_int_eq(find(&r, &req, HTTP_GET, "/v1/parties", allow), HTTP_MATCH_OK);
    ck_assert_ptr_eq(r, &table[0]);
    ck_assert_int_eq(find(&r, &req, HTTP_POST, "/v1/parties", allow), HTTP_MATCH_OK);
    ck_assert_ptr_eq(r, &table[1]);
    ck_assert_int_eq(find(&r, &req, HTTP_GET, "/v1/parties/CHN", allow), HTTP_MATCH_OK);
    ck_assert_ptr_eq(r, &table[2]);
    ck_assert_uint_eq(req.nparams, 1);
    ck_assert_str_eq(req.params[0], "CHN");
    ck_assert_int_eq(find(&r, &req, HTTP_GET, "/v1/parties/X-SIPRI/records", allow), HTTP_MATCH_OK);
    ck_assert_ptr_eq(r, &table[3]);
    ck_assert_str_eq(req.params[0], "X-SIPRI");
    ck_assert_int_eq(find(&r, &req, HTTP_DELETE, "/v1/a/1/b/22", allow), HTTP_MATCH_OK);
    ck_assert_uint_eq(req.nparams, 2);
    ck_assert_str_eq(req.params[0], "1");
    ck_assert_str_eq(req.params[1], "22");
    /* HEAD is answered by the GET route (RFC 9110 section 9.3.2). */
    ck_assert_int_eq(find(&r, &req, HTTP_HEAD, "/v1/parties", allow), HTTP_MATCH_OK);
    ck_assert_ptr_eq(r, &table[0]);
}
END_TEST

START_TEST(test_route_misses)
{
    const struct http_route *r;
    struct http_req req;
    char allow[64];
    const char *no[] = { "/",
                         "",
                         "v1/parties",
                         "/v1/parties/",
                         "/v1/parties//records",
                         "/v1/parties/CHN/",
                         "/v1/partiesX",
                         "/v1/parties/CHN/records/1",
                         "/v1",
                         "/v1/a/1/b",
                         "/V1/parties" };
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        ck_assert_msg(find(&r, &req, HTTP_GET, no[i], allow) == HTTP_MATCH_NO_PATH, "%s", no[i]);
        ck_assert_ptr_null(r);
    }
    /* A segment longer than HTTP_PARAM_LEN_MAX never matches a parameter. */
    char longp[128] = "/v1/parties/";
    memset(longp + 12, 'A', HTTP_PARAM_LEN_MAX + 1);
    ck_assert_int_eq(find(&r, &req, HTTP_GET, longp, allow), HTTP_MATCH_NO_PATH);
    longp[12 + HTTP_PARAM_LEN_MAX] = '\0';
    ck_assert_int_eq(find(&r, &req, HTTP_GET, longp, allow), HTTP_MATCH_OK);
    ck_assert_uint_eq(strlen(req.params[0]), HTTP_PARAM_LEN_MAX);
}
END_TEST

START_TEST(test_route_405_allow)
{
    const struct http_route *r;
    struct http_req req;
    char allow[64];
    ck_assert_int_eq(find(&r, &req, HTTP_DELETE, "/v1/parties", allow), HTTP_MATCH_NO_METHOD);
    ck_assert_str_eq(allow, "GET, POST");
    ck_assert_int_eq(find(&r, &req, HTTP_POST, "/v1/parties/CHN", allow), HTTP_MATCH_NO_METHOD);
    ck_assert_str_eq(allow, "GET");
}
END_TEST

START_TEST(test_method_names)
{
    ck_assert_int_eq(http_method_parse("GET"), HTTP_GET);
    ck_assert_int_eq(http_method_parse("DELETE"), HTTP_DELETE);
    ck_assert_int_eq(http_method_parse("get"), HTTP_OTHER); /* methods are case-sensitive */
    ck_assert_int_eq(http_method_parse("PATCH"), HTTP_OTHER);
    ck_assert_str_eq(http_method_name(HTTP_POST), "POST");
}
END_TEST

START_TEST(test_listen_parse)
{
    struct http_server_opts o;
    struct gsi_err err = GSI_ERR_INIT;
    http_server_opts_init(&o);
    ck_assert_uint_eq(o.body_max, 1048576); /* 1 MiB = 2^20 */
    const struct sockaddr_in *a4 = (const struct sockaddr_in *)&o.addr;
    ck_assert_int_eq(a4->sin_family, AF_INET);
    ck_assert_int_eq(ntohs(a4->sin_port), 8080);
    ck_assert_int_eq(ntohl(a4->sin_addr.s_addr), 0x7f000001); /* 127.0.0.1 */

    ck_assert_int_eq(http_listen_parse(&o, "0.0.0.0:0", &err), 0);
    ck_assert_int_eq(ntohs(a4->sin_port), 0);
    ck_assert_int_eq(http_listen_parse(&o, "10.1.2.3:65535", &err), 0);
    ck_assert_int_eq(ntohl(a4->sin_addr.s_addr), 0x0a010203);
    ck_assert_int_eq(ntohs(a4->sin_port), 65535);

    ck_assert_int_eq(http_listen_parse(&o, "[::1]:8443", &err), 0);
    const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)&o.addr;
    ck_assert_int_eq(a6->sin6_family, AF_INET6);
    ck_assert_int_eq(ntohs(a6->sin6_port), 8443);
    ck_assert_int_eq(a6->sin6_addr.s6_addr[15], 1);
    ck_assert_uint_eq(o.addr_len, sizeof(struct sockaddr_in6));

    const char *bad[] = { "",
                          "8080",
                          ":8080",
                          "127.0.0.1",
                          "127.0.0.1:",
                          "127.0.0.1:65536",
                          "127.0.0.1:-1",
                          "127.0.0.1:80a",
                          "localhost:80",
                          "::1:80",
                          "[::1]80",
                          "[::1:80",
                          "[127.0.0.1]:80",
                          "1.2.3.4:+80",
                          "1.2.3.4:000080",
                          "999.0.0.1:80" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gsi_err_clear(&err);
        ck_assert_msg(http_listen_parse(&o, bad[i], &err) == GSI_EUSAGE, "%s", bad[i]);
        ck_assert_int_eq(err.code, GSI_EUSAGE);
    }
}
END_TEST

START_TEST(test_bearer)
{
    const char *tok;
    size_t len;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(http_auth_bearer(&tok, &len, "Bearer gsi_abc-DEF.1~+/=", &err), 0);
    ck_assert_uint_eq(len, 17); /* g,s,i,_,a,b,c,-,D,E,F,.,1,~,+,/,= */
    ck_assert_int_eq(memcmp(tok, "gsi_abc-DEF.1~+/=", 17), 0);
    /* The scheme is case-insensitive (RFC 9110 section 11.1). */
    ck_assert_int_eq(http_auth_bearer(&tok, &len, "bearer   x", &err), 0);
    ck_assert_uint_eq(len, 1);
    const char *bad[] = { "Basic dXNlcjpwYXNz", "Bearer",  "Bearer ",  "Bearer a b",
                          "Bearer a\"",         "Bearerx", "Token abc" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(http_auth_bearer(&tok, &len, bad[i], &err) == GSI_EAUTH, "%s", bad[i]);
    }
    ck_assert_int_eq(http_auth_bearer(&tok, &len, NULL, &err), GSI_EAUTH);
    char big[128] = "Bearer ";
    memset(big + 7, 'a', PLATFORM_TOKEN_MAX);
    ck_assert_int_eq(http_auth_bearer(&tok, &len, big, &err), GSI_EAUTH);
    big[7 + PLATFORM_TOKEN_MAX - 1] = '\0';
    ck_assert_int_eq(http_auth_bearer(&tok, &len, big, &err), 0);
}
END_TEST

static const char *q_value;
static const char *q_lookup(void *ctx, const char *name)
{
    return strcmp(name, "n") == 0 ? q_value : NULL;
}

START_TEST(test_query_u64)
{
    struct http_req req;
    memset(&req, 0, sizeof req);
    req.query = q_lookup;
    uint64_t v;
    q_value = "42";
    ck_assert_int_eq(http_req_query_u64(&v, &req, "n", true, 0, 0, 100), 0);
    ck_assert_uint_eq(v, 42);
    ck_assert_int_eq(http_req_query_u64(&v, &req, "m", false, 7, 0, 100), 0);
    ck_assert_uint_eq(v, 7);
    ck_assert_int_eq(http_req_query_u64(&v, &req, "m", true, 7, 0, 100), GSI_EUSAGE);
    const char *bad[] = {
        "", "-1", "+1", "1.5", "101", " 1", "1 ", "0x10", "99999999999999999999"
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        q_value = bad[i];
        ck_assert_msg(http_req_query_u64(&v, &req, "n", true, 0, 0, 100) == GSI_EUSAGE, "%s",
                      bad[i]);
    }
    /* The whole unsigned range when the caller allows it: 2^64 - 1, and not 2^64. */
    q_value = "18446744073709551615";
    ck_assert_int_eq(http_req_query_u64(&v, &req, "n", true, 0, 0, UINT64_MAX), 0);
    ck_assert(v == UINT64_MAX);
    q_value = "18446744073709551616";
    ck_assert_int_eq(http_req_query_u64(&v, &req, "n", true, 0, 0, UINT64_MAX), GSI_EUSAGE);
}
END_TEST

/* Path ids name rows, numbered from 1 to INT64_MAX (9223372036854775807 = 2^63 - 1); any
 * other text names nothing. */
START_TEST(test_param_id)
{
    struct http_req req;
    memset(&req, 0, sizeof req);
    int64_t id;
    strcpy(req.params[0], "42");
    ck_assert_int_eq(http_req_param_id(&id, &req, "record"), 0);
    ck_assert_int_eq(id, 42);
    strcpy(req.params[0], "9223372036854775807");
    ck_assert_int_eq(http_req_param_id(&id, &req, "record"), 0);
    ck_assert(id == INT64_MAX);
    const char *bad[] = {
        "", "0", "00", "-1", "+1", "1a", " 1", "9223372036854775808", "18446744073709551616"
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        strcpy(req.params[0], bad[i]);
        id = 7;
        ck_assert_msg(http_req_param_id(&id, &req, "delegate") == GSI_ENOTFOUND, "%s", bad[i]);
        ck_assert_int_eq(id, 0);
    }
    strcpy(req.params[0], "1a");
    http_req_param_id(&id, &req, "delegate");
    ck_assert_str_eq(req.err.msg, "no delegate '1a'");
}
END_TEST

static int json_err(struct http_req *req, const char *body)
{
    json_t *j;
    memset(req, 0, sizeof *req);
    req->body = body;
    req->body_len = strlen(body);
    int rc = http_req_json(&j, req);
    json_decref(j);
    return rc;
}

START_TEST(test_req_json)
{
    struct http_req req;
    ck_assert_int_eq(json_err(&req, "{\"a\": [1, 2]}"), 0);
    /* Line 2 is ` "b": }`: the `}` is its 7th character, where a value was expected.
     * jansson reports the column of the offending token's last character (here 7) and
     * the byte offset just past it: 8 bytes of line 1 + newline + 7 = 16. */
    ck_assert_int_eq(json_err(&req, "{\"a\": 1,\n \"b\": }"), GSI_EUSAGE);
    ck_assert_int_eq(req.err.line, 2);
    ck_assert_int_eq(req.err.column, 7);
    ck_assert_ptr_nonnull(strstr(req.err.msg, "line 2, column 7 (byte 16)"));
    ck_assert_int_eq(json_err(&req, "[1]"), GSI_EUSAGE);
    ck_assert_ptr_nonnull(strstr(req.err.msg, "object"));
    ck_assert_int_eq(json_err(&req, ""), GSI_EUSAGE);
    ck_assert_int_eq(json_err(&req, "{\"a\":1,\"a\":2}"), GSI_EUSAGE); /* duplicate key */
}
END_TEST

START_TEST(test_resp_error_shape)
{
    struct http_resp resp;
    http_resp_init(&resp);
    http_resp_error(&resp, GSI_EFORBIDDEN, "not \"yours\"");
    ck_assert_int_eq(resp.status, 403);
    ck_assert_str_eq(
        resp.body.data,
        "{\"error\":{\"code\":\"GSI_EFORBIDDEN\",\"message\":\"not \\\"yours\\\"\"}}\n");
    struct gsi_err err = GSI_ERR_INIT;
    gsi_err_set(&err, GSI_EUSAGE, "bad");
    err.line = 3;
    err.column = 9;
    http_resp_from_err(&resp, &err);
    ck_assert_int_eq(resp.status, 400);
    ck_assert_str_eq(resp.body.data, "{\"error\":{\"code\":\"GSI_EUSAGE\",\"message\":\"bad\","
                                     "\"line\":3,\"column\":9}}\n");
    http_resp_release(&resp);
}
END_TEST

/* A response past HTTP_RESP_MAX is the server's failure: 500, never 413 (which answers a
 * request body that is too large, RFC 9110 section 15.5.14). */
START_TEST(test_resp_too_large_is_500)
{
    struct http_resp resp;
    http_resp_init(&resp);
    size_t len = HTTP_RESP_MAX; /* with its quotes the string alone is past the cap */
    char *big = malloc(len);
    ck_assert_ptr_nonnull(big);
    memset(big, 'a', len);
    ck_assert_int_eq(http_resp_json(&resp, 200, json_stringn_nocheck(big, len)), 0);
    free(big);
    ck_assert_int_eq(resp.status, 500);
    ck_assert_ptr_nonnull(strstr(resp.body.data, "\"GSI_EINTERNAL\""));
    http_resp_release(&resp);
}
END_TEST

static int64_t fake_second;
static int64_t fake_clock(void)
{
    return fake_second;
}

static unsigned count_lines(FILE *f, const char *needle)
{
    char line[256];
    unsigned n = 0;
    rewind(f);
    while (fgets(line, sizeof line, f) != NULL) {
        n += strstr(line, needle) != NULL;
    }
    return n;
}

/* A flood of one log line is cut to HTTP_LOG_BURST a second, and the next second begins
 * with how many were dropped (1000 - 10 = 990, counted by hand); another line's format has
 * its own budget. */
START_TEST(test_log_rate_limit)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    fake_second = 100;
    http_log_setup(f, fake_clock);
    for (int i = 0; i < 1000; i++) {
        http_log("accept failed: %d", i);
    }
    http_log("other: %s", "x");
    ck_assert_uint_eq(count_lines(f, "accept failed"), HTTP_LOG_BURST);
    ck_assert_uint_eq(count_lines(f, "other: x"), 1);
    fake_second = 101;
    http_log("accept failed: %d", 1000);
    ck_assert_uint_eq(count_lines(f, "990 similar lines dropped"), 1);
    ck_assert_uint_eq(count_lines(f, "accept failed"), HTTP_LOG_BURST + 1);
    http_log_setup(NULL, NULL);
    fclose(f);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("http_router");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_route_literal_and_params);
    tcase_add_test(tc, test_route_misses);
    tcase_add_test(tc, test_route_405_allow);
    tcase_add_test(tc, test_method_names);
    tcase_add_test(tc, test_listen_parse);
    tcase_add_test(tc, test_bearer);
    tcase_add_test(tc, test_query_u64);
    tcase_add_test(tc, test_param_id);
    tcase_add_test(tc, test_req_json);
    tcase_add_test(tc, test_resp_error_shape);
    tcase_add_test(tc, test_resp_too_large_is_500);
    tcase_add_test(tc, test_log_rate_limit);
    suite_add_tcase(s, tc);
    return s;
}
