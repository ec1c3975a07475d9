// SPDX-License-Identifier: GPL-2.0
/*
 * Guest register state for VTX_GET/SET_REGS and VTX_GET/SET_SREGS, kept in
 * the VMCS guest-state area (SDM vol 3C 24.4) plus the GPRs entry.S saves.
 *
 * Initial state (vmx_reset_guest): the architectural power-up state of
 * SDM vol 3A 9.1.1 Table 9-1: real mode, CS = F000 with base FFFF0000,
 * RIP = FFF0 (first instruction at FFFFFFF0), CR0 = 60000010, EDX = the
 * CPUID.1 signature. Unrestricted guest runs it as is.
 */
#include <linux/kernel.h>
#include <asm/msr-index.h>
#include <asm/processor.h>
#include <asm/processor-flags.h>

#include "vmx/internal.h"
#include "vmx/ctls.h"
#include "vmx/checks.h"
#include "irq/irqchip.h"

/* RFLAGS bits that must be 0 (SDM 26.3.1.4): 63:22, 15, 5, 3. */
#define RFLAGS_RESERVED	(~0x3fffffULL | BIT(15) | BIT(5) | BIT(3))
#define RFLAGS_FIXED1	BIT(1)

#define PAT_RESET	0x0007040600070406ULL
#define EFER_ALLOWED	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX)

struct vmx_seg_fields {
	unsigned long sel, base, limit, ar;
};

/* In struct vtx_sregs order: cs, ds, es, fs, gs, ss, tr, ldt. */
static const struct vmx_seg_fields vmx_segs[8] = {
	{ GUEST_CS_SELECTOR, GUEST_CS_BASE, GUEST_CS_LIMIT, GUEST_CS_AR_BYTES },
	{ GUEST_DS_SELECTOR, GUEST_DS_BASE, GUEST_DS_LIMIT, GUEST_DS_AR_BYTES },
	{ GUEST_ES_SELECTOR, GUEST_ES_BASE, GUEST_ES_LIMIT, GUEST_ES_AR_BYTES },
	{ GUEST_FS_SELECTOR, GUEST_FS_BASE, GUEST_FS_LIMIT, GUEST_FS_AR_BYTES },
	{ GUEST_GS_SELECTOR, GUEST_GS_BASE, GUEST_GS_LIMIT, GUEST_GS_AR_BYTES },
	{ GUEST_SS_SELECTOR, GUEST_SS_BASE, GUEST_SS_LIMIT, GUEST_SS_AR_BYTES },
	{ GUEST_TR_SELECTOR, GUEST_TR_BASE, GUEST_TR_LIMIT, GUEST_TR_AR_BYTES },
	{ GUEST_LDTR_SELECTOR, GUEST_LDTR_BASE, GUEST_LDTR_LIMIT, GUEST_LDTR_AR_BYTES },
};

static struct vtx_segment *sregs_seg(struct vtx_sregs *s, int i)
{
	struct vtx_segment *segs[8] = {
		&s->cs, &s->ds, &s->es, &s->fs, &s->gs, &s->ss, &s->tr, &s->ldt
	};

	return segs[i];
}

static void vmx_read_seg(struct vtx_vcpu *vcpu, int i, struct vtx_segment *seg)
{
	const struct vmx_seg_fields *f = &vmx_segs[i];
	u32 ar = vmcs_read32(f->ar);

	memset(seg, 0, sizeof(*seg));
	seg->selector = vmcs_read(f->sel);
	seg->base = vmcs_read(f->base);
	seg->limit = vmcs_read32(f->limit);
	seg->type = VMX_AR_TYPE(ar);
	seg->s = !!(ar & VMX_AR_S);
	seg->dpl = (ar >> VMX_AR_DPL_SHIFT) & 3;
	seg->present = !!(ar & VMX_AR_P);
	seg->avl = !!(ar & VMX_AR_AVL);
	seg->l = !!(ar & VMX_AR_L);
	seg->db = !!(ar & VMX_AR_DB);
	seg->g = !!(ar & VMX_AR_G);
	seg->unusable = !!(ar & VMX_AR_UNUSABLE);
}

static void vmx_write_seg(struct vtx_vcpu *vcpu, int i, const struct vtx_segment *seg)
{
	const struct vmx_seg_fields *f = &vmx_segs[i];
	u32 ar = VMX_AR_TYPE(seg->type) | (seg->s ? VMX_AR_S : 0) | ((seg->dpl & 3) << VMX_AR_DPL_SHIFT) |
		 (seg->present ? VMX_AR_P : 0) | (seg->avl ? VMX_AR_AVL : 0) | (seg->l ? VMX_AR_L : 0) |
		 (seg->db ? VMX_AR_DB : 0) | (seg->g ? VMX_AR_G : 0) | (seg->unusable ? VMX_AR_UNUSABLE : 0);

	vmcs_write(f->sel, seg->selector);
	vmcs_write(f->base, seg->base);
	vmcs_write(f->limit, seg->limit);
	vmcs_write(f->ar, ar);
}

void vmx_reset_guest(struct vtx_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	struct vtx_segment data = {
		.limit = 0xffff, .type = 3, .s = 1, .present = 1,
	};
	struct vtx_segment seg = data;
	int i;

	for (i = 0; i < 6; i++)
		vmx_write_seg(vcpu, i, &data);
	seg.selector = 0xf000;
	seg.base = 0xffff0000;
	seg.type = 0xb;			/* code, execute/read, accessed */
	vmx_write_seg(vcpu, 0, &seg);
	seg = (struct vtx_segment){ .limit = 0xffff, .type = 0xb, .present = 1 };
	vmx_write_seg(vcpu, 6, &seg);		/* TR: busy TSS (SDM 26.3.1.2) */
	seg.type = 0x2;
	vmx_write_seg(vcpu, 7, &seg);		/* LDTR */
	vmcs_write(GUEST_GDTR_BASE, 0);
	vmcs_write(GUEST_GDTR_LIMIT, 0xffff);
	vmcs_write(GUEST_IDTR_BASE, 0);
	vmcs_write(GUEST_IDTR_LIMIT, 0xffff);

	vmcs_write(CR0_READ_SHADOW, X86_CR0_CD | X86_CR0_NW | X86_CR0_ET);
	vmcs_write(GUEST_CR0, vmx_fixed_cr(X86_CR0_ET, vmx->cr0_fixed0, vmx->cr0_fixed1));
	vmcs_write(CR4_READ_SHADOW, 0);
	vmcs_write(GUEST_CR4, vmx_cr4_hw(0, vmx->cr4_fixed0, vmx->cr4_fixed1));
	vmcs_write(GUEST_CR3, 0);
	vmx_write_efer(vcpu, 0);
	vmcs_write(GUEST_IA32_PAT, PAT_RESET);
	vmcs_write(GUEST_DR7, 0x400);
	vmcs_write(GUEST_IA32_DEBUGCTL, 0);
	vmcs_write(GUEST_SYSENTER_CS, 0);
	vmcs_write(GUEST_SYSENTER_ESP, 0);
	vmcs_write(GUEST_SYSENTER_EIP, 0);
	vmcs_write(GUEST_PDPTR0, 0);
	vmcs_write(GUEST_PDPTR1, 0);
	vmcs_write(GUEST_PDPTR2, 0);
	vmcs_write(GUEST_PDPTR3, 0);
	vmcs_write(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_write(GUEST_RFLAGS, RFLAGS_FIXED1);
	vmcs_write(GUEST_RIP, 0xfff0);
	vmcs_write(GUEST_RSP, 0);

	memset(vmx->regs, 0, sizeof(vmx->regs));
	vmx->regs[VMX_RDX] = cpuid_eax(1);
	vmx->cr2 = 0;
}

int vmx_get_regs(struct vtx_vcpu *vcpu, struct vtx_regs *r)
{
	unsigned long *g = vcpu->vmx.regs;
	int err = vmx_vcpu_load(vcpu);

	if (err)
		return err;
	*r = (struct vtx_regs){
		.rax = g[VMX_RAX], .rbx = g[VMX_RBX], .rcx = g[VMX_RCX], .rdx = g[VMX_RDX],
		.rsi = g[VMX_RSI], .rdi = g[VMX_RDI], .rbp = g[VMX_RBP],
		.r8 = g[VMX_R8], .r9 = g[VMX_R9], .r10 = g[VMX_R10], .r11 = g[VMX_R11],
		.r12 = g[VMX_R12], .r13 = g[VMX_R13], .r14 = g[VMX_R14], .r15 = g[VMX_R15],
	};
	r->rsp = vmcs_read(GUEST_RSP);
	r->rip = vmcs_read(GUEST_RIP);
	r->rflags = vmcs_read(GUEST_RFLAGS);
	vmx_vcpu_put(vcpu);
	return 0;
}

int vmx_set_regs(struct vtx_vcpu *vcpu, const struct vtx_regs *r)
{
	unsigned long *g = vcpu->vmx.regs;
	int err;

	if (r->rflags & RFLAGS_RESERVED)
		return -EINVAL;
	err = vmx_vcpu_load(vcpu);
	if (err)
		return err;
	g[VMX_RAX] = r->rax; g[VMX_RBX] = r->rbx; g[VMX_RCX] = r->rcx; g[VMX_RDX] = r->rdx;
	g[VMX_RSI] = r->rsi; g[VMX_RDI] = r->rdi; g[VMX_RBP] = r->rbp;
	g[VMX_R8] = r->r8; g[VMX_R9] = r->r9; g[VMX_R10] = r->r10; g[VMX_R11] = r->r11;
	g[VMX_R12] = r->r12; g[VMX_R13] = r->r13; g[VMX_R14] = r->r14; g[VMX_R15] = r->r15;
	vmcs_write(GUEST_RSP, r->rsp);
	vmcs_write(GUEST_RIP, r->rip);
	vmcs_write(GUEST_RFLAGS, r->rflags | RFLAGS_FIXED1);
	vmx_vcpu_put(vcpu);
	return 0;
}

int vmx_get_sregs(struct vtx_vcpu *vcpu, struct vtx_sregs *s)
{
	int i, err = vmx_vcpu_load(vcpu);

	if (err)
		return err;
	memset(s, 0, sizeof(*s));
	for (i = 0; i < 8; i++)
		vmx_read_seg(vcpu, i, sregs_seg(s, i));
	s->gdt.base = vmcs_read(GUEST_GDTR_BASE);
	s->gdt.limit = vmcs_read32(GUEST_GDTR_LIMIT);
	s->idt.base = vmcs_read(GUEST_IDTR_BASE);
	s->idt.limit = vmcs_read32(GUEST_IDTR_LIMIT);
	s->cr0 = vmx_get_cr0(vcpu);
	s->cr2 = vcpu->vmx.cr2;
	s->cr3 = vmcs_read(GUEST_CR3);
	s->cr4 = vmx_get_cr4(vcpu);
	s->cr8 = vmx_get_cr8(vcpu);
	s->efer = vmcs_read(GUEST_IA32_EFER);
	/* IA32_APIC_BASE is the in-kernel LAPIC model's. */
	irqchip_msr(vcpu, MSR_IA32_APICBASE, false, &s->apic_base);
	vmx_vcpu_put(vcpu);
	return 0;
}

/* What VM entry would reject (SDM 26.3.1.1) or the CPU never allows: -EINVAL. */
static int vmx_check_sregs(struct vtx_vcpu *vcpu, const struct vtx_sregs *s)
{
	u64 cr4_allowed = vcpu->vmx.cr4_fixed1 & ~(u64)(X86_CR4_VMXE | X86_CR4_PKE);
	bool pg = s->cr0 & X86_CR0_PG;

	/* SDM 26.3.1.2: CS and TR are always usable; VM entry does not check CS. */
	if (s->cs.unusable || s->tr.unusable)
		return -EINVAL;

	if ((s->cr0 >> 32) || (pg && !(s->cr0 & X86_CR0_PE)) ||
	    ((s->cr0 & X86_CR0_NW) && !(s->cr0 & X86_CR0_CD)))
		return -EINVAL;
	if (s->cr4 & ~cr4_allowed)
		return -EINVAL;
	/* Like MOV to CR4 (cr.c): no CR4.OSXSAVE where the host has no XSAVE. */
	if ((s->cr4 & X86_CR4_OSXSAVE) && !boot_cpu_has(X86_FEATURE_XSAVE))
		return -EINVAL;
	if (s->efer & ~(u64)EFER_ALLOWED)
		return -EINVAL;
	/* IA-32e mode: LMA needs paging with PAE, and LME == LMA while paging. */
	if ((s->efer & EFER_LMA) && (!pg || !(s->cr4 & X86_CR4_PAE)))
		return -EINVAL;
	if (pg && !!(s->efer & EFER_LMA) != !!(s->efer & EFER_LME))
		return -EINVAL;
	/* The LAPIC model checks apic_base (x2APIC bit, state transitions). */
	if (s->cr8 > 15)
		return -EINVAL;
	return 0;
}

int vmx_set_sregs(struct vtx_vcpu *vcpu, const struct vtx_sregs *s)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	struct vtx_sregs tmp = *s;
	u64 cur = 0, apic_base = s->apic_base;
	int i, err;

	err = vmx_vcpu_load(vcpu);
	if (err)
		return err;
	err = vmx_check_sregs(vcpu, s);
	if (err)
		goto out;
	/* Rewrite only a change: the model may refuse some transitions (SDM 11.12.5). */
	irqchip_msr(vcpu, MSR_IA32_APICBASE, false, &cur);
	if (apic_base != cur &&
	    irqchip_msr(vcpu, MSR_IA32_APICBASE, true, &apic_base) != IRQCHIP_HANDLED) {
		err = -EINVAL;
		goto out;
	}
	for (i = 0; i < 8; i++)
		vmx_write_seg(vcpu, i, sregs_seg(&tmp, i));
	vmcs_write(GUEST_GDTR_BASE, s->gdt.base);
	vmcs_write(GUEST_GDTR_LIMIT, s->gdt.limit);
	vmcs_write(GUEST_IDTR_BASE, s->idt.base);
	vmcs_write(GUEST_IDTR_LIMIT, s->idt.limit);

	vmx_write_efer(vcpu, s->efer);
	vmcs_write(CR4_READ_SHADOW, s->cr4);
	vmcs_write(GUEST_CR4, vmx_cr4_hw(s->cr4, vmx->cr4_fixed0, vmx->cr4_fixed1));
	vmcs_write(CR0_READ_SHADOW, s->cr0);
	vmcs_write(GUEST_CR0, vmx_fixed_cr(s->cr0 & ~(u64)(X86_CR0_CD | X86_CR0_NW),
					   vmx->cr0_fixed0, vmx->cr0_fixed1));
	vmcs_write(GUEST_CR3, s->cr3);
	vmx->cr2 = s->cr2;
	/* Only a change: a rewrite would clear TPR[3:0] set through the APIC page. */
	if (vmx_get_cr8(vcpu) != s->cr8)
		vmx_set_cr8(vcpu, s->cr8);
	/* PAE paging takes its PDPTEs from the VMCS at entry (SDM 26.3.2.4). */
	if ((s->cr0 & X86_CR0_PG) && (s->cr4 & X86_CR4_PAE) && !(s->efer & EFER_LMA))
		err = vmx_load_pdptrs(vcpu);
	preempt_disable();
	vmx_invvpid_single(vmx->vpid);
	preempt_enable();
	/* New architectural state: a vCPU shut down by a triple fault may run again. */
	if (!err)
		vmx->shutdown = false;
out:
	vmx_vcpu_put(vcpu);
	return err;
}
