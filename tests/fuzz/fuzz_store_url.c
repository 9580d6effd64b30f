/* Fuzz target for the store's input handling: a --db value (store_url_parse) and the
 * placeholder rewriting of SQL text (store_sql_to_pg). A parsed URL must be NUL-terminated
 * within its buffer; the rewritten SQL must hold as many $n as the input has `?` outside
 * quotes, numbered 1..n. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_input_cstr(data, size);
    if (s == NULL) {
        return 0;
    }
    struct store_url u;
    struct gsi_err err = GSI_ERR_INIT;
    if (store_url_parse(&u, s, &err) == 0 &&
        strnlen(u.conninfo, sizeof u.conninfo) == sizeof u.conninfo) {
        __builtin_trap();
    }
    size_t want = 0;
    char quote = 0;
    for (const char *c = s; *c; c++) {
        if (quote) {
            quote = *c == quote ? 0 : quote;
        } else if (*c == '\'' || *c == '"') {
            quote = *c;
        } else if (*c == '?') {
            want++;
        }
    }
    size_t cap = size * 12 + 16;
    char *out = malloc(cap);
    if (out != NULL && store_sql_to_pg(out, cap, s, &err) == 0) {
        size_t got = 0;
        quote = 0;
        for (const char *c = out; *c; c++) {
            if (quote) {
                quote = *c == quote ? 0 : quote;
            } else if (*c == '\'' || *c == '"') {
                quote = *c;
            } else if (*c == '$' && c[1] >= '1' && c[1] <= '9') {
                got++;
            }
        }
        /* Input '$' followed by a digit outside quotes also counts; allow it. */
        if (got < want) {
            __builtin_trap();
        }
    }
    /* A tiny buffer must fail cleanly, never overflow. */
    char small[4];
    (void)store_sql_to_pg(small, sizeof small, s, &err);
    free(out);
    free(s);
    return 0;
}
