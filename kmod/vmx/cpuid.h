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

/*
 * The guest's answers to the leaves that take no subleaf, filtered once so
 * that a CPUID exit is a table lookup (the exit path is the hot path).
 * Leaves with subleaves, the hypervisor range beyond its base and leaves
 * past the table are not in it: the caller filters those per exit.
 */
#define VMX_CPUID_NR_BASIC	0x20	/* leaves 0 .. 0x1f */
#define VMX_CPUID_NR_EXT	0x20	/* leaves 0x80000000 .. 0x8000001f */
#define VMX_CPUID_EXT_BASE	0x80000000u

struct vmx_cpuid_table {
	u32 nr_vcpus;		/* the ctx it was built for; 0: not built */
	u32 vcpu_id;
	u64 host_xcr0;
	struct vmx_cpuid_regs basic[VMX_CPUID_NR_BASIC];
	struct vmx_cpuid_regs ext[VMX_CPUID_NR_EXT];
	struct vmx_cpuid_regs hv;	/* VTX_CPUID_BASE */
};

/* The host's raw CPUID(@leaf, @subleaf). */
typedef void (*vmx_cpuid_host_fn)(u32 leaf, u32 subleaf, struct vmx_cpuid_regs *r);

/* Fill @t for @ctx (guest_osxsave is ignored: applied at lookup). */
void vmx_cpuid_table_build(struct vmx_cpuid_table *t, const struct vmx_cpuid_ctx *ctx,
			   vmx_cpuid_host_fn host);

/* True if @t was built for the VM's current vCPU count and the same host XCR0. */
static inline bool vmx_cpuid_table_valid(const struct vmx_cpuid_table *t, u32 nr_vcpus,
					 u64 host_xcr0)
{
	return t->nr_vcpus == nr_vcpus && t->host_xcr0 == host_xcr0;
}

/*
 * The guest's answer for @leaf from @t into @r, with CR4.OSXSAVE applied;
 * false if @leaf is not in the table (or depends on the subleaf).
 */
bool vmx_cpuid_lookup(const struct vmx_cpuid_table *t, u32 leaf, bool guest_osxsave,
		      struct vmx_cpuid_regs *r);

/*
 * CPUID.(0DH, 0): EBX is the XSAVE area size for the guest's XCR0, ECX the
 * size for every component the guest may enable (@allowed, sub-leaf 0
 * EAX/EDX), not the host's (SDM vol 2A CPUID leaf 0DH). No-op without
 * XSAVE (@allowed lacks x87: the leaf reads 0).
 */
void vmx_cpuid_xsave_sizes(u64 guest_xcr0, u64 allowed, vmx_cpuid_host_fn host,
			   struct vmx_cpuid_regs *r);

/*
 * CPUID.1:EDX.APIC follows IA32_APIC_BASE.EN: a hardware-disabled local
 * APIC makes the processor one without an APIC (SDM vol 3A 11.4.3).
 */
void vmx_cpuid_apply_apic(u32 leaf, bool apic_enabled, struct vmx_cpuid_regs *r);

#endif /* _VTX_VMX_CPUID_H */
