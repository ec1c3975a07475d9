/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scr.img: the bench's port exit answered by vmctl's own device model. A
 * real-mode boot sector (vmctl loads it at 0:0x7c00) that times N OUTs to
 * the 16550 scratch register (COM1 + 7) with RDTSC, using the very loop of
 * guest.S phase 2, so that the row compares with the bench client's OUT
 * row instruction for instruction. It prints the delta on COM1 as
 * "vtx-bench-scr 0xDDDDDDDD N 0xNNNNNNNN" and halts with interrupts off
 * (vmctl exit 0).
 */
#define COM1		0x3f8
#define COM1_SCR	(COM1 + 7)
#define COM1_LSR	(COM1 + 5)
#define LSR_THRE	0x20
#define SCR_WARMUP	1000
#define SCR_ITERS	10000

	.code16
	.text
	.globl _start
_start:
	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %ss
	movw	$0x7c00, %sp
	cld
	/* Warm-up: fault in the host's code and data paths before timing. */
	movl	$SCR_WARMUP, %esi
	movw	$COM1_SCR, %dx
1:	outb	%al, %dx
	decl	%esi
	jnz	1b

	movl	$SCR_ITERS, %esi
	rdtsc
	movl	%eax, %edi
	movw	$COM1_SCR, %dx
2:	outb	%al, %dx
	decl	%esi
	jnz	2b
	rdtsc
	subl	%edi, %eax
	movl	%eax, %ebp

	movw	$tag, %si
	call	puts
	movl	%ebp, %eax
	call	puthex
	movw	$iters, %si
	call	puts
	movl	$SCR_ITERS, %eax
	call	puthex
	movw	$eol, %si
	call	puts
3:	cli
	hlt
	jmp	3b

/* COM1 output, polling LSR.THRE as a BIOS would. */
putc:
	pushw	%dx
	movb	%al, %bl
	movw	$COM1_LSR, %dx
4:	inb	%dx, %al
	testb	$LSR_THRE, %al
	jz	4b
	movw	$COM1, %dx
	movb	%bl, %al
	outb	%al, %dx
	popw	%dx
	ret

puts:
	lodsb
	testb	%al, %al
	jz	5f
	call	putc
	jmp	puts
5:	ret

/* EAX as 0x%08x. */
puthex:
	movl	%eax, %ecx
	movb	$'0', %al
	call	putc
	movb	$'x', %al
	call	putc
	movw	$8, %di
6:	roll	$4, %ecx
	movb	%cl, %al
	andb	$0xf, %al
	addb	$'0', %al
	cmpb	$'9', %al
	jbe	7f
	addb	$('a' - '9' - 1), %al
7:	call	putc
	decw	%di
	jnz	6b
	ret

tag:
	.asciz	"vtx-bench-scr "
iters:
	.asciz	" N "
eol:
	.asciz	"\r\n"

	.org	510
	.byte	0x55, 0xaa
