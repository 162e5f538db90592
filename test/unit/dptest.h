/**
 * @file dptest.h  The unit-test harness every test program links
 *
 * A test is a function declared with DP_TEST(name); it registers itself.
 * dptest.c supplies main(): it runs every test (or those named on the
 * command line), each in a child process so that a crash fails one test
 * only, and prints one line per test, `PASS name` or `FAIL name: why`,
 * then `N passed, N failed`.  Exit status is 0 only when nothing failed.
 *
 * Assertions stop the test at the first failure.  A test that asserts
 * nothing is reported as a failure: every test must check something.
 */
#ifndef DESKPHONE_DPTEST_H
#define DESKPHONE_DPTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef void (dptest_fn)(void);

void dptest_register(const char *name, dptest_fn *fn);
void dptest_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));
void dptest_count(void);
/* A directory of its own for this test, removed afterwards. */
const char *dptest_tmpdir(void);
/* Where test data lives (the repository's test/data). */
const char *dptest_datadir(void);

#define DP_TEST(name) \
	static void name(void); \
	__attribute__((constructor)) static void name##_register(void) \
	{ dptest_register(#name, name); } \
	static void name(void)

#define DP_ASSERT(cond) do { dptest_count(); if (!(cond)) \
	dptest_fail(__FILE__, __LINE__, "%s", #cond); } while (0)

#define DP_ASSERT_MSG(cond, ...) do { dptest_count(); if (!(cond)) \
	dptest_fail(__FILE__, __LINE__, __VA_ARGS__); } while (0)

#define DP_ASSERT_EQ(a, b) do { long long a_ = (long long)(a), \
	b_ = (long long)(b); dptest_count(); if (a_ != b_) \
	dptest_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", \
		    #a, #b, a_, b_); } while (0)

#define DP_ASSERT_STREQ(a, b) do { const char *a_ = (a), *b_ = (b); \
	dptest_count(); if (!a_ || !b_ || strcmp(a_, b_)) \
	dptest_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", \
		    #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
	} while (0)

#define DP_ASSERT_MEMEQ(a, b, n) do { dptest_count(); \
	if (memcmp((a), (b), (n))) dptest_fail(__FILE__, __LINE__, \
		"%s and %s differ", #a, #b); } while (0)

#define DP_ASSERT_OK(expr) do { int e_ = (expr); dptest_count(); \
	if (e_) dptest_fail(__FILE__, __LINE__, "%s: error %d (%s)", \
			    #expr, e_, strerror(e_)); } while (0)

#endif
