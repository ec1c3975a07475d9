// SPDX-License-Identifier: GPL-2.0
/*
 * mce_msr: CPUID advertises MCE and MCA, so the machine-check MSRs exist
 * (SDM vol 3B 16.3): IA32_MCG_CAP reports 2 banks and no MCG_CTL_P,
 * MCG_STATUS reads 0 and takes 0, MCi_CTL takes 0 or all ones,
 * MCi_STATUS only 0, MCi_ADDR/MCi_MISC read back; MCG_CTL, MCG_CAP writes
 * and the MSRs of a bank past the count raise #GP.
 */
#include "vm.h"
#include "vm_test.h"
#include "vtx_util.h"

#define C1_EDX_MCE	(1u << 7)
#define C1_EDX_MCA	(1u << 14)

static void guest_code(void)
{
	uint64_t v;

	GUEST_ASSERT_EQ(cpuid(1, 0).edx & (C1_EDX_MCE | C1_EDX_MCA), C1_EDX_MCE | C1_EDX_MCA);
	GUEST_ASSERT_EQ(rdmsr_safe(0x179, &v), 0);
	GUEST_ASSERT_EQ(v, 2);
	GUEST_ASSERT_EQ(wrmsr_safe(0x179, 2), GP_VECTOR);
	GUEST_ASSERT_EQ(rdmsr_safe(0x17b, &v), GP_VECTOR);	/* MCG_CTL: no MCG_CTL_P */
	GUEST_SYNC(1);

	GUEST_ASSERT_EQ(rdmsr_safe(0x17a, &v), 0);
	GUEST_ASSERT_EQ(v, 0);
	GUEST_ASSERT_EQ(wrmsr_safe(0x17a, 0), 0);
	GUEST_ASSERT_EQ(wrmsr_safe(0x17a, 4), GP_VECTOR);
	GUEST_SYNC(2);

	GUEST_ASSERT_EQ(wrmsr_safe(0x404, 0), 0);		/* MC1_CTL */
	GUEST_ASSERT_EQ(rdmsr(0x404), 0);
	GUEST_ASSERT_EQ(wrmsr_safe(0x404, ~0ull), 0);
	GUEST_ASSERT_EQ(rdmsr(0x404), ~0ull);
	GUEST_ASSERT_EQ(wrmsr_safe(0x404, 1), GP_VECTOR);
	GUEST_ASSERT_EQ(wrmsr_safe(0x401, 0), 0);		/* MC0_STATUS */
	GUEST_ASSERT_EQ(wrmsr_safe(0x401, 1ull << 63), GP_VECTOR);
	GUEST_ASSERT_EQ(rdmsr(0x401), 0);
	wrmsr(0x402, 0x1000);					/* MC0_ADDR */
	wrmsr(0x407, 0x86);					/* MC1_MISC */
	GUEST_ASSERT_EQ(rdmsr(0x402), 0x1000);
	GUEST_ASSERT_EQ(rdmsr(0x407), 0x86);
	GUEST_SYNC(3);

	GUEST_ASSERT_EQ(rdmsr_safe(0x408, &v), GP_VECTOR);	/* MC2_CTL */
	GUEST_ASSERT_EQ(wrmsr_safe(0x409, 0), GP_VECTOR);
	GUEST_SYNC(4);
	GUEST_DONE();
}

static const char *const stages[] = {
	"MCE/MCA in CPUID; MCG_CAP = 2 banks, read-only; no MCG_CTL",
	"MCG_STATUS reads 0, takes 0 only",
	"MCi_CTL 0 or all ones, MCi_STATUS 0 only, MCi_ADDR/MISC read back",
	"bank 2 does not exist: #GP",
};

int main(void)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_test_start(&vcpu, guest_code, ARRAY_SIZE(stages) + 1);
	struct ucall uc;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(stages); i++)
		ksft_test_result(vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC && uc.args[0] == i + 1,
				 "%s", stages[i]);
	ksft_test_result(vcpu_run_ucall(vcpu, &uc) == UCALL_DONE, "guest done");
	vm_test_finish(vm, vcpu);
}
