/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hello16.img: a real-mode boot sector. vmctl loads it at 0x7c00 with
 * CS:IP = 0:0x7c00; it prints on COM1 by polling LSR.THRE, then halts with
 * interrupts off (vmctl exit 0).
 */
#define COM1		0x3f8
#define COM1_LSR	(COM1 + 5)
#define LSR_THRE	0x20

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
	movw	$msg, %si
next:
	lodsb
	testb	%al, %al
	jz	done
	movb	%al, %bl
	movw	$COM1_LSR, %dx
wait:
	inb	%dx, %al
	testb	$LSR_THRE, %al
	jz	wait
	movw	$COM1, %dx
	movb	%bl, %al
	outb	%al, %dx
	jmp	next
done:
	cli
	hlt
	jmp	done

msg:
	.asciz	"Hello from real mode\r\n"

	.org	510
	.byte	0x55, 0xaa
