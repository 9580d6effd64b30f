/* Unit tests for src/core/json.h and the array and file helpers. Every expected string below is
 * written by hand from RFC 8259 and json.h's layout rules, not taken from the writer's output;
 * the U+FFFD cases follow Unicode 3.9's "maximal subparts" examples (table 3-8), the same as
 * Python's bytes.decode('utf-8', 'replace'). json_roundtrip.py checks random inputs against
 * Python's json module. */
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/err.h"
#include "core/file.h"
#include "core/json.h"
#include "harness.h"

/* The JSON text of one string of `n` bytes. */
static const char *quoted(const char *s, size_t n)
{
    static char out[256];
    struct gsi_buf b;
    gsi_buf_init(&b, sizeof out - 1);
    ck_assert_int_eq(gsi_json_quote(&b, s, n), 0);
    memcpy(out, b.data, b.len + 1);
    gsi_buf_release(&b);
    return out;
}

START_TEST(string_escapes)
{
    ck_assert_str_eq(quoted("", 0), "\"\"");
    ck_assert_str_eq(quoted("plain", 5), "\"plain\"");
    ck_assert_str_eq(quoted("a\"b\\c/", 6), "\"a\\\"b\\\\c/\"");
    ck_assert_str_eq(quoted("\n\r\t", 3), "\"\\n\\r\\t\"");
    /* Other control characters as \u00XX with lower-case hex; NUL too; DEL is copied. */
    ck_assert_str_eq(quoted("\x01\x08\x0c\x1f\x7f", 5), "\"\\u0001\\u0008\\u000c\\u001f\x7f\"");
    ck_assert_str_eq(quoted("a\0b", 3), "\"a\\u0000b\"");
    /* Valid UTF-8 of each length is copied: é (2), € (3), 😀 (4). */
    ck_assert_str_eq(quoted("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9),
                     "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
}
END_TEST

#define FFFD "\xef\xbf\xbd"

START_TEST(string_invalid_utf8)
{
    /* A lone continuation byte, C0/C1 leads and F5..FF: one U+FFFD each. */
    ck_assert_str_eq(quoted("a\x80z", 3), "\"a" FFFD "z\"");
    ck_assert_str_eq(quoted("\xc0\xaf", 2), "\"" FFFD FFFD "\"");
    ck_assert_str_eq(quoted("\xff", 1), "\"" FFFD "\"");
    /* A truncated 3-byte sequence is one maximal subpart: one U+FFFD, then the next byte. */
    ck_assert_str_eq(quoted("\xe2\x82z", 3), "\"" FFFD "z\"");
    ck_assert_str_eq(quoted("\xe2\x82", 2), "\"" FFFD "\"");
    /* Surrogate (ED A0 80) and overlong E0 80 80: the second byte is out of range, so each
     * byte is its own subpart. */
    ck_assert_str_eq(quoted("\xed\xa0\x80", 3), "\"" FFFD FFFD FFFD "\"");
    ck_assert_str_eq(quoted("\xe0\x80\x80", 3), "\"" FFFD FFFD FFFD "\"");
    /* Above U+10FFFF (F4 90 80 80): four. Truncated 4-byte F0 9F 98 then 'x': one. */
    ck_assert_str_eq(quoted("\xf4\x90\x80\x80", 4), "\"" FFFD FFFD FFFD FFFD "\"");
    ck_assert_str_eq(quoted("\xf0\x9f\x98x", 4), "\"" FFFD "x\"");
    /* Unicode 3.9 table 3-8: 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64 */
    ck_assert_str_eq(quoted("\x61\xf1\x80\x80\xe1\x80\xc2\x62\x80\x63\x80\xbf\x64", 13),
                     "\"a" FFFD FFFD FFFD "b" FFFD "c" FFFD FFFD "d\"");
}
END_TEST

START_TEST(layouts)
{
    struct gsi_json w;
    gsi_json_init(&w, 4096);
    gsi_json_object_begin(&w, NULL, GSI_JSON_LINES);
    gsi_json_int(&w, "n", -3);
    gsi_json_uint(&w, "big", UINT64_MAX);
    gsi_json_array_begin(&w, "empty", GSI_JSON_LINES);
    gsi_json_end(&w);
    gsi_json_array_begin(&w, "rows", GSI_JSON_LINES);
    gsi_json_object_begin(&w, NULL, GSI_JSON_INLINE);
    gsi_json_string(&w, "k", "v");
    gsi_json_bool(&w, "t", true);
    gsi_json_array_begin(&w, "ids", GSI_JSON_INLINE);
    gsi_json_int(&w, NULL, 1);
    gsi_json_int(&w, NULL, 2);
    gsi_json_end(&w);
    gsi_json_wrap(&w);
    gsi_json_array_begin(&w, "sub", GSI_JSON_LINES);
    gsi_json_null(&w, NULL);
    gsi_json_bool(&w, NULL, false);
    gsi_json_end(&w);
    gsi_json_end(&w);
    gsi_json_end(&w);
    gsi_json_object_begin(&w, "c", GSI_JSON_COMPACT);
    gsi_json_int(&w, "a", 1);
    gsi_json_string(&w, "b", "x");
    gsi_json_end(&w);
    gsi_json_end(&w);
    gsi_json_newline(&w);
    ck_assert_int_eq(gsi_json_finish(&w), 0);
    ck_assert_str_eq(w.buf.data, "{\n"
                                 "  \"n\": -3,\n"
                                 "  \"big\": 18446744073709551615,\n"
                                 "  \"empty\": [],\n"
                                 "  \"rows\": [\n"
                                 "    {\"k\": \"v\", \"t\": true, \"ids\": [1, 2],\n"
                                 "     \"sub\": [\n"
                                 "       null,\n"
                                 "       false\n"
                                 "     ]}\n"
                                 "  ],\n"
                                 "  \"c\": {\"a\":1,\"b\":\"x\"}\n"
                                 "}\n");
    gsi_json_release(&w);
}
END_TEST

START_TEST(doubles)
{
    struct gsi_json w;
    gsi_json_init(&w, 4096);
    gsi_json_array_begin(&w, NULL, GSI_JSON_INLINE);
    gsi_json_double(&w, NULL, 0.1);     /* %.15g already reads back */
    gsi_json_double(&w, NULL, 1.0 / 3); /* needs 16 digits: 0.3333333333333333 */
    gsi_json_double(&w, NULL, 3808);
    gsi_json_double(&w, NULL, -0.0);
    gsi_json_double(&w, NULL, 1e300);
    gsi_json_double(&w, NULL, NAN);
    gsi_json_double(&w, NULL, -INFINITY);
    gsi_json_end(&w);
    ck_assert_int_eq(gsi_json_finish(&w), 0);
    ck_assert_str_eq(w.buf.data, "[0.1, 0.3333333333333333, 3808, -0, 1e+300, null, null]");
    gsi_json_release(&w);
}
END_TEST

START_TEST(sticky_errors)
{
    struct gsi_json w;
    gsi_json_init(&w, 8); /* "[" and the 10-byte string do not fit in 8 bytes */
    gsi_json_array_begin(&w, NULL, GSI_JSON_INLINE);
    ck_assert_int_eq(gsi_json_string(&w, NULL, "abcdefgh"), GSI_ELIMIT);
    ck_assert_int_eq(gsi_json_int(&w, NULL, 1), GSI_ELIMIT);
    gsi_json_end(&w);
    ck_assert_int_eq(gsi_json_finish(&w), GSI_ELIMIT);
    gsi_json_release(&w);
    /* Nesting past the cap. */
    gsi_json_init(&w, 4096);
    for (int i = 0; i < GSI_JSON_DEPTH_MAX; i++) {
        ck_assert_int_eq(gsi_json_array_begin(&w, NULL, GSI_JSON_COMPACT), 0);
    }
    ck_assert_int_eq(gsi_json_array_begin(&w, NULL, GSI_JSON_COMPACT), GSI_ELIMIT);
    for (int i = 0; i < GSI_JSON_DEPTH_MAX; i++) {
        gsi_json_end(&w);
    }
    ck_assert_int_eq(gsi_json_finish(&w), GSI_ELIMIT);
    gsi_json_release(&w);
}
END_TEST

START_TEST(sink_drains)
{
    char *mem = NULL;
    size_t memlen = 0;
    FILE *f = open_memstream(&mem, &memlen);
    ck_assert_ptr_nonnull(f);
    struct gsi_json w;
    gsi_json_init_file(&w, f);
    gsi_json_array_begin(&w, NULL, GSI_JSON_COMPACT);
    for (int i = 0; i < 30000; i++) { /* "1234," x 30000 = 150,000 bytes: drained twice */
        gsi_json_int(&w, NULL, 1234);
        ck_assert_uint_lt(w.buf.len, GSI_JSON_DRAIN + 16);
    }
    gsi_json_end(&w);
    ck_assert_int_eq(gsi_json_finish(&w), 0);
    gsi_json_release(&w);
    fclose(f);
    ck_assert_uint_eq(memlen, 2 + 30000 * 5 - 1);
    ck_assert_int_eq(memcmp(mem, "[1234,1234,", 11), 0);
    ck_assert_int_eq(memcmp(mem + memlen - 6, ",1234]", 6), 0);
    free(mem);
}
END_TEST

START_TEST(alloc_grow_typed_and_parallel)
{
    double *d = NULL;
    size_t cap = 0;
    ck_assert_int_eq(GSI_ALLOC_GROW(d, 1, cap, 4), 0);
    ck_assert_uint_eq(cap, 4);
    ck_assert_int_eq(GSI_ALLOC_GROW(d, 5, cap, 4), 0); /* doubles: 4 -> 8 */
    ck_assert_uint_eq(cap, 8);
    d[7] = 1.5;
    ck_assert_int_eq(GSI_ALLOC_GROW(d, SIZE_MAX / 4, cap, 4), GSI_ENOMEM); /* bytes overflow */
    ck_assert_uint_eq(cap, 8);
    ck_assert(d[7] == 1.5);
    free(d);

    int64_t *a = NULL;
    int8_t *b = NULL;
    size_t pcap = 0;
    struct gsi_array_ref grow[] = { GSI_ARRAY_REF(a), GSI_ARRAY_REF(b) };
    ck_assert_int_eq(gsi_arrays_grow(grow, 2, &pcap, 3, 2), 0); /* 2 -> 4 */
    ck_assert_uint_eq(pcap, 4);
    a[3] = -1;
    b[3] = 7;
    ck_assert_int_eq(gsi_arrays_grow(grow, 2, &pcap, 9, 2), 0); /* 4 -> 8 -> 16 */
    ck_assert_uint_eq(pcap, 16);
    ck_assert(a[3] == -1 && b[3] == 7);
    a[15] = 2;
    b[15] = 2;
    free(a);
    free(b);
}
END_TEST

START_TEST(files_and_time)
{
    char dir[] = "/tmp/gsi-test-file-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/k", dir);
    struct gsi_err err = GSI_ERR_INIT;
    struct iovec parts[2] = { { (void *)"secret", 6 }, { (void *)"\n", 1 } };
    ck_assert_int_eq(gsi_file_create(path, 0600, parts, 2, &err), 0);
    ck_assert_int_eq(gsi_file_create(path, 0600, parts, 2, &err), GSI_EIO); /* never over */
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq((int)(st.st_mode & 0777), 0600);
    char *text = NULL;
    size_t n = 0;
    ck_assert_int_eq(gsi_file_read(path, &text, &n, 100, &err), 0);
    ck_assert_str_eq(text, "secret\n");
    free(text);
    ck_assert_int_eq(gsi_file_read(path, &text, &n, 6, &err), GSI_ELIMIT);
    ck_assert_int_eq(gsi_file_write_atomic(path, "new", 3, 0644, &err), 0);
    ck_assert_int_eq(gsi_file_read(path, &text, &n, 100, &err), 0);
    ck_assert_str_eq(text, "new");
    free(text);
    unlink(path);
    ck_assert_int_eq(gsi_file_read(path, &text, &n, 100, &err), GSI_ENOTFOUND);
    rmdir(dir);

    /* `date -u -d @1764294359 +%FT%T` = 2025-11-28T01:45:59; one microsecond before 1970 is
     * 1969-12-31T23:59:59.999999Z. */
    char t[GSI_TIME_MAX];
    gsi_time_format_us(t, INT64_C(1764294359) * 1000000 + 123456);
    ck_assert_str_eq(t, "2025-11-28T01:45:59.123456Z");
    gsi_time_format_us(t, -1);
    ck_assert_str_eq(t, "1969-12-31T23:59:59.999999Z");
}
END_TEST

/* The inputs a path can name that are not a plain small file: each ends at once with an
 * error or an empty read, and a replacement never lands on what is not a regular file. */
START_TEST(files_not_plain)
{
    char dir[] = "/tmp/gsi-test-file-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char fifo[128];
    char sparse[128];
    char empty[128];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    snprintf(sparse, sizeof sparse, "%s/sparse", dir);
    snprintf(empty, sizeof empty, "%s/empty", dir);
    struct gsi_err err = GSI_ERR_INIT;
    char *text = NULL;
    size_t n = 99;
    /* A FIFO no one writes to reads as empty (before: open blocked forever). */
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    ck_assert_int_eq(gsi_file_read(fifo, &text, &n, 100, &err), 0);
    ck_assert_uint_eq(n, 0);
    ck_assert_str_eq(text, "");
    free(text);
    /* Nor is it replaced: renaming over it would have removed it. */
    ck_assert_int_eq(gsi_file_write_atomic(fifo, "x", 1, 0600, &err), GSI_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "not a regular file"));
    struct stat st;
    ck_assert_int_eq(stat(fifo, &st), 0);
    ck_assert(S_ISFIFO(st.st_mode));
    ck_assert_int_eq(gsi_file_write_atomic(dir, "x", 1, 0600, &err), GSI_EIO);
    /* A folder is an error naming it. */
    ck_assert_int_eq(gsi_file_read(dir, &text, &n, 100, &err), GSI_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, dir));
    /* A 2 GiB sparse file over a 1 MiB cap is refused by its size, not read. */
    int fd = open(sparse, O_WRONLY | O_CREAT | O_EXCL, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, (off_t)2 << 30), 0);
    close(fd);
    ck_assert_int_eq(gsi_file_read(sparse, &text, &n, 1u << 20, &err), GSI_ELIMIT);
    /* An empty file is "" (NUL-terminated), not an unterminated buffer. */
    fd = open(empty, O_WRONLY | O_CREAT | O_EXCL, 0600);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(gsi_file_read(empty, &text, &n, 100, &err), 0);
    ck_assert_uint_eq(n, 0);
    ck_assert_str_eq(text, "");
    free(text);
    unlink(fifo);
    unlink(sparse);
    unlink(empty);
    rmdir(dir);
}
END_TEST

Suite *make_suite(void)
{
    const TTest *tests[] = { string_escapes,
                             string_invalid_utf8,
                             layouts,
                             doubles,
                             sticky_errors,
                             sink_drains,
                             alloc_grow_typed_and_parallel,
                             files_and_time,
                             files_not_plain };
    return test_suite("json", 0, tests, sizeof tests / sizeof tests[0]);
}
