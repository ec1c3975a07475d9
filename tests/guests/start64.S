/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hello64.elf entry: vmctl starts it in 64-bit long mode on identity page
 * tables, RSP = 0x80000 (16-byte aligned). Call C, then halt with
 * interrupts off.
 */
	.code64
	.text
	.globl _start
_start:
	cli
	call	guest_main
1:	cli
	hlt
	jmp	1b

	.section .note.GNU-stack, "", @progbits
