/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two-vCPU workloads, real mode at BENCH_LOAD_ADDR, both vCPUs running
 * this image (vCPU 1 from bench_ipi_ap, started by the host when vCPU 0
 * asks). Reports, in this order: ping-pong cycles (N round trips) and the
 * count of pings vCPU 1 took; then the HLT-to-wake sum of cycles over the
 * samples that found vCPU 1 in HLT, the number of those samples, the
 * number of all samples and of samples with a negative or >= 2^32 delta.
 */
#include "bench.h"
/* A(): the guest address of a label (the macros of guest.inc use it) */
#define A(x)	(BENCH_LOAD_ADDR + (x) - bench_ipi_start)
#include "guest.inc"

	.code16
	.text
	.globl bench_ipi_start, bench_ipi_end, bench_ipi_ap
bench_ipi_start:
	cli
	mov	%esi, %ebp
	ivt_set	VEC_SPURIOUS, irq_spurious
	ivt_set	VEC_TIMER, bsp_timer
	ivt_set	VEC_PONG, bsp_pong
	ivt_set	VEC_PING, ap_ping
	ivt_set	VEC_WAKE, ap_wake
	apic_enable
	movl	$VEC_TIMER, %fs:APIC_LVTT
	movl	$APIC_TDCR_DIV1, %fs:APIC_TDCR
	/* every IPI of vCPU 0 goes to APIC ID 1 (physical destination, SDM 11.6.2.1) */
	movl	$(1 << 24), %fs:APIC_ICR_HIGH
	mov	$BENCH_PORT_START_AP, %dx
	outb	%al, %dx
	/* sleep until vCPU 1 is ready: it may share the one host CPU with us */
6:	movl	$BENCH_SLEEP_COUNT, %fs:APIC_TMICT
	sti
	hlt
	cli
	cmpb	$0, A(ap_ready)
	je	6b

	/* ping-pong: vCPU 0 sends PING and sleeps; vCPU 1's handler sends PONG */
	bench_begin
1:	movb	$0, A(pong)
	movl	$VEC_PING, %fs:APIC_ICR
2:	sti
	hlt
	cli
	cmpb	$0, A(pong)
	je	2b
	dec	%esi
	jnz	1b
	bench_end
	report_var ping_count

	/* HLT-to-wake: TSC before the ICR write, read again in vCPU 1's handler */
	mov	%ebp, %esi
3:	movb	$0, A(pong)
	rdtsc
	mov	%eax, A(t0)
	mov	%edx, A(t0 + 4)
	movl	$VEC_WAKE, %fs:APIC_ICR
4:	sti
	hlt
	cli
	cmpb	$0, A(pong)
	je	4b
	/*
	 * Sleep (LAPIC timer) before the next sample: vCPU 1's thread may
	 * still be on its way back to HLT, and it can only get there while
	 * we do not hold the host CPU.
	 */
	movl	$BENCH_SLEEP_COUNT, %fs:APIC_TMICT
	sti
	hlt
	cli
	dec	%esi
	jnz	3b
	report_var wake_sum
	report_var wake_halted
	report_var wake_count
	report_var wake_bad
	bench_done

bsp_timer:
	movl	$0, %fs:APIC_EOI
	iret
bsp_pong:
	movb	$1, A(pong)
	movl	$0, %fs:APIC_EOI
	iret
irq_spurious:
	iret

/* vCPU 1: its own LAPIC (ICR high stays 0: replies go to APIC ID 0) */
bench_ipi_ap:
	apic_enable
	movb	$1, A(ap_ready)
	sti
ap_idle:
	hlt
ap_woke:
	jmp	ap_idle

/*
 * Both handlers return to ap_idle, never to where they interrupted: so an
 * interrupt whose saved IP is ap_woke came out of HLT, and one that shows
 * ap_idle found vCPU 1 not yet halted (not a HLT-to-wake sample).
 */
ap_ping:
	incl	A(ping_count)
	push	%bp
	mov	%sp, %bp
	movw	$A(ap_idle), 2(%bp)
	pop	%bp
	movl	$0, %fs:APIC_EOI
	movl	$VEC_PONG, %fs:APIC_ICR
	iret

ap_wake:
	push	%eax
	push	%edx
	push	%bp
	rdtsc
	sub	A(t0), %eax
	sbb	A(t0 + 4), %edx
	incl	A(wake_count)
	mov	%sp, %bp
	test	%edx, %edx
	jz	1f
	incl	A(wake_bad)
	jmp	2f
1:	cmpw	$A(ap_woke), 10(%bp)	/* saved IP above BP, EDX, EAX */
	jne	2f
	add	%eax, A(wake_sum)
	incl	A(wake_halted)
2:	movw	$A(ap_idle), 10(%bp)
	movl	$0, %fs:APIC_EOI
	movl	$VEC_PONG, %fs:APIC_ICR
	pop	%bp
	pop	%edx
	pop	%eax
	iret

	.balign	8
t0:		.quad 0
ping_count:	.long 0
wake_sum:	.long 0
wake_halted:	.long 0
wake_count:	.long 0
wake_bad:	.long 0
ap_ready:	.byte 0
pong:		.byte 0
bench_ipi_end:
	.section .note.GNU-stack,"",@progbits
