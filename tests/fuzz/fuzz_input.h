/*
 * fuzz_input.h — libFuzzer's input as a C string, for the targets whose parser takes one.
 *
 *     char *s = fuzz_input_cstr(data, size);
 *     if (s == NULL) {
 *         return 0;
 *     }
 *     ... parse(s) ...
 *     free(s);
 *
 * The copy is the `size` input bytes and a NUL after them (a NUL inside the input ends the
 * string early there, as it would for a caller). NULL only when memory runs out.
 */
#ifndef GSI_TESTS_FUZZ_INPUT_H
#define GSI_TESTS_FUZZ_INPUT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static inline char *fuzz_input_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s != NULL) {
        memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}

#endif
