/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hello32.elf entry: vmctl starts it in 32-bit protected mode, paging off,
 * flat segments, ESP = 0x80000. Call C, then halt with interrupts off.
 */
	.code32
	.text
	.globl _start
_start:
	cli
	call	guest_main
1:	cli
	hlt
	jmp	1b

	.section .note.GNU-stack, "", @progbits
