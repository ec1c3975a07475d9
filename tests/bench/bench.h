/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTX_BENCH_H
#define _VTX_BENCH_H

#define BENCH_PORT_RESULT	0x500
#define BENCH_PORT_NOP		0x501
#define BENCH_LOAD_ADDR		0x1000
#define BENCH_COMPUTE_ITERS	2000000

#ifdef __ASSEMBLER__
#include "compute.inc"
#else
#include <stdint.h>
#include <stddef.h>

extern const char bench_guest_start[], bench_guest_end[];

/* The guest's compute loop run natively; returns TSC cycles. */
uint64_t bench_native_compute(void);

enum { BENCH_CPUID, BENCH_IO, BENCH_COMPUTE, BENCH_NR };

/* One hypervisor backend: vtx or KVM, driven the same way. */
struct bench_hv {
	const char *name;
	/* create VM + vCPU with mem at GPA 0, guest code copied in, real mode */
	int (*setup)(struct bench_hv *hv, void *mem, size_t size, uint32_t iters);
	/* run until the next exit; fills port and value of an I/O exit; 1 = halted */
	int (*run)(struct bench_hv *hv, uint16_t *port, uint32_t *value);
	void (*teardown)(struct bench_hv *hv);
	void *priv;
};

extern struct bench_hv bench_vtx, bench_kvm;
#endif
#endif
