// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile behaviours of the interrupt kind: IPI, INIT/SIPI and host
 * injection storms, periodic timers at the minimum period (LAPIC and PIT,
 * clamped to IRQCHIP_MIN_PERIOD_NS = 50 us by kmod/irq/irqchip.c), and a
 * far-future TSC deadline (issue 13).
 */
#include <unistd.h>
#include "hostile.h"
#include "vcpu_thread.h"

#define VEC_IPI		0x40
#define VEC_HOST	0x50
#define VEC_TIMER	0x33
#define VEC_PIT		0x20
#define NMI_VECTOR	2
#define MIN_PERIOD_NS	50000ull
#define NR_IPIS		5000

static uint64_t stop_flag;

/* vCPU 1: count IPIs with interrupts on until vCPU 0 says stop. */
static void g_ipi_target(void)
{
	xapic_enable();
	while (!READ_ONCE(stop_flag))
		safe_halt();
	h_guest_done(guest_irq_count(VEC_IPI));
}

static void g_ipi_source(void)
{
	xapic_enable();
	for (int i = 0; i < NR_IPIS; i++) {
		xapic_send_ipi(1, LAPIC_DM_FIXED | VEC_IPI);
		if (!(i & 63))	/* and broadcasts to all but self, NMI included */
			xapic_send_ipi(0, LAPIC_DM_NMI | (3u << 18));
	}
	WRITE_ONCE(stop_flag, 1);
	xapic_send_ipi(1, LAPIC_DM_FIXED | VEC_IPI);
	h_guest_done(0);
}

static bool b_ipi_storm(struct hostile *h)
{
	struct test_vm *vm = vm_create();
	struct test_vcpu *src = h_vcpu_add(h, vm, 0, g_ipi_source);
	struct test_vcpu *dst = h_vcpu_add(h, vm, 1, g_ipi_target);
	struct h_thread t = { 0 };
	struct ucall uc;
	unsigned int i;
	bool ok;

	vm_install_irq_counter(vm, VEC_IPI, GUEST_EOI_XAPIC);
	vm_install_irq_counter(vm, NMI_VECTOR, GUEST_EOI_NONE);
	h_thread_start(&t, h, dst);
	ok = h_ucall(h, src, &uc) == UCALL_SYNC && uc.args[0] == H_DONE;
	/* vCPU 1 reports on its own thread: give it time before the linger ends */
	for (i = 0; ok && i < 500 && READ_ONCE(t.uc.cmd) != UCALL_SYNC; i++)
		usleep(10000);
	h_linger(h);
	ok = ok && h_run_until_kick(h, src);
	h_thread_join(&t);
	ok = ok && t.uc.cmd == UCALL_SYNC && t.uc.args[0] == H_DONE && t.uc.args[1] > 0 &&
	     t.uc.args[1] <= NR_IPIS + 1;
	h_say(h, ok, "%d fixed IPIs + %d NMI broadcasts from vCPU 0: vCPU 1 took %llu IPIs, %llu NMIs",
	      NR_IPIS, NR_IPIS / 64, (unsigned long long)t.uc.args[1],
	      (unsigned long long)vm_irq_count(vm, 1, NMI_VECTOR));
	h_vm_free(h, vm);
	return ok;
}

/* INIT/SIPI storm: vCPU 0 resets and restarts vCPU 1 over and over. */
#define SIPI_VECTOR	0x10
#define TRAMPOLINE	(SIPI_VECTOR << 12)
#define NR_RESETS	300

static const uint8_t trampoline[] = {
	0x2e, 0xff, 0x06, 0x00, 0x01,	/* incw %cs:0x100 */
	0xeb, 0xfe,			/* 1: jmp 1b */
};

static void g_init_storm(void)
{
	xapic_enable();
	for (int i = 0; i < NR_RESETS; i++) {
		xapic_send_ipi(1, LAPIC_DM_INIT | LAPIC_ICR_TRIG_LEVEL | LAPIC_ICR_LEVEL_ASSERT);
		xapic_send_ipi(1, LAPIC_DM_INIT | LAPIC_ICR_TRIG_LEVEL);
		xapic_send_ipi(1, LAPIC_DM_STARTUP | SIPI_VECTOR);
		if (i & 1)	/* a second SIPI must be ignored (SDM 8.4.4.1) */
			xapic_send_ipi(1, LAPIC_DM_STARTUP | SIPI_VECTOR);
	}
	h_guest_done(0);
}

static bool b_init_storm(struct hostile *h)
{
	struct test_vm *vm = vm_create();
	struct test_vcpu *bsp = h_vcpu_add(h, vm, 0, g_init_storm);
	struct test_vcpu *ap = h_vcpu_add(h, vm, 1, NULL);
	uint16_t *starts = addr_gpa2hva(vm, TRAMPOLINE + 0x100);
	struct h_thread t;
	bool ok;

	memcpy(addr_gpa2hva(vm, TRAMPOLINE), trampoline, sizeof(trampoline));
	h_thread_start(&t, h, ap);
	ok = h_done_then_kick(h, bsp, NULL);
	h_thread_join(&t);
	ok = ok && *starts > 0 && *starts <= NR_RESETS + NR_RESETS / 2 &&
	     ap->run->exit_reason == VTX_EXIT_KICK;
	h_say(h, ok, "%d x INIT, INIT deassert, SIPI (+ a second SIPI every other time): vCPU 1 ran the trampoline %u times in %llu VTX_RUNs, ended by %s",
	      NR_RESETS, *starts, (unsigned long long)t.runs,
	      exit_reason_str(ap->run->exit_reason));
	h_vm_free(h, vm);
	return ok;
}

/* The host hammers VTX_INTERRUPT and VTX_NMI from another thread while the guest runs. */
static struct {
	struct test_vcpu *vcpu;
	struct hostile *h;
	uint64_t ok, busy, other;
} storm;

static void *host_storm(void *arg)
{
	(void)arg;
	while (!h_expired(storm.h)) {
		int r1 = _vcpu_interrupt(storm.vcpu, VEC_HOST), e1 = errno;
		int r2 = _vcpu_nmi(storm.vcpu), e2 = errno;

		storm.ok += !r1 + !r2;
		storm.busy += (r1 && e1 == EBUSY) + (r2 && e2 == EBUSY);
		storm.other += (r1 && e1 != EBUSY) + (r2 && e2 != EBUSY);
	}
	return NULL;
}

static void g_take_irqs(void)
{
	sti();
	for (;;)
		asm volatile("pause" : : : "memory");
}

static bool b_host_storm(struct hostile *h)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = h_vm_create(h, &vcpu, g_take_irqs);
	uint64_t irqs, nmis;
	pthread_t thr;
	bool ok;

	vm_install_irq_counter(vm, VEC_HOST, GUEST_EOI_NONE);
	vm_install_irq_counter(vm, NMI_VECTOR, GUEST_EOI_NONE);
	storm.vcpu = vcpu;
	storm.h = h;
	storm.ok = storm.busy = storm.other = 0;
	TEST_ASSERT(!pthread_create(&thr, NULL, host_storm, NULL), "storm thread");
	ok = h_run_until_kick(h, vcpu);
	pthread_join(thr, NULL);
	irqs = vm_irq_count(vm, 0, VEC_HOST);
	nmis = vm_irq_count(vm, 0, NMI_VECTOR);
	ok = ok && irqs > 0 && nmis > 0 && !storm.other && irqs + nmis <= storm.ok;
	h_say(h, ok, "VTX_INTERRUPT/VTX_NMI: %llu queued, %llu EBUSY, %llu other errors; guest took %llu interrupts, %llu NMIs",
	      (unsigned long long)storm.ok, (unsigned long long)storm.busy,
	      (unsigned long long)storm.other, (unsigned long long)irqs,
	      (unsigned long long)nmis);
	h_vm_free(h, vm);
	return ok;
}

/* Timers at the minimum period: counted over the run, bounded by the 50 us clamp. */
static bool timer_bounded(struct hostile *h, void *guest, int vector, enum guest_eoi eoi,
			  const char *what)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = h_vm_create(h, &vcpu, guest);
	uint64_t t0 = now_ns(), t1, n, max;
	bool ok;

	vm_install_irq_counter(vm, vector, eoi);
	ok = h_run_until_kick(h, vcpu);
	t1 = now_ns();
	n = vm_irq_count(vm, 0, vector);
	max = (t1 - t0) / MIN_PERIOD_NS + 2;
	ok = ok && n > 0 && n <= max;
	h_say(h, ok, "%s: %llu interrupts in %llu ms (at most %llu at one per 50 us)", what,
	      (unsigned long long)n, (unsigned long long)(t1 - t0) / 1000000,
	      (unsigned long long)max);
	h_vm_free(h, vm);
	return ok;
}

static void g_lapic_min(void)
{
	xapic_enable();
	xapic_write(LAPIC_TDCR, LAPIC_TDCR_DIV1);
	xapic_write(LAPIC_LVT_TIMER, VEC_TIMER | LAPIC_LVT_TIMER_PERIODIC);
	xapic_write(LAPIC_TMICT, 1);
	g_take_irqs();
}

static bool b_lapic_min(struct hostile *h)
{
	return timer_bounded(h, g_lapic_min, VEC_TIMER, GUEST_EOI_XAPIC,
			     "LAPIC periodic, divide 1, count 1");
}

static void g_pit_min(void)
{
	xapic_enable();
	pic_init(VEC_PIT, VEC_PIT + 8, (uint16_t)~1u & ~(1u << 2));
	outb(0x43, 0x34);	/* channel 0, lobyte/hibyte, mode 2 (rate generator) */
	outb(0x40, 1);
	outb(0x40, 0);
	g_take_irqs();
}

static bool b_pit_min(struct hostile *h)
{
	return timer_bounded(h, g_pit_min, VEC_PIT, GUEST_EOI_PIC_MASTER,
			     "PIT channel 0 mode 2, count 1");
}

/* IA32_TSC_DEADLINE = ~0: no interrupt, no hrtimer storm (the victim would starve). */
static void g_tscdl_far(void)
{
	xapic_enable();
	xapic_write(LAPIC_LVT_TIMER, VEC_TIMER | LAPIC_LVT_TIMER_TSC_DEADLINE);
	wrmsr(LAPIC_MSR_TSC_DEADLINE, ~0ull);
	GUEST_ASSERT_EQ(rdmsr(LAPIC_MSR_TSC_DEADLINE), ~0ull);
	sti();
	h_guest_done(0);
}

static bool b_tscdl_far(struct hostile *h)
{
	static const char *const took[] = { "interrupt took", NULL };
	struct test_vcpu *vcpu;
	struct test_vm *vm = h_vm_create(h, &vcpu, g_tscdl_far);
	int before = klog_count("hrtimer", took);
	bool ok;

	vm_install_irq_counter(vm, VEC_TIMER, GUEST_EOI_XAPIC);
	ok = h_done_then_kick(h, vcpu, NULL);
	usleep(50000);
	ok = ok && vm_irq_count(vm, 0, VEC_TIMER) == 0 && klog_count("hrtimer", took) == before;
	h_vm_free(h, vm);
	return ok && h_say(h, true, "IA32_TSC_DEADLINE = ~0: no timer interrupt, no \"hrtimer: interrupt took\"");
}

const struct hostile_behaviour hostile_irq[] = {
	{ "ipi_storm_2_vcpus", b_ipi_storm, 60000 },
	{ "init_sipi_storm", b_init_storm, 60000 },
	{ "host_interrupt_nmi_storm", b_host_storm, H_RUN_MS },
	{ "lapic_timer_min_period", b_lapic_min, H_RUN_MS },
	{ "pit_min_period", b_pit_min, H_RUN_MS },
	{ "tsc_deadline_far_future", b_tscdl_far, H_WINDOW_MS },
};
const unsigned int hostile_nr_irq = ARRAY_SIZE(hostile_irq);
