// SPDX-License-Identifier: GPL-2.0
/*
 * ept_2m: what the EPT does, seen through VTX_GET_EPT_STATS.
 *
 * - A slot backed by a host transparent huge page, at a guest address
 *   congruent with it modulo 2 MiB, is mapped with one 2 MiB EPT leaf (SDM
 *   28.2.2, a PDE with bit 7 set): the guest touching its 512 pages causes
 *   about one EPT violation, not 512.
 * - A slot whose host address is not 2 MiB-congruent with its guest address
 *   cannot use 2 MiB leaves (a leaf maps an aligned 2 MiB of both): 512
 *   violations, 512 4 KiB leaves.
 * - Deleting a slot unpins exactly the pages its leaves held.
 * - A write to a read-only slot is answered as MMIO.
 *
 * Every step also checks that the guest's writes land in the host memory
 * behind the slot, so a leaf pointing at the wrong frame fails too.
 */
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include "vm.h"
#include "vm_test.h"
#include "vtx_util.h"

#define SZ_2M		(2ull << 20)
#define PAGES_2M	(SZ_2M / VM_PAGE_SIZE)
#define A_SLOT		1
#define A_GPA		0x10000000ull	/* 256 MiB: above slot 0, 2 MiB aligned */
#define B_SLOT		2
#define B_GPA		0x10400000ull
#define RO_SLOT		3
#define RO_GPA		0x10800000ull
#define RO_DATA		0x0123456789abcdefull
#define THP_ENABLED	"/sys/kernel/mm/transparent_hugepage/enabled"
/* "A few": the first touch, plus slack for a guest that splits its loop. */
#define A_MAX_VIOLATIONS 4

enum { S_WARM = 1, S_A, S_B, S_RO };

static uint64_t warm[VM_PAGE_SIZE / 8] __attribute__((aligned(4096)));

/* One 8-byte write into each 4 KiB page of [gpa, gpa + size): its own GPA. */
static void guest_touch(uint64_t gpa, uint64_t size)
{
	uint64_t off;

	for (off = 0; off < size; off += VM_PAGE_SIZE)
		WRITE_ONCE(*(volatile uint64_t *)(uintptr_t)(gpa + off), gpa + off);
}

static void guest_code(uint64_t warm_gpa)
{
	/* Fault in this code and the ucall path first, so later counts are the slots'. */
	guest_touch(warm_gpa, VM_PAGE_SIZE);
	GUEST_SYNC(S_WARM);
	guest_touch(A_GPA, SZ_2M);
	GUEST_SYNC(S_A);
	guest_touch(B_GPA, SZ_2M);
	GUEST_SYNC(S_B);
	WRITE_ONCE(*(volatile uint64_t *)(uintptr_t)RO_GPA, RO_DATA);
	GUEST_SYNC(S_RO);
	GUEST_DONE();
}

static void ept_stats(struct test_vm *vm, struct vtx_ept_stats *s)
{
	memset(s, 0xff, sizeof(*s));
	TEST_ASSERT(!ioctl(vm->fd, VTX_GET_EPT_STATS, s), "VTX_GET_EPT_STATS");
}

static void stats_print(const char *when, const struct vtx_ept_stats *s)
{
	ksft_print_msg("%-16s violations %llu mmio %llu maps_4k %llu maps_2m %llu pinned %llu unmaps %llu\n",
		       when, (unsigned long long)s->violations, (unsigned long long)s->mmio,
		       (unsigned long long)s->maps_4k, (unsigned long long)s->maps_2m,
		       (unsigned long long)s->pages_pinned, (unsigned long long)s->unmaps);
}

static bool run_sync(struct test_vcpu *vcpu, uint64_t stage)
{
	struct ucall uc;
	uint64_t cmd = vcpu_run_ucall(vcpu, &uc);

	if (cmd == UCALL_NONE)
		vcpu_print_exit(vcpu);
	return cmd == UCALL_SYNC && uc.args[0] == stage;
}

/* NULL if THP can be used here, else why not. */
static const char *thp_unavailable(void)
{
	static char buf[128];
	FILE *f = fopen(THP_ENABLED, "r");

	if (!f)
		return "no " THP_ENABLED " (kernel without THP)";
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	if (strstr(buf, "[never]"))
		return "transparent hugepages are 'never'";
	return NULL;
}

/* AnonHugePages (KiB) of the mapping of this process that contains @addr, or -1. */
static long smaps_anon_huge_kib(const void *addr)
{
	unsigned long lo, hi, a = (unsigned long)addr;
	bool in = false;
	char line[256];
	long kib = -1, v;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
			in = a >= lo && a < hi;
			continue;
		}
		if (in && sscanf(line, "AnonHugePages: %ld kB", &v) == 1) {
			kib = v;
			break;
		}
	}
	fclose(f);
	return kib;
}

/*
 * @size bytes at a 2 MiB-aligned host address, asked to be THP-backed and
 * written by the host, so that huge pages exist before the guest runs.
 */
static uint8_t *alloc_2m_aligned(uint64_t size)
{
	uint8_t *p = mmap(NULL, size + SZ_2M, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *q;
	uint64_t off;

	TEST_ASSERT(p != MAP_FAILED, "mmap %llu bytes", (unsigned long long)size);
	q = (uint8_t *)(((uintptr_t)p + SZ_2M - 1) & ~(uintptr_t)(SZ_2M - 1));
	/* EINVAL without THP in the kernel: then it is plain memory. */
	madvise(q, size, MADV_HUGEPAGE);
	for (off = 0; off < size; off += VM_PAGE_SIZE)
		q[off] = 1;
	return q;
}

/* Pages of [hva, +size) holding the guest's write for GPA @gpa + offset. */
static unsigned int pages_written(const uint8_t *hva, uint64_t gpa, uint64_t size)
{
	unsigned int n = 0;
	uint64_t off;

	for (off = 0; off < size; off += VM_PAGE_SIZE)
		n += *(const uint64_t *)(hva + off) == gpa + off;
	return n;
}

static void test_slot_a(struct test_vm *vm, struct test_vcpu *vcpu, const uint8_t *a)
{
	const char *no_thp = thp_unavailable();
	long huge_kib = smaps_anon_huge_kib(a);
	struct vtx_ept_stats s0, s1;
	uint64_t dv;

	ept_stats(vm, &s0);
	stats_print("before slot A", &s0);
	TEST_ASSERT(run_sync(vcpu, S_A), "guest did not finish touching slot A");
	ept_stats(vm, &s1);
	stats_print("after slot A", &s1);
	dv = s1.violations - s0.violations;

	if (no_thp)
		ksft_test_result_skip(no_thp, "huge-page slot: 2 MiB leaf, few violations");
	else if (huge_kib < 2048)
		ksft_test_result_skip("the host kernel gave no huge page",
				      "huge-page slot: 2 MiB leaf (AnonHugePages %ld kB)", huge_kib);
	else
		ksft_test_result(s1.maps_2m > s0.maps_2m && dv <= A_MAX_VIOLATIONS,
				 "huge-page slot (AnonHugePages %ld kB): maps_2m +%llu, %llu violations for 512 pages",
				 huge_kib, (unsigned long long)(s1.maps_2m - s0.maps_2m),
				 (unsigned long long)dv);
	ksft_test_result(pages_written(a, A_GPA, SZ_2M) == PAGES_2M,
			 "huge-page slot: host sees the guest's write in all %llu pages (%u)",
			 PAGES_2M, pages_written(a, A_GPA, SZ_2M));
}

static void test_slot_b(struct test_vm *vm, struct test_vcpu *vcpu, const uint8_t *b)
{
	struct vtx_ept_stats s0, s1;

	ept_stats(vm, &s0);
	TEST_ASSERT(run_sync(vcpu, S_B), "guest did not finish touching slot B");
	ept_stats(vm, &s1);
	stats_print("after slot B", &s1);
	ksft_test_result(s1.maps_2m == s0.maps_2m && s1.maps_4k - s0.maps_4k >= PAGES_2M &&
			 s1.violations - s0.violations >= PAGES_2M,
			 "slot not 2 MiB-congruent: maps_2m +%llu, maps_4k +%llu, violations +%llu",
			 (unsigned long long)(s1.maps_2m - s0.maps_2m),
			 (unsigned long long)(s1.maps_4k - s0.maps_4k),
			 (unsigned long long)(s1.violations - s0.violations));
	ksft_test_result(pages_written(b, B_GPA, SZ_2M) == PAGES_2M,
			 "unaligned slot: host sees the guest's write in all %llu pages (%u)",
			 PAGES_2M, pages_written(b, B_GPA, SZ_2M));
}

/* Delete @slot, whose guest touched exactly 512 pages: as many unpinned. */
static void test_delete(struct test_vm *vm, uint32_t slot, const char *what)
{
	struct vtx_ept_stats s0, s1;
	int ret;

	ept_stats(vm, &s0);
	ret = vm_set_memory_region(vm, slot, 0, 0, 0, NULL);
	ept_stats(vm, &s1);
	ksft_test_result(!ret && s0.pages_pinned - s1.pages_pinned == PAGES_2M &&
			 s1.unmaps == s0.unmaps + 1,
			 "deleting %s unpins %llu pages (pinned %llu -> %llu, unmaps +%llu)", what,
			 PAGES_2M, (unsigned long long)s0.pages_pinned,
			 (unsigned long long)s1.pages_pinned,
			 (unsigned long long)(s1.unmaps - s0.unmaps));
}

static void test_readonly(struct test_vm *vm, struct test_vcpu *vcpu, const uint64_t *ro)
{
	struct vtx_run *run = vcpu->run;
	struct vtx_ept_stats s0, s1;
	uint64_t data = 0;
	bool exit_ok;

	ept_stats(vm, &s0);
	vcpu_run(vcpu);
	ept_stats(vm, &s1);
	memcpy(&data, run->mmio.data, sizeof(data));
	exit_ok = run->exit_reason == VTX_EXIT_MMIO && run->mmio.is_write &&
		  run->mmio.gpa == RO_GPA && run->mmio.len == 8 && data == RO_DATA;
	if (!exit_ok)
		vcpu_print_exit(vcpu);
	ksft_test_result(exit_ok && s1.mmio == s0.mmio + 1 && s1.violations == s0.violations + 1 &&
			 s1.maps_4k == s0.maps_4k && s1.maps_2m == s0.maps_2m && ro[0] == 0,
			 "write to a read-only slot: MMIO exit, mmio +%llu, violations +%llu, no map",
			 (unsigned long long)(s1.mmio - s0.mmio),
			 (unsigned long long)(s1.violations - s0.violations));
	ksft_test_result(run_sync(vcpu, S_RO), "guest continues after the MMIO write");
}

int main(void)
{
	struct vtx_ept_stats s;
	struct test_vcpu *vcpu;
	struct test_vm *vm;
	uint8_t *a, *b;
	uint64_t *ro;
	unsigned int i, bad = 0;
	int ret;

	vm = vm_test_start(&vcpu, guest_code, 10);
	vcpu_args_set(vcpu, 1, (uint64_t)(uintptr_t)warm);

	/* A: 2 MiB-aligned on both sides. B: host address 4 KiB past alignment. */
	a = alloc_2m_aligned(SZ_2M);
	b = alloc_2m_aligned(2 * SZ_2M);
	ro = mmap(NULL, VM_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(ro != MAP_FAILED, "mmap");
	ret = vm_set_memory_region(vm, A_SLOT, 0, A_GPA, SZ_2M, a);
	ret = ret ?: vm_set_memory_region(vm, B_SLOT, 0, B_GPA, SZ_2M, b + VM_PAGE_SIZE);
	ret = ret ?: vm_set_memory_region(vm, RO_SLOT, VTX_MEM_READONLY, RO_GPA, VM_PAGE_SIZE, ro);
	TEST_ASSERT(!ret, "VTX_SET_MEMORY_REGION slots %d-%d", A_SLOT, RO_SLOT);

	ept_stats(vm, &s);
	for (i = 0; i < sizeof(s.reserved) / sizeof(s.reserved[0]); i++)
		bad += s.reserved[i] != 0;
	ksft_test_result(!bad && s.violations == 0 && s.pages_pinned == 0,
			 "VTX_GET_EPT_STATS before the first run: nothing mapped, reserved zero");
	TEST_ASSERT(run_sync(vcpu, S_WARM), "guest did not start");

	test_slot_a(vm, vcpu, a);
	test_slot_b(vm, vcpu, b + VM_PAGE_SIZE);
	test_delete(vm, A_SLOT, "the huge-page slot");
	test_delete(vm, B_SLOT, "the unaligned slot");
	test_readonly(vm, vcpu, ro);

	ksft_test_result(vcpu_run_to_done(vcpu), "guest finished");
	munmap(ro, VM_PAGE_SIZE);
	vm_test_finish(vm, vcpu);
}
