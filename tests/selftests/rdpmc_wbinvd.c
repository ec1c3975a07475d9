// SPDX-License-Identifier: GPL-2.0
/*
 * rdpmc_wbinvd: RDPMC and WBINVD exit to vtx. vtx offers no PMU (CPUID
 * leaf 0xa reads 0), so RDPMC of any counter raises #GP (SDM vol 2B
 * RDPMC) instead of reading the host's counters. WBINVD exits where the
 * CPU has "WBINVD exiting" (IA32_VMX_PROCBASED_CTLS2 bit 38) and is
 * skipped (caches are coherent with EPT write-back memory): seen from
 * the guest as the time of a VM exit round trip (the guest TSC counts
 * emulated instructions in Bochs), measured against a CPUID exit.
 */
#include "vm.h"
#include "vm_test.h"
#include "vtx_util.h"

#define PROC2_WBINVD_EXITING	(1ull << (32 + 6))
#define MSR_VMX_PROCBASED_CTLS2	0x48b

static uint64_t wbinvd_cycles, cpuid_cycles, nop_cycles;

/* Fewest TSC cycles of 8 runs of one instruction (each run between two RDTSC). */
#define MIN_CYCLES(insn, out) do {						\
	uint64_t __m = ~0ull, __t;						\
	for (int __i = 0; __i < 8; __i++) {					\
		__t = rdtsc();							\
		asm volatile(insn : : : "rax", "rbx", "rcx", "rdx", "memory");	\
		__t = rdtsc() - __t;						\
		if (__t < __m)							\
			__m = __t;						\
	}									\
	WRITE_ONCE(out, __m);							\
} while (0)

static void guest_code(void)
{
	MIN_CYCLES("xor %%eax, %%eax; cpuid", cpuid_cycles);
	MIN_CYCLES("wbinvd", wbinvd_cycles);
	MIN_CYCLES("nop", nop_cycles);
	GUEST_SYNC(0);
	GUEST_ASSERT_EQ(cpuid(0xa, 0).eax, 0);
	GUEST_ASSERT_EQ(rdpmc_safe(0), GP_VECTOR);
	GUEST_ASSERT_EQ(rdpmc_safe(1), GP_VECTOR);
	GUEST_ASSERT_EQ(rdpmc_safe(1u << 30), GP_VECTOR);	/* fixed counter 0 */
	GUEST_SYNC(1);
	GUEST_DONE();
}

int main(void)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_test_start(&vcpu, guest_code, 3);
	struct vtx_caps caps;
	struct ucall uc;
	uint64_t w, c, n;

	vtx_read_caps(&caps);
	if (vcpu_run_ucall(vcpu, &uc) != UCALL_SYNC || uc.args[0] != 0)
		ksft_exit_fail_msg("guest did not reach the timing stage");
	sync_global_from_guest(vm, wbinvd_cycles);
	sync_global_from_guest(vm, cpuid_cycles);
	sync_global_from_guest(vm, nop_cycles);
	w = wbinvd_cycles, c = cpuid_cycles, n = nop_cycles;
	if (!(caps.vmx_msr[MSR_VMX_PROCBASED_CTLS2 - VTX_MSR_VMX_FIRST] & PROC2_WBINVD_EXITING))
		ksft_test_result_skip("the CPU has no WBINVD exiting", "WBINVD exits");
	else
		ksft_test_result(w > 4 * n && 2 * w > c,
				 "WBINVD exits: %llu cycles, CPUID exit %llu, NOP %llu",
				 (unsigned long long)w, (unsigned long long)c,
				 (unsigned long long)n);
	ksft_test_result(vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC && uc.args[0] == 1,
			 "no PMU in CPUID; RDPMC of counters 0, 1, fixed 0 -> #GP");
	ksft_test_result(vcpu_run_ucall(vcpu, &uc) == UCALL_DONE, "guest done");
	vm_test_finish(vm, vcpu);
}
