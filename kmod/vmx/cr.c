// SPDX-License-Identifier: GPL-2.0
/*
 * Control registers, debug registers and XCR0 as the guest sees them.
 *
 * CR0/CR4 bits in the guest/host masks are the host's (SDM 24.6.6): the
 * guest reads its own value from the read shadow and a MOV to such a bit
 * exits here (SDM 25.1.3), where vtx checks it like the CPU would, keeps
 * EFER.LMA and the "IA-32e mode guest" entry control in step (SDM 9.8.5,
 * 26.3.1.1) and loads PAE PDPTEs that EPT takes from the VMCS (SDM 28.3.1).
 */
#include <linux/preempt.h>
#include <asm/debugreg.h>
#include <asm/fpu/xcr.h>
#include <asm/fpu/xstate.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/traps.h>

#include "vmx/internal.h"
#include "vmx/ctls.h"
#include "vmx/checks.h"
#include "irq/irqchip.h"

#define EFER_ALLOWED	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX)
/* XCR0 bits vtx lets a guest enable: x87 through AVX-512 state, never PKRU. */
#define XCR0_GUEST_MAX	0xffULL

/* Exit qualification for control-register accesses (SDM 27.2.1 Table 27-3). */
#define CR_QUAL_CR(q)		((q) & 0xf)
#define CR_QUAL_TYPE(q)		(((q) >> 4) & 3)
#define CR_QUAL_REG(q)		(((q) >> 8) & 0xf)
#define CR_QUAL_LMSW_DATA(q)	(((q) >> 16) & 0xffff)
enum { CR_MOV_TO, CR_MOV_FROM, CR_CLTS, CR_LMSW };

/* Debug-register accesses (SDM 27.2.1 Table 27-4). */
#define DR_QUAL_DR(q)		((q) & 7)
#define DR_QUAL_FROM(q)		(((q) >> 4) & 1)
#define DR_QUAL_REG(q)		(((q) >> 8) & 0xf)
#define DR7_GD			BIT(13)	/* general detect (SDM vol 3B 17.2.4) */
#define DR6_BD			BIT(13)	/* debug register access detected */

u64 vmx_get_cr0(struct vtx_vcpu *vcpu)
{
	unsigned long mask = vmcs_read(CR0_GUEST_HOST_MASK);

	return (vmcs_read(GUEST_CR0) & ~mask) | (vmcs_read(CR0_READ_SHADOW) & mask);
}

u64 vmx_get_cr4(struct vtx_vcpu *vcpu)
{
	unsigned long mask = vmcs_read(CR4_GUEST_HOST_MASK);

	return (vmcs_read(GUEST_CR4) & ~mask) | (vmcs_read(CR4_READ_SHADOW) & mask);
}

u64 vmx_guest_xcr0_allowed(void)
{
	if (!boot_cpu_has(X86_FEATURE_XSAVE))
		return 0;
	return xgetbv(XCR_XFEATURE_ENABLED_MASK) & XCR0_GUEST_MAX;
}

/* A paging change the CPU would have flushed the TLB for (SDM 4.10.4.1). */
static void vmx_flush_guest_tlb(struct vtx_vcpu *vcpu)
{
	preempt_disable();
	vmx_invvpid_single(vcpu->vmx.vpid);
	preempt_enable();
}

static bool vmx_pae_paging(u64 cr0, u64 cr4, u64 efer)
{
	return (cr0 & X86_CR0_PG) && (cr4 & X86_CR4_PAE) && !(efer & EFER_LMA);
}

/* PAE paging: the four PDPTEs at CR3[31:5] go into the VMCS (SDM 26.3.2.4, 28.3.1). */
int vmx_load_pdptrs(struct vtx_vcpu *vcpu)
{
	static const unsigned long field[4] = {
		GUEST_PDPTR0, GUEST_PDPTR1, GUEST_PDPTR2, GUEST_PDPTR3
	};
	u64 pdpte[4];
	int i;

	if (vm_read_guest(vcpu->vm, vmcs_read(GUEST_CR3) & 0xffffffe0UL, pdpte, sizeof(pdpte)))
		return -EFAULT;
	for (i = 0; i < 4; i++) {
		/* Present entries with reserved bits 2:1, 8:5 set fault (SDM 4.4.1). */
		if ((pdpte[i] & 1) && (pdpte[i] & 0x1e6))
			return -EINVAL;
	}
	for (i = 0; i < 4; i++)
		vmcs_write(field[i], pdpte[i]);
	return 0;
}

void vmx_write_efer(struct vtx_vcpu *vcpu, u64 efer)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;

	vmx_msrs_efer_changed(vmx, vmcs_read(GUEST_IA32_EFER), efer);
	if (efer & EFER_LMA)
		vmx->entry_ctls |= VM_ENTRY_IA32E_MODE;
	else
		vmx->entry_ctls &= ~VM_ENTRY_IA32E_MODE;
	vmcs_write(VM_ENTRY_CONTROLS, vmx->entry_ctls);
	vmcs_write(GUEST_IA32_EFER, efer);
}

/* MOV to CR0 semantics (SDM vol 3A 2.5, 9.8.5); -EINVAL means #GP(0). */
int vmx_set_cr0(struct vtx_vcpu *vcpu, u64 val)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	u64 old = vmx_get_cr0(vcpu), cr4 = vmx_get_cr4(vcpu);
	u64 efer = vmcs_read(GUEST_IA32_EFER);

	if (val >> 32)
		return -EINVAL;
	if ((val & X86_CR0_NW) && !(val & X86_CR0_CD))
		return -EINVAL;
	if ((val & X86_CR0_PG) && !(val & X86_CR0_PE))
		return -EINVAL;
	val |= X86_CR0_ET;

	if ((val & X86_CR0_PG) && !(old & X86_CR0_PG) && (efer & EFER_LME)) {
		/* Activating IA-32e mode needs PAE (SDM 9.8.5). */
		if (!(cr4 & X86_CR4_PAE))
			return -EINVAL;
		efer |= EFER_LMA;
	} else if (!(val & X86_CR0_PG) && (efer & EFER_LMA)) {
		/* Paging can be turned off only from compatibility mode (SDM 9.8.5.4). */
		if (vmx_cpu_mode(vcpu) == VMX_MODE_64)
			return -EINVAL;
		efer &= ~EFER_LMA;
	}
	if (vmx_pae_paging(val, cr4, efer) && !vmx_pae_paging(old, cr4, efer)) {
		/* PDPTEs come from CR3, which the guest set before enabling paging. */
		vmcs_write(GUEST_CR0, vmx_fixed_cr(val & ~(u64)(X86_CR0_CD | X86_CR0_NW),
						   vmx->cr0_fixed0, vmx->cr0_fixed1));
		if (vmx_load_pdptrs(vcpu)) {
			vmcs_write(GUEST_CR0, vmx_fixed_cr(old & ~(u64)(X86_CR0_CD | X86_CR0_NW),
							   vmx->cr0_fixed0, vmx->cr0_fixed1));
			return -EINVAL;
		}
	}
	vmx_write_efer(vcpu, efer);
	vmcs_write(CR0_READ_SHADOW, val);
	vmcs_write(GUEST_CR0, vmx_fixed_cr(val & ~(u64)(X86_CR0_CD | X86_CR0_NW),
					   vmx->cr0_fixed0, vmx->cr0_fixed1));
	if ((val ^ old) & (X86_CR0_PG | X86_CR0_WP | X86_CR0_PE))
		vmx_flush_guest_tlb(vcpu);
	return 0;
}

/*
 * MOV to CR4 (SDM vol 3A 2.5); VMXE and PKE are not offered to guests (CPUID
 * hides VMX and PKU), so setting them is #GP. The CPU runs the guest with
 * vmx_cr4_hw() of its value (checks.h).
 */
int vmx_set_cr4(struct vtx_vcpu *vcpu, u64 val)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	u64 old = vmx_get_cr4(vcpu), cr0 = vmx_get_cr0(vcpu);
	u64 efer = vmcs_read(GUEST_IA32_EFER);
	u64 fixed1 = vmx->cr4_fixed1 & ~(u64)(X86_CR4_VMXE | X86_CR4_PKE);

	if (val & ~fixed1)
		return -EINVAL;
	if ((efer & EFER_LMA) && !(val & X86_CR4_PAE))
		return -EINVAL;
	if ((val & X86_CR4_OSXSAVE) && !boot_cpu_has(X86_FEATURE_XSAVE))
		return -EINVAL;
	vmcs_write(CR4_READ_SHADOW, val);
	vmcs_write(GUEST_CR4, vmx_cr4_hw(val, vmx->cr4_fixed0, vmx->cr4_fixed1));
	if (vmx_pae_paging(cr0, val, efer) &&
	    ((val ^ old) & (X86_CR4_PAE | X86_CR4_PSE | X86_CR4_PGE)) && vmx_load_pdptrs(vcpu)) {
		vmcs_write(CR4_READ_SHADOW, old);
		vmcs_write(GUEST_CR4, vmx_cr4_hw(old, vmx->cr4_fixed0, vmx->cr4_fixed1));
		return -EINVAL;
	}
	if ((val ^ old) & (X86_CR4_PAE | X86_CR4_PSE | X86_CR4_PGE | X86_CR4_PCIDE | X86_CR4_SMEP))
		vmx_flush_guest_tlb(vcpu);
	return 0;
}

/* WRMSR IA32_EFER (SDM vol 4 / vol 3A 2.2.1): LMA is read-only, LME fixed while paging. */
int vmx_set_efer(struct vtx_vcpu *vcpu, u64 efer)
{
	u64 old = vmcs_read(GUEST_IA32_EFER);

	if (efer & ~(u64)EFER_ALLOWED)
		return -EINVAL;
	if ((vmx_get_cr0(vcpu) & X86_CR0_PG) && ((efer ^ old) & EFER_LME))
		return -EINVAL;
	efer = (efer & ~(u64)EFER_LMA) | (old & EFER_LMA);
	vmx_write_efer(vcpu, efer);
	return 0;
}

/*
 * CR8 is TPR[7:4] of the local APIC (SDM vol 3A 10.8.6.1): with the
 * in-kernel LAPIC it is the model's TPR, so MOV CR8 and the xAPIC/x2APIC
 * TPR register are one value and a raised CR8 masks lower-priority
 * interrupts. vtx does not use the TPR shadow (no virtual-APIC page): CR8
 * accesses exit (CR8-load/store exiting, vmcs.c) and land here.
 */
u64 vmx_get_cr8(struct vtx_vcpu *vcpu)
{
	return irqchip_get_tpr(vcpu);
}

/* @cr8 is 0..15 (callers check the reserved bits). */
void vmx_set_cr8(struct vtx_vcpu *vcpu, u64 cr8)
{
	irqchip_set_tpr(vcpu, cr8);
	/* A lower TPR may let an interrupt waiting in IRR through (SDM 10.8.3.1). */
	vmx_events_recheck(vcpu);
}

static int vmx_mov_to_cr(struct vtx_vcpu *vcpu, unsigned int cr, u64 val)
{
	switch (cr) {
	case 0:
		return vmx_set_cr0(vcpu, val);
	case 3:
		/* Only with CR3-load exiting forced on by the CPU. */
		vmcs_write(GUEST_CR3, val);
		if (vmx_pae_paging(vmx_get_cr0(vcpu), vmx_get_cr4(vcpu), vmcs_read(GUEST_IA32_EFER)) &&
		    vmx_load_pdptrs(vcpu))
			return -EINVAL;
		vmx_flush_guest_tlb(vcpu);
		return 0;
	case 4:
		return vmx_set_cr4(vcpu, val);
	case 8:
		/* TPR: bits 63:4 reserved (SDM vol 3A 10.8.6.1). */
		if (val & ~0xfULL)
			return -EINVAL;
		vmx_set_cr8(vcpu, val);
		return 0;
	default:
		return -EINVAL;
	}
}

int vmx_handle_cr(struct vtx_vcpu *vcpu)
{
	unsigned long q = vmcs_read(EXIT_QUALIFICATION);
	unsigned int cr = CR_QUAL_CR(q), reg = CR_QUAL_REG(q);
	u64 val, cr0;
	int err = 0;

	switch (CR_QUAL_TYPE(q)) {
	case CR_MOV_TO:
		val = vmx_reg_read(vcpu, reg);
		if (vmx_cpu_mode(vcpu) != VMX_MODE_64)
			val = (u32)val;
		err = vmx_mov_to_cr(vcpu, cr, val);
		break;
	case CR_MOV_FROM:
		if (cr == 3)
			val = vmcs_read(GUEST_CR3);
		else if (cr == 8)
			val = vmx_get_cr8(vcpu);
		else
			return vmx_exit_internal(vcpu, VTX_INTERNAL_UNHANDLED_EXIT, 1, (u64[]){ q });
		vmx_reg_write(vcpu, reg, val);
		break;
	case CR_CLTS:
		err = vmx_set_cr0(vcpu, vmx_get_cr0(vcpu) & ~(u64)X86_CR0_TS);
		break;
	case CR_LMSW:
		/* LMSW writes CR0[3:0] but cannot clear PE (SDM vol 2A LMSW). */
		cr0 = vmx_get_cr0(vcpu);
		val = (cr0 & ~0xeULL) | (CR_QUAL_LMSW_DATA(q) & 0xf);
		err = vmx_set_cr0(vcpu, val);
		break;
	}
	if (err) {
		vmx_inject_exception(vcpu, X86_TRAP_GP, true, 0);
		return VMX_RESUME;
	}
	vmx_skip_insn(vcpu);
	return VMX_RESUME;
}

/*
 * MOV DR: the guest's debug registers live in vcpu->vmx.dr[], never in the
 * host's (breakpoints are not emulated); the CPU runs the guest with DR7 =
 * GUEST_DR7 = 0x400 (vmcs.c, load debug controls). DR4/DR5 alias DR6/DR7
 * unless CR4.DE (SDM vol 3A 17.2.2). DR7.GD is emulated here, as the real
 * DR7 does not have the guest's (SDM vol 3B 17.2.4: #DB before the MOV,
 * DR6.BD set, GD cleared).
 */
int vmx_handle_dr(struct vtx_vcpu *vcpu)
{
	unsigned long q = vmcs_read(EXIT_QUALIFICATION);
	unsigned int dr = DR_QUAL_DR(q), reg = DR_QUAL_REG(q);
	u64 *drs = vcpu->vmx.dr, val;

	if (drs[7] & DR7_GD) {
		drs[6] |= DR6_BD;
		drs[7] &= ~(u64)DR7_GD;
		vmx_inject_exception(vcpu, X86_TRAP_DB, false, 0);
		return VMX_RESUME;
	}

	if (dr == 4 || dr == 5) {
		if (vmx_get_cr4(vcpu) & X86_CR4_DE) {
			vmx_inject_exception(vcpu, X86_TRAP_UD, false, 0);
			return VMX_RESUME;
		}
		dr += 2;
	}
	if (DR_QUAL_FROM(q)) {
		vmx_reg_write(vcpu, reg, drs[dr]);
	} else {
		val = vmx_reg_read(vcpu, reg);
		if (vmx_cpu_mode(vcpu) != VMX_MODE_64)
			val = (u32)val;
		if (dr >= 6 && (val >> 32)) {
			vmx_inject_exception(vcpu, X86_TRAP_GP, true, 0);
			return VMX_RESUME;
		}
		if (dr == 6)
			val = (val & 0xe00fULL) | 0xffff0ff0ULL;
		else if (dr == 7)
			val = (val & ~0xd800ULL) | 0x400;
		drs[dr] = val;
	}
	vmx_skip_insn(vcpu);
	return VMX_RESUME;
}

/*
 * XSETBV (SDM vol 2C XSETBV, vol 1 13.3): only ECX, the low 32 bits of RCX,
 * selects the register and only XCR0 exists; a value the CPU would refuse
 * is #GP(0) here and never reaches the host's xsetbv() (run.c).
 */
int vmx_handle_xsetbv(struct vtx_vcpu *vcpu)
{
	unsigned long *regs = vcpu->vmx.regs;
	u64 val = ((u64)(u32)regs[VMX_RDX] << 32) | (u32)regs[VMX_RAX];

	if ((u32)regs[VMX_RCX] != 0 || !vmx_xcr0_valid(val, vmx_guest_xcr0_allowed())) {
		vmx_inject_exception(vcpu, X86_TRAP_GP, true, 0);
		return VMX_RESUME;
	}
	vcpu->vmx.xcr0 = val;
	vmx_skip_insn(vcpu);
	return VMX_RESUME;
}
