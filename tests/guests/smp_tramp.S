/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AP start-up trampoline for smp_ipi.elf. The BSP copies the bytes from
 * tramp_start to tramp_end to TRAMP_BASE (below 1 MiB, page aligned) and
 * sends a start-up IPI with vector TRAMP_BASE >> 12: the AP starts in real
 * mode at CS:IP = (vector << 8):0 (SDM 8.4.4.1), loads the guest's flat
 * GDT, turns on protected mode and far-jumps to ap_pm_entry (mb_entry.S).
 * The code runs at TRAMP_BASE, not where it is linked: every memory
 * operand is TRAMP_BASE + its offset in the trampoline.
 */
#define TRAMP_BASE	0x8000
#define TRAMP(sym)	(TRAMP_BASE + (sym) - tramp_start)

	.section .rodata.tramp, "a"
	.code16
	.globl	tramp_start, tramp_end
tramp_start:
	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	lgdtl	TRAMP(tramp_gdt_desc)
	movl	%cr0, %eax
	orl	$1, %eax		/* CR0.PE */
	movl	%eax, %cr0
	ljmpl	$0x08, $ap_pm_entry
	.align	4
tramp_gdt_desc:
	.word	23
	.long	gdt
tramp_end:

	.section .note.GNU-stack, "", @progbits
