// SPDX-License-Identifier: GPL-2.0
/*
 * cr4_owned: CR4 bits the host owns (kmod/vmx/vmcs.c CR4_HOST_OWNED). PKU
 * is not offered: CPUID.7.0:ECX.PKU/OSPKE read 0, MOV to CR4 with PKE
 * raises #GP (SDM vol 2A MOV to CR: reserved bit) and VTX_SET_SREGS with
 * PKE fails with EINVAL. MCE and PCE are the guest's to set and clear as
 * it sees them (the read shadow), while the real CR4 keeps MCE set and
 * PCE clear (checked in tests/unit/test_checks.c: the guest cannot see
 * the hardware value).
 */
#include "vm.h"
#include "vm_test.h"
#include "vtx_util.h"

#define X86_CR4_MCE	(1ull << 6)
#define X86_CR4_PCE	(1ull << 8)
#define X86_CR4_PKE	(1ull << 22)

static void guest_code(void)
{
	uint64_t cr4 = get_cr4();
	struct cpuid_regs r = cpuid(7, 0);

	GUEST_ASSERT(!(r.ecx & (1u << 3)) && !(r.ecx & (1u << 4)));
	GUEST_SYNC(0);
	GUEST_ASSERT_EQ(set_cr4_safe(cr4 | X86_CR4_PKE), GP_VECTOR);
	GUEST_ASSERT_EQ(get_cr4(), cr4);
	GUEST_SYNC(1);
	set_cr4(cr4 | X86_CR4_MCE);
	GUEST_ASSERT_EQ(get_cr4(), cr4 | X86_CR4_MCE);
	set_cr4(cr4 & ~X86_CR4_MCE);
	GUEST_ASSERT_EQ(get_cr4(), cr4 & ~X86_CR4_MCE);
	GUEST_SYNC(2);
	set_cr4(cr4 | X86_CR4_PCE);
	GUEST_ASSERT_EQ(get_cr4(), cr4 | X86_CR4_PCE);
	GUEST_SYNC(3);
	set_cr4(cr4);
	GUEST_ASSERT_EQ(get_cr4(), cr4);
	GUEST_DONE();
}

int main(void)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_test_start(&vcpu, guest_code, 6);
	struct vtx_sregs sr;
	struct ucall uc;
	int ret;

	vcpu_sregs_get(vcpu, &sr);
	sr.cr4 |= X86_CR4_PKE;
	ret = _vcpu_sregs_set(vcpu, &sr);
	ksft_test_result(ret == -1 && errno == EINVAL,
			 "VTX_SET_SREGS with CR4.PKE fails with EINVAL (ret %d)", ret);
	ksft_test_result(vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC && uc.args[0] == 0,
			 "CPUID.7.0:ECX has neither PKU nor OSPKE");
	ksft_test_result(vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC && uc.args[0] == 1,
			 "MOV to CR4 with PKE -> #GP, CR4 unchanged");
	ksft_test_result(vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC && uc.args[0] == 2,
			 "CR4.MCE set and cleared reads back as the guest wrote it");
	vcpu_sregs_get(vcpu, &sr);
	ksft_test_result(vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC && uc.args[0] == 3 &&
			 !(sr.cr4 & X86_CR4_MCE),
			 "CR4.PCE reads back; GET_SREGS showed the guest's MCE = 0 (cr4 %#llx)",
			 (unsigned long long)sr.cr4);
	ksft_test_result(vcpu_run_ucall(vcpu, &uc) == UCALL_DONE, "guest done");
	vm_test_finish(vm, vcpu);
}
