/*
 * Fuzz target for the server's HTTP/1.1 reader: http_parse_head on the input as it would
 * arrive in two reads (split where the first byte says), then, when the head is accepted and
 * says chunked, http_chunked_feed on what follows it, a byte at a time for the first bytes
 * and in one piece for the rest; and the decoder alone on the whole input. Checks what the
 * server relies on: a parsed head lies inside the bytes read, a field's value is a C string
 * inside it, the decoder never takes more than it was given nor hands on more data.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void sink(void *ctx, const char *p, size_t n)
{
    (void)p;
    *(size_t *)ctx += n;
}

/* Runs the decoder over in[0..n): the first 16 bytes one at a time. */
static void chunked(const char *in, size_t n)
{
    struct http_chunked c;
    struct http_parse_err e;
    http_chunked_init(&c);
    size_t got = 0, at = 0, used = 0;
    int rc = 0;
    while (rc == 0 && at < n) {
        size_t piece = at < 16 ? 1 : n - at;
        rc = http_chunked_feed(&c, in + at, piece, &used, sink, &got, &e);
        if (used > piece) {
            abort();
        }
        at += used;
    }
    if (got > n || (rc < 0 && e.status != 400 && e.status != 431)) {
        abort();
    }
}

static void head(char *buf, size_t size, size_t split)
{
    struct http_req_head *h = malloc(sizeof *h);
    struct http_parse_err e;
    size_t scanned = 0;
    int rc = http_parse_head(h, buf, split, &scanned, &e);
    if (rc == 0) {
        rc = http_parse_head(h, buf, size, &scanned, &e);
    }
    if (rc > 0) {
        if (h->len > size) {
            abort();
        }
        for (unsigned i = 0; i < h->nfields; i++) {
            if (h->fields[i].value >= h->len || strlen(buf + h->fields[i].value) >= h->len) {
                abort();
            }
        }
        (void)http_req_head_field(h, buf, "Authorization");
        (void)http_req_head_query(h, "start");
        if (h->chunked) {
            chunked(buf + h->len, size - h->len);
        }
    } else if (rc < 0 && (e.status < 400 || e.status > 505)) {
        abort();
    }
    free(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (buf == NULL) {
        return 0;
    }
    memcpy(buf, data, size);
    buf[size] = '\0';
    chunked(buf, size);
    head(buf, size, size > 0 ? (size_t)data[0] % (size + 1) : 0);
    free(buf);
    return 0;
}
