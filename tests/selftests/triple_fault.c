// SPDX-License-Identifier: GPL-2.0
/*
 * triple_fault: a guest that faults with no usable IDT triple-faults (SDM
 * Vol. 3 6.15, interrupt 8: a fault while delivering #DF -> shutdown); the
 * VM exits with VTX_EXIT_SHUTDOWN (SDM 27.2 exit reason 2), the host is
 * fine and a new VM runs normally.
 */
#include "vm.h"
#include "vm_test.h"
#include "vtx_util.h"
#include "shutdown_guest.h"

int main(void)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm;
	struct vtx_regs regs;
	struct ucall uc;
	int ret;

	vm = vm_test_start(&vcpu, guest_triple_fault, 4);

	vcpu_run(vcpu);
	if (vcpu->run->exit_reason != VTX_EXIT_SHUTDOWN)
		vcpu_print_exit(vcpu);
	ksft_test_result(vcpu->run->exit_reason == VTX_EXIT_SHUTDOWN,
			 "triple fault exits with VTX_EXIT_SHUTDOWN (got %s)",
			 exit_reason_str(vcpu->run->exit_reason));

	/* The VM is dead: running it again must not enter the guest. */
	ret = _vcpu_run(vcpu);
	ksft_test_result((ret == 0 && vcpu->run->exit_reason == VTX_EXIT_SHUTDOWN) ||
			 (ret == -1 && errno != EINTR),
			 "running the dead vCPU again: ret %d errno %d exit %s", ret,
			 ret ? errno : 0, exit_reason_str(vcpu->run->exit_reason));
	ksft_test_result(!_vcpu_regs_get(vcpu, &regs),
			 "VTX_GET_REGS on the dead vCPU works (rip %#llx)",
			 (unsigned long long)regs.rip);
	vcpu_free(vcpu);
	vm_free(vm);

	vm = vm_create_with_one_vcpu(&vcpu, guest_sync42_done);
	ksft_test_result(vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC && uc.args[0] == 42 &&
			 vcpu_run_to_done(vcpu), "a new VM runs normally afterwards");
	vm_test_finish(vm, vcpu);
}
