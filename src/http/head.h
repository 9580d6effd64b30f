/*
 * head.h — what the server checks in a request's head (request line and header fields)
 * before it routes the request: message framing (RFC 9112 section 6), the size of the
 * request target and of the fields, bytes a field may not hold, and the raw path.
 *
 * The server's reader (parse.h) splits the head and records each part here with its length,
 * then asks http_head_verdict() whether the request may go on. Keeping these rules apart
 * from the reader lets the tests and the fuzzer call them directly.
 *
 *     struct http_head h;
 *     http_head_init(&h);
 *     http_head_uri(&h, raw_uri);                  // the request target as sent
 *     http_head_version(&h, "HTTP/1.1");
 *     for each field: http_head_field(&h, name, name_len, value, value_len);
 *     int status = http_head_verdict(&h, &code, msg, sizeof msg);
 *     if (status != 0) -> answer `status` with {"error":{"code":code,"message":msg}}
 *
 * The path a route is matched against is the raw path (http_head_path): it is never
 * percent-decoded, so "%2F" cannot make a new segment and "%00" cannot cut one short.
 */
#ifndef GSI_HTTP_HEAD_H
#define GSI_HTTP_HEAD_H

#include <stdbool.h>
#include <stddef.h>

#define HTTP_URI_MAX    8192u  /* bytes in the request target; more gets 414 */
#define HTTP_FIELDS_MAX 16384u /* bytes in all header names and values; more gets 431 */

struct http_head {
    char path[HTTP_URI_MAX + 1]; /* the raw path: the target up to '?', NUL-terminated */
    bool uri_too_long;           /* the target is over HTTP_URI_MAX bytes */
    bool uri_bad_byte;           /* the target holds a control byte or a space */
    bool version_11;             /* HTTP/1.1 (a Host field is required) */
    size_t field_bytes;          /* sum of names and values seen */
    unsigned n_host;
    unsigned n_content_length;
    bool content_length_differ; /* two Content-Length fields with different values */
    char content_length[24];    /* the first one's value, truncated */
    unsigned n_transfer_encoding;
    char transfer_encoding[64]; /* the first one's value, truncated */
    bool transfer_encoding_long;
    char bad_field[64]; /* the name of the first field holding a NUL or control byte */
    bool query_nul;     /* a decoded query argument holds a NUL byte */
};

/* Clears `h` for a new request. */
void http_head_init(struct http_head *h);

/* Records the request target as the client sent it (not decoded). */
void http_head_uri(struct http_head *h, const char *uri);

/* Records the protocol version ("HTTP/1.1", "HTTP/1.0"). */
void http_head_version(struct http_head *h, const char *version);

/* Records one header field: its name and value with their lengths (a value may hold a NUL,
 * which is why the length is given). */
void http_head_field(struct http_head *h, const char *name, size_t name_len, const char *value,
                     size_t value_len);

/* Records one decoded query argument's value with its length. */
void http_head_query_value(struct http_head *h, const char *value, size_t value_len);

/* 0 when the request may go on; otherwise the HTTP status to answer (400, 414, 431, 501),
 * with the error code string in *code and a message naming the field in `msg`. */
int http_head_verdict(const struct http_head *h, const char **code, char *msg, size_t cap);

#endif
