// SPDX-License-Identifier: GPL-2.0
/*
 * bad_ioctls: every malformed request gets a clear errno and changes
 * nothing: bad pointers -> EFAULT, misaligned / out-of-range / overflowing
 * memory regions and unknown flags -> EINVAL, overlapping slots -> EEXIST
 * (or EINVAL), bad or duplicate vCPU ids -> EINVAL/EEXIST, an ioctl on the
 * wrong kind of fd -> ENOTTY, a bad mmap of the run page -> EINVAL.
 */
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "vtx_util.h"

#define MEM_SIZE	(4ul << 20)

static void expect(int ret, int err1, int err2, const char *what)
{
	int err = errno;

	if (ret == -1 && (err == err1 || err == err2)) {
		ksft_test_result_pass("%s -> %s", what, strerror(err));
		return;
	}
	ksft_print_msg("%s: ret %d errno %d (%s)\n", what, ret, ret == -1 ? err : 0,
		       ret == -1 ? strerror(err) : "-");
	ksft_test_result_fail("%s -> %s", what, strerror(err1));
}

static int set_region(int vm, uint32_t slot, uint32_t flags, uint64_t gpa, uint64_t size,
		      uint64_t uaddr)
{
	struct vtx_memory_region r = { slot, flags, gpa, size, uaddr };

	return ioctl(vm, VTX_SET_MEMORY_REGION, &r);
}

int main(void)
{
	struct vtx_regs regs;
	struct vtx_sregs sregs;
	uint64_t mem;
	int dev, vm, vcpu;
	void *p, *noaccess;

	ksft_print_header();
	dev = vtx_open_dev();
	ksft_set_plan(25);

	noaccess = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(p != MAP_FAILED && noaccess != MAP_FAILED, "mmap");
	mem = (uintptr_t)p;

	vm = ioctl(dev, VTX_CREATE_VM, 0);
	TEST_ASSERT(vm >= 0, "VTX_CREATE_VM");

	/* memory regions */
	expect(ioctl(vm, VTX_SET_MEMORY_REGION, NULL), EFAULT, 0, "SET_MEMORY_REGION(NULL)");
	expect(ioctl(vm, VTX_SET_MEMORY_REGION, noaccess), EFAULT, 0,
	       "SET_MEMORY_REGION(unreadable)");
	expect(set_region(vm, 0, 0, 0x1800, 0x1000, mem), EINVAL, 0, "unaligned guest_phys_addr");
	expect(set_region(vm, 0, 0, 0, 0x1800, mem), EINVAL, 0, "unaligned memory_size");
	expect(set_region(vm, 0, 0, 0, 0x1000, mem + 8), EINVAL, 0, "unaligned userspace_addr");
	expect(set_region(vm, VTX_MAX_MEM_SLOTS, 0, 0, 0x1000, mem), EINVAL, 0,
	       "slot == VTX_MAX_MEM_SLOTS");
	expect(set_region(vm, 0xffffffff, 0, 0, 0x1000, mem), EINVAL, 0, "slot 0xffffffff");
	expect(set_region(vm, 0, 1u << 31, 0, 0x1000, mem), EINVAL, 0, "unknown flag");
	expect(set_region(vm, 0, 0, 0xfffffffffffff000ull, 0x2000, mem), EINVAL, 0,
	       "guest_phys_addr + memory_size overflows");
	expect(set_region(vm, 0, 0, 0, 1ull << 62, mem), EINVAL, EFAULT, "huge memory_size");
	expect(set_region(vm, 0, 0, 0, 0x1000, 0xffff800000000000ull), EINVAL, EFAULT,
	       "kernel userspace_addr");
	ksft_test_result(!set_region(vm, 0, 0, 0, 2ul << 20, mem), "slot 0 [0, 2 MiB)");
	expect(set_region(vm, 1, 0, 1ul << 20, 2ul << 20, mem + (2ul << 20)), EEXIST, EINVAL,
	       "slot 1 overlapping slot 0");
	ksft_test_result(!set_region(vm, 1, 0, 2ul << 20, 2ul << 20, mem + (2ul << 20)),
			 "slot 1 [2 MiB, 4 MiB) next to slot 0");

	/* vCPUs */
	expect(ioctl(vm, VTX_CREATE_VCPU, 4096ul), EINVAL, 0, "vCPU id 4096");
	expect(ioctl(vm, VTX_CREATE_VCPU, ~0ul), EINVAL, 0, "vCPU id ~0");
	vcpu = ioctl(vm, VTX_CREATE_VCPU, 0ul);
	TEST_ASSERT(vcpu >= 0, "VTX_CREATE_VCPU 0");
	expect(ioctl(vm, VTX_CREATE_VCPU, 0ul), EEXIST, EINVAL, "duplicate vCPU id 0");

	/* state ioctls */
	expect(ioctl(vcpu, VTX_GET_REGS, NULL), EFAULT, 0, "GET_REGS(NULL)");
	expect(ioctl(vcpu, VTX_SET_REGS, noaccess), EFAULT, 0, "SET_REGS(unreadable)");
	expect(ioctl(vcpu, VTX_GET_SREGS, (void *)0xffff888000000000ull), EFAULT, 0,
	       "GET_SREGS(kernel address)");
	expect(ioctl(vcpu, VTX_SET_SREGS, NULL), EFAULT, 0, "SET_SREGS(NULL)");

	/* wrong kind of fd */
	expect(ioctl(vm, VTX_RUN, 0), ENOTTY, 0, "VTX_RUN on a VM fd");
	expect(ioctl(vcpu, VTX_SET_MEMORY_REGION, &regs), ENOTTY, 0,
	       "SET_MEMORY_REGION on a vCPU fd");
	expect(ioctl(vm, VTX_GET_CAPS, &sregs), ENOTTY, 0, "GET_CAPS on a VM fd");

	/* run page: one page at offset 0 only */
	expect(mmap(NULL, VTX_RUN_SIZE, PROT_READ, MAP_SHARED, vcpu, 4096) == MAP_FAILED ? -1 : 0,
	       EINVAL, ENXIO, "mmap of the vCPU fd at offset 4096");

	close(vcpu);
	close(vm);
	close(dev);
	ksft_finished();
}
