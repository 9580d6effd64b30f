/* parse.c — a request's head: request line, fields, query, framing (see parse.h). */
#include "http/parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/text.h"

static int refuse(struct http_parse_err *e, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int refuse(struct http_parse_err *e, int status, const char *code, const char *fmt, ...)
{
    e->status = status;
    e->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return -1;
}

/* RFC 9110 section 5.6.2: tchar. */
static bool is_tchar(unsigned char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        return true;
    }
    return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Where the head ends: the offset past its blank line, 0 when it is not in yet, or -1 for a
 * line ended by a bare LF. `*scanned` is where the last call stopped looking. */
static long head_end(const char *buf, size_t len, size_t *scanned)
{
    size_t i = *scanned;
    while (i < len) {
        const char *lf = memchr(buf + i, '\n', len - i);
        if (lf == NULL) {
            break;
        }
        size_t at = (size_t)(lf - buf);
        if (at == 0 || buf[at - 1] != '\r') {
            return -1;
        }
        if (at >= 3 && buf[at - 2] == '\n' && buf[at - 3] == '\r') {
            return (long)(at + 1);
        }
        i = at + 1;
    }
    /* Not in yet: the next look starts at the last line's start less its CRLF, so a blank
     * line split across two reads is found. */
    *scanned = len >= 3 ? len - 3 : 0;
    return 0;
}

/* The value of a hex digit, -1 for another byte. */
static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
        return (c | 0x20) - 'a' + 10;
    }
    return -1;
}

static enum http_method method_of(const char *m)
{
    return http_method_parse(m);
}

/* "HTTP/1.1" and "HTTP/1.0" are read; another "HTTP/x.y" is 505, anything else 400. */
static int version_parse(struct http_req_head *h, const char *v, size_t n, struct http_parse_err *e)
{
    if (n == 8 && memcmp(v, "HTTP/1.", 7) == 0 && (v[7] == '0' || v[7] == '1')) {
        h->minor = v[7] - '0';
        return 0;
    }
    if (n == 8 && memcmp(v, "HTTP/", 5) == 0 && v[5] >= '0' && v[5] <= '9' && v[6] == '.' &&
        v[7] >= '0' && v[7] <= '9') {
        return refuse(e, 505, "GSI_EUNSUPPORTED",
                      "HTTP version %.8s is not supported; the server speaks HTTP/1.1 and 1.0", v);
    }
    return refuse(e, 400, "GSI_EUSAGE",
                  "the request line must be 'METHOD /target HTTP/1.1' (RFC 9112 3)");
}

/* Percent-decodes src[0..n) into dst ('+' is a space; a '%' not followed by two hex digits
 * stays as it is). Returns the decoded length, never more than n. */
static size_t query_decode(char *dst, const char *src, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (src[i] == '%' && i + 2 < n && (hi = hex_digit(src[i + 1])) >= 0 &&
            (lo = hex_digit(src[i + 2])) >= 0) {
            dst[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else if (src[i] == '+') {
            dst[o++] = ' ';
        } else {
            dst[o++] = src[i];
        }
    }
    return o;
}

/* Splits the query q[0..n) into h->query (parse.h) and records each decoded name and value
 * with head.c, which refuses one holding a NUL. Fits: each argument takes at most its raw
 * length plus three bytes, and a query's '&'s give the room for all but one. */
static void query_split(struct http_req_head *h, const char *q, size_t n)
{
    size_t at = 0;
    while (at < n) {
        size_t len = strcspn(q + at, "&");
        if (at + len > n) {
            len = n - at;
        }
        const char *arg = q + at;
        at += len + 1;
        if (len == 0 || h->query_len + len + 3 > sizeof h->query) {
            continue;
        }
        const char *eq = memchr(arg, '=', len);
        size_t nlen = eq != NULL ? (size_t)(eq - arg) : len;
        char *out = h->query + h->query_len;
        out[0] = eq != NULL ? 1 : 0;
        size_t dn = query_decode(out + 1, arg, nlen);
        http_head_query_value(&h->check, out + 1, dn);
        out[1 + dn] = '\0';
        size_t dv = 0;
        if (eq != NULL) {
            dv = query_decode(out + 2 + dn, eq + 1, len - nlen - 1);
            http_head_query_value(&h->check, out + 2 + dn, dv);
        }
        out[2 + dn + dv] = '\0';
        h->query_len += 3 + dn + dv;
    }
}

/* The request line buf[0..n) (without its CRLF): METHOD SP target SP version. */
static int request_line(struct http_req_head *h, char *buf, size_t start, size_t n,
                        struct http_parse_err *e)
{
    char *line = buf + start;
    size_t m = 0;
    while (m < n && is_tchar((unsigned char)line[m])) {
        m++;
    }
    if (m == 0 || m > HTTP_METHOD_MAX || m >= n || line[m] != ' ') {
        return refuse(e, 400, "GSI_EUSAGE",
                      "the request line must start with a method name and one space (RFC 9112 3)");
    }
    char *target = line + m + 1;
    char *sp = memchr(target, ' ', n - m - 1);
    if (sp == NULL) {
        if (n - m - 1 > HTTP_URI_MAX) {
            return refuse(e, 414, "GSI_ELIMIT", "the request target is longer than %u bytes",
                          HTTP_URI_MAX);
        }
        return refuse(e, 400, "GSI_EUSAGE", "the request line has no HTTP version (RFC 9112 3)");
    }
    size_t tlen = (size_t)(sp - target);
    if (version_parse(h, sp + 1, n - m - 2 - tlen, e) < 0) {
        return -1;
    }
    if (tlen > HTTP_URI_MAX) {
        return refuse(e, 414, "GSI_ELIMIT", "the request target is longer than %u bytes",
                      HTTP_URI_MAX);
    }
    /* head.c reads the target as a C string: a NUL in it must be refused here. */
    for (size_t i = 0; i < tlen; i++) {
        if ((unsigned char)target[i] < 0x21 || target[i] == 0x7f) {
            return refuse(e, 400, "GSI_EUSAGE", "the request target holds a control byte");
        }
    }
    if (tlen == 0 || target[0] != '/') {
        return refuse(e, 400, "GSI_EUSAGE",
                      "the request target must be a path starting with '/' (RFC 9112 3.2.1)");
    }
    line[m] = '\0';
    *sp = '\0';
    h->method_off = (uint32_t)start;
    h->method = method_of(line);
    http_head_uri(&h->check, target);
    const char *q = memchr(target, '?', tlen);
    if (q != NULL) {
        query_split(h, q + 1, tlen - (size_t)(q + 1 - target));
    }
    return 0;
}

/* Whether the comma-separated list `v` holds the token `tok` (any case). */
static bool list_has(const char *v, const char *tok)
{
    size_t tn = strlen(tok);
    while (*v != '\0') {
        v += strspn(v, " \t,");
        size_t n = strcspn(v, " \t,");
        if (n == tn && strncasecmp(v, tok, n) == 0) {
            return true;
        }
        v += n;
    }
    return false;
}

/* One field line buf[at..at+n): name ':' OWS value OWS. */
static int field_line(struct http_req_head *h, char *buf, size_t at, size_t n,
                      struct http_parse_err *e)
{
    char *line = buf + at;
    if (line[0] == ' ' || line[0] == '\t') {
        return refuse(e, 400, "GSI_EUSAGE",
                      "a header line starts with whitespace (obs-fold, RFC 9112 5.2)");
    }
    size_t k = 0;
    while (k < n && is_tchar((unsigned char)line[k])) {
        k++;
    }
    if (k == 0 || k >= n || line[k] != ':') {
        return refuse(e, 400, "GSI_EUSAGE",
                      "a header line is not 'Name: value' (a token, then ':' with no space "
                      "before it; RFC 9112 5.1)");
    }
    if (h->nfields == HTTP_FIELDS_COUNT_MAX) {
        return refuse(e, 431, "GSI_ELIMIT", "the head has more than %u header fields",
                      HTTP_FIELDS_COUNT_MAX);
    }
    size_t v = k + 1, end = n;
    while (v < end && (line[v] == ' ' || line[v] == '\t')) {
        v++;
    }
    while (end > v && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
        end--;
    }
    http_head_field(&h->check, line, k, line + v, end - v);
    line[k] = '\0';
    line[end] = '\0';
    h->fields[h->nfields].name = (uint32_t)at;
    h->fields[h->nfields].value = (uint32_t)(at + v);
    h->nfields++;
    return 0;
}

/* Content-Length: digits only, at most 18 of them (RFC 9110 8.6). */
static int length_parse(struct http_req_head *h, const char *v, struct http_parse_err *e)
{
    size_t n = strlen(v);
    uint64_t x;
    if (n == 0 || n > 18 || gsi_parse_u64(&x, v, n) < 0) {
        return refuse(
            e, 400, "GSI_EUSAGE",
            "Content-Length must be a decimal number of at most 18 digits (RFC 9110 8.6)");
    }
    h->has_length = true;
    h->length = x;
    return 0;
}

/* After the fields: head.c's verdict, then what framing and keep-alive the fields ask for. */
static int head_framing(struct http_req_head *h, const char *buf, struct http_parse_err *e)
{
    int status = http_head_verdict(&h->check, &e->code, e->msg, sizeof e->msg);
    if (status != 0) {
        e->status = status;
        return -1;
    }
    const char *cl = http_req_head_field(h, buf, "Content-Length");
    if (cl != NULL && length_parse(h, cl, e) < 0) {
        return -1;
    }
    h->chunked = h->check.n_transfer_encoding > 0;
    const char *conn = http_req_head_field(h, buf, "Connection");
    h->keep_alive = h->minor == 1 ? !(conn != NULL && list_has(conn, "close"))
                                  : conn != NULL && list_has(conn, "keep-alive");
    const char *expect = http_req_head_field(h, buf, "Expect");
    h->expect_continue = expect != NULL && strcasecmp(expect, "100-continue") == 0;
    return 0;
}

/* The caps that apply before the blank line is in: the request line, then the head. */
static int head_incomplete(const char *buf, size_t len, struct http_parse_err *e)
{
    if (memchr(buf, '\n', len) == NULL && len > HTTP_URI_MAX + HTTP_METHOD_MAX + 16) {
        return refuse(e, 414, "GSI_ELIMIT", "the request target is longer than %u bytes",
                      HTTP_URI_MAX);
    }
    if (len >= HTTP_HEAD_MAX) {
        return refuse(e, 431, "GSI_ELIMIT", "the request head is larger than %u bytes",
                      HTTP_HEAD_MAX);
    }
    return 0;
}

int http_parse_head(struct http_req_head *h, char *buf, size_t len, size_t *scanned,
                    struct http_parse_err *e)
{
    /* A blank line or two before the request line is ignored (RFC 9112 2.2). */
    size_t start = 0;
    while (start + 1 < len && start < 4 && buf[start] == '\r' && buf[start + 1] == '\n') {
        start += 2;
    }
    if (*scanned < start) {
        *scanned = start;
    }
    long end = head_end(buf, len, scanned);
    if (end < 0) {
        return refuse(e, 400, "GSI_EUSAGE", "a line of the head ends in a bare LF, not CRLF");
    }
    if (end == 0) {
        return head_incomplete(buf + start, len - start, e) < 0 ? -1 : 0;
    }
    if ((size_t)end > HTTP_HEAD_MAX) {
        return refuse(e, 431, "GSI_ELIMIT", "the request head is larger than %u bytes",
                      HTTP_HEAD_MAX);
    }
    memset(h, 0, offsetof(struct http_req_head, query));
    h->query_len = 0;
    http_head_init(&h->check);
    h->len = (size_t)end;
    size_t at = start;
    size_t n = (size_t)((char *)memchr(buf + at, '\n', (size_t)end - at) - (buf + at)) - 1;
    if (request_line(h, buf, at, n, e) < 0) {
        return -1;
    }
    http_head_version(&h->check, h->minor == 1 ? "HTTP/1.1" : "HTTP/1.0");
    for (at += n + 2; at + 2 < (size_t)end; at += n + 2) {
        n = (size_t)((char *)memchr(buf + at, '\n', (size_t)end - at) - (buf + at)) - 1;
        if (field_line(h, buf, at, n, e) < 0) {
            return -1;
        }
    }
    return head_framing(h, buf, e) < 0 ? -1 : 1;
}

const char *http_req_head_field(const struct http_req_head *h, const char *buf, const char *name)
{
    for (unsigned i = 0; i < h->nfields; i++) {
        if (strcasecmp(buf + h->fields[i].name, name) == 0) {
            return buf + h->fields[i].value;
        }
    }
    return NULL;
}

const char *http_req_head_query(const struct http_req_head *h, const char *name)
{
    size_t at = 0;
    while (at < h->query_len) {
        bool has_value = h->query[at] == 1;
        const char *n = h->query + at + 1;
        size_t nlen = strlen(n);
        const char *v = n + nlen + 1;
        if (strcmp(n, name) == 0) {
            return has_value ? v : NULL;
        }
        at += 3 + nlen + strlen(v);
    }
    return NULL;
}
