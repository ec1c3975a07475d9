// SPDX-License-Identifier: GPL-2.0
/* A tiny KVM client: the same guest under Linux's kvm-intel, for comparison. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>
#include "bench.h"

struct kvm_state {
	int kvm, vm, vcpu;
	struct kvm_run *run;
	size_t run_size;
};

static struct kvm_state ks = { -1, -1, -1, NULL, 0 };

static int kvm_setup(struct bench_hv *hv, void *mem, size_t size, uint32_t iters)
{
	struct kvm_userspace_memory_region r = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = size,
		.userspace_addr = (uintptr_t)mem,
	};
	struct kvm_sregs s;
	struct kvm_regs regs = { .rip = BENCH_LOAD_ADDR, .rsi = iters, .rflags = 2 };

	ks.kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (ks.kvm < 0)
		return perror("bench: /dev/kvm"), -1;
	ks.vm = ioctl(ks.kvm, KVM_CREATE_VM, 0);
	if (ks.vm < 0)
		return perror("bench: KVM_CREATE_VM"), -1;
	if (ioctl(ks.vm, KVM_SET_USER_MEMORY_REGION, &r) < 0)
		return perror("bench: KVM_SET_USER_MEMORY_REGION"), -1;
	ks.vcpu = ioctl(ks.vm, KVM_CREATE_VCPU, 0);
	if (ks.vcpu < 0)
		return perror("bench: KVM_CREATE_VCPU"), -1;
	ks.run_size = ioctl(ks.kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	ks.run = mmap(NULL, ks.run_size, PROT_READ | PROT_WRITE, MAP_SHARED, ks.vcpu, 0);
	if (ks.run == MAP_FAILED)
		return perror("bench: mmap kvm_run"), -1;
	if (ioctl(ks.vcpu, KVM_GET_SREGS, &s) < 0)
		return perror("bench: KVM_GET_SREGS"), -1;
	s.cs.base = 0;
	s.cs.selector = 0;
	if (ioctl(ks.vcpu, KVM_SET_SREGS, &s) < 0 || ioctl(ks.vcpu, KVM_SET_REGS, &regs) < 0)
		return perror("bench: KVM_SET_(S)REGS"), -1;
	(void)hv;
	return 0;
}

static int kvm_run(struct bench_hv *hv, uint16_t *port, uint32_t *value)
{
	(void)hv;
	for (;;) {
		if (ioctl(ks.vcpu, KVM_RUN, 0) < 0)
			return perror("bench: KVM_RUN"), -1;
		switch (ks.run->exit_reason) {
		case KVM_EXIT_IO:
			*port = ks.run->io.port;
			*value = 0;
			memcpy(value, (char *)ks.run + ks.run->io.data_offset, ks.run->io.size);
			return 0;
		case KVM_EXIT_HLT:
			return 1;
		default:
			fprintf(stderr, "bench: unexpected KVM exit %u\n", ks.run->exit_reason);
			return -1;
		}
	}
}

static void kvm_teardown(struct bench_hv *hv)
{
	(void)hv;
	if (ks.run)
		munmap(ks.run, ks.run_size);
	close(ks.vcpu);
	close(ks.vm);
	close(ks.kvm);
	ks = (struct kvm_state){ -1, -1, -1, NULL, 0 };
}

struct bench_hv bench_kvm = { "kvm", kvm_setup, kvm_run, kvm_teardown, NULL };
