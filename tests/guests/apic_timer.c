// SPDX-License-Identifier: GPL-2.0
/*
 * apic_timer.elf: the in-kernel local APIC of vCPU 0 (SDM vol. 3A ch. 11):
 * base MSR, version and ID registers, software enable, the timer in
 * one-shot, periodic and TSC-deadline modes (11.5.4), masking, EOI and
 * ISR, HLT woken by the timer, self IPIs through the ICR, then the same in
 * x2APIC mode through MSRs (11.12) with the SELF IPI MSR. The 8259s are
 * masked so only the LAPIC interrupts. TAP on COM1; exit port 0xf4: 0 if
 * all passed (vmctl exits 1), 1 otherwise (vmctl exits 3).
 *
 * Run as: vmctl run --timeout 60 apic_timer.elf
 * Timing is checked loosely: Bochs time is emulated instructions.
 */
#include "apic.h"

#define VEC_ONESHOT	0x40
#define VEC_PERIODIC	0x41
#define VEC_DEADLINE	0x42
#define VEC_SELF_ICR	0x50
#define VEC_X2_SELF	0x51
#define VEC_X2_ICR	0x52
#define VEC_SPURIOUS	0xff	/* no handler: a spurious interrupt fails the test */

#define CPUID1_ECX_X2APIC	(1u << 21)
#define CPUID1_ECX_TSC_DEADLINE	(1u << 24)
#define CPUID1_EDX_APIC		(1u << 9)

static volatile u32 counts[256];
static volatile u64 last_tsc[256];
static volatile u32 in_isr[256];

/* Count, timestamp, note whether the vector is in service, EOI. */
static void count_irq(struct isr_frame *f)
{
	u8 v = f->vector;

	last_tsc[v] = rdtsc();
	in_isr[v] = apic_vector_bit(LAPIC_ISR, v);
	counts[v]++;
	apic_eoi();
}

static u32 cpuid1_ecx, cpuid1_edx, cpuid1_ebx;

static void test_setup(void)
{
	u64 base = rdmsr(LAPIC_MSR_APICBASE);
	u32 a, ver;

	/* OCW1: mask every 8259 input; only the LAPIC may interrupt. */
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	cpuid(1, &a, &cpuid1_ebx, &cpuid1_ecx, &cpuid1_edx);
	check(cpuid1_edx & CPUID1_EDX_APIC, "CPUID.1:EDX reports a local APIC");
	check((base & 0xfffff000u) == LAPIC_BASE_DEFAULT && (base & LAPIC_BASE_EN) &&
	      (base & LAPIC_BASE_BSP) && !(base & LAPIC_BASE_EXTD),
	      "IA32_APIC_BASE: enabled xAPIC of the BSP at 0xfee00000");
	ver = apic_read(LAPIC_VER);
	check((ver & 0xff) >= 0x10 && (ver & 0xff) <= 0x15 && ((ver >> 16) & 0xff) >= 3,
	      "version register: integrated APIC with at least 4 LVT entries");
	check(apic_id() == cpuid1_ebx >> 24, "APIC ID register matches CPUID.1:EBX[31:24]");
	apic_sw_enable(VEC_SPURIOUS);
	apic_write(LAPIC_TPR, 0);
	check((apic_read(LAPIC_SVR) & 0x1ff) == (LAPIC_SVR_ENABLE | VEC_SPURIOUS),
	      "SVR: software enabled, spurious vector 0xff");
	apic_write(LAPIC_TDCR, LAPIC_TDCR_DIV16);
	check((apic_read(LAPIC_TDCR) & 0xb) == LAPIC_TDCR_DIV16, "divide configuration reads back");
}

/* Arm a one-shot of @count and wait for interrupt number @nth: TSC ticks it took. */
static u64 oneshot_ticks(u32 count, u32 nth)
{
	u64 t0 = rdtsc();

	apic_write(LAPIC_LVT_TIMER, VEC_ONESHOT);
	apic_write(LAPIC_TMICT, count);
	if (!wait_count(&counts[VEC_ONESHOT], nth, 2000))
		return 0;
	return last_tsc[VEC_ONESHOT] - t0;
}

static void test_oneshot(void)
{
	u32 cur;
	u64 d1, d2;

	apic_write(LAPIC_LVT_TIMER, VEC_ONESHOT);
	apic_write(LAPIC_TMICT, 100000);
	cur = apic_read(LAPIC_TMCCT);
	check(cur > 0 && cur <= 100000, "one-shot: current count runs down from the initial count");
	irq_enable();
	check(wait_count(&counts[VEC_ONESHOT], 1, 2000), "one-shot: the interrupt arrives");
	check(in_isr[VEC_ONESHOT], "the vector is in the ISR while its handler runs");
	check(!apic_vector_bit(LAPIC_ISR, VEC_ONESHOT), "EOI cleared the ISR bit");
	check(apic_read(LAPIC_TMCCT) == 0, "one-shot: current count stays at 0");
	delay_ms(20);
	check(counts[VEC_ONESHOT] == 1, "one-shot: fires exactly once");

	d1 = oneshot_ticks(50000, 2);
	d2 = oneshot_ticks(400000, 3);
	check(d1 && d2 && d2 > 2 * d1, "one-shot: 8x the initial count takes more than 2x as long");

	apic_write(LAPIC_LVT_TIMER, VEC_ONESHOT | LAPIC_LVT_MASKED);
	apic_write(LAPIC_TMICT, 10000);
	delay_ms(10);
	check(counts[VEC_ONESHOT] == 3 && apic_read(LAPIC_TMCCT) == 0,
	      "masked LVT: the count runs out without an interrupt");
}

static void test_periodic(void)
{
	u32 n;

	apic_write(LAPIC_LVT_TIMER, VEC_PERIODIC | LAPIC_LVT_TIMER_PERIODIC);
	apic_write(LAPIC_TMICT, 20000);
	check(wait_count(&counts[VEC_PERIODIC], 5, 2000), "periodic: 5 interrupts arrive");
	check(wait_count(&counts[VEC_PERIODIC], 8, 2000) && apic_read(LAPIC_TMCCT) != 0,
	      "periodic: reloads and keeps counting");
	apic_write(LAPIC_TMICT, 0);
	n = counts[VEC_PERIODIC];
	delay_ms(10);
	/* One may already have been in the IRR when the write landed. */
	check(counts[VEC_PERIODIC] <= n + 1 && apic_read(LAPIC_TMCCT) == 0,
	      "periodic: initial count 0 stops the timer");
}

static void test_tsc_deadline(void)
{
	u64 deadline;

	if (!(cpuid1_ecx & CPUID1_ECX_TSC_DEADLINE)) {
		skip("TSC-deadline timer", "CPUID.1:ECX[24] clear");
		return;
	}
	apic_write(LAPIC_LVT_TIMER, VEC_DEADLINE | LAPIC_LVT_TIMER_TSC_DEADLINE);
	deadline = rdtsc() + 2 * tsc_per_ms;
	wrmsr(LAPIC_MSR_TSC_DEADLINE, deadline);
	check(rdmsr(LAPIC_MSR_TSC_DEADLINE) == deadline, "TSC-deadline: the MSR reads back while armed");
	check(wait_count(&counts[VEC_DEADLINE], 1, 2000), "TSC-deadline: the interrupt arrives");
	check(last_tsc[VEC_DEADLINE] >= deadline, "TSC-deadline: not before the deadline");
	check(rdmsr(LAPIC_MSR_TSC_DEADLINE) == 0, "TSC-deadline: the MSR reads 0 after it fired");
	wrmsr(LAPIC_MSR_TSC_DEADLINE, 1);
	check(wait_count(&counts[VEC_DEADLINE], 2, 500), "TSC-deadline: a past deadline fires at once");
	wrmsr(LAPIC_MSR_TSC_DEADLINE, rdtsc() + 1000 * tsc_per_ms);
	wrmsr(LAPIC_MSR_TSC_DEADLINE, 0);
	delay_ms(10);
	check(counts[VEC_DEADLINE] == 2, "TSC-deadline: writing 0 disarms");
	apic_write(LAPIC_LVT_TIMER, VEC_DEADLINE | LAPIC_LVT_MASKED);
}

static void test_hlt_wakeup(void)
{
	u32 n = counts[VEC_ONESHOT];

	apic_write(LAPIC_LVT_TIMER, VEC_ONESHOT);
	apic_write(LAPIC_TMICT, 50000);
	check(halt_count(&counts[VEC_ONESHOT], n + 1, 2000),
	      "HLT with IF=1 is woken by the timer interrupt");
}

static void test_self_ipi(void)
{
	check(apic_send_ipi(0, LAPIC_ICR_SH_SELF | LAPIC_DM_FIXED | VEC_SELF_ICR) &&
	      wait_count(&counts[VEC_SELF_ICR], 1, 500), "xAPIC: self IPI through ICR shorthand");
	check(apic_send_ipi(apic_id(), LAPIC_DM_FIXED | VEC_SELF_ICR) &&
	      wait_count(&counts[VEC_SELF_ICR], 2, 500), "xAPIC: fixed IPI to the own APIC ID");
}

static void test_x2apic(void)
{
	u32 id = apic_id(), ver = apic_read(LAPIC_VER), n;

	if (!(cpuid1_ecx & CPUID1_ECX_X2APIC)) {
		skip("x2APIC mode", "CPUID.1:ECX[21] clear");
		return;
	}
	wrmsr(LAPIC_MSR_APICBASE, rdmsr(LAPIC_MSR_APICBASE) | LAPIC_BASE_EXTD);
	apic_x2 = 1;
	check(rdmsr(LAPIC_MSR_APICBASE) & LAPIC_BASE_EXTD, "x2APIC: IA32_APIC_BASE.EXTD sticks");
	check(apic_read(LAPIC_ID) == id, "x2APIC: ID MSR 0x802 is the initial APIC ID");
	check(apic_read(LAPIC_VER) == ver && (apic_read(LAPIC_SVR) & LAPIC_SVR_ENABLE),
	      "x2APIC: version and SVR keep their values");
	n = counts[VEC_ONESHOT];
	apic_write(LAPIC_TDCR, LAPIC_TDCR_DIV16);
	apic_write(LAPIC_LVT_TIMER, VEC_ONESHOT);
	apic_write(LAPIC_TMICT, 100000);
	check(wait_count(&counts[VEC_ONESHOT], n + 1, 2000) && apic_read(LAPIC_TMCCT) == 0,
	      "x2APIC: one-shot timer through MSRs, EOI through MSR 0x80b");
	check(!apic_vector_bit(LAPIC_ISR, VEC_ONESHOT), "x2APIC: ISR clear after EOI");
	wrmsr(LAPIC_X2APIC_MSR(LAPIC_SELF_IPI), VEC_X2_SELF);
	check(wait_count(&counts[VEC_X2_SELF], 1, 500), "x2APIC: SELF IPI MSR 0x83f");
	apic_send_ipi(0, LAPIC_ICR_SH_SELF | LAPIC_DM_FIXED | VEC_X2_ICR);
	check(wait_count(&counts[VEC_X2_ICR], 1, 500), "x2APIC: self IPI through ICR MSR 0x830");
	apic_send_ipi(id, LAPIC_DM_FIXED | VEC_X2_ICR);
	check(wait_count(&counts[VEC_X2_ICR], 2, 500), "x2APIC: fixed IPI to the own x2APIC ID");
}

void mb_main(u32 magic, void *info);

void mb_main(u32 magic, void *info)
{
	(void)info;
	print("apic_timer: local APIC timer and IPI checks\r\n");
	idt_init();
	isr_set(VEC_ONESHOT, count_irq);
	isr_set(VEC_PERIODIC, count_irq);
	isr_set(VEC_DEADLINE, count_irq);
	isr_set(VEC_SELF_ICR, count_irq);
	isr_set(VEC_X2_SELF, count_irq);
	isr_set(VEC_X2_ICR, count_irq);
	check(magic == 0x2badb002, "multiboot entry");
	tsc_calibrate();
	test_setup();
	test_oneshot();
	test_periodic();
	test_tsc_deadline();
	test_hlt_wakeup();
	test_self_ipi();
	test_x2apic();
	irq_disable();
	tap_done();
}
