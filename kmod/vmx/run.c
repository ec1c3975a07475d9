// SPDX-License-Identifier: GPL-2.0
/*
 * The vCPU run loop: keep the VMCS current on whatever CPU the thread runs
 * on, switch the state VT-x does not switch (SDM vol 3C 27.5: segment
 * selectors, GDTR/IDTR limits, TR limit, MSRs, XCR0, debug registers),
 * enter, and dispatch exits until one needs userspace.
 */
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/smp.h>
#include <linux/irqflags.h>
#include <linux/hw_breakpoint.h>
#include <asm/desc.h>
#include <asm/debugreg.h>
#include <asm/fpu/api.h>
#include <asm/fpu/xcr.h>
#include <asm/msr.h>
#include <asm/segment.h>
#include <asm/special_insns.h>

#include "vmx/internal.h"

/* entry.S addresses these by offset. */
static_assert(offsetof(struct vmx_vcpu, regs) == 0);
static_assert(offsetof(struct vmx_vcpu, cr2) == VMX_NR_REGS * 8);

static void vmx_vmclear_on_cpu(void *arg)
{
	struct vmx_vcpu *vmx = arg;

	vmcs_clear(__pa(vmx->vmcs));
}

/*
 * Make this vCPU's VMCS current on @cpu (preemption off). A VMCS active on
 * another CPU must be VMCLEARed there first, and a VMCS that was cleared
 * must be entered with VMLAUNCH again (SDM 24.11.1, 24.11.3).
 */
static int __vmx_vcpu_load(struct vtx_vcpu *vcpu, int cpu)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	u64 pa = __pa(vmx->vmcs);

	if (vmx->cpu == cpu) {
		if (vmcs_current() != pa && vmcs_load(pa))
			return -EIO;
		return 0;
	}
	if (vmx->cpu >= 0)
		smp_call_function_single(vmx->cpu, vmx_vmclear_on_cpu, vmx, 1);
	else
		vmcs_clear(pa);
	vmx->launched = false;
	vmx->cpu = -1;
	if (vmcs_load(pa))
		return -EIO;
	vmx->cpu = cpu;
	vmx_vmcs_set_host_cpu(vmx, cpu);
	/* This CPU may hold TLB entries of the VPID from an earlier visit. */
	vpid_flush_local(vmx->vpid);
	return 0;
}

static void vmx_sched_in(struct preempt_notifier *pn, int cpu)
{
	struct vtx_vcpu *vcpu = container_of(pn, struct vtx_vcpu, vmx.preempt);

	if (__vmx_vcpu_load(vcpu, cpu))
		pr_err_ratelimited("vtx: VMPTRLD failed on CPU %d\n", cpu);
}

static void vmx_sched_out(struct preempt_notifier *pn, struct task_struct *next)
{
}

static struct preempt_ops vmx_preempt_ops = {
	.sched_in = vmx_sched_in,
	.sched_out = vmx_sched_out,
};

/*
 * From here to vmx_vcpu_put() the VMCS is current whenever this thread
 * runs, so handlers may VMREAD/VMWRITE and still sleep in between.
 */
int vmx_vcpu_load(struct vtx_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	int err;

	if (vmx->loaded)
		return 0;
	preempt_notifier_init(&vmx->preempt, &vmx_preempt_ops);
	preempt_disable();
	err = __vmx_vcpu_load(vcpu, smp_processor_id());
	if (!err && !vmx->initialized)
		err = vmx_vmcs_init(vcpu);
	if (!err) {
		preempt_notifier_register(&vmx->preempt);
		vmx->loaded = true;
	}
	preempt_enable();
	return err;
}

void vmx_vcpu_put(struct vtx_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;

	if (!vmx->loaded)
		return;
	preempt_disable();
	preempt_notifier_unregister(&vmx->preempt);
	preempt_enable();
	vmx->loaded = false;
}

/* Host state VM exit does not restore, saved right before entry. */
struct vmx_host_save {
	u16 ds, es, fs, gs;
	unsigned long fs_base, kernel_gs_base;
	u64 xcr0;
	struct desc_ptr gdt, idt;
};

static void vmx_host_save(struct vmx_vcpu *vmx, struct vmx_host_save *h)
{
	unsigned long cr3 = __read_cr3(), cr4 = __read_cr4();

	/* CR3 (PCID) and CR4 can change under us; FS base is the task's. */
	if (cr3 != vmx->host_cr3) {
		vmcs_write(HOST_CR3, cr3);
		vmx->host_cr3 = cr3;
	}
	if (cr4 != vmx->host_cr4) {
		vmcs_write(HOST_CR4, cr4);
		vmx->host_cr4 = cr4;
	}
	savesegment(ds, h->ds);
	savesegment(es, h->es);
	savesegment(fs, h->fs);
	savesegment(gs, h->gs);
	rdmsrl(MSR_FS_BASE, h->fs_base);
	if (h->fs_base != vmx->host_fs_base) {
		vmcs_write(HOST_FS_BASE, h->fs_base);
		vmx->host_fs_base = h->fs_base;
	}
	rdmsrl(MSR_KERNEL_GS_BASE, h->kernel_gs_base);
	native_store_gdt(&h->gdt);
	store_idt(&h->idt);
	h->xcr0 = boot_cpu_has(X86_FEATURE_XSAVE) ? xgetbv(XCR_XFEATURE_ENABLED_MASK) : 0;
	if (h->xcr0 && vmx->xcr0 != h->xcr0)
		xsetbv(XCR_XFEATURE_ENABLED_MASK, vmx->xcr0);
	vmx_msrs_enter(vmx);
}

static void vmx_host_restore(struct vmx_vcpu *vmx, const struct vmx_host_save *h)
{
	if (h->xcr0 && vmx->xcr0 != h->xcr0)
		xsetbv(XCR_XFEATURE_ENABLED_MASK, h->xcr0);
	/* SDM 27.5.2: the exit set the GDTR/IDTR limits to 0xffff, TR limit to 0x67. */
	native_load_gdt(&h->gdt);
	native_load_idt(&h->idt);
	invalidate_tss_limit();
	/* Reads the guest's KERNEL_GS_BASE, so before GS is touched. */
	vmx_msrs_exit(vmx);
	if (h->ds | h->es) {
		loadsegment(ds, h->ds);
		loadsegment(es, h->es);
	}
	if (h->fs) {
		loadsegment(fs, h->fs);
		wrmsrl(MSR_FS_BASE, h->fs_base);
	}
	if (h->gs)
		load_gs_index(h->gs);
	wrmsrl(MSR_KERNEL_GS_BASE, h->kernel_gs_base);
	/* SDM 27.5.1: DR7 is 0x400 after every exit. */
	if (hw_breakpoint_active())
		hw_breakpoint_restore();
}

/*
 * One VM entry with interrupts off. Returns the exit reason, or -EIO for
 * a VMfail (the guest did not run; VM-instruction error in the VMCS).
 */
static long vmx_enter_guest(struct vtx_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	struct vmx_host_save h;
	u32 reason, intr;
	int fail;

	/* The guest's FPU registers must be live in the CPU (fpu_swap_kvm_fpstate). */
	if (test_thread_flag(TIF_NEED_FPU_LOAD))
		switch_fpu_return();
	vmx_host_save(vmx, &h);
	fail = vmx_vcpu_enter(vmx, vmx->launched);
	reason = fail ? 0 : vmcs_read32(VM_EXIT_REASON);
	/*
	 * An NMI that hit the guest exited with NMIs blocked (SDM 27.2.3,
	 * 27.5.5): hand it to the host's handler, whose IRET unblocks them.
	 */
	if (!fail && (u16)reason == EXIT_REASON_EXCEPTION_NMI) {
		intr = vmcs_read32(VM_EXIT_INTR_INFO);
		if ((intr & (INTR_INFO_VALID_MASK | INTR_INFO_INTR_TYPE_MASK)) ==
		    (INTR_INFO_VALID_MASK | INTR_TYPE_NMI_INTR))
			asm volatile("int $2");
	}
	vmx_host_restore(vmx, &h);
	if (fail)
		return -EIO;
	/* A failed entry (bit 31) leaves the VMCS launch state unchanged. */
	if (!(reason & VMX_EXIT_REASONS_FAILED_VMENTRY))
		vmx->launched = true;
	return reason;
}

static int vmx_report_vmfail(struct vtx_vcpu *vcpu)
{
	struct vtx_run *run = vcpu->run;

	run->exit_reason = VTX_EXIT_FAIL_ENTRY;
	run->hw_exit_reason = ~0ULL;	/* VMfail: not an exit reason */
	run->exit_qualification = 0;
	run->guest_rip = vmcs_read(GUEST_RIP);
	run->fail_entry.hardware_entry_failure_reason = vmcs_read32(VM_INSTRUCTION_ERROR);
	run->fail_entry.exit_qualification = 0;
	vmx_dump_vmcs(vcpu, "VMLAUNCH/VMRESUME failed (VMfail)");
	return 0;
}

/* A VTX_RUN after an IN or MMIO read: deliver userspace's data first. */
static int vmx_complete_pending(struct vtx_vcpu *vcpu)
{
	switch (vcpu->vmx.pending.kind) {
	case VMX_PENDING_IN:
	case VMX_PENDING_INS:
		return vmx_complete_io(vcpu);
	case VMX_PENDING_MMIO_READ:
		return vmx_complete_mmio(vcpu);
	default:
		return 0;
	}
}

int vmx_vcpu_run(struct vtx_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	struct vtx_run *run = vcpu->run;
	long reason;
	int ret;

	if (vmx->shutdown) {
		run->exit_reason = VTX_EXIT_SHUTDOWN;
		return 0;
	}
	ret = vmx_vcpu_load(vcpu);
	if (ret)
		return ret;
	ret = vmx_complete_pending(vcpu);
	if (ret < 0)
		goto out_put;
	run->exit_reason = VTX_EXIT_NONE;

	/* The guest's FPU/XSAVE state becomes the task's until we return. */
	fpu_swap_kvm_fpstate(&vmx->fpu, true);
	for (;;) {
		if (signal_pending(current)) {
			run->exit_reason = VTX_EXIT_INTR;
			ret = -EINTR;
			break;
		}
		cond_resched();

		preempt_disable();
		local_irq_disable();
		reason = vmx_enter_guest(vcpu);
		/* An external interrupt exit is taken by the host right here. */
		local_irq_enable();
		preempt_enable();

		if (reason < 0) {
			ret = vmx_report_vmfail(vcpu);
			break;
		}
		ret = vmx_handle_exit(vcpu, (u32)reason);
		if (ret <= 0)
			break;
	}
	fpu_swap_kvm_fpstate(&vmx->fpu, false);
	run->guest_rip = vmcs_read(GUEST_RIP);
out_put:
	vmx_vcpu_put(vcpu);
	return ret;
}
