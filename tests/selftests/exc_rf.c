// SPDX-License-Identifier: GPL-2.0
/*
 * exc_rf: a fault that vtx injects for an instruction it emulates is
 * delivered as the CPU delivers a fault: the RFLAGS image pushed on the
 * stack has RF=1 (SDM vol 3A 6.8.3, 18.3.1.1), so that IRET does not
 * retrigger an instruction breakpoint. Checked for #GP from RDMSR of an
 * unknown MSR and from RDPMC, #UD from VMXOFF (all vtx-injected), and
 * against a #UD the CPU itself delivers (UD2).
 */
#include "vm.h"
#include "vm_test.h"
#include "vtx_util.h"

#define X86_EFLAGS_RF	(1ull << 16)
#define UNKNOWN_MSR	0x4b564dff		/* unused, not a KVM/vtx MSR */

enum { S_RDMSR = 1, S_RDPMC, S_VMXOFF, S_UD2 };

static uint64_t seen_vector, seen_rflags;

/* Record the pushed vector and RFLAGS, resume at the address in r11. */
static void guest_fault_handler(struct ex_regs *regs)
{
	seen_vector = regs->vector;
	seen_rflags = regs->rflags;
	regs->rip = regs->r11;
}

#define FAULT_ONCE(insn, ...) ({						\
	asm volatile("lea 2f(%%rip), %%r11\n\t" insn "\n\t2:"			\
		     : : __VA_ARGS__ : "rax", "rdx", "r11", "memory");		\
})

static void guest_report(uint64_t stage)
{
	ucall(UCALL_SYNC, stage, READ_ONCE(seen_vector), READ_ONCE(seen_rflags), 0, 0);
	WRITE_ONCE(seen_vector, 0xff);
	WRITE_ONCE(seen_rflags, 0);
}

static void guest_code(void)
{
	WRITE_ONCE(seen_vector, 0xff);
	FAULT_ONCE("rdmsr", "c"(UNKNOWN_MSR));
	guest_report(S_RDMSR);
	FAULT_ONCE("rdpmc", "c"(0));
	guest_report(S_RDPMC);
	FAULT_ONCE("vmxoff", "c"(0));
	guest_report(S_VMXOFF);
	FAULT_ONCE("ud2", "c"(0));
	guest_report(S_UD2);
	GUEST_DONE();
}

static const struct {
	const char *what;
	uint64_t vector;
} stages[] = {
	[S_RDMSR]	= { "RDMSR of an unknown MSR (vtx-injected #GP)", GP_VECTOR },
	[S_RDPMC]	= { "RDPMC (vtx-injected #GP)", GP_VECTOR },
	[S_VMXOFF]	= { "VMXOFF (vtx-injected #UD)", UD_VECTOR },
	[S_UD2]		= { "UD2 (#UD delivered by the CPU)", UD_VECTOR },
};

int main(void)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_test_start(&vcpu, guest_code, ARRAY_SIZE(stages));
	struct ucall uc;
	unsigned int i;

	vm_install_exception_handler(vm, GP_VECTOR, guest_fault_handler);
	vm_install_exception_handler(vm, UD_VECTOR, guest_fault_handler);
	for (i = 1; i < ARRAY_SIZE(stages); i++) {
		if (vcpu_run_ucall(vcpu, &uc) != UCALL_SYNC || uc.args[0] != i)
			ksft_exit_fail_msg("guest did not reach stage %u", i);
		ksft_test_result(uc.args[1] == stages[i].vector &&
				 (uc.args[2] & X86_EFLAGS_RF),
				 "%s: vector %llu, pushed RFLAGS %#llx has RF",
				 stages[i].what, (unsigned long long)uc.args[1],
				 (unsigned long long)uc.args[2]);
	}
	ksft_test_result(vcpu_run_ucall(vcpu, &uc) == UCALL_DONE, "guest done");
	vm_test_finish(vm, vcpu);
}
