/* text.c — strict slice parsers (see text.h). */
#include "core/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

/* Reads the digits s[0..n) into `out`; GSI_EDATA for an empty slice, a non-digit, or a value
 * above `limit`. */
static int parse_digits(uint64_t *out, const char *s, size_t n, uint64_t limit)
{
    if (n == 0) {
        return GSI_EDATA;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9) {
            return GSI_EDATA;
        }
        if (v > (limit - d) / 10) {
            return GSI_EDATA;
        }
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* The length of an optional leading '+' or '-' (0 or 1); `*neg` says whether it is '-'. */
static size_t sign_len(const char *s, size_t n, bool *neg)
{
    *neg = n > 0 && s[0] == '-';
    return n > 0 && (s[0] == '-' || s[0] == '+') ? 1 : 0;
}

int gsi_parse_i64(int64_t *out, const char *s, size_t n)
{
    bool neg;
    size_t i = sign_len(s, n, &neg);
    uint64_t v;
    /* The magnitude of INT64_MIN is one more than INT64_MAX. */
    const uint64_t limit = neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
    if (parse_digits(&v, s + i, n - i, limit) < 0) {
        return GSI_EDATA;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

int gsi_parse_u64(uint64_t *out, const char *s, size_t n)
{
    return parse_digits(out, s, n, UINT64_MAX);
}

/* Exact powers of ten representable in a double. */
static const double pow10_exact[] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

static int parse_f64_slow(double *out, const char *s, size_t n)
{
    char tmp[128];
    if (n >= sizeof tmp) {
        return GSI_EDATA;
    }
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char *end = NULL;
    double v = strtod(tmp, &end);
    if (end != tmp + n || !isfinite(v)) {
        return GSI_EDATA;
    }
    *out = v;
    return 0;
}

int gsi_parse_f64(double *out, const char *s, size_t n)
{
    bool neg;
    size_t i = sign_len(s, n, &neg);
    /* All digits go into `mant`; past 19 of them it wraps, and the slow path takes over. */
    uint64_t mant = 0;
    size_t start = i;
    while (i < n && (unsigned)(s[i] - '0') <= 9) {
        mant = mant * 10 + (uint64_t)(s[i] - '0');
        i++;
    }
    size_t ndigits = i - start;
    int scale = 0;
    if (i < n && s[i] == '.') {
        size_t frac = ++i;
        while (i < n && (unsigned)(s[i] - '0') <= 9) {
            mant = mant * 10 + (uint64_t)(s[i] - '0');
            i++;
        }
        ndigits += i - frac;
        scale = -(int)(i - frac);
    }
    if (ndigits == 0) {
        return GSI_EDATA;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < n && (s[i] == '-' || s[i] == '+')) {
            eneg = s[i] == '-';
            i++;
        }
        if (i == n) {
            return GSI_EDATA;
        }
        int e = 0;
        for (; i < n && (unsigned)(s[i] - '0') <= 9; i++) {
            if (e < 100000) {
                e = e * 10 + (s[i] - '0');
            }
        }
        scale += eneg ? -e : e;
    }
    if (i != n) {
        return GSI_EDATA;
    }
    /* Fast path: the mantissa is exact (at most 19 digits, below 2^53) and the scale is an
     * exact power of ten, so one correctly rounded multiply or divide gives the correctly
     * rounded result (Clinger). */
    if (ndigits <= 19 && mant < (UINT64_C(1) << 53) && scale >= -22 && scale <= 22) {
        double v = (double)mant;
        v = scale < 0 ? v / pow10_exact[-scale] : v * pow10_exact[scale];
        *out = neg ? -v : v;
        return 0;
    }
    return parse_f64_slow(out, s, n);
}

bool gsi_slice_eq(const char *s, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    return m == n && memcmp(s, lit, n) == 0;
}

void gsi_slice_trim(const char **s, size_t *n)
{
    while (*n > 0 && ((*s)[0] == ' ' || (*s)[0] == '\t' || (*s)[0] == '\r')) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r')) {
        (*n)--;
    }
}

char *gsi_slice_copy(char *dst, size_t cap, const char *s, size_t n)
{
    if (cap == 0) {
        return dst;
    }
    if (n > cap - 1) {
        n = cap - 1;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
    return dst;
}

int gsi_format_f64(char *dst, size_t cap, double v)
{
    /* Shortest of %.15g/%.16g/%.17g that reads back exactly. */
    for (int prec = 15; prec <= 17; prec++) {
        int len = snprintf(dst, cap, "%.*g", prec, v);
        if (len < 0 || (size_t)len >= cap) {
            return len;
        }
        if (strtod(dst, NULL) == v) {
            return len;
        }
    }
    return (int)strlen(dst);
}
