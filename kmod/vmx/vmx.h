/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VT-x side of a vCPU: VMCS, guest register file, the run loop and exit
 * handlers. Owned by kmod/vmx/; the core (kmod/vcpu.c) only calls these.
 */
#ifndef _VTX_VMX_H
#define _VTX_VMX_H

#include <linux/types.h>
#include <linux/preempt.h>
#include <linux/rcuwait.h>
#include <asm/desc_defs.h>
#include <asm/fpu/types.h>
#include "uapi/vtx.h"
#include "vmx/cpuid.h"

struct vtx_vcpu;

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
 * Where the vCPU thread is, for vtx_vcpu_kick() (mp.c): like KVM's
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
	u64 cr8;
	u64 apic_base;
	u64 misc_enable;
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

int vmx_vcpu_create(struct vtx_vcpu *vcpu);
void vmx_vcpu_destroy(struct vtx_vcpu *vcpu);
/* Enter the guest until an exit needs userspace; 0 or -EINTR. */
int vmx_vcpu_run(struct vtx_vcpu *vcpu);
int vmx_get_regs(struct vtx_vcpu *vcpu, struct vtx_regs *regs);
int vmx_set_regs(struct vtx_vcpu *vcpu, const struct vtx_regs *regs);
int vmx_get_sregs(struct vtx_vcpu *vcpu, struct vtx_sregs *sregs);
int vmx_set_sregs(struct vtx_vcpu *vcpu, const struct vtx_sregs *sregs);

#endif /* _VTX_VMX_H */
