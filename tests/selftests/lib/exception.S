/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest exception entry for the vtx selftests: 256 stubs of 16 bytes each
 * (guest_idt_stubs + 16 * vector) that make every vector look alike (push a
 * dummy error code where the CPU pushes none, SDM Vol. 3 6.13, then the
 * vector), save the GPRs as a struct ex_regs and call route_exception().
 * Interrupt gates (SDM 6.14.1): the CPU aligned RSP to 16 before pushing
 * SS/RSP/RFLAGS/CS/RIP, so 7 + 15 pushes keep the call 16-byte aligned.
 */
	.text
	.code64

	.globl guest_idt_stubs
	.align 16
guest_idt_stubs:
	.set vec, 0
	.rept 256
	.align 16
	.if !(vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
	pushq $0
	.endif
	pushq $vec
	jmp exception_common
	.set vec, vec + 1
	.endr

exception_common:
	push %r15
	push %r14
	push %r13
	push %r12
	push %r11
	push %r10
	push %r9
	push %r8
	push %rdi
	push %rsi
	push %rbp
	push %rbx
	push %rdx
	push %rcx
	push %rax
	mov %rsp, %rdi
	cld
	call route_exception
	pop %rax
	pop %rcx
	pop %rdx
	pop %rbx
	pop %rbp
	pop %rsi
	pop %rdi
	pop %r8
	pop %r9
	pop %r10
	pop %r11
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	add $16, %rsp	/* vector, error code */
	iretq

	.section .note.GNU-stack, "", @progbits
