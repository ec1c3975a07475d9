// SPDX-License-Identifier: GPL-2.0
/*
 * cr: guest control register writes and reads. Legal CR0/CR4/CR3/CR8 writes
 * read back (also via VTX_GET_SREGS), illegal ones raise #GP and change
 * nothing (SDM Vol. 2B MOV to CR: clearing CR0.PG in 64-bit mode, CR0.NW
 * without CD, reserved CR4 bits; CR4.VMXE while VMX is hidden, as KVM does
 * without nested).
 */
#include "vm.h"
#include "vtx_util.h"

enum { S_WP_CLEAR = 1, S_CR8 };

static uint8_t set_cr0_safe(uint64_t v)
{
	register uint64_t vec asm("r9");

	asm volatile(GUEST_ASM_SAFE_PROLOGUE "mov %[v], %%cr0" GUEST_ASM_SAFE_EPILOGUE
		     : "=&r"(vec) : [v] "r"(v) : "r10", "r11", "memory");
	return (uint8_t)vec;
}

static uint8_t set_cr4_safe(uint64_t v)
{
	register uint64_t vec asm("r9");

	asm volatile(GUEST_ASM_SAFE_PROLOGUE "mov %[v], %%cr4" GUEST_ASM_SAFE_EPILOGUE
		     : "=&r"(vec) : [v] "r"(v) : "r10", "r11", "memory");
	return (uint8_t)vec;
}

static void guest_code(void)
{
	uint64_t cr0 = get_cr0(), cr4 = get_cr4(), cr3 = get_cr3();

	GUEST_ASSERT((cr0 & (X86_CR0_PE | X86_CR0_PG | X86_CR0_WP)) ==
		     (X86_CR0_PE | X86_CR0_PG | X86_CR0_WP));
	GUEST_ASSERT(cr4 & X86_CR4_PAE);

	/* CR0.WP off and on */
	set_cr0(cr0 & ~X86_CR0_WP);
	GUEST_ASSERT_EQ(get_cr0(), cr0 & ~X86_CR0_WP);
	GUEST_SYNC(S_WP_CLEAR);
	GUEST_ASSERT_EQ(get_cr0(), cr0 & ~X86_CR0_WP);
	set_cr0(cr0);
	GUEST_ASSERT_EQ(get_cr0(), cr0);

	/* illegal CR0 values */
	GUEST_ASSERT_EQ(set_cr0_safe(cr0 & ~X86_CR0_PG), GP_VECTOR);
	GUEST_ASSERT_EQ(set_cr0_safe((cr0 & ~X86_CR0_CD) | X86_CR0_NW), GP_VECTOR);
	GUEST_ASSERT_EQ(get_cr0(), cr0);

	/* CR4.PGE on and off, reserved and hidden bits */
	set_cr4(cr4 | X86_CR4_PGE);
	GUEST_ASSERT_EQ(get_cr4(), cr4 | X86_CR4_PGE);
	set_cr4(cr4);
	GUEST_ASSERT_EQ(get_cr4(), cr4);
	GUEST_ASSERT_EQ(set_cr4_safe(cr4 | (1ull << 63)), GP_VECTOR);
	GUEST_ASSERT_EQ(set_cr4_safe(cr4 | X86_CR4_VMXE), GP_VECTOR);
	GUEST_ASSERT_EQ(get_cr4(), cr4);

	/* CR3 reload */
	set_cr3(cr3);
	GUEST_ASSERT_EQ(get_cr3(), cr3);

	/* CR8 (TPR) */
	set_cr8(5);
	GUEST_ASSERT_EQ(get_cr8(), 5);
	GUEST_SYNC(S_CR8);
	GUEST_ASSERT_EQ(get_cr8(), 5);
	set_cr8(0);
	GUEST_ASSERT_EQ(get_cr8(), 0);
	GUEST_DONE();
}

int main(void)
{
	struct test_vcpu *vcpu;
	struct vtx_sregs sregs;
	struct test_vm *vm;
	struct ucall uc;
	uint64_t cmd;

	ksft_print_header();
	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	ksft_set_plan(3);

	cmd = vcpu_run_ucall(vcpu, &uc);
	vcpu_sregs_get(vcpu, &sregs);
	ksft_test_result(cmd == UCALL_SYNC && uc.args[0] == S_WP_CLEAR &&
			 !(sregs.cr0 & X86_CR0_WP) && (sregs.cr0 & X86_CR0_PG),
			 "guest CR0 writes: GET_SREGS shows WP clear (cr0 %#llx)",
			 (unsigned long long)sregs.cr0);
	if (cmd == UCALL_NONE)
		vcpu_print_exit(vcpu);
	if (cmd != UCALL_SYNC)
		ksft_exit_fail_msg("guest stopped early");

	cmd = vcpu_run_ucall(vcpu, &uc);
	vcpu_sregs_get(vcpu, &sregs);
	ksft_test_result(cmd == UCALL_SYNC && uc.args[0] == S_CR8 && sregs.cr8 == 5,
			 "guest CR0/CR4/CR3 checks passed, GET_SREGS cr8 %llu == 5",
			 (unsigned long long)sregs.cr8);
	if (cmd == UCALL_NONE)
		vcpu_print_exit(vcpu);
	if (cmd != UCALL_SYNC)
		ksft_exit_fail_msg("guest stopped early");

	cmd = vcpu_run_ucall(vcpu, &uc);
	if (cmd == UCALL_NONE)
		vcpu_print_exit(vcpu);
	ksft_test_result(cmd == UCALL_DONE, "CR8 survives an exit and clears");
	vcpu_free(vcpu);
	vm_free(vm);
	ksft_finished();
}
