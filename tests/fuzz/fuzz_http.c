/*
 * Fuzz target for what the HTTP layer parses from a client: the request path against the
 * route table's patterns, a query value as an integer, the Authorization header, a listen
 * address, the head checks (head.h), and a JSON body (with its error position). The input's first
 * line is the path, header and query value; the rest is the body.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/auth.h"
#include "http/head.h"
#include "http/http.h"
#include "http/route.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The router's table would pull in every handler; a copy of its shapes is enough here. */
static int nop(struct http_req *req, struct http_resp *resp)
{
    return 0;
}
static const struct http_route routes[] = {
    { HTTP_GET, "/v1/parties", HTTP_AUTH_NONE, true, nop },
    { HTTP_GET, "/v1/parties/{id}", HTTP_AUTH_NONE, true, nop },
    { HTTP_POST, "/v1/parties/{id}/records", HTTP_AUTH_REQUIRED, true, nop },
    { HTTP_DELETE, "/v1/a/{x}/{y}/{z}/{w}", HTTP_AUTH_NONE, true, nop },
};

/* auth.c calls the platform for a well-formed token; the fuzzer never gets that far. */
int platform_delegate_authenticate(struct platform *p, struct platform_delegate *out,
                                   struct platform_party *party_out, const char *token,
                                   size_t token_len, struct gsi_err *err)
{
    return gsi_err_set(err, GSI_EAUTH, "no platform");
}

static const char *line_value;
static const char *lookup(void *ctx, const char *name)
{
    return line_value;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t n = nl != NULL ? (size_t)(nl - data) : size;
    char *line = malloc(n + 1);
    if (line == NULL) {
        return 0;
    }
    memcpy(line, data, n);
    line[n] = '\0';

    struct http_req req;
    memset(&req, 0, sizeof req);
    const struct http_route *r;
    char allow[64];
    for (int m = HTTP_GET; m <= HTTP_HEAD; m++) {
        (void)http_route_find(&r, &req, routes, sizeof routes / sizeof routes[0],
                              (enum http_method)m, line, allow, sizeof allow);
    }
    (void)http_method_parse(line);

    /* The head checks: the line as the target, and the body's lines as "name: value"
     * fields (NULs included, with their lengths, as the server's reader passes them on). */
    static struct http_head head;
    http_head_init(&head);
    http_head_uri(&head, line);
    http_head_version(&head, "HTTP/1.1");
    for (size_t i = n + 1; i < size;) {
        const uint8_t *e = memchr(data + i, '\n', size - i);
        size_t len = e != NULL ? (size_t)(e - (data + i)) : size - i;
        const uint8_t *colon = memchr(data + i, ':', len);
        size_t kl = colon != NULL ? (size_t)(colon - (data + i)) : len;
        size_t vo = colon != NULL ? kl + 1 : len;
        http_head_field(&head, (const char *)data + i, kl, (const char *)data + i + vo, len - vo);
        http_head_query_value(&head, (const char *)data + i + vo, len - vo);
        i += len + 1;
    }
    const char *code;
    char msg[160];
    (void)http_head_verdict(&head, &code, msg, sizeof msg);

    const char *tok;
    size_t tlen;
    struct gsi_err err = GSI_ERR_INIT;
    (void)http_auth_bearer(&tok, &tlen, line, &err);

    struct http_server_opts o;
    http_server_opts_init(&o);
    (void)http_listen_parse(&o, line, &err);

    uint64_t v;
    req.query = lookup;
    line_value = line;
    (void)http_req_query_u64(&v, &req, "x", true, 0, 0, UINT64_MAX);

    if (nl != NULL) {
        req.body = (const char *)nl + 1;
        req.body_len = size - n - 1;
        json_t *j = NULL;
        if (http_req_json(&j, &req) < 0) {
            struct http_resp resp;
            http_resp_init(&resp);
            http_resp_from_err(&resp, &req.err);
            http_resp_release(&resp);
        }
        json_decref(j);
    }
    free(line);
    return 0;
}
