// SPDX-License-Identifier: GPL-2.0
/*
 * cr: guest control register writes and reads. Legal CR0/CR4/CR3/CR8 writes
 * read back (also via VTX_GET_SREGS), illegal ones raise #GP and change
 * nothing (SDM Vol. 2B MOV to CR: clearing CR0.PG in 64-bit mode, CR0.NW
 * without CD, reserved CR4 bits; CR4.VMXE while VMX is hidden, as KVM does
 * without nested). The guest reports after every step, so a guest that
 * goes astray (e.g. paging really turned off) shows where.
 *
 * CR8 is the in-kernel local APIC's TPR[7:4] (SDM Vol. 3A 10.8.6.1): a CR8
 * write shows in the xAPIC TPR register and the reverse, GET/SET_SREGS
 * cr8 is the TPR, and a raised CR8 holds back a self-IPI of a lower
 * priority class (SDM 10.8.3.1) until CR8 is lowered. Self-IPIs, not
 * VTX_INTERRUPT: injections by userspace do not go through the LAPIC.
 */
#include "irq.h"
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

static uint8_t set_cr8_safe(uint64_t v)
{
	register uint64_t vec asm("r9");

	asm volatile(GUEST_ASM_SAFE_PROLOGUE "mov %[v], %%cr8" GUEST_ASM_SAFE_EPILOGUE
		     : "=&r"(vec) : [v] "r"(v) : "r10", "r11", "memory");
	return (uint8_t)vec;
}

#define VEC_MASKED	0x41	/* priority class 4: held back by CR8 = 5 */
#define VEC_ABOVE	0x61	/* class 6: gets through CR8 = 5 */
#define HOST_CR8	7	/* SET_SREGS at stage S_TPR_MMIO */

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
	"CR8 with bit 4 or bit 63 set -> #GP, CR8 unchanged",
	"CR8 = 5 -> xAPIC TPR reads 0x50",
	"xAPIC TPR = 0x30 -> CR8 reads 3 (also via GET_SREGS)",
	"SET_SREGS cr8 = 7 -> xAPIC TPR reads 0x70, CR8 reads 7",
	"CR8 = 5: self-IPI 0x41 stays in IRR after STI, 0x61 is delivered",
	"CR8 = 0 delivers the held-back 0x41 at once",
};
#define NR_STAGES	(sizeof(stages) / sizeof(stages[0]))
enum { S_TPR_MMIO = 13 };

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

	GUEST_ASSERT_EQ(set_cr8_safe(0x10), GP_VECTOR);
	GUEST_ASSERT_EQ(set_cr8_safe(1ull << 63 | 5), GP_VECTOR);
	GUEST_ASSERT_EQ(get_cr8(), 0);
	GUEST_SYNC(11);

	/* CR8 <-> TPR[7:4]; a CR8 write clears TPR[3:0]. */
	xapic_enable();
	xapic_write(LAPIC_TPR, 0x2f);
	set_cr8(5);
	GUEST_ASSERT_EQ(xapic_read(LAPIC_TPR), 0x50);
	GUEST_SYNC(12);
	xapic_write(LAPIC_TPR, 0x30);
	GUEST_ASSERT_EQ(get_cr8(), 3);
	GUEST_SYNC(S_TPR_MMIO);
	GUEST_ASSERT_EQ(xapic_read(LAPIC_TPR), HOST_CR8 << 4);
	GUEST_ASSERT_EQ(get_cr8(), HOST_CR8);
	GUEST_SYNC(14);

	/*
	 * Priority: with CR8 = 5 (PPR class 5) only classes 6-15 are
	 * delivered. The IRR read after STI is an exit with IF = 1, where a
	 * deliverable vector would be injected.
	 */
	set_cr8(5);
	xapic_send_ipi(0, LAPIC_ICR_SH_SELF | LAPIC_DM_FIXED | VEC_MASKED);
	sti();
	for (int i = 0; i < 1000; i++)
		asm volatile("pause" : : : "memory");
	GUEST_ASSERT(xapic_vector_bit(LAPIC_IRR, VEC_MASKED));
	GUEST_ASSERT_EQ(guest_irq_count(VEC_MASKED), 0);
	xapic_send_ipi(0, LAPIC_ICR_SH_SELF | LAPIC_DM_FIXED | VEC_ABOVE);
	GUEST_ASSERT_EQ(guest_irq_count(VEC_ABOVE), 1);
	GUEST_ASSERT_EQ(guest_irq_count(VEC_MASKED), 0);
	GUEST_ASSERT(xapic_vector_bit(LAPIC_IRR, VEC_MASKED));
	cli();
	GUEST_SYNC(15);

	/* Lowering CR8 with IF = 1 lets 0x41 in before the next instruction. */
	sti();
	set_cr8(0);
	cli();
	GUEST_ASSERT_EQ(guest_irq_count(VEC_MASKED), 1);
	GUEST_ASSERT(!xapic_vector_bit(LAPIC_IRR, VEC_MASKED));
	GUEST_ASSERT(!xapic_vector_bit(LAPIC_ISR, VEC_MASKED));
	GUEST_ASSERT_EQ(xapic_read(LAPIC_TPR), 0);
	GUEST_SYNC(16);
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
	case S_TPR_MMIO:
		ksft_print_msg("GET_SREGS cr8 %llu\n", (unsigned long long)sregs.cr8);
		if (sregs.cr8 != 3)
			return false;
		/* The guest checks the next stage's TPR against this. */
		sregs.cr8 = HOST_CR8;
		vcpu_sregs_set(vcpu, &sregs);
		return true;
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
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_test_start(&vcpu, guest_code, NR_STAGES + 1);
	struct ucall uc;
	unsigned int i;
	uint64_t cmd;

	vm_install_irq_counter(vm, VEC_MASKED, GUEST_EOI_XAPIC);
	vm_install_irq_counter(vm, VEC_ABOVE, GUEST_EOI_XAPIC);
	for (i = 0; i < NR_STAGES; i++) {
		if (!cr_stage_run(vcpu, i))
			ksft_exit_fail_msg("cannot continue after the failed stage %u", i);
	}
	cmd = vcpu_run_ucall(vcpu, &uc);
	if (cmd == UCALL_NONE)
		vcpu_print_exit(vcpu);
	ksft_test_result(cmd == UCALL_DONE, "guest done");
	vm_test_finish(vm, vcpu);
}
