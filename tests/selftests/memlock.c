// SPDX-License-Identifier: GPL-2.0
/*
 * memlock: guest pages vtx pins are charged to RLIMIT_MEMLOCK (README,
 * "Pinned guest memory").
 *
 * Without CAP_IPC_LOCK (dropped with capset, as root has it), a guest that
 * touches more memory than the limit leaves room for makes VTX_RUN fail
 * with ENOMEM and one kernel log line naming RLIMIT_MEMLOCK, without
 * pinning beyond the limit; under the limit it runs, and once the limit is
 * raised the same vCPU goes on where it stopped. Afterwards VmPin and vtx's
 * pinned-page counter are back where they started.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include "vm.h"
#include "vm_test.h"
#include "vtx_util.h"

#define T_SLOT		1
#define T_GPA		0x10000000ull	/* 256 MiB: above slot 0 */
#define T_SIZE		(32ull << 20)
#define HEADROOM	(4ull << 20)	/* the limit: what stage 1 pinned + this */

enum { S_WARM = 1, S_ALL };

static void guest_touch(uint64_t gpa, uint64_t size)
{
	uint64_t off;

	for (off = 0; off < size; off += VM_PAGE_SIZE)
		WRITE_ONCE(*(volatile uint64_t *)(uintptr_t)(gpa + off), gpa + off);
}

static void guest_code(void)
{
	guest_touch(T_GPA, VM_PAGE_SIZE);
	GUEST_SYNC(S_WARM);
	guest_touch(T_GPA, T_SIZE);
	GUEST_SYNC(S_ALL);
	GUEST_DONE();
}

/* VmPin of this process (mm->pinned_vm) in KiB, or -1. */
static long vmpin_kib(void)
{
	char line[128];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPin: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static void set_memlock(uint64_t cur)
{
	struct rlimit rl = { cur, RLIM_INFINITY };

	TEST_ASSERT(!setrlimit(RLIMIT_MEMLOCK, &rl), "setrlimit(RLIMIT_MEMLOCK, %llu)",
		    (unsigned long long)cur);
}

int main(void)
{
	static const char *const needles[] = { "RLIMIT_MEMLOCK", "ulimit -l", NULL };
	long pinned_start = vtx_pinned_pages(), pin0 = vmpin_kib(), base, pin_at_fail;
	struct test_vcpu *vcpu;
	struct test_vm *vm;
	struct ucall uc;
	int ret, err, logs;
	uint64_t limit;
	void *mem;

	vm = vm_test_start(&vcpu, guest_code, 5);
	mem = mmap(NULL, T_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(mem != MAP_FAILED, "mmap");
	TEST_ASSERT(!vm_set_memory_region(vm, T_SLOT, 0, T_GPA, T_SIZE, mem), "slot");
	TEST_ASSERT(!cap_drop(CAP_IPC_LOCK), "capset: drop CAP_IPC_LOCK");

	/* Generous limit: code, stack, page tables and one page of the slot. */
	set_memlock(64ull << 20);
	ksft_test_result(vcpu_run_to_stage(vcpu, S_WARM, &uc), "under RLIMIT_MEMLOCK the guest runs (VmPin %ld kB)",
			 vmpin_kib());
	base = vmpin_kib();
	limit = (uint64_t)base * 1024 + HEADROOM;
	set_memlock(limit);

	logs = klog_count("vtx: ", needles);
	ret = _vcpu_run(vcpu);
	err = errno;
	pin_at_fail = vmpin_kib();
	ksft_test_result(ret == -1 && err == ENOMEM && pin_at_fail * 1024 <= (long)limit,
			 "touching %llu MiB with %llu KiB left: VTX_RUN %d (%s), VmPin %ld kB <= limit %llu kB",
			 T_SIZE >> 20, HEADROOM >> 10, ret, ret ? strerror(err) : "no error",
			 pin_at_fail, (unsigned long long)limit >> 10);
	ksft_test_result(klog_count("vtx: ", needles) > logs,
			 "the kernel log names RLIMIT_MEMLOCK and ulimit -l");

	/* Raised, the same vCPU retries the faulting access and goes on. */
	set_memlock(RLIM_INFINITY);
	ksft_test_result(ret && vcpu_run_to_stage(vcpu, S_ALL, &uc),
			 "with the limit raised the guest touches all %llu MiB (VmPin %ld kB)",
			 T_SIZE >> 20, vmpin_kib());
	vcpu_free(vcpu);
	vm_free(vm);
	munmap(mem, T_SIZE);
	ksft_test_result(vtx_pinned_pages() == pinned_start && vmpin_kib() == pin0,
			 "afterwards pinned pages %ld (start %ld), VmPin %ld kB (start %ld)",
			 vtx_pinned_pages(), pinned_start, vmpin_kib(), pin0);
	ksft_finished();
}
