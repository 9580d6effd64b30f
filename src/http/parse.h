/*
 * parse.h — the server's strict HTTP/1.1 reader (RFC 9112): a request's head and a chunked
 * body, from bytes as they arrive, within caps, every refusal a status with the JSON error's
 * code and message.
 *
 * The head is read from a buffer that grows as bytes arrive; http_parse_head is called after
 * each read and looks for the blank line from where it left off (`*scanned`), so a head sent a
 * byte at a time costs linear work. Once the blank line is in, it checks the request line, the
 * fields and the framing, and writes NULs into the buffer in place: the method, the target and
 * each field's name and value become C strings there (a value holds no NUL: that is refused).
 * Fields are kept as offsets, so the buffer may move (realloc) while the body is read.
 *
 *     struct http_req_head h;
 *     struct http_parse_err e;
 *     size_t scanned = 0;
 *     ...after each read into buf[0..len):
 *     int rc = http_parse_head(&h, buf, len, &scanned, &e);
 *     if (rc == 0) read more;                         // not all in yet, within the caps
 *     if (rc < 0) answer e.status with {"error":{"code":e.code,"message":e.msg}}, close;
 *     if (rc > 0) the head is buf[0..h.len); h.method, h.check.path, http_req_head_field(...)
 *
 * A chunked body goes through http_chunked_feed, which hands the data bytes to a sink and
 * stops at the end of the last chunk's trailers: what follows is the next request.
 */
#ifndef GSI_HTTP_PARSE_H
#define GSI_HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/head.h"
#include "http/route.h"

#define HTTP_HEAD_MAX         (64u << 10)     /* request line, fields, blank line; more gets 431 */
#define HTTP_FIELDS_COUNT_MAX 100u            /* header fields in one head; more gets 431 */
#define HTTP_METHOD_MAX       32u             /* bytes in a method name; more gets 400 */
#define HTTP_CHUNK_DIGITS_MAX 15u             /* hex digits of a chunk size (< 2^60); more: 400 */
#define HTTP_CHUNK_EXT_MAX    4096u           /* bytes of extensions on one chunk-size line */
#define HTTP_TRAILERS_MAX     HTTP_FIELDS_MAX /* bytes of trailer fields after the last chunk */

/* Why a request is refused: the status, the error code string and a message for the body. */
struct http_parse_err {
    int status;
    const char *code; /* "GSI_EUSAGE", "GSI_ELIMIT", "GSI_EUNSUPPORTED" */
    char msg[160];
};

/* One header field: offsets into the head's buffer of its NUL-terminated name and value. */
struct http_field {
    uint32_t name;
    uint32_t value;
};

struct http_req_head {
    size_t len;          /* bytes of the head, with leading blank lines and its blank line */
    uint32_t method_off; /* the method's name, NUL-terminated in the buffer */
    enum http_method method;
    int minor; /* HTTP/1.<minor>: 0 or 1 */
    unsigned nfields;
    struct http_field fields[HTTP_FIELDS_COUNT_MAX];
    bool chunked;           /* Transfer-Encoding: chunked */
    bool has_length;        /* a Content-Length was sent */
    uint64_t length;        /* its value */
    bool keep_alive;        /* by the version and the Connection field */
    bool expect_continue;   /* Expect: 100-continue */
    struct http_head check; /* head.c's record: framing checks and the raw path */
    /* The query's arguments, percent-decoded ('+' is a space): for each, a byte 1 when it had
     * a value and 0 when it had none, its name and NUL, its value and NUL. */
    char query[HTTP_URI_MAX + 2];
    size_t query_len;
};

/* Reads a head from buf[0..len) (the buffer must be writable: NULs are written into it).
 * 0: the blank line is not in yet and no cap is passed (call again with more bytes, the same
 * `scanned`, which starts at 0); 1: *h is filled; -1: refused, *e says why. */
int http_parse_head(struct http_req_head *h, char *buf, size_t len, size_t *scanned,
                    struct http_parse_err *e);

/* The value of the first field named `name` (any case), NUL-terminated in `buf`; NULL if
 * none was sent. */
const char *http_req_head_field(const struct http_req_head *h, const char *buf, const char *name);

/* The decoded value of query argument `name`; NULL when absent or sent without '='. */
const char *http_req_head_query(const struct http_req_head *h, const char *name);

/* --- chunked bodies (RFC 9112 section 7.1) --------------------------------------------- */

struct http_chunked {
    int state;
    uint64_t left;   /* data bytes of the current chunk not yet fed */
    unsigned digits; /* hex digits read of the current size */
    size_t line;     /* bytes of the current size line's extensions, or of the trailers */
    bool last;       /* the current size is 0 */
};

void http_chunked_init(struct http_chunked *c);

/* Feeds in[0..n): data bytes go to sink(ctx, p, len). 0: all of `in` was taken and the body
 * goes on; 1: the body ended after *used bytes (the rest is the next request); -1: malformed
 * (a size that is not hex or too long, a missing CRLF, bytes not allowed in an extension,
 * trailers over their cap), *e says why. */
int http_chunked_feed(struct http_chunked *c, const char *in, size_t n, size_t *used,
                      void (*sink)(void *ctx, const char *p, size_t len), void *ctx,
                      struct http_parse_err *e);

#endif
