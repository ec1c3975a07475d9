// SPDX-License-Identifier: GPL-2.0
/*
 * The vCPU run loop: keep the VMCS current on whatever CPU the thread runs
 * on, switch the state VT-x does not switch (SDM vol 3C 27.5: segment
 * selectors, GDTR/IDTR limits, TR limit, MSRs, XCR0, debug registers),
 * enter, and dispatch exits until one needs userspace.
 *
 * The exit path is the hot path. Per exit: XCR0 and DR7 only. Per VTX_RUN
 * (or after being scheduled out): the rest of the host state. Exits that
 * need nothing of the host (CPUID) are handled with interrupts still off
 * and the guest re-entered at once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

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

	vmx_vmcs_clear(&vmx->track);
}

/*
 * Make this vCPU's VMCS current on @cpu (preemption off). A VMCS active on
 * another CPU must be VMCLEARed there first, and a VMCS that was cleared
 * must be entered with VMLAUNCH again (SDM 24.11.1, 24.11.3). vmxon.c
 * tracks it per CPU so a CPU going offline clears it (cpu = -1) too.
 */
static int __vmx_vcpu_load(struct vtx_vcpu *vcpu, int cpu)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	u64 pa = __pa(vmx->vmcs);
	int old = READ_ONCE(vmx->cpu);

	/* Another VM's guest may have trained this CPU's branch predictors. */
	vtx_spec_vm_switch(vcpu->vm->id);
	if (old == cpu) {
		if (vmcs_current() != pa && vmcs_load(pa))
			return -EIO;
		return 0;
	}
	/* -ENXIO: that CPU went offline and its callback cleared the VMCS. */
	if (old >= 0)
		smp_call_function_single(old, vmx_vmclear_on_cpu, vmx, 1);
	else
		vmcs_clear(pa);	/* first use: initialise the launch state */
	vmx->launched = false;
	vmx->cpu = -1;
	if (vmcs_load(pa))
		return -EIO;
	vmx->cpu = cpu;
	vmx_vmcs_track(&vmx->track);
	vmx_vmcs_set_host_cpu(vmx, cpu);
	/* This CPU may hold TLB entries of the VPID from an earlier visit. */
	vpid_flush_local(vmx->vpid);
	return 0;
}

/*
 * Host state that VM exit does not restore (SDM 27.5.1-27.5.2: segment
 * selectors 0, GDTR/IDTR limits 0xffff, TR limit 0x67, LDTR unusable) or
 * that the guest owns while it runs (KERNEL_GS_BASE, the SYSCALL MSRs,
 * TSC_AUX). The kernel runs fine with the exit's values: it uses no user
 * selector, no LDT, no descriptor past its GDT/IDT, no I/O bitmap, no
 * SYSCALL MSR. So, like KVM, the guest's values go in once and the host's
 * come back only before user mode (vmx_vcpu_put) or another task
 * (sched_out), not per exit. Preemption off for both.
 */
static void vmx_prepare_switch_to_guest(struct vmx_vcpu *vmx)
{
	struct vmx_host_state *h = &vmx->host;

	if (vmx->guest_state_loaded)
		return;
	savesegment(ds, h->ds);
	savesegment(es, h->es);
	savesegment(fs, h->fs);
	savesegment(gs, h->gs);
	/* The exit loads FS base from the VMCS: the task's TLS base. */
	rdmsrl(MSR_FS_BASE, h->fs_base);
	if (unlikely(h->fs_base != vmx->host_fs_base)) {
		vmcs_write(HOST_FS_BASE, h->fs_base);
		vmx->host_fs_base = h->fs_base;
	}
	native_store_gdt(&h->gdt);
	store_idt(&h->idt);
	store_ldt(h->ldt);
	h->debugctl = get_debugctlmsr();
	vmx->host_xcr0 = boot_cpu_has(X86_FEATURE_XSAVE) ?
			 xgetbv(XCR_XFEATURE_ENABLED_MASK) : 0;
	vmx_msrs_enter(vmx);
	vmx->guest_state_loaded = true;
}

static void vmx_prepare_switch_to_host(struct vmx_vcpu *vmx)
{
	const struct vmx_host_state *h = &vmx->host;

	if (!vmx->guest_state_loaded)
		return;
	native_load_gdt(&h->gdt);
	native_load_idt(&h->idt);
	/* TR limit: an I/O bitmap user reloads TR on its way to user mode. */
	invalidate_tss_limit();
	/*
	 * SDM 27.5.2: the exit leaves LDTR unusable (selector 0). A task with
	 * an LDT (modify_ldt(), e.g. Wine) needs its LDT back before user mode.
	 */
	if (h->ldt)
		asm volatile("lldt %0" : : "rm" (h->ldt));
	/* Reads the guest's KERNEL_GS_BASE and puts the host's back, before GS is touched. */
	vmx_msrs_exit(vmx);
	if (h->ds | h->es) {
		loadsegment(ds, h->ds);
		loadsegment(es, h->es);
	}
	if (h->fs) {
		loadsegment(fs, h->fs);
		wrmsrl(MSR_FS_BASE, h->fs_base);
	}
	/* load_gs_index() also sets KERNEL_GS_BASE (the user GS base), so again. */
	if (h->gs) {
		load_gs_index(h->gs);
		wrmsrl(MSR_KERNEL_GS_BASE, h->kernel_gs_base);
	}
	vmx->guest_state_loaded = false;
}

void vmx_put_guest_state(struct vmx_vcpu *vmx)
{
	preempt_disable();
	vmx_prepare_switch_to_host(vmx);
	preempt_enable();
}

static void vmx_sched_in(struct preempt_notifier *pn, int cpu)
{
	struct vtx_vcpu *vcpu = container_of(pn, struct vtx_vcpu, vmx.preempt);

	if (__vmx_vcpu_load(vcpu, cpu) && !READ_ONCE(vmx_rebooting))
		pr_err_ratelimited("VMPTRLD failed on CPU %d\n", cpu);
}

/* The next task may be a user task or read KERNEL_GS_BASE (context switch). */
static void vmx_sched_out(struct preempt_notifier *pn, struct task_struct *next)
{
	struct vtx_vcpu *vcpu = container_of(pn, struct vtx_vcpu, vmx.preempt);

	vmx_prepare_switch_to_host(&vcpu->vmx);
}

static struct preempt_ops vmx_preempt_ops = {
	.sched_in = vmx_sched_in,
	.sched_out = vmx_sched_out,
};

/*
 * From here to vmx_vcpu_put() the VMCS is current whenever this thread
 * runs, so handlers may VMREAD/VMWRITE and still sleep in between. The
 * preempt notifier's static key was enabled once at vCPU creation
 * (vmcs.c); registering is a list insert.
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
	vmx_prepare_switch_to_host(vmx);
	preempt_notifier_unregister(&vmx->preempt);
	preempt_enable();
	vmx->loaded = false;
}

/* Thread work that must leave the interrupts-off loop below. */
#define VMX_EXIT_WORK	(_TIF_NEED_RESCHED | _TIF_SIGPENDING | _TIF_NOTIFY_SIGNAL)

/* vmx_enter_guest(): an exit already handled with interrupts off. */
#define VMX_EXIT_HANDLED	(-1L)

/*
 * Longest stay, in TSC cycles, in the interrupts-off loop of
 * vmx_enter_guest() across fastpath re-entries (~0.35 ms at 3 GHz, ~5 ms
 * of Bochs). A host interrupt that arrives meanwhile can only be taken
 * once the loop ends: external-interrupt exiting does not help when the
 * CPU does not exit for it (Bochs with guest IF=0, vmcs.c), and the
 * preemption timer restarts at every entry (SDM 25.5.1), so a guest that
 * exits for CPUID faster than one slice would otherwise keep this CPU,
 * its timer tick and every signal waiting forever.
 */
#define VMX_FASTPATH_TSC	(1ULL << 20)

/* CR3 (PCID) and CR4 can change between entries; the VMCS keeps the last. */
static void vmx_update_host_crs(struct vmx_vcpu *vmx)
{
	unsigned long cr3 = __read_cr3(), cr4 = __read_cr4();

	if (unlikely(cr3 != vmx->host_cr3)) {
		vmcs_write(HOST_CR3, cr3);
		vmx->host_cr3 = cr3;
	}
	if (unlikely(cr4 != vmx->host_cr4)) {
		vmcs_write(HOST_CR4, cr4);
		vmx->host_cr4 = cr4;
	}
}

/*
 * Enter with interrupts and preemption off and stay in this loop while
 * the exits are ones vmx_handle_exit_irqoff() completes (KVM's fastpath
 * re-entry). Pending host interrupts end it: they exit the guest
 * (external-interrupt exiting; the preemption timer where the CPU gets
 * that wrong, vmcs.c). Returns the exit reason for vmx_handle_exit(),
 * VMX_EXIT_HANDLED, or -EIO for a VMfail (the guest did not run;
 * VM-instruction error in the VMCS).
 */
static long vmx_enter_guest(struct vtx_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	bool swap_xcr0;
	long ret;
	u32 reason, intr;
	u64 start;

	/* The guest's FPU registers must be live in the CPU (fpu_swap_kvm_fpstate). */
	if (test_thread_flag(TIF_NEED_FPU_LOAD))
		switch_fpu_return();
	vmx_prepare_switch_to_guest(vmx);
	vmx_update_host_crs(vmx);
	/*
	 * XCR0 per entry, not lazily: an interrupt handler's kernel_fpu_begin()
	 * XSAVEs with the current XCR0 (KVM does the same). NMIs use no FPU.
	 */
	swap_xcr0 = vmx->host_xcr0 && vmx->xcr0 != vmx->host_xcr0;
	if (swap_xcr0)
		xsetbv(XCR_XFEATURE_ENABLED_MASK, vmx->xcr0);
	start = rdtsc();
	for (;;) {
		/*
		 * IN_GUEST before looking at the requests, with a full barrier:
		 * a vmx_vcpu_kick() after the look sees IN_GUEST and sends an
		 * IPI, which interrupts are off to keep pending until the entry,
		 * so the guest exits at once (mp.c).
		 */
		smp_store_mb(vmx->mode, VMX_IN_GUEST);
		if (unlikely(READ_ONCE(vcpu->requests) | vmx->events) && vmx_events_inject(vcpu)) {
			WRITE_ONCE(vmx->mode, VMX_OUTSIDE_GUEST);
			ret = VMX_EXIT_HANDLED;
			break;
		}
		/*
		 * Interrupts are off, so the reboot notifier's IPI (vmxon.c),
		 * sent after it sets the flag, cannot have turned VMX off here
		 * unseen: entry.S needs no exception fixups.
		 */
		if (unlikely(READ_ONCE(vmx_rebooting))) {
			WRITE_ONCE(vmx->mode, VMX_OUTSIDE_GUEST);
			ret = -ESHUTDOWN;
			break;
		}
		if (vmx_vcpu_enter(vmx, vtx_spec_before_entry() |
				   (vmx->launched ? VMX_ENTER_RESUME : 0))) {
			WRITE_ONCE(vmx->mode, VMX_OUTSIDE_GUEST);
			ret = -EIO;
			break;
		}
		WRITE_ONCE(vmx->mode, VMX_OUTSIDE_GUEST);
		reason = vmcs_read32(VM_EXIT_REASON);
		/* A failed entry (bit 31) leaves the VMCS launch state unchanged. */
		if (!(reason & VMX_EXIT_REASONS_FAILED_VMENTRY))
			vmx->launched = true;
		ret = reason;
		if (!vmx_handle_exit_irqoff(vcpu, reason))
			break;
		ret = VMX_EXIT_HANDLED;
		/*
		 * Like KVM's fastpath: thread work (signals, need_resched) ends
		 * the loop here, kicks and requests at the top of the next pass,
		 * and the time budget bounds it whatever the guest's RFLAGS.IF,
		 * so pending host interrupts are taken in run.c at the latest
		 * one budget later.
		 */
		if ((read_thread_flags() & VMX_EXIT_WORK) ||
		    rdtsc() - start > VMX_FASTPATH_TSC)
			break;
	}
	/*
	 * An NMI that hit the guest exited with NMIs blocked (SDM 27.2.3,
	 * 27.5.5): hand it to the host's handler, whose IRET unblocks them.
	 */
	if (ret == EXIT_REASON_EXCEPTION_NMI) {
		intr = vmcs_read32(VM_EXIT_INTR_INFO);
		if ((intr & (INTR_INFO_VALID_MASK | INTR_INFO_INTR_TYPE_MASK)) ==
		    (INTR_INFO_VALID_MASK | INTR_TYPE_NMI_INTR))
			asm volatile("int $2");
	}
	if (swap_xcr0)
		xsetbv(XCR_XFEATURE_ENABLED_MASK, vmx->host_xcr0);
	/* SDM 27.5.1: the exit clears IA32_DEBUGCTL (LBR, BTF of perf and ptrace). */
	if (vmx->host.debugctl)
		update_debugctlmsr(vmx->host.debugctl);
	/* SDM 27.5.1: DR7 is 0x400 after every exit. */
	if (hw_breakpoint_active())
		hw_breakpoint_restore();
	return ret;
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
	return VMX_TO_USER;
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

	/* A shut-down vCPU runs again after INIT (mp.c) or VTX_SET_SREGS (state.c). */
	if (vmx->shutdown && !test_bit(VTX_REQ_INIT, &vcpu->requests)) {
		run->exit_reason = VTX_EXIT_SHUTDOWN;
		return 0;
	}
	if (unlikely(READ_ONCE(vmx_rebooting)))
		return -ESHUTDOWN;	/* VMX is off: VMPTRLD would fault */
	ret = vmx_vcpu_load(vcpu);
	if (ret)
		return ret;
	ret = vmx_complete_pending(vcpu);
	if (ret < 0)
		goto out_put;
	run->exit_reason = VTX_EXIT_NONE;
	vmx_cpuid_refresh(vcpu);

	/* The guest's FPU/XSAVE state becomes the task's until we return. */
	fpu_swap_kvm_fpstate(&vmx->fpu, true);
	for (;;) {
		if (signal_pending(current)) {
			run->exit_reason = VTX_EXIT_INTR;
			ret = -EINTR;
			break;
		}
		/* KICK, INIT, SIPI (mp.c); a lone VTX_REQ_EVENT is the entry's (events.c). */
		if (unlikely(vmx_requests_outside(vcpu))) {
			ret = vmx_process_requests(vcpu);
			if (ret != VMX_RESUME)
				break;
		}
		/* HLT with interrupts on, or an AP waiting for its SIPI: sleep here. */
		if (unlikely(READ_ONCE(vcpu->mp_state) != VTX_MP_RUNNABLE)) {
			ret = vmx_vcpu_block(vcpu);
			if (ret != VMX_RESUME)
				break;
			continue;
		}
		cond_resched();

		preempt_disable();
		local_irq_disable();
		reason = vmx_enter_guest(vcpu);
		vtx_spec_after_guest();
		/* An external interrupt exit is taken by the host right here. */
		local_irq_enable();
		preempt_enable();

		if (reason == VMX_EXIT_HANDLED)
			continue;
		if (unlikely(reason == -ESHUTDOWN)) {
			pr_info_once("VTX_RUN: the host is shutting down and VMX is off: vCPUs stop (-ESHUTDOWN)\n");
			ret = -ESHUTDOWN;
			break;
		}
		if (reason < 0) {
			ret = vmx_report_vmfail(vcpu);
			break;
		}
		ret = vmx_handle_exit(vcpu, (u32)reason);
		if (ret != VMX_RESUME)
			break;
	}
	fpu_swap_kvm_fpstate(&vmx->fpu, false);
	run->guest_rip = vmcs_read(GUEST_RIP);
out_put:
	vmx_vcpu_put(vcpu);
	return ret;
}
