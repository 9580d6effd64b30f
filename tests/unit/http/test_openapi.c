/*
 * test_openapi.c — docs/api.yaml and the route table say the same thing: every (method, path)
 * the router answers is documented, and every documented one is answered. Also checks that
 * the document served at /v1/openapi.yaml is the file, byte for byte.
 *
 * The YAML is read with a line scanner that knows only the layout OpenAPI documents use
 * (`paths:` at column 0, paths indented 2, methods indented 4), independent of the server.
 */
#include <ctype.h>
#include <string.h>

#include "harness.h"
#include "http/http.h"
#include "http/route.h"

#define DOC_OPS_MAX 256

struct op {
    char method[8];
    char path[256];
};

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    static char buf[1 << 20];
    *len = fread(buf, 1, sizeof buf - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* Collects (METHOD, path) pairs from the `paths:` section. */
static size_t doc_ops(struct op *ops, const char *text)
{
    static const char *methods[] = { "get", "put", "post", "delete", "patch", "head", "options" };
    size_t n = 0;
    bool in_paths = false;
    char path[256] = "";
    for (const char *line = text; *line != '\0';) {
        const char *end = strchr(line, '\n');
        size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
        size_t indent = 0;
        while (indent < len && line[indent] == ' ') {
            indent++;
        }
        if (indent == 0 && len > 0 && line[0] != '#') {
            in_paths = len == 6 && memcmp(line, "paths:", 6) == 0;
        } else if (in_paths && indent == 2 && line[2] == '/' && line[len - 1] == ':') {
            snprintf(path, sizeof path, "%.*s", (int)(len - 3), line + 2);
        } else if (in_paths && indent == 4 && path[0] != '\0') {
            for (size_t m = 0; m < sizeof methods / sizeof methods[0]; m++) {
                size_t ml = strlen(methods[m]);
                if (len == 4 + ml + 1 && memcmp(line + 4, methods[m], ml) == 0 &&
                    line[4 + ml] == ':') {
                    ck_assert_uint_lt(n, DOC_OPS_MAX);
                    for (size_t k = 0; k <= ml; k++) {
                        ops[n].method[k] = (char)toupper((unsigned char)methods[m][k]);
                    }
                    snprintf(ops[n].path, sizeof ops[n].path, "%s", path);
                    n++;
                }
            }
        }
        line += len + (end != NULL ? 1 : 0);
    }
    return n;
}

START_TEST(test_routes_match_document)
{
    size_t len;
    const char *text = slurp(source_path("docs/api.yaml"), &len);
    static struct op ops[DOC_OPS_MAX];
    size_t n = doc_ops(ops, text);
    ck_assert_uint_ge(n, 10);
    int missing = 0;
    for (size_t i = 0; i < http_routes_len; i++) {
        const char *m = http_method_name(http_routes[i].method);
        bool found = false;
        for (size_t k = 0; k < n && !found; k++) {
            found =
                strcmp(ops[k].method, m) == 0 && strcmp(ops[k].path, http_routes[i].pattern) == 0;
        }
        if (!found) {
            fprintf(stderr, "route %s %s is not in docs/api.yaml\n", m, http_routes[i].pattern);
            missing++;
        }
    }
    for (size_t k = 0; k < n; k++) {
        bool found = false;
        for (size_t i = 0; i < http_routes_len && !found; i++) {
            found = strcmp(ops[k].method, http_method_name(http_routes[i].method)) == 0 &&
                    strcmp(ops[k].path, http_routes[i].pattern) == 0;
        }
        if (!found) {
            fprintf(stderr, "docs/api.yaml documents %s %s, which no route answers\n",
                    ops[k].method, ops[k].path);
            missing++;
        }
    }
    ck_assert_int_eq(missing, 0);
    ck_assert_uint_eq(n, http_routes_len); /* and no pair twice */
}
END_TEST

START_TEST(test_routes_unique)
{
    for (size_t i = 0; i < http_routes_len; i++) {
        for (size_t k = i + 1; k < http_routes_len; k++) {
            ck_assert_msg(http_routes[i].method != http_routes[k].method ||
                              strcmp(http_routes[i].pattern, http_routes[k].pattern) != 0,
                          "%s twice", http_routes[i].pattern);
        }
    }
}
END_TEST

START_TEST(test_embedded_is_the_file)
{
    size_t len;
    const char *text = slurp(source_path("docs/api.yaml"), &len);
    ck_assert_uint_eq(http_api_yaml_len, len);
    ck_assert_int_eq(memcmp(http_api_yaml, text, len), 0);
    ck_assert_int_eq(http_api_yaml[len], 0);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("http_openapi");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_routes_match_document);
    tcase_add_test(tc, test_routes_unique);
    tcase_add_test(tc, test_embedded_is_the_file);
    suite_add_tcase(s, tc);
    return s;
}
