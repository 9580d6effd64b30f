/*
 * harness.h — the shared main() of every unit-test program.
 *
 * Each test file defines `Suite *make_suite(void)` and includes this header once (in the
 * file that is the program's main). The program runs the suite with Check, prints a line
 * "checks: N passed, M failed" that scripts/test.sh adds up, and exits non-zero on failure.
 *
 * Tests find their fixtures through GSI_TEST_DATA (tests/data) and GSI_SOURCE_ROOT, which
 * tests/meson.build sets in the environment; test_path() joins a relative path onto it.
 */
#ifndef GSI_TESTS_HARNESS_H
#define GSI_TESTS_HARNESS_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

Suite *make_suite(void);

/* test_suite() below, whose tests each run between `setup` and `teardown` (Check's checked
 * fixture: in the test's own process, so a failed assertion in either fails that test):
 *
 *     return test_suite_fixture("platform", 300, setup, teardown, tests,
 *                               sizeof tests / sizeof tests[0]);
 */
static inline Suite *test_suite_fixture(const char *name, int timeout, SFun setup, SFun teardown,
                                        const TTest *const *tests, size_t n)
{
    Suite *s = suite_create(name);
    TCase *tc = tcase_create(name);
    if (setup != NULL || teardown != NULL) {
        tcase_add_checked_fixture(tc, setup, teardown);
    }
    if (timeout > 0) {
        tcase_set_timeout(tc, timeout);
    }
    for (size_t i = 0; i < n; i++) {
        tcase_add_test(tc, tests[i]);
    }
    suite_add_tcase(s, tc);
    return s;
}

/* The usual suite: one test case, named like the suite, that runs `tests` in order, each with
 * `timeout` seconds (0: Check's default, or CK_DEFAULT_TIMEOUT):
 *
 *     const TTest *tests[] = { parse_i64, parse_u64 };
 *     return test_suite("core", 0, tests, sizeof tests / sizeof tests[0]);
 */
static inline Suite *test_suite(const char *name, int timeout, const TTest *const *tests, size_t n)
{
    return test_suite_fixture(name, timeout, NULL, NULL, tests, n);
}

/* The last 8 paths test_path() (or source_path()) returned: each stays valid for 7 more calls. */
struct test_path_ring {
    char buf[8][4096];
    unsigned next;
};

/* `rel` joined onto the folder that environment variable `var` names (`fallback` where it is
 * unset), in the next buffer of `ring`. */
static inline const char *test_path_join(struct test_path_ring *ring, const char *var,
                                         const char *fallback, const char *rel)
{
    const char *root = getenv(var);
    char *out = ring->buf[ring->next++ % 8];
    snprintf(out, sizeof ring->buf[0], "%s/%s", root != NULL ? root : fallback, rel);
    return out;
}

/* Path of `rel` under the tests/data folder. */
static inline const char *test_path(const char *rel)
{
    static struct test_path_ring ring;
    return test_path_join(&ring, "GSI_TEST_DATA", "tests/data", rel);
}

/* Path of `rel` under the source root (for data/). */
static inline const char *source_path(const char *rel)
{
    static struct test_path_ring ring;
    return test_path_join(&ring, "GSI_SOURCE_ROOT", ".", rel);
}

int main(void)
{
    SRunner *sr = srunner_create(make_suite());
    srunner_run_all(sr, CK_NORMAL);
    int run = srunner_ntests_run(sr);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    printf("checks: %d passed, %d failed\n", run - failed, failed);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
