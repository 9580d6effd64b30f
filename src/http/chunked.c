/* chunked.c — the chunked transfer coding's decoder (RFC 9112 section 7.1; see parse.h).
 *
 *   chunked-body = *chunk last-chunk trailer-section CRLF
 *   chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
 *   last-chunk   = 1*("0") [ chunk-ext ] CRLF
 *
 * A byte-at-a-time state machine, except for chunk data, which is handed on in runs.
 * Extensions are skipped (bounded: HTTP_CHUNK_EXT_MAX), trailers skipped (bounded:
 * HTTP_TRAILERS_MAX); every line must end in CRLF. */
#include <stdio.h>
#include <string.h>

#include "http/parse.h"

enum {
    CH_SIZE,    /* reading the size's hex digits */
    CH_EXT,     /* past the digits: extensions up to CR */
    CH_SIZE_LF, /* the size line's CR seen */
    CH_DATA,    /* `left` data bytes to come */
    CH_DATA_CR, /* after the data: CR */
    CH_DATA_LF, /* ... LF */
    CH_TRAILER, /* after the last chunk: at the start of a trailer line or the final CRLF */
    CH_TRAILER_LINE,
    CH_TRAILER_LF,
    CH_END_LF, /* the final CRLF's CR seen */
    CH_DONE
};

void http_chunked_init(struct http_chunked *c)
{
    memset(c, 0, sizeof *c);
    c->state = CH_SIZE;
}

static int bad(struct http_parse_err *e, int status, const char *msg)
{
    e->status = status;
    e->code = status == 400 ? "GSI_EUSAGE" : "GSI_ELIMIT";
    snprintf(e->msg, sizeof e->msg, "%s", msg);
    return -1;
}

static int hexval(unsigned char b)
{
    if (b >= '0' && b <= '9') {
        return b - '0';
    }
    b |= 0x20;
    return b >= 'a' && b <= 'f' ? b - 'a' + 10 : -1;
}

/* One byte of a size line. */
static int size_byte(struct http_chunked *c, unsigned char b, struct http_parse_err *e)
{
    int v = hexval(b);
    if (c->state == CH_SIZE && v >= 0) {
        if (++c->digits > HTTP_CHUNK_DIGITS_MAX) {
            return bad(e, 400, "a chunk size has more hex digits than the server reads (15)");
        }
        c->left = c->left * 16 + (uint64_t)v;
        return 0;
    }
    if (c->digits == 0) {
        return bad(e, 400, "a chunk size is not a hexadecimal number (RFC 9112 7.1)");
    }
    if (b == '\r') {
        c->state = CH_SIZE_LF;
        return 0;
    }
    /* Extensions (";name=value", with optional whitespace) are read past, not used. */
    if (c->state == CH_SIZE && b != ';' && b != ' ' && b != '\t') {
        return bad(e, 400, "a chunk size is followed by a byte that is not ';' or CRLF");
    }
    if ((b < 0x20 && b != '\t') || b == 0x7f) {
        return bad(e, 400, "a chunk extension holds a control byte");
    }
    if (++c->line > HTTP_CHUNK_EXT_MAX) {
        return bad(e, 400, "a chunk's extensions are longer than the server reads (4096 bytes)");
    }
    c->state = CH_EXT;
    return 0;
}

/* One byte of the trailer section, after the last chunk. 1 at the end of the body. */
static int trailer_byte(struct http_chunked *c, unsigned char b, struct http_parse_err *e)
{
    if (++c->line > HTTP_TRAILERS_MAX) {
        return bad(e, 431, "the trailer fields are larger than the server reads (16 KiB)");
    }
    switch (c->state) {
    case CH_TRAILER:
        c->state = b == '\r' ? CH_END_LF : CH_TRAILER_LINE;
        return b == '\n' ? bad(e, 400, "a trailer line ends in a bare LF, not CRLF") : 0;
    case CH_TRAILER_LINE:
        if (b == '\r') {
            c->state = CH_TRAILER_LF;
        } else if (b == '\n' || b == '\0') {
            return bad(e, 400, "a trailer line holds a NUL or a bare LF");
        }
        return 0;
    case CH_TRAILER_LF:
        c->state = CH_TRAILER;
        return b == '\n' ? 0 : bad(e, 400, "a trailer line's CR is not followed by LF");
    default: /* CH_END_LF */
        if (b != '\n') {
            return bad(e, 400, "the chunked body's last CR is not followed by LF");
        }
        c->state = CH_DONE;
        return 1;
    }
}

/* One byte in any state but CH_DATA. 1 at the end of the body. */
static int step(struct http_chunked *c, unsigned char b, struct http_parse_err *e)
{
    switch (c->state) {
    case CH_SIZE:
    case CH_EXT:
        return size_byte(c, b, e);
    case CH_SIZE_LF:
        if (b != '\n') {
            return bad(e, 400, "a chunk-size line's CR is not followed by LF");
        }
        c->last = c->left == 0;
        c->line = 0;
        c->state = c->last ? CH_TRAILER : CH_DATA;
        return 0;
    case CH_DATA_CR:
        c->state = CH_DATA_LF;
        return b == '\r' ? 0 : bad(e, 400, "a chunk's data is not followed by CRLF");
    case CH_DATA_LF:
        c->state = CH_SIZE;
        c->digits = 0;
        c->left = 0;
        c->line = 0;
        return b == '\n' ? 0 : bad(e, 400, "a chunk's data is not followed by CRLF");
    default:
        return trailer_byte(c, b, e);
    }
}

int http_chunked_feed(struct http_chunked *c, const char *in, size_t n, size_t *used,
                      void (*sink)(void *ctx, const char *p, size_t len), void *ctx,
                      struct http_parse_err *e)
{
    size_t i = 0;
    *used = 0;
    if (c->state == CH_DONE) {
        return 1;
    }
    while (i < n) {
        if (c->state == CH_DATA) {
            size_t take = n - i;
            if ((uint64_t)take > c->left) {
                take = (size_t)c->left;
            }
            sink(ctx, in + i, take);
            i += take;
            c->left -= take;
            if (c->left == 0) {
                c->state = CH_DATA_CR;
            }
            continue;
        }
        int rc = step(c, (unsigned char)in[i++], e);
        if (rc != 0) {
            *used = i;
            return rc;
        }
    }
    *used = i;
    return 0;
}
