/* auth.c — bearer tokens (see auth.h). */
#include "http/auth.h"

#include <string.h>
#include <strings.h>

/* RFC 6750 section 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" */
static bool b64token_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=';
}

int http_auth_bearer(const char **tok, size_t *len, const char *header, struct gsi_err *err)
{
    *tok = NULL;
    *len = 0;
    if (header == NULL) {
        return gsi_err_set(err, GSI_EAUTH,
                           "this request needs a bearer token (Authorization: Bearer <token>)");
    }
    if (strncasecmp(header, "Bearer ", 7) != 0) {
        return gsi_err_set(err, GSI_EAUTH, "the Authorization header must use the Bearer scheme");
    }
    const char *t = header + 7;
    while (*t == ' ') {
        t++;
    }
    size_t n = 0;
    while (t[n] != '\0' && n < PLATFORM_TOKEN_MAX - 1) {
        if (!b64token_char(t[n])) {
            return gsi_err_set(err, GSI_EAUTH, "the bearer token holds a character it may not");
        }
        n++;
    }
    if (n == 0 || t[n] != '\0') {
        return gsi_err_set(err, GSI_EAUTH, "the bearer token is empty or too long");
    }
    *tok = t;
    *len = n;
    return 0;
}

int http_auth_check(struct http_req *req, struct http_auth_slot *slot, const char *header)
{
    const char *tok;
    size_t len;
    if (http_auth_bearer(&tok, &len, header, &req->err) < 0) {
        return req->err.code;
    }
    int rc = platform_delegate_authenticate(req->platform, &slot->delegate, &slot->party, tok, len,
                                            &req->err);
    if (rc < 0) {
        /* GSI_EAUTH is one answer for unknown, malformed and revoked tokens; a database
         * failure keeps its own code (500), so a client is not told to log in again. */
        return rc;
    }
    req->auth = &slot->delegate;
    req->auth_party = &slot->party;
    return 0;
}
