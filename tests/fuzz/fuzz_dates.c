/* Fuzz target for the date, month and key-list parsers that options and query arguments go
 * through (core/date.h: --from, --to, --through; events_keys_parse: summarize's --by). Besides
 * not crashing or reading past the slice: a parsed "YYYY-MM-DD" formats back to itself, a
 * parsed "YYYY-MM" names the same year and month, and a key list holds each key once. The
 * first byte picks the parser. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "events/summary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_day(const char *s, size_t n)
{
    int32_t day;
    if (gsi_date_parse(&day, s, n) == 0 && n == 10) {
        char out[11];
        gsi_date_format(out, day);
        if (memcmp(out, s, 10) != 0) {
            __builtin_trap();
        }
    }
}

static void fuzz_month(const char *s, size_t n)
{
    int id;
    if (gsi_month_parse(&id, s, n) == 0) {
        int y;
        int m;
        char out[16];
        gsi_month_from_id(id, &y, &m);
        if (n != 7 || snprintf(out, sizeof out, "%04d-%02d", y, m) != 7 ||
            memcmp(out, s, 7) != 0) {
            __builtin_trap();
        }
    }
}

static void fuzz_keys(const char *s, size_t n)
{
    char *list = malloc(n + 1); /* the parser takes a C string */
    if (list == NULL) {
        return;
    }
    memcpy(list, s, n);
    list[n] = '\0';
    struct events_keys k;
    struct gsi_err err = GSI_ERR_INIT;
    if (events_keys_parse(&k, list, &err) == 0) {
        if (k.n > EVENTS_KEY_COUNT) {
            __builtin_trap();
        }
        for (size_t i = 0; i < k.n; i++) {
            for (size_t j = i + 1; j < k.n; j++) {
                if (k.key[i] == k.key[j]) {
                    __builtin_trap();
                }
            }
        }
    }
    free(list);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    /* A heap copy of exactly the slice, so that ASan sees any read past it. */
    size_t n = size - 1;
    char *s = malloc(n > 0 ? n : 1);
    if (s == NULL) {
        return 0;
    }
    memcpy(s, data + 1, n);
    switch (data[0] % 3) {
    case 0:
        fuzz_day(s, n);
        break;
    case 1:
        fuzz_month(s, n);
        break;
    default:
        fuzz_keys(s, n);
        break;
    }
    free(s);
    return 0;
}
