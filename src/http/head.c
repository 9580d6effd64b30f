/* head.c — checks on a request's head before routing (see head.h). */
#include "http/head.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

void http_head_init(struct http_head *h)
{
    memset(h, 0, sizeof *h);
}

void http_head_uri(struct http_head *h, const char *uri)
{
    size_t n = strlen(uri);
    h->uri_too_long = n > HTTP_URI_MAX;
    size_t plen = strcspn(uri, "?");
    if (plen > HTTP_URI_MAX) {
        plen = HTTP_URI_MAX;
    }
    memcpy(h->path, uri, plen);
    h->path[plen] = '\0';
    for (size_t i = 0; i < n && i < HTTP_URI_MAX; i++) {
        unsigned char c = (unsigned char)uri[i];
        if (c <= 0x20 || c == 0x7f) {
            h->uri_bad_byte = true;
        }
    }
}

void http_head_version(struct http_head *h, const char *version)
{
    h->version_11 = version != NULL && strcmp(version, "HTTP/1.1") == 0;
}

/* RFC 9110 section 5.5: a field value is visible characters, obs-text, spaces and tabs.
 * NUL, CR, LF and the other control bytes are refused: a NUL would cut the value short
 * for every C string reader after this point. */
static bool value_ok(const char *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            return false;
        }
    }
    return true;
}

static void copy_trunc(char *dst, size_t cap, const char *src, size_t n)
{
    if (n >= cap) {
        n = cap - 1;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static bool name_is(const char *name, size_t n, const char *want)
{
    return strlen(want) == n && strncasecmp(name, want, n) == 0;
}

void http_head_field(struct http_head *h, const char *name, size_t name_len, const char *value,
                     size_t value_len)
{
    h->field_bytes += name_len + value_len;
    if (value == NULL) {
        value = "";
        value_len = 0;
    }
    if (h->bad_field[0] == '\0' && (!value_ok(value, value_len) || !value_ok(name, name_len))) {
        copy_trunc(h->bad_field, sizeof h->bad_field, name, strnlen(name, name_len));
        if (h->bad_field[0] == '\0') {
            copy_trunc(h->bad_field, sizeof h->bad_field, "(unnamed)", 9);
        }
    }
    if (name_is(name, name_len, "Host")) {
        h->n_host++;
    } else if (name_is(name, name_len, "Content-Length")) {
        if (h->n_content_length == 0) {
            copy_trunc(h->content_length, sizeof h->content_length, value, value_len);
        } else if (strlen(h->content_length) != value_len ||
                   memcmp(h->content_length, value, value_len) != 0) {
            h->content_length_differ = true;
        }
        h->n_content_length++;
    } else if (name_is(name, name_len, "Transfer-Encoding")) {
        if (h->n_transfer_encoding == 0) {
            copy_trunc(h->transfer_encoding, sizeof h->transfer_encoding, value, value_len);
            h->transfer_encoding_long = value_len >= sizeof h->transfer_encoding;
        }
        h->n_transfer_encoding++;
    }
}

void http_head_query_value(struct http_head *h, const char *value, size_t value_len)
{
    if (value != NULL && memchr(value, '\0', value_len) != NULL) {
        h->query_nul = true;
    }
}

/* Transfer-Encoding: only "chunked", once (RFC 9112 section 6.1). 0 when it is that; 400
 * for chunked applied twice or not last (the body's end could not be found); 501 for a
 * coding the server does not implement. */
static int transfer_encoding_verdict(const struct http_head *h)
{
    if (h->n_transfer_encoding == 0) {
        return 0;
    }
    if (h->n_transfer_encoding > 1 || h->transfer_encoding_long) {
        return 400;
    }
    const char *v = h->transfer_encoding;
    size_t chunked = 0, other = 0;
    while (*v != '\0') {
        v += strspn(v, " \t,");
        size_t n = strcspn(v, " \t,");
        if (n == 0) {
            break;
        }
        if (n == 7 && strncasecmp(v, "chunked", 7) == 0) {
            chunked++;
        } else {
            other++;
        }
        v += n;
    }
    if (chunked == 1 && other == 0) {
        return 0;
    }
    return chunked > 0 ? 400 : 501;
}

int http_head_verdict(const struct http_head *h, const char **code, char *msg, size_t cap)
{
    *code = "GSI_EUSAGE";
    if (h->uri_too_long) {
        *code = "GSI_ELIMIT";
        snprintf(msg, cap, "the request target is longer than %u bytes", HTTP_URI_MAX);
        return 414;
    }
    if (h->field_bytes > HTTP_FIELDS_MAX) {
        *code = "GSI_ELIMIT";
        snprintf(msg, cap, "the header fields hold more than %u bytes", HTTP_FIELDS_MAX);
        return 431;
    }
    if (h->uri_bad_byte) {
        snprintf(msg, cap, "the request target holds a space or a control byte");
        return 400;
    }
    if (h->bad_field[0] != '\0') {
        snprintf(msg, cap, "the header field '%s' holds a NUL or control byte", h->bad_field);
        return 400;
    }
    if (h->query_nul) {
        snprintf(msg, cap, "a query argument holds a NUL byte (%%00)");
        return 400;
    }
    if (h->version_11 && h->n_host != 1) {
        snprintf(msg, cap, "an HTTP/1.1 request needs exactly one Host field (RFC 9112 3.2)");
        return 400;
    }
    if (h->content_length_differ) {
        snprintf(msg, cap, "two Content-Length fields with different values (RFC 9112 6.3)");
        return 400;
    }
    if (h->n_transfer_encoding > 0 && h->n_content_length > 0) {
        snprintf(msg, cap, "both Transfer-Encoding and Content-Length (RFC 9112 6.3)");
        return 400;
    }
    int te = transfer_encoding_verdict(h);
    if (te == 501) {
        *code = "GSI_EUNSUPPORTED";
        snprintf(msg, cap, "the only transfer coding the server reads is 'chunked'");
    } else if (te == 400) {
        snprintf(msg, cap, "Transfer-Encoding must be 'chunked', once (RFC 9112 6.1)");
    }
    return te;
}
