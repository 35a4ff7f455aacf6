/*
 * cross_cmocka.h - a stand-in for <cmocka.h> with just what the
 * tests/test_*.c programs use, for tools/cross.sh (there is no cmocka for
 * the foreign targets). A failed assertion prints why and longjmps out of
 * the test; the run prints "N tests, M failed", nonzero exit when M > 0.
 */
#ifndef SIPMSG_CROSS_CMOCKA_H
#define SIPMSG_CROSS_CMOCKA_H
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uintmax_t LargestIntegralType;
typedef void (*CMUnitTestFunction)(void **state);
typedef int (*CMFixtureFunction)(void **state);
struct CMUnitTest {
    const char *name;
    CMUnitTestFunction test;
    CMFixtureFunction setup, teardown;
};
__attribute__((weak)) jmp_buf cm_jmp_; /* one for the program (testutil.c too) */

/* cmocka's own name: tests/testutil.c calls it */
static inline void _fail(const char *file, int line)
{
    fprintf(stderr, "%s:%d: failure\n", file, line);
    longjmp(cm_jmp_, 1);
}
#define print_error(...)   fprintf(stderr, __VA_ARGS__)
#define print_message(...) printf(__VA_ARGS__)
#define CM_CHECK_(c, ...)                                                                \
    do {                                                                                 \
        if (!(c)) {                                                                      \
            fprintf(stderr, __VA_ARGS__);                                                \
            _fail(__FILE__, __LINE__);                                                   \
        }                                                                                \
    } while (0)
#define fail_msg(...)                                                                    \
    (fprintf(stderr, __VA_ARGS__), fputc('\n', stderr), _fail(__FILE__, __LINE__))
#define assert_true(c)     CM_CHECK_((c), "assert_true(%s)\n", #c)
#define assert_false(c)    CM_CHECK_(!(c), "assert_false(%s)\n", #c)
#define assert_null(p)     CM_CHECK_((p) == NULL, "%s is not NULL\n", #p)
#define assert_non_null(p) CM_CHECK_((p) != NULL, "%s is NULL\n", #p)
#define assert_ptr_equal(a, b)                                                           \
    CM_CHECK_((const void *)(a) == (const void *)(b), "%s == %s\n", #a, #b)
#define assert_int_equal(a, b)                                                           \
    CM_CHECK_((LargestIntegralType)(a) == (LargestIntegralType)(b),                      \
              "%s == %s: %jd != %jd\n", #a, #b, (intmax_t)(a), (intmax_t)(b))
#define assert_int_not_equal(a, b)                                                       \
    CM_CHECK_((LargestIntegralType)(a) != (LargestIntegralType)(b),                      \
              "%s != %s: both %jd\n", #a, #b, (intmax_t)(a))
#define assert_string_equal(a, b)                                                        \
    CM_CHECK_(strcmp((a), (b)) == 0, "\"%s\" != \"%s\"\n", (a), (b))
#define assert_string_not_equal(a, b)                                                    \
    CM_CHECK_(strcmp((a), (b)) != 0, "%s == %s\n", #a, #b)
#define assert_memory_equal(a, b, n)                                                     \
    CM_CHECK_(memcmp((a), (b), (n)) == 0, "memory %s != %s\n", #a, #b)
#define assert_memory_not_equal(a, b, n)                                                 \
    CM_CHECK_(memcmp((a), (b), (n)) != 0, "memory %s == %s\n", #a, #b)
/* clang-format off: it cannot lay out a braced list in a macro */
#define cmocka_unit_test(f)                                                              \
    {                                                                                    \
#f, f, NULL, NULL                                                                \
    }
#define cmocka_unit_test_teardown(f, t)                                                  \
    {                                                                                    \
#f, f, NULL, t                                                                   \
    }
/* clang-format on */
#define cmocka_run_group_tests(tests, setup, teardown)                                   \
    cm_run_(tests, sizeof(tests) / sizeof(tests)[0], setup, teardown)

static inline int cm_run_(const struct CMUnitTest *t, size_t n, CMFixtureFunction setup,
                          CMFixtureFunction teardown)
{
    void *group = NULL;
    volatile size_t failed = 0, i; /* live across setjmp */
    if (setup && setup(&group))
        return 1;
    for (i = 0; i < n; i++) {
        void *state = group;
        if (setjmp(cm_jmp_) == 0) {
            t[i].test(&state);
        } else {
            failed++;
            printf("[  FAILED  ] %s\n", t[i].name);
        }
        if (t[i].teardown)
            t[i].teardown(&state);
    }
    if (teardown)
        teardown(&group);
    printf("%zu tests, %zu failed\n", n, (size_t)failed);
    return failed != 0;
}
#endif
