/* hex.c — lower-case base16 encode and decode (see hex.h). */
#include "core/hex.h"

#include "core/err.h"

void gsi_hex_encode(char *out, const uint8_t *bytes, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

/* The value of one lower-case hex digit, or -1. */
static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

int gsi_hex_decode(uint8_t *out, size_t len, const char *s, size_t n)
{
    /* n / 2 first: 2 * len could wrap for an absurd len. */
    if (n % 2 != 0 || n / 2 != len) {
        return GSI_EDATA;
    }
    for (size_t i = 0; i < len; i++) {
        int hi = hex_digit(s[2 * i]);
        int lo = hex_digit(s[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return GSI_EDATA;
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}
