// SPDX-License-Identifier: GPL-2.0
/*
 * VM-exit dispatch: ONE table from basic exit reason (SDM vol 3D appendix
 * C) to handler, plus the helpers every handler shares: skipping the
 * exiting instruction, injecting an exception, reporting to userspace.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/nospec.h>
#include <asm/processor.h>
#include <asm/traps.h>

#include "vmx/internal.h"
#include "vmx/cpuid.h"

typedef int (*vmx_exit_handler_t)(struct vtx_vcpu *vcpu);

/* The ABI's names for a failed entry are the SDM's basic exit reasons. */
static_assert(VTX_ENTRY_FAIL_GUEST_STATE == EXIT_REASON_INVALID_STATE);
static_assert(VTX_ENTRY_FAIL_MSR_LOAD == EXIT_REASON_MSR_LOAD_FAIL);
static_assert(VTX_ENTRY_FAIL_MCE == EXIT_REASON_MCE_DURING_VMENTRY);

/* Interruptibility state (SDM 24.4.2 Table 24-3): blocking by STI / MOV SS. */
#define INTERRUPTIBILITY_STI_MOVSS	(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)
/* IDT-vectoring bits 30:12 are undefined/reserved in the entry field (SDM 24.8.3). */
#define VECTORING_INFO_RESERVED_BITS	0x7ffff000u

/* Step over an emulated instruction of @len bytes. */
void vmx_advance_rip(struct vtx_vcpu *vcpu, u32 len)
{
	unsigned long rip = vmcs_read(GUEST_RIP);
	u32 intr = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO);

	/* Outside 64-bit mode EIP wraps at 4 GiB; only a carry out of bit 31 can tell. */
	if (unlikely((u32)rip + len < (u32)rip) && vmx_cpu_mode(vcpu) != VMX_MODE_64)
		rip = (u32)(rip + len);
	else
		rip += len;
	vmcs_write(GUEST_RIP, rip);
	/* The one-instruction interrupt shadow ends with the instruction. */
	if (intr & INTERRUPTIBILITY_STI_MOVSS)
		vmcs_write(GUEST_INTERRUPTIBILITY_INFO, intr & ~INTERRUPTIBILITY_STI_MOVSS);
}

/* The exiting instruction completed (trap-and-emulate): step over it. */
void vmx_skip_insn(struct vtx_vcpu *vcpu)
{
	vmx_advance_rip(vcpu, vmcs_read32(VM_EXIT_INSTRUCTION_LEN));
}

/*
 * Exceptions delivered as traps (#DB, #BP, #OF) or aborts (#DF, #MC);
 * every other vector, reserved ones included, is a fault (SDM vol 3A 6.5,
 * Table 6-1). Classified like KVM's exception_type(): a general-detect
 * #DB counts as a trap here too.
 */
#define VMX_EXC_NOT_FAULT	(BIT(X86_TRAP_DB) | BIT(X86_TRAP_BP) | BIT(X86_TRAP_OF) | \
				 BIT(X86_TRAP_DF) | BIT(X86_TRAP_MC))

/*
 * Deliver a hardware exception at the next entry (SDM 24.8.3, 26.6). Real
 * mode has no error codes; entry rejects one there (SDM 26.2.1.3).
 *
 * A fault pushes RFLAGS with RF=1 so that IRET does not retrigger an
 * instruction breakpoint (SDM vol 3A 6.8.3, 18.3.1.1); injection pushes
 * GUEST_RFLAGS as it is, so set RF there first, as KVM does. Delivery
 * clears RF again after the push (SDM 6.12.1).
 */
void vmx_inject_exception(struct vtx_vcpu *vcpu, u8 vector, bool has_err, u32 err)
{
	u32 info = vector | INTR_TYPE_HARD_EXCEPTION | INTR_INFO_VALID_MASK;

	if (vector < 32 && !(VMX_EXC_NOT_FAULT & BIT(vector)))
		vmcs_write(GUEST_RFLAGS, vmcs_read(GUEST_RFLAGS) | X86_EFLAGS_RF);

	if (has_err && (vmx_get_cr0(vcpu) & X86_CR0_PE)) {
		info |= INTR_INFO_DELIVER_CODE_MASK;
		vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE, err);
	}
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, info);
	vcpu->vmx.events |= VMX_EV_ENTRY;
}

int vmx_exit_internal(struct vtx_vcpu *vcpu, u32 suberror, u32 ndata, const u64 *data)
{
	struct vtx_run *run = vcpu->run;
	u32 i;

	run->exit_reason = VTX_EXIT_INTERNAL_ERROR;
	run->internal.suberror = suberror;
	run->internal.ndata = min_t(u32, ndata, ARRAY_SIZE(run->internal.data));
	for (i = 0; i < run->internal.ndata; i++)
		run->internal.data[i] = data[i];
	return VMX_TO_USER;
}

static int vmx_exit_unhandled(struct vtx_vcpu *vcpu)
{
	u64 data[2] = { vcpu->run->hw_exit_reason, vcpu->run->exit_qualification };

	return vmx_exit_internal(vcpu, VTX_INTERNAL_UNHANDLED_EXIT, 2, data);
}

static int vmx_exit_nop(struct vtx_vcpu *vcpu)
{
	/*
	 * External interrupt: the host took it when run.c enabled interrupts.
	 * Preemption timer: the slice ended; run.c checks signals and resched.
	 */
	return VMX_RESUME;
}

static int vmx_exit_exception(struct vtx_vcpu *vcpu)
{
	u32 intr = vmcs_read32(VM_EXIT_INTR_INFO);

	if ((intr & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR)
		return VMX_RESUME;	/* run.c gave it to the host */
	/* Only #MC is in the exception bitmap: it is the host's machine check. */
	if ((intr & INTR_INFO_VECTOR_MASK) == X86_TRAP_MC) {
		asm volatile("int $0x12");
		return VMX_RESUME;
	}
	return vmx_exit_unhandled(vcpu);
}

static int vmx_exit_triple_fault(struct vtx_vcpu *vcpu)
{
	vcpu->vmx.shutdown = true;
	vcpu->run->exit_reason = VTX_EXIT_SHUTDOWN;
	return VMX_TO_USER;
}

/*
 * INVD/WBINVD: caches are coherent with EPT write-back memory; nothing to
 * do. WBINVD exits where the CPU has "WBINVD exiting" (vmcs.c), so a guest
 * cannot stall the host CPU (and its other cores' caches) with it.
 */
static int vmx_exit_skip(struct vtx_vcpu *vcpu)
{
	vmx_skip_insn(vcpu);
	return VMX_RESUME;
}

/*
 * RDPMC (SDM vol 2B RDPMC): vtx offers no PMU (CPUID leaf 0xa reads 0,
 * cpuid.c), so every counter index in ECX is invalid: #GP(0). Without the
 * exit the guest would read the host's counters.
 */
static int vmx_exit_rdpmc(struct vtx_vcpu *vcpu)
{
	vmx_inject_exception(vcpu, X86_TRAP_GP, true, 0);
	return VMX_RESUME;
}

/* KVM's hypercall ABI (Linux Documentation/virt/kvm/x86/hypercalls.rst). */
#define KVM_HC_SEND_IPI		10
#define KVM_ENOSYS		1000
#define KVM_EPERM		1
#define KVM_EINVAL		22

/*
 * VMCALL: guests written for KVM (kvm-unit-tests' apic test sends
 * KVM_HC_SEND_IPI) expect KVM's hypercall ABI, not the #UD of a CPU
 * outside VMX operation: number in RAX, arguments in RBX, RCX, RDX, RSI
 * (32 bits each outside 64-bit mode), result in RAX. CPL > 0 gets
 * -KVM_EPERM; an unknown number -KVM_ENOSYS. Only KVM_HC_SEND_IPI is
 * implemented: a0/a1 are the low/high halves of a bitmap of APIC IDs
 * from a2, a3 the ICR (fixed or NMI, physical); it returns how many
 * vCPUs took the IPI.
 */
static int vmx_exit_vmcall(struct vtx_vcpu *vcpu)
{
	unsigned long *regs = vcpu->vmx.regs;
	bool lm = vmx_cpu_mode(vcpu) == VMX_MODE_64;
	u64 nr = regs[VMX_RAX], a[4] = { regs[VMX_RBX], regs[VMX_RCX], regs[VMX_RDX],
					 regs[VMX_RSI] };
	unsigned long bitmap[128 / BITS_PER_LONG];
	unsigned int i, half = lm ? 64 : 32;
	long ret;

	if (!lm) {
		nr = (u32)nr;
		for (i = 0; i < ARRAY_SIZE(a); i++)
			a[i] = (u32)a[i];
	}
	if (((vmcs_read32(GUEST_SS_AR_BYTES) >> VMX_AR_DPL_SHIFT) & 3) != 0) {
		ret = -KVM_EPERM;
	} else if (nr == KVM_HC_SEND_IPI) {
		bitmap_zero(bitmap, 128);
		bitmap_from_u64(bitmap, a[0]);
		for (i = 0; i < half; i++)
			if (a[1] & BIT_ULL(i))
				__set_bit(half + i, bitmap);
		ret = irqchip_pv_send_ipi(vcpu, bitmap, 2 * half, a[2], (u32)a[3]);
		if (ret < 0)
			ret = -KVM_EINVAL;
	} else {
		ret = -KVM_ENOSYS;
	}
	regs[VMX_RAX] = lm ? (u64)ret : (u32)ret;
	vmx_skip_insn(vcpu);
	return VMX_RESUME;
}

/* VMX instructions, MONITOR/MWAIT: not offered to the guest (CPUID says so). */
static int vmx_exit_ud(struct vtx_vcpu *vcpu)
{
	vmx_inject_exception(vcpu, X86_TRAP_UD, false, 0);
	return VMX_RESUME;
}

static int vmx_exit_failed_entry(struct vtx_vcpu *vcpu)
{
	struct vtx_run *run = vcpu->run;

	run->exit_reason = VTX_EXIT_FAIL_ENTRY;
	run->fail_entry.hardware_entry_failure_reason = run->hw_exit_reason;
	run->fail_entry.exit_qualification = run->exit_qualification;
	vmx_dump_vmcs(vcpu, "VM entry failed");
	return VMX_TO_USER;
}

static void vmx_host_cpuid(u32 leaf, u32 subleaf, struct vmx_cpuid_regs *r)
{
	cpuid_count(leaf, subleaf, &r->eax, &r->ebx, &r->ecx, &r->edx);
}

static void vmx_cpuid_ctx(struct vtx_vcpu *vcpu, u32 nr_vcpus, u64 host_xcr0,
			  struct vmx_cpuid_ctx *ctx)
{
	*ctx = (struct vmx_cpuid_ctx){
		.vcpu_id = vcpu->id,
		.nr_vcpus = nr_vcpus,
		.host_xcr0 = host_xcr0,
	};
}

/*
 * Before entering (process context, host XCR0 loaded): rebuild the CPUID
 * table if the VM has gained vCPUs since it was built. A vCPU created while
 * this one is inside VTX_RUN shows up in its CPUID from the next VTX_RUN.
 */
void vmx_cpuid_refresh(struct vtx_vcpu *vcpu)
{
	u32 nr_vcpus = max_t(u32, READ_ONCE(vcpu->vm->nr_vcpus), 1);
	u64 host_xcr0 = vmx_guest_xcr0_allowed();
	struct vmx_cpuid_ctx ctx;

	if (likely(vmx_cpuid_table_valid(&vcpu->vmx.cpuid, nr_vcpus, host_xcr0)))
		return;
	vmx_cpuid_ctx(vcpu, nr_vcpus, host_xcr0, &ctx);
	vmx_cpuid_table_build(&vcpu->vmx.cpuid, &ctx, vmx_host_cpuid);
}

/*
 * CPUID exit, interrupts off and the guest's XCR0 still loaded (run.c).
 * Leaf 0DH sub-leaf 0 gets its sizes from the guest's XCR0 and the bits it
 * may enable (vmx_cpuid_xsave_sizes()). Table hit: no host CPUID, no filtering.
 */
static void vmx_handle_cpuid(struct vtx_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	unsigned long *regs = vmx->regs;
	u32 leaf = (u32)regs[VMX_RAX], subleaf = (u32)regs[VMX_RCX];
	/* CR4.OSXSAVE is guest-owned (not in the CR4 guest/host mask): GUEST_CR4 has it. */
	bool osxsave = vmcs_read(GUEST_CR4) & X86_CR4_OSXSAVE;
	struct vmx_cpuid_regs r;
	struct vmx_cpuid_ctx ctx;

	if (unlikely(!vmx_cpuid_lookup(&vmx->cpuid, leaf, osxsave, &r))) {
		vmx_cpuid_ctx(vcpu, vmx->cpuid.nr_vcpus, vmx->cpuid.host_xcr0, &ctx);
		ctx.guest_osxsave = osxsave;
		vmx_host_cpuid(leaf, subleaf, &r);
		vmx_cpuid_filter(&ctx, leaf, subleaf, &r);
	}
	if (leaf == 0xd && subleaf == 0)
		vmx_cpuid_xsave_sizes(vmx->xcr0, vmx->cpuid.host_xcr0, vmx_host_cpuid, &r);
	vmx_cpuid_apply_apic(leaf, irqchip_apic_hw_enabled(vcpu), &r);
	regs[VMX_RAX] = r.eax;
	regs[VMX_RBX] = r.ebx;
	regs[VMX_RCX] = r.ecx;
	regs[VMX_RDX] = r.edx;
	/* Not a constant 2: prefixes count too (SDM 27.2.5). */
	vmx_skip_insn(vcpu);
}

/*
 * Exits handled with interrupts off right after the exit, then straight
 * back into the guest (run.c): no sleeping, no userspace, nothing the
 * host must see first. Returns true if handled.
 */
bool vmx_handle_exit_irqoff(struct vtx_vcpu *vcpu, u32 exit_reason)
{
	switch (exit_reason) {
	case EXIT_REASON_CPUID:
		vmx_handle_cpuid(vcpu);
		return true;
	case EXIT_REASON_INTERRUPT_WINDOW:
	case EXIT_REASON_NMI_WINDOW:
		/* vmx_events_inject() before the next entry does the work (events.c). */
		return true;
	default:
		return false;
	}
}

static int vmx_exit_ept_misconfig(struct vtx_vcpu *vcpu)
{
	u64 data[2] = { vcpu->run->hw_exit_reason, vmcs_read(GUEST_PHYSICAL_ADDRESS) };

	pr_err("EPT misconfiguration at GPA 0x%llx\n", data[1]);
	return vmx_exit_internal(vcpu, VTX_INTERNAL_UNHANDLED_EXIT, 2, data);
}

static const vmx_exit_handler_t vmx_exit_handlers[] = {
	[EXIT_REASON_EXCEPTION_NMI]		= vmx_exit_exception,
	[EXIT_REASON_EXTERNAL_INTERRUPT]	= vmx_exit_nop,
	[EXIT_REASON_PREEMPTION_TIMER]		= vmx_exit_nop,
	[EXIT_REASON_TRIPLE_FAULT]		= vmx_exit_triple_fault,
	/* EXIT_REASON_CPUID: always handled by vmx_handle_exit_irqoff(). */
	[EXIT_REASON_HLT]			= vmx_exit_hlt,
	[EXIT_REASON_INVD]			= vmx_exit_skip,
	[EXIT_REASON_RDPMC]			= vmx_exit_rdpmc,
	[EXIT_REASON_WBINVD]			= vmx_exit_skip,
	[EXIT_REASON_VMCALL]			= vmx_exit_vmcall,
	[EXIT_REASON_VMCLEAR]			= vmx_exit_ud,
	[EXIT_REASON_VMLAUNCH]			= vmx_exit_ud,
	[EXIT_REASON_VMPTRLD]			= vmx_exit_ud,
	[EXIT_REASON_VMPTRST]			= vmx_exit_ud,
	[EXIT_REASON_VMREAD]			= vmx_exit_ud,
	[EXIT_REASON_VMRESUME]			= vmx_exit_ud,
	[EXIT_REASON_VMWRITE]			= vmx_exit_ud,
	[EXIT_REASON_VMOFF]			= vmx_exit_ud,
	[EXIT_REASON_VMON]			= vmx_exit_ud,
	[EXIT_REASON_INVEPT]			= vmx_exit_ud,
	[EXIT_REASON_INVVPID]			= vmx_exit_ud,
	[EXIT_REASON_VMFUNC]			= vmx_exit_ud,
	[EXIT_REASON_MWAIT_INSTRUCTION]		= vmx_exit_ud,
	[EXIT_REASON_MONITOR_INSTRUCTION]	= vmx_exit_ud,
	[EXIT_REASON_CR_ACCESS]			= vmx_handle_cr,
	[EXIT_REASON_DR_ACCESS]			= vmx_handle_dr,
	[EXIT_REASON_IO_INSTRUCTION]		= vmx_handle_io,
	[EXIT_REASON_MSR_READ]			= vmx_handle_rdmsr,
	[EXIT_REASON_MSR_WRITE]			= vmx_handle_wrmsr,
	[EXIT_REASON_INVALID_STATE]		= vmx_exit_failed_entry,
	[EXIT_REASON_MSR_LOAD_FAIL]		= vmx_exit_failed_entry,
	[EXIT_REASON_MCE_DURING_VMENTRY]	= vmx_exit_failed_entry,
	[EXIT_REASON_EPT_VIOLATION]		= vmx_handle_ept_violation,
	[EXIT_REASON_EPT_MISCONFIG]		= vmx_exit_ept_misconfig,
	[EXIT_REASON_XSETBV]			= vmx_handle_xsetbv,
};

/*
 * An exit that interrupted the delivery of an event through the guest IDT
 * (SDM 27.2.4): once the cause is fixed (an EPT page mapped), the event
 * must be delivered again (SDM 27.2.4, 26.6.1.1 for the length rule).
 */
static void vmx_reinject_vectoring(struct vtx_vcpu *vcpu, u32 idt_info)
{
	u32 type = idt_info & VECTORING_INFO_TYPE_MASK;

	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, idt_info & ~VECTORING_INFO_RESERVED_BITS);
	vcpu->vmx.events |= VMX_EV_ENTRY;
	/*
	 * An NMI whose delivery was cut short did not start its handler, so
	 * NMIs are not blocked yet; entry refuses an NMI with virtual-NMI
	 * blocking set (SDM 26.3.1.5).
	 */
	if (type == INTR_TYPE_NMI_INTR)
		vmcs_clear_bits(GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_NMI);
	if (idt_info & VECTORING_INFO_DELIVER_CODE_MASK)
		vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE,
			   vmcs_read32(IDT_VECTORING_ERROR_CODE));
	if (type == INTR_TYPE_SOFT_INTR || type == INTR_TYPE_SOFT_EXCEPTION ||
	    type == INTR_TYPE_PRIV_SW_EXCEPTION)
		vmcs_write(VM_ENTRY_INSTRUCTION_LEN, vmcs_read32(VM_EXIT_INSTRUCTION_LEN));
}

int vmx_handle_exit(struct vtx_vcpu *vcpu, u32 exit_reason)
{
	struct vtx_run *run = vcpu->run;
	u16 basic = (u16)exit_reason;
	vmx_exit_handler_t handler = NULL;
	u32 idt_info;

	run->hw_exit_reason = exit_reason;
	run->exit_qualification = vmcs_read(EXIT_QUALIFICATION);

	if (exit_reason & VMX_EXIT_REASONS_FAILED_VMENTRY)
		return vmx_exit_failed_entry(vcpu);

	idt_info = vmcs_read32(IDT_VECTORING_INFO_FIELD);
	if (idt_info & VECTORING_INFO_VALID_MASK) {
		/* Only EPT faults are expected (and fixable) mid-delivery. */
		if (basic != EXIT_REASON_EPT_VIOLATION && basic != EXIT_REASON_EXTERNAL_INTERRUPT &&
		    basic != EXIT_REASON_EXCEPTION_NMI && basic != EXIT_REASON_TRIPLE_FAULT) {
			u64 data[3] = { exit_reason, run->exit_qualification, idt_info };

			return vmx_exit_internal(vcpu, VTX_INTERNAL_DELIVERY_EV, 3, data);
		}
		if (basic != EXIT_REASON_TRIPLE_FAULT)
			vmx_reinject_vectoring(vcpu, idt_info);
	} else if (basic == EXIT_REASON_EPT_VIOLATION &&
		   (run->exit_qualification & INTR_INFO_UNBLOCK_NMI) &&
		   (vcpu->vmx.pin_ctls & PIN_BASED_VIRTUAL_NMIS)) {
		/*
		 * A fault inside an IRET that had already unblocked virtual
		 * NMIs: the IRET restarts, so NMIs must be blocked again (SDM
		 * 27.2.3; bit 12 of the EPT-violation qualification, 27.2.1).
		 */
		vmcs_set_bits(GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_NMI);
	}

	/* The guest steers the exit reason: as KVM, clamp it (Spectre v1). */
	if (basic < ARRAY_SIZE(vmx_exit_handlers))
		handler = vmx_exit_handlers[array_index_nospec(basic, ARRAY_SIZE(vmx_exit_handlers))];
	if (!handler)
		return vmx_exit_unhandled(vcpu);
	return handler(vcpu);
}
