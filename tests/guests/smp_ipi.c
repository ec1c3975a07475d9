// SPDX-License-Identifier: GPL-2.0
/*
 * smp_ipi.elf: bring up the APs the way an OS does and exchange IPIs.
 * The BSP finds the local APICs in the ACPI MADT, copies the real-mode
 * trampoline (smp_tramp.S) to one page below 1 MiB, and sends each AP one
 * INIT and one start-up IPI whose vector is that page's number (SDM
 * 8.4.4). The page is 0x8000 (vector 0x08) unless the multiboot command
 * line says "sipi=N" (decimal or 0x hex): page N << 12, vector N. The
 * platform contract starts external kernels' APs with vector 0, so
 * "sipi=0" puts the trampoline at physical 0 (the real-mode IVT, unused
 * once the BSP is in protected mode); the BSP checks that the page holds
 * nothing else it uses (guest image, multiboot info, command line, memory
 * map) and is conventional memory, before it copies. Each AP goes
 * to protected mode, counts itself in atomically, records its APIC ID and
 * waits in HLT with IF=1. The BSP then sends each AP a fixed IPI (each
 * AP's handler counts it per CPU), then one to all excluding self; the
 * first AP answers the first IPI with a fixed IPI back to the BSP. TAP on
 * COM1; exit port 0xf4: 0 if all passed (vmctl exits 1), 1 otherwise (3).
 *
 * Run as: vmctl run --timeout 120 --cpus 4 [--append "sipi=0"] smp_ipi.elf
 */
#include "apic.h"

#define SIPI_VEC_DEFAULT	0x08	/* trampoline at 0x8000 */
#define PAGE_SIZE	4096u
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
static u32 sipi_vec = SIPI_VEC_DEFAULT;	/* trampoline at sipi_vec << 12 */

/* guest.ld: where the guest's own code, data and stacks are. */
extern const u8 __image_start[], __image_end[];

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
	apic_write(LAPIC_TPR, 0);
	id = apic_id() & 0xff;
	atomic_inc(&started_by_id[id]);
	atomic_inc(&aps_started);
	for (;;) {
		irq_disable();
		if (id == reply_id && ipis_by_id[id] && !replied) {
			replied = apic_send_ipi(bsp_id, LAPIC_DM_FIXED | VEC_TO_BSP);
			if (!replied)
				atomic_inc(&ap_bad_mode);
			replied = 1;
		}
		safe_halt();
	}
}

/* The enabled local APICs of the MADT (ACPI 6.5 5.2.12), as an OS finds them. */
static int madt_cpus(void)
{
	const u8 *rsdp = acpi_find_rsdp(), *xsdt, *madt = 0;
	u32 i, len;

	if (!rsdp || rsdp[15] < 2)
		return 0;
	xsdt = (const void *)*(const u32 *)(rsdp + 24);
	len = *(const u32 *)(xsdt + 4);
	for (i = 36; i + 8 <= len; i += 8) {
		const u8 *t = (const void *)*(const u32 *)(xsdt + i);

		if (mem_eq(t, "APIC", 4) && !checksum(t, *(const u32 *)(t + 4)))
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

/*
 * "sipi=N" as a word of the command line: 1 and *val if there is one (0 if
 * N is not a number that ends the word), -1 if there is none.
 */
static int cmdline_sipi(const char *s, u32 *val)
{
	u32 v = 0, base = 10, digits = 0, d;
	const char *p = s;

	for (; *p; p++)
		if ((p == s || p[-1] == ' ') && mem_eq(p, "sipi=", 5))
			break;
	if (!*p)
		return -1;
	p += 5;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (;; p++, digits++) {
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (base == 16 && (*p | 0x20) >= 'a' && (*p | 0x20) <= 'f')
			d = (*p | 0x20) - 'a' + 10;
		else
			break;
		if (v > 0xff)
			return 0;
		v = v * base + d;
	}
	*val = v;
	return digits && v <= 0xff && (!*p || *p == ' ');
}

static int overlaps(u32 a, u32 alen, u32 b, u32 blen)
{
	return a < b + blen && b < a + alen;
}

/*
 * The trampoline page must be conventional memory (below mem_lower KiB,
 * which ends before the EBDA) and hold nothing the BSP still uses.
 */
static int tramp_page_free(const struct mb_info *mi, u32 base)
{
	u32 info_len = sizeof(*mi), img = (u32)__image_start;

	if (!(mi->flags & MB_INFO_MEM) || base + PAGE_SIZE > mi->mem_lower * 1024)
		return 0;
	if (overlaps(base, PAGE_SIZE, img, (u32)__image_end - img) ||
	    overlaps(base, PAGE_SIZE, (u32)mi, info_len))
		return 0;
	if ((mi->flags & MB_INFO_CMDLINE) &&
	    overlaps(base, PAGE_SIZE, mi->cmdline, str_len((const char *)mi->cmdline) + 1))
		return 0;
	if ((mi->flags & MB_INFO_MMAP) && mi->mmap_length &&
	    overlaps(base, PAGE_SIZE, mi->mmap_addr, mi->mmap_length))
		return 0;
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
			ok &= apic_send_ipi(cpu_ids[i], LAPIC_DM_INIT | LAPIC_ICR_LEVEL_ASSERT);
	delay_ms(10);
	for (i = 0; i < nr_cpus; i++)
		if (cpu_ids[i] != bsp_id)
			ok &= apic_send_ipi(cpu_ids[i], LAPIC_DM_STARTUP | sipi_vec);
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

void mb_main(u32 magic, const struct mb_info *mi);

void mb_main(u32 magic, const struct mb_info *mi)
{
	u32 i, tramp_len = tramp_end - tramp_start, bsp_in_madt = 0, tramp_base;
	int opt = -1;

	print("smp_ipi: AP start-up (INIT/SIPI) and IPIs\r\n");
	idt_init();
	isr_set(VEC_TO_AP, to_ap_handler);
	isr_set(VEC_TO_BSP, to_bsp_handler);
	if (!check(magic == MB_BOOT_MAGIC, "multiboot entry"))
		tap_done();
	if (mi->flags & MB_INFO_CMDLINE)
		opt = cmdline_sipi((const char *)mi->cmdline, &sipi_vec);
	if (!check(opt != 0, "command line: no sipi= or sipi=N with N a page number 0..255"))
		tap_done();
	tramp_base = sipi_vec << 12;
	print("# start-up IPI vector ");
	put_hex(sipi_vec);
	print(opt > 0 ? " (sipi=), trampoline at " : " (default), trampoline at ");
	put_hex(tramp_base);
	print("\r\n");
	tsc_calibrate();
	apic_sw_enable(0xff);
	apic_write(LAPIC_TPR, 0);
	bsp_id = apic_id();
	check(rdmsr(LAPIC_MSR_APICBASE) & LAPIC_BASE_BSP, "IA32_APIC_BASE.BSP set on the boot CPU");
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

	check(tramp_len > 0 && tramp_len < PAGE_SIZE, "trampoline fits in one page");
	if (!check(tramp_page_free(mi, tramp_base),
		   "trampoline page is low memory that holds nothing else the guest uses"))
		tap_done();
	/* Physical 0 is ordinary RAM here: built with -fno-delete-null-pointer-checks. */
	copy((void *)tramp_base, tramp_start, tramp_len);
	check(mem_eq((const void *)tramp_base, tramp_start, tramp_len),
	      "trampoline copied to its page");
	check(start_aps(), "INIT and start-up IPIs sent (ICR delivery status idle)");
	check(wait_count(&aps_started, nr_cpus - 1, 5000) && aps_started == nr_cpus - 1,
	      "every AP started and counted itself in, once");
	check(wait_all_aps(started_by_id, 1, 100) && !started_by_id[bsp_id],
	      "each MADT APIC ID reported by exactly one AP");
	check(!ap_bad_mode, "APs run in protected mode");

	irq_enable();
	for (i = 0; i < nr_cpus; i++)
		if (cpu_ids[i] != bsp_id)
			apic_send_ipi(cpu_ids[i], LAPIC_DM_FIXED | VEC_TO_AP);
	check(wait_all_aps(ipis_by_id, 1, 5000), "fixed IPI to each AP: each handler ran once");
	check(wait_count(&ipis_to_bsp, 1, 5000), "an AP's fixed IPI reached the BSP");
	check(apic_send_ipi(0, LAPIC_ICR_SH_ALL_EXCL | LAPIC_DM_FIXED | VEC_TO_AP) &&
	      wait_all_aps(ipis_by_id, 2, 5000), "all-excluding-self IPI reached every AP");
	delay_ms(10);
	check(!ipis_by_id[bsp_id] && ipis_to_bsp == 1 && all_aps(ipis_by_id, 2),
	      "no IPI went anywhere else (BSP got none of its own, one reply)");
	irq_disable();
	check(!isr_unexpected && !ap_bad_mode, "no unexpected vector on any CPU");
	tap_done();
}
