// SPDX-License-Identifier: GPL-2.0
/*
 * many_vms: NR_VMS VMs with one vCPU each, run by NR_VMS threads at once.
 * Every guest computes a per-VM sequence and reports each value by ucall;
 * the host computes the same sequence with the same code (lib/seq_guest.h)
 * and compares, so any mix-up of memory, registers or exits between VMs
 * shows.
 */
#include <pthread.h>
#include "backend.h"
#include "seq_guest.h"
#include "vm.h"
#include "vtx_util.h"

#define NR_VMS		8
#define NR_ROUNDS	64

struct worker {
	pthread_t thread;
	uint64_t seed;
	unsigned int good;	/* rounds that matched */
	bool done;
};

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_create_with_one_vcpu(&vcpu, seq_guest_code);
	struct ucall uc;
	uint64_t cmd;

	vcpu_args_set(vcpu, 2, w->seed, (uint64_t)NR_ROUNDS);
	while ((cmd = vcpu_run_ucall(vcpu, &uc)) == UCALL_SYNC) {
		if (uc.args[0] == w->good && uc.args[1] == seq_value(w->seed, uc.args[0]))
			w->good++;
		else
			ksft_print_msg("VM %llu round %llu: %#llx, want %#llx\n",
				       (unsigned long long)w->seed, (unsigned long long)uc.args[0],
				       (unsigned long long)uc.args[1],
				       (unsigned long long)seq_value(w->seed, uc.args[0]));
	}
	if (cmd == UCALL_NONE)
		vcpu_print_exit(vcpu);
	w->done = cmd == UCALL_DONE;
	vcpu_free(vcpu);
	vm_free(vm);
	return NULL;
}

int main(void)
{
	struct worker w[NR_VMS] = { 0 };
	struct vtx_caps caps;
	bool is_vtx;
	int i;

	ksft_print_header();
	is_vtx = !strcmp(backend_name(), "vtx");
	if (is_vtx)
		vtx_read_caps(&caps);	/* skips if there is no /dev/vtx */
	ksft_set_plan(NR_VMS + is_vtx);
	ksft_print_msg("%u online CPUs\n", online_cpus());

	for (i = 0; i < NR_VMS; i++) {
		w[i].seed = i + 1;
		TEST_ASSERT(!pthread_create(&w[i].thread, NULL, worker_fn, &w[i]),
			    "pthread_create");
	}
	for (i = 0; i < NR_VMS; i++) {
		pthread_join(w[i].thread, NULL);
		ksft_test_result(w[i].done && w[i].good == NR_ROUNDS,
				 "VM %d: %u of %d rounds right, guest %s", i, w[i].good,
				 NR_ROUNDS, w[i].done ? "done" : "did not finish");
	}
	if (!is_vtx)
		ksft_finished();
	vtx_read_caps(&caps);
	ksft_test_result(!(caps.flags & VTX_CAPS_VMX_ON) && caps.users == 0,
			 "all VMs gone: VMX off, users %u", caps.users);
	ksft_finished();
}
