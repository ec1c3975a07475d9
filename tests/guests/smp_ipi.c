// SPDX-License-Identifier: GPL-2.0
/*
 * smp_ipi.elf: bring up the APs the way an OS does and exchange IPIs.
 * The BSP finds the local APICs in the ACPI MADT, copies the real-mode
 * trampoline (smp_tramp.S) to TRAMP_BASE, and sends each AP one INIT and
 * one start-up IPI with vector TRAMP_BASE >> 12 (SDM 8.4.4). Each AP goes
 * to protected mode, counts itself in atomically, records its APIC ID and
 * waits in HLT with IF=1. The BSP then sends each AP a fixed IPI (each
 * AP's handler counts it per CPU), then one to all excluding self; the
 * first AP answers the first IPI with a fixed IPI back to the BSP. TAP on
 * COM1; exit port 0xf4: 0 if all passed (vmctl exits 1), 1 otherwise (3).
 *
 * Run as: vmctl run --timeout 120 --cpus 4 smp_ipi.elf
 */
#include "apic.h"

#define TRAMP_BASE	0x8000		/* smp_tramp.S; SIPI vector 0x08 */
#define MAX_CPUS	16
#define VEC_TO_AP	0x60
#define VEC_TO_BSP	0x61

static u32 cpu_ids[MAX_CPUS];		/* APIC IDs from the MADT, in order */
static u32 nr_cpus;
static volatile u32 bsp_id;
static volatile u32 reply_id;		/* the AP that answers */
static volatile u32 aps_started;
static volatile u32 started_by_id[256];
static volatile u32 ipis_by_id[256];
static volatile u32 ipis_to_bsp;
static volatile u32 ap_bad_mode;

static void to_ap_handler(struct isr_frame *f)
{
	(void)f;
	atomic_inc(&ipis_by_id[apic_id() & 0xff]);
	apic_eoi();
}

static void to_bsp_handler(struct isr_frame *f)
{
	(void)f;
	atomic_inc(&ipis_to_bsp);
	apic_eoi();
}

void ap_main(void);

/* An AP in protected mode (from ap_pm_entry) with its own stack. */
void ap_main(void)
{
	u32 id, cr0, replied = 0;

	asm volatile("movl %%cr0, %0" : "=r"(cr0));
	if (!(cr0 & 1))
		atomic_inc(&ap_bad_mode);
	idt_load();
	apic_sw_enable(0xff);
	apic_write(APIC_TPR, 0);
	id = apic_id() & 0xff;
	atomic_inc(&started_by_id[id]);
	atomic_inc(&aps_started);
	for (;;) {
		irq_disable();
		if (id == reply_id && ipis_by_id[id] && !replied) {
			replied = apic_send_ipi(bsp_id, APIC_DM_FIXED | VEC_TO_BSP);
			if (!replied)
				atomic_inc(&ap_bad_mode);
			replied = 1;
		}
		safe_halt();
	}
}

static int mem_eq(const void *a, const void *b, u32 n)
{
	const u8 *x = a, *y = b;

	while (n--)
		if (*x++ != *y++)
			return 0;
	return 1;
}

static u8 sum(const void *p, u32 len)
{
	const u8 *b = p;
	u8 s = 0;

	while (len--)
		s += *b++;
	return s;
}

/* The enabled local APICs of the MADT (ACPI 6.5 5.2.12), as an OS finds them. */
static int madt_cpus(void)
{
	const u8 *rsdp = 0, *xsdt, *madt = 0;
	u32 a, i, len;

	for (a = 0xe0000; a < 0x100000 && !rsdp; a += 16)
		if (mem_eq((const void *)a, "RSD PTR ", 8) && !sum((const void *)a, 20))
			rsdp = (const void *)a;
	if (!rsdp || rsdp[15] < 2)
		return 0;
	xsdt = (const void *)*(const u32 *)(rsdp + 24);
	len = *(const u32 *)(xsdt + 4);
	for (i = 36; i + 8 <= len; i += 8) {
		const u8 *t = (const void *)*(const u32 *)(xsdt + i);

		if (mem_eq(t, "APIC", 4) && !sum(t, *(const u32 *)(t + 4)))
			madt = t;
	}
	if (!madt)
		return 0;
	len = *(const u32 *)(madt + 4);
	for (i = 44; i + 2 <= len && madt[i + 1] >= 2; i += madt[i + 1])
		if (madt[i] == 0 && (*(const u32 *)(madt + i + 4) & 1) && nr_cpus < MAX_CPUS)
			cpu_ids[nr_cpus++] = madt[i + 3];
	return 1;
}

static void copy(void *dst, const void *src, u32 n)
{
	u8 *d = dst;
	const u8 *s = src;

	while (n--)
		*d++ = *s++;
}

/* INIT, 10 ms, one start-up IPI to every AP (SDM 8.4.4.1, one SIPI suffices here). */
static int start_aps(void)
{
	u32 i, ok = 1;

	for (i = 0; i < nr_cpus; i++)
		if (cpu_ids[i] != bsp_id)
			ok &= apic_send_ipi(cpu_ids[i], APIC_DM_INIT | APIC_ICR_ASSERT);
	delay_ms(10);
	for (i = 0; i < nr_cpus; i++)
		if (cpu_ids[i] != bsp_id)
			ok &= apic_send_ipi(cpu_ids[i], APIC_DM_STARTUP | (TRAMP_BASE >> 12));
	return ok;
}

static int all_aps(const volatile u32 *by_id, u32 want)
{
	u32 i;

	for (i = 0; i < nr_cpus; i++)
		if (cpu_ids[i] != bsp_id && by_id[cpu_ids[i]] != want)
			return 0;
	return 1;
}

/* Wait up to @ms for every AP's counter to reach @want. */
static int wait_all_aps(const volatile u32 *by_id, u32 want, u32 ms)
{
	u64 end = rdtsc() + ms * tsc_per_ms;

	while (!all_aps(by_id, want)) {
		if (rdtsc() > end)
			return 0;
		cpu_relax();
	}
	return 1;
}

void mb_main(u32 magic, void *info);

void mb_main(u32 magic, void *info)
{
	u32 i, tramp_len = tramp_end - tramp_start, bsp_in_madt = 0;

	(void)info;
	print("smp_ipi: AP start-up (INIT/SIPI) and IPIs\r\n");
	idt_init();
	isr_set(VEC_TO_AP, to_ap_handler);
	isr_set(VEC_TO_BSP, to_bsp_handler);
	check(magic == 0x2badb002, "multiboot entry");
	tsc_calibrate();
	apic_sw_enable(0xff);
	apic_write(APIC_TPR, 0);
	bsp_id = apic_id();
	check(rdmsr(MSR_APIC_BASE) & APIC_BASE_BSP, "IA32_APIC_BASE.BSP set on the boot CPU");
	if (!check(madt_cpus() && nr_cpus >= 2, "MADT lists at least 2 enabled local APICs"))
		tap_done();
	for (i = 0; i < nr_cpus; i++)
		bsp_in_madt |= cpu_ids[i] == bsp_id;
	check(bsp_in_madt, "the BSP's APIC ID is in the MADT");
	for (i = 0; i < nr_cpus && cpu_ids[i] == bsp_id; i++)
		;
	reply_id = cpu_ids[i];
	print("# CPUs in the MADT: ");
	put_dec(nr_cpus);
	print("\r\n");

	check(tramp_len > 0 && tramp_len < 4096, "trampoline fits in one page");
	copy((void *)TRAMP_BASE, tramp_start, tramp_len);
	check(start_aps(), "INIT and start-up IPIs sent (ICR delivery status idle)");
	check(wait_count(&aps_started, nr_cpus - 1, 5000) && aps_started == nr_cpus - 1,
	      "every AP started and counted itself in, once");
	check(wait_all_aps(started_by_id, 1, 100) && !started_by_id[bsp_id],
	      "each MADT APIC ID reported by exactly one AP");
	check(!ap_bad_mode, "APs run in protected mode");

	irq_enable();
	for (i = 0; i < nr_cpus; i++)
		if (cpu_ids[i] != bsp_id)
			apic_send_ipi(cpu_ids[i], APIC_DM_FIXED | VEC_TO_AP);
	check(wait_all_aps(ipis_by_id, 1, 5000), "fixed IPI to each AP: each handler ran once");
	check(wait_count(&ipis_to_bsp, 1, 5000), "an AP's fixed IPI reached the BSP");
	check(apic_send_ipi(0, APIC_SH_ALL_EXCL | APIC_DM_FIXED | VEC_TO_AP) &&
	      wait_all_aps(ipis_by_id, 2, 5000), "all-excluding-self IPI reached every AP");
	delay_ms(10);
	check(!ipis_by_id[bsp_id] && ipis_to_bsp == 1 && all_aps(ipis_by_id, 2),
	      "no IPI went anywhere else (BSP got none of its own, one reply)");
	irq_disable();
	check(!isr_unexpected && !ap_bad_mode, "no unexpected vector on any CPU");
	tap_done();
}
