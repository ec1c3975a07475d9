/* SPDX-License-Identifier: GPL-2.0 */
/* The guest's compute loop run natively: uint64_t bench_native_compute(void) */
#include "bench.h"

	.code64
	.text
	.globl bench_native_compute
bench_native_compute:
	push	%rbx
	rdtsc
	shl	$32, %rdx
	or	%rax, %rdx
	mov	%rdx, %r8
	bench_compute_loop
	rdtsc
	shl	$32, %rdx
	or	%rdx, %rax
	sub	%r8, %rax
	pop	%rbx
	ret
	.section .note.GNU-stack,"",@progbits
