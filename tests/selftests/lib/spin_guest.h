/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A guest that only spins, for the tests that stop a running VTX_RUN from
 * outside (kick, signal): it makes no VM exits of its own, so only the
 * host can end the run. It counts loop turns in spin_counter until the
 * host sets spin_stop, then reports GUEST_SYNC(counter) and GUEST_DONE.
 */
#ifndef VTX_SELFTEST_SPIN_GUEST_H
#define VTX_SELFTEST_SPIN_GUEST_H

#include <stdint.h>
#include "vm.h"

/* The code is small: a RIP in [spin_guest_code, + SPIN_GUEST_CODE_SIZE) is in the loop. */
#define SPIN_GUEST_CODE_SIZE	256

extern uint64_t spin_counter, spin_stop;
void spin_guest_code(void);

/*
 * Host side: a VM with one vCPU running spin_guest_code, the host views of
 * spin_counter and spin_stop, and @on_alarm installed for SIGALRM without
 * SA_RESTART (so an alarm ends VTX_RUN with EINTR).
 */
struct spin_vm {
	struct test_vm *vm;
	struct test_vcpu *vcpu;
	uint64_t *counter;	/* host view of spin_counter */
	uint64_t *stop;		/* host view of spin_stop */
};

void spin_vm_create(struct spin_vm *svm, void (*on_alarm)(int sig));
void spin_vm_free(struct spin_vm *svm);

#endif /* VTX_SELFTEST_SPIN_GUEST_H */
