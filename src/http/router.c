/* router.c — matching a request path against the route table (see route.h). */
#include <string.h>

#include "http/route.h"

const char *http_method_name(enum http_method m)
{
    switch (m) {
    case HTTP_GET:
        return "GET";
    case HTTP_POST:
        return "POST";
    case HTTP_PUT:
        return "PUT";
    case HTTP_DELETE:
        return "DELETE";
    case HTTP_HEAD:
        return "HEAD";
    case HTTP_OTHER:
        break;
    }
    return "OTHER";
}

enum http_method http_method_parse(const char *s)
{
    static const enum http_method all[] = { HTTP_GET, HTTP_POST, HTTP_PUT, HTTP_DELETE, HTTP_HEAD };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (strcmp(s, http_method_name(all[i])) == 0) {
            return all[i];
        }
    }
    return HTTP_OTHER;
}

/* Matches `path` against `pattern` segment by segment. A literal segment must be equal; a
 * "{name}" segment takes any non-empty segment of at most HTTP_PARAM_LEN_MAX bytes. The
 * values go to `params` only when the whole path matched, so a failed attempt leaves
 * nothing behind. */
static bool pattern_match(const char *pattern, const char *path,
                          char params[HTTP_PARAMS_MAX][HTTP_PARAM_LEN_MAX + 1], size_t *nparams)
{
    const char *vals[HTTP_PARAMS_MAX];
    size_t lens[HTTP_PARAMS_MAX];
    size_t n = 0;
    const char *p = pattern;
    const char *s = path;
    while (*p != '\0' || *s != '\0') {
        if (*p != '/' || *s != '/') {
            return false;
        }
        p++;
        s++;
        const char *pe = strchr(p, '/');
        const char *se = strchr(s, '/');
        size_t plen = pe != NULL ? (size_t)(pe - p) : strlen(p);
        size_t slen = se != NULL ? (size_t)(se - s) : strlen(s);
        if (plen >= 3 && pe == NULL && p[0] == '{' && p[plen - 2] == '+' && p[plen - 1] == '}') {
            /* "{name+}" at the end: the rest of the path, one segment or more. */
            slen = strlen(s);
            if (slen == 0 || slen > HTTP_PARAM_LEN_MAX || n == HTTP_PARAMS_MAX ||
                s[slen - 1] == '/') {
                return false;
            }
            vals[n] = s;
            lens[n] = slen;
            n++;
        } else if (plen >= 2 && p[0] == '{' && p[plen - 1] == '}') {
            if (slen == 0 || slen > HTTP_PARAM_LEN_MAX || n == HTTP_PARAMS_MAX) {
                return false;
            }
            vals[n] = s;
            lens[n] = slen;
            n++;
        } else if (plen != slen || memcmp(p, s, plen) != 0) {
            return false;
        }
        p += plen;
        s += slen;
    }
    for (size_t i = 0; i < n; i++) {
        memcpy(params[i], vals[i], lens[i]);
        params[i][lens[i]] = '\0';
    }
    *nparams = n;
    return true;
}

enum http_match http_route_find(const struct http_route **out, struct http_req *req,
                                const struct http_route *routes, size_t nroutes,
                                enum http_method method, const char *path, char *allow,
                                size_t allow_cap)
{
    *out = NULL;
    if (allow_cap > 0) {
        allow[0] = '\0';
    }
    if (path[0] != '/' || strlen(path) > HTTP_PATH_MAX) {
        return HTTP_MATCH_NO_PATH;
    }
    enum http_method want = method == HTTP_HEAD ? HTTP_GET : method;
    bool path_seen = false;
    size_t used = 0;
    for (size_t i = 0; i < nroutes; i++) {
        char params[HTTP_PARAMS_MAX][HTTP_PARAM_LEN_MAX + 1];
        size_t np = 0;
        if (!pattern_match(routes[i].pattern, path, params, &np)) {
            continue;
        }
        if (routes[i].method == want) {
            memcpy(req->params, params, sizeof params);
            req->nparams = np;
            *out = &routes[i];
            return HTTP_MATCH_OK;
        }
        path_seen = true;
        /* Collect the allowed methods for the 405's Allow header. */
        const char *name = http_method_name(routes[i].method);
        size_t nl = strlen(name);
        if (used + nl + 3 < allow_cap) {
            if (used > 0) {
                memcpy(allow + used, ", ", 2);
                used += 2;
            }
            memcpy(allow + used, name, nl);
            used += nl;
            allow[used] = '\0';
        }
    }
    return path_seen ? HTTP_MATCH_NO_METHOD : HTTP_MATCH_NO_PATH;
}
