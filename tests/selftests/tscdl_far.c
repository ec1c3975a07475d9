// SPDX-License-Identifier: GPL-2.0
/*
 * tscdl_far: a far-future TSC deadline (IA32_TSC_DEADLINE = ~0, SDM vol 3A
 * 11.5.4.1) arms the in-kernel LAPIC timer for a time that does not fit an
 * hrtimer expiry (a signed 64-bit ns count). It must be clamped (kmod/irq/
 * lapic_timer.c), not wrap into a negative expiry: that would fire at once
 * and re-arm from its own callback in a loop, an interrupt storm on the
 * host CPU. The guest sees no interrupt, the MSR keeps its value, the host
 * sleeps and wakes normally and logs no "hrtimer: interrupt took".
 *
 * ~0 TSC cycles exceed KTIME_MAX ns only with a TSC slower than 2 GHz; in
 * the test machine the host's TSC is fast enough that this test passed
 * without the clamp too. tests/unit/test_lapic_timer.c covers slow TSCs.
 */
#include <unistd.h>
#include "irq.h"
#include "vcpu_thread.h"
#include "vm.h"
#include "vtx_util.h"

#define VEC_TSCDL	0x32

static void guest_code(void)
{
	GUEST_ASSERT(cpuid(1, 0).ecx & CPUID_1_ECX_TSC_DEADLINE);
	xapic_enable();
	xapic_write(LAPIC_LVT_TIMER, VEC_TSCDL | LAPIC_LVT_TIMER_TSC_DEADLINE);
	wrmsr(LAPIC_MSR_TSC_DEADLINE, ~0ull);
	sti();
	GUEST_SYNC(0);
	GUEST_ASSERT_EQ(rdmsr(LAPIC_MSR_TSC_DEADLINE), ~0ull);
	GUEST_ASSERT_EQ(guest_irq_count(VEC_TSCDL), 0);
	wrmsr(LAPIC_MSR_TSC_DEADLINE, 1ull << 62);
	GUEST_SYNC(1);
	GUEST_ASSERT_EQ(guest_irq_count(VEC_TSCDL), 0);
	wrmsr(LAPIC_MSR_TSC_DEADLINE, 0);
	cli();
	GUEST_DONE();
}

int main(void)
{
	static const char *const storm[] = { "interrupt took", NULL };
	struct test_vcpu *vcpu;
	struct test_vm *vm;
	struct ucall uc;
	uint64_t t0, t1;
	int before;

	ksft_print_header();
	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	vm_install_irq_counter(vm, VEC_TSCDL, GUEST_EOI_XAPIC);
	ksft_set_plan(4);
	test_watchdog_start(60, "tscdl_far (host stuck in a timer storm?)", NULL);
	before = klog_count("hrtimer", storm);

	vcpu_run_to_stage_or_bail(vcpu, 0, &uc);
	t0 = now_ns();
	usleep(50000);
	t1 = now_ns();
	ksft_test_result(t1 - t0 < 2000000000ull,
			 "IA32_TSC_DEADLINE = ~0 armed: the host sleeps 50 ms in %llu ms",
			 (unsigned long long)(t1 - t0) / 1000000);
	vcpu_run_to_stage_or_bail(vcpu, 1, &uc);
	ksft_test_result(vm_irq_count(vm, 0, VEC_TSCDL) == 0,
			 "no timer interrupt; the MSR still reads ~0");
	usleep(50000);
	ksft_test_result(vcpu_run_ucall(vcpu, &uc) == UCALL_DONE,
			 "deadline 2^62: no interrupt either; guest done");
	ksft_test_result(klog_count("hrtimer", storm) == before,
			 "no \"hrtimer: interrupt took\" in the kernel log");
	test_watchdog_stop();
	vcpu_free(vcpu);
	vm_free(vm);
	ksft_finished();
}
