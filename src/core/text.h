/*
 * text.h — strict parsing of numbers and codes from byte slices.
 *
 * Input fields are slices (pointer + length) into a read buffer, not NUL-terminated strings,
 * so these parsers take a length and never read past it. Each returns 0 on success and
 * GSI_EDATA when the whole slice is not exactly one value of the asked type (no leading or
 * trailing space, no empty field); they never set errno and never allocate.
 */
#ifndef GSI_CORE_TEXT_H
#define GSI_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decimal integer with optional sign; GSI_EDATA on overflow. */
int gsi_parse_i64(int64_t *out, const char *s, size_t n);
/* Unsigned decimal integer: ASCII digits only, no sign (not even '+'); leading zeros are
 * allowed. GSI_EDATA above 18446744073709551615 (2^64 - 1). For ids, counts and indexes
 * read from paths and query strings, where a sign is never part of the value. */
int gsi_parse_u64(uint64_t *out, const char *s, size_t n);
/* Decimal number: [sign] digits [. digits] [e|E [sign] digits]; also "nan"/"inf" are refused.
 * Exact for up to 19 significant digits and moderate exponents (the digits are accumulated in
 * an integer and scaled once); longer inputs fall back to strtod on a bounded copy. */
int gsi_parse_f64(double *out, const char *s, size_t n);

/* True when the slice equals the NUL-terminated `lit`. */
bool gsi_slice_eq(const char *s, size_t n, const char *lit);
/* Removes ASCII space, tab, CR from both ends of a slice. */
void gsi_slice_trim(const char **s, size_t *n);

/* Copies at most cap-1 bytes of a slice into `dst` and NUL-terminates; returns dst. */
char *gsi_slice_copy(char *dst, size_t cap, const char *s, size_t n);

/* Writes `v` as the shortest decimal that reads back to the same double ("%.17g" trimmed),
 * with "." as decimal separator whatever the locale. Returns the length written. */
int gsi_format_f64(char *dst, size_t cap, double v);

#endif
