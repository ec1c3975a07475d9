/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vtx core: the objects the module is made of (VM, vCPU, the three fd
 * kinds) and the calls between the core files of kmod/ (main, dev, ioctl,
 * vm, vcpu). Each backend has one interface header, included here:
 *  - kmod/vmx/vmx.h: VT-x (VMX on/off, capabilities, the VT-x half of a vCPU);
 *  - kmod/ept/ept.h: EPT second-level translation and VPIDs;
 *  - kmod/irq/irqchip.h: the in-kernel interrupt controllers and timers.
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

#include "vmx/vmx.h"
#include "ept/ept.h"
#include "irq/irqchip.h"

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
	u64 id;			/* never reused while vtx is loaded: IBPB (vmx/spec_host.c) */
	struct mutex lock;	/* slots, vCPU creation, EPT changes */
	struct mm_struct *mm;	/* the creator's mm: slots point into it */
	struct vtx_memslot slots[VTX_MAX_MEM_SLOTS];
	struct ept ept;		/* kmod/ept/ */
	struct irqchip *irqchip;	/* kmod/irq/irqchip*.c: IOAPIC, PIC pair, PIT */
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
	 * Events for the run loop: anyone may post one with
	 * vtx_vcpu_request(); the vCPU thread consumes them before each entry.
	 */
	unsigned long requests;	/* VTX_REQ_* bit numbers, atomic bitops */
	u32 mp_state;		/* enum vtx_mp; written by the vCPU thread */
	u32 sipi_vector;	/* valid with VTX_REQ_SIPI */
	struct irqchip_lapic *lapic;	/* kmod/irq/irqchip_lapic.c: this vCPU's LAPIC */
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

/* kmod/vm.c: VM fds, guest memory slots. */
extern const struct file_operations vtx_vm_fops;
void vm_get(struct vtx_vm *vm);
void vm_put(struct vtx_vm *vm);		/* last reference: ept_destroy, vmx_put, free */
/* The slot holding @gpa, or NULL. Caller holds vm->lock. */
struct vtx_memslot *vm_find_slot(struct vtx_vm *vm, u64 gpa);
/*
 * Copy guest-physical memory through the slots' user mappings (may cross
 * slots): 0, -EFAULT outside RAM (or a write to a read-only slot), -EIO if
 * current->mm is not the VM's, -EINTR on a fatal signal. They take vm->lock
 * for each slot lookup (not across the copy): call them WITHOUT it, from the vCPU thread (MMIO decode, string I/O).
 */
int vm_read_guest(struct vtx_vm *vm, u64 gpa, void *buf, size_t len);
int vm_write_guest(struct vtx_vm *vm, u64 gpa, const void *buf, size_t len);
long vtx_dev_create_vm(void *obj, void *argp, unsigned long arg);
long vtx_vm_set_memory_region(void *obj, void *argp, unsigned long arg);
long vtx_vm_irq_line(void *obj, void *argp, unsigned long arg);
long vtx_vm_get_ept_stats(void *obj, void *argp, unsigned long arg);

/* kmod/vcpu.c: vCPU fds (mmap of the run page, state, event and run ioctls). */
extern const struct file_operations vtx_vcpu_fops;
/*
 * Post request @req (VTX_REQ_*) to @vcpu and make it notice: wake it if it
 * sleeps, interrupt its guest if it runs one. Lock-free, any context.
 */
void vtx_vcpu_request(struct vtx_vcpu *vcpu, unsigned int req);
long vtx_vm_create_vcpu(void *obj, void *argp, unsigned long arg);
long vtx_vcpu_run(void *obj, void *argp, unsigned long arg);
long vtx_vcpu_get_regs(void *obj, void *argp, unsigned long arg);
long vtx_vcpu_set_regs(void *obj, void *argp, unsigned long arg);
long vtx_vcpu_get_sregs(void *obj, void *argp, unsigned long arg);
long vtx_vcpu_set_sregs(void *obj, void *argp, unsigned long arg);
/* VTX_INTERRUPT, VTX_NMI and VTX_KICK take no vCPU lock: they work during VTX_RUN. */
long vtx_vcpu_interrupt(void *obj, void *argp, unsigned long arg);
long vtx_vcpu_nmi(void *obj, void *argp, unsigned long arg);
long vtx_vcpu_kick(void *obj, void *argp, unsigned long arg);
long vtx_vcpu_inject_exception(void *obj, void *argp, unsigned long arg);
long vtx_vcpu_get_mp_state(void *obj, void *argp, unsigned long arg);
long vtx_vcpu_set_mp_state(void *obj, void *argp, unsigned long arg);

#endif /* _VTX_H */
