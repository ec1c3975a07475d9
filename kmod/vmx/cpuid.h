/* SPDX-License-Identifier: GPL-2.0 */
/* Guest CPUID: host values filtered for the guest; kernel and userspace. */
#ifndef _VTX_VMX_CPUID_H
#define _VTX_VMX_CPUID_H

#include "ktypes.h"

#define VTX_CPUID_SIGNATURE	"vtxvtxvtxvtx"
#define VTX_CPUID_BASE		0x40000000u
#define VTX_CPUID_MAX_HV_LEAF	0x40000000u

struct vmx_cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

/* What the filter needs to know about the VM and the guest's state. */
struct vmx_cpuid_ctx {
	u32 vcpu_id;		/* also the initial APIC ID */
	u32 nr_vcpus;		/* vCPUs the VM is sized for (>= 1) */
	u64 host_xcr0;		/* XSAVE features the host enabled */
	bool guest_osxsave;	/* guest CR4.OSXSAVE */
};

/*
 * Rewrite @r, the host's answer to CPUID(@leaf, @subleaf), into the
 * guest's answer. Leaves outside the host's ranges and the hypervisor
 * range are produced here without host data.
 */
void vmx_cpuid_filter(const struct vmx_cpuid_ctx *ctx, u32 leaf, u32 subleaf,
		      struct vmx_cpuid_regs *r);

#endif /* _VTX_VMX_CPUID_H */
