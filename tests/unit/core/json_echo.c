/* json_echo — writes the values named on standard input as one JSON array through the writer,
 * for json_roundtrip.py. Each input line is "s HEX" (a string of those bytes), "d HEX" (a
 * double from its 16-digit big-endian IEEE 754 bits) or "i DECIMAL" (an int64). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hex.h"
#include "core/json.h"
#include "core/text.h"

int main(void)
{
    static char line[1 << 16];
    static uint8_t bytes[1 << 15];
    struct gsi_json w;
    gsi_json_init_file(&w, stdout);
    gsi_json_array_begin(&w, NULL, GSI_JSON_LINES);
    while (fgets(line, sizeof line, stdin) != NULL) {
        size_t n = strcspn(line, "\n");
        if (n < 2) {
            continue;
        }
        const char *arg = line + 2;
        size_t an = n - 2;
        if (line[0] == 's' && an / 2 <= sizeof bytes &&
            gsi_hex_decode(bytes, an / 2, arg, an) == 0) {
            gsi_json_string_n(&w, NULL, (const char *)bytes, an / 2);
        } else if (line[0] == 'd' && an == 16 && gsi_hex_decode(bytes, 8, arg, an) == 0) {
            uint64_t bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = bits << 8 | bytes[i];
            }
            double d;
            memcpy(&d, &bits, sizeof d);
            gsi_json_double(&w, NULL, d);
        } else if (line[0] == 'i') {
            int64_t v;
            if (gsi_parse_i64(&v, arg, an) < 0) {
                fprintf(stderr, "json_echo: bad integer line\n");
                return 2;
            }
            gsi_json_int(&w, NULL, v);
        } else {
            fprintf(stderr, "json_echo: bad input line\n");
            return 2;
        }
    }
    gsi_json_end(&w);
    gsi_json_newline(&w);
    int rc = gsi_json_finish(&w);
    gsi_json_release(&w);
    return rc == 0 && fflush(stdout) == 0 ? 0 : 1;
}
