/* proc_schema.c — payloads against their act's declared fields: validation with JSON pointers,
 * GeoJSON, RFC 3339 times, party lists, and the OpenAPI schemas written from the same tables.
 *
 * Invariant: a payload that passes platform__proc_payload_check is an object holding only declared
 * fields (plus "party", the party acted for), each of its declared type and within its caps, so the
 * procedures' rules read it without checking again. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "platform/internal.h"
#include "ref/ref.h"

/* --- times --- */

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int platform_time_parse(int64_t *us, const char *s, size_t n)
{
    int y, mo, d, h, mi, se;
    if (n < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' ||
        s[16] != ':' || digits(s, 4, &y) < 0 || digits(s + 5, 2, &mo) < 0 ||
        digits(s + 8, 2, &d) < 0 || digits(s + 11, 2, &h) < 0 || digits(s + 14, 2, &mi) < 0 ||
        digits(s + 17, 2, &se) < 0 || !gsi_date_valid(y, mo, d) || h > 23 || mi > 59 || se > 59) {
        return GSI_EDATA;
    }
    size_t i = 19;
    int64_t frac = 0;
    if (i < n && s[i] == '.') {
        int64_t scale = 100000;
        size_t start = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            frac += (s[i] - '0') * scale;
            scale /= 10;
            i++;
        }
        if (i == start || i - start > 9) {
            return GSI_EDATA;
        }
    }
    bool utc = (n - i == 1 && (s[i] == 'Z' || s[i] == 'z')) ||
               (n - i == 6 && memcmp(s + i, "+00:00", 6) == 0);
    if (!utc) {
        return GSI_EDATA;
    }
    int64_t days = gsi_date_from_civil(y, mo, d);
    *us = ((days * 24 + h) * 60 + mi) * 60 * (int64_t)1000000 + se * (int64_t)1000000 + frac;
    return 0;
}

void platform_proc_time_format(char out[PLATFORM_TIME_MAX], int64_t us)
{
    int64_t secs = us / 1000000;
    if (us < 0 && us % 1000000 != 0) {
        secs--;
    }
    int64_t day = secs / 86400;
    int64_t rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        day--;
    }
    int y, m, d;
    gsi_date_to_civil((int32_t)day, &y, &m, &d);
    snprintf(out, PLATFORM_TIME_MAX, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(rem / 3600),
             (int)(rem / 60 % 60), (int)(rem % 60));
}

int64_t platform__proc_json_time(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    int64_t us = 0;
    if (s == NULL || platform_time_parse(&us, s, strlen(s)) < 0) {
        return 0;
    }
    return us;
}

int64_t platform__proc_json_int(const json_t *obj, const char *key, int64_t dflt)
{
    json_t *v = json_object_get(obj, key);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : dflt;
}

/* --- fields --- */

/* A JSON pointer being built while walking a payload ("/area/coordinates/0"). */
struct ptr {
    char s[160];
};

static void ptr_push(struct ptr *out, const struct ptr *base, const char *key, long idx)
{
    /* A pointer longer than the buffer is cut: payloads nest at most PROC_DEPTH_MAX deep and
     * field names are the table's, so this never happens in practice. */
    char seg[64];
    if (key != NULL) {
        snprintf(seg, sizeof seg, "/%.48s", key);
    } else {
        snprintf(seg, sizeof seg, "/%ld", idx);
    }
    size_t n = strlen(base->s);
    if (out != base) {
        memcpy(out->s, base->s, n + 1);
    }
    size_t m = strlen(seg);
    if (n + m < sizeof out->s) {
        memcpy(out->s + n, seg, m + 1);
    }
}

static int bad(struct gsi_err *err, const struct ptr *at, const char *what)
{
    return gsi_err_set(err, GSI_EDATA, "%s: %s", at->s[0] ? at->s : "/", what);
}

static bool utf8_text_ok(const char *s, size_t n, bool multiline)
{
    /* jansson has checked the UTF-8; only control characters are refused here. */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && !(multiline && (c == '\n' || c == '\t' || c == '\r'))) {
            return false;
        }
        if (c == 0x7f) {
            return false;
        }
    }
    return true;
}

static int check_string(json_t *v, const struct platform_proc_field *f, const struct ptr *at,
                        struct gsi_err *err)
{
    size_t cap = f->max > 0 ? (size_t)f->max : PROC_STRING_CAP;
    char msg[96];
    if (!json_is_string(v)) {
        snprintf(msg, sizeof msg, "expected a string of 1 to %zu bytes", cap);
        return bad(err, at, msg);
    }
    size_t n = json_string_length(v);
    if (n == 0 || n > cap) {
        snprintf(msg, sizeof msg, "expected a string of 1 to %zu bytes, got %zu", cap, n);
        return bad(err, at, msg);
    }
    if (!utf8_text_ok(json_string_value(v), n, cap > PROC_STRING_CAP)) {
        return bad(err, at, "control characters are not allowed");
    }
    return 0;
}

static int check_number(json_t *v, const struct platform_proc_field *f, const struct ptr *at,
                        struct gsi_err *err)
{
    char msg[128];
    bool is_int = f->type == PLATFORM_PROC_INT;
    snprintf(msg, sizeof msg, "expected %s in [%.15g, %.15g]", is_int ? "an integer" : "a number",
             f->min, f->max);
    if (is_int ? !json_is_integer(v) : !json_is_number(v)) {
        return bad(err, at, msg);
    }
    double x = json_number_value(v);
    if (!(x >= f->min && x <= f->max)) {
        return bad(err, at, msg);
    }
    return 0;
}

static int check_enum(json_t *v, const struct platform_proc_field *f, const struct ptr *at,
                      struct gsi_err *err)
{
    const char *s = json_string_value(v);
    char msg[GSI_ERR_MSG_MAX / 2];
    size_t len = (size_t)snprintf(msg, sizeof msg, "expected one of");
    for (size_t i = 0; f->values[i] != NULL; i++) {
        if (s != NULL && strcmp(s, f->values[i]) == 0) {
            return 0;
        }
        if (len < sizeof msg) {
            len +=
                (size_t)snprintf(msg + len, sizeof msg - len, "%s %s", i ? "," : "", f->values[i]);
        }
    }
    return bad(err, at, msg);
}

static int check_ref(json_t *v, const struct platform_proc_field *f, const struct ptr *at,
                     struct gsi_err *err)
{
    const char *s = json_string_value(v);
    if (f->type == PLATFORM_PROC_DOMAIN) {
        if (s == NULL || ref_domain_by_key(s, strlen(s)) == NULL) {
            return bad(err, at,
                       "expected one of the 20 priority domains' keys (docs/api.yaml "
                       "Domain; e.g. \"nuclear\", \"public-health\")");
        }
        return 0;
    }
    for (size_t i = 0; s != NULL && i < ref_charter33_count(); i++) {
        if (strcmp(s, ref_charter33_at(i)) == 0) {
            return 0;
        }
    }
    return bad(err, at,
               "expected one of the UN Charter Art. 33 means (negotiation, enquiry, mediation, "
               "conciliation, arbitration, judicial settlement, ...)");
}

static int cmp_id(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* Adds `id` (a party) or its members (a grouping) to `set`. */
static int expand_one(struct platform *p, char (*set)[PLATFORM_ID_MAX], size_t *n, const char *id,
                      bool expand, const struct ptr *at, struct gsi_err *err)
{
    if (p == NULL) {
        return bad(err, at, "no parties to check against");
    }
    struct platform_party party;
    struct gsi_err e2 = GSI_ERR_INIT;
    if (strlen(id) >= PLATFORM_ID_MAX || platform_party_get(p, &party, id, &e2) < 0) {
        if (e2.code != 0 && e2.code != GSI_ENOTFOUND) {
            *err = e2;
            return e2.code;
        }
        return bad(err, at, "expected a party id (GET /v1/parties lists them) or \"ALL\"");
    }
    char(*members)[PLATFORM_ID_MAX] = NULL;
    size_t nm = 0;
    bool grouping = expand && strcmp(party.kind, "state") != 0 &&
                    strcmp(party.kind, "observer") != 0 && strcmp(party.kind, "nonstate") != 0;
    if (grouping) {
        int rc = platform_party_members(p, &members, &nm, party.id, err);
        if (rc < 0) {
            return rc;
        }
    }
    if (nm == 0) { /* a state, or a body without members: itself */
        if (*n >= PLATFORM_PROC_PARTIES_MAX) {
            free(members);
            return bad(err, at, "too many parties addressed");
        }
        snprintf(set[(*n)++], PLATFORM_ID_MAX, "%s", party.id);
    }
    for (size_t i = 0; i < nm; i++) {
        if (*n >= PLATFORM_PROC_PARTIES_MAX) {
            free(members);
            return bad(err, at, "too many parties addressed");
        }
        snprintf(set[(*n)++], PLATFORM_ID_MAX, "%s", members[i]);
    }
    free(members);
    return 0;
}

/* A PARTY field: a party that exists (a grouping is one party here). */
static int check_party(struct platform *p, const char *id, const struct ptr *at,
                       struct gsi_err *err)
{
    if (p == NULL) { /* no database to look parties up in (the fuzz target) */
        return bad(err, at, "no parties to check against");
    }
    struct platform_party party;
    struct gsi_err e2 = GSI_ERR_INIT;
    if (platform_party_get(p, &party, id, &e2) == 0) {
        return 0;
    }
    if (e2.code != GSI_ENOTFOUND) {
        *err = e2;
        return e2.code;
    }
    return bad(err, at, "expected a party id (GET /v1/parties lists them)");
}

/* "ALL": every UN member state. */
static int expand_all(struct platform *p, char (*set)[PLATFORM_ID_MAX], size_t *n,
                      struct gsi_err *err)
{
    if (p == NULL) {
        return gsi_err_set(err, GSI_EDATA, "/to: no parties to check against");
    }
    char(*members)[PLATFORM_ID_MAX] = NULL;
    size_t nm = 0;
    int rc = platform_party_members(p, &members, &nm, "UN", err);
    for (size_t i = 0; rc == 0 && i < nm && *n < PLATFORM_PROC_PARTIES_MAX; i++) {
        snprintf(set[(*n)++], PLATFORM_ID_MAX, "%s", members[i]);
    }
    free(members);
    return rc;
}

/* A PARTIES field: expanded, sorted, without duplicates and without `self`; replaced in `obj`. */
static int check_parties(struct platform *p, json_t *obj, const struct platform_proc_field *f,
                         const char *self, const struct ptr *at, struct gsi_err *err)
{
    json_t *v = json_object_get(obj, f->name);
    size_t cap = f->max > 0 ? (size_t)f->max : PLATFORM_PROC_PARTIES_MAX;
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > cap) {
        char msg[96];
        snprintf(msg, sizeof msg, "expected an array of 1 to %zu party ids", cap);
        return bad(err, at, msg);
    }
    char(*set)[PLATFORM_ID_MAX] = calloc(PLATFORM_PROC_PARTIES_MAX, PLATFORM_ID_MAX);
    if (set == NULL) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory");
    }
    size_t n = 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < json_array_size(v); i++) {
        struct ptr el;
        ptr_push(&el, at, NULL, (long)i);
        const char *id = json_string_value(json_array_get(v, i));
        if (id == NULL) {
            rc = bad(err, &el, "expected a party id");
        } else if (strcmp(id, "ALL") == 0) {
            rc = expand_all(p, set, &n, err);
        } else {
            rc = expand_one(p, set, &n, id, !(f->flags & PLATFORM_PROC_AS_GIVEN), &el, err);
        }
    }
    json_t *out = rc == 0 ? json_array() : NULL;
    if (rc == 0) {
        qsort(set, n, PLATFORM_ID_MAX, cmp_id);
        for (size_t i = 0; i < n; i++) {
            if ((i > 0 && strcmp(set[i], set[i - 1]) == 0) ||
                (self != NULL && strcmp(set[i], self) == 0)) {
                continue;
            }
            json_array_append_new(out, json_string(set[i]));
        }
        if (json_array_size(out) == 0) {
            rc = bad(err, at, "names no party but the one acting");
        }
    }
    free(set);
    if (rc == 0) {
        json_object_set_new(obj, f->name, out);
    } else {
        json_decref(out);
    }
    return rc;
}

/* --- GeoJSON (RFC 7946): Point and Polygon --- */

static int check_position(json_t *pos, const struct ptr *at, struct gsi_err *err)
{
    if (!json_is_array(pos) || json_array_size(pos) < 2 || json_array_size(pos) > 3) {
        return bad(err, at, "expected a position [longitude, latitude]");
    }
    struct ptr p0, p1;
    ptr_push(&p0, at, NULL, 0);
    ptr_push(&p1, at, NULL, 1);
    json_t *lon = json_array_get(pos, 0);
    json_t *lat = json_array_get(pos, 1);
    if (!json_is_number(lon) || fabs(json_number_value(lon)) > 180.0) {
        return bad(err, &p0, "expected a longitude in [-180, 180]");
    }
    if (!json_is_number(lat) || fabs(json_number_value(lat)) > 90.0) {
        return bad(err, &p1, "expected a latitude in [-90, 90]");
    }
    if (json_array_size(pos) == 3 && !json_is_number(json_array_get(pos, 2))) {
        struct ptr p2;
        ptr_push(&p2, at, NULL, 2);
        return bad(err, &p2, "expected an altitude in metres");
    }
    return 0;
}

static int check_ring(json_t *ring, const struct ptr *at, size_t *budget, struct gsi_err *err)
{
    if (!json_is_array(ring) || json_array_size(ring) < 4) {
        return bad(err, at, "expected a linear ring of at least 4 positions");
    }
    if (json_array_size(ring) > *budget) {
        char msg[96];
        snprintf(msg, sizeof msg, "a polygon may have at most %d positions", PROC_GEO_POINTS);
        return bad(err, at, msg);
    }
    *budget -= json_array_size(ring);
    for (size_t i = 0; i < json_array_size(ring); i++) {
        struct ptr el;
        ptr_push(&el, at, NULL, (long)i);
        int rc = check_position(json_array_get(ring, i), &el, err);
        if (rc < 0) {
            return rc;
        }
    }
    json_t *first = json_array_get(ring, 0);
    json_t *last = json_array_get(ring, json_array_size(ring) - 1);
    if (!json_equal(json_array_get(first, 0), json_array_get(last, 0)) ||
        !json_equal(json_array_get(first, 1), json_array_get(last, 1))) {
        return bad(err, at, "the ring does not close: its last position must equal its first");
    }
    return 0;
}

static int check_geo(json_t *v, const struct ptr *at, struct gsi_err *err)
{
    const char *type = json_string_value(json_object_get(v, "type"));
    json_t *coords = json_object_get(v, "coordinates");
    if (!json_is_object(v) || type == NULL || json_object_size(v) != 2 || coords == NULL) {
        return bad(err, at,
                   "expected a GeoJSON geometry {\"type\": \"Point\" or \"Polygon\", "
                   "\"coordinates\": ...}");
    }
    struct ptr c;
    ptr_push(&c, at, "coordinates", 0);
    if (strcmp(type, "Point") == 0) {
        return check_position(coords, &c, err);
    }
    if (strcmp(type, "Polygon") != 0) {
        struct ptr t;
        ptr_push(&t, at, "type", 0);
        return bad(err, &t, "expected \"Point\" or \"Polygon\"");
    }
    if (!json_is_array(coords) || json_array_size(coords) == 0 ||
        json_array_size(coords) > PROC_GEO_RINGS) {
        return bad(err, &c, "expected an array of 1 to 16 linear rings");
    }
    size_t budget = PROC_GEO_POINTS;
    for (size_t i = 0; i < json_array_size(coords); i++) {
        struct ptr el;
        ptr_push(&el, &c, NULL, (long)i);
        int rc = check_ring(json_array_get(coords, i), &el, &budget, err);
        if (rc < 0) {
            return rc;
        }
    }
    return 0;
}

static int check_strings(json_t *v, const struct platform_proc_field *f, const struct ptr *at,
                         struct gsi_err *err)
{
    size_t cap = f->max > 0 ? (size_t)f->max : PROC_ARRAY_CAP;
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > cap) {
        char msg[96];
        snprintf(msg, sizeof msg, "expected an array of 1 to %zu strings", cap);
        return bad(err, at, msg);
    }
    struct platform_proc_field one = { f->name, PLATFORM_PROC_STRING, 0, 0, PROC_STRING_CAP, NULL,
                                       NULL };
    for (size_t i = 0; i < json_array_size(v); i++) {
        struct ptr el;
        ptr_push(&el, at, NULL, (long)i);
        int rc = check_string(json_array_get(v, i), &one, &el, err);
        if (rc < 0) {
            return rc;
        }
    }
    return 0;
}

static int check_field(struct platform *p, json_t *obj, const struct platform_proc_field *f,
                       const char *self, struct gsi_err *err)
{
    struct ptr root = { "" }, at;
    ptr_push(&at, &root, f->name, 0);
    json_t *v = json_object_get(obj, f->name);
    int64_t us;
    switch (f->type) {
    case PLATFORM_PROC_STRING:
        return check_string(v, f, &at, err);
    case PLATFORM_PROC_INT:
    case PLATFORM_PROC_NUMBER:
        return check_number(v, f, &at, err);
    case PLATFORM_PROC_BOOL:
        return json_is_boolean(v) ? 0 : bad(err, &at, "expected true or false");
    case PLATFORM_PROC_TIME:
        if (!json_is_string(v) ||
            platform_time_parse(&us, json_string_value(v), json_string_length(v)) < 0) {
            return bad(err, &at, "expected an RFC 3339 UTC time such as \"2026-12-03T09:00:00Z\"");
        }
        return 0;
    case PLATFORM_PROC_ENUM:
        return check_enum(v, f, &at, err);
    case PLATFORM_PROC_DOMAIN:
    case PLATFORM_PROC_MEANS:
        return check_ref(v, f, &at, err);
    case PLATFORM_PROC_PARTY:
        if (!json_is_string(v) || json_string_length(v) >= PLATFORM_ID_MAX) {
            return bad(err, &at, "expected a party id");
        }
        return check_party(p, json_string_value(v), &at, err);
    case PLATFORM_PROC_PARTIES:
        return check_parties(p, obj, f, self, &at, err);
    case PLATFORM_PROC_STRINGS:
        return check_strings(v, f, &at, err);
    case PLATFORM_PROC_GEO:
        return check_geo(v, &at, err);
    }
    return bad(err, &at, "unknown field type");
}

bool platform__proc_field_known(const struct platform_proc_act *a, const char *key)
{
    bool known = strcmp(key, "party") == 0;
    for (size_t i = 0; !known && i < a->nfields; i++) {
        known = strcmp(key, a->fields[i].name) == 0;
    }
    return known;
}

int platform__proc_payload_check(struct platform *p, const struct platform_proc_act *a, json_t *obj,
                                 const char *self, struct gsi_err *err)
{
    if (!json_is_object(obj)) {
        return gsi_err_set(err, GSI_EDATA, "/: expected a JSON object");
    }
    /* Nesting needs no cap of its own: unknown fields are refused, and each declared type
     * checks its whole shape (a GeoJSON position is the deepest, four levels down). jansson
     * itself refuses documents nested deeper than 2,048 levels while parsing. */
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        if (!platform__proc_field_known(a, k)) {
            return gsi_err_set(err, GSI_EDATA, "/%.64s: unknown field (%s takes %s%s)", k, a->type,
                               a->nfields > 0 ? a->fields[0].name : "no fields",
                               a->nfields > 1 ? ", ..." : "");
        }
    }
    for (size_t i = 0; i < a->nfields; i++) {
        const struct platform_proc_field *f = &a->fields[i];
        if (json_object_get(obj, f->name) == NULL) {
            if (f->flags & PLATFORM_PROC_REQUIRED) {
                return gsi_err_set(err, GSI_EDATA, "/%s: required (%s)", f->name,
                                   f->doc != NULL ? f->doc : "see the API description");
            }
            continue;
        }
        int rc = check_field(p, obj, f, self, err);
        if (rc < 0) {
            return rc;
        }
    }
    return 0;
}

/* --- OpenAPI --- */

static void schema_name(char *out, size_t cap, const char *type)
{
    size_t n = 0;
    bool up = true;
    for (const char *c = type; *c != '\0' && n + 1 < cap; c++) {
        if (*c == '.' || *c == '_') {
            up = true;
            continue;
        }
        char ch = *c;
        if (up && ch >= 'a' && ch <= 'z') {
            ch = (char)(ch - ('a' - 'A'));
        }
        out[n++] = ch;
        up = false;
    }
    out[n] = '\0';
}

static int field_schema(struct gsi_buf *o, const struct platform_proc_field *f)
{
    int rc = gsi_buf_appendf(o, "        %s:\n", f->name);
    const char *ind = "          ";
    switch (f->type) {
    case PLATFORM_PROC_STRING:
        rc = rc ? rc
                : gsi_buf_appendf(o, "%stype: string\n%sminLength: 1\n%smaxLength: %zu\n", ind, ind,
                                  ind, f->max > 0 ? (size_t)f->max : (size_t)PROC_STRING_CAP);
        break;
    case PLATFORM_PROC_INT:
    case PLATFORM_PROC_NUMBER:
        rc = rc ? rc
                : gsi_buf_appendf(o, "%stype: %s\n%sminimum: %.15g\n%smaximum: %.15g\n", ind,
                                  f->type == PLATFORM_PROC_INT ? "integer" : "number", ind, f->min,
                                  ind, f->max);
        break;
    case PLATFORM_PROC_BOOL:
        rc = rc ? rc : gsi_buf_appendf(o, "%stype: boolean\n", ind);
        break;
    case PLATFORM_PROC_TIME:
        rc = rc ? rc : gsi_buf_appendf(o, "%stype: string\n%sformat: date-time\n", ind, ind);
        break;
    case PLATFORM_PROC_ENUM:
        rc = rc ? rc : gsi_buf_appendf(o, "%stype: string\n%senum: [", ind, ind);
        for (size_t i = 0; rc == 0 && f->values[i] != NULL; i++) {
            rc = gsi_buf_appendf(o, "%s%s", i ? ", " : "", f->values[i]);
        }
        rc = rc ? rc : gsi_buf_puts(o, "]\n");
        break;
    case PLATFORM_PROC_DOMAIN:
        rc = rc ? rc : gsi_buf_appendf(o, "%s$ref: '#/components/schemas/Domain'\n", ind);
        break;
    case PLATFORM_PROC_MEANS:
        rc = rc ? rc : gsi_buf_appendf(o, "%s$ref: '#/components/schemas/Art33Means'\n", ind);
        break;
    case PLATFORM_PROC_PARTY:
        rc = rc ? rc : gsi_buf_appendf(o, "%stype: string\n%smaxLength: 15\n", ind, ind);
        break;
    case PLATFORM_PROC_PARTIES:
    case PLATFORM_PROC_STRINGS:
        rc = rc ? rc
                : gsi_buf_appendf(
                      o, "%stype: array\n%sminItems: 1\n%smaxItems: %zu\n%sitems: {type: string}\n",
                      ind, ind, ind,
                      f->max > 0
                          ? (size_t)f->max
                          : (f->type == PLATFORM_PROC_PARTIES ? (size_t)PLATFORM_PROC_PARTIES_MAX
                                                              : (size_t)PROC_ARRAY_CAP),
                      ind);
        break;
    case PLATFORM_PROC_GEO:
        rc = rc ? rc : gsi_buf_appendf(o, "%s$ref: '#/components/schemas/Geometry'\n", ind);
        break;
    }
    if (rc == 0 && f->doc != NULL) {
        rc = gsi_buf_appendf(o, "%sdescription: \"%s\"\n", ind, f->doc);
    }
    return rc;
}

int platform_proc_openapi(struct gsi_buf *out, const struct platform_proc *proc,
                          struct gsi_err *err)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < proc->nacts; i++) {
        const struct platform_proc_act *a = &proc->acts[i];
        char name[PLATFORM_TYPE_MAX];
        schema_name(name, sizeof name, a->type);
        if (a->flags & PLATFORM_PROC_AMENDS) {
            /* The payload of the act that opened the case, whichever it was. */
            rc = gsi_buf_appendf(out, "    %s:\n      description: \"%s\"\n      oneOf:\n", name,
                                 a->summary);
            for (size_t k = 0; rc == 0 && k < proc->nacts; k++) {
                char ref[PLATFORM_TYPE_MAX];
                schema_name(ref, sizeof ref, proc->acts[k].type);
                if (proc->acts[k].flags & PLATFORM_PROC_OPENS) {
                    rc = gsi_buf_appendf(out, "        - $ref: '#/components/schemas/%s'\n", ref);
                }
            }
            continue;
        }
        rc = gsi_buf_appendf(out, "    %s:\n      description: \"%s\"\n      type: object\n", name,
                             a->summary);
        size_t nreq = 0;
        for (size_t k = 0; k < a->nfields; k++) {
            nreq += (a->fields[k].flags & PLATFORM_PROC_REQUIRED) != 0;
        }
        if (rc == 0 && nreq > 0) {
            rc = gsi_buf_puts(out, "      required: [");
            for (size_t k = 0, m = 0; rc == 0 && k < a->nfields; k++) {
                if (a->fields[k].flags & PLATFORM_PROC_REQUIRED) {
                    rc = gsi_buf_appendf(out, "%s%s", m++ ? ", " : "", a->fields[k].name);
                }
            }
            rc = rc ? rc : gsi_buf_puts(out, "]\n");
        }
        rc = rc ? rc
                : gsi_buf_puts(out, "      additionalProperties: false\n      properties:\n"
                                    "        party:\n          type: string\n"
                                    "          description: \"the party acted for (default: the "
                                    "delegate's own)\"\n");
        for (size_t k = 0; rc == 0 && k < a->nfields; k++) {
            rc = field_schema(out, &a->fields[k]);
        }
    }
    return rc < 0 ? gsi_err_set(err, rc, "the OpenAPI schemas of %s are too large", proc->name) : 0;
}
