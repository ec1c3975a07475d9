/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The benchmark guest: 16-bit real mode at 0x1000, identical under vtx and
 * under KVM. Each phase measures itself with RDTSC (which does not exit) and
 * reports the cycle count with a 4-byte OUT to BENCH_PORT_RESULT. The loop
 * count arrives in ESI from the host (so the host can run a warm-up first).
 * The interrupt workloads are in guest_apic.S and guest_ipi.S.
 */
#include "bench.h"

	.code16
	.text
	.globl bench_guest_start, bench_guest_end
bench_guest_start:
	mov	%esi, %ebp		/* iterations */

	/* phase 1: CPUID, handled in the kernel by both hypervisors */
	mov	%ebp, %esi
	rdtsc
	mov	%eax, %edi
1:	xor	%eax, %eax
	cpuid
	dec	%esi
	jnz	1b
	rdtsc
	sub	%edi, %eax
	mov	$BENCH_PORT_RESULT, %dx
	outl	%eax, %dx

	/* phase 2: OUT to a port the userspace device model handles */
	mov	%ebp, %esi
	rdtsc
	mov	%eax, %edi
	mov	$BENCH_PORT_NOP, %dx
2:	outb	%al, %dx
	dec	%esi
	jnz	2b
	rdtsc
	sub	%edi, %eax
	mov	$BENCH_PORT_RESULT, %dx
	outl	%eax, %dx

	/* phase 3: pure compute, no exits expected */
	rdtsc
	mov	%eax, %edi
	bench_compute_loop
	rdtsc
	sub	%edi, %eax
	mov	$BENCH_PORT_RESULT, %dx
	outl	%eax, %dx

	mov	$BENCH_PORT_DONE, %dx
	outb	%al, %dx
	cli
	hlt
bench_guest_end:
	.section .note.GNU-stack,"",@progbits
