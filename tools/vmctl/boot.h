/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Initial vCPU state for the three boot modes, and the boot area vmctl
 * writes into guest memory for the protected and long modes:
 *
 *   0x00500  GDT: 0x08 code64, 0x10 data (flat 4 GiB), 0x18 code32, 0x20 TSS
 *   0x00600  TSS (zeroed; only there because TR must be usable)
 *   0x01000  PML4, 0x02000 PDPT, 0x03000.. page directories (long mode)
 *   0x80000  initial stack pointer (grows down towards the page tables)
 *
 * ELF segments must therefore load at or above BOOT_AREA_END. Real mode
 * (flat images) uses none of this: CS:IP from the entry, SS:SP = 0:0x7c00.
 */
#ifndef _VMCTL_BOOT_H
#define _VMCTL_BOOT_H

#include "vmctl.h"

#define BOOT_GDT_ADDR		0x500ULL
#define BOOT_GDT_LIMIT		0x2f		/* 6 entries: TSS takes two */
#define BOOT_TSS_ADDR		0x600ULL
#define BOOT_TSS_LIMIT		0x67
#define BOOT_PML4_ADDR		0x1000ULL
#define BOOT_PDPT_ADDR		0x2000ULL
#define BOOT_PD_ADDR		0x3000ULL
#define BOOT_STACK_TOP		0x80000ULL
#define BOOT_AREA_END		0x80000ULL
#define BOOT_REAL_SP		0x7c00ULL

#define BOOT_SEL_CODE64		0x08
#define BOOT_SEL_DATA		0x10
#define BOOT_SEL_CODE32		0x18
#define BOOT_SEL_TSS		0x20
/* Linux's __BOOT_CS/__BOOT_DS (boot_setup_linux64() only). */
#define BOOT_LINUX_CS		0x10
#define BOOT_LINUX_DS		0x18

/* Architectural bits (SDM Vol. 3A 2.5, 2.2.1). */
#define X86_CR0_PE		BIT_ULL(0)
#define X86_CR0_ET		BIT_ULL(4)
#define X86_CR0_NE		BIT_ULL(5)
#define X86_CR0_WP		BIT_ULL(16)
#define X86_CR0_PG		BIT_ULL(31)
#define X86_CR4_PAE		BIT_ULL(5)
#define X86_EFER_LME		BIT_ULL(8)
#define X86_EFER_LMA		BIT_ULL(10)
#define X86_RFLAGS_FIXED	BIT_ULL(1)
#define X86_RFLAGS_IF		BIT_ULL(9)
#define X86_PTE_P		BIT_ULL(0)
#define X86_PTE_RW		BIT_ULL(1)
#define X86_PTE_PS		BIT_ULL(7)
#define X86_APIC_BASE_DEFAULT	0xfee00900ULL	/* enabled, BSP */

/* Bytes of guest-physical space the long-mode identity map covers. */
u64 boot_pt_span(u64 ram_size);

/* The segment register a descriptor loads (SDM Vol. 3A 3.4.5). */
struct vtx_segment boot_seg_from_desc(u64 desc, u16 sel);

void boot_setup_real(struct vtx_regs *regs, struct vtx_sregs *sregs, u64 entry);
int boot_setup_prot32(u8 *ram, u64 ram_size, struct vtx_regs *regs,
		      struct vtx_sregs *sregs, u64 entry);
int boot_setup_long64(u8 *ram, u64 ram_size, struct vtx_regs *regs,
		      struct vtx_sregs *sregs, u64 entry);
int boot_setup_linux64(u8 *ram, u64 ram_size, struct vtx_regs *regs,
		       struct vtx_sregs *sregs, u64 entry, u64 boot_params);

#endif /* _VMCTL_BOOT_H */
