/*
 * kp_test.h - the unit-test harness: one binary per module, each test a
 * function registered with KP_TEST; the binary prints one line per test
 * and a last line "N passed, N failed", and exits 1 if any failed.
 */
#ifndef KP_TEST_H
#define KP_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kp_test_state {
	int failed_checks;
};

#define KP_CHECK(st, cond)                                                    \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,   \
				__LINE__, #cond);                             \
			(st)->failed_checks++;                                \
		}                                                             \
	} while (0)

#define KP_CHECK_EQ(st, a, b)                                                 \
	do {                                                                  \
		long long _a = (long long)(a), _b = (long long)(b);           \
		if (_a != _b) {                                               \
			fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", \
				__FILE__, __LINE__, #a, #b, _a, _b);          \
			(st)->failed_checks++;                                \
		}                                                             \
	} while (0)

#define KP_CHECK_STR(st, a, b)                                                \
	do {                                                                  \
		const char *_a = (a), *_b = (b);                              \
		if (!_a || !_b || strcmp(_a, _b)) {                           \
			fprintf(stderr, "%s:%d: %s == %s failed: \"%s\" != \"%s\"\n", \
				__FILE__, __LINE__, #a, #b, _a ? _a : "(null)", \
				_b ? _b : "(null)");                          \
			(st)->failed_checks++;                                \
		}                                                             \
	} while (0)

typedef void (*kp_test_fn)(struct kp_test_state *st);

struct kp_test_case {
	const char *name;
	kp_test_fn fn;
};

#define KP_TEST(name) static void name(struct kp_test_state *st)

/* In the test file: KP_TEST_MAIN(test_a, test_b, ...) */
#define KP_TEST_MAIN(...)                                                     \
	int main(void)                                                        \
	{                                                                     \
		kp_test_fn fns[] = { __VA_ARGS__ };                           \
		const char *names = #__VA_ARGS__;                             \
		int passed = 0, failed = 0;                                   \
		size_t n = sizeof(fns) / sizeof(fns[0]);                      \
		for (size_t i = 0; i < n; i++) {                              \
			while (*names == ' ' || *names == ',')                \
				names++;                                      \
			size_t len = strcspn(names, ", ");                    \
			struct kp_test_state st = { 0 };                      \
			fns[i](&st);                                          \
			printf("%s %.*s\n", st.failed_checks ? "FAIL" : "ok", \
			       (int)len, names);                              \
			names += len;                                         \
			if (st.failed_checks)                                 \
				failed++;                                     \
			else                                                  \
				passed++;                                     \
		}                                                             \
		printf("%d passed, %d failed\n", passed, failed);             \
		return failed ? 1 : 0;                                        \
	}

#endif
