/* client.c — a small HTTP/1.1 client over plain TCP (see client.h). */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "http/client.h"

void http_client_resp_init(struct http_client_resp *r, size_t body_max)
{
    r->status = 0;
    r->content_type[0] = '\0';
    gsi_buf_init(&r->body, body_max);
}

void http_client_resp_release(struct http_client_resp *r)
{
    gsi_buf_release(&r->body);
}

int http_client_url_parse(char *host, size_t host_cap, uint16_t *port, char *path,
                          size_t path_cap, const char *url, struct gsi_err *err)
{
    if (strncmp(url, "https://", 8) == 0) {
        return gsi_err_set(err, GSI_EUSAGE,
                           "%s: https is not supported; use http:// (a local proxy) or a directory",
                           url);
    }
    if (strncmp(url, "http://", 7) != 0 || strlen(url) > HTTP_CLIENT_URL_MAX) {
        return gsi_err_set(err, GSI_EUSAGE, "%s: expected http://HOST[:PORT][/PATH]", url);
    }
    const char *h = url + 7;
    const char *slash = strchr(h, '/');
    size_t hlen = slash != NULL ? (size_t)(slash - h) : strlen(h);
    const char *colon = NULL;
    const char *hs = h;
    size_t hn;
    if (hlen > 0 && h[0] == '[') {
        const char *close = memchr(h, ']', hlen);
        if (close == NULL) {
            return gsi_err_set(err, GSI_EUSAGE, "%s: unclosed [ in the host", url);
        }
        hs = h + 1;
        hn = (size_t)(close - h - 1);
        colon = close + 1 < h + hlen ? close + 1 : NULL;
        if (colon != NULL && *colon != ':') {
            return gsi_err_set(err, GSI_EUSAGE, "%s: expected :PORT after ]", url);
        }
    } else {
        colon = memchr(h, ':', hlen);
        hn = colon != NULL ? (size_t)(colon - h) : hlen;
    }
    if (hn == 0 || hn >= host_cap) {
        return gsi_err_set(err, GSI_EUSAGE, "%s: no host, or a host too long", url);
    }
    memcpy(host, hs, hn);
    host[hn] = '\0';
    *port = 80;
    if (colon != NULL) {
        unsigned long v = 0;
        size_t plen = (size_t)(h + hlen - colon - 1);
        for (size_t i = 1; i <= plen; i++) {
            if (colon[i] < '0' || colon[i] > '9' || v > 65535) {
                return gsi_err_set(err, GSI_EUSAGE, "%s: the port must be a number", url);
            }
            v = v * 10 + (unsigned long)(colon[i] - '0');
        }
        if (plen == 0 || v == 0 || v > 65535) {
            return gsi_err_set(err, GSI_EUSAGE, "%s: the port must be 1..65535", url);
        }
        *port = (uint16_t)v;
    }
    const char *p = slash != NULL ? slash : "/";
    if (strlen(p) >= path_cap) {
        return gsi_err_set(err, GSI_EUSAGE, "%s: path too long", url);
    }
    snprintf(path, path_cap, "%s", p);
    return 0;
}

static int connect_to(int *fd, const char *host, uint16_t port, unsigned timeout_s,
                      struct gsi_err *err)
{
    char service[8];
    snprintf(service, sizeof service, "%u", (unsigned)port);
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    struct addrinfo *ai = NULL;
    int g = getaddrinfo(host, service, &hints, &ai);
    if (g != 0) {
        return gsi_err_set(err, GSI_EIO, "%s: %s", host, gai_strerror(g));
    }
    int rc = gsi_err_set(err, GSI_EIO, "%s:%u: cannot connect", host, (unsigned)port);
    for (struct addrinfo *a = ai; a != NULL; a = a->ai_next) {
        int s = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (s < 0) {
            continue;
        }
        struct timeval tv = { .tv_sec = (time_t)timeout_s, .tv_usec = 0 };
        (void)setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        (void)setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (connect(s, a->ai_addr, a->ai_addrlen) == 0) {
            *fd = s;
            rc = 0;
            break;
        }
        rc = gsi_err_set(err, GSI_EIO, "%s:%u: %s", host, (unsigned)port, strerror(errno));
        close(s);
    }
    freeaddrinfo(ai);
    return rc;
}

static int send_all(int fd, const void *data, size_t len, struct gsi_err *err)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = send(fd, p, len, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return gsi_err_set(err, GSI_EIO, "sending the request: %s", strerror(errno));
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int http_client_do(struct http_client_resp *r, const char *method, const char *url,
                   const char *content_type, const void *body, size_t body_len,
                   unsigned timeout_s, struct gsi_err *err)
{
    char host[256];
    char path[HTTP_CLIENT_URL_MAX];
    uint16_t port = 0;
    int rc = http_client_url_parse(host, sizeof host, &port, path, sizeof path, url, err);
    int fd = -1;
    if (rc == 0) {
        rc = connect_to(&fd, host, port, timeout_s, err);
    }
    if (rc < 0) {
        return rc;
    }
    char head[HTTP_CLIENT_URL_MAX + 512];
    int n = snprintf(head, sizeof head,
                     "%s %s HTTP/1.1\r\nHost: %s:%u\r\nConnection: close\r\n"
                     "Accept-Encoding: identity\r\nUser-Agent: gsi\r\n",
                     method, path, host, (unsigned)port);
    if (body != NULL) {
        n += snprintf(head + n, sizeof head - (size_t)n, "Content-Type: %s\r\nContent-Length: %zu\r\n",
                      content_type != NULL ? content_type : "application/octet-stream", body_len);
    }
    n += snprintf(head + n, sizeof head - (size_t)n, "\r\n");
    rc = send_all(fd, head, (size_t)n, err);
    if (rc == 0 && body != NULL) {
        rc = send_all(fd, body, body_len, err);
    }
    struct gsi_buf raw;
    gsi_buf_init(&raw, r->body.max + HTTP_CLIENT_HEADERS_MAX);
    while (rc == 0) {
        size_t room = raw.max - raw.len;
        room = room < 16384 ? room : 16384;
        if (room == 0 || gsi_buf_reserve(&raw, room) < 0) {
            rc = gsi_err_set(err, GSI_ELIMIT, "%s: response larger than %zu bytes", url, raw.max);
            break;
        }
        ssize_t got = recv(fd, raw.data + raw.len, room, 0);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            rc = gsi_err_set(err, GSI_EIO, "%s: %s", url,
                             errno == EAGAIN ? "timed out" : strerror(errno));
        } else if (got == 0) {
            break;
        } else {
            raw.len += (size_t)got;
        }
    }
    close(fd);
    if (rc == 0) {
        rc = http_client_response_parse(r, raw.data != NULL ? raw.data : "", raw.len, err);
        if (rc < 0) {
            gsi_err_set(err, err->code, "%s: %s", url, err->msg);
        }
    }
    gsi_buf_release(&raw);
    return rc;
}

/* The value of header `name` in the header block [h, end), trimmed; NULL if absent. */
static const char *header_find(size_t *vlen, const char *h, const char *end, const char *name)
{
    size_t nlen = strlen(name);
    while (h < end) {
        const char *eol = memchr(h, '\n', (size_t)(end - h));
        const char *le = eol != NULL ? eol : end;
        if ((size_t)(le - h) > nlen && h[nlen] == ':' && strncasecmp(h, name, nlen) == 0) {
            const char *v = h + nlen + 1;
            while (v < le && (*v == ' ' || *v == '\t')) {
                v++;
            }
            const char *ve = le;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t')) {
                ve--;
            }
            *vlen = (size_t)(ve - v);
            return v;
        }
        h = le + 1;
    }
    return NULL;
}

/* A decimal or hexadecimal size of at most 15 digits at s[0..len). */
static int parse_size(size_t *out, const char *s, size_t len, int base)
{
    if (len == 0 || len > 15) {
        return -1;
    }
    size_t v = 0;
    for (size_t i = 0; i < len; i++) {
        int d;
        char c = s[i];
        if (c >= '0' && c <= '9') {
            d = c - '0';
        } else if (base == 16 && c >= 'a' && c <= 'f') {
            d = c - 'a' + 10;
        } else if (base == 16 && c >= 'A' && c <= 'F') {
            d = c - 'A' + 10;
        } else {
            return -1;
        }
        v = v * (size_t)base + (size_t)d;
    }
    *out = v;
    return 0;
}

/* Decodes a chunked body [p, end) into r->body. */
static int dechunk(struct http_client_resp *r, const char *p, const char *end, struct gsi_err *err)
{
    for (;;) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (eol == NULL) {
            return gsi_err_set(err, GSI_EDATA, "chunked body cut short");
        }
        size_t hl = 0;
        while (p + hl < eol && p[hl] != ';' && p[hl] != '\r') {
            hl++;
        }
        size_t n = 0;
        if (parse_size(&n, p, hl, 16) < 0) {
            return gsi_err_set(err, GSI_EDATA, "malformed chunk size");
        }
        p = eol + 1;
        if (n == 0) {
            return 0;
        }
        if ((size_t)(end - p) < n + 2) {
            return gsi_err_set(err, GSI_EDATA, "chunk cut short");
        }
        if (gsi_buf_append(&r->body, p, n) < 0) {
            return gsi_err_set(err, GSI_ELIMIT, "response body larger than %zu bytes", r->body.max);
        }
        p += n;
        if (*p == '\r') {
            p++;
        }
        if (*p != '\n') {
            return gsi_err_set(err, GSI_EDATA, "chunk not followed by a line end");
        }
        p++;
    }
}

int http_client_response_parse(struct http_client_resp *r, const char *raw, size_t len,
                               struct gsi_err *err)
{
    r->status = 0;
    r->content_type[0] = '\0';
    gsi_buf_reset(&r->body);
    const char *end = raw + len;
    if (len < 12 || memcmp(raw, "HTTP/1.", 7) != 0 || raw[8] != ' ') {
        return gsi_err_set(err, GSI_EDATA, "not an HTTP/1.x response");
    }
    size_t status = 0;
    if (parse_size(&status, raw + 9, 3, 10) < 0 || status < 100 || status > 599) {
        return gsi_err_set(err, GSI_EDATA, "malformed status code");
    }
    /* The header block ends at the first empty line. */
    const char *hend = NULL;
    for (const char *p = raw; p < end;) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (eol == NULL || (size_t)(eol - raw) > HTTP_CLIENT_HEADERS_MAX) {
            break;
        }
        if (eol == p || (eol == p + 1 && *p == '\r')) {
            hend = eol + 1;
            break;
        }
        p = eol + 1;
    }
    if (hend == NULL) {
        return gsi_err_set(err, GSI_EDATA, "response headers cut short or over %u bytes",
                           HTTP_CLIENT_HEADERS_MAX);
    }
    r->status = (int)status;
    const char *first = (const char *)memchr(raw, '\n', (size_t)(hend - raw)) + 1;
    size_t vlen = 0;
    const char *v = header_find(&vlen, first, hend, "Content-Type");
    if (v != NULL) {
        snprintf(r->content_type, sizeof r->content_type, "%.*s", (int)vlen, v);
    }
    v = header_find(&vlen, first, hend, "Transfer-Encoding");
    if (v != NULL && vlen == 7 && strncasecmp(v, "chunked", 7) == 0) {
        return dechunk(r, hend, end, err);
    }
    size_t body = (size_t)(end - hend);
    v = header_find(&vlen, first, hend, "Content-Length");
    if (v != NULL) {
        size_t cl = 0;
        if (parse_size(&cl, v, vlen, 10) < 0 || cl > body) {
            return gsi_err_set(err, GSI_EDATA, "body shorter than its Content-Length");
        }
        body = cl;
    }
    if (gsi_buf_append(&r->body, hend, body) < 0) {
        return gsi_err_set(err, GSI_ELIMIT, "response body larger than %zu bytes", r->body.max);
    }
    return 0;
}
