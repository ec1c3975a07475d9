/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checks of values a guest hands to vtx that later reach the hardware
 * (XSETBV, WRMSR of the swapped MSRs, CR4): pure logic, also built in
 * userspace for tests/unit/test_checks.c. A false answer means #GP.
 */
#ifndef _VTX_VMX_CHECKS_H
#define _VTX_VMX_CHECKS_H

#include "ktypes.h"

/* XCR0 state components (SDM vol 1 13.1). */
#define VMX_XCR0_X87		BIT_ULL(0)
#define VMX_XCR0_SSE		BIT_ULL(1)
#define VMX_XCR0_AVX		BIT_ULL(2)
#define VMX_XCR0_BNDREGS	BIT_ULL(3)
#define VMX_XCR0_BNDCSR		BIT_ULL(4)
#define VMX_XCR0_OPMASK		BIT_ULL(5)
#define VMX_XCR0_ZMM_HI256	BIT_ULL(6)
#define VMX_XCR0_HI16_ZMM	BIT_ULL(7)
#define VMX_XCR0_MPX		(VMX_XCR0_BNDREGS | VMX_XCR0_BNDCSR)
#define VMX_XCR0_AVX512		(VMX_XCR0_OPMASK | VMX_XCR0_ZMM_HI256 | VMX_XCR0_HI16_ZMM)

/*
 * XSETBV of @xcr0 into XCR0 with @allowed the bits vtx lets a guest enable
 * (SDM vol 1 13.3, vol 2C XSETBV): true if the CPU would accept it.
 */
bool vmx_xcr0_valid(u64 xcr0, u64 allowed);

/*
 * WRMSR of @val to @msr, one of the MSRs vtx keeps for the guest and later
 * loads into the CPU with wrmsrl() (msr.c): true if the CPU would accept
 * it, so that the host's wrmsrl() cannot fault. Other MSRs: true.
 */
bool vmx_guest_msr_valid(u32 msr, u64 val);

/* CR4 bits the host keeps in the CR4 guest/host mask (SDM 24.6.6). */
#define VMX_CR4_MCE		BIT_ULL(6)
#define VMX_CR4_PCE		BIT_ULL(8)
#define VMX_CR4_PKE		BIT_ULL(22)

/*
 * The CR4 the CPU runs the guest with when the guest's own value (its
 * read shadow) is @cr4: MCE always set, so a machine check during the
 * guest is a machine check, not a shutdown (SDM vol 3A 2.5, 15.10.1; KVM
 * does the same); PCE and PKE always clear (RDPMC exits, PKU is not
 * offered); then fitted to the VMX fixed bits (SDM vol 3D A.8).
 */
u64 vmx_cr4_hw(u64 cr4, u64 fixed0, u64 fixed1);

/*
 * Machine-check MSRs (SDM vol 3B 16.3): MCG_CAP reports VMX_MCE_BANKS
 * banks and nothing else (no MCG_CTL_P, CMCI, extended state); no machine
 * check is ever injected, so the banks only hold what the guest writes.
 */
#define VMX_MCE_BANKS		2
#define VMX_MSR_MCG_CAP		0x179
#define VMX_MSR_MCG_STATUS	0x17a
#define VMX_MSR_MC0_CTL		0x400	/* MCi_CTL, _STATUS, _ADDR, _MISC: 0x400 + 4i + 0..3 */

struct vmx_mce {
	u64 mcg_status;
	u64 bank[VMX_MCE_BANKS][4];
};

/* Power-up state: every error reporting enabled in MCi_CTL, as KVM with QEMU. */
void vmx_mce_reset(struct vmx_mce *m);

/*
 * RDMSR/WRMSR of @msr: 0 done, 1 not a machine-check MSR vtx models,
 * -1 #GP. Writes: MCG_CAP is read-only; MCG_STATUS and MCi_STATUS take
 * only 0 (SDM 16.3.2.2: software clears them; no error is ever logged);
 * MCi_CTL takes 0 or all ones (KVM's rule); MCi_ADDR/MCi_MISC any value.
 */
int vmx_mce_get(const struct vmx_mce *m, u32 msr, u64 *val);
int vmx_mce_set(struct vmx_mce *m, u32 msr, u64 val);

#endif /* _VTX_VMX_CHECKS_H */
