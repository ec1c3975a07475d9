// SPDX-License-Identifier: GPL-2.0
/* unit-sources: kmod/vmx/ctls.c */
/*
 * Control-word adjustment (kmod/vmx/ctls.c) against SDM vol 3D A.3-A.5:
 * low half of the MSR = bits that must be 1, high half = bits that may be 1.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ktypes.h"
#include "vmx/ctls.h"

/* IA32_VMX_TRUE_PROCBASED_CTLS of a Skylake part: CR3/CR8 exiting may be 0. */
#define TRUE_PROC	0xfff9fffe04006172ULL
/* IA32_VMX_PROCBASED_CTLS (non-true): CR3 load/store exiting forced on. */
#define PROC		0xfff9fffe0401e172ULL
#define HLT		BIT(7)
#define CR3_LOAD	BIT(15)
#define CR3_STORE	BIT(16)
#define SECONDARY	BIT(31)
#define TERTIARY	BIT(17)		/* not allowed by either MSR */

static void test_forced_bits_kept(void **state)
{
	u32 out = 0;

	(void)state;
	assert_int_equal(vmx_adjust_ctls(PROC, HLT, 0, &out), 0);
	/* Every allowed-0 bit is 1 whatever was asked. */
	assert_int_equal(out & 0x0401e172u, 0x0401e172u);
	assert_true(out & CR3_LOAD);
	assert_true(out & CR3_STORE);
	assert_true(out & HLT);
}

static void test_true_ctls_clear_cr3_exiting(void **state)
{
	u32 out = 0;

	(void)state;
	assert_int_equal(vmx_adjust_ctls(TRUE_PROC, HLT | SECONDARY, 0, &out), 0);
	assert_false(out & CR3_LOAD);
	assert_false(out & CR3_STORE);
	assert_int_equal(out, 0x04006172u | HLT | SECONDARY);
}

static void test_required_unsupported(void **state)
{
	u32 out = 0x12345678;

	(void)state;
	assert_int_equal(vmx_adjust_ctls(TRUE_PROC, HLT | TERTIARY, 0, &out), -EOPNOTSUPP);
	/* Nothing written on failure. */
	assert_int_equal(out, 0x12345678);
}

static void test_optional_only_where_allowed(void **state)
{
	u32 out = 0;

	(void)state;
	assert_int_equal(vmx_adjust_ctls(TRUE_PROC, 0, TERTIARY | SECONDARY, &out), 0);
	assert_false(out & TERTIARY);
	assert_true(out & SECONDARY);
}

static void test_secondary_optional(void **state)
{
	/* Secondary controls: nothing forced, EPT(1)/VPID(5)/UG(7) allowed, XSAVES(20) not. */
	u64 msr = (u64)(BIT(1) | BIT(3) | BIT(5) | BIT(7) | BIT(12)) << 32;
	u32 out = 0;

	(void)state;
	assert_int_equal(vmx_adjust_ctls(msr, BIT(1) | BIT(5) | BIT(7), BIT(3) | BIT(12) | BIT(20),
					 &out), 0);
	assert_int_equal(out, BIT(1) | BIT(3) | BIT(5) | BIT(7) | BIT(12));
}

static void test_bad_input(void **state)
{
	u32 out;

	(void)state;
	assert_int_equal(vmx_adjust_ctls(TRUE_PROC, 0, 0, NULL), -EINVAL);
	/* A must-be-1 bit that may not be 1: inconsistent MSR. */
	assert_int_equal(vmx_adjust_ctls(0x0000000100000000ULL | 0x2, 0, 0, &out), -EINVAL);
	/* An all-zero MSR (control MSR absent): only a request for nothing works. */
	assert_int_equal(vmx_adjust_ctls(0, 0, BIT(3), &out), 0);
	assert_int_equal(out, 0);
	assert_int_equal(vmx_adjust_ctls(0, BIT(0), 0, &out), -EOPNOTSUPP);
}

static void test_fixed_cr(void **state)
{
	(void)state;
	/* Bochs-like CR0 fixed0 without PE/PG (unrestricted guest) = NE. */
	assert_int_equal(vmx_fixed_cr(0x10, 0x20, 0xffffffffULL), 0x30);
	/* CR4 fixed0 = VMXE; fixed1 drops bit 22. */
	assert_int_equal(vmx_fixed_cr(0x400020, 0x2000, 0x3fffffULL), 0x2020);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forced_bits_kept),
		cmocka_unit_test(test_true_ctls_clear_cr3_exiting),
		cmocka_unit_test(test_required_unsupported),
		cmocka_unit_test(test_optional_only_where_allowed),
		cmocka_unit_test(test_secondary_optional),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_fixed_cr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
