/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTX_BENCH_H
#define _VTX_BENCH_H

/*
 * Guest <-> host protocol, the same under vtx and KVM: a 4-byte OUT to
 * RESULT reports one number, OUT to DONE ends the guest (an in-kernel
 * irqchip sleeps on any HLT, so HLT cannot be the end signal), OUT to
 * START_AP asks the host to start the thread of vCPU 1.
 */
#define BENCH_PORT_RESULT	0x500
#define BENCH_PORT_NOP		0x501
#define BENCH_PORT_DONE		0x502
#define BENCH_PORT_START_AP	0x503

/*
 * Guest memory: RAM at 0-1 MiB (never over the xAPIC page), code at
 * LOAD_ADDR, the real-mode IVT at 0, one stack per vCPU. Every vCPU starts
 * in real mode with FS based at the xAPIC page and GS at a GPA no device
 * claims (both hypervisors exit to userspace for it): segment bases set by
 * the host, which a real-mode guest keeps while it does not reload FS/GS.
 */
#define BENCH_LOAD_ADDR		0x1000
#define BENCH_BSP_STACK		0x8000
#define BENCH_AP_STACK		0x7000
#define BENCH_LAPIC_GPA		0xfee00000
#define BENCH_NODEV_GPA		0xfed00000

#define BENCH_COMPUTE_ITERS	2000000
/* LAPIC one-shot initial count (divide by 1): the smallest both accept. */
#define BENCH_TIMER_COUNT	1
/* vCPU 0 sleeps this long (LAPIC counts) while vCPU 1 gets ready. */
#define BENCH_SLEEP_COUNT	100000

#ifdef __ASSEMBLER__
#include "compute.inc"
#else
#include <stdint.h>
#include <stddef.h>

/* The guest's compute loop run natively; returns TSC cycles. */
uint64_t bench_native_compute(void);

#define BENCH_MAX_VCPUS	2

/* Initial state of one vCPU: real mode, CS = 0. */
struct bench_vcpu_init {
	uint16_t ip, sp;
	uint32_t esi;		/* iteration count for the guest */
};

/*
 * One hypervisor backend: vtx or KVM, driven the same way. run() returns
 * 0 on an I/O exit (port and value filled), 1 if the guest halted with
 * IF=0, 2 if stop() ended it, -1 on error; MMIO exits (the no-device page)
 * are answered inside run() as a minimal device model would: writes are
 * dropped, reads return all ones. stop() may be called from any thread.
 */
struct bench_hv {
	const char *name;
	/* VM with in-kernel irqchip, mem at GPA 0, @nr vCPUs all runnable */
	int (*setup)(struct bench_hv *hv, void *mem, size_t size,
		     const struct bench_vcpu_init *init, int nr);
	int (*run)(struct bench_hv *hv, int vcpu, uint16_t *port, uint32_t *value);
	void (*stop)(struct bench_hv *hv, int vcpu);
	void (*teardown)(struct bench_hv *hv);
};

extern struct bench_hv bench_vtx, bench_kvm;

/* Guest images (16-bit code loaded at BENCH_LOAD_ADDR). */
extern const char bench_guest_start[], bench_guest_end[];
extern const char bench_apic_start[], bench_apic_end[];
extern const char bench_ipi_start[], bench_ipi_end[], bench_ipi_ap[];
#endif
#endif
