/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry of the multiboot test guests (mb_hello, apic_timer, pit_irq,
 * smp_ipi): a multiboot v1 header, our own flat GDT (the multiboot loader
 * leaves GDTR undefined, and IDT gates need a known code selector), a
 * stack, then mb_main(magic, info). Also the 256 interrupt stubs: each pushes a dummy
 * error code when the CPU does not push one (SDM 6.13), then its vector,
 * and jumps to isr_common, which calls isr_dispatch(struct isr_frame *).
 */
#define MB_MAGIC	0x1badb002
#define MB_FLAGS	0x3		/* page-aligned modules, memory info */
#define KERNEL_CS	0x08
#define KERNEL_DS	0x10

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
	lgdt	gdt_desc
	ljmp	$KERNEL_CS, $1f
1:	movw	$KERNEL_DS, %cx
	movw	%cx, %ds
	movw	%cx, %es
	movw	%cx, %fs
	movw	%cx, %gs
	movw	%cx, %ss
	movl	$mb_stack_top, %esp
	pushl	%ebx
	pushl	%eax
	call	mb_main
2:	cli
	hlt
	jmp	2b

/*
 * APs arrive here from the real-mode trampoline (smp_tramp.S) with
 * protected mode on and CS = KERNEL_CS. Each takes the next AP stack.
 * Only guests that start APs define ap_main.
 */
	.weak	ap_main
	.globl	ap_pm_entry
ap_pm_entry:
	movw	$KERNEL_DS, %cx
	movw	%cx, %ds
	movw	%cx, %es
	movw	%cx, %fs
	movw	%cx, %gs
	movw	%cx, %ss
	movl	$1, %eax
	lock xaddl %eax, ap_next_stack
	incl	%eax
	shll	$12, %eax
	addl	$ap_stacks, %eax
	movl	%eax, %esp
	call	ap_main
3:	cli
	hlt
	jmp	3b

/* Vectors whose exceptions push an error code (SDM table 6-1). */
#define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21)

	.section .rodata
	.align	4
	.globl	isr_stub_table
isr_stub_table:

	.text
	.set	vec, 0
	.rept	256
	.align	8
9:
	.if	!HAS_ERR(vec)
	pushl	$0
	.endif
	pushl	$vec
	jmp	isr_common
	.pushsection .rodata
	.long	9b
	.popsection
	.set	vec, vec + 1
	.endr

isr_common:
	pushal
	cld
	pushl	%esp
	call	isr_dispatch
	addl	$4, %esp
	popal
	addl	$8, %esp		/* vector and error code */
	iretl

	.data
	.align	16
	.globl	gdt
gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* KERNEL_CS: flat 4 GiB code, 32-bit */
	.quad	0x00cf92000000ffff	/* KERNEL_DS: flat 4 GiB data */
gdt_end:
	.globl	gdt_desc
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	gdt

	.align	4
ap_next_stack:
	.long	0

	.bss
	.align	16
	.space	16384
mb_stack_top:
	.align	4096
ap_stacks:				/* AP n (from 0) uses [n, n + 1) pages */
	.space	4096 * 16

	.section .note.GNU-stack, "", @progbits
