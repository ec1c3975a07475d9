// SPDX-License-Identifier: GPL-2.0
/*
 * msr: guest MSR accesses. FS_BASE and KERNEL_GS_BASE are passed through
 * (and must survive VM exits), PAT/EFER/TSC are emulated or switched by vtx,
 * VMX capability MSRs are hidden, unknown MSRs raise #GP in the guest (SDM
 * Vol. 4: RDMSR/WRMSR of a reserved MSR -> #GP(0)).
 */
#include "vm.h"
#include "vm_test.h"
#include "vtx_util.h"

#define FS_VAL		0x00007f1234560000ull
#define KGS_VAL		0xffff888012345000ull
#define PAT_VAL		0x0007010600070106ull	/* valid types only */
#define UNKNOWN_MSR	0x4b564dff		/* unused, not a KVM/vtx MSR */

enum {
	S_FS = 1, S_KGS, S_PAT, S_EFER, S_TSC, S_GP_RD, S_GP_WR, S_VMX, S_PAT_BAD, S_EFER_WR,
	S_EFER_BAD, S_TSC_WR
};

#define TSC_SET		(1ull << 40)

static void guest_code(void)
{
	uint64_t v, t1, t2, m;
	uint8_t vec;

	wrmsr(MSR_FS_BASE, FS_VAL);
	outb(0x80, 0);		/* force a VM exit in between */
	GUEST_SYNC2(S_FS, rdmsr(MSR_FS_BASE));

	wrmsr(MSR_KERNEL_GS_BASE, KGS_VAL);
	outb(0x80, 0);
	GUEST_SYNC2(S_KGS, rdmsr(MSR_KERNEL_GS_BASE));

	wrmsr(MSR_IA32_CR_PAT, PAT_VAL);
	outb(0x80, 0);
	GUEST_SYNC2(S_PAT, rdmsr(MSR_IA32_CR_PAT));

	GUEST_SYNC2(S_EFER, rdmsr(MSR_EFER));

	t1 = rdtsc();
	m = rdmsr(MSR_IA32_TSC);
	t2 = rdtsc();
	GUEST_SYNC2(S_TSC, t1 <= m && m <= t2);

	vec = rdmsr_safe(UNKNOWN_MSR, &v);
	GUEST_SYNC2(S_GP_RD, vec);
	vec = wrmsr_safe(UNKNOWN_MSR, 1);
	GUEST_SYNC2(S_GP_WR, vec);
	vec = rdmsr_safe(MSR_IA32_VMX_BASIC, &v);
	GUEST_SYNC2(S_VMX, vec);
	/* memory type 2 is reserved in PAT (SDM Vol. 3 11.12.2) */
	vec = wrmsr_safe(MSR_IA32_CR_PAT, 0x0007040600070402ull);
	ucall(UCALL_SYNC, S_PAT_BAD, vec, rdmsr(MSR_IA32_CR_PAT), 0, 0);

	/* EFER: SCE toggles, a reserved bit (63) -> #GP */
	v = rdmsr(MSR_EFER);
	wrmsr(MSR_EFER, v ^ EFER_SCE);
	m = rdmsr(MSR_EFER);
	wrmsr(MSR_EFER, v);
	GUEST_SYNC2(S_EFER_WR, m == (v ^ EFER_SCE) && rdmsr(MSR_EFER) == v);
	vec = wrmsr_safe(MSR_EFER, v | (1ull << 63));
	GUEST_SYNC2(S_EFER_BAD, vec == GP_VECTOR && rdmsr(MSR_EFER) == v);

	/* writing IA32_TSC moves the guest's TSC (SDM Vol. 3 18.17) */
	wrmsr(MSR_IA32_TSC, TSC_SET);
	t1 = rdtsc();
	GUEST_SYNC2(S_TSC_WR, t1);
	GUEST_DONE();
}

int main(void)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm;
	struct vtx_sregs sregs;
	struct ucall uc;
	uint64_t cmd;

	vm = vm_test_start(&vcpu, guest_code, 13);

	for (;;) {
		cmd = vcpu_run_ucall(vcpu, &uc);
		if (cmd == UCALL_NONE && vcpu->run->exit_reason == VTX_EXIT_IO &&
		    vcpu->run->io.port == 0x80)
			continue;
		if (cmd != UCALL_SYNC)
			break;
		switch (uc.args[0]) {
		case S_FS:
			ksft_test_result(uc.args[1] == FS_VAL, "FS_BASE reads back %#llx",
					 (unsigned long long)uc.args[1]);
			vcpu_sregs_get(vcpu, &sregs);
			ksft_test_result(sregs.fs.base == FS_VAL, "GET_SREGS fs.base %#llx",
					 (unsigned long long)sregs.fs.base);
			break;
		case S_KGS:
			ksft_test_result(uc.args[1] == KGS_VAL, "KERNEL_GS_BASE reads back %#llx",
					 (unsigned long long)uc.args[1]);
			break;
		case S_PAT:
			ksft_test_result(uc.args[1] == PAT_VAL, "PAT reads back %#llx",
					 (unsigned long long)uc.args[1]);
			break;
		case S_EFER:
			ksft_test_result((uc.args[1] & (EFER_LME | EFER_LMA)) ==
					 (EFER_LME | EFER_LMA), "EFER %#llx has LME and LMA",
					 (unsigned long long)uc.args[1]);
			break;
		case S_TSC:
			ksft_test_result(uc.args[1], "rdtsc <= rdmsr(IA32_TSC) <= rdtsc");
			break;
		case S_GP_RD:
			ksft_test_result(uc.args[1] == GP_VECTOR,
					 "rdmsr of an unknown MSR: vector %llu (want #GP)",
					 (unsigned long long)uc.args[1]);
			break;
		case S_GP_WR:
			ksft_test_result(uc.args[1] == GP_VECTOR,
					 "wrmsr of an unknown MSR: vector %llu (want #GP)",
					 (unsigned long long)uc.args[1]);
			break;
		case S_VMX:
			ksft_test_result(uc.args[1] == GP_VECTOR,
					 "rdmsr IA32_VMX_BASIC: vector %llu (want #GP, VMX hidden)",
					 (unsigned long long)uc.args[1]);
			break;
		case S_PAT_BAD:
			ksft_test_result(uc.args[1] == GP_VECTOR && uc.args[2] == PAT_VAL,
					 "reserved PAT type: vector %llu (want #GP), PAT %#llx unchanged",
					 (unsigned long long)uc.args[1],
					 (unsigned long long)uc.args[2]);
			break;
		case S_EFER_WR:
			ksft_test_result(uc.args[1], "EFER.SCE write reads back, restores");
			break;
		case S_EFER_BAD:
			ksft_test_result(uc.args[1], "EFER reserved bit 63 -> #GP, EFER unchanged");
			break;
		case S_TSC_WR:
			ksft_test_result(uc.args[1] >= TSC_SET && uc.args[1] - TSC_SET < (1ull << 36),
					 "wrmsr IA32_TSC %#llx, then rdtsc %#llx",
					 TSC_SET, (unsigned long long)uc.args[1]);
			break;
		default:
			ksft_exit_fail_msg("unknown stage %llu", (unsigned long long)uc.args[0]);
		}
	}
	if (cmd == UCALL_NONE)
		vcpu_print_exit(vcpu);
	if (cmd != UCALL_DONE)
		ksft_exit_fail_msg("guest did not finish");
	vm_test_finish(vm, vcpu);
}
