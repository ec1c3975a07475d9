// SPDX-License-Identifier: GPL-2.0
/*
 * ipi: two vCPUs, each in its own host thread, exchange interrupts through
 * their local APICs (SDM Vol. 3 11.6): a fixed IPI 0 -> 1 and 1 -> 0
 * (xAPIC ICR, physical destination), self-IPIs through the x2APIC SELF IPI
 * MSR 0x83f, the all-excluding-self and all-including-self shorthands
 * (x2APIC ICR) and the physical broadcast destinations, 0xff in xAPIC mode
 * and 0xffffffff in x2APIC mode (SDM 11.6.2.1, 11.12.9): each reaches every
 * vCPU, the sender included. Waiting is HLT with interrupts on, so every IPI
 * must also wake a halted vCPU.
 *
 *   ipi       threads unpinned (the `up` suite: both share one host CPU)
 *   ipi pin   thread i pinned to host CPU i (the `smp` suite): the IPIs and
 *             the wake-ups then cross host CPUs
 */
#include "irq.h"
#include "vcpu_thread.h"
#include "vm.h"
#include "vtx_util.h"

#define VEC_TO1		0x50
#define VEC_TO0		0x51
#define VEC_SELF	0x52
#define VEC_ALLBUT	0x53
#define VEC_XBCAST	0x54	/* xAPIC physical destination 0xff */
#define VEC_X2BCAST	0x55	/* x2APIC physical destination 0xffffffff */
#define VEC_ALLINC	0x56	/* all-including-self shorthand */

static uint32_t ready;		/* vCPUs with their APIC enabled */

static void wait_ready(uint32_t n)
{
	while (READ_ONCE(ready) < n)
		asm volatile("pause");
}

static void guest_code(void)
{
	uint32_t me = guest_cpu_id();

	xapic_enable();
	guest_set_stage(1);
	__atomic_fetch_add(&ready, 1, __ATOMIC_SEQ_CST);
	wait_ready(2);
	if (me == 0) {
		xapic_send_ipi(1, LAPIC_DM_FIXED | VEC_TO1);
		guest_set_stage(2);
		guest_wait_irq(VEC_TO0, 1);
	} else {
		guest_wait_irq(VEC_TO1, 1);
		guest_set_stage(2);
		xapic_send_ipi(0, LAPIC_DM_FIXED | VEC_TO0);
	}
	if (me == 0)
		xapic_send_ipi(0xff, LAPIC_DM_FIXED | VEC_XBCAST);
	guest_wait_irq(VEC_XBCAST, 1);

	/* both in x2APIC mode from here; a second barrier before the broadcast */
	x2apic_enable();
	guest_irq_eoi[VEC_SELF] = GUEST_EOI_X2APIC;
	guest_irq_eoi[VEC_ALLBUT] = GUEST_EOI_X2APIC;
	guest_irq_eoi[VEC_X2BCAST] = GUEST_EOI_X2APIC;
	guest_irq_eoi[VEC_ALLINC] = GUEST_EOI_X2APIC;
	guest_set_stage(3);
	x2apic_write(LAPIC_SELF_IPI, VEC_SELF);
	guest_wait_irq(VEC_SELF, 1);
	guest_set_stage(4);
	__atomic_fetch_add(&ready, 1, __ATOMIC_SEQ_CST);
	wait_ready(4);
	if (me == 0)
		x2apic_send_ipi(0, LAPIC_ICR_SH_ALL_EXCL | LAPIC_DM_FIXED | VEC_ALLBUT);
	else
		guest_wait_irq(VEC_ALLBUT, 1);
	guest_set_stage(5);
	/* vCPU 1 got VEC_ALLBUT, so both are in x2APIC mode: no barrier needed */
	if (me == 1)
		x2apic_send_ipi(0xffffffff, LAPIC_DM_FIXED | VEC_X2BCAST);
	guest_wait_irq(VEC_X2BCAST, 1);
	if (me == 0)
		x2apic_send_ipi(0, LAPIC_ICR_SH_ALL_INCL | LAPIC_DM_FIXED | VEC_ALLINC);
	guest_wait_irq(VEC_ALLINC, 1);
	guest_set_stage(6);
	GUEST_DONE();
}

static struct test_vm *vm;

static void report(void)
{
	static const int vecs[] = { VEC_TO1, VEC_TO0, VEC_SELF, VEC_ALLBUT,
				    VEC_XBCAST, VEC_X2BCAST, VEC_ALLINC };
	unsigned int cpu, i;

	for (cpu = 0; cpu < 2; cpu++) {
		ksft_print_msg("vCPU %u: stage %u, counts", cpu, vm_percpu(vm, cpu)->stage);
		for (i = 0; i < ARRAY_SIZE(vecs); i++)
			printf(" %#x:%llu", vecs[i], (unsigned long long)vm_irq_count(vm, cpu, vecs[i]));
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	bool pin = argc > 1 && !strcmp(argv[1], "pin");
	struct vcpu_thread t[2] = { { .host_cpu = -1 }, { .host_cpu = -1 } };
	unsigned int i;
	bool ok[2];

	ksft_print_header();
	if (pin && online_cpus() < 2)
		ksft_exit_skip("'pin' needs 2 host CPUs, %u online", online_cpus());
	vm = vm_create();
	for (i = 0; i < 2; i++) {
		t[i].vcpu = vm_vcpu_add(vm, i, guest_code);
		t[i].host_cpu = pin ? (int)i : -1;
	}
	vm_install_irq_counter(vm, VEC_TO1, GUEST_EOI_XAPIC);
	vm_install_irq_counter(vm, VEC_TO0, GUEST_EOI_XAPIC);
	vm_install_irq_counter(vm, VEC_SELF, GUEST_EOI_X2APIC);
	vm_install_irq_counter(vm, VEC_ALLBUT, GUEST_EOI_X2APIC);
	vm_install_irq_counter(vm, VEC_XBCAST, GUEST_EOI_XAPIC);
	vm_install_irq_counter(vm, VEC_X2BCAST, GUEST_EOI_X2APIC);
	vm_install_irq_counter(vm, VEC_ALLINC, GUEST_EOI_X2APIC);
	ksft_set_plan(pin ? 9 : 8);
	test_watchdog_start(60, "ipi (an IPI was lost?)", report);
	for (i = 0; i < 2; i++)
		vcpu_thread_start(&t[i]);
	for (i = 0; i < 2; i++)
		ok[i] = vcpu_thread_join(&t[i]);
	test_watchdog_stop();
	report();

	if (pin)
		ksft_test_result(!t[0].pin_err && !t[1].pin_err && t[0].ran_on == 0 &&
				 t[1].ran_on == 1,
				 "vCPU threads pinned to host CPUs 0 and 1 (on %d and %d)",
				 t[0].ran_on, t[1].ran_on);
	ksft_test_result(ok[0] && ok[1], "both vCPUs finish");
	ksft_test_result(vm_irq_count(vm, 1, VEC_TO1) == 1 && vm_irq_count(vm, 0, VEC_TO1) == 0,
			 "fixed IPI vCPU 0 -> APIC ID 1 arrives once, only there");
	ksft_test_result(vm_irq_count(vm, 0, VEC_TO0) == 1 && vm_irq_count(vm, 1, VEC_TO0) == 0,
			 "fixed IPI vCPU 1 -> APIC ID 0 arrives once, only there");
	ksft_test_result(vm_irq_count(vm, 0, VEC_SELF) == 1 && vm_irq_count(vm, 1, VEC_SELF) == 1,
			 "x2APIC SELF IPI: once on each vCPU");
	ksft_test_result(vm_irq_count(vm, 1, VEC_ALLBUT) == 1 &&
			 vm_irq_count(vm, 0, VEC_ALLBUT) == 0,
			 "all-excluding-self from vCPU 0: vCPU 1 once, not the sender");
	for (i = 0; i < 3; i++) {
		static const struct { int vec; const char *what; } b[] = {
			{ VEC_XBCAST, "xAPIC physical broadcast 0xff from vCPU 0" },
			{ VEC_X2BCAST, "x2APIC physical broadcast 0xffffffff from vCPU 1" },
			{ VEC_ALLINC, "all-including-self from vCPU 0" },
		};

		ksft_test_result(vm_irq_count(vm, 0, b[i].vec) == 1 &&
				 vm_irq_count(vm, 1, b[i].vec) == 1,
				 "%s: once on each vCPU, sender included", b[i].what);
	}
	for (i = 0; i < 2; i++)
		vcpu_free(t[i].vcpu);
	vm_free(vm);
	ksft_finished();
}
