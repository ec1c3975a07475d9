// SPDX-License-Identifier: GPL-2.0
/*
 * VMCS life cycle: allocation (SDM vol 3C 24.2), control fields adjusted to
 * the capability MSRs (24.6-24.8, appendix A), and the host-state area
 * (24.5, checked at entry by 26.2.2-26.2.4).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/special_insns.h>
#include <asm/cpu_entry_area.h>
#include <asm/fpu/api.h>
#include <asm/fpu/xcr.h>
#include <asm/segment.h>
#include <asm/trapnr.h>

#include "vmx/internal.h"
#include "vmx/ctls.h"

/* Index of a capability MSR in vtx_host_caps.vmx_msr[]. */
#define CAP(msr)	(vtx_host_caps.vmx_msr[(msr) - VTX_MSR_VMX_FIRST])

#define PIN_REQUIRED	(PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING)
/*
 * The VMX-preemption timer bounds every stay in the guest (SDM 25.5.1) to
 * about 2^16 << IA32_VMX_MISC[4:0] TSC cycles. Real CPUs do not need it:
 * external-interrupt exiting alone brings the host back. The test machine
 * (Bochs 2.7) does: it evaluates interrupt masking with the guest's
 * RFLAGS.IF before it is in non-root mode, so a guest entered with IF=0
 * never takes an external-interrupt exit, and a spinning guest would keep
 * a signal (or the whole host CPU) waiting forever.
 */
#define PIN_OPTIONAL	(PIN_BASED_VMX_PREEMPTION_TIMER | PIN_BASED_VIRTUAL_NMIS)
#define PREEMPT_SLICE	(1u << 16)
/*
 * CR3 load/store exiting stay off: with EPT the guest owns CR3 (SDM 28.2).
 * RDPMC exits (no PMU for guests, exit.c); WBINVD too where the CPU can.
 * CR8 and MOV-DR exit because vtx keeps the guest's TPR and debug
 * registers in software rather than in the host's hardware registers:
 * CR8 is the in-kernel LAPIC's TPR (cr.c). "Use TPR shadow" is off: it
 * would save the exits of guests that use CR8 often (Windows) but needs a
 * virtual-APIC page kept in step with the LAPIC model (SDM 29.1).
 */
#define PROC_REQUIRED	(CPU_BASED_HLT_EXITING | CPU_BASED_USE_IO_BITMAPS | \
			 CPU_BASED_USE_MSR_BITMAPS | CPU_BASED_ACTIVATE_SECONDARY_CONTROLS | \
			 CPU_BASED_CR8_LOAD_EXITING | CPU_BASED_CR8_STORE_EXITING | \
			 CPU_BASED_MOV_DR_EXITING | CPU_BASED_MWAIT_EXITING | \
			 CPU_BASED_MONITOR_EXITING | CPU_BASED_USE_TSC_OFFSETTING | \
			 CPU_BASED_RDPMC_EXITING)
#define PROC2_REQUIRED	(SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_ENABLE_VPID | \
			 SECONDARY_EXEC_UNRESTRICTED_GUEST)
/*
 * "Enable XSAVES/XRSTORS" stays off: vtx does not switch IA32_XSS, so a guest
 * XSAVES would work on the host's supervisor state (e.g. arch LBR records).
 * With the control clear XSAVES/XRSTORS raise #UD (SDM 25.3), and CPUID
 * leaf 0xd.1 hides them (cpuid.c).
 */
#define PROC2_OPTIONAL	(SECONDARY_EXEC_ENABLE_RDTSCP | SECONDARY_EXEC_ENABLE_INVPCID | \
			 SECONDARY_EXEC_WBINVD_EXITING)
/* No "acknowledge interrupt on exit": the host takes the IRQ when it enables interrupts. */
/*
 * Debug controls: entry loads DR7 and IA32_DEBUGCTL from the guest-state
 * area (SDM 26.3.2.1), exit saves them (27.3.1): the guest never runs with
 * the host's DR7 (perf/ptrace hardware breakpoints) or DEBUGCTL. GUEST_DR7
 * stays 0x400: the guest's own DR0-7 live in software (cr.c).
 */
#define EXIT_REQUIRED	(VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_SAVE_IA32_EFER | \
			 VM_EXIT_LOAD_IA32_EFER | VM_EXIT_SAVE_IA32_PAT | VM_EXIT_LOAD_IA32_PAT | \
			 VM_EXIT_SAVE_DEBUG_CONTROLS)
#define ENTRY_REQUIRED	(VM_ENTRY_LOAD_IA32_EFER | VM_ENTRY_LOAD_IA32_PAT | \
			 VM_ENTRY_LOAD_DEBUG_CONTROLS)

/*
 * CR0 bits the host owns: guest writes exit (cr.c). PE/PG/NE are forced by
 * VMX or drive IA-32e mode and PDPTE loading; CD/NW are kept off in the real
 * CR0 (the guest sees its own value in the read shadow).
 */
#define CR0_HOST_OWNED	(X86_CR0_PE | X86_CR0_PG | X86_CR0_NE | X86_CR0_CD | X86_CR0_NW)
/*
 * CR4: VMXE is fixed to 1 by VMX operation; the guest must see 0. MCE stays
 * set and PCE/PKE clear in the real CR4 whatever the guest writes
 * (vmx_cr4_hw(), checks.h): the guest sees its own value in the shadow.
 */
#define CR4_HOST_OWNED	(X86_CR4_VMXE | X86_CR4_PAE | X86_CR4_MCE | X86_CR4_PCE | X86_CR4_PKE)

#define VMX_EXCEPTIONS		BIT(X86_TRAP_MC)	/* host machine checks (exit.c) */

/* VM-instruction error number (SDM 30.4) without recursing into vmcs_error(). */
static unsigned long vmcs_insn_error(void)
{
	unsigned long err, field = VM_INSTRUCTION_ERROR;

	asm_goto_output("1: vmread %[field], %[err]\n\t"
			"jbe %l[fail]\n\t"
			_ASM_EXTABLE(1b, %l[fail])
			: [err] "=r" (err) : [field] "r" (field) : "cc" : fail);
	return err;
fail:
	/* VMfail, or a fault (VMX off): the caller's own fault reporting covers it. */
	return ~0UL;
}

void vmcs_error(const char *insn, unsigned long field)
{
	pr_err_ratelimited("%s of VMCS field 0x%lx failed in %pS, VM-instruction error %ld\n",
			   insn, field, __builtin_return_address(0), (long)vmcs_insn_error());
}

int vmx_vcpu_create(struct vtx_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	int vpid;

	vmx->cpu = -1;
	vmx->vmcs = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	vmx->msr_bitmap = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	vmx->io_bitmap = (void *)__get_free_pages(GFP_KERNEL_ACCOUNT, 1);
	if (!vmx->vmcs || !vmx->msr_bitmap || !vmx->io_bitmap)
		goto nomem;
	vmx_vmcs_track_init(&vmx->track, vmx->vmcs, &vmx->cpu, &vmx->launched);
	if (!fpu_alloc_guest_fpstate(&vmx->fpu))
		goto nomem;

	/* SDM 24.2: the region starts with the revision ID, bit 31 clear. */
	*(u32 *)vmx->vmcs = (u32)(CAP(MSR_IA32_VMX_BASIC) & 0x7fffffff);
	vmx_msr_bitmap_init(vmx->msr_bitmap);
	/* Every port exits to the device model: both I/O bitmaps all ones. */
	memset(vmx->io_bitmap, 0xff, 2 * PAGE_SIZE);

	vpid = vpid_alloc();	/* 0: the pool is empty, run without VPID */
	if (vpid < 0) {
		vmx_vcpu_destroy(vcpu);
		return vpid;
	}
	vmx->vpid = vpid;
	/*
	 * Preempt notifiers sit behind a static key: enable it once per vCPU
	 * (text patching), not per VTX_RUN. run.c registers the notifier.
	 */
	preempt_notifier_inc();
	vmx->notifier_ref = true;

	/* Software-held guest state at reset (SDM vol 3A 9.1.1, Table 9-1). */
	vmx->xcr0 = XFEATURE_MASK_FP;
	/* Fast strings; BTS and PEBS unavailable (msr.c). */
	vmx->misc_enable = MSR_IA32_MISC_ENABLE_FAST_STRING | MSR_IA32_MISC_ENABLE_BTS_UNAVAIL |
			   MSR_IA32_MISC_ENABLE_PEBS_UNAVAIL;
	vmx_mce_reset(&vmx->mce);
	vmx->dr[6] = 0xffff0ff0;
	vmx->dr[7] = 0x400;
	vmx_mp_init(vcpu);
	return 0;

nomem:
	vmx_vcpu_destroy(vcpu);
	return -ENOMEM;
}

static void vmx_vmclear_local(void *arg)
{
	struct vmx_vcpu *vmx = arg;

	vmx_vmcs_clear(&vmx->track);
}

void vmx_vcpu_destroy(struct vtx_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	int cpu;

	/*
	 * The VMCS may be cached by the CPU it is active on (SDM 24.11.1).
	 * -ENXIO: that CPU went offline, and vmxon.c cleared it on the way.
	 */
	cpu = READ_ONCE(vmx->cpu);
	if (vmx->vmcs && cpu >= 0)
		smp_call_function_single(cpu, vmx_vmclear_local, vmx, 1);
	if (vmx->notifier_ref)
		preempt_notifier_dec();
	vmx->notifier_ref = false;
	if (vmx->vpid)
		vpid_free(vmx->vpid);
	vmx->vpid = 0;
	if (vmx->fpu.fpstate)
		fpu_free_guest_fpstate(&vmx->fpu);
	free_page((unsigned long)vmx->vmcs);
	free_page((unsigned long)vmx->msr_bitmap);
	free_pages((unsigned long)vmx->io_bitmap, 1);
	vmx->vmcs = vmx->msr_bitmap = vmx->io_bitmap = NULL;
}

/* Host fields that differ between CPUs (SDM 24.5): GDT, TSS, per-CPU bases. */
void vmx_vmcs_set_host_cpu(struct vmx_vcpu *vmx, int cpu)
{
	struct desc_ptr idt;
	u64 val;

	vmcs_write(HOST_TR_BASE, (unsigned long)&get_cpu_entry_area(cpu)->tss.x86_tss);
	vmcs_write(HOST_GDTR_BASE, (unsigned long)get_cpu_gdt_ro(cpu));
	store_idt(&idt);
	vmcs_write(HOST_IDTR_BASE, idt.address);
	rdmsrl(MSR_IA32_SYSENTER_ESP, val);
	vmcs_write(HOST_IA32_SYSENTER_ESP, val);
	rdmsrl(MSR_GS_BASE, val);	/* this CPU's per-CPU area */
	vmcs_write(HOST_GS_BASE, val);
	vmx->host_gs_base = val;
}

/* Host state that is the same on every CPU for this kernel (SDM 26.2.2-26.2.3). */
static void vmx_vmcs_set_host_const(void)
{
	u64 val;

	vmcs_write(HOST_CR0, read_cr0());
	vmcs_write(HOST_CS_SELECTOR, __KERNEL_CS);
	vmcs_write(HOST_SS_SELECTOR, __KERNEL_DS);
	/* DS/ES/FS/GS must have RPL 0 here; run.c restores the real ones. */
	vmcs_write(HOST_DS_SELECTOR, 0);
	vmcs_write(HOST_ES_SELECTOR, 0);
	vmcs_write(HOST_FS_SELECTOR, 0);
	vmcs_write(HOST_GS_SELECTOR, 0);
	/* run.c rewrites it only when the task's FS base differs from this. */
	vmcs_write(HOST_FS_BASE, 0);
	vmcs_write(HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8);
	vmcs_write(HOST_RIP, (unsigned long)vmx_vmexit);
	rdmsrl(MSR_IA32_SYSENTER_CS, val);
	vmcs_write(HOST_IA32_SYSENTER_CS, val);
	rdmsrl(MSR_IA32_SYSENTER_EIP, val);
	vmcs_write(HOST_IA32_SYSENTER_EIP, val);
	rdmsrl(MSR_EFER, val);
	vmcs_write(HOST_IA32_EFER, val);
	rdmsrl(MSR_IA32_CR_PAT, val);
	vmcs_write(HOST_IA32_PAT, val);
}

static int vmx_vmcs_set_controls(struct vtx_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	int err;

	err = vmx_adjust_ctls(CAP(MSR_IA32_VMX_TRUE_PINBASED_CTLS), PIN_REQUIRED, PIN_OPTIONAL,
			      &vmx->pin_ctls);
	if (!err)
		err = vmx_adjust_ctls(CAP(MSR_IA32_VMX_TRUE_PROCBASED_CTLS), PROC_REQUIRED, 0,
				      &vmx->proc_ctls);
	if (!err)
		err = vmx_adjust_ctls(CAP(MSR_IA32_VMX_PROCBASED_CTLS2), PROC2_REQUIRED,
				      PROC2_OPTIONAL, &vmx->proc2_ctls);
	if (!err)
		err = vmx_adjust_ctls(CAP(MSR_IA32_VMX_TRUE_EXIT_CTLS), EXIT_REQUIRED, 0,
				      &vmx->exit_ctls);
	if (!err)
		err = vmx_adjust_ctls(CAP(MSR_IA32_VMX_TRUE_ENTRY_CTLS), ENTRY_REQUIRED, 0,
				      &vmx->entry_ctls);
	if (err) {
		pr_err("VMX controls not supported by this CPU (%d)\n", err);
		return err;
	}
	/* No VPID left for this vCPU (vpid.c): entries and exits flush its TLB. */
	if (!vmx->vpid)
		vmx->proc2_ctls &= ~SECONDARY_EXEC_ENABLE_VPID;
	/* Window exits are turned on and off per entry (events.c). */
	vmx_events_setup_ctls(vmx, CAP(MSR_IA32_VMX_TRUE_PROCBASED_CTLS));
	/* IA-32e mode guest follows EFER.LMA (state.c/cr.c); reset is real mode. */
	vmx->entry_ctls &= ~VM_ENTRY_IA32E_MODE;

	vmcs_write(PIN_BASED_VM_EXEC_CONTROL, vmx->pin_ctls);
	vmcs_write(CPU_BASED_VM_EXEC_CONTROL, vmx->proc_ctls);
	vmcs_write(SECONDARY_VM_EXEC_CONTROL, vmx->proc2_ctls);
	vmcs_write(VM_EXIT_CONTROLS, vmx->exit_ctls);
	vmcs_write(VM_ENTRY_CONTROLS, vmx->entry_ctls);

	vmcs_write(VIRTUAL_PROCESSOR_ID, vmx->vpid);
	vmcs_write(EPT_POINTER, vcpu->vm->ept.eptp);
	vmcs_write(IO_BITMAP_A, __pa(vmx->io_bitmap));
	vmcs_write(IO_BITMAP_B, __pa(vmx->io_bitmap) + PAGE_SIZE);
	vmcs_write(MSR_BITMAP, __pa(vmx->msr_bitmap));
	vmcs_write(VMCS_LINK_POINTER, ~0ULL);	/* SDM 26.3.1.5: no shadow VMCS */
	vmcs_write(EXCEPTION_BITMAP, VMX_EXCEPTIONS);
	vmcs_write(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmcs_write(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmcs_write(CR3_TARGET_COUNT, 0);
	vmcs_write(VM_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmcs_write(TSC_OFFSET, 0);
	/* Not saved on exit: every entry restarts the slice from this value. */
	if (vmx->pin_ctls & PIN_BASED_VMX_PREEMPTION_TIMER)
		vmcs_write(VMX_PREEMPTION_TIMER_VALUE, PREEMPT_SLICE);

	/* SDM 24.6.6 and A.7/A.8: what the real CR0/CR4 must and may contain. */
	vmx->cr0_fixed0 = CAP(MSR_IA32_VMX_CR0_FIXED0) & ~(u64)(X86_CR0_PE | X86_CR0_PG);
	vmx->cr0_fixed1 = CAP(MSR_IA32_VMX_CR0_FIXED1);
	vmx->cr4_fixed0 = CAP(MSR_IA32_VMX_CR4_FIXED0);
	vmx->cr4_fixed1 = CAP(MSR_IA32_VMX_CR4_FIXED1);
	vmx->cr0_mask = CR0_HOST_OWNED | vmx->cr0_fixed0 | ~vmx->cr0_fixed1;
	vmx->cr4_mask = CR4_HOST_OWNED | vmx->cr4_fixed0 | ~vmx->cr4_fixed1;
	/*
	 * A host kernel that turned XSAVE off (e.g. after an xstate size
	 * mismatch) may leave XCR0 with AVX state enabled but switches only
	 * FXSAVE state: a guest with CR4.OSXSAVE could use YMM/ZMM registers
	 * nobody saves, seen by the next guest on this CPU. cr.c refuses it.
	 */
	if (!boot_cpu_has(X86_FEATURE_XSAVE))
		vmx->cr4_mask |= X86_CR4_OSXSAVE;
	vmcs_write(CR0_GUEST_HOST_MASK, vmx->cr0_mask);
	vmcs_write(CR4_GUEST_HOST_MASK, vmx->cr4_mask);
	return 0;
}

/* First VMPTRLD of this VMCS: controls, host state and the reset guest state. */
int vmx_vmcs_init(struct vtx_vcpu *vcpu)
{
	int err;

	err = vmx_vmcs_set_controls(vcpu);
	if (err)
		return err;
	vmx_vmcs_set_host_const();
	vmx_reset_guest(vcpu);
	vcpu->vmx.initialized = true;
	return 0;
}
