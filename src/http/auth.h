/*
 * auth.h — bearer-token authentication (RFC 6750) in front of the platform's token check.
 *
 * The server calls http_auth_check() for routes that take a token. It reads
 * "Authorization: Bearer <token>", asks the platform who holds the token, and on success
 * points req->auth and req->auth_party into `slot` (which must outlive the request).
 */
#ifndef GSI_HTTP_AUTH_H
#define GSI_HTTP_AUTH_H

#include "http/route.h"
#include "platform/platform.h"

struct http_auth_slot {
    struct platform_delegate delegate;
    struct platform_party party;
};

/* Finds the token in an Authorization header value: the scheme "Bearer" (any case), one or
 * more spaces, then the token (RFC 6750 b64token characters). 0 with *tok and *len set, or
 * GSI_EAUTH when the header is NULL, has another scheme, or the token is empty, longer than
 * PLATFORM_TOKEN_MAX - 1 bytes or holds other characters. */
int http_auth_bearer(const char **tok, size_t *len, const char *header, struct gsi_err *err);

/* Authenticates the request from its Authorization header `header` (NULL: none sent).
 * GSI_EAUTH (401) with req->err filled when it is missing, malformed, unknown or revoked. */
int http_auth_check(struct http_req *req, struct http_auth_slot *slot, const char *header);

#endif
