/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP 13 output for vtx selftests, in the style of the kernel's
 * kselftest.h: ksft_print_header(), ksft_set_plan(), ksft_test_result_*(),
 * ksft_finished(). Exit codes follow kselftest: 0 pass, 1 fail, 4 skip.
 *
 * Header-only: each selftest is one program, so the counters are per program.
 * Output is flushed line by line because it goes to a serial console and a
 * forked child must not inherit (and later duplicate) buffered lines.
 */
#ifndef VTX_SELFTEST_TAP_H
#define VTX_SELFTEST_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define KSFT_PASS	0
#define KSFT_FAIL	1
#define KSFT_SKIP	4

struct ksft_counts {
	unsigned int pass, fail, skip, plan;
};

static struct ksft_counts ksft_cnt __attribute__((unused));

static inline unsigned int ksft_test_num(void)
{
	return ksft_cnt.pass + ksft_cnt.fail + ksft_cnt.skip + 1;
}

static inline void ksft_print_header(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n");
	fflush(stdout);
}

static inline void ksft_set_plan(unsigned int plan)
{
	ksft_cnt.plan = plan;
	printf("1..%u\n", plan);
	fflush(stdout);
}

static inline void __attribute__((format(printf, 1, 2))) ksft_print_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# ");
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static inline void ksft_vresult(const char *status, const char *suffix,
				const char *fmt, va_list ap)
{
	printf("%s %u - ", status, ksft_test_num());
	vprintf(fmt, ap);
	printf("%s\n", suffix);
	fflush(stdout);
}

static inline void __attribute__((format(printf, 1, 2))) ksft_test_result_pass(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ksft_vresult("ok", "", fmt, ap);
	va_end(ap);
	ksft_cnt.pass++;
}

static inline void __attribute__((format(printf, 1, 2))) ksft_test_result_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ksft_vresult("not ok", "", fmt, ap);
	va_end(ap);
	ksft_cnt.fail++;
}

/* The reason goes after "# SKIP", as TAP wants. */
static inline void __attribute__((format(printf, 2, 3)))
ksft_test_result_skip(const char *reason, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("ok %u - ", ksft_test_num());
	vprintf(fmt, ap);
	printf(" # SKIP %s\n", reason);
	va_end(ap);
	fflush(stdout);
	ksft_cnt.skip++;
}

/* ksft_test_result(cond, "what") reports pass or fail on cond. */
#define ksft_test_result(cond, ...) do {			\
	if (cond)						\
		ksft_test_result_pass(__VA_ARGS__);		\
	else							\
		ksft_test_result_fail(__VA_ARGS__);		\
} while (0)

/* Whole program skipped (before or instead of a plan). */
static inline void __attribute__((noreturn, format(printf, 1, 2))) ksft_exit_skip(const char *fmt, ...)
{
	va_list ap;

	if (!ksft_cnt.plan && !ksft_cnt.pass && !ksft_cnt.fail && !ksft_cnt.skip)
		printf("1..0 # SKIP ");
	else
		printf("# SKIP ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	exit(KSFT_SKIP);
}

static inline void __attribute__((noreturn, format(printf, 1, 2))) ksft_exit_fail_msg(const char *fmt, ...)
{
	va_list ap;

	printf("Bail out! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	exit(KSFT_FAIL);
}

/*
 * End of the program: fail if any test failed or the plan was not met,
 * skip if everything was skipped, else pass.
 */
static inline void __attribute__((noreturn)) ksft_finished(void)
{
	unsigned int done = ksft_cnt.pass + ksft_cnt.fail + ksft_cnt.skip;

	printf("# Totals: pass:%u fail:%u skip:%u\n", ksft_cnt.pass, ksft_cnt.fail,
	       ksft_cnt.skip);
	if (ksft_cnt.plan && done != ksft_cnt.plan) {
		printf("# planned %u tests but ran %u\n", ksft_cnt.plan, done);
		fflush(stdout);
		exit(KSFT_FAIL);
	}
	fflush(stdout);
	if (ksft_cnt.fail)
		exit(KSFT_FAIL);
	if (done && ksft_cnt.skip == done)
		exit(KSFT_SKIP);
	exit(KSFT_PASS);
}

#endif /* VTX_SELFTEST_TAP_H */
