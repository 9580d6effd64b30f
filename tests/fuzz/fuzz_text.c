/* Fuzz target for core's slice parsers (text.h, hex.h). Besides not crashing or reading past
 * the slice, it checks what each accepts: an unsigned integer prints back as its digits
 * without leading zeros, a signed one without a sign agrees with the unsigned parser, and
 * decoded hex encodes back to the same text. A broken rule aborts. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hex.h"
#include "core/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The parsers take a slice; a heap copy of exactly `size` bytes lets ASan see any read
     * past its end (there is no NUL to stop at). */
    char *s = malloc(size > 0 ? size : 1);
    if (s == NULL) {
        return 0;
    }
    memcpy(s, data, size);

    uint64_t u;
    if (gsi_parse_u64(&u, s, size) == 0) {
        size_t z = 0;
        while (z + 1 < size && s[z] == '0') {
            z++;
        }
        char back[24];
        int len = snprintf(back, sizeof back, "%" PRIu64, u);
        if (len < 0 || (size_t)len != size - z || memcmp(back, s + z, size - z) != 0) {
            abort();
        }
    }
    int64_t i;
    int ri = gsi_parse_i64(&i, s, size);
    if (ri == 0 && size > 0 && s[0] != '-' && s[0] != '+' &&
        (gsi_parse_u64(&u, s, size) != 0 || u != (uint64_t)i)) {
        abort();
    }
    double d;
    if (gsi_parse_f64(&d, s, size) == 0 && !isfinite(d)) {
        abort();
    }
    uint8_t bytes[64];
    if (size / 2 <= sizeof bytes && gsi_hex_decode(bytes, size / 2, s, size) == 0) {
        char text[2 * sizeof bytes + 1];
        gsi_hex_encode(text, bytes, size / 2);
        if (strlen(text) != size || memcmp(text, s, size) != 0) {
            abort();
        }
    }
    free(s);
    return 0;
}
