/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one-vCPU interrupt workloads, real mode at BENCH_LOAD_ADDR, the
 * interrupts taken through the IVT. Reports, in this order: self-IPI
 * cycles and its handler count; LAPIC timer cycles and its handler count;
 * TPR write cycles; TDCR write cycles; no-device MMIO write cycles. A
 * handler count must equal the iterations: the host checks it, so a lost
 * or extra interrupt fails the run instead of skewing the number.
 */
#include "bench.h"
/* A(): the guest address of a label (the macros of guest.inc use it) */
#define A(x)	(BENCH_LOAD_ADDR + (x) - bench_apic_start)
#include "guest.inc"

	.code16
	.text
	.globl bench_apic_start, bench_apic_end
bench_apic_start:
	cli
	mov	%esi, %ebp
	ivt_set	VEC_SPURIOUS, irq_spurious
	ivt_set	VEC_SELF, irq_self
	ivt_set	VEC_TIMER, irq_timer
	apic_enable

	/*
	 * self-IPI: ICR write, delivery, handler, EOI. The interrupt need not
	 * arrive before the next instruction (SDM 11.6 makes no such promise):
	 * wait for the handler, or two IPIs could merge in one IRR bit.
	 */
	bench_begin
	xor	%ecx, %ecx
	sti
1:	movl	$(APIC_ICR_SELF | VEC_SELF), %fs:APIC_ICR
	inc	%ecx
2:	cmp	%ecx, A(self_count)
	jne	2b
	dec	%esi
	jnz	1b
	cli
	bench_end
	report_var self_count

	/*
	 * LAPIC timer, one-shot (SDM 11.5.4): arm with IF=0, then STI; HLT so
	 * that an expiry before the HLT still wakes it (STI blocking covers HLT).
	 */
	movl	$VEC_TIMER, %fs:APIC_LVTT
	movl	$APIC_TDCR_DIV1, %fs:APIC_TDCR
	bench_begin
2:	movl	$BENCH_TIMER_COUNT, %fs:APIC_TMICT
	sti
	hlt
	cli
	dec	%esi
	jnz	2b
	bench_end
	report_var timer_count

	/* placement: a LAPIC register write the kernel handles ... */
	bench_begin
3:	movl	$0, %fs:APIC_TPR
	dec	%esi
	jnz	3b
	bench_end

	/* ... one that no hardware assist virtualizes (divide config) ... */
	bench_begin
4:	movl	$APIC_TDCR_DIV1, %fs:APIC_TDCR
	dec	%esi
	jnz	4b
	bench_end

	/* ... and the same MMIO write to a page only userspace answers */
	bench_begin
5:	movl	%eax, %gs:0
	dec	%esi
	jnz	5b
	bench_end

	bench_done

irq_self:
	incl	A(self_count)
	movl	$0, %fs:APIC_EOI
	iret
irq_timer:
	incl	A(timer_count)
	movl	$0, %fs:APIC_EOI
	iret
irq_spurious:
	iret

	.balign	4
self_count:	.long 0
timer_count:	.long 0
bench_apic_end:
	.section .note.GNU-stack,"",@progbits
