// SPDX-License-Identifier: GPL-2.0
/*
 * cpuid: what a guest sees in CPUID. The hypervisor-present bit is set,
 * VMX is hidden (no nested VT-x), leaf 0x40000000 carries vtx's signature,
 * and the topology leaves agree with the vCPU id (initial APIC ID in leaf 1
 * EBX[31:24] and x2APIC ID in leaf 0xB EDX, SDM Vol. 2A CPUID).
 */
#include "vm.h"
#include "vtx_util.h"

#define NR_VCPUS	2

/* Reports each requested leaf back to the host; the host judges. */
static void guest_code(void)
{
	static const uint32_t leaves[] = { 0, 1, 0xb, 0x40000000 };
	unsigned int i;

	for (i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		struct cpuid_regs r = cpuid(leaves[i], 0);

		ucall(UCALL_SYNC, leaves[i], r.eax, r.ebx, r.ecx, r.edx);
	}
	GUEST_DONE();
}

struct leaf_result {
	bool seen;
	uint32_t eax, ebx, ecx, edx;
};

static int leaf_index(uint64_t leaf)
{
	switch (leaf) {
	case 0: return 0;
	case 1: return 1;
	case 0xb: return 2;
	case 0x40000000: return 3;
	default: return -1;
	}
}

static void run_vcpu(struct test_vcpu *vcpu, struct leaf_result *res)
{
	struct ucall uc;
	int idx;

	for (;;) {
		uint64_t cmd = vcpu_run_ucall(vcpu, &uc);

		if (cmd == UCALL_DONE)
			return;
		idx = leaf_index(uc.args[0]);
		if (cmd == UCALL_NONE)
			vcpu_print_exit(vcpu);
		if (cmd != UCALL_SYNC || idx < 0)
			ksft_exit_fail_msg("vCPU %u: unexpected exit", vcpu->id);
		res[idx] = (struct leaf_result){ true, uc.args[1], uc.args[2], uc.args[3],
						 uc.args[4] };
	}
}

int main(void)
{
	struct leaf_result res[NR_VCPUS][4] = { 0 };
	struct test_vcpu *vcpus[NR_VCPUS];
	struct test_vm *vm;
	char sig[13] = { 0 };
	bool topo_ok = true;
	unsigned int i;

	ksft_print_header();
	vm = vm_create();
	for (i = 0; i < NR_VCPUS; i++)
		vcpus[i] = vm_vcpu_add(vm, i, guest_code);
	ksft_set_plan(6);
	for (i = 0; i < NR_VCPUS; i++)
		run_vcpu(vcpus[i], res[i]);

	ksft_test_result(res[0][0].seen && res[0][0].eax >= 0xb &&
			 res[0][0].ebx == 0x756e6547 /* "Genu" */,
			 "leaf 0: max leaf %#x >= 0xb, vendor GenuineIntel", res[0][0].eax);
	ksft_test_result(res[0][1].ecx & (1u << 31), "leaf 1: ECX.hypervisor[31] set (ecx %#x)",
			 res[0][1].ecx);
	ksft_test_result(!(res[0][1].ecx & (1u << 5)), "leaf 1: ECX.VMX[5] clear (ecx %#x)",
			 res[0][1].ecx);
	memcpy(sig, &res[0][3].ebx, 4);
	memcpy(sig + 4, &res[0][3].ecx, 4);
	memcpy(sig + 8, &res[0][3].edx, 4);
	ksft_test_result(!strcmp(sig, "vtxvtxvtxvtx") && res[0][3].eax >= 0x40000000,
			 "leaf 0x40000000: signature '%s', max hypervisor leaf %#x", sig,
			 res[0][3].eax);
	for (i = 0; i < NR_VCPUS; i++) {
		uint32_t apic1 = res[i][1].ebx >> 24, x2apic = res[i][2].edx;

		ksft_print_msg("vCPU %u: leaf 1 APIC ID %u, leaf 0xb x2APIC ID %u\n", i, apic1,
			       x2apic);
		topo_ok = topo_ok && apic1 == i && x2apic == i;
	}
	ksft_test_result(topo_ok, "APIC IDs in leaves 1 and 0xB equal the vCPU ids");
	ksft_test_result(res[0][1].eax == res[1][1].eax && res[0][1].ecx == res[1][1].ecx &&
			 res[0][1].edx == res[1][1].edx,
			 "both vCPUs see the same leaf 1 features");
	vcpu_free(vcpus[0]);
	vcpu_free(vcpus[1]);
	vm_free(vm);
	ksft_finished();
}
