// SPDX-License-Identifier: GPL-2.0
/*
 * shutdown_reset: a vCPU shut down by a triple fault (SDM vol 3A 6.15,
 * interrupt 8) stays dead for VTX_RUN, but not forever: like the CPU
 * leaving the shutdown state on INIT, it runs again
 *  - after VTX_SET_SREGS (new architectural state from userspace), and
 *  - after an INIT IPI from another vCPU (then a SIPI starts it in real
 *    mode at the trampoline, as in init_sipi).
 */
#include "irq.h"
#include "vm.h"
#include "vm_test.h"
#include "vtx_util.h"
#include "shutdown_guest.h"

#define SIPI_VECTOR	0x10
#define TRAMPOLINE	(SIPI_VECTOR << 12)
#define AP_PORT		0xe1

static const uint8_t trampoline[] = {
	0x8c, 0xc8,			/* mov %cs, %ax */
	0xba, AP_PORT, 0x00,		/* mov $AP_PORT, %dx */
	0xef,				/* out %ax, %dx */
	0xfa,				/* cli */
	0xf4,				/* 1: hlt */
	0xeb, 0xfd,			/* jmp 1b */
};

static void guest_bsp(void)
{
	xapic_enable();
	xapic_send_ipi(1, LAPIC_DM_INIT | LAPIC_ICR_TRIG_LEVEL | LAPIC_ICR_LEVEL_ASSERT);
	xapic_send_ipi(1, LAPIC_DM_INIT | LAPIC_ICR_TRIG_LEVEL);
	xapic_send_ipi(1, LAPIC_DM_STARTUP | SIPI_VECTOR);
	GUEST_DONE();
}

static bool run_shutdown(struct test_vcpu *vcpu)
{
	int ret = _vcpu_run(vcpu);

	return ret == 0 && vcpu->run->exit_reason == VTX_EXIT_SHUTDOWN;
}

int main(void)
{
	struct test_vcpu *vcpu, *bsp, *ap;
	struct vtx_sregs sr;
	struct vtx_regs regs, regs0;
	struct test_vm *vm;
	struct ucall uc;
	uint16_t cs;
	bool ok;

	vm = vm_test_start(&vcpu, guest_triple_fault, 6);
	vcpu_sregs_get(vcpu, &sr);
	vcpu_regs_get(vcpu, &regs0);
	ok = run_shutdown(vcpu) && run_shutdown(vcpu);
	ksft_test_result(ok, "triple fault: VTX_EXIT_SHUTDOWN, and again on the next VTX_RUN");
	regs = regs0;
	regs.rip = (uintptr_t)guest_sync42_done;
	vcpu_regs_set(vcpu, &regs);
	ksft_test_result(run_shutdown(vcpu), "VTX_SET_REGS alone does not revive it");
	vcpu_sregs_set(vcpu, &sr);
	ksft_test_result(vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC && uc.args[0] == 42 &&
			 vcpu_run_to_done(vcpu),
			 "after VTX_SET_SREGS (and SET_REGS) it runs guest code to the end");
	vcpu_free(vcpu);
	vm_free(vm);

	vm = vm_create();
	bsp = vm_vcpu_add(vm, 0, guest_bsp);
	ap = vm_vcpu_add(vm, 1, guest_triple_fault);
	memcpy(addr_gpa2hva(vm, TRAMPOLINE), trampoline, sizeof(trampoline));
	ksft_test_result(run_shutdown(ap), "vCPU 1 triple-faults");
	ok = vcpu_run_to_done(bsp);
	TEST_ASSERT(ok, "vCPU 0 sends INIT and SIPI");
	ok = _vcpu_run(ap) == 0 && ap->run->exit_reason == VTX_EXIT_IO &&
	     ap->run->io.port == AP_PORT;
	cs = ok ? *(uint16_t *)((uint8_t *)ap->run + ap->run->io.data_offset) : 0;
	ksft_test_result(ok && cs == SIPI_VECTOR << 8,
			 "INIT + SIPI revive vCPU 1: trampoline OUT %#x to port %#x (exit %s)",
			 cs, ap->run->io.port, exit_reason_str(ap->run->exit_reason));
	ksft_test_result(vcpu_mp_state(ap) == VTX_MP_RUNNABLE, "vCPU 1 is %s",
			 mp_state_str(vcpu_mp_state(ap)));
	vcpu_free(ap);
	vcpu_free(bsp);
	vm_free(vm);
	ksft_finished();
}
