/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Calls between the files of kmod/vmx/ that run guests. Kernel only.
 *
 * Return conventions (each boundary names its outcomes):
 *  - exit handlers and the run loop's steps: enum vmx_exit_action, or a
 *    negative errno that ends VTX_RUN with it;
 *  - guest-linear memory (gmem.c): enum vmx_gva_result or a negative errno;
 *  - the irqchip's access calls: enum irqchip_access (irq/irqchip.h);
 *  - EPT violations: enum ept_fault (ept/ept.h) or a negative errno.
 *
 * Everything here that reads or writes guest state takes the vCPU whose
 * VMCS it uses; that VMCS must be current, i.e. the caller is the vCPU
 * thread between vmx_vcpu_load() and vmx_vcpu_put() (run.c). Only the
 * raw accessors of vmcs.h (vmcs_read/vmcs_write) act on "the current
 * VMCS" without naming a vCPU.
 */
#ifndef _VTX_VMX_INTERNAL_H
#define _VTX_VMX_INTERNAL_H

#include "vtx.h"
#include "vmx/vmcs.h"
#include "vmx/decode.h"
#include "vmx/entry.h"
#include "vmx/spec.h"

enum vmx_exit_action {
	VMX_TO_USER = 0,	/* vcpu->run is filled in: VTX_RUN returns */
	VMX_RESUME = 1,		/* handled in the kernel: enter the guest again */
};

enum vmx_gva_result {
	VMX_GVA_OK = 0,		/* copied */
	VMX_GVA_PF_INJECTED = 1, /* the guest would fault: #PF injected, resume it */
};

/* A guest GPR by x86 number; RSP lives in the VMCS (SDM 24.4.1). */
static inline unsigned long vmx_reg_read(struct vtx_vcpu *vcpu, unsigned int reg)
{
	return reg == VMX_RSP ? vmcs_read(GUEST_RSP) : vcpu->vmx.regs[reg];
}

static inline void vmx_reg_write(struct vtx_vcpu *vcpu, unsigned int reg, unsigned long val)
{
	if (reg == VMX_RSP)
		vmcs_write(GUEST_RSP, val);
	else
		vcpu->vmx.regs[reg] = val;
}

/* Requests the vCPU thread must leave the interrupts-off entry loop for (mp.c). */
#define VMX_REQ_OUTSIDE	(BIT(VTX_REQ_KICK) | BIT(VTX_REQ_INIT) | BIT(VTX_REQ_SIPI))

/* KICK, INIT and SIPI need the outer loop; VTX_REQ_EVENT is the injection step's. */
static inline bool vmx_requests_outside(struct vtx_vcpu *vcpu)
{
	return READ_ONCE(vcpu->requests) & VMX_REQ_OUTSIDE;
}

/* entry.S */
int vmx_vcpu_enter(struct vmx_vcpu *vmx, unsigned int flags);	/* VMX_ENTER_* */
void vmx_vmexit(void);

/* run.c: make the VMCS current whenever this thread runs, until put. */
int vmx_vcpu_load(struct vtx_vcpu *vcpu);
void vmx_vcpu_put(struct vtx_vcpu *vcpu);
/* run.c: put the host's MSRs etc. back; the next entry loads the guest's anew. */
void vmx_put_guest_state(struct vmx_vcpu *vmx);

/* vmcs.c */
int vmx_vmcs_init(struct vtx_vcpu *vcpu);		/* controls + reset state */
void vmx_vmcs_set_host_cpu(struct vmx_vcpu *vmx, int cpu);	/* per-CPU host fields */

/* exit.c */
int vmx_handle_exit(struct vtx_vcpu *vcpu, u32 exit_reason);
void vmx_skip_insn(struct vtx_vcpu *vcpu);
void vmx_advance_rip(struct vtx_vcpu *vcpu, u32 len);
void vmx_inject_exception(struct vtx_vcpu *vcpu, u8 vector, bool has_err, u32 err);
int vmx_exit_internal(struct vtx_vcpu *vcpu, u32 suberror, u32 ndata,
		      const u64 *data);

/* cr.c: control registers as the guest sees them (shadows) and sets them. */
int vmx_handle_cr(struct vtx_vcpu *vcpu);
int vmx_handle_dr(struct vtx_vcpu *vcpu);
int vmx_handle_xsetbv(struct vtx_vcpu *vcpu);
u64 vmx_get_cr0(struct vtx_vcpu *vcpu);
u64 vmx_get_cr4(struct vtx_vcpu *vcpu);
int vmx_set_cr0(struct vtx_vcpu *vcpu, u64 val);
int vmx_set_cr4(struct vtx_vcpu *vcpu, u64 val);
int vmx_set_efer(struct vtx_vcpu *vcpu, u64 efer);
int vmx_load_pdptrs(struct vtx_vcpu *vcpu);
/* CR8: the in-kernel LAPIC's TPR[7:4]. */
u64 vmx_get_cr8(struct vtx_vcpu *vcpu);
void vmx_set_cr8(struct vtx_vcpu *vcpu, u64 cr8);
u64 vmx_guest_xcr0_allowed(void);	/* XCR0 bits a guest may set */
/* Guest EFER with the "IA-32e mode guest" entry control kept equal to LMA. */
void vmx_write_efer(struct vtx_vcpu *vcpu, u64 efer);

/* msr.c */
void vmx_msr_bitmap_init(void *bitmap);
void vmx_msrs_enter(struct vmx_vcpu *vmx);	/* preemption off: guest MSRs in */
void vmx_msrs_exit(struct vmx_vcpu *vmx);	/* preemption off: host MSRs back */
void vmx_msrs_efer_changed(struct vmx_vcpu *vmx, u64 old, u64 new);
int vmx_handle_rdmsr(struct vtx_vcpu *vcpu);
int vmx_handle_wrmsr(struct vtx_vcpu *vcpu);

/* io.c */
int vmx_handle_io(struct vtx_vcpu *vcpu);
int vmx_complete_io(struct vtx_vcpu *vcpu);

/* mmio.c */
int vmx_handle_ept_violation(struct vtx_vcpu *vcpu);
int vmx_complete_mmio(struct vtx_vcpu *vcpu);

/*
 * gmem.c: guest-linear memory through the guest's page tables: VMX_GVA_OK,
 * VMX_GVA_PF_INJECTED, or -EFAULT when the walk or the data leaves RAM.
 */
enum vmx_cpu_mode vmx_cpu_mode(struct vtx_vcpu *vcpu);
u64 vmx_seg_base(struct vtx_vcpu *vcpu, enum vmx_seg seg);
int vmx_read_guest_virt(struct vtx_vcpu *vcpu, u64 gva, void *buf, size_t len);
int vmx_write_guest_virt(struct vtx_vcpu *vcpu, u64 gva, const void *buf, size_t len);
/* Like vmx_read_guest_virt() but never injects #PF: -EFAULT instead (0: copied). */
int vmx_fetch_guest_virt(struct vtx_vcpu *vcpu, u64 gva, void *buf, size_t len);

/* exit.c: exits handled with interrupts off, then re-entered (run.c). */
bool vmx_handle_exit_irqoff(struct vtx_vcpu *vcpu, u32 exit_reason);
/* exit.c glue to cpuid.c: process context, before entering. */
void vmx_cpuid_refresh(struct vtx_vcpu *vcpu);

/* events.c: injection before each entry (interrupts off) */
void vmx_events_setup_ctls(struct vmx_vcpu *vmx, u64 proc_cap);
bool vmx_events_inject(struct vtx_vcpu *vcpu);	/* true: leave for the outer loop */
void vmx_events_recheck(struct vtx_vcpu *vcpu);
void vmx_events_take_nmi(struct vtx_vcpu *vcpu);
void vmx_events_reset(struct vtx_vcpu *vcpu);

/* mp.c: requests, HLT sleep, INIT/SIPI */
void vmx_mp_init(struct vtx_vcpu *vcpu);
int vmx_process_requests(struct vtx_vcpu *vcpu);
int vmx_vcpu_block(struct vtx_vcpu *vcpu);
int vmx_exit_hlt(struct vtx_vcpu *vcpu);

/* state.c */
void vmx_reset_guest(struct vtx_vcpu *vcpu);	/* architectural reset state */

/* dump.c */
void vmx_dump_vmcs(struct vtx_vcpu *vcpu, const char *why);

#endif /* _VTX_VMX_INTERNAL_H */
