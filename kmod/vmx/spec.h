/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Speculative-execution mitigations at VM entry and vCPU switch: which ones
 * this host needs (vmx/spec.c, hardware-free, unit-tested) and the hooks the
 * run loop calls (vmx/spec_host.c). See README "CPU bugs".
 */
#ifndef VTX_VMX_SPEC_H
#define VTX_VMX_SPEC_H

#include "ktypes.h"

/* What the host CPU has, as the kernel's bug and feature bits say. */
struct vtx_spec_host {
	bool bug_l1tf;		/* X86_BUG_L1TF */
	bool bug_mds;		/* X86_BUG_MDS */
	bool bug_taa;		/* X86_BUG_TAA */
	bool bug_mmio;		/* X86_BUG_MMIO_STALE_DATA */
	bool bug_rfds;		/* X86_BUG_RFDS */
	bool bug_spectre_v2;	/* X86_BUG_SPECTRE_V2 */
	bool has_md_clear;	/* X86_FEATURE_MD_CLEAR: VERW clears CPU buffers */
	bool has_flush_l1d;	/* X86_FEATURE_FLUSH_L1D: IA32_FLUSH_CMD */
	bool has_ibpb;		/* X86_FEATURE_IBPB: IA32_PRED_CMD */
	bool mitigations_off;	/* cpu_mitigations_off(): booted mitigations=off */
};

/* Module parameters verw=, l1d_flush=, ibpb=: -1 as the host needs, 0 off, 1 on. */
struct vtx_spec_params {
	int verw;
	int l1d_flush;
	int ibpb;
};

/* Done at every VM entry / VM switch. */
#define VTX_SPEC_VERW		BIT(0)	/* VERW right before VMLAUNCH/VMRESUME */
#define VTX_SPEC_L1D_MSR	BIT(1)	/* IA32_FLUSH_CMD.L1D_FLUSH before entry */
#define VTX_SPEC_L1D_SW		BIT(2)	/* no FLUSH_L1D: read 64 KiB to evict L1D */
#define VTX_SPEC_IBPB		BIT(3)	/* IBPB when a CPU switches to another VM */
/* Said in the log line only. */
#define VTX_SPEC_VERW_NO_UCODE	BIT(8)	/* VERW without MD_CLEAR: clears nothing */
#define VTX_SPEC_VERW_OFF	BIT(9)	/* needed, turned off by verw=0 */
#define VTX_SPEC_L1D_OFF	BIT(10)	/* needed, turned off by l1d_flush=0 */
#define VTX_SPEC_IBPB_OFF	BIT(11)	/* needed, turned off by ibpb=0 */
#define VTX_SPEC_IBPB_NONE	BIT(12)	/* wanted, but the CPU has no IBPB */
#define VTX_SPEC_HOST_OFF	BIT(13)	/* host booted mitigations=off: none by default */

#define VTX_SPEC_L1D		(VTX_SPEC_L1D_MSR | VTX_SPEC_L1D_SW)

/* Bytes the software L1D flush reads: twice the largest L1D (KVM's size). */
#define VTX_SPEC_L1D_SW_BYTES	(64 * 1024)

/* The mitigation mask, or -EINVAL for a parameter other than -1, 0, 1 (*bad names it). */
int vtx_spec_policy(const struct vtx_spec_host *h, const struct vtx_spec_params *p,
		    const char **bad);

/* "verw l1d-flush ibpb", "none needed", ... in buf; returns the length it needs. */
size_t vtx_spec_describe(u32 mask, char *buf, size_t len);

#ifdef __KERNEL__
#include <linux/percpu.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/nospec-branch.h>
#include "vmx/entry.h"

/* vmx/spec_host.c: the policy's mask, decided once at load. */
extern u32 vtx_spec_mask;

/* How often each ran on each CPU (module parameter mitigation_counts). */
struct vtx_spec_stats {
	u64 verw;
	u64 l1d_flush;
	u64 ibpb;
	u64 vm_switch;	/* a CPU loaded another VM's vCPU: IBPB if VTX_SPEC_IBPB */
};
DECLARE_PER_CPU(struct vtx_spec_stats, vtx_spec_stats);
DECLARE_PER_CPU(u64, vtx_spec_last_vm);

int vtx_spec_init(void);
void vtx_spec_exit(void);
u64 vtx_spec_new_vm_id(void);
void vtx_spec_l1d_flush(void);

/*
 * Right before each VM entry, interrupts off: flush L1D (L1TF), and ask
 * entry.S for VERW (MDS, TAA, MMIO stale data), which must come after
 * every other memory access. Returns VMX_ENTER_* flags.
 */
static __always_inline unsigned int vtx_spec_before_entry(void)
{
	if (unlikely(vtx_spec_mask & VTX_SPEC_L1D))
		vtx_spec_l1d_flush();
	if (vtx_spec_mask & VTX_SPEC_VERW) {
		this_cpu_inc(vtx_spec_stats.verw);
		return VMX_ENTER_VERW;
	}
	return 0;
}

/*
 * A vCPU of VM @vm_id is loaded on this CPU (preemption off): if the last
 * one loaded here belonged to another VM, that guest may have trained the
 * indirect branch predictors against this one; IBPB discards that (as KVM
 * does when it loads another VMCS).
 */
static __always_inline void vtx_spec_vm_switch(u64 vm_id)
{
	if (likely(this_cpu_read(vtx_spec_last_vm) == vm_id))
		return;
	this_cpu_write(vtx_spec_last_vm, vm_id);
	this_cpu_inc(vtx_spec_stats.vm_switch);
	if (vtx_spec_mask & VTX_SPEC_IBPB) {
		wrmsrl(MSR_IA32_PRED_CMD, PRED_CMD_IBPB);
		this_cpu_inc(vtx_spec_stats.ibpb);
	}
}

/*
 * After a guest ran on this CPU (preemption still off). VMSCAPE: the guest
 * may have trained the branch predictors against host user space (vmctl or
 * whatever runs next); the host kernel then puts an IBPB on this CPU's next
 * return to user space, if its vmscape= mitigation wants one (KVM asks the
 * same way).
 */
static __always_inline void vtx_spec_after_guest(void)
{
	if (cpu_feature_enabled(X86_FEATURE_IBPB_EXIT_TO_USER))
		this_cpu_write(x86_ibpb_exit_to_user, true);
}
#endif

#endif /* VTX_VMX_SPEC_H */
