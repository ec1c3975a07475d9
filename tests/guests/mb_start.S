/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mb_hello.elf entry: a multiboot v1 kernel (ELF32 at 1 MiB). The loader
 * enters in 32-bit protected mode, paging off, EAX = 0x2BADB002, EBX = the
 * multiboot information; ESP is undefined, so set up our own stack and
 * call mb_main(magic, info).
 */
#define MB_MAGIC	0x1badb002
#define MB_FLAGS	0x3		/* page-aligned modules, memory info */

	.section .text.entry, "ax"
	.align	4
mb_header:
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)

	.code32
	.globl	_start
_start:
	cli
	movl	$mb_stack_top, %esp
	pushl	%ebx
	pushl	%eax
	call	mb_main
1:	cli
	hlt
	jmp	1b

	.bss
	.align	16
	.space	16384
mb_stack_top:

	.section .note.GNU-stack, "", @progbits
