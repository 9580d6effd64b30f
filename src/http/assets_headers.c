/* assets_headers.c — the two request headers that choose how a dashboard file is sent:
 * Accept-Encoding and If-None-Match (see assets.h). Apart from assets.c, so the fuzz target
 * takes them without the embedded files. */
#include <string.h>
#include <strings.h>

#include "http/assets.h"

/* Skips optional whitespace. */
static const char *skip_ows(const char *p)
{
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    return p;
}

/* Whether the parameters of one list element (from `p` to its comma) say q=0. */
static bool q_is_zero(const char *p, const char *end)
{
    while (p < end) {
        const char *semi = memchr(p, ';', (size_t)(end - p));
        if (semi == NULL) {
            return false;
        }
        p = skip_ows(semi + 1);
        if (end - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
            p += 2;
            /* q=0, q=0.0, q=0.000 are zero; anything else is not. */
            if (*p != '0') {
                return false;
            }
            p++;
            if (p < end && *p == '.') {
                p++;
                while (p < end && *p == '0') {
                    p++;
                }
            }
            p = skip_ows(p);
            return p >= end || *p == ';' || *p == ',';
        }
    }
    return false;
}

bool http_asset_accepts_gzip(const char *v)
{
    if (v == NULL) {
        return false;
    }
    const char *p = v;
    while (*p != '\0') {
        p = skip_ows(p);
        const char *end = strchr(p, ',');
        if (end == NULL) {
            end = p + strlen(p);
        }
        size_t tok = strcspn(p, " \t;,");
        if (((tok == 4 && strncasecmp(p, "gzip", 4) == 0) || (tok == 1 && *p == '*')) &&
            !q_is_zero(p + tok, end)) {
            return true;
        }
        p = *end == ',' ? end + 1 : end;
    }
    return false;
}

bool http_asset_etag_matches(const char *v, const char *etag)
{
    if (v == NULL) {
        return false;
    }
    size_t elen = strlen(etag);
    const char *p = v;
    while (*p != '\0') {
        p = skip_ows(p);
        if (*p == '*') {
            return true;
        }
        if (strncmp(p, "W/", 2) == 0) {
            p += 2;
        }
        size_t tok = strcspn(p, " \t,");
        if (tok == elen && strncmp(p, etag, elen) == 0) {
            return true;
        }
        p += tok;
        p = skip_ows(p);
        if (*p != '\0') {
            p++; /* the comma, or junk stepped over rather than looped on */
        }
    }
    return false;
}
