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
#include "uapi/vtx.h"
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
	struct vtx_vcpu *vcpus[VTX_MAX_VCPUS];
	u32 nr_vcpus;
};

struct vtx_vcpu {
	struct vtx_vm *vm;
	u32 id;
	struct mutex lock;	/* held across VTX_RUN and state ioctls */
	struct vtx_run *run;	/* the page shared with userspace */
	struct vmx_vcpu vmx;	/* kmod/vmx/: VMCS and guest state */
};

/* kmod/vmx/vmxon.c: VMX operation on every online CPU, refcounted. */
int vmx_get(void);		/* first user: VMXON everywhere; -EBUSY if taken */
void vmx_put(void);		/* last user: VMXOFF everywhere */
u32 vmx_on_cpus(void);
u32 vmx_users(void);

/* kmod/vmx/probe.c: capability MSRs read once at load. */
extern struct vtx_caps vtx_host_caps;
int vmx_probe(void);		/* -ENODEV/-EOPNOTSUPP with the reason logged */

/* kmod/vm.c */
struct vtx_memslot *vm_find_slot(struct vtx_vm *vm, u64 gpa);

#endif /* _VTX_H */
