/* Unit tests for src/core: numbers, hex, dates, the capped buffer, the scanner, tables, the
 * RNG. Expected day numbers come from `date -u -d DATE +%s` divided by 86400. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/err.h"
#include "core/hex.h"
#include "core/rng.h"
#include "core/table.h"
#include "core/text.h"
#include "harness.h"

START_TEST(parse_i64)
{
    int64_t v;
    ck_assert_int_eq(gsi_parse_i64(&v, "12345", 5), 0);
    ck_assert_int_eq(v, 12345);
    ck_assert_int_eq(gsi_parse_i64(&v, "-9223372036854775808", 20), 0);
    ck_assert(v == INT64_MIN);
    ck_assert_int_eq(gsi_parse_i64(&v, "9223372036854775808", 19), GSI_EDATA);
    ck_assert_int_eq(gsi_parse_i64(&v, "", 0), GSI_EDATA);
    ck_assert_int_eq(gsi_parse_i64(&v, "-", 1), GSI_EDATA);
    ck_assert_int_eq(gsi_parse_i64(&v, "12a", 3), GSI_EDATA);
    ck_assert_int_eq(gsi_parse_i64(&v, " 1", 2), GSI_EDATA);
    ck_assert_int_eq(gsi_parse_i64(&v, "123456789012345678", 18), 0);
    ck_assert(v == 123456789012345678LL);
    ck_assert_int_eq(gsi_parse_i64(&v, "-99999999", 9), 0);
    ck_assert_int_eq(v, -99999999);
    ck_assert_int_eq(gsi_parse_i64(&v, "1234567a", 8), GSI_EDATA);
    ck_assert_int_eq(gsi_parse_i64(&v, "12345678/", 9), GSI_EDATA);
    ck_assert_int_eq(gsi_parse_i64(&v, "9223372036854775807", 19), 0);
    ck_assert(v == INT64_MAX);
}
END_TEST

/* 2^64 - 1 = 18446744073709551615 (hand calculation: 2^32 = 4294967296, squared is
 * 18446744073709551616); one more overflows. */
START_TEST(parse_u64)
{
    uint64_t v;
    ck_assert_int_eq(gsi_parse_u64(&v, "0", 1), 0);
    ck_assert(v == 0);
    ck_assert_int_eq(gsi_parse_u64(&v, "007", 3), 0);
    ck_assert(v == 7);
    ck_assert_int_eq(gsi_parse_u64(&v, "18446744073709551615", 20), 0);
    ck_assert(v == UINT64_MAX);
    ck_assert_int_eq(gsi_parse_u64(&v, "18446744073709551614", 20), 0);
    ck_assert(v == UINT64_MAX - 1);
    ck_assert_int_eq(gsi_parse_u64(&v, "9223372036854775808", 19), 0); /* 2^63 */
    ck_assert(v == (uint64_t)1 << 63);
    ck_assert_int_eq(gsi_parse_u64(&v, "123x", 3), 0); /* only the slice is read */
    ck_assert(v == 123);
    v = 5;
    static const char *bad[] = { "",
                                 "+1",
                                 "-0",
                                 "-1",
                                 " 1",
                                 "1 ",
                                 "1.0",
                                 "1e3",
                                 "0x1",
                                 "1a",
                                 "a1",
                                 "\xef\xbc\x91" /* U+FF11 FULLWIDTH DIGIT ONE */,
                                 "18446744073709551616",
                                 "18446744073709551620",
                                 "99999999999999999999",
                                 "000000000000000000000018446744073709551616" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(gsi_parse_u64(&v, bad[i], strlen(bad[i])) == GSI_EDATA, "%s", bad[i]);
    }
    ck_assert(v == 5); /* untouched on failure */
    ck_assert_int_eq(gsi_parse_u64(&v, "00000000000000000000000018446744073709551615", 44), 0);
    ck_assert(v == UINT64_MAX);
}
END_TEST

/* RFC 4648 section 10 base16 test vectors, written there in upper case; the project's form
 * is lower case, so they are compared lower-cased. */
START_TEST(hex_rfc4648_vectors)
{
    static const char *in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
    static const char *want[] = { "",         "66",         "666f",        "666f6f",
                                  "666f6f62", "666f6f6261", "666f6f626172" };
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        size_t n = strlen(in[i]);
        char text[16];
        gsi_hex_encode(text, (const uint8_t *)in[i], n);
        ck_assert_str_eq(text, want[i]);
        uint8_t back[8];
        ck_assert_int_eq(gsi_hex_decode(back, n, want[i], strlen(want[i])), 0);
        ck_assert(memcmp(back, in[i], n) == 0);
    }
    /* Every nibble value, both ends of the alphabet. */
    char text[9];
    gsi_hex_encode(text, (const uint8_t *)"\x00\x1f\xa0\xff", 4);
    ck_assert_str_eq(text, "001fa0ff");
    uint8_t b[4];
    ck_assert_int_eq(gsi_hex_decode(b, 4, "001fa0ff", 8), 0);
    ck_assert(memcmp(b, "\x00\x1f\xa0\xff", 4) == 0);
}
END_TEST

START_TEST(hex_decode_refuses)
{
    uint8_t b[4];
    ck_assert_int_eq(gsi_hex_decode(b, 3, "666F6F", 6), GSI_EDATA); /* upper case */
    ck_assert_int_eq(gsi_hex_decode(b, 3, "666f6", 5), GSI_EDATA);  /* odd length */
    ck_assert_int_eq(gsi_hex_decode(b, 2, "666f6f", 6), GSI_EDATA); /* longer than asked */
    ck_assert_int_eq(gsi_hex_decode(b, 4, "666f6f", 6), GSI_EDATA); /* shorter than asked */
    ck_assert_int_eq(gsi_hex_decode(b, 1, "6g", 2), GSI_EDATA);
    ck_assert_int_eq(gsi_hex_decode(b, 1, "g6", 2), GSI_EDATA);
    ck_assert_int_eq(gsi_hex_decode(b, 1, " 6", 2), GSI_EDATA);
    ck_assert_int_eq(gsi_hex_decode(b, 1, "6:", 2), GSI_EDATA); /* ':' follows '9' in ASCII */
    ck_assert_int_eq(gsi_hex_decode(b, 1, "6`", 2), GSI_EDATA); /* '`' precedes 'a' */
    ck_assert_int_eq(gsi_hex_decode(b, 0, "", 0), 0);
}
END_TEST

START_TEST(parse_f64_matches_strtod)
{
    static const char *cases[] = { "0",
                                   "-3.44827586206897",
                                   "2.8",
                                   "-10",
                                   "+7.5",
                                   "1e3",
                                   "1E-3",
                                   "0.1",
                                   "123456789.123456789",
                                   "-0.000001234",
                                   "4.9e-324",
                                   "1.7976931348623157e308",
                                   "12345678901234567890123",
                                   ".5",
                                   "5.",
                                   "-5.71776155717762",
                                   "12345678.87654321",
                                   "0.0000000000000000001",
                                   "99999999999999999999",
                                   "1234567890123456789",
                                   "3.5e+2" };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double v = -1;
        ck_assert_msg(gsi_parse_f64(&v, cases[i], strlen(cases[i])) == 0, "%s", cases[i]);
        ck_assert_msg(v == strtod(cases[i], NULL), "%s: %.17g", cases[i], v);
    }
    double v;
    ck_assert_int_eq(gsi_parse_f64(&v, "", 0), GSI_EDATA);
    ck_assert_int_eq(gsi_parse_f64(&v, ".", 1), GSI_EDATA);
    ck_assert_int_eq(gsi_parse_f64(&v, "nan", 3), GSI_EDATA);
    ck_assert_int_eq(gsi_parse_f64(&v, "1e", 2), GSI_EDATA);
    ck_assert_int_eq(gsi_parse_f64(&v, "1.2.3", 5), GSI_EDATA);
    ck_assert_int_eq(gsi_parse_f64(&v, "1e999", 5), GSI_EDATA);
}
END_TEST

START_TEST(dates)
{
    int32_t d;
    ck_assert_int_eq(gsi_date_parse(&d, "1970-01-01", 10), 0);
    ck_assert_int_eq(d, 0);
    ck_assert_int_eq(gsi_date_parse(&d, "20000301", 8), 0);
    ck_assert_int_eq(d, 11017);
    ck_assert_int_eq(gsi_date_parse(&d, "1969-12-31", 10), 0);
    ck_assert_int_eq(d, -1);
    ck_assert_int_eq(gsi_date_parse(&d, "2022-12-28 00:00:00.000", 23), 0);
    ck_assert_int_eq(gsi_date_parse(&d, "2024-10-22", 10), 0);
    ck_assert_int_eq(d, 20018);
    ck_assert_int_eq(gsi_date_parse(&d, "2023-02-29", 10), GSI_EDATA);
    ck_assert_int_eq(gsi_date_parse(&d, "2024-02-29", 10), 0);
    ck_assert_int_eq(gsi_date_parse(&d, "2024-13-01", 10), GSI_EDATA);
    ck_assert_int_eq(gsi_date_parse(&d, "2024-1-01", 9), GSI_EDATA);
    ck_assert_int_eq(gsi_date_parse(&d, "2024-10-22x", 11), GSI_EDATA);
    char s[11];
    for (int32_t day = -200000; day < 200000; day += 997) {
        int y, m, dd;
        gsi_date_to_civil(day, &y, &m, &dd);
        ck_assert_int_eq(gsi_date_from_civil(y, m, dd), day);
    }
    gsi_date_format(s, 20018);
    ck_assert_str_eq(s, "2024-10-22");
    /* ViEWS: 121 = 1990-01, 457 = 2018-01, 516 = 2022-12 (data/SOURCES.md). */
    ck_assert_int_eq(gsi_month_id(1990, 1), 121);
    ck_assert_int_eq(gsi_month_id(2018, 1), 457);
    int y, m;
    gsi_month_from_id(516, &y, &m);
    ck_assert_int_eq(y, 2022);
    ck_assert_int_eq(m, 12);
    int id;
    ck_assert_int_eq(gsi_month_parse(&id, "2022-10", 7), 0);
    ck_assert_int_eq(id, 514);
    ck_assert_int_eq(gsi_month_parse(&id, "2022-13", 7), GSI_EDATA);
}
END_TEST

/* Capacities by hand: from 16, need 1 -> 16, need 17 -> 32, need 100 -> 128 (16·2³); an
 * element count whose bytes overflow size_t is refused before any allocation. */
START_TEST(array_reserve_doubles)
{
    int *v = NULL;
    size_t cap = 0;
    ck_assert_int_eq(GSI_ALLOC_GROW(v, 1, cap, 16), 0);
    ck_assert_uint_eq(cap, 16);
    v[0] = 7;
    ck_assert_int_eq(GSI_ALLOC_GROW(v, 16, cap, 16), 0);
    ck_assert_uint_eq(cap, 16);
    ck_assert_int_eq(GSI_ALLOC_GROW(v, 17, cap, 16), 0);
    ck_assert_uint_eq(cap, 32);
    ck_assert_int_eq(GSI_ALLOC_GROW(v, 100, cap, 16), 0);
    ck_assert_uint_eq(cap, 128);
    ck_assert_int_eq(v[0], 7);
    int *keep = v;
    ck_assert_int_eq(GSI_ALLOC_GROW(v, SIZE_MAX / 2, cap, 16), GSI_ENOMEM);
    ck_assert_ptr_eq(v, keep);
    ck_assert_uint_eq(cap, 128);
    free(v);
}
END_TEST

START_TEST(buffer_cap)
{
    struct gsi_buf b;
    gsi_buf_init(&b, 10);
    ck_assert_int_eq(gsi_buf_puts(&b, "hello"), 0);
    ck_assert_int_eq(gsi_buf_appendf(&b, "%d", 1234), 0);
    ck_assert_str_eq(b.data, "hello1234");
    ck_assert_int_eq(gsi_buf_puts(&b, "xx"), GSI_ELIMIT);
    ck_assert_str_eq(b.data, "hello1234");
    ck_assert_int_eq(gsi_buf_putc(&b, '!'), 0);
    ck_assert_uint_eq(b.len, 10);
    size_t n;
    char *p = gsi_buf_take(&b, &n);
    ck_assert_uint_eq(n, 10);
    free(p);
    gsi_buf_release(&b);
}
END_TEST

START_TEST(csv_quoting_and_lines)
{
    const char *in = "a,b,c\r\n1,\"x\"\"y\",\"multi\nline\"\n2,,\n\"open,4\n";
    struct gsi_csv c;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(gsi_csv_open_mem(&c, in, strlen(in), ',', true, &err), 0);
    ck_assert_int_eq(gsi_csv_next(&c, &err), 1);
    ck_assert_uint_eq(c.nfields, 3);
    ck_assert_uint_eq(c.flen[2], 1);
    ck_assert_int_eq(gsi_csv_next(&c, &err), 1);
    ck_assert_int_eq(c.record_line, 2);
    ck_assert(gsi_slice_eq(c.field[1], c.flen[1], "x\"y"));
    ck_assert(gsi_slice_eq(c.field[2], c.flen[2], "multi\nline"));
    ck_assert_int_eq(gsi_csv_next(&c, &err), 1);
    ck_assert_int_eq(c.record_line, 4);
    ck_assert_uint_eq(c.nfields, 3);
    ck_assert_uint_eq(c.flen[2], 0);
    ck_assert_int_eq(gsi_csv_next(&c, &err), GSI_EDATA);
    ck_assert_int_eq(err.line, 5);
    ck_assert_int_eq(gsi_csv_next(&c, &err), 0);
    gsi_csv_close(&c);
}
END_TEST

START_TEST(csv_tsv_no_quoting_no_final_newline)
{
    const char *in = "x\t\"y\tz\n1\t2\t3";
    struct gsi_csv c;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(gsi_csv_open_mem(&c, in, strlen(in), '\t', false, &err), 0);
    ck_assert_int_eq(gsi_csv_next(&c, &err), 1);
    ck_assert(gsi_slice_eq(c.field[1], c.flen[1], "\"y"));
    ck_assert_int_eq(gsi_csv_next(&c, &err), 1);
    ck_assert(gsi_slice_eq(c.field[2], c.flen[2], "3"));
    ck_assert_int_eq(gsi_csv_next(&c, &err), 0);
    gsi_csv_close(&c);
}
END_TEST

START_TEST(csv_skips_byte_order_mark)
{
    const char *in = "\xEF\xBB\xBFmonth_id,x\n1,2\n";
    struct gsi_csv c;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(gsi_csv_open_mem(&c, in, strlen(in), ',', true, &err), 0);
    ck_assert_int_eq(gsi_csv_next(&c, &err), 1);
    ck_assert(gsi_slice_eq(c.field[0], c.flen[0], "month_id"));
    ck_assert_int_eq(gsi_csv_next(&c, &err), 1);
    ck_assert_int_eq(c.record_line, 2);
    gsi_csv_close(&c);
}
END_TEST

START_TEST(csv_file_missing)
{
    struct gsi_csv c;
    struct gsi_err err = GSI_ERR_INIT;
    ck_assert_int_eq(gsi_csv_open(&c, "/nonexistent/file.csv", ',', true, &err), GSI_EIO);
    ck_assert_str_eq(err.file, "/nonexistent/file.csv");
    ck_assert_int_eq(gsi_err_exit_status(err.code), 1);
    ck_assert_int_eq(gsi_err_exit_status(GSI_EDATA), 65);
    ck_assert_int_eq(gsi_err_exit_status(GSI_EUSAGE), 2);
    ck_assert_int_eq(gsi_err_http_status(GSI_ENOTFOUND), 404);
}
END_TEST

/* Expected numbers: Python repr(1/3) is the shortest round-trip form. */
START_TEST(table_formats)
{
    static const struct gsi_table_col cols[] = { { "name", -1 }, { "value", 2 } };
    struct gsi_table *t = gsi_table_new(cols, 2);
    gsi_table_text(t, "a,\"b\"");
    gsi_table_num(t, 1.0 / 3.0);
    gsi_table_text(t, "c");
    gsi_table_null(t);
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    gsi_table_write(t, f, GSI_FORMAT_CSV);
    fclose(f);
    ck_assert_str_eq(out, "name,value\n\"a,\"\"b\"\"\",0.3333333333333333\nc,\n");
    free(out);
    f = open_memstream(&out, &n);
    gsi_table_write(t, f, GSI_FORMAT_JSON);
    fclose(f);
    ck_assert_str_eq(out, "[\n  {\"name\": \"a,\\\"b\\\"\", \"value\": 0.3333333333333333},\n"
                          "  {\"name\": \"c\", \"value\": null}\n]\n");
    free(out);
    f = open_memstream(&out, &n);
    gsi_table_write(t, f, GSI_FORMAT_TABLE);
    fclose(f);
    ck_assert_str_eq(out, "name   value\na,\"b\"   0.33\nc           \n");
    free(out);
    gsi_table_free(t);
}
END_TEST

static char *table_out(const struct gsi_table *t, enum gsi_format fmt)
{
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    ck_assert_int_eq(gsi_table_write(t, f, fmt), 0);
    fclose(f);
    return out;
}

/* A table with no columns has no rows: each format writes its empty form (the CSV and text
 * forms an empty header line, JSON an empty array) and never divides by the column count. An
 * unfinished row is left out of every format. */
START_TEST(table_no_columns_and_unfinished_rows)
{
    static const struct gsi_table_col cols[] = { { "a", -1 }, { "b", 0 } };
    struct gsi_table *t = gsi_table_new(cols, 0);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(gsi_table_text(t, "x"), 0);
    ck_assert_int_eq(gsi_table_num(t, 1), 0);
    ck_assert_uint_eq(gsi_table_rows(t), 0);
    static const char *want0[] = { "\n", "\n", "[]\n" };
    static const enum gsi_format fmts[] = { GSI_FORMAT_TABLE, GSI_FORMAT_CSV, GSI_FORMAT_JSON };
    for (size_t i = 0; i < 3; i++) {
        char *out = table_out(t, fmts[i]);
        ck_assert_str_eq(out, want0[i]);
        free(out);
    }
    gsi_table_free(t);

    t = gsi_table_new(cols, 2);
    gsi_table_text(t, "x");
    gsi_table_num(t, 2);
    gsi_table_text(t, "y"); /* a second row, never finished */
    static const char *want1[] = { "a  b\nx  2\n", "a,b\nx,2\n",
                                   "[\n  {\"a\": \"x\", \"b\": 2}\n]\n" };
    for (size_t i = 0; i < 3; i++) {
        char *out = table_out(t, fmts[i]);
        ck_assert_str_eq(out, want1[i]);
        free(out);
    }
    gsi_table_free(t);
}
END_TEST

START_TEST(rng_is_deterministic_and_poisson_mean)
{
    struct gsi_rng a, b;
    gsi_rng_init(&a, 42);
    gsi_rng_init(&b, 42);
    for (int i = 0; i < 100; i++) {
        ck_assert(gsi_rng_next(&a) == gsi_rng_next(&b));
    }
    /* Poisson mean: with 200,000 draws the standard error is sqrt(lambda/200000). */
    const double lambdas[] = { 0.5, 12, 250 };
    for (int k = 0; k < 3; k++) {
        double sum = 0;
        for (int i = 0; i < 200000; i++) {
            sum += (double)gsi_rng_poisson(&a, lambdas[k]);
        }
        double mean = sum / 200000, se = sqrt(lambdas[k] / 200000);
        ck_assert_msg(fabs(mean - lambdas[k]) < 5 * se, "lambda %g mean %g", lambdas[k], mean);
    }
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("core");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, parse_i64);
    tcase_add_test(tc, parse_u64);
    tcase_add_test(tc, hex_rfc4648_vectors);
    tcase_add_test(tc, hex_decode_refuses);
    tcase_add_test(tc, parse_f64_matches_strtod);
    tcase_add_test(tc, dates);
    tcase_add_test(tc, array_reserve_doubles);
    tcase_add_test(tc, buffer_cap);
    tcase_add_test(tc, csv_quoting_and_lines);
    tcase_add_test(tc, csv_tsv_no_quoting_no_final_newline);
    tcase_add_test(tc, csv_skips_byte_order_mark);
    tcase_add_test(tc, csv_file_missing);
    tcase_add_test(tc, table_formats);
    tcase_add_test(tc, table_no_columns_and_unfinished_rows);
    tcase_add_test(tc, rng_is_deterministic_and_poisson_mean);
    suite_add_tcase(s, tc);
    return s;
}
