/* json.c — the streaming JSON writer (see json.h). */
#include "core/json.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "core/err.h"
#include "core/text.h"

/* With a sink, the buffer holds at most GSI_JSON_DRAIN bytes plus one value: the cap only
 * stops a runaway string (every escaped byte is at most six). */
#define JSON_FILE_MAX ((size_t)1 << 30)

void gsi_json_init(struct gsi_json *w, size_t max)
{
    memset(w, 0, sizeof *w);
    gsi_buf_init(&w->buf, max);
}

void gsi_json_init_file(struct gsi_json *w, FILE *out)
{
    gsi_json_init(w, JSON_FILE_MAX);
    w->sink = out;
}

void gsi_json_release(struct gsi_json *w)
{
    gsi_buf_release(&w->buf);
}

static int fail(struct gsi_json *w, int code)
{
    if (w->err == 0) {
        w->err = code;
    }
    return w->err;
}

static void drain(struct gsi_json *w)
{
    if (w->sink == NULL || w->buf.len == 0 || w->err != 0) {
        return;
    }
    if (fwrite(w->buf.data, 1, w->buf.len, w->sink) != w->buf.len) {
        fail(w, GSI_EIO);
    }
    gsi_buf_reset(&w->buf);
}

int gsi_json_finish(struct gsi_json *w)
{
    assert(w->depth == 0 && "gsi_json_finish with containers still open");
    if (w->depth != 0) {
        fail(w, GSI_EINTERNAL);
    }
    drain(w);
    int rc = w->err;
    w->err = 0;
    w->depth = 0;
    w->indent = 0;
    return rc;
}

static void put(struct gsi_json *w, const char *s, size_t n)
{
    int rc = gsi_buf_append(&w->buf, s, n);
    if (rc < 0) {
        fail(w, rc);
    }
}

static void put_str(struct gsi_json *w, const char *s)
{
    put(w, s, strlen(s));
}

static void newline(struct gsi_json *w, int indent)
{
    static const char spaces[] = "                                                                ";
    put(w, "\n", 1);
    for (int left = indent; left > 0;) {
        int k = left < (int)sizeof spaces - 1 ? left : (int)sizeof spaces - 1;
        put(w, spaces, (size_t)k);
        left -= k;
    }
    w->indent = indent;
}

/* Everything a value writes before itself: the separator from the previous member, the line
 * break and indent of its style, and its key. Returns false when nothing may be written. */
static bool member_start(struct gsi_json *w, const char *key)
{
    if (w->err != 0) {
        return false;
    }
    if (w->depth == 0) {
        assert(key == NULL && "a key at the top level");
        if (key != NULL) {
            fail(w, GSI_EINTERNAL);
            return false;
        }
        return true;
    }
    struct gsi_json_level *l = &w->level[w->depth - 1];
    assert((key != NULL) == l->object && "a key inside an array, or none inside an object");
    if ((key != NULL) != l->object) {
        fail(w, GSI_EINTERNAL);
        return false;
    }
    if (!l->empty) {
        put(w, ",", 1);
    }
    if (l->style == GSI_JSON_LINES) {
        newline(w, l->indent + 2);
    } else if (l->wrap) {
        newline(w, l->indent + 1);
    } else if (!l->empty && l->style == GSI_JSON_INLINE) {
        put(w, " ", 1);
    }
    l->empty = false;
    l->wrap = false;
    if (key != NULL) {
        gsi_json_quote(&w->buf, key, strlen(key));
        put_str(w, l->style == GSI_JSON_COMPACT ? ":" : ": ");
    }
    return w->err == 0;
}

/* After a whole value at the top level or inside a container: drain a full buffer. */
static int member_end(struct gsi_json *w)
{
    if (w->buf.len >= GSI_JSON_DRAIN) {
        drain(w);
    }
    return w->err;
}

static int begin(struct gsi_json *w, const char *key, enum gsi_json_style style, bool object)
{
    if (!member_start(w, key)) {
        return w->err;
    }
    if (w->depth == GSI_JSON_DEPTH_MAX) {
        return fail(w, GSI_ELIMIT);
    }
    w->level[w->depth++] = (struct gsi_json_level){
        .style = style, .object = object, .empty = true, .wrap = false, .indent = w->indent
    };
    put(w, object ? "{" : "[", 1);
    return w->err;
}

int gsi_json_object_begin(struct gsi_json *w, const char *key, enum gsi_json_style style)
{
    return begin(w, key, style, true);
}

int gsi_json_array_begin(struct gsi_json *w, const char *key, enum gsi_json_style style)
{
    return begin(w, key, style, false);
}

int gsi_json_end(struct gsi_json *w)
{
    assert(w->depth > 0 && "gsi_json_end with nothing open");
    if (w->depth == 0) {
        return fail(w, GSI_EINTERNAL);
    }
    if (w->err != 0) {
        w->depth--;
        return w->err;
    }
    const struct gsi_json_level *l = &w->level[--w->depth];
    if (l->style == GSI_JSON_LINES && !l->empty) {
        newline(w, l->indent);
    }
    put(w, l->object ? "}" : "]", 1);
    return member_end(w);
}

int gsi_json_wrap(struct gsi_json *w)
{
    assert(w->depth > 0 && "gsi_json_wrap outside a container");
    if (w->depth == 0) {
        return fail(w, GSI_EINTERNAL);
    }
    w->level[w->depth - 1].wrap = true;
    return w->err;
}

int gsi_json_newline(struct gsi_json *w)
{
    assert(w->depth == 0 && "gsi_json_newline inside a container");
    if (w->depth != 0) {
        return fail(w, GSI_EINTERNAL);
    }
    if (w->err == 0) {
        put(w, "\n", 1);
        w->indent = 0;
    }
    return member_end(w);
}

/* Length of the well-formed UTF-8 sequence at `s` (`n` > 0 bytes left), or 0 when there is
 * none, with *bad set to the length of the maximal ill-formed subpart (at least 1): the lead
 * byte and the continuation bytes that could still have begun a valid sequence (Unicode 3.9,
 * table 3-7). */
static size_t utf8_sequence(const unsigned char *s, size_t n, size_t *bad)
{
    unsigned c = s[0];
    unsigned lo = 0x80, hi = 0xbf; /* range of the second byte */
    size_t need;
    if (c < 0x80) {
        return 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
        need = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        need = 3;
        lo = c == 0xe0 ? 0xa0 : 0x80; /* no overlong forms */
        hi = c == 0xed ? 0x9f : 0xbf; /* no surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 4;
        lo = c == 0xf0 ? 0x90 : 0x80; /* no overlong forms */
        hi = c == 0xf4 ? 0x8f : 0xbf; /* nothing above U+10FFFF */
    } else {
        *bad = 1; /* a continuation byte, C0, C1 or F5..FF */
        return 0;
    }
    size_t i = 1;
    for (; i < need && i < n; i++) {
        unsigned b = s[i];
        if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xbf)) {
            break;
        }
    }
    if (i == need) {
        return need;
    }
    *bad = i;
    return 0;
}

int gsi_json_quote(struct gsi_buf *b, const char *s, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    int rc = gsi_buf_putc(b, '"');
    size_t i = 0;
    while (rc == 0 && i < n) {
        size_t run = i; /* copy a run of bytes that need nothing in one append */
        size_t len = 0, bad = 0;
        while (run < n && p[run] >= 0x20 && p[run] != '"' && p[run] != '\\' &&
               (len = utf8_sequence(p + run, n - run, &bad)) > 0) {
            run += len;
        }
        if (run > i) {
            rc = gsi_buf_append(b, p + i, run - i);
            i = run;
            continue;
        }
        unsigned char c = p[i];
        char esc[7] = { '\\', 'u', '0', '0', digits[c >> 4], digits[c & 15], 0 };
        if (c == '"' || c == '\\') {
            esc[1] = (char)c;
            esc[2] = '\0';
        } else if (c == '\n' || c == '\r' || c == '\t') {
            static const char named[] = "nrt";
            esc[1] = named[c == '\n' ? 0 : c == '\r' ? 1 : 2];
            esc[2] = '\0';
        } else if (c >= 0x20) {
            rc = gsi_buf_append(b, "\xef\xbf\xbd", 3); /* U+FFFD for the ill-formed subpart */
            i += bad;
            continue;
        }
        rc = gsi_buf_puts(b, esc);
        i++;
    }
    return rc == 0 ? gsi_buf_putc(b, '"') : rc;
}

int gsi_json_string_n(struct gsi_json *w, const char *key, const char *s, size_t n)
{
    if (member_start(w, key)) {
        int rc = gsi_json_quote(&w->buf, s, n);
        if (rc < 0) {
            fail(w, rc);
        }
    }
    return member_end(w);
}

int gsi_json_string(struct gsi_json *w, const char *key, const char *s)
{
    return gsi_json_string_n(w, key, s, strlen(s));
}

int gsi_json_raw(struct gsi_json *w, const char *key, const char *text)
{
    if (member_start(w, key)) {
        put_str(w, text);
    }
    return member_end(w);
}

int gsi_json_int(struct gsi_json *w, const char *key, int64_t v)
{
    char t[24];
    snprintf(t, sizeof t, "%" PRId64, v);
    return gsi_json_raw(w, key, t);
}

int gsi_json_uint(struct gsi_json *w, const char *key, uint64_t v)
{
    char t[24];
    snprintf(t, sizeof t, "%" PRIu64, v);
    return gsi_json_raw(w, key, t);
}

int gsi_json_double(struct gsi_json *w, const char *key, double v)
{
    char t[40];
    if (!isfinite(v)) {
        return gsi_json_raw(w, key, "null");
    }
    gsi_format_f64(t, sizeof t, v);
    return gsi_json_raw(w, key, t);
}

int gsi_json_bool(struct gsi_json *w, const char *key, bool v)
{
    return gsi_json_raw(w, key, v ? "true" : "false");
}

int gsi_json_null(struct gsi_json *w, const char *key)
{
    return gsi_json_raw(w, key, "null");
}
