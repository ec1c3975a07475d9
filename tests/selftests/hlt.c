// SPDX-License-Identifier: GPL-2.0
/*
 * hlt: HLT with interrupts disabled exits to userspace as VTX_EXIT_HLT at
 * the HLT's RIP and the guest resumes after it when run again.
 */
#include "vm.h"
#include "vtx_util.h"

static uint64_t after_hlt;

static void guest_code(void)
{
	cli();
	hlt();
	WRITE_ONCE(after_hlt, 1);
	hlt();
	WRITE_ONCE(after_hlt, 2);
	GUEST_DONE();
}

int main(void)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm;
	struct vtx_regs regs;
	struct ucall uc;
	int i;

	ksft_print_header();
	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	ksft_set_plan(3);

	for (i = 1; i <= 2; i++) {
		uint64_t seen;

		vcpu_run(vcpu);
		vcpu_regs_get(vcpu, &regs);
		sync_global_from_guest(vm, after_hlt);
		seen = after_hlt;
		if (vcpu->run->exit_reason != VTX_EXIT_HLT)
			vcpu_print_exit(vcpu);
		ksft_test_result(vcpu->run->exit_reason == VTX_EXIT_HLT && seen == (uint64_t)i - 1,
				 "HLT #%d exits with VTX_EXIT_HLT (reason %u, progress %llu, rip %#llx)",
				 i, vcpu->run->exit_reason, (unsigned long long)seen,
				 (unsigned long long)regs.rip);
	}
	ksft_test_result(vcpu_run_ucall(vcpu, &uc) == UCALL_DONE, "guest resumes after HLT");
	vcpu_free(vcpu);
	vm_free(vm);
	ksft_finished();
}
