/*
 * test_assets.c — the embedded dashboard: finding files, and the Accept-Encoding and
 * If-None-Match rules (cases from RFC 9110's examples and by hand). Serving them over
 * loopback is test_server.c's test_dashboard.
 */
#include <stdbool.h>
#include <string.h>

#include "harness.h"
#include "http/assets.h"

START_TEST(test_find)
{
    const struct http_asset *root = http_asset_find("/");
    ck_assert_ptr_nonnull(root);
    ck_assert_ptr_eq(root, http_asset_find("/index.html"));
    ck_assert_str_eq(root->content_type, "text/html; charset=utf-8");
    ck_assert_ptr_null(http_asset_find("/nothing.js"));
    ck_assert_ptr_null(http_asset_find("index.html"));
    ck_assert_ptr_null(http_asset_find(""));
    ck_assert_ptr_null(http_asset_find(NULL));
    for (size_t i = 0; i < http_assets_len; i++) {
        const struct http_asset *a = &http_assets[i];
        /* A strong ETag is a quoted string (RFC 9110 §8.8.3). */
        ck_assert_uint_ge(strlen(a->etag), 3);
        ck_assert_int_eq(a->etag[0], '"');
        ck_assert_int_eq(a->etag[strlen(a->etag) - 1], '"');
        if (a->gz != NULL) {
            /* RFC 1952: magic 1f 8b, method 8 (deflate); the trailer's ISIZE is the input's
             * length mod 2^32, little-endian. */
            ck_assert_uint_ge(a->gz_len, 18);
            ck_assert(a->gz[0] == 0x1f && a->gz[1] == 0x8b && a->gz[2] == 8);
            const unsigned char *t = a->gz + a->gz_len - 4;
            size_t isize =
                (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 | (size_t)t[3] << 24;
            ck_assert_uint_eq(isize, a->len & 0xffffffffu);
        }
    }
}
END_TEST

START_TEST(test_accept_encoding)
{
    ck_assert(http_asset_accepts_gzip("gzip"));
    ck_assert(http_asset_accepts_gzip("gzip, deflate, br"));
    ck_assert(http_asset_accepts_gzip("deflate, gzip;q=1.0, *;q=0.5")); /* RFC 9110 §12.5.3 */
    ck_assert(http_asset_accepts_gzip("GZIP"));
    ck_assert(http_asset_accepts_gzip("br;q=1, gzip ; q=0.1"));
    ck_assert(http_asset_accepts_gzip("*"));
    ck_assert(!http_asset_accepts_gzip(NULL));
    ck_assert(!http_asset_accepts_gzip(""));
    ck_assert(!http_asset_accepts_gzip("compress, br"));
    ck_assert(!http_asset_accepts_gzip("gzip;q=0"));
    ck_assert(!http_asset_accepts_gzip("gzip;q=0.000, br"));
    ck_assert(!http_asset_accepts_gzip("x-gzip"));
    ck_assert(!http_asset_accepts_gzip("gzipx"));
    ck_assert(http_asset_accepts_gzip("gzip;q=0.001"));
}
END_TEST

START_TEST(test_if_none_match)
{
    ck_assert(http_asset_etag_matches("\"xyzzy\"", "\"xyzzy\""));
    ck_assert(http_asset_etag_matches("\"a\", \"xyzzy\", \"b\"", "\"xyzzy\""));
    ck_assert(http_asset_etag_matches("W/\"xyzzy\"", "\"xyzzy\"")); /* weak comparison */
    ck_assert(http_asset_etag_matches("*", "\"xyzzy\""));
    ck_assert(!http_asset_etag_matches("\"xyzzy2\"", "\"xyzzy\""));
    ck_assert(!http_asset_etag_matches("xyzzy", "\"xyzzy\""));
    ck_assert(!http_asset_etag_matches("", "\"xyzzy\""));
    ck_assert(!http_asset_etag_matches(NULL, "\"xyzzy\""));
    ck_assert(!http_asset_etag_matches(",,;;\"", "\"xyzzy\""));
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("http_assets");
    TCase *tc = tcase_create("headers");
    tcase_add_test(tc, test_find);
    tcase_add_test(tc, test_accept_encoding);
    tcase_add_test(tc, test_if_none_match);
    suite_add_tcase(s, tc);
    return s;
}
