/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vtx internal interface: the objects the module is made of and the calls
 * between its parts (core in kmod/, VT-x in kmod/vmx/, EPT in kmod/ept/).
 */
#ifndef _VTX_H
#define _VTX_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/wait.h>
#include <linux/fs.h>
#include <linux/list.h>
#include "uapi/vtx.h"

/*
 * kmod/vmx/vmxon.c: the VMCSs active on each CPU, so VMX can be turned off on
 * a CPU at any time (CPU offline, reboot, kexec, crash). VMXOFF does not write
 * back an active VMCS: it must be VMCLEARed on the CPU it is active on first
 * (SDM 24.11.1, 24.11.3), and a cleared VMCS needs VMLAUNCH, not VMRESUME.
 * Defined before vmx/vmx.h so struct vmx_vcpu can embed it.
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

#include "vmx/vmx.h"
#include "ept/ept.h"

#define VTX_MAX_VCPUS		16

/* A guest memory slot: guest-physical range backed by user memory. */
struct vtx_memslot {
	u64 gpa;
	u64 size;		/* 0: slot unused */
	u64 uaddr;
	u32 flags;		/* VTX_MEM_* */
};

struct vtx_vm {
	refcount_t refs;	/* the VM fd and one per vCPU */
	struct mutex lock;	/* slots, vCPU creation, EPT changes */
	struct mm_struct *mm;	/* the creator's mm: slots point into it */
	struct vtx_memslot slots[VTX_MAX_MEM_SLOTS];
	struct ept ept;		/* kmod/ept/ */
	void *irqchip;		/* kmod/irqchip*.c: IOAPIC, PIC pair, PIT */
	struct vtx_vcpu *vcpus[VTX_MAX_VCPUS];
	u32 nr_vcpus;
};

struct vtx_vcpu {
	struct vtx_vm *vm;
	u32 id;
	struct mutex lock;	/* held across VTX_RUN and state ioctls */
	struct vtx_run *run;	/* the page shared with userspace */
	struct vmx_vcpu vmx;	/* kmod/vmx/: VMCS and guest state */
	/*
	 * Events for the run loop: anyone may set a request bit and then
	 * vtx_vcpu_kick(); the vCPU thread consumes them before each entry.
	 */
	unsigned long requests;	/* VTX_REQ_* bit numbers, atomic bitops */
	u32 mp_state;		/* enum vtx_mp; written by the vCPU thread */
	u32 sipi_vector;	/* valid with VTX_REQ_SIPI */
	void *lapic;		/* kmod/irqchip*.c: this vCPU's local APIC */
};

#define VTX_REQ_KICK	0	/* VTX_KICK: return to userspace */
#define VTX_REQ_INIT	1	/* INIT IPI: reset, then wait for SIPI (SDM 8.4.1) */
#define VTX_REQ_SIPI	2	/* start-up IPI: run at sipi_vector << 12 */
#define VTX_REQ_EVENT	3	/* an interrupt/NMI may have become pending */

/* The three kinds of vtx file descriptor; the ioctl table (ioctl.c) says which one each takes. */
enum vtx_fd_kind {
	VTX_FD_DEV,		/* /dev/vtx, private_data: struct vtx_dev_file */
	VTX_FD_VM,		/* "vtx-vm", private_data: struct vtx_vm */
	VTX_FD_VCPU,		/* "vtx-vcpu", private_data: struct vtx_vcpu */
};

/* One open of /dev/vtx. */
struct vtx_dev_file {
	struct mutex lock;	/* vmx_held */
	bool vmx_held;		/* VTX_ENABLE_VMX took a vmx_get() reference */
};

/* kmod/main.c: module parameters. */
extern int vtx_group;		/* gid allowed to open /dev/vtx, -1: root only */

/* kmod/dev.c: /dev/vtx and its ioctls. */
extern const struct file_operations vtx_dev_fops;
int vtx_dev_init(void);
void vtx_dev_exit(void);
long vtx_dev_get_api_version(void *obj, void *argp, unsigned long arg);
long vtx_dev_get_caps(void *obj, void *argp, unsigned long arg);
long vtx_dev_enable_vmx(void *obj, void *argp, unsigned long arg);
long vtx_dev_disable_vmx(void *obj, void *argp, unsigned long arg);

/*
 * kmod/ioctl.c: the one ioctl entry point of all three fd kinds. It checks the
 * fd kind, the creator mm, copies the argument in/out and takes the locks the
 * table entry declares, then calls the handler with the fd's object.
 */
long vtx_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/* kmod/vmx/vmxon.c: VMX operation on every online CPU, refcounted. */
int vmx_get(void);		/* first user: VMXON everywhere; -EBUSY if taken */
void vmx_put(void);		/* last user: VMXOFF everywhere */
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

/* kmod/vm.c */
extern const struct file_operations vtx_vm_fops;
void vm_get(struct vtx_vm *vm);
void vm_put(struct vtx_vm *vm);		/* last reference: ept_destroy, vmx_put, free */
/* The slot holding @gpa, or NULL. Caller holds vm->lock. */
struct vtx_memslot *vm_find_slot(struct vtx_vm *vm, u64 gpa);
/*
 * Copy guest-physical memory through the slots' user mappings (may cross
 * slots): 0, -EFAULT outside RAM (or a write to a read-only slot), -EIO if
 * current->mm is not the VM's, -EINTR on a fatal signal. They take vm->lock:
 * call them WITHOUT it, from the vCPU thread (MMIO decode, string I/O).
 */
int vm_read_guest(struct vtx_vm *vm, u64 gpa, void *buf, size_t len);
int vm_write_guest(struct vtx_vm *vm, u64 gpa, const void *buf, size_t len);
long vtx_dev_create_vm(void *obj, void *argp, unsigned long arg);
long vtx_vm_set_memory_region(void *obj, void *argp, unsigned long arg);
/* kmod/irqchip.c: VTX_IRQ_LINE (struct vtx_irq_level) */
long vtx_vm_irq_line(void *obj, void *argp, unsigned long arg);

/* kmod/vcpu.c: vCPU fds (mmap of the run page, state and run ioctls). */
extern const struct file_operations vtx_vcpu_fops;
long vtx_vm_create_vcpu(void *obj, void *argp, unsigned long arg);
long vtx_vcpu_run(void *obj, void *argp, unsigned long arg);
long vtx_vcpu_get_regs(void *obj, void *argp, unsigned long arg);
long vtx_vcpu_set_regs(void *obj, void *argp, unsigned long arg);
long vtx_vcpu_get_sregs(void *obj, void *argp, unsigned long arg);
long vtx_vcpu_set_sregs(void *obj, void *argp, unsigned long arg);
/* kmod/vmx/events.c, kmod/vmx/mp.c: events and multiprocessor state */
long vtx_vcpu_interrupt(void *obj, void *argp, unsigned long arg);
long vtx_vcpu_nmi(void *obj, void *argp, unsigned long arg);
long vtx_vcpu_inject_exception(void *obj, void *argp, unsigned long arg);
long vtx_vcpu_kick_ioctl(void *obj, void *argp, unsigned long arg);	/* no vCPU lock */
long vtx_vcpu_get_mp_state(void *obj, void *argp, unsigned long arg);
long vtx_vcpu_set_mp_state(void *obj, void *argp, unsigned long arg);
/*
 * Copy guest-physical memory through the slots' user mappings (used by
 * kmod/vmx/ for instruction fetch, page walks and string I/O). Called from
 * the vCPU thread (vm->mm is current->mm), may sleep. 0, or -EFAULT when a
 * byte of [gpa, gpa + len) is outside every slot or unreadable.
 */
int vm_read_guest(struct vtx_vm *vm, u64 gpa, void *buf, size_t len);
int vm_write_guest(struct vtx_vm *vm, u64 gpa, const void *buf, size_t len);

#endif /* _VTX_H */
