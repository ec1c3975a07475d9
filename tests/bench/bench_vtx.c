// SPDX-License-Identifier: GPL-2.0
/* The vtx client of the benchmark: same guests, same protocol as bench_kvm.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "uapi/vtx.h"
#include "bench.h"

struct vtx_state {
	int dev, vm, nr;
	int vcpu[BENCH_MAX_VCPUS];
	struct vtx_run *run[BENCH_MAX_VCPUS];
};

static struct vtx_state vs = { .dev = -1, .vm = -1 };

static void real_mode_seg(struct vtx_segment *s, unsigned int type, uint64_t base)
{
	*s = (struct vtx_segment){ .base = base, .limit = 0xffff, .selector = 0,
				   .type = type, .present = 1, .s = 1 };
}

static int vtx_setup_vcpu(int id, const struct bench_vcpu_init *init)
{
	struct vtx_regs regs = { .rip = init->ip, .rsp = init->sp, .rsi = init->esi,
				 .rflags = 2 };
	struct vtx_mp_state mp = { .state = VTX_MP_RUNNABLE };
	struct vtx_sregs s;
	int fd;

	fd = ioctl(vs.vm, VTX_CREATE_VCPU, id);
	if (fd < 0)
		return perror("bench: VTX_CREATE_VCPU"), -1;
	vs.vcpu[id] = fd;
	vs.nr = id + 1;
	vs.run[id] = mmap(NULL, VTX_RUN_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (vs.run[id] == MAP_FAILED) {
		vs.run[id] = NULL;
		return perror("bench: mmap vtx run page"), -1;
	}
	if (ioctl(fd, VTX_GET_SREGS, &s) < 0)
		return perror("bench: VTX_GET_SREGS"), -1;
	real_mode_seg(&s.cs, 0xb, 0);
	real_mode_seg(&s.ds, 3, 0);
	real_mode_seg(&s.es, 3, 0);
	real_mode_seg(&s.ss, 3, 0);
	real_mode_seg(&s.fs, 3, BENCH_LAPIC_GPA);
	real_mode_seg(&s.gs, 3, BENCH_NODEV_GPA);
	s.cr0 &= ~1ULL;
	if (ioctl(fd, VTX_SET_SREGS, &s) < 0 || ioctl(fd, VTX_SET_REGS, &regs) < 0)
		return perror("bench: VTX_SET_(S)REGS"), -1;
	/* APs wait for INIT-SIPI; start this one directly at its own entry. */
	if (ioctl(fd, VTX_SET_MP_STATE, &mp) < 0)
		return perror("bench: VTX_SET_MP_STATE"), -1;
	return 0;
}

static int vtx_setup(struct bench_hv *hv, void *mem, size_t size,
		     const struct bench_vcpu_init *init, int nr)
{
	struct vtx_memory_region r = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = size,
		.userspace_addr = (uintptr_t)mem,
	};
	int i;

	(void)hv;
	vs.dev = open(VTX_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (vs.dev < 0)
		return perror("bench: " VTX_DEVICE_PATH), -1;
	/* The irqchip (LAPIC per vCPU, IOAPIC, PIC, PIT) comes with every vtx VM. */
	vs.vm = ioctl(vs.dev, VTX_CREATE_VM, 0);
	if (vs.vm < 0)
		return perror("bench: VTX_CREATE_VM"), -1;
	if (ioctl(vs.vm, VTX_SET_MEMORY_REGION, &r) < 0)
		return perror("bench: VTX_SET_MEMORY_REGION"), -1;
	for (i = 0; i < nr; i++)
		if (vtx_setup_vcpu(i, &init[i]))
			return -1;
	return 0;
}

static int vtx_run(struct bench_hv *hv, int vcpu, uint16_t *port, uint32_t *value)
{
	struct vtx_run *run = vs.run[vcpu];

	(void)hv;
	for (;;) {
		if (ioctl(vs.vcpu[vcpu], VTX_RUN, 0) < 0) {
			if (errno == EINTR)
				continue;
			return perror("bench: VTX_RUN"), -1;
		}
		switch (run->exit_reason) {
		case VTX_EXIT_IO:
			*port = run->io.port;
			*value = 0;
			memcpy(value, (char *)run + run->io.data_offset, run->io.size);
			return 0;
		case VTX_EXIT_MMIO:
			/* The no-device page: drop writes, reads float high. */
			if (!run->mmio.is_write)
				memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
			continue;
		case VTX_EXIT_HLT:
			return 1;
		case VTX_EXIT_KICK:
			return 2;
		default:
			fprintf(stderr, "bench: vCPU %d: unexpected vtx exit %u (hw reason %llu)\n",
				vcpu, run->exit_reason, (unsigned long long)run->hw_exit_reason);
			return -1;
		}
	}
}

/* VTX_KICK is sticky: a VTX_RUN that has not started yet returns at once too. */
static void vtx_stop(struct bench_hv *hv, int vcpu)
{
	(void)hv;
	if (ioctl(vs.vcpu[vcpu], VTX_KICK, 0) < 0)
		perror("bench: VTX_KICK");
}

static void vtx_teardown(struct bench_hv *hv)
{
	int i;

	(void)hv;
	for (i = 0; i < vs.nr; i++) {
		if (vs.run[i])
			munmap(vs.run[i], VTX_RUN_SIZE);
		close(vs.vcpu[i]);
	}
	if (vs.vm >= 0)
		close(vs.vm);
	if (vs.dev >= 0)
		close(vs.dev);
	memset(&vs, 0, sizeof(vs));
	vs.dev = vs.vm = -1;
}

struct bench_hv bench_vtx = { "vtx", vtx_setup, vtx_run, vtx_stop, vtx_teardown };
