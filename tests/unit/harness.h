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

/* Path of `rel` under the tests/data folder, in a static buffer (one per call site level). */
static inline const char *test_path(const char *rel)
{
    static char buf[8][4096];
    static int next;
    const char *root = getenv("GSI_TEST_DATA");
    char *out = buf[next++ % 8];
    snprintf(out, sizeof buf[0], "%s/%s", root != NULL ? root : "tests/data", rel);
    return out;
}

/* Path of `rel` under the source root (for data/). */
static inline const char *source_path(const char *rel)
{
    static char buf[8][4096];
    static int next;
    const char *root = getenv("GSI_SOURCE_ROOT");
    char *out = buf[next++ % 8];
    snprintf(out, sizeof buf[0], "%s/%s", root != NULL ? root : ".", rel);
    return out;
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
