// SPDX-License-Identifier: GPL-2.0
/* The vtx client of the benchmark: same guest, same protocol as bench_kvm.c. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "uapi/vtx.h"
#include "bench.h"

struct vtx_state {
	int dev, vm, vcpu;
	struct vtx_run *run;
};

static struct vtx_state vs = { -1, -1, -1, NULL };

static void real_mode_seg(struct vtx_segment *s, unsigned int type)
{
	*s = (struct vtx_segment){ .base = 0, .limit = 0xffff, .selector = 0,
				   .type = type, .present = 1, .s = 1 };
}

static int vtx_setup(struct bench_hv *hv, void *mem, size_t size, uint32_t iters)
{
	struct vtx_memory_region r = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = size,
		.userspace_addr = (uintptr_t)mem,
	};
	struct vtx_sregs s;
	struct vtx_regs regs = { .rip = BENCH_LOAD_ADDR, .rsi = iters, .rflags = 2 };

	vs.dev = open(VTX_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (vs.dev < 0)
		return perror("bench: " VTX_DEVICE_PATH), -1;
	vs.vm = ioctl(vs.dev, VTX_CREATE_VM, 0);
	if (vs.vm < 0)
		return perror("bench: VTX_CREATE_VM"), -1;
	if (ioctl(vs.vm, VTX_SET_MEMORY_REGION, &r) < 0)
		return perror("bench: VTX_SET_MEMORY_REGION"), -1;
	vs.vcpu = ioctl(vs.vm, VTX_CREATE_VCPU, 0);
	if (vs.vcpu < 0)
		return perror("bench: VTX_CREATE_VCPU"), -1;
	vs.run = mmap(NULL, VTX_RUN_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, vs.vcpu, 0);
	if (vs.run == MAP_FAILED)
		return perror("bench: mmap vtx run page"), -1;
	if (ioctl(vs.vcpu, VTX_GET_SREGS, &s) < 0)
		return perror("bench: VTX_GET_SREGS"), -1;
	real_mode_seg(&s.cs, 0xb);
	real_mode_seg(&s.ds, 3);
	real_mode_seg(&s.es, 3);
	real_mode_seg(&s.ss, 3);
	s.cr0 &= ~1ULL;
	if (ioctl(vs.vcpu, VTX_SET_SREGS, &s) < 0 || ioctl(vs.vcpu, VTX_SET_REGS, &regs) < 0)
		return perror("bench: VTX_SET_(S)REGS"), -1;
	(void)hv;
	return 0;
}

static int vtx_run(struct bench_hv *hv, uint16_t *port, uint32_t *value)
{
	(void)hv;
	if (ioctl(vs.vcpu, VTX_RUN, 0) < 0)
		return perror("bench: VTX_RUN"), -1;
	switch (vs.run->exit_reason) {
	case VTX_EXIT_IO:
		*port = vs.run->io.port;
		*value = 0;
		memcpy(value, (char *)vs.run + vs.run->io.data_offset, vs.run->io.size);
		return 0;
	case VTX_EXIT_HLT:
		return 1;
	default:
		fprintf(stderr, "bench: unexpected vtx exit %u (hw reason %llu)\n",
			vs.run->exit_reason, (unsigned long long)vs.run->hw_exit_reason);
		return -1;
	}
}

static void vtx_teardown(struct bench_hv *hv)
{
	(void)hv;
	if (vs.run)
		munmap(vs.run, VTX_RUN_SIZE);
	close(vs.vcpu);
	close(vs.vm);
	close(vs.dev);
	vs = (struct vtx_state){ -1, -1, -1, NULL };
}

struct bench_hv bench_vtx = { "vtx", vtx_setup, vtx_run, vtx_teardown, NULL };
