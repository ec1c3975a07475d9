// SPDX-License-Identifier: GPL-2.0
/*
 * msr_reserved: WRMSR of a value the CPU refuses, to an MSR that vtx keeps
 * for the guest and later loads with the host's wrmsrl() (kmod/vmx/msr.c),
 * raises #GP in the guest and changes nothing (SDM vol 4 Table 2-2, vol 2B
 * WRMSR): IA32_FMASK bits 63:32, IA32_TSC_AUX bits 63:32, non-canonical
 * LSTAR, CSTAR, KERNEL_GS_BASE. STAR takes any value (selectors and a
 * 32-bit EIP: Linux's own has bits 63:48 = 0x23). With EFER.SCE set in
 * 64-bit mode the SYSCALL MSRs are loaded into the CPU at each entry, so
 * a bad value let through would fault in the host (the kernel log is
 * checked for "unchecked MSR access" too).
 */
#include "vm.h"
#include "vm_test.h"
#include "vtx_util.h"

#define MSR_CSTAR		0xc0000083
#define MSR_SYSCALL_MASK	0xc0000084
#define NONCANON		0x8000000000000000ull
#define STAR_LINUX		0x0023001000000000ull
#define LSTAR_VAL		0xffffffff81000000ull
#define FMASK_VAL		0x47700ull

static const char *const stages[] = {
	"EFER.SCE set: the SYSCALL MSRs are loaded into the CPU",
	"STAR takes Linux's value (not an address), LSTAR/FMASK good values read back",
	"IA32_FMASK bits 63:32 -> #GP, FMASK unchanged",
	"non-canonical LSTAR, CSTAR, KERNEL_GS_BASE -> #GP, unchanged",
	"IA32_TSC_AUX bits 63:32 -> #GP",
	"the MSRs keep their values across exits",
};
#define NR_STAGES	(sizeof(stages) / sizeof(stages[0]))

static void guest_code(void)
{
	uint64_t kgs = rdmsr(MSR_KERNEL_GS_BASE), aux;

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	GUEST_SYNC(0);
	wrmsr(MSR_STAR, STAR_LINUX);
	wrmsr(MSR_LSTAR, LSTAR_VAL);
	wrmsr(MSR_SYSCALL_MASK, FMASK_VAL);
	GUEST_ASSERT_EQ(rdmsr(MSR_STAR), STAR_LINUX);
	GUEST_ASSERT_EQ(rdmsr(MSR_LSTAR), LSTAR_VAL);
	GUEST_ASSERT_EQ(rdmsr(MSR_SYSCALL_MASK), FMASK_VAL);
	GUEST_SYNC(1);
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_SYSCALL_MASK, 1ull << 32 | FMASK_VAL), GP_VECTOR);
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_SYSCALL_MASK, ~0ull), GP_VECTOR);
	GUEST_ASSERT_EQ(rdmsr(MSR_SYSCALL_MASK), FMASK_VAL);
	GUEST_SYNC(2);
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_LSTAR, NONCANON), GP_VECTOR);
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_LSTAR, 0x0000800000000000ull), GP_VECTOR);
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_CSTAR, NONCANON), GP_VECTOR);
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_KERNEL_GS_BASE, NONCANON), GP_VECTOR);
	GUEST_ASSERT_EQ(rdmsr(MSR_LSTAR), LSTAR_VAL);
	GUEST_ASSERT_EQ(rdmsr(MSR_KERNEL_GS_BASE), kgs);
	GUEST_SYNC(3);
	if (cpuid(0x80000001, 0).edx & (1u << 27)) {	/* RDTSCP: TSC_AUX exists */
		aux = rdmsr(MSR_TSC_AUX);
		GUEST_ASSERT_EQ(wrmsr_safe(MSR_TSC_AUX, 1ull << 32), GP_VECTOR);
		GUEST_ASSERT_EQ(rdmsr(MSR_TSC_AUX), aux);
	}
	GUEST_SYNC(4);
	GUEST_ASSERT_EQ(rdmsr(MSR_STAR), STAR_LINUX);
	GUEST_ASSERT_EQ(rdmsr(MSR_LSTAR), LSTAR_VAL);
	GUEST_ASSERT_EQ(rdmsr(MSR_SYSCALL_MASK), FMASK_VAL);
	GUEST_SYNC(5);
	GUEST_DONE();
}

int main(void)
{
	vm_test_named_stages(guest_code, stages, NR_STAGES);
}
