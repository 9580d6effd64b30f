/*
 * vecfile.h — reads the test-vector files: NIST .rsp, ring's .txt and the converted JSON
 * (tests/data/vectors/converted/), which share one shape: "KEY = value" lines, records
 * separated by blank lines, '#' comments and "[...]" section lines ignored.
 *
 *     struct vec_file f;
 *     ck_assert_int_eq(vec_open(&f, test_path("vectors/x.txt")), 0);
 *     while (vec_next(&f)) { const char *v = vec_get(&f, "MSG"); ... }
 *     while ((v = vec_next_with(&f, "MSG")) != NULL) { ... }   // only records holding MSG
 *     vec_close(&f);
 */
#ifndef GSI_TESTS_JOURNAL_VECFILE_H
#define GSI_TESTS_JOURNAL_VECFILE_H

#include <stddef.h>
#include <stdint.h>

#define VEC_MAX_FIELDS 16
#define VEC_MAX_LIST   64

struct vec_file {
    char *data; /* whole file, split in place */
    size_t len;
    size_t at;
    long line; /* line of the current record's first field */
    long cur;  /* lines read so far */
    size_t n;
    const char *key[VEC_MAX_FIELDS];
    const char *val[VEC_MAX_FIELDS];
};

/* Whole file into a NUL-terminated heap buffer; NULL on failure. */
char *vec_slurp(const char *path, size_t *len);
int vec_open(struct vec_file *f, const char *path);
/* 1 when a record was read, 0 at the end. */
int vec_next(struct vec_file *f);
/* Value of KEY in the current record, or NULL. */
const char *vec_get(const struct vec_file *f, const char *key);
/* Advances to the next record that holds KEY and returns its value; NULL at the end. */
const char *vec_next_with(struct vec_file *f, const char *key);
void vec_close(struct vec_file *f);
/* Hex to bytes: returns the byte count, or -1 for bad hex or more than `cap` bytes.
 * "-" and "" (and "\"\"") are empty. */
long vec_hex(uint8_t *out, size_t cap, const char *hex);
/* Heap copy of decoded hex (at least 1 byte allocated); *len gets the length. NULL on bad hex. */
uint8_t *vec_hex_alloc(const char *hex, size_t *len);
/* Splits a comma list into a heap copy; returns the count (0 for "-"), -1 past VEC_MAX_LIST.
 * *copy must be freed. */
int vec_list(const char *s, char **copy, const char *items[VEC_MAX_LIST]);

#endif
