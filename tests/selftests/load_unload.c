// SPDX-License-Identifier: GPL-2.0
/*
 * load_unload: vtx.ko can be loaded, used (VMX on, a VM with memory and a
 * vCPU) and unloaded many times without leaking kernel memory or leaving
 * the module behind.
 *
 * Leak threshold: after warm-up cycles, "used" memory (MemTotal - MemFree,
 * after dropping caches) may grow by at most LEAK_LIMIT_KIB over CYCLES
 * cycles. What a leak costs per cycle: a VMXON region 4 KiB per CPU, a VM
 * (EPT root + tables, struct vtx_vm) >= 12 KiB, a vCPU (VMCS, run page, MSR
 * and I/O bitmaps if per vCPU) >= 8 KiB, the module image itself (vmalloc)
 * tens of KiB. Any leaked VM/vCPU or module therefore exceeds 20 x 20 KiB
 * = 400 KiB; the limit leaves room for the per-CPU page lists (a few hundred
 * KiB of free pages that MemFree does not count), which is also why both
 * ends of the measurement take the minimum of several samples. Unreclaimable
 * slab (kmalloc'd objects) gets its own, tighter limit.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "vtx_util.h"

#define CYCLES		20
#define WARMUP		2
#define SAMPLES		3	/* per end of the measurement */
#define LEAK_LIMIT_KIB	512
#define SLAB_LIMIT_KIB	192
#define GUEST_MEM	(2ul << 20)

struct mem_sample {
	long used, sunreclaim, vmalloc;
};

static struct mem_sample mem_sample(void)
{
	struct mem_sample s;

	s.used = mem_used_kib();
	s.sunreclaim = meminfo_kib("SUnreclaim");
	s.vmalloc = meminfo_kib("VmallocUsed");
	return s;
}

static void sample_min(struct mem_sample *acc, struct mem_sample s)
{
	if (!acc->used || s.used < acc->used)
		acc->used = s.used;
	if (!acc->sunreclaim || s.sunreclaim < acc->sunreclaim)
		acc->sunreclaim = s.sunreclaim;
	if (!acc->vmalloc || s.vmalloc < acc->vmalloc)
		acc->vmalloc = s.vmalloc;
}

/*
 * One use of the loaded module: VMX on, a VM with a memory slot and a vCPU
 * whose run page is mapped, then everything released. 0 or a step name.
 */
static const char *use_module(void)
{
	struct vtx_memory_region region = { .slot = 0, .memory_size = GUEST_MEM };
	struct vtx_caps caps;
	const char *fail = NULL;
	int dev, vm = -1, vcpu = -1;
	void *mem, *run = MAP_FAILED;

	dev = open(VTX_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (dev < 0)
		return "open /dev/vtx";
	mem = mmap(NULL, GUEST_MEM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		close(dev);
		return "mmap guest memory";
	}
	memset(mem, 0x5a, GUEST_MEM);
	region.userspace_addr = (unsigned long)mem;

	fail = "VTX_ENABLE_VMX";
	if (ioctl(dev, VTX_ENABLE_VMX, 0))
		goto out;
	fail = "caps show VMX on";
	if (vtx_get_caps(dev, &caps) || !(caps.flags & VTX_CAPS_VMX_ON) ||
	    caps.vmx_on_cpus != online_cpus())
		goto out;
	fail = "VTX_CREATE_VM";
	vm = ioctl(dev, VTX_CREATE_VM, 0);
	if (vm < 0)
		goto out;
	fail = "VTX_SET_MEMORY_REGION";
	if (ioctl(vm, VTX_SET_MEMORY_REGION, &region))
		goto out;
	fail = "VTX_CREATE_VCPU";
	vcpu = ioctl(vm, VTX_CREATE_VCPU, 0);
	if (vcpu < 0)
		goto out;
	fail = "mmap vCPU run page";
	run = mmap(NULL, VTX_RUN_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		goto out;
	fail = NULL;
out:
	if (fail)
		ksft_print_msg("%s failed: %s\n", fail, strerror(errno));
	if (run != MAP_FAILED)
		munmap(run, VTX_RUN_SIZE);
	if (vcpu >= 0)
		close(vcpu);
	if (vm >= 0)
		close(vm);
	close(dev);
	munmap(mem, GUEST_MEM);
	return fail;
}

/* insmod, use, rmmod; returns the failing step or NULL. */
static const char *cycle(void)
{
	const char *fail;
	int ret;

	ret = module_load(VTX_MODULE_PATH, NULL);
	if (ret) {
		errno = -ret;
		ksft_print_msg("insmod %s: %s\n", VTX_MODULE_PATH, strerror(errno));
		return "insmod";
	}
	fail = use_module();
	ret = module_unload("vtx");
	if (ret) {
		ksft_print_msg("rmmod vtx: %s (refcnt %ld)\n", strerror(-ret),
			       module_refcnt("vtx"));
		return fail ?: "rmmod";
	}
	if (module_loaded("vtx"))
		return fail ?: "vtx still in /proc/modules after rmmod";
	return fail;
}

int main(void)
{
	struct mem_sample first = { 0 }, last = { 0 }, s;
	const char *fail = NULL;
	int i, ret, failed_at = -1;
	long d_used, d_slab, d_vmalloc;

	ksft_print_header();
	if (access(VTX_MODULE_PATH, R_OK))
		ksft_exit_skip("%s: %s", VTX_MODULE_PATH, strerror(errno));
	ksft_set_plan(4);

	if (module_loaded("vtx")) {
		ret = module_unload("vtx");
		ksft_test_result(!ret, "initial rmmod vtx (%s)", ret ? strerror(-ret) : "ok");
		if (ret)
			ksft_exit_fail_msg("vtx cannot be unloaded; refcnt %ld",
					   module_refcnt("vtx"));
	} else {
		ksft_test_result_pass("vtx not loaded at start");
	}

	for (i = 0; i < WARMUP + CYCLES && !fail; i++) {
		fail = cycle();
		if (fail) {
			failed_at = i;
			break;
		}
		s = mem_sample();
		if (i >= WARMUP && i < WARMUP + SAMPLES)
			sample_min(&first, s);
		if (i >= WARMUP + CYCLES - SAMPLES)
			sample_min(&last, s);
		ksft_print_msg("cycle %2d: used %ld KiB, SUnreclaim %ld KiB, VmallocUsed %ld KiB\n",
			       i, s.used, s.sunreclaim, s.vmalloc);
	}
	ksft_test_result(!fail, "%d cycles of insmod, VMX on, VM + vCPU, rmmod%s%s",
			 WARMUP + CYCLES, fail ? ": failed at " : "", fail ?: "");
	if (fail) {
		ksft_print_msg("failed in cycle %d\n", failed_at);
		ksft_test_result_skip("cycles did not complete", "memory growth");
		ksft_test_result_skip("cycles did not complete", "slab growth");
		ksft_finished();
	}

	d_used = last.used - first.used;
	d_slab = last.sunreclaim - first.sunreclaim;
	d_vmalloc = last.vmalloc - first.vmalloc;
	ksft_print_msg("over %d cycles: used %+ld KiB, SUnreclaim %+ld KiB, VmallocUsed %+ld KiB\n",
		       CYCLES - SAMPLES, d_used, d_slab, d_vmalloc);
	ksft_test_result(d_used < LEAK_LIMIT_KIB, "memory growth %ld KiB < %d KiB", d_used,
			 LEAK_LIMIT_KIB);
	ksft_test_result(d_slab < SLAB_LIMIT_KIB, "unreclaimable slab growth %ld KiB < %d KiB",
			 d_slab, SLAB_LIMIT_KIB);
	ksft_finished();
}
