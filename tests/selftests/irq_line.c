// SPDX-License-Identifier: GPL-2.0
/*
 * irq_line: VTX_IRQ_LINE drives ISA IRQ 4 into the in-kernel controllers.
 *  - 8259: the guest programs the pair (ICW1-4, master base 0x20) and
 *    unmasks IRQ 4; LAPIC LINT0 is ExtINT (virtual wire, as an OS sets it
 *    up): an edge on the line gives vector 0x24, acknowledged with an EOI
 *    to the master PIC.
 *  - IOAPIC: with the PIC masked, redirection entry 4 gives its own vector
 *    0x60 (edge).
 *  - Level (82093AA datasheet, remote IRR): entry 4 level-triggered,
 *    vector 0x61; while the line is high the entry's remote IRR is set
 *    until the LAPIC EOI, after which the still-high line interrupts again;
 *    once the line is low the EOI clears remote IRR and nothing follows.
 */
#include "irq.h"
#include "vcpu_thread.h"
#include "vm.h"
#include "vtx_util.h"

#define IRQ		4
#define PIC_BASE	0x20
#define VEC_PIC		(PIC_BASE + IRQ)
#define VEC_EDGE	0x60
#define VEC_LEVEL	0x61

enum {
	S_PIC_READY = 1, S_PIC_DONE, S_EDGE_READY, S_EDGE_DONE, S_LEVEL_READY, S_LEVEL_IN,
	S_LEVEL_DONE
};

static uint32_t level_irr[2], level_irr_after_eoi;

/* Reports remote IRR to the host before each EOI; the host lowers the line on the second. */
static void level_handler(struct ex_regs *regs)
{
	struct guest_percpu *pc = guest_this_cpu();
	uint64_t n = pc->irq_count[VEC_LEVEL];
	uint32_t irr = ioapic_read(IOAPIC_REG_RTE(IRQ)) & IOAPIC_RTE_REMOTE_IRR;

	(void)regs;
	if (n < 2)
		level_irr[n] = irr;
	GUEST_SYNC2(S_LEVEL_IN, n + 1);
	xapic_write(LAPIC_EOI, 0);
	if (n == 1)
		level_irr_after_eoi = ioapic_read(IOAPIC_REG_RTE(IRQ)) & IOAPIC_RTE_REMOTE_IRR;
	WRITE_ONCE(pc->irq_count[VEC_LEVEL], n + 1);
}

static void guest_code(void)
{
	xapic_enable();
	xapic_write(LAPIC_LVT_LINT0, LAPIC_DM_EXTINT);
	pic_init(PIC_BASE, PIC_BASE + 8, (uint16_t)~(1u << IRQ) & ~(1u << 2));
	GUEST_SYNC(S_PIC_READY);
	guest_wait_irq(VEC_PIC, 1);
	GUEST_SYNC2(S_PIC_DONE, guest_irq_count(VEC_PIC));

	pic_set_mask(0xffff);
	ioapic_set_rte(IRQ, VEC_EDGE, 0, 0);
	GUEST_SYNC(S_EDGE_READY);
	guest_wait_irq(VEC_EDGE, 1);
	GUEST_SYNC2(S_EDGE_DONE, guest_irq_count(VEC_EDGE));

	ioapic_set_rte(IRQ, VEC_LEVEL, IOAPIC_RTE_LEVEL, 0);
	GUEST_SYNC(S_LEVEL_READY);
	guest_wait_irq(VEC_LEVEL, 2);
	sti();
	cpuid(0, 0);	/* a VM exit and entry: room for a wrong third interrupt */
	cli();
	ucall(UCALL_SYNC, S_LEVEL_DONE, guest_irq_count(VEC_LEVEL), level_irr[0], level_irr[1],
	      level_irr_after_eoi | (ioapic_read(IOAPIC_REG_RTE(IRQ)) & IOAPIC_RTE_REMOTE_IRR) << 1);
	GUEST_DONE();
}

static struct test_vm *vm;

static void report(void)
{
	static const struct irq_vec_name vecs[] = {
		{ VEC_PIC, "PIC" }, { VEC_EDGE, "IOAPIC edge" }, { VEC_LEVEL, "level" },
	};

	vm_print_irq_counts(vm, 0, "counts", vecs, ARRAY_SIZE(vecs));
}

int main(void)
{
	struct test_vcpu *vcpu;
	struct ucall uc;
	int ret, err;

	ksft_print_header();
	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	vm_install_irq_counter(vm, VEC_PIC, GUEST_EOI_PIC_MASTER);
	vm_install_irq_counter(vm, VEC_EDGE, GUEST_EOI_XAPIC);
	vm_install_exception_handler(vm, VEC_LEVEL, level_handler);
	ksft_set_plan(7);
	test_watchdog_start(60, "irq_line (an interrupt never came?)", report);

	ret = _vm_irq_line(vm, 4096, 1);
	err = errno;
	ksft_test_result(ret == -1 && err == EINVAL, "VTX_IRQ_LINE irq 4096: EINVAL (%d, errno %d)",
			 ret, ret ? err : 0);

	vcpu_run_to_stage_or_bail(vcpu, S_PIC_READY, &uc);
	vm_irq_line(vm, IRQ, 1);
	vm_irq_line(vm, IRQ, 0);
	vcpu_run_to_stage_or_bail(vcpu, S_PIC_DONE, &uc);
	ksft_test_result(uc.args[1] == 1 && vm_irq_count(vm, 0, VEC_EDGE) == 0,
			 "8259: IRQ %d edge -> vector %#x once (%llu)", IRQ, VEC_PIC,
			 (unsigned long long)uc.args[1]);

	vcpu_run_to_stage_or_bail(vcpu, S_EDGE_READY, &uc);
	vm_irq_line(vm, IRQ, 1);
	vm_irq_line(vm, IRQ, 0);
	vcpu_run_to_stage_or_bail(vcpu, S_EDGE_DONE, &uc);
	ksft_test_result(uc.args[1] == 1 && vm_irq_count(vm, 0, VEC_PIC) == 1,
			 "IOAPIC (PIC masked): IRQ %d edge -> vector %#x once (%llu), not the PIC's",
			 IRQ, VEC_EDGE, (unsigned long long)uc.args[1]);

	vcpu_run_to_stage_or_bail(vcpu, S_LEVEL_READY, &uc);
	vm_irq_line(vm, IRQ, 1);
	vcpu_run_to_stage_or_bail(vcpu, S_LEVEL_IN, &uc);
	ksft_test_result(uc.args[1] == 1, "level: the raised line interrupts (vector %#x)",
			 VEC_LEVEL);
	vcpu_run_to_stage_or_bail(vcpu, S_LEVEL_IN, &uc);	/* EOI with the line still high: again */
	ksft_test_result(uc.args[1] == 2,
			 "level: after EOI the still-high line interrupts again (%llu)",
			 (unsigned long long)uc.args[1]);
	vm_irq_line(vm, IRQ, 0);
	vcpu_run_to_stage_or_bail(vcpu, S_LEVEL_DONE, &uc);
	ksft_test_result(uc.args[1] == 2 && uc.args[2] && uc.args[3] && uc.args[4] == 0,
			 "level: remote IRR set in the handlers (%#llx, %#llx), clear after the EOI with the line low (%#llx), no third interrupt (%llu)",
			 (unsigned long long)uc.args[2], (unsigned long long)uc.args[3],
			 (unsigned long long)uc.args[4], (unsigned long long)uc.args[1]);
	ksft_test_result(vcpu_run_to_done(vcpu), "guest finishes");
	test_watchdog_stop();
	vcpu_free(vcpu);
	vm_free(vm);
	ksft_finished();
}
