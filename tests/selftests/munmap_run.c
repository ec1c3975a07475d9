// SPDX-License-Identifier: GPL-2.0
/*
 * munmap_run: the host unmaps guest memory while a vCPU keeps writing it.
 *
 * vtx pins what EPT maps and does not follow later changes of the mapping
 * (README, "Pinned guest memory"): after munmap or MADV_DONTNEED of a
 * slot's memory the guest keeps the pages it had, the host sees other
 * (new, zeroed) pages, and the old ones are released when the slot or the
 * VM goes. Checked here: the guest runs on through both, no kernel
 * complaint (the runner scans the log), the host does not see the guest's
 * later writes, and after the VM closes vtx's pinned-page counter is back
 * where it started.
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/mman.h>
#include "vm.h"
#include "vm_test.h"
#include "vtx_util.h"

#define A_SLOT		1	/* munmapped */
#define A_GPA		0x10000000ull
#define B_SLOT		2	/* MADV_DONTNEED */
#define B_GPA		0x10800000ull
#define SLOT_SIZE	(4ull << 20)
#define MAGIC		0x5a5a000000000000ull

/* Each pass writes MAGIC | pass into every page of both slots, then syncs. */
static void guest_code(void)
{
	uint64_t pass, off;

	for (pass = 1;; pass++) {
		for (off = 0; off < SLOT_SIZE; off += VM_PAGE_SIZE) {
			WRITE_ONCE(*(volatile uint64_t *)(uintptr_t)(A_GPA + off), MAGIC | pass);
			WRITE_ONCE(*(volatile uint64_t *)(uintptr_t)(B_GPA + off), MAGIC | pass);
		}
		GUEST_SYNC(pass);
	}
}

static volatile uint64_t passes;
static volatile bool stop;

static void *vcpu_main(void *arg)
{
	struct test_vcpu *vcpu = arg;
	struct ucall uc;

	while (!stop) {
		if (vcpu_run_ucall(vcpu, &uc) != UCALL_SYNC) {
			vcpu_print_exit(vcpu);
			break;
		}
		passes = uc.args[0];
	}
	return NULL;
}

/* Wait (up to 10 s) for the guest to finish @n more passes. */
static bool passes_go_on(unsigned int n)
{
	uint64_t want = passes + n;
	int i;

	for (i = 0; i < 1000 && passes < want; i++)
		usleep(10000);
	return passes >= want;
}

/* Pages of @p whose first word holds a guest write (MAGIC in the top bits). */
static unsigned int guest_written(const uint8_t *p)
{
	unsigned int n = 0;
	uint64_t off;

	for (off = 0; off < SLOT_SIZE; off += VM_PAGE_SIZE)
		n += (*(const volatile uint64_t *)(p + off) & ~0xffffffffull) == MAGIC;
	return n;
}

int main(void)
{
	long pinned_start = vtx_pinned_pages(), pinned_mid;
	struct test_vcpu *vcpu;
	struct test_vm *vm;
	uint8_t *a, *b;
	pthread_t thr;
	bool ok;

	vm = vm_test_start(&vcpu, guest_code, 5);
	a = mmap(NULL, SLOT_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	b = mmap(NULL, SLOT_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(a != MAP_FAILED && b != MAP_FAILED, "mmap");
	TEST_ASSERT(!vm_set_memory_region(vm, A_SLOT, 0, A_GPA, SLOT_SIZE, a), "slot A");
	TEST_ASSERT(!vm_set_memory_region(vm, B_SLOT, 0, B_GPA, SLOT_SIZE, b), "slot B");
	TEST_ASSERT(!pthread_create(&thr, NULL, vcpu_main, vcpu), "pthread_create");

	ok = passes_go_on(2);
	pinned_mid = vtx_pinned_pages();
	ksft_test_result(ok && guest_written(b) == SLOT_SIZE / VM_PAGE_SIZE &&
			 pinned_mid - pinned_start >= (long)(2 * SLOT_SIZE / VM_PAGE_SIZE),
			 "the guest writes both slots (pass %llu), %ld pages pinned",
			 (unsigned long long)passes, pinned_mid - pinned_start);

	TEST_ASSERT(!munmap(a, SLOT_SIZE), "munmap slot A");
	ksft_test_result(passes_go_on(3),
			 "after munmap of slot A's memory the guest runs on (pass %llu)",
			 (unsigned long long)passes);

	TEST_ASSERT(!madvise(b, SLOT_SIZE, MADV_DONTNEED), "MADV_DONTNEED slot B");
	ok = passes_go_on(3);
	ksft_test_result(ok && guest_written(b) == 0,
			 "after MADV_DONTNEED the guest runs on (pass %llu) in its old pages: the host sees %u of its writes",
			 (unsigned long long)passes, guest_written(b));

	stop = true;
	pthread_join(thr, NULL);
	ksft_test_result(vtx_pinned_pages() == pinned_mid,
			 "nothing was unpinned while the slots stayed (%ld pinned)",
			 vtx_pinned_pages() - pinned_start);
	vcpu_free(vcpu);
	vm_free(vm);
	munmap(b, SLOT_SIZE);
	ksft_test_result(vtx_pinned_pages() == pinned_start,
			 "after the VM closed the pinned-page counter is back to %ld (now %ld)",
			 pinned_start, vtx_pinned_pages());
	ksft_finished();
}
