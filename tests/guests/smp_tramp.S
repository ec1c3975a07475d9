/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AP start-up trampoline for smp_ipi.elf. The BSP copies the bytes from
 * tramp_start to tramp_end to a page below 1 MiB (physical 0x8000 by
 * default, 0 with "sipi=0") and sends a start-up IPI whose vector is that
 * page number: the AP starts in real mode at CS:IP = (vector << 8):0, CS
 * base = vector << 12 (SDM 9.4.4.1/8.4.4.1), loads the guest's flat GDT,
 * turns on protected mode and far-jumps to ap_pm_entry (mb_entry.S).
 * Position independent: the code runs at whatever page the BSP chose, not
 * where it is linked, so its one memory operand is addressed through
 * DS = CS, by its offset from tramp_start (IP is 0 at tramp_start). The
 * far jump's target and the GDT base are linear addresses above 1 MiB.
 */
#define TRAMP_OFF(sym)	((sym) - tramp_start)

	.section .rodata.tramp, "a"
	.code16
	.globl	tramp_start, tramp_end
tramp_start:
	cli
	movw	%cs, %ax
	movw	%ax, %ds
	lgdtl	TRAMP_OFF(tramp_gdt_desc)	/* o32: all 32 bits of the base */
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
