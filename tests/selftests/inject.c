// SPDX-License-Identifier: GPL-2.0
/*
 * inject: events userspace asks vtx to deliver.
 *  - VTX_INTERRUPT while the guest has RFLAGS.IF=0 stays queued (EBUSY for
 *    a second one) and is delivered exactly once when the guest can take it:
 *    after STI's one-instruction shadow (SDM Vol. 3 6.8.3, 25.2 interrupt-
 *    window exiting), and for STI;HLT on the HLT, which it ends.
 *  - VTX_NMI reaches the NMI handler; a second NMI waits until that
 *    handler's IRET (NMI blocking, SDM Vol. 3 6.7.1, NMI-window exiting).
 *  - VTX_INJECT_EXCEPTION: #GP with its error code, #UD without one (a
 *    wrong frame would make the handler's IRET crash).
 *  - Bad vectors: EINVAL.
 * The guest makes VM exits (CPUID) while an event must stay pending: each
 * re-entry is a chance for a wrong injection.
 */
#include "irq.h"
#include "vcpu_thread.h"
#include "vm.h"
#include "vtx_util.h"

#define VEC	0x40

enum {
	S_QUEUE = 1, S_IF0, S_STI, S_HLT_QUEUE, S_HLT, S_NMI, S_NMI_IN_HANDLER, S_NMI_DONE,
	S_GP, S_GP_DONE, S_UD, S_UD_DONE,
};

static uint64_t nmi_count, nmi_count_inside;

static void guest_exits(unsigned int n)
{
	while (n--)
		cpuid(0, 0);
}

static void nmi_handler(struct ex_regs *regs)
{
	uint64_t n = READ_ONCE(nmi_count) + 1;

	(void)regs;
	WRITE_ONCE(nmi_count, n);
	if (n == 1) {
		GUEST_SYNC(S_NMI_IN_HANDLER);	/* the host queues a second NMI */
		guest_exits(50);
		WRITE_ONCE(nmi_count_inside, READ_ONCE(nmi_count));
	}
}

static void guest_report(uint64_t stage, int vector, uint64_t expect_rip)
{
	struct guest_percpu *pc = guest_this_cpu();

	ucall(UCALL_SYNC, stage, guest_irq_count(vector), pc->last_rip, expect_rip,
	      pc->last_error_code);
}

static void guest_code(void)
{
	uint64_t rip;

	cli();
	GUEST_SYNC(S_QUEUE);
	guest_exits(50);
	guest_report(S_IF0, VEC, 0);
	/* the interrupt must come after the NOP: STI blocks it for one instruction */
	asm volatile("sti; nop; 1: cli; lea 1b(%%rip), %0" : "=r"(rip) : : "memory");
	guest_report(S_STI, VEC, rip);

	GUEST_SYNC(S_HLT_QUEUE);
	asm volatile("sti; hlt; 1: cli; lea 1b(%%rip), %0" : "=r"(rip) : : "memory");
	guest_report(S_HLT, VEC, rip);

	GUEST_SYNC(S_NMI);
	guest_exits(10);
	ucall(UCALL_SYNC, S_NMI_DONE, READ_ONCE(nmi_count), READ_ONCE(nmi_count_inside), 0, 0);

	GUEST_SYNC(S_GP);
	guest_report(S_GP_DONE, GP_VECTOR, 0);
	GUEST_SYNC(S_UD);
	guest_report(S_UD_DONE, UD_VECTOR, 0);
	GUEST_DONE();
}

static void check_bad_vectors(struct test_vcpu *vcpu)
{
	int r1, e1, r2, e2, r3, e3;

	r1 = _vcpu_interrupt(vcpu, 300);
	e1 = errno;
	r2 = _vcpu_interrupt(vcpu, 15);
	e2 = errno;
	r3 = _vcpu_inject_exception(vcpu, 40, false, 0);
	e3 = errno;
	ksft_test_result(r1 == -1 && e1 == EINVAL && r2 == -1 && e2 == EINVAL &&
			 r3 == -1 && e3 == EINVAL,
			 "EINVAL for interrupt vectors 300 and 15 and exception vector 40 (%d/%d %d/%d %d/%d)",
			 r1, r1 ? e1 : 0, r2, r2 ? e2 : 0, r3, r3 ? e3 : 0);
}

static void check_interrupt(struct test_vcpu *vcpu)
{
	struct ucall uc;
	int ret, err;

	TEST_ASSERT(vcpu_run_to_stage(vcpu, S_QUEUE, &uc), "guest start");
	ret = _vcpu_interrupt(vcpu, VEC);
	ksft_test_result(ret == 0, "VTX_INTERRUPT %#x queued while the guest has IF=0 (%d, errno %d)",
			 VEC, ret, ret ? errno : 0);
	ret = _vcpu_interrupt(vcpu, VEC + 1);
	err = errno;
	ksft_test_result(ret == -1 && err == EBUSY, "a second VTX_INTERRUPT: EBUSY (%d, errno %d)",
			 ret, ret ? err : 0);

	TEST_ASSERT(vcpu_run_to_stage(vcpu, S_IF0, &uc), "stage S_IF0");
	ksft_test_result(uc.args[1] == 0, "not delivered while IF=0 across 50 VM exits (count %llu)",
			 (unsigned long long)uc.args[1]);
	TEST_ASSERT(vcpu_run_to_stage(vcpu, S_STI, &uc), "stage S_STI");
	ksft_test_result(uc.args[1] == 1 && uc.args[2] == uc.args[3],
			 "delivered once after STI;NOP (count %llu, at rip %#llx, expected %#llx)",
			 (unsigned long long)uc.args[1], (unsigned long long)uc.args[2],
			 (unsigned long long)uc.args[3]);

	TEST_ASSERT(vcpu_run_to_stage(vcpu, S_HLT_QUEUE, &uc), "stage S_HLT_QUEUE");
	vcpu_interrupt(vcpu, VEC);
	ret = vcpu_run_to_stage(vcpu, S_HLT, &uc);
	ksft_test_result(ret && uc.args[1] == 2 && uc.args[2] == uc.args[3],
			 "STI;HLT: the interrupt ends the HLT (count %llu, at rip %#llx, expected %#llx, exit %s)",
			 (unsigned long long)uc.args[1], (unsigned long long)uc.args[2],
			 (unsigned long long)uc.args[3], exit_reason_str(vcpu->run->exit_reason));
	TEST_ASSERT(ret, "cannot continue");
}

static void check_nmi(struct test_vcpu *vcpu)
{
	struct ucall uc;
	bool ok;

	TEST_ASSERT(vcpu_run_to_stage(vcpu, S_NMI, &uc), "stage S_NMI");
	vcpu_nmi(vcpu);
	ok = vcpu_run_to_stage(vcpu, S_NMI_IN_HANDLER, &uc);
	ksft_test_result(ok, "VTX_NMI runs the guest's NMI handler");
	TEST_ASSERT(ok, "cannot continue");
	vcpu_nmi(vcpu);
	ok = vcpu_run_to_stage(vcpu, S_NMI_DONE, &uc);
	ksft_test_result(ok && uc.args[1] == 2 && uc.args[2] == 1,
			 "a second NMI waits for the handler's IRET (NMIs %llu, seen inside %llu)",
			 (unsigned long long)uc.args[1], (unsigned long long)uc.args[2]);
	TEST_ASSERT(ok, "cannot continue");
}

static void check_exceptions(struct test_vcpu *vcpu)
{
	struct ucall uc;
	bool ok;

	TEST_ASSERT(vcpu_run_to_stage(vcpu, S_GP, &uc), "stage S_GP");
	TEST_ASSERT(!_vcpu_inject_exception(vcpu, GP_VECTOR, true, 0x1234),
		    "VTX_INJECT_EXCEPTION #GP");
	ok = vcpu_run_to_stage(vcpu, S_GP_DONE, &uc);
	ksft_test_result(ok && uc.args[1] == 1 && uc.args[4] == 0x1234,
			 "injected #GP(0x1234): handler ran %llu time(s), error code %#llx",
			 (unsigned long long)uc.args[1], (unsigned long long)uc.args[4]);
	TEST_ASSERT(ok, "cannot continue");

	TEST_ASSERT(vcpu_run_to_stage(vcpu, S_UD, &uc), "stage S_UD");
	TEST_ASSERT(!_vcpu_inject_exception(vcpu, UD_VECTOR, false, 0),
		    "VTX_INJECT_EXCEPTION #UD");
	ok = vcpu_run_to_stage(vcpu, S_UD_DONE, &uc);
	ksft_test_result(ok && uc.args[1] == 1,
			 "injected #UD without error code: handler ran %llu time(s), IRET resumed",
			 (unsigned long long)uc.args[1]);
	TEST_ASSERT(ok, "cannot continue");
}

int main(void)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm;

	ksft_print_header();
	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	vm_install_irq_counter(vm, VEC, GUEST_EOI_NONE);
	vm_install_irq_counter(vm, GP_VECTOR, GUEST_EOI_NONE);
	vm_install_irq_counter(vm, UD_VECTOR, GUEST_EOI_NONE);
	vm_install_exception_handler(vm, 2, nmi_handler);
	ksft_set_plan(11);
	test_watchdog_start(60, "inject (a queued event was never delivered?)", NULL);

	check_bad_vectors(vcpu);
	check_interrupt(vcpu);
	check_nmi(vcpu);
	check_exceptions(vcpu);
	ksft_test_result(vcpu_run_to_done(vcpu) && vm_irq_count(vm, 0, VEC) == 2 &&
			 vm_irq_count(vm, 0, VEC + 1) == 0,
			 "guest finishes; vector %#x seen twice, %#x never", VEC, VEC + 1);
	test_watchdog_stop();
	vcpu_free(vcpu);
	vm_free(vm);
	ksft_finished();
}
