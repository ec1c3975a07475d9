// SPDX-License-Identifier: GPL-2.0
/*
 * xsetbv: XSETBV values the CPU refuses (SDM vol 1 13.3, vol 2C XSETBV)
 * raise #GP in the guest and leave XCR0 as it was: x87 clear, AVX without
 * SSE, one MPX bit alone, AVX-512 bits partly set or without AVX, reserved
 * and unsupported bits, ECX != 0. Only ECX selects the register: RCX bits
 * 63:32 are ignored. Good values read back with XGETBV.
 *
 * Where the host kernel runs without XSAVE (Debian's kernel in Bochs turns
 * it off after an xstate size mismatch, the fpu__init_system_xstate
 * warning) it still leaves AVX state on in XCR0 but switches only FXSAVE
 * state, so the guest must not get XSAVE at all: CPUID hides XSAVE and AVX,
 * MOV to CR4.OSXSAVE raises #GP, and XGETBV/XSETBV then raise #UD. The
 * acceptance steps are skipped there, and every sub-leaf of CPUID leaf
 * 0xd must read 0. With XSAVE, leaf 0xd sub-leaf 0 EBX is the size for
 * the guest's XCR0 (576 for x87 alone) and XSAVES is hidden.
 */
#include "vm.h"
#include "vm_test.h"
#include "vtx_util.h"

#define X86_CR4_OSXSAVE	(1ull << 18)
#define XCR0_X87	(1ull << 0)
#define XCR0_SSE	(1ull << 1)
#define XCR0_AVX	(1ull << 2)
#define XCR0_BNDREGS	(1ull << 3)
#define XCR0_BNDCSR	(1ull << 4)
#define XCR0_OPMASK	(1ull << 5)
#define XCR0_AVX512	(7ull << 5)
#define XCR0_PKRU	(1ull << 9)

static uint8_t xgetbv_safe(void)
{
	register uint64_t vec asm("r9");

	asm volatile(GUEST_ASM_SAFE_PROLOGUE "xgetbv" GUEST_ASM_SAFE_EPILOGUE
		     : "=&r"(vec) : "c"(0) : "rax", "rdx", "r10", "r11", "memory");
	return (uint8_t)vec;
}

static uint64_t xgetbv0(void)
{
	uint32_t lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return lo | ((uint64_t)hi << 32);
}

#define S_NO_XSAVE	100	/* the guest may enable no XSAVE feature at all */

static const char *const stages[] = {
	"CPUID has XSAVE; CR4.OSXSAVE set; XCR0 is x87 after reset, XSAVE size 576",
	"XCR0 = x87|SSE reads back",
	"ECX = 1 -> #GP; RCX = 1 << 32 (ECX 0) selects XCR0",
	"XCR0 without x87 -> #GP (0, SSE alone)",
	"AVX without SSE -> #GP",
	"one MPX bit without the other -> #GP",
	"AVX-512 bits partly set, or without AVX -> #GP",
	"reserved bit 63, PKRU, bits the guest's CPUID leaf 0xd lacks -> #GP",
	"XCR0 unchanged by the refused values; every supported value accepted",
};
#define NR_STAGES	(sizeof(stages) / sizeof(stages[0]))

static void guest_code(void)
{
	struct cpuid_regs d = cpuid(0xd, 0);
	uint64_t sup = d.eax | ((uint64_t)d.edx << 32), good = XCR0_X87 | XCR0_SSE;

	if (!(cpuid(1, 0).ecx & (1u << 26))) {
		GUEST_ASSERT_EQ(sup, 0);
		/* no XSAVE: every sub-leaf of leaf 0xd reads 0 */
		GUEST_ASSERT_EQ(d.ebx | d.ecx, 0);
		d = cpuid(0xd, 1);
		GUEST_ASSERT_EQ(d.eax | d.ebx | d.ecx | d.edx, 0);
		d = cpuid(0xd, 2);
		GUEST_ASSERT_EQ(d.eax | d.ebx | d.ecx | d.edx, 0);
		GUEST_ASSERT_EQ(cpuid(1, 0).ecx & (1u << 28), 0);	/* AVX */
		GUEST_ASSERT_EQ(set_cr4_safe(get_cr4() | X86_CR4_OSXSAVE), GP_VECTOR);
		GUEST_ASSERT_EQ(get_cr4() & X86_CR4_OSXSAVE, 0);
		GUEST_ASSERT_EQ(xgetbv_safe(), UD_VECTOR);
		GUEST_ASSERT_EQ(xsetbv_safe(0, XCR0_X87), UD_VECTOR);
		GUEST_SYNC(S_NO_XSAVE);
		GUEST_DONE();
	}
	set_cr4(get_cr4() | X86_CR4_OSXSAVE);
	GUEST_ASSERT_EQ(xgetbv0(), XCR0_X87);
	/* sizes: x87 alone needs the legacy area and header, 576 bytes */
	GUEST_ASSERT_EQ(cpuid(0xd, 0).ebx, 576);
	GUEST_ASSERT(cpuid(0xd, 0).ecx >= 576);
	GUEST_ASSERT_EQ(cpuid(0xd, 1).eax & (1u << 3), 0);	/* no XSAVES */
	GUEST_SYNC(0);

	GUEST_ASSERT_EQ(xsetbv_safe(0, good), 0);
	GUEST_ASSERT_EQ(xgetbv0(), good);
	GUEST_SYNC(1);

	GUEST_ASSERT_EQ(xsetbv_safe(1, good), GP_VECTOR);
	GUEST_ASSERT_EQ(xsetbv_safe(1ull << 32, XCR0_X87), 0);
	GUEST_ASSERT_EQ(xgetbv0(), XCR0_X87);
	GUEST_ASSERT_EQ(xsetbv_safe(0, good), 0);
	GUEST_SYNC(2);

	GUEST_ASSERT_EQ(xsetbv_safe(0, 0), GP_VECTOR);
	GUEST_ASSERT_EQ(xsetbv_safe(0, XCR0_SSE), GP_VECTOR);
	GUEST_SYNC(3);
	GUEST_ASSERT_EQ(xsetbv_safe(0, XCR0_X87 | XCR0_AVX), GP_VECTOR);
	GUEST_SYNC(4);
	GUEST_ASSERT_EQ(xsetbv_safe(0, good | XCR0_BNDREGS), GP_VECTOR);
	GUEST_ASSERT_EQ(xsetbv_safe(0, good | XCR0_BNDCSR), GP_VECTOR);
	GUEST_SYNC(5);
	GUEST_ASSERT_EQ(xsetbv_safe(0, good | XCR0_AVX | XCR0_OPMASK), GP_VECTOR);
	GUEST_ASSERT_EQ(xsetbv_safe(0, good | XCR0_AVX512), GP_VECTOR);
	GUEST_SYNC(6);
	GUEST_ASSERT_EQ(xsetbv_safe(0, good | (1ull << 63)), GP_VECTOR);
	GUEST_ASSERT_EQ(xsetbv_safe(0, good | XCR0_PKRU), GP_VECTOR);
	for (int i = 2; i < 63; i++) {
		if (!(sup & (1ull << i)))
			GUEST_ASSERT_EQ(xsetbv_safe(0, good | (1ull << i)), GP_VECTOR);
	}
	GUEST_SYNC(7);

	GUEST_ASSERT_EQ(xgetbv0(), good);
	if (sup & XCR0_AVX) {
		GUEST_ASSERT_EQ(xsetbv_safe(0, good | XCR0_AVX), 0);
		GUEST_ASSERT_EQ(xgetbv0(), good | XCR0_AVX);
	}
	if ((sup & XCR0_AVX512) == XCR0_AVX512) {
		GUEST_ASSERT_EQ(xsetbv_safe(0, good | XCR0_AVX | XCR0_AVX512), 0);
		GUEST_ASSERT_EQ(xgetbv0(), good | XCR0_AVX | XCR0_AVX512);
	}
	GUEST_ASSERT_EQ(xsetbv_safe(0, XCR0_X87), 0);
	GUEST_SYNC(8);
	GUEST_DONE();
}

int main(void)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_test_start(&vcpu, guest_code, NR_STAGES + 1);
	struct ucall uc;
	unsigned int i;
	uint64_t cmd;

	for (i = 0; i < NR_STAGES; i++) {
		cmd = vcpu_run_ucall(vcpu, &uc);
		if (cmd == UCALL_NONE)
			vcpu_print_exit(vcpu);
		if (i == 0 && cmd == UCALL_SYNC && uc.args[0] == S_NO_XSAVE) {
			ksft_test_result_pass("host without XSAVE: CPUID hides XSAVE/AVX, CR4.OSXSAVE -> #GP, XGETBV/XSETBV -> #UD");
			for (i = 1; i < NR_STAGES; i++)
				ksft_test_result_skip("the host kernel runs without XSAVE", "%s",
						      stages[i]);
			break;
		}
		if (cmd != UCALL_SYNC || uc.args[0] != i) {
			ksft_test_result_fail("%s", stages[i]);
			ksft_exit_fail_msg("guest went astray in stage %u", i);
		}
		ksft_test_result_pass("%s", stages[i]);
	}
	cmd = vcpu_run_ucall(vcpu, &uc);
	if (cmd == UCALL_NONE)
		vcpu_print_exit(vcpu);
	ksft_test_result(cmd == UCALL_DONE, "guest done");
	vm_test_finish(vm, vcpu);
}
