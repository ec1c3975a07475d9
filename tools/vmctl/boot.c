// SPDX-License-Identifier: GPL-2.0
/*
 * Initial vCPU state: 16-bit real mode (needs "unrestricted guest", SDM
 * Vol. 3C 26.3.1.1), 32-bit protected mode with paging off, and 64-bit long
 * mode on identity page tables. The segment registers handed to vtx are
 * derived from the very GDT entries written into guest memory, so a guest
 * that reloads a selector gets the same segment.
 */
#include <string.h>
#include "boot.h"

/* Access byte and flags of the descriptors vmctl uses (SDM Vol. 3A 3.4.5). */
#define DESC_CODE		0x9b	/* P, DPL 0, S, execute/read, accessed */
#define DESC_DATA		0x93	/* P, DPL 0, S, read/write, accessed */
#define DESC_TSS_BUSY		0x8b	/* P, DPL 0, system, busy TSS */
#define DESC_FLAG_L		0x2
#define DESC_FLAG_DB		0x4
#define DESC_FLAG_G		0x8

static u64 boot_desc(u32 base, u32 limit, u8 access, u8 flags)
{
	return (u64)(limit & 0xffff) | ((u64)(base & 0xffffff) << 16) |
	       ((u64)access << 40) | ((u64)((limit >> 16) & 0xf) << 48) |
	       ((u64)(flags & 0xf) << 52) | ((u64)(base >> 24) << 56);
}

struct vtx_segment boot_seg_from_desc(u64 desc, u16 sel)
{
	struct vtx_segment s;
	u32 limit = (desc & 0xffff) | (((desc >> 48) & 0xf) << 16);
	u8 access = desc >> 40;
	u8 flags = (desc >> 52) & 0xf;

	memset(&s, 0, sizeof(s));
	s.base = ((desc >> 16) & 0xffffff) | (((desc >> 56) & 0xff) << 24);
	s.g = !!(flags & DESC_FLAG_G);
	/* vtx_segment.limit is byte granular: scale 4 KiB granular limits. */
	s.limit = s.g ? (limit << 12) | 0xfff : limit;
	s.selector = sel;
	s.type = access & 0xf;
	s.s = !!(access & 0x10);
	s.dpl = (access >> 5) & 3;
	s.present = !!(access & 0x80);
	s.avl = !!(flags & 0x1);
	s.l = !!(flags & DESC_FLAG_L);
	s.db = !!(flags & DESC_FLAG_DB);
	return s;
}

static void boot_put64(u8 *ram, u64 gpa, u64 val)
{
	memcpy(ram + gpa, &val, sizeof(val));
}

/* GDT + TSS at BOOT_GDT_ADDR/BOOT_TSS_ADDR; the same table for both modes. */
static void boot_write_gdt(u8 *ram)
{
	memset(ram + BOOT_GDT_ADDR, 0, BOOT_GDT_LIMIT + 1);
	memset(ram + BOOT_TSS_ADDR, 0, BOOT_TSS_LIMIT + 1);
	boot_put64(ram, BOOT_GDT_ADDR + BOOT_SEL_CODE64,
		   boot_desc(0, 0xfffff, DESC_CODE, DESC_FLAG_L | DESC_FLAG_G));
	boot_put64(ram, BOOT_GDT_ADDR + BOOT_SEL_DATA,
		   boot_desc(0, 0xfffff, DESC_DATA, DESC_FLAG_DB | DESC_FLAG_G));
	boot_put64(ram, BOOT_GDT_ADDR + BOOT_SEL_CODE32,
		   boot_desc(0, 0xfffff, DESC_CODE, DESC_FLAG_DB | DESC_FLAG_G));
	/* 16-byte system descriptor in long mode; upper half (base 63:32) is 0. */
	boot_put64(ram, BOOT_GDT_ADDR + BOOT_SEL_TSS,
		   boot_desc(BOOT_TSS_ADDR, BOOT_TSS_LIMIT, DESC_TSS_BUSY, 0));
}

static struct vtx_segment boot_gdt_seg(const u8 *ram, u16 sel)
{
	u64 desc;

	memcpy(&desc, ram + BOOT_GDT_ADDR + sel, sizeof(desc));
	return boot_seg_from_desc(desc, sel);
}

/* CS from @code_sel, every data segment register from @data_sel. */
static void boot_load_segs(const u8 *ram, struct vtx_sregs *sregs, u16 code_sel, u16 data_sel)
{
	sregs->cs = boot_gdt_seg(ram, code_sel);
	sregs->ds = boot_gdt_seg(ram, data_sel);
	sregs->es = sregs->ds;
	sregs->fs = sregs->ds;
	sregs->gs = sregs->ds;
	sregs->ss = sregs->ds;
}

/* Everything common to protected and long mode, from the GDT in memory. */
static void boot_setup_flat(const u8 *ram, struct vtx_regs *regs, struct vtx_sregs *sregs,
			    u16 code_sel, u64 entry)
{
	memset(regs, 0, sizeof(*regs));
	memset(sregs, 0, sizeof(*sregs));
	boot_load_segs(ram, sregs, code_sel, BOOT_SEL_DATA);
	sregs->tr = boot_gdt_seg(ram, BOOT_SEL_TSS);
	sregs->ldt.unusable = 1;
	sregs->gdt.base = BOOT_GDT_ADDR;
	sregs->gdt.limit = BOOT_GDT_LIMIT;
	/* No IDT: any exception escalates to a triple fault, which vmctl reports. */
	sregs->idt.base = 0;
	sregs->idt.limit = 0;
	sregs->apic_base = X86_APIC_BASE_DEFAULT;
	regs->rip = entry;
	regs->rsp = BOOT_STACK_TOP;
	regs->rflags = X86_RFLAGS_FIXED;
}

static struct vtx_segment boot_real_seg(u16 sel, u8 type)
{
	struct vtx_segment s;

	memset(&s, 0, sizeof(s));
	s.base = (u64)sel << 4;
	s.limit = 0xffff;
	s.selector = sel;
	s.type = type;
	s.present = 1;
	s.s = 1;
	return s;
}

/*
 * Real mode as a BIOS leaves it for a boot sector: CS:IP = entry (CS=0,
 * IP=0x7c00 by default), data segments 0, SS:SP = 0:0x7c00, DL = 0x80.
 */
void boot_setup_real(struct vtx_regs *regs, struct vtx_sregs *sregs, u64 entry)
{
	u16 cs = (entry >> 4) & 0xf000;

	memset(regs, 0, sizeof(*regs));
	memset(sregs, 0, sizeof(*sregs));
	sregs->cs = boot_real_seg(cs, 0xb);
	sregs->ds = boot_real_seg(0, 0x3);
	sregs->es = sregs->ds;
	sregs->fs = sregs->ds;
	sregs->gs = sregs->ds;
	sregs->ss = sregs->ds;
	/* TR must be a usable busy TSS even in real mode (SDM 26.3.1.2). */
	sregs->tr.limit = 0xffff;
	sregs->tr.type = 0xb;
	sregs->tr.present = 1;
	sregs->ldt.unusable = 1;
	sregs->gdt.limit = 0xffff;
	sregs->idt.limit = 0x3ff;	/* real-mode IVT */
	sregs->cr0 = X86_CR0_ET | X86_CR0_NE;
	sregs->apic_base = X86_APIC_BASE_DEFAULT;
	regs->rip = entry - ((u64)cs << 4);
	regs->rsp = BOOT_REAL_SP;
	regs->rdx = 0x80;
	regs->rflags = X86_RFLAGS_FIXED;
}

int boot_setup_prot32(u8 *ram, u64 ram_size, struct vtx_regs *regs,
		      struct vtx_sregs *sregs, u64 entry)
{
	if (ram_size < BOOT_AREA_END || entry > 0xffffffffULL)
		return -EINVAL;
	boot_write_gdt(ram);
	boot_setup_flat(ram, regs, sregs, BOOT_SEL_CODE32, entry);
	sregs->cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_NE;
	return 0;
}

u64 boot_pt_span(u64 ram_size)
{
	u64 gib = 1ULL << 30;

	return ram_size <= gib ? gib : (ram_size + gib - 1) & ~(gib - 1);
}

/*
 * Identity map with 2 MiB pages (SDM Vol. 3A 4.5): one PML4 entry, one
 * PDPT entry per GiB, each pointing at a full page directory.
 */
static int boot_write_page_tables(u8 *ram, u64 ram_size)
{
	u64 n_pd = boot_pt_span(ram_size) >> 30;
	u64 i, j;

	if (BOOT_PD_ADDR + n_pd * 0x1000 > BOOT_AREA_END - 0x1000 || n_pd > 512)
		return -E2BIG;
	memset(ram + BOOT_PML4_ADDR, 0, 0x1000);
	memset(ram + BOOT_PDPT_ADDR, 0, 0x1000);
	boot_put64(ram, BOOT_PML4_ADDR, BOOT_PDPT_ADDR | X86_PTE_P | X86_PTE_RW);
	for (i = 0; i < n_pd; i++) {
		u64 pd = BOOT_PD_ADDR + i * 0x1000;

		boot_put64(ram, BOOT_PDPT_ADDR + i * 8, pd | X86_PTE_P | X86_PTE_RW);
		for (j = 0; j < 512; j++)
			boot_put64(ram, pd + j * 8, ((i << 30) | (j << 21)) |
				   X86_PTE_P | X86_PTE_RW | X86_PTE_PS);
	}
	return 0;
}

int boot_setup_long64(u8 *ram, u64 ram_size, struct vtx_regs *regs,
		      struct vtx_sregs *sregs, u64 entry)
{
	int ret;

	if (ram_size < BOOT_AREA_END)
		return -EINVAL;
	ret = boot_write_page_tables(ram, ram_size);
	if (ret)
		return ret;
	boot_write_gdt(ram);
	boot_setup_flat(ram, regs, sregs, BOOT_SEL_CODE64, entry);
	sregs->cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_PG;
	sregs->cr3 = BOOT_PML4_ADDR;
	sregs->cr4 = X86_CR4_PAE;
	sregs->efer = X86_EFER_LME | X86_EFER_LMA;
	return 0;
}

/*
 * The Linux boot protocol's 64-bit entry (boot.rst, "64-bit Boot
 * Protocol"): long mode on the identity map, a GDT with a 4 GiB flat
 * __BOOT_CS (0x10, execute/read) and __BOOT_DS (0x18, read/write), CS and
 * DS/ES/SS loaded from them, interrupts off, RSI = struct boot_params.
 * vmctl's own GDT has data at 0x10 and 32-bit code at 0x18: Linux gets
 * those two entries rewritten (0x08 and the TSS stay).
 */
int boot_setup_linux64(u8 *ram, u64 ram_size, struct vtx_regs *regs,
		       struct vtx_sregs *sregs, u64 entry, u64 boot_params)
{
	int ret = boot_setup_long64(ram, ram_size, regs, sregs, entry);

	if (ret)
		return ret;
	boot_put64(ram, BOOT_GDT_ADDR + BOOT_LINUX_CS,
		   boot_desc(0, 0xfffff, DESC_CODE, DESC_FLAG_L | DESC_FLAG_G));
	boot_put64(ram, BOOT_GDT_ADDR + BOOT_LINUX_DS,
		   boot_desc(0, 0xfffff, DESC_DATA, DESC_FLAG_DB | DESC_FLAG_G));
	boot_load_segs(ram, sregs, BOOT_LINUX_CS, BOOT_LINUX_DS);
	regs->rsi = boot_params;
	return 0;
}
