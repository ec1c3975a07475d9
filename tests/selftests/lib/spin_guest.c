// SPDX-License-Identifier: GPL-2.0
/* The spinning guest of kick and signal; see spin_guest.h. */
#include <signal.h>
#include "spin_guest.h"
#include "vtx_util.h"

uint64_t spin_counter, spin_stop;

void spin_guest_code(void)
{
	while (!READ_ONCE(spin_stop))
		WRITE_ONCE(spin_counter, READ_ONCE(spin_counter) + 1);
	GUEST_SYNC(READ_ONCE(spin_counter));
	GUEST_DONE();
}

void spin_vm_create(struct spin_vm *svm, void (*on_alarm)(int sig))
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */

	svm->vm = vm_create_with_one_vcpu(&svm->vcpu, spin_guest_code);
	svm->counter = addr_gva2hva(svm->vm, &spin_counter);
	svm->stop = addr_gva2hva(svm->vm, &spin_stop);
	TEST_ASSERT(!sigaction(SIGALRM, &sa, NULL), "sigaction");
}

void spin_vm_free(struct spin_vm *svm)
{
	vcpu_free(svm->vcpu);
	vm_free(svm->vm);
}
