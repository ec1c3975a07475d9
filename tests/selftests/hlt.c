// SPDX-License-Identifier: GPL-2.0
/*
 * hlt: HLT with interrupts disabled exits to userspace as VTX_EXIT_HLT at
 * the HLT's RIP and the guest resumes after it when run again.
 */
#include "vm.h"
#include "vm_test.h"
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

/* HLT #i + 1: a VTX_EXIT_HLT with the guest's progress just before it. */
static bool hlt_step_run(struct test_vcpu *vcpu, unsigned int i)
{
	struct vtx_regs regs;
	uint64_t seen;

	vcpu_run(vcpu);
	vcpu_regs_get(vcpu, &regs);
	sync_global_from_guest(vcpu->vm, after_hlt);
	seen = after_hlt;
	if (vcpu->run->exit_reason != VTX_EXIT_HLT)
		vcpu_print_exit(vcpu);
	ksft_test_result(vcpu->run->exit_reason == VTX_EXIT_HLT && seen == i,
			 "HLT #%u exits with VTX_EXIT_HLT (reason %u, progress %llu, rip %#llx)",
			 i + 1, vcpu->run->exit_reason, (unsigned long long)seen,
			 (unsigned long long)regs.rip);
	return true;
}

int main(void)
{
	vm_test_steps(guest_code, 2, hlt_step_run, "guest resumes after HLT");
}
