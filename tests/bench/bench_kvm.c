// SPDX-License-Identifier: GPL-2.0
/* A tiny KVM client: the same guests under Linux's kvm-intel, for comparison. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>
#include "bench.h"

struct kvm_state {
	int kvm, vm, nr;
	int vcpu[BENCH_MAX_VCPUS];
	struct kvm_run *run[BENCH_MAX_VCPUS];
	size_t run_size;
};

static struct kvm_state ks = { .kvm = -1, .vm = -1 };

static void real_mode_seg(struct kvm_segment *s, uint64_t base)
{
	s->base = base;
	s->selector = 0;
	s->limit = 0xffff;
}

static int kvm_setup_vcpu(int id, const struct bench_vcpu_init *init)
{
	struct kvm_regs regs = { .rip = init->ip, .rsp = init->sp, .rsi = init->esi,
				 .rflags = 2 };
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };
	struct kvm_sregs s;
	int fd;

	fd = ioctl(ks.vm, KVM_CREATE_VCPU, id);
	if (fd < 0)
		return perror("bench: KVM_CREATE_VCPU"), -1;
	ks.vcpu[id] = fd;
	ks.nr = id + 1;
	ks.run[id] = mmap(NULL, ks.run_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (ks.run[id] == MAP_FAILED) {
		ks.run[id] = NULL;
		return perror("bench: mmap kvm_run"), -1;
	}
	if (ioctl(fd, KVM_GET_SREGS, &s) < 0)
		return perror("bench: KVM_GET_SREGS"), -1;
	/* Reset state is real mode; only CS (F000:FFF0 at reset) and FS/GS change. */
	real_mode_seg(&s.cs, 0);
	real_mode_seg(&s.fs, BENCH_LAPIC_GPA);
	real_mode_seg(&s.gs, BENCH_NODEV_GPA);
	if (ioctl(fd, KVM_SET_SREGS, &s) < 0 || ioctl(fd, KVM_SET_REGS, &regs) < 0)
		return perror("bench: KVM_SET_(S)REGS"), -1;
	/* With an in-kernel LAPIC, APs start uninitialized (waiting for INIT-SIPI). */
	if (ioctl(fd, KVM_SET_MP_STATE, &mp) < 0)
		return perror("bench: KVM_SET_MP_STATE"), -1;
	return 0;
}

static int kvm_setup(struct bench_hv *hv, void *mem, size_t size,
		     const struct bench_vcpu_init *init, int nr)
{
	struct kvm_userspace_memory_region r = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = size,
		.userspace_addr = (uintptr_t)mem,
	};
	int i;

	(void)hv;
	ks.kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (ks.kvm < 0)
		return perror("bench: /dev/kvm"), -1;
	ks.vm = ioctl(ks.kvm, KVM_CREATE_VM, 0);
	if (ks.vm < 0)
		return perror("bench: KVM_CREATE_VM"), -1;
	if (ioctl(ks.vm, KVM_SET_USER_MEMORY_REGION, &r) < 0)
		return perror("bench: KVM_SET_USER_MEMORY_REGION"), -1;
	/* In-kernel LAPIC/IOAPIC/PIC like vtx's; must precede the vCPUs. */
	if (ioctl(ks.vm, KVM_CREATE_IRQCHIP, 0) < 0)
		return perror("bench: KVM_CREATE_IRQCHIP"), -1;
	ks.run_size = ioctl(ks.kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	for (i = 0; i < nr; i++)
		if (kvm_setup_vcpu(i, &init[i]))
			return -1;
	return 0;
}

static int kvm_run(struct bench_hv *hv, int vcpu, uint16_t *port, uint32_t *value)
{
	struct kvm_run *run = ks.run[vcpu];

	(void)hv;
	for (;;) {
		if (ioctl(ks.vcpu[vcpu], KVM_RUN, 0) < 0) {
			/* stop(): a signal, or immediate_exit if it came before KVM_RUN */
			if (errno == EINTR && run->immediate_exit)
				return 2;
			if (errno == EINTR)
				continue;
			return perror("bench: KVM_RUN"), -1;
		}
		switch (run->exit_reason) {
		case KVM_EXIT_IO:
			*port = run->io.port;
			*value = 0;
			memcpy(value, (char *)run + run->io.data_offset, run->io.size);
			return 0;
		case KVM_EXIT_MMIO:
			/* The no-device page: drop writes, reads float high. */
			if (!run->mmio.is_write)
				memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
			continue;
		case KVM_EXIT_HLT:
			return 1;
		case KVM_EXIT_INTR:
			if (run->immediate_exit)
				return 2;
			continue;
		default:
			fprintf(stderr, "bench: vCPU %d: unexpected KVM exit %u\n", vcpu,
				run->exit_reason);
			return -1;
		}
	}
}

/*
 * immediate_exit covers a KVM_RUN not yet entered; the caller's signal
 * (bench.c sends SIGUSR1 to the vCPU thread) covers one already running.
 */
static void kvm_stop(struct bench_hv *hv, int vcpu)
{
	(void)hv;
	__atomic_store_n(&ks.run[vcpu]->immediate_exit, 1, __ATOMIC_SEQ_CST);
}

static void kvm_teardown(struct bench_hv *hv)
{
	int i;

	(void)hv;
	for (i = 0; i < ks.nr; i++) {
		if (ks.run[i])
			munmap(ks.run[i], ks.run_size);
		close(ks.vcpu[i]);
	}
	if (ks.vm >= 0)
		close(ks.vm);
	if (ks.kvm >= 0)
		close(ks.kvm);
	memset(&ks, 0, sizeof(ks));
	ks.kvm = ks.vm = -1;
}

struct bench_hv bench_kvm = { "kvm", kvm_setup, kvm_run, kvm_stop, kvm_teardown };
