/*
 * json.h — a small streaming JSON writer: the one way GSI writes JSON by hand.
 *
 * The writer keeps the nesting (objects and arrays, up to GSI_JSON_DEPTH_MAX deep) and puts the
 * commas, the colons and the line breaks where they belong, so a caller says only what to
 * write. Output goes into a capped `struct gsi_buf`; with a sink (a FILE) the buffer is drained
 * into the sink whenever it passes GSI_JSON_DRAIN bytes, so the memory held stays small
 * however long the document.
 *
 * Errors are sticky: the first failure (buffer cap, allocation, a write to the sink, nesting
 * too deep) is kept in `err`, every later call does nothing, and gsi_json_finish() returns it.
 * A caller therefore writes a whole document and checks once. Misuse — a key inside an array,
 * no key inside an object, `end` with nothing open — is a bug and fails an assert() (and in a
 * release build the sticky error GSI_EINTERNAL).
 *
 *     struct gsi_json w;
 *     gsi_json_init_file(&w, stdout);
 *     gsi_json_object_begin(&w, NULL, GSI_JSON_LINES);     // {
 *     gsi_json_int(&w, "votes", 42);                       //   "votes": 42,
 *     gsi_json_array_begin(&w, "ids", GSI_JSON_INLINE);    //   "ids": [1, 2]
 *     gsi_json_int(&w, NULL, 1);
 *     gsi_json_int(&w, NULL, 2);
 *     gsi_json_end(&w);
 *     gsi_json_end(&w);                                    // }
 *     if (gsi_json_finish(&w) < 0) ...                     // drains; the sticky error
 *     gsi_json_release(&w);
 *
 * Layout. Each container is opened in one of three styles:
 *   GSI_JSON_LINES   every member on its own line, indented two spaces more than the line the
 *                    container opened on; the closing bracket on a line of its own. An empty
 *                    container is "[]" or "{}".
 *   GSI_JSON_INLINE  members on one line separated by ", ", keys followed by ": ".
 *   GSI_JSON_COMPACT members separated by ",", keys followed by ":" (JSON Lines records).
 * gsi_json_wrap() starts the next member of an inline container on a new line, one column in
 * from the container's opening bracket, for a long record with a nested list.
 * Nothing is written after the last closing bracket; the caller adds a newline if it wants one.
 *
 * Strings (RFC 8259 section 7). `"` and `\` are escaped, as are all control characters
 * U+0000..U+001F: \n, \r and \t by name, the others as \u00XX (lower-case hex). Everything else
 * is copied, including U+007F and the non-ASCII characters, which stay UTF-8. Input that is
 * not valid UTF-8 (a stray continuation byte, a truncated sequence, an overlong form, a
 * surrogate, a code point above U+10FFFF) is not copied: each maximal ill-formed subpart is
 * replaced by U+FFFD, the policy of Unicode section 3.9 ("substitution of maximal subparts"),
 * the same as Python's bytes.decode('utf-8', 'replace'). The output is thus always valid UTF-8.
 *
 * Numbers. Integers are written exactly. A double is written in the shortest of %.15g, %.16g
 * and %.17g that reads back to the same value (gsi_format_f64), so every finite double
 * round-trips; NaN and the infinities, which JSON cannot carry, are written as null.
 */
#ifndef GSI_CORE_JSON_H
#define GSI_CORE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/buf.h"

#define GSI_JSON_DEPTH_MAX 32                  /* deepest nesting; deeper is GSI_ELIMIT */
#define GSI_JSON_DRAIN     ((size_t)64 * 1024) /* with a sink: drain once the buffer holds this much \
                                                */

enum gsi_json_style { GSI_JSON_LINES, GSI_JSON_INLINE, GSI_JSON_COMPACT };

struct gsi_json_level {
    enum gsi_json_style style;
    bool object; /* an object (members have keys) rather than an array */
    bool empty;  /* no member written yet */
    bool wrap;   /* the next member starts on a new line (gsi_json_wrap) */
    int indent;  /* column of the line the container opened on */
};

struct gsi_json {
    struct gsi_buf buf; /* output not yet drained */
    FILE *sink;         /* where the buffer drains; NULL keeps the document in `buf` */
    int err;            /* 0, or the first failure (sticky) */
    int depth;          /* open containers */
    int indent;         /* column of the current line's first member */
    struct gsi_json_level level[GSI_JSON_DEPTH_MAX];
};

/* A writer that keeps the whole document in `w->buf`, at most `max` bytes (GSI_ELIMIT past). */
void gsi_json_init(struct gsi_json *w, size_t max);
/* A writer that drains into `out` as it goes. */
void gsi_json_init_file(struct gsi_json *w, FILE *out);
/* Frees the buffer. Does not close the sink. */
void gsi_json_release(struct gsi_json *w);
/* Drains what is left into the sink (if any) and returns the sticky error: 0, GSI_ELIMIT,
 * GSI_ENOMEM, GSI_EIO (the sink failed) or GSI_EINTERNAL (misuse). Containers still open are
 * misuse. The writer may then be used for a new document. */
int gsi_json_finish(struct gsi_json *w);

/* Each value call takes `key`: the member's name inside an object, NULL inside an array or at
 * the top. Each returns the sticky error, so a caller may check as it goes or only at the end. */
int gsi_json_object_begin(struct gsi_json *w, const char *key, enum gsi_json_style style);
int gsi_json_array_begin(struct gsi_json *w, const char *key, enum gsi_json_style style);
int gsi_json_end(struct gsi_json *w);
int gsi_json_wrap(struct gsi_json *w);
/* At the top level, after a whole value: a line break (JSON Lines; a document's last line). */
int gsi_json_newline(struct gsi_json *w);

int gsi_json_string(struct gsi_json *w, const char *key, const char *s);
/* A string of `n` bytes, which may hold NULs (written as \u0000). */
int gsi_json_string_n(struct gsi_json *w, const char *key, const char *s, size_t n);
int gsi_json_int(struct gsi_json *w, const char *key, int64_t v);
int gsi_json_uint(struct gsi_json *w, const char *key, uint64_t v);
int gsi_json_double(struct gsi_json *w, const char *key, double v);
int gsi_json_bool(struct gsi_json *w, const char *key, bool v);
int gsi_json_null(struct gsi_json *w, const char *key);
/* `text` as it is, for a value already in JSON form (a number formatted elsewhere). */
int gsi_json_raw(struct gsi_json *w, const char *key, const char *text);

/* Appends `s` (n bytes) as a JSON string literal with its quotes, escaped as above. For
 * writers that build a line themselves; GSI_ELIMIT or GSI_ENOMEM from the buffer. */
int gsi_json_quote(struct gsi_buf *b, const char *s, size_t n);

#endif
