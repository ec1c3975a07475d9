/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VT-x side of a vCPU: VMCS, guest register file, the run loop and exit
 * handlers. Owned by kmod/vmx/; the core (kmod/vcpu.c) only calls these.
 */
#ifndef _VTX_VMX_H
#define _VTX_VMX_H

#include <linux/types.h>
#include "uapi/vtx.h"

struct vtx_vcpu;

struct vmx_vcpu {
	void *vmcs;		/* 4 KiB VMCS region */
	int cpu;		/* CPU the VMCS is loaded on, -1 if clear */
	bool launched;		/* VMLAUNCH done since last VMCLEAR */
	u16 vpid;
	unsigned long regs[16];	/* guest GPRs, saved by entry.S (not RSP) */
	unsigned long cr2;
};

int vmx_vcpu_create(struct vtx_vcpu *vcpu);
void vmx_vcpu_destroy(struct vtx_vcpu *vcpu);
/* Enter the guest until an exit needs userspace; 0 or -EINTR. */
int vmx_vcpu_run(struct vtx_vcpu *vcpu);
int vmx_get_regs(struct vtx_vcpu *vcpu, struct vtx_regs *regs);
int vmx_set_regs(struct vtx_vcpu *vcpu, const struct vtx_regs *regs);
int vmx_get_sregs(struct vtx_vcpu *vcpu, struct vtx_sregs *sregs);
int vmx_set_sregs(struct vtx_vcpu *vcpu, const struct vtx_sregs *sregs);

#endif /* _VTX_VMX_H */
