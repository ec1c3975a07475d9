// SPDX-License-Identifier: GPL-2.0
/* unit-sources: kmod/vmx/checks.c */
/*
 * Checks of guest-supplied values before they reach the hardware
 * (kmod/vmx/checks.c): XCR0 against SDM vol 1 13.3 and vol 2C XSETBV; the
 * CR4 the guest runs with (MCE kept, PCE/PKE never, VMX fixed bits); WRMSR
 * values of the MSRs vtx loads with wrmsrl() (SDM vol 4 Table 2-2).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ktypes.h"
#include "vmx/checks.h"

/* A host with x87 through AVX-512 and MPX enabled. */
#define ALL	0xffULL
#define BASE	(VMX_XCR0_X87 | VMX_XCR0_SSE | VMX_XCR0_AVX)

static void test_xcr0_good(void **state)
{
	(void)state;
	assert_true(vmx_xcr0_valid(VMX_XCR0_X87, ALL));
	assert_true(vmx_xcr0_valid(VMX_XCR0_X87 | VMX_XCR0_SSE, ALL));
	assert_true(vmx_xcr0_valid(BASE, ALL));
	assert_true(vmx_xcr0_valid(BASE | VMX_XCR0_MPX, ALL));
	assert_true(vmx_xcr0_valid(BASE | VMX_XCR0_AVX512, ALL));
	assert_true(vmx_xcr0_valid(ALL, ALL));
}

static void test_xcr0_x87_required(void **state)
{
	(void)state;
	assert_false(vmx_xcr0_valid(0, ALL));
	assert_false(vmx_xcr0_valid(VMX_XCR0_SSE, ALL));
	assert_false(vmx_xcr0_valid(ALL & ~VMX_XCR0_X87, ALL));
}

static void test_xcr0_avx_needs_sse(void **state)
{
	(void)state;
	assert_false(vmx_xcr0_valid(VMX_XCR0_X87 | VMX_XCR0_AVX, ALL));
	assert_false(vmx_xcr0_valid(ALL & ~VMX_XCR0_SSE, ALL));
}

static void test_xcr0_mpx_pair(void **state)
{
	(void)state;
	assert_false(vmx_xcr0_valid(BASE | VMX_XCR0_BNDREGS, ALL));
	assert_false(vmx_xcr0_valid(BASE | VMX_XCR0_BNDCSR, ALL));
	assert_false(vmx_xcr0_valid(VMX_XCR0_X87 | VMX_XCR0_BNDCSR, ALL));
}

static void test_xcr0_avx512_all_or_none(void **state)
{
	(void)state;
	assert_false(vmx_xcr0_valid(BASE | VMX_XCR0_OPMASK, ALL));
	assert_false(vmx_xcr0_valid(BASE | VMX_XCR0_ZMM_HI256, ALL));
	assert_false(vmx_xcr0_valid(BASE | VMX_XCR0_HI16_ZMM, ALL));
	assert_false(vmx_xcr0_valid(BASE | VMX_XCR0_OPMASK | VMX_XCR0_ZMM_HI256, ALL));
	/* AVX-512 state needs AVX (and through it SSE). */
	assert_false(vmx_xcr0_valid(VMX_XCR0_X87 | VMX_XCR0_SSE | VMX_XCR0_AVX512, ALL));
}

static void test_xcr0_reserved_and_unsupported(void **state)
{
	(void)state;
	assert_false(vmx_xcr0_valid(BASE | BIT_ULL(63), ALL));
	assert_false(vmx_xcr0_valid(BASE | BIT_ULL(9), ALL));	/* PKRU: never offered */
	assert_false(vmx_xcr0_valid(BASE | BIT_ULL(32), ALL));
	/* Supported by the ISA but not enabled by the host. */
	assert_false(vmx_xcr0_valid(BASE, VMX_XCR0_X87 | VMX_XCR0_SSE));
	assert_false(vmx_xcr0_valid(BASE | VMX_XCR0_MPX, BASE));
}

/* IA32_VMX_CR4_FIXED0/1 of the test machine: VMXE fixed, PKE allowed. */
#define CR4_FIXED0	0x2000ULL
#define CR4_FIXED1	0x7727ffULL

static void test_cr4_hw(void **state)
{
	(void)state;
	/* The guest's 0 still runs with MCE, and VMXE from the fixed bits. */
	assert_int_equal(vmx_cr4_hw(0, CR4_FIXED0, CR4_FIXED1), VMX_CR4_MCE | 0x2000);
	assert_int_equal(vmx_cr4_hw(0x20, CR4_FIXED0, CR4_FIXED1), VMX_CR4_MCE | 0x2020);
	assert_int_equal(vmx_cr4_hw(VMX_CR4_MCE, CR4_FIXED0, CR4_FIXED1), VMX_CR4_MCE | 0x2000);
	/* PCE and PKE never reach the hardware. */
	assert_int_equal(vmx_cr4_hw(VMX_CR4_PCE | VMX_CR4_PKE | 0x20, CR4_FIXED0, CR4_FIXED1),
			 VMX_CR4_MCE | 0x2020);
	/* Bits the CPU cannot set stay clear. */
	assert_int_equal(vmx_cr4_hw(BIT_ULL(63), CR4_FIXED0, CR4_FIXED1), VMX_CR4_MCE | 0x2000);
}

#define STAR		0xc0000081
#define LSTAR		0xc0000082
#define CSTAR		0xc0000083
#define FMASK		0xc0000084
#define KGS_BASE	0xc0000102
#define TSC_AUX		0xc0000103

static void test_msr_values(void **state)
{
	(void)state;
	assert_true(vmx_guest_msr_valid(FMASK, 0x47700));
	assert_true(vmx_guest_msr_valid(FMASK, 0xffffffff));
	assert_false(vmx_guest_msr_valid(FMASK, 1ULL << 32));
	assert_false(vmx_guest_msr_valid(FMASK, ~0ULL));
	assert_true(vmx_guest_msr_valid(TSC_AUX, 0xffffffff));
	assert_false(vmx_guest_msr_valid(TSC_AUX, 1ULL << 32));
	/* Canonical: bits 63:47 all equal. */
	assert_true(vmx_guest_msr_valid(LSTAR, 0xffffffff81000000ULL));
	assert_true(vmx_guest_msr_valid(LSTAR, 0x00007fffffffffffULL));
	assert_false(vmx_guest_msr_valid(LSTAR, 0x0000800000000000ULL));
	assert_false(vmx_guest_msr_valid(LSTAR, 0x8000000000000000ULL));
	assert_false(vmx_guest_msr_valid(CSTAR, 0xfffe000000000000ULL));
	assert_false(vmx_guest_msr_valid(KGS_BASE, 0x0001000000000000ULL));
	assert_true(vmx_guest_msr_valid(KGS_BASE, 0xffff888000000000ULL));
	/* STAR: selectors and EIP, any value (Linux's is not canonical). */
	assert_true(vmx_guest_msr_valid(STAR, 0x0023001000000000ULL));
	assert_true(vmx_guest_msr_valid(STAR, ~0ULL));
	/* MSRs that are not loaded with wrmsrl(): not this function's. */
	assert_true(vmx_guest_msr_valid(0x277, ~0ULL));
}

/* Machine-check MSRs: 2 banks, MCG_CAP read-only, STATUS write-0, CTL 0 or ~0. */
static void test_mce_msrs(void **state)
{
	struct vmx_mce m;
	u64 v;

	(void)state;
	vmx_mce_reset(&m);
	assert_int_equal(vmx_mce_get(&m, 0x179, &v), 0);
	assert_int_equal(v, VMX_MCE_BANKS);
	assert_int_equal(vmx_mce_set(&m, 0x179, 0), -1);
	assert_int_equal(vmx_mce_get(&m, 0x17a, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(vmx_mce_set(&m, 0x17a, 0), 0);
	assert_int_equal(vmx_mce_set(&m, 0x17a, 1), -1);
	/* MCG_CTL (0x17b): no MCG_CTL_P, not modelled */
	assert_int_equal(vmx_mce_get(&m, 0x17b, &v), 1);
	assert_int_equal(vmx_mce_get(&m, 0x400, &v), 0);
	assert_int_equal(v, ~0ULL);
	assert_int_equal(vmx_mce_set(&m, 0x404, 0), 0);
	assert_int_equal(vmx_mce_get(&m, 0x404, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(vmx_mce_set(&m, 0x404, 0x5), -1);
	assert_int_equal(vmx_mce_set(&m, 0x401, 0), 0);
	assert_int_equal(vmx_mce_set(&m, 0x405, 1ULL << 63), -1);
	assert_int_equal(vmx_mce_set(&m, 0x402, 0x1234), 0);
	assert_int_equal(vmx_mce_set(&m, 0x407, 0x5678), 0);
	assert_int_equal(vmx_mce_get(&m, 0x402, &v), 0);
	assert_int_equal(v, 0x1234);
	assert_int_equal(vmx_mce_get(&m, 0x407, &v), 0);
	assert_int_equal(v, 0x5678);
	/* bank 2 does not exist */
	assert_int_equal(vmx_mce_get(&m, 0x408, &v), 1);
	assert_int_equal(vmx_mce_set(&m, 0x408, 0), 1);
	assert_int_equal(vmx_mce_get(&m, 0x3ff, &v), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xcr0_good),
		cmocka_unit_test(test_mce_msrs),
		cmocka_unit_test(test_xcr0_x87_required),
		cmocka_unit_test(test_xcr0_avx_needs_sse),
		cmocka_unit_test(test_xcr0_mpx_pair),
		cmocka_unit_test(test_xcr0_avx512_all_or_none),
		cmocka_unit_test(test_xcr0_reserved_and_unsupported),
		cmocka_unit_test(test_cr4_hw),
		cmocka_unit_test(test_msr_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
