/*
 * hex.h — base16 (RFC 4648 section 8) in the project's one text form: lower-case digits.
 *
 * Hashes, keys and identifiers are shown and stored as lower-case hex. The decoder takes only
 * that form, so each byte string has exactly one spelling and two texts compare equal exactly
 * when their bytes do.
 *
 *     uint8_t h[32];
 *     char text[2 * sizeof h + 1];
 *     gsi_hex_encode(text, h, sizeof h);          // 64 digits and a NUL
 *     if (gsi_hex_decode(h, sizeof h, text, strlen(text)) < 0) { ...GSI_EDATA... }
 */
#ifndef GSI_CORE_HEX_H
#define GSI_CORE_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Writes `n` bytes as 2n lower-case hex digits and a NUL into `out`, which holds 2n+1 bytes. */
void gsi_hex_encode(char *out, const uint8_t *bytes, size_t n);

/* Reads exactly `len` bytes from the slice `s` of `n` characters into `out`. Returns 0, or
 * GSI_EDATA when n != 2*len or a character is not one of 0-9 a-f (upper case is refused);
 * `out` may then be partly written. Never reads past `n`, never allocates. */
int gsi_hex_decode(uint8_t *out, size_t len, const char *s, size_t n);

#endif
