/*
 * client.h — a small HTTP/1.1 client for plain http:// URLs: what `gsi journal verify --tiles`
 * uses to read a mirror and what a log uses to reach its witnesses.
 *
 * One request per connection ("Connection: close"); the response is read whole, within caps,
 * and must be complete (Content-Length, chunked, or to the end of the connection). https is
 * not spoken here: put a mirror or witness behind a local proxy, or read a mirror from a
 * directory.
 *
 *     struct http_client_resp r;
 *     http_client_resp_init(&r, 1 << 20);
 *     if (http_client_do(&r, "GET", "http://127.0.0.1:8080/log/checkpoint", NULL, NULL, 0,
 *                        10, &err) == 0 && r.status == 200) use(r.body.data, r.body.len);
 *     http_client_resp_release(&r);
 */
#ifndef GSI_HTTP_CLIENT_H
#define GSI_HTTP_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

#define HTTP_CLIENT_HEADERS_MAX (64u << 10) /* bytes of a response's status line and headers */
#define HTTP_CLIENT_URL_MAX     2048

struct http_client_resp {
    int status;
    char content_type[128]; /* "" when none */
    struct gsi_buf body;    /* capped at the max given to _init */
};

void http_client_resp_init(struct http_client_resp *r, size_t body_max);
void http_client_resp_release(struct http_client_resp *r);

/* Splits "http://HOST[:PORT][/PATH]" (HOST a name, an IPv4 address or [IPv6]). GSI_EUSAGE for
 * anything else (https:// included, with a message saying so). */
int http_client_url_parse(char *host, size_t host_cap, uint16_t *port, char *path,
                          size_t path_cap, const char *url, struct gsi_err *err);

/* Sends one request and reads the whole response into `r`. `content_type` and `body` may be
 * NULL. GSI_EIO when the server cannot be reached or the connection fails or times out
 * (`timeout_s` per read or write), GSI_ELIMIT past a cap, GSI_EDATA for a malformed
 * response. */
int http_client_do(struct http_client_resp *r, const char *method, const char *url,
                   const char *content_type, const void *body, size_t body_len,
                   unsigned timeout_s, struct gsi_err *err);

/* Parses a complete response (`raw`, all the bytes the server sent) into `r`. Exposed for
 * the fuzz target. */
int http_client_response_parse(struct http_client_resp *r, const char *raw, size_t len,
                               struct gsi_err *err);

#endif
