/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VT-x backend's one interface: VMX operation on every CPU, the
 * capabilities probed at load, and the VT-x side of a vCPU (VMCS, guest
 * register file, the run loop, event posting). Owned by kmod/vmx/; the
 * core (kmod/main.c, dev.c, vm.c, vcpu.c) and the irqchip (kmod/irq/) only call what is here.
 */
#ifndef _VTX_VMX_H
#define _VTX_VMX_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/preempt.h>
#include <linux/rcuwait.h>
#include <asm/desc_defs.h>
#include <asm/fpu/types.h>
#include "uapi/vtx.h"
#include "vmx/cpuid.h"
#include "vmx/checks.h"

struct vtx_vcpu;

/* kmod/vmx/vmxon.c: VMX operation on every online CPU, refcounted. */
int vmx_get(void);		/* first user: VMXON everywhere; -EBUSY if taken */
void vmx_put(void);		/* last user: VMXOFF everywhere */
/* Set by the reboot notifier and the emergency callback: VMX is going off for good. */
extern bool vmx_rebooting;
u32 vmx_on_cpus(void);
u32 vmx_users(void);
/*
 * INVEPT/INVVPID everywhere (SDM 28.3.3.1, 30.3: they #UD outside VMX
 * operation): run @func (IRQs off) on the CPUs in VMX operation only; it
 * checks vmx_this_cpu_on() itself, as a CPU may leave VMX operation
 * between the send and the IPI.
 */
void vmx_on_each_vmx_cpu(void (*func)(void *info), void *info);
bool vmx_this_cpu_on(void);	/* IRQs or preemption off */
/*
 * Module init/exit: the reboot notifier that turns VMX off everywhere at
 * reboot, halt, power-off and kexec (emergency paths: see vmxon.c).
 */
int vmx_shutdown_init(void);
void vmx_shutdown_exit(void);

/* kmod/vmx/probe.c: capability MSRs read once at load. */
extern struct vtx_caps vtx_host_caps;
int vmx_probe(void);		/* -ENODEV/-EOPNOTSUPP with the reason logged */
/* Lock IA32_FEATURE_CONTROL with VMXON-outside-SMX on this CPU if unlocked; -EPERM if off. */
int vmx_feature_control_enable(u64 *value);

/*
 * kmod/vmx/vmxon.c: the VMCSs active on each CPU, so VMX can be turned off on
 * a CPU at any time (CPU offline, reboot, kexec, crash). VMXOFF does not write
 * back an active VMCS: it must be VMCLEARed on the CPU it is active on first
 * (SDM 24.11.1, 24.11.3), and a cleared VMCS needs VMLAUNCH, not VMRESUME.
 *
 * The owner keeps its own "active on CPU" and "launched" state; vmxon.c
 * writes -1 / false there when it clears the VMCS behind the owner's back.
 * All list changes happen on the list's CPU with interrupts off, so the
 * owner's IPI and the CPU-offline callback cannot race on one CPU.
 */
struct vmx_vmcs_track {
	struct list_head node;	/* private: on the per-CPU list of tracked_cpu */
	int tracked_cpu;	/* private: CPU whose list holds node, -1 if none */
	void *vmcs;		/* the VMCS region (kernel virtual address) */
	int *cpu;		/* owner's "VMCS active on CPU" (-1: clear) */
	bool *launched;		/* owner's "VMLAUNCH done since VMCLEAR" */
};

/* Once, before the VMCS is first loaded. */
void vmx_vmcs_track_init(struct vmx_vmcs_track *t, void *vmcs, int *cpu, bool *launched);
/* Right after a successful VMPTRLD, on that CPU with preemption off. */
void vmx_vmcs_track(struct vmx_vmcs_track *t);
/*
 * VMCLEAR the VMCS if it is active on the calling CPU, untrack it and set the
 * owner's *cpu = -1, *launched = false; a no-op if it is not active here
 * (e.g. the CPU-offline callback got there first). Call it on the VMCS's CPU:
 * smp_call_function_single(*cpu, fn, ...) where fn calls this; if that CPU
 * went offline (-ENXIO), it was cleared already.
 */
void vmx_vmcs_clear(struct vmx_vmcs_track *t);


/* Guest GPR slots in vmx_vcpu.regs: the x86 register number (SDM vol 2 2.1.5). */
enum vmx_reg {
	VMX_RAX, VMX_RCX, VMX_RDX, VMX_RBX, VMX_RSP, VMX_RBP, VMX_RSI, VMX_RDI,
	VMX_R8, VMX_R9, VMX_R10, VMX_R11, VMX_R12, VMX_R13, VMX_R14, VMX_R15,
	VMX_NR_REGS
};

/* MSRs whose guest value is swapped in by software around each entry (msr.c). */
enum vmx_swap_msr {
	VMX_SWAP_STAR, VMX_SWAP_LSTAR, VMX_SWAP_CSTAR, VMX_SWAP_SFMASK,
	VMX_SWAP_TSC_AUX, VMX_NR_SWAP_MSRS
};

/* An exit that userspace is completing; finished on the next VTX_RUN. */
enum vmx_pending_kind {
	VMX_PENDING_NONE,
	VMX_PENDING_IN,		/* IN: data -> RAX */
	VMX_PENDING_INS,	/* INS: data -> guest memory at ES:RDI */
	VMX_PENDING_MMIO_READ,	/* MOV from MMIO: data -> register */
};

struct vmx_pending {
	u8 kind;		/* enum vmx_pending_kind */
	u8 size;		/* access size in bytes */
	u8 reg;			/* destination register (MMIO read) */
	u8 sign_extend;		/* MMIO read: MOVSX */
	u8 dst_size;		/* MMIO read: destination operand size */
	u8 addr_size;		/* INS: address size 2/4/8 */
	u8 rep;			/* INS: REP prefix */
	u8 high_byte;		/* MMIO read: destination is AH/CH/DH/BH */
	u32 count;		/* INS: items transferred in this pass */
	u32 insn_len;		/* RIP advance on completion */
	u64 gva;		/* INS: guest-linear address of the first item */
};

/*
 * Host state that VM exit does not restore (SDM 27.5) and that the kernel
 * does not use while it runs: saved once when the guest's values are
 * loaded and put back before returning to userspace or being scheduled
 * out (run.c, vmx_prepare_switch_to_guest/host).
 */
struct vmx_host_state {
	u16 ds, es, fs, gs;	/* selectors: the exit loads 0 into all four */
	unsigned long fs_base;	/* also the VMCS HOST_FS_BASE */
	unsigned long kernel_gs_base;
	struct desc_ptr gdt, idt;	/* the exit sets both limits to 0xffff */
	u16 ldt;		/* LDTR selector: the exit makes LDTR unusable */
	unsigned long debugctl;	/* IA32_DEBUGCTL: the exit clears it */
};

/*
 * Where the vCPU thread is, for vmx_vcpu_kick() (mp.c): like KVM's
 * vcpu->mode. The run loop stores IN_GUEST with a full barrier and then
 * checks the request bits; a kicker sets its bit and then turns IN_GUEST
 * into EXITING with cmpxchg, sending the IPI only if it won. One of the
 * two always sees the other's write.
 */
enum vmx_guest_mode {
	VMX_OUTSIDE_GUEST,
	VMX_IN_GUEST,		/* interrupts off, about to enter or in the guest */
	VMX_EXITING_GUEST,	/* kicked: an IPI is on its way */
};

/* vmx_vcpu.events: work for the injection step before an entry (events.c). */
#define VMX_EV_NMI		BIT(1)	/* an NMI waits for delivery */
#define VMX_EV_EXC		BIT(2)	/* VTX_INJECT_EXCEPTION: exc_* */
#define VMX_EV_ENTRY		BIT(3)	/* VM_ENTRY_INTR_INFO_FIELD already holds an event */
#define VMX_EV_IRQ_WINDOW	BIT(4)	/* interrupt-window exiting is on */
#define VMX_EV_NMI_WINDOW	BIT(5)	/* NMI-window exiting is on */
#define VMX_EV_RECHECK		BIT(6)	/* ask the irqchip again before the next entry */

#define VMX_USER_IRQ_QUEUED	0x100	/* in vmx_vcpu.user_irq, above the vector */

struct vmx_vcpu {
	/*
	 * regs[] and cr2 come first: entry.S reaches them at fixed offsets
	 * (VMX_REGS_OFFSET/VMX_CR2_OFFSET, checked by static asserts in run.c).
	 */
	unsigned long regs[VMX_NR_REGS];	/* guest GPRs; RSP lives in the VMCS */
	unsigned long cr2;

	void *vmcs;		/* 4 KiB VMCS region */
	void *msr_bitmap;	/* 4 KiB, SDM 24.6.9 */
	void *io_bitmap;	/* 8 KiB: bitmap A then B, SDM 24.6.4 */
	int cpu;		/* CPU the VMCS is active on, -1 if clear */
	bool launched;		/* VMLAUNCH done since last VMCLEAR */
	bool initialized;	/* VMCS guest/control fields written */
	bool shutdown;		/* triple fault seen: the VM is dead */
	u16 vpid;

	/* Host state cached in the VMCS, rewritten only when it changes. */
	unsigned long host_cr3, host_cr4, host_fs_base, host_gs_base;

	/* Control words as written, for later toggling (IA-32e entry etc.). */
	u32 pin_ctls, proc_ctls, proc2_ctls, exit_ctls, entry_ctls;
	u32 proc_windows;	/* interrupt/NMI-window exiting bits this CPU allows */
	unsigned long cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	unsigned long cr0_mask, cr4_mask;

	/* Guest state vtx emulates in software. */
	u64 xcr0;
	u64 misc_enable;
	struct vmx_mce mce;	/* machine-check MSRs (checks.c) */
	u64 mtrr_def_type;
	u64 dr[8];		/* DR0-3, DR6 at [6], DR7 at [7] (MOV-DR exits) */
	u64 kernel_gs_base;	/* passed through: in the CPU while guest_state_loaded */
	u64 swap_msr[VMX_NR_SWAP_MSRS];
	u64 host_swap_msr[VMX_NR_SWAP_MSRS];
	u8 swap_loaded;		/* BIT(enum vmx_swap_msr): guest value in the CPU */

	struct preempt_notifier preempt;	/* keeps the VMCS current (run.c) */
	bool loaded;		/* preempt notifier registered */
	bool guest_state_loaded;	/* guest MSRs in the CPU, host's in @host */
	struct vmx_host_state host;
	u64 host_xcr0;		/* XCR0 while the host runs (guest's is @xcr0) */
	struct vmx_vmcs_track track;	/* VMCLEAR on CPU offline (vmxon.c) */
	struct vmx_cpuid_table cpuid;	/* filtered guest CPUID (cpuid.c) */
	bool notifier_ref;	/* holds a preempt_notifier_inc() */
	struct vmx_pending pending;
	struct fpu_guest fpu;	/* guest FPU/XSAVE state, swapped per VTX_RUN */

	/* Events and sleeping (events.c, mp.c). */
	int mode;		/* enum vmx_guest_mode, atomic with cmpxchg */
	struct rcuwait wait;	/* the vCPU thread sleeping in HLT / wait-for-SIPI */
	u32 events;		/* VMX_EV_*; vCPU thread only; 0 costs nothing per entry */
	/*
	 * Posted by VTX_INTERRUPT / VTX_NMI from any thread, also during
	 * VTX_RUN (with VTX_REQ_EVENT and a kick); taken by the vCPU thread.
	 */
	atomic_t user_irq;	/* VMX_USER_IRQ_QUEUED | vector, 0: none */
	atomic_t user_nmi;	/* an NMI from VTX_NMI, latched */
	u8 exc_vector;		/* with VMX_EV_EXC */
	bool exc_has_err;
	u32 exc_err;
};

int vmx_vcpu_create(struct vtx_vcpu *vcpu);	/* undoes its partial work on failure */
void vmx_vcpu_destroy(struct vtx_vcpu *vcpu);
/* Enter the guest until an exit needs userspace; 0 or -EINTR. */
int vmx_vcpu_run(struct vtx_vcpu *vcpu);
int vmx_get_regs(struct vtx_vcpu *vcpu, struct vtx_regs *regs);
int vmx_set_regs(struct vtx_vcpu *vcpu, const struct vtx_regs *regs);
int vmx_get_sregs(struct vtx_vcpu *vcpu, struct vtx_sregs *sregs);
int vmx_set_sregs(struct vtx_vcpu *vcpu, const struct vtx_sregs *sregs);

/*
 * events.c: events posted from any thread, also during VTX_RUN (the caller
 * then makes the vCPU notice with vtx_vcpu_request(VTX_REQ_EVENT)), and an
 * exception for the next entry (under the vCPU lock). -EINVAL for a vector
 * or error code the architecture does not allow, -EBUSY while one waits.
 */
int vmx_post_interrupt(struct vtx_vcpu *vcpu, u32 vector);
void vmx_post_nmi(struct vtx_vcpu *vcpu);
int vmx_queue_exception(struct vtx_vcpu *vcpu, const struct vtx_exception *e);

/*
 * mp.c: make @vcpu notice a request bit its caller set before (wake it if
 * it sleeps, IPI its CPU if it runs guest code). Lock-free, any context.
 */
void vmx_vcpu_kick(struct vtx_vcpu *vcpu);

#endif /* _VTX_VMX_H */
