// SPDX-License-Identifier: GPL-2.0
/*
 * lapic_en: the local APIC's global enable, IA32_APIC_BASE bit 11 (SDM
 * vol 3A 11.4.3). Cleared, the processor is one without an APIC:
 * CPUID.1:EDX.APIC reads 0 and the xAPIC page is no longer the APIC's
 * (vtx leaves it to userspace, which this test answers with all ones).
 * Re-enabled in xAPIC mode, then in x2APIC mode (SDM 11.12.5), the APIC
 * works again. Then KVM's hypercall ABI on VMCALL: KVM_HC_SEND_IPI to
 * APIC IDs from 0xffffffff reaches nobody (0), a self IPI lands in IRR
 * (1), an unknown number gives -KVM_ENOSYS, as kvm-unit-tests' apic
 * test expects.
 */
#include "irq.h"
#include "vm.h"
#include "vm_test.h"
#include "vtx_util.h"

#define C1_EDX_APIC		(1u << 9)
#define KVM_HC_SEND_IPI		10
#define KVM_ENOSYS		1000
#define VEC_PV			0x61
#define LVR_MMIO		(0xfee00000ull + LAPIC_VER)

enum { S_ON = 1, S_OFF, S_XAPIC, S_X2APIC, S_PV_NONE, S_PV_SELF, S_ENOSYS };

static bool cpuid_apic(void)
{
	return cpuid(1, 0).edx & C1_EDX_APIC;
}

static int64_t vmcall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	int64_t ret;

	asm volatile("vmcall" : "=a"(ret) : "a"(nr), "b"(a0), "c"(a1), "d"(a2), "S"(a3)
		     : "memory");
	return ret;
}

static void guest_code(void)
{
	uint64_t base = rdmsr(MSR_IA32_APICBASE);
	uint32_t lvr = xapic_read(LAPIC_VER);
	int64_t ret;

	asm volatile("cli");	/* the self IPI below stays in IRR */
	GUEST_SYNC2(S_ON, cpuid_apic() && (base & LAPIC_BASE_EN));

	wrmsr(MSR_IA32_APICBASE, base & ~(LAPIC_BASE_EN | LAPIC_BASE_EXTD));
	ucall(UCALL_SYNC, S_OFF, cpuid_apic(), xapic_read(LAPIC_VER),
	      rdmsr(MSR_IA32_APICBASE), 0);

	wrmsr(MSR_IA32_APICBASE, base | LAPIC_BASE_EN);
	ucall(UCALL_SYNC, S_XAPIC, cpuid_apic(), xapic_read(LAPIC_VER) == lvr, 0, 0);

	x2apic_enable();
	ucall(UCALL_SYNC, S_X2APIC, cpuid_apic(), (uint32_t)x2apic_read(LAPIC_VER) == lvr,
	      0, 0);

	GUEST_SYNC2(S_PV_NONE, vmcall(KVM_HC_SEND_IPI, 0xffffffff, 0, 0xffffffff, 0));
	ret = vmcall(KVM_HC_SEND_IPI, 1, 0, 0, VEC_PV);
	ucall(UCALL_SYNC, S_PV_SELF, ret, x2apic_vector_bit(LAPIC_IRR, VEC_PV), 0, 0);
	GUEST_SYNC2(S_ENOSYS, vmcall(0x7fff, 0, 0, 0, 0));
	GUEST_DONE();
}

int main(void)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_test_start(&vcpu, guest_code, 9);
	struct vtx_run *run = vcpu->run;
	unsigned int mmio_lvr = 0;
	struct ucall uc;
	uint64_t cmd;

	for (;;) {
		cmd = vcpu_run_ucall(vcpu, &uc);
		if (cmd == UCALL_NONE && run->exit_reason == VTX_EXIT_MMIO) {
			/* the disabled APIC's page: nothing there, reads are all ones */
			if (run->mmio.gpa == LVR_MMIO && !run->mmio.is_write)
				mmio_lvr++;
			memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
			continue;
		}
		if (cmd != UCALL_SYNC)
			break;
		switch (uc.args[0]) {
		case S_ON:
			ksft_test_result(uc.args[1], "at reset: APIC_BASE.EN and CPUID.1:EDX.APIC");
			break;
		case S_OFF:
			ksft_test_result(!uc.args[1] && !(uc.args[3] & LAPIC_BASE_EN),
					 "EN cleared: CPUID.1:EDX.APIC %llu, APIC_BASE %#llx",
					 (unsigned long long)uc.args[1],
					 (unsigned long long)uc.args[3]);
			ksft_test_result(mmio_lvr == 1 && (uint32_t)uc.args[2] == 0xffffffff,
					 "EN cleared: xAPIC page left to userspace (%u exits), LVR %#x",
					 mmio_lvr, (uint32_t)uc.args[2]);
			break;
		case S_XAPIC:
			ksft_test_result(uc.args[1] && uc.args[2] && mmio_lvr == 1,
					 "re-enabled in xAPIC mode: CPUID bit, LVR from the APIC");
			break;
		case S_X2APIC:
			ksft_test_result(uc.args[1] && uc.args[2],
					 "then x2APIC mode: CPUID bit, LVR MSR");
			break;
		case S_PV_NONE:
			ksft_test_result(uc.args[1] == 0,
					 "KVM_HC_SEND_IPI to IDs from 0xffffffff: %lld (want 0)",
					 (long long)uc.args[1]);
			break;
		case S_PV_SELF:
			ksft_test_result(uc.args[1] == 1 && uc.args[2],
					 "KVM_HC_SEND_IPI to self: %lld (want 1), IRR bit %llu",
					 (long long)uc.args[1], (unsigned long long)uc.args[2]);
			break;
		case S_ENOSYS:
			ksft_test_result((int64_t)uc.args[1] == -KVM_ENOSYS,
					 "unknown hypercall: %lld (want -KVM_ENOSYS)",
					 (long long)uc.args[1]);
			break;
		default:
			ksft_exit_fail_msg("unknown stage %llu", (unsigned long long)uc.args[0]);
		}
	}
	ksft_test_result(cmd == UCALL_DONE, "guest done");
	vm_test_finish(vm, vcpu);
}
