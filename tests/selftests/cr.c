// SPDX-License-Identifier: GPL-2.0
/*
 * cr: guest control register writes and reads. Legal CR0/CR4/CR3/CR8 writes
 * read back (also via VTX_GET_SREGS), illegal ones raise #GP and change
 * nothing (SDM Vol. 2B MOV to CR: clearing CR0.PG in 64-bit mode, CR0.NW
 * without CD, reserved CR4 bits; CR4.VMXE while VMX is hidden, as KVM does
 * without nested). The guest reports after every step, so a guest that
 * goes astray (e.g. paging really turned off) shows where.
 */
#include "vm.h"
#include "vm_test.h"
#include "vtx_util.h"

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

/* Stages: the guest syncs with each number once its checks passed. */
static const char *const stages[] = {
	"initial CR0 has PE, PG, WP; CR4 has PAE",
	"CR0.WP cleared (checked by the host via GET_SREGS)",
	"CR0.WP set again",
	"clearing CR0.PG in 64-bit mode -> #GP, CR0 unchanged",
	"CR0.NW without CR0.CD -> #GP, CR0 unchanged",
	"CR4.PGE set and cleared",
	"reserved CR4 bit 63 -> #GP, CR4 unchanged",
	"CR4.VMXE (VMX hidden) -> #GP, CR4 unchanged",
	"CR3 reloaded",
	"CR8 = 5 (checked by the host via GET_SREGS)",
	"CR8 kept across an exit, cleared",
};
#define NR_STAGES	(sizeof(stages) / sizeof(stages[0]))

static void guest_code(void)
{
	uint64_t cr0 = get_cr0(), cr4 = get_cr4(), cr3 = get_cr3();

	GUEST_ASSERT((cr0 & (X86_CR0_PE | X86_CR0_PG | X86_CR0_WP)) ==
		     (X86_CR0_PE | X86_CR0_PG | X86_CR0_WP));
	GUEST_ASSERT(cr4 & X86_CR4_PAE);
	GUEST_SYNC(0);

	set_cr0(cr0 & ~X86_CR0_WP);
	GUEST_ASSERT_EQ(get_cr0(), cr0 & ~X86_CR0_WP);
	GUEST_SYNC(1);
	GUEST_ASSERT_EQ(get_cr0(), cr0 & ~X86_CR0_WP);
	set_cr0(cr0);
	GUEST_ASSERT_EQ(get_cr0(), cr0);
	GUEST_SYNC(2);

	GUEST_ASSERT_EQ(set_cr0_safe(cr0 & ~X86_CR0_PG), GP_VECTOR);
	GUEST_ASSERT_EQ(get_cr0(), cr0);
	GUEST_SYNC(3);
	GUEST_ASSERT_EQ(set_cr0_safe((cr0 & ~X86_CR0_CD) | X86_CR0_NW), GP_VECTOR);
	GUEST_ASSERT_EQ(get_cr0(), cr0);
	GUEST_SYNC(4);

	set_cr4(cr4 | X86_CR4_PGE);
	GUEST_ASSERT_EQ(get_cr4(), cr4 | X86_CR4_PGE);
	set_cr4(cr4);
	GUEST_ASSERT_EQ(get_cr4(), cr4);
	GUEST_SYNC(5);
	GUEST_ASSERT_EQ(set_cr4_safe(cr4 | (1ull << 63)), GP_VECTOR);
	GUEST_ASSERT_EQ(get_cr4(), cr4);
	GUEST_SYNC(6);
	GUEST_ASSERT_EQ(set_cr4_safe(cr4 | X86_CR4_VMXE), GP_VECTOR);
	GUEST_ASSERT_EQ(get_cr4(), cr4);
	GUEST_SYNC(7);

	set_cr3(cr3);
	GUEST_ASSERT_EQ(get_cr3(), cr3);
	GUEST_SYNC(8);

	set_cr8(5);
	GUEST_ASSERT_EQ(get_cr8(), 5);
	GUEST_SYNC(9);
	GUEST_ASSERT_EQ(get_cr8(), 5);
	set_cr8(0);
	GUEST_ASSERT_EQ(get_cr8(), 0);
	GUEST_SYNC(10);
	GUEST_DONE();
}

/* Extra host-side checks at some stages. */
static bool host_check(struct test_vcpu *vcpu, unsigned int stage)
{
	struct vtx_sregs sregs;

	vcpu_sregs_get(vcpu, &sregs);
	switch (stage) {
	case 1:
		ksft_print_msg("GET_SREGS cr0 %#llx\n", (unsigned long long)sregs.cr0);
		return !(sregs.cr0 & X86_CR0_WP) && (sregs.cr0 & X86_CR0_PG);
	case 9:
		ksft_print_msg("GET_SREGS cr8 %llu\n", (unsigned long long)sregs.cr8);
		return sregs.cr8 == 5;
	default:
		return true;
	}
}

/* Stage @i: the guest syncs with @i, then the host's own checks. */
static bool cr_stage_run(struct test_vcpu *vcpu, unsigned int i)
{
	struct ucall uc;
	uint64_t cmd = vcpu_run_ucall(vcpu, &uc);

	if (cmd == UCALL_NONE)
		vcpu_print_exit(vcpu);
	if (cmd != UCALL_SYNC || uc.args[0] != i) {
		ksft_test_result_fail("%s", stages[i]);
		ksft_print_msg("guest went astray after stage %u\n", i);
		return false;
	}
	ksft_test_result(host_check(vcpu, i), "%s", stages[i]);
	return true;
}

int main(void)
{
	vm_test_steps(guest_code, NR_STAGES, cr_stage_run, "guest done");
}
