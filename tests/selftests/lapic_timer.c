// SPDX-License-Identifier: GPL-2.0
/*
 * lapic_timer: the in-kernel local APIC timer (SDM Vol. 3 11.5.4).
 *  - xAPIC MMIO, one-shot: the current count falls, one interrupt arrives,
 *    the ISR bit is set in the handler and EOI clears it, no second one;
 *  - periodic: five interrupts (each needs the previous EOI: same vector),
 *    none after TMICT=0 stops it;
 *  - TSC-deadline (IA32_TSC_DEADLINE, 11.5.4.1): fires, the MSR reads 0
 *    afterwards;
 *  - x2APIC mode (11.12): ID and version through MSRs, one-shot timer and
 *    EOI through MSRs.
 * Between phases the guest goes out to the host, which sleeps 20 ms of
 * real time: a timer that wrongly keeps firing shows up in the counts.
 */
#include <unistd.h>
#include "irq.h"
#include "vcpu_thread.h"
#include "vm.h"
#include "vtx_util.h"

#define VEC_ONESHOT	0x30
#define VEC_PERIODIC	0x31
#define VEC_TSCDL	0x32
#define VEC_X2APIC	0x33
#define PERIOD		1000000u	/* ticks of the 1 GHz timer clock at divide-by-1: 1 ms */

enum {
	S_APIC = 1, S_ONESHOT_FIRED, S_ONESHOT_AFTER, S_PERIODIC_STOPPED, S_PERIODIC_AFTER,
	S_TSCDL, S_X2APIC, S_X2APIC_AFTER,
};

static void guest_code(void)
{
	uint32_t c1, c2, ver;
	uint64_t base, n;
	struct cpuid_regs leaf1 = cpuid(1, 0);

	base = rdmsr(MSR_IA32_APICBASE);
	xapic_enable();
	ver = xapic_read(LAPIC_VER);
	ucall(UCALL_SYNC, S_APIC, base, xapic_read(LAPIC_ID), ver, leaf1.ecx);

	/* one-shot */
	xapic_write(LAPIC_TDCR, LAPIC_TDCR_DIV1);
	xapic_write(LAPIC_LVT_TIMER, VEC_ONESHOT);
	xapic_write(LAPIC_TMICT, 10 * PERIOD);
	c1 = xapic_read(LAPIC_TMCCT);
	c2 = xapic_read(LAPIC_TMCCT);
	guest_wait_irq(VEC_ONESHOT, 1);
	ucall(UCALL_SYNC, S_ONESHOT_FIRED, c1, c2, guest_this_cpu()->isr_set,
	      xapic_vector_bit(LAPIC_ISR, VEC_ONESHOT) | xapic_read(LAPIC_TMCCT) << 1);
	sti();
	ucall(UCALL_SYNC, S_ONESHOT_AFTER, guest_irq_count(VEC_ONESHOT), 0, 0, 0);
	cli();

	/* periodic */
	xapic_write(LAPIC_LVT_TIMER, VEC_PERIODIC | LAPIC_LVT_TIMER_PERIODIC);
	xapic_write(LAPIC_TMICT, PERIOD);
	guest_wait_irq(VEC_PERIODIC, 5);
	xapic_write(LAPIC_TMICT, 0);
	sti();
	n = guest_irq_count(VEC_PERIODIC);
	GUEST_SYNC2(S_PERIODIC_STOPPED, n);
	ucall(UCALL_SYNC, S_PERIODIC_AFTER, guest_irq_count(VEC_PERIODIC) - n,
	      xapic_vector_bit(LAPIC_ISR, VEC_PERIODIC), 0, 0);
	cli();

	/* TSC-deadline */
	if (leaf1.ecx & CPUID_1_ECX_TSC_DEADLINE) {
		xapic_write(LAPIC_LVT_TIMER, VEC_TSCDL | LAPIC_LVT_TIMER_TSC_DEADLINE);
		wrmsr(LAPIC_MSR_TSC_DEADLINE, rdtsc() + 2 * PERIOD);
		guest_wait_irq(VEC_TSCDL, 1);
		ucall(UCALL_SYNC, S_TSCDL, 1, guest_irq_count(VEC_TSCDL),
		      rdmsr(LAPIC_MSR_TSC_DEADLINE), 0);
	} else {
		ucall(UCALL_SYNC, S_TSCDL, 0, 0, 0, 0);
	}

	/* x2APIC */
	if (leaf1.ecx & CPUID_1_ECX_X2APIC) {
		x2apic_enable();
		guest_irq_eoi[VEC_X2APIC] = GUEST_EOI_X2APIC;
		ucall(UCALL_SYNC, S_X2APIC, 1, x2apic_read(LAPIC_ID), x2apic_read(LAPIC_VER),
		      rdmsr(MSR_IA32_APICBASE));
		x2apic_write(LAPIC_TDCR, LAPIC_TDCR_DIV1);
		x2apic_write(LAPIC_LVT_TIMER, VEC_X2APIC);
		x2apic_write(LAPIC_TMICT, PERIOD);
		c1 = x2apic_read(LAPIC_TMCCT);
		guest_wait_irq(VEC_X2APIC, 1);
		ucall(UCALL_SYNC, S_X2APIC_AFTER, guest_irq_count(VEC_X2APIC), c1,
		      guest_this_cpu()->isr_set, x2apic_vector_bit(LAPIC_ISR, VEC_X2APIC));
	} else {
		ucall(UCALL_SYNC, S_X2APIC, 0, 0, 0, 0);
	}
	GUEST_DONE();
}

static struct test_vm *vm;

static void report(void)
{
	static const struct irq_vec_name vecs[] = {
		{ VEC_ONESHOT, "one-shot" }, { VEC_PERIODIC, "periodic" },
		{ VEC_TSCDL, "TSC-deadline" }, { VEC_X2APIC, "x2APIC" },
	};

	vm_print_irq_counts(vm, 0, "timer interrupts", vecs, ARRAY_SIZE(vecs));
}

int main(void)
{
	struct test_vcpu *vcpu;
	uint32_t xapic_ver;
	struct ucall uc;
	uint64_t *a = uc.args;

	ksft_print_header();
	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	vm_install_irq_counter(vm, VEC_ONESHOT, GUEST_EOI_XAPIC);
	vm_install_irq_counter(vm, VEC_PERIODIC, GUEST_EOI_XAPIC);
	vm_install_irq_counter(vm, VEC_TSCDL, GUEST_EOI_XAPIC);
	vm_install_irq_counter(vm, VEC_X2APIC, GUEST_EOI_XAPIC);
	ksft_set_plan(9);
	test_watchdog_start(60, "lapic_timer (a timer interrupt never came?)", report);

	vcpu_run_to_stage_or_bail(vcpu, S_APIC, &uc);
	xapic_ver = a[3];
	ksft_test_result((a[1] & ~0xfffull) == VTX_LAPIC_GPA && (a[1] & LAPIC_BASE_EN) &&
			 (a[1] & LAPIC_BASE_BSP) && (a[2] >> 24) == 0 && (xapic_ver & 0xff) >= 0x10,
			 "IA32_APIC_BASE %#llx (enabled BSP at 0xfee00000), ID %#llx, version %#x",
			 (unsigned long long)a[1], (unsigned long long)a[2], xapic_ver);

	vcpu_run_to_stage_or_bail(vcpu, S_ONESHOT_FIRED, &uc);
	ksft_test_result(a[1] && a[1] <= 10 * PERIOD && a[2] < a[1],
			 "one-shot: the current count falls (%llu -> %llu of %u)",
			 (unsigned long long)a[1], (unsigned long long)a[2], 10 * PERIOD);
	ksft_test_result(a[3] == 1 && a[4] == 0,
			 "one-shot fired: ISR bit set in the handler (%llu), clear after EOI and count 0 (%#llx)",
			 (unsigned long long)a[3], (unsigned long long)a[4]);
	usleep(20000);
	vcpu_run_to_stage_or_bail(vcpu, S_ONESHOT_AFTER, &uc);
	ksft_test_result(a[1] == 1, "one-shot fires once (%llu interrupts after 20 ms more)",
			 (unsigned long long)a[1]);

	vcpu_run_to_stage_or_bail(vcpu, S_PERIODIC_STOPPED, &uc);
	usleep(20000);
	vcpu_run_to_stage_or_bail(vcpu, S_PERIODIC_AFTER, &uc);
	ksft_test_result(a[1] == 0 && a[2] == 0 && vm_irq_count(vm, 0, VEC_PERIODIC) >= 5,
			 "periodic: %llu interrupts with EOI each, %llu after TMICT=0, ISR %llu",
			 (unsigned long long)vm_irq_count(vm, 0, VEC_PERIODIC),
			 (unsigned long long)a[1], (unsigned long long)a[2]);

	vcpu_run_to_stage_or_bail(vcpu, S_TSCDL, &uc);
	if (a[1])
		ksft_test_result(a[2] == 1 && a[3] == 0,
				 "TSC-deadline: fired %llu time(s), IA32_TSC_DEADLINE reads %#llx after",
				 (unsigned long long)a[2], (unsigned long long)a[3]);
	else
		ksft_test_result_fail("CPUID.1:ECX.TSC_DEADLINE[24] is clear");

	vcpu_run_to_stage_or_bail(vcpu, S_X2APIC, &uc);
	if (a[1]) {
		ksft_test_result(a[2] == 0 && (uint32_t)a[3] == xapic_ver &&
				 (a[4] & LAPIC_BASE_EXTD),
				 "x2APIC: ID %llu, version %#llx (xAPIC %#x), APIC_BASE %#llx",
				 (unsigned long long)a[2], (unsigned long long)a[3], xapic_ver,
				 (unsigned long long)a[4]);
		vcpu_run_to_stage_or_bail(vcpu, S_X2APIC_AFTER, &uc);
		ksft_test_result(a[1] == 1 && a[2] && a[2] <= PERIOD && a[3] == 1 && a[4] == 0,
				 "x2APIC one-shot timer: %llu interrupt, count %llu, ISR %llu then %llu",
				 (unsigned long long)a[1], (unsigned long long)a[2],
				 (unsigned long long)a[3], (unsigned long long)a[4]);
	} else {
		ksft_test_result_fail("CPUID.1:ECX.x2APIC[21] is clear");
		ksft_test_result_fail("x2APIC timer not tested");
	}
	ksft_test_result(vcpu_run_to_done(vcpu), "guest finishes");
	test_watchdog_stop();
	vcpu_free(vcpu);
	vm_free(vm);
	ksft_finished();
}
