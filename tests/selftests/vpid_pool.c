// SPDX-License-Identifier: GPL-2.0
/*
 * vpid_pool: running out of VPIDs (SDM 28.1) must not stop anyone from
 * creating vCPUs. vtx.ko is loaded with max_vpid=2: VM A's two vCPUs get
 * VPIDs 1 and 2, VM B's two vCPUs find the pool empty and run without VPID
 * ("enable VPID" off: every entry and exit flushes the TLB, SDM 28.3.3.1).
 * All four run, interleaved on one host CPU; each reads a value at the
 * same guest address, different in the two VMs, and must see its own VM's
 * (a stale translation of the other VM's page would show the other value).
 * The kernel log says once that the pool ran out.
 */
#include <sched.h>
#include <unistd.h>
#include "vm.h"
#include "vtx_util.h"

#define ROUNDS		4

static uint64_t magic;

static void guest_code(void)
{
	int i;

	for (i = 0; i < ROUNDS; i++)
		GUEST_SYNC(READ_ONCE(magic));
	GUEST_DONE();
}

int main(void)
{
	static const char *const out_of[] = { "out of VPIDs", NULL };
	struct test_vcpu *vcpus[4];
	struct test_vm *vms[2];
	unsigned int i, r, good = 0;
	struct ucall uc;
	cpu_set_t set;
	int ret, logged;

	ksft_print_header();
	if (geteuid() != 0)
		ksft_exit_skip("must run as root");
	if (access(VTX_MODULE_PATH, R_OK))
		ksft_exit_skip("%s: %s", VTX_MODULE_PATH, strerror(errno));
	ksft_set_plan(4);
	if (module_loaded("vtx")) {
		ret = module_unload("vtx");
		if (ret)
			ksft_exit_fail_msg("rmmod vtx: %s", strerror(-ret));
	}
	ret = module_load(VTX_MODULE_PATH, "max_vpid=2");
	if (ret)
		ksft_exit_fail_msg("insmod vtx max_vpid=2: %s", strerror(-ret));
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	TEST_ASSERT(!sched_setaffinity(0, sizeof(set), &set), "pin to CPU 0");

	for (i = 0; i < 2; i++) {
		vms[i] = vm_create();
		magic = 0x1111 * (i + 1);
		sync_global_to_guest(vms[i], magic);
	}
	/* VM A: VPIDs 1, 2; VM B: none left. */
	vcpus[0] = vm_vcpu_add(vms[0], 0, guest_code);
	vcpus[1] = vm_vcpu_add(vms[0], 1, guest_code);
	vcpus[2] = vm_vcpu_add(vms[1], 0, guest_code);
	vcpus[3] = vm_vcpu_add(vms[1], 1, guest_code);
	ksft_test_result_pass("4 vCPUs created with a pool of 2 VPIDs");

	for (r = 0; r < ROUNDS; r++) {
		for (i = 0; i < 4; i++) {
			if (vcpu_run_ucall(vcpus[i], &uc) == UCALL_SYNC &&
			    uc.args[0] == 0x1111 * (i / 2 + 1))
				good++;
			else
				ksft_print_msg("vCPU %u (VM %c) round %u: %#llx\n", i, 'A' + i / 2, r,
					       (unsigned long long)uc.args[0]);
		}
	}
	ksft_test_result(good == 4 * ROUNDS,
			 "interleaved on CPU 0, each vCPU sees its own VM's memory (%u of %u)",
			 good, 4 * ROUNDS);
	good = 0;
	for (i = 0; i < 4; i++)
		good += vcpu_run_to_done(vcpus[i]);
	ksft_test_result(good == 4, "all 4 guests finish (%u)", good);
	logged = klog_count("vtx: out of VPIDs", out_of);
	ksft_test_result(logged > 0, "the kernel log says the pool ran out (%d)", logged);

	for (i = 0; i < 4; i++)
		vcpu_free(vcpus[i]);
	vm_free(vms[0]);
	vm_free(vms[1]);
	/* Leave vtx loaded as the runner had it, with the default pool. */
	if (!module_unload("vtx"))
		module_load(VTX_MODULE_PATH, NULL);
	ksft_finished();
}
