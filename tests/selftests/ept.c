// SPDX-License-Identifier: GPL-2.0
/*
 * ept: guest-physical memory is the host memory behind the slot, both ways;
 * a read-only slot reads fine and turns writes into MMIO exits (EPT
 * violation on a write to a read-only EPT entry, SDM 28.3.3.2); two VMs
 * built from the same image do not share memory.
 */
#include <sys/mman.h>
#include "vm.h"
#include "vm_test.h"
#include "vtx_util.h"

#define NR_WORDS	512
#define RO_GPA		0x10000000ull	/* 256 MiB: above slot 0 */
#define RO_SIZE		(2 * VM_PAGE_SIZE)
#define RO_PATTERN	0x5a5a0000a5a5ffffull

static uint64_t shared[NR_WORDS] __attribute__((aligned(4096)));
static uint64_t owner;

enum { S_WROTE = 1, S_READ_OK, S_RO_READ, S_RO_DONE };

static void guest_code(void)
{
	volatile uint64_t *ro = (volatile uint64_t *)(uintptr_t)RO_GPA;
	unsigned int i;

	for (i = 0; i < NR_WORDS; i++)
		WRITE_ONCE(shared[i], 0x1000000000000000ull * (i & 0xf) + i);
	GUEST_SYNC(S_WROTE);
	/* the host has written ~value meanwhile */
	for (i = 0; i < NR_WORDS; i++)
		GUEST_ASSERT_EQ(READ_ONCE(shared[i]), ~(0x1000000000000000ull * (i & 0xf) + i));
	GUEST_SYNC(S_READ_OK);

	GUEST_SYNC2(S_RO_READ, ro[1] ^ ro[RO_SIZE / 8 - 1]);
	ro[1] = 0x1122334455667788ull;
	GUEST_SYNC2(S_RO_DONE, ro[1]);
	GUEST_DONE();
}

/* Two VMs: each records its id; neither may see the other's. */
static void guest_owner(uint64_t id)
{
	uint64_t before = READ_ONCE(owner);

	WRITE_ONCE(owner, id);
	GUEST_SYNC2(before, id);
	GUEST_SYNC2(READ_ONCE(owner), id);
	GUEST_DONE();
}

static uint64_t run_sync(struct test_vcpu *vcpu, uint64_t stage, struct ucall *uc)
{
	uint64_t cmd = vcpu_run_ucall(vcpu, uc);

	if (cmd == UCALL_NONE)
		vcpu_print_exit(vcpu);
	return cmd == UCALL_SYNC && uc->args[0] == stage;
}

static void test_shared(struct test_vcpu *vcpu)
{
	uint64_t *hva = addr_gva2hva(vcpu->vm, shared);
	unsigned int i, bad = 0;
	struct ucall uc;

	if (!run_sync(vcpu, S_WROTE, &uc))
		ksft_exit_fail_msg("guest did not reach S_WROTE");
	for (i = 0; i < NR_WORDS; i++)
		bad += hva[i] != 0x1000000000000000ull * (i & 0xf) + i;
	ksft_test_result(!bad, "host sees the guest's writes (%u of %u words differ)", bad,
			 NR_WORDS);
	for (i = 0; i < NR_WORDS; i++)
		hva[i] = ~(0x1000000000000000ull * (i & 0xf) + i);
	ksft_test_result(run_sync(vcpu, S_READ_OK, &uc), "guest sees the host's writes");
}

static void test_readonly(struct test_vcpu *vcpu)
{
	struct test_vm *vm = vcpu->vm;
	struct vtx_run *run = vcpu->run;
	uint64_t *ro, data = 0;
	struct ucall uc;
	int ret;

	ro = mmap(NULL, RO_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(ro != MAP_FAILED, "mmap");
	ro[1] = RO_PATTERN;
	ro[RO_SIZE / 8 - 1] = ~RO_PATTERN;
	ret = vm_set_memory_region(vm, 1, VTX_MEM_READONLY, RO_GPA, RO_SIZE, ro);
	ksft_test_result(!ret, "read-only slot 1 at %#llx", RO_GPA);
	if (ret)
		ksft_exit_fail_msg("VTX_SET_MEMORY_REGION: %s", strerror(errno));

	ksft_test_result(run_sync(vcpu, S_RO_READ, &uc) && uc.args[1] == (RO_PATTERN ^ ~RO_PATTERN),
			 "guest reads the read-only slot (%#llx)", (unsigned long long)uc.args[1]);
	vcpu_run(vcpu);
	memcpy(&data, run->mmio.data, 8);
	if (run->exit_reason != VTX_EXIT_MMIO)
		vcpu_print_exit(vcpu);
	ksft_test_result(run->exit_reason == VTX_EXIT_MMIO && run->mmio.is_write &&
			 run->mmio.gpa == RO_GPA + 8 && run->mmio.len == 8 &&
			 data == 0x1122334455667788ull,
			 "write to the read-only slot exits as MMIO (gpa %#llx len %u data %#llx)",
			 (unsigned long long)run->mmio.gpa, run->mmio.len, (unsigned long long)data);
	ksft_test_result(run_sync(vcpu, S_RO_DONE, &uc) && uc.args[1] == RO_PATTERN &&
			 ro[1] == RO_PATTERN, "read-only memory unchanged (guest %#llx, host %#llx)",
			 (unsigned long long)uc.args[1], (unsigned long long)ro[1]);
	ksft_test_result(vcpu_run_to_done(vcpu), "guest finished");
	munmap(ro, RO_SIZE);
}

static void test_two_vms(void)
{
	struct test_vcpu *va, *vb;
	struct test_vm *a = vm_create_with_one_vcpu(&va, guest_owner);
	struct test_vm *b = vm_create_with_one_vcpu(&vb, guest_owner);
	struct ucall ua, ub;
	bool ok;

	vcpu_args_set(va, 1, 0xaaull);
	vcpu_args_set(vb, 1, 0xbbull);
	ok = run_sync(va, 0, &ua);	/* A saw the image's 0, wrote 0xaa */
	ok = run_sync(vb, 0, &ub) && ok;	/* B must see 0 as well, not 0xaa */
	ksft_test_result(ok, "second VM does not see the first VM's write");
	ok = *(uint64_t *)addr_gva2hva(a, &owner) == 0xaa &&
	     *(uint64_t *)addr_gva2hva(b, &owner) == 0xbb;
	ok = run_sync(va, 0xaa, &ua) && run_sync(vb, 0xbb, &ub) && ok;
	ksft_test_result(ok, "each VM keeps its own value, in guest and host views");
	vcpu_free(va);
	vcpu_free(vb);
	vm_free(a);
	vm_free(b);
}

int main(void)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm;

	vm = vm_test_start(&vcpu, guest_code, 9);
	test_shared(vcpu);
	test_readonly(vcpu);
	vcpu_free(vcpu);
	vm_free(vm);
	test_two_vms();
	ksft_finished();
}
