// SPDX-License-Identifier: GPL-2.0
/*
 * cpu_offline: a CPU goes offline while VMX is on and a vCPU's VMCS is
 * active (launched) on it. vtx must VMCLEAR that VMCS there before VMXOFF
 * (SDM 24.11.1), so the vCPU resumes on another CPU with its state intact;
 * VMX must be back on the CPU when it comes online again.
 *
 * The guest reports a sequence computed in its registers and stack
 * (lib/seq_guest.h); a lost VMCS (guest RIP/RSP) or register state shows as
 * a wrong value or an exit that is not a ucall.
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "seq_guest.h"
#include "vm.h"
#include "vtx_util.h"

#define NR_ROUNDS	6
#define SEED		0x1234
#define HOTPLUG_CPU	1

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/* Whatever happened, leave the machine with every CPU online for the next test. */
static void restore_cpu(void)
{
	cpu_set_online(HOTPLUG_CPU, true);
}

/* One round on @cpu: the next sync with the right value. */
static bool run_round(struct test_vcpu *vcpu, int cpu, uint64_t round)
{
	struct ucall uc;
	uint64_t cmd;

	if (pin(cpu)) {
		ksft_print_msg("pin to CPU %d: %s\n", cpu, strerror(errno));
		return false;
	}
	cmd = vcpu_run_ucall(vcpu, &uc);
	if (cmd == UCALL_SYNC && uc.args[0] == round && uc.args[1] == seq_value(SEED, round))
		return true;
	ksft_print_msg("round %llu on CPU %d: ucall %llu args %#llx %#llx, want sync %llu %#llx\n",
		       (unsigned long long)round, cpu, (unsigned long long)cmd,
		       (unsigned long long)uc.args[0], (unsigned long long)uc.args[1],
		       (unsigned long long)round, (unsigned long long)seq_value(SEED, round));
	if (cmd == UCALL_NONE)
		vcpu_print_exit(vcpu);
	return false;
}

static unsigned int vmx_on_cpus(int fd)
{
	struct vtx_caps caps;

	TEST_ASSERT(!vtx_get_caps(fd, &caps), "VTX_GET_CAPS");
	return caps.vmx_on_cpus;
}

int main(void)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm;
	unsigned int n = online_cpus();
	struct ucall uc;
	uint64_t round = 0;
	int fd, ret;

	ksft_print_header();
	if (n < 2)
		ksft_exit_skip("needs 2 CPUs (run with --cpus 2)");
	if (geteuid() != 0)
		ksft_exit_skip("must run as root");
	ksft_set_plan(7);
	atexit(restore_cpu);

	fd = vtx_open_dev();
	TEST_ASSERT(!ioctl(fd, VTX_ENABLE_VMX, 0), "VTX_ENABLE_VMX");
	vm = vm_create_with_one_vcpu(&vcpu, seq_guest_code);
	vcpu_args_set(vcpu, 2, (uint64_t)SEED, (uint64_t)NR_ROUNDS);

	ksft_test_result(run_round(vcpu, HOTPLUG_CPU, round) &&
			 run_round(vcpu, HOTPLUG_CPU, round + 1),
			 "guest runs on CPU %d (VMCS launched there)", HOTPLUG_CPU);
	round += 2;

	TEST_ASSERT(!pin(0), "pin to CPU 0");
	ret = cpu_set_online(HOTPLUG_CPU, false);
	if (ret)
		ksft_exit_fail_msg("offline CPU %d: %s", HOTPLUG_CPU, strerror(-ret));
	ksft_test_result(vmx_on_cpus(fd) == n - 1, "CPU %d offline: VMX on %u of %u CPUs",
			 HOTPLUG_CPU, vmx_on_cpus(fd), n - 1);

	ksft_test_result(run_round(vcpu, 0, round) && run_round(vcpu, 0, round + 1),
			 "guest resumes on CPU 0 with its state");
	round += 2;

	ret = cpu_set_online(HOTPLUG_CPU, true);
	if (ret)
		ksft_exit_fail_msg("online CPU %d: %s", HOTPLUG_CPU, strerror(-ret));
	ksft_test_result(vmx_on_cpus(fd) == n, "CPU %d online again: VMX on %u of %u CPUs",
			 HOTPLUG_CPU, vmx_on_cpus(fd), n);

	ksft_test_result(run_round(vcpu, HOTPLUG_CPU, round) &&
			 run_round(vcpu, HOTPLUG_CPU, round + 1),
			 "guest runs on CPU %d again", HOTPLUG_CPU);
	round += 2;

	ksft_test_result(round == NR_ROUNDS && vcpu_run_ucall(vcpu, &uc) == UCALL_DONE,
			 "guest finished");
	vcpu_free(vcpu);
	vm_free(vm);

	/* Offline with VMX on but no VMCS: the plain VMXOFF path, and back. */
	ret = cpu_set_online(HOTPLUG_CPU, false);
	if (!ret)
		ret = cpu_set_online(HOTPLUG_CPU, true);
	ksft_test_result(!ret && vmx_on_cpus(fd) == n, "offline/online without a VM: VMX on %u of %u",
			 vmx_on_cpus(fd), n);
	close(fd);
	ksft_finished();
}
