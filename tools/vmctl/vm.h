/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One running VM as the run loop sees it. The exit handlers (exits.c) only
 * touch a vCPU's run page and the device buses, so they are
 * unit-tested with a fake run page and no /dev/vtx. With several vCPUs the
 * caller serialises vm_handle_vcpu_exit() with the device lock (vcpus.h).
 */
#ifndef _VMCTL_VM_H
#define _VMCTL_VM_H

#include "vmctl.h"
#include "ioport.h"

#define VM_MMIO_REPORT_MAX	32

/* Returned by vm_handle_vcpu_exit(): this vCPU is done, the VM goes on. */
#define VMCTL_VCPU_DONE		(-2)

struct vmctl_vm {
	struct vtx_run *run;		/* vCPU 0's, for vm_handle_exit() */
	struct ioport_bus io;
	struct vmctl_stop stop;
	FILE *log;
	/* MMIO outside RAM the devices answer (0), else 1; NULL: none. */
	int (*mmio)(void *mmio_ctx, u64 gpa, bool is_write, u32 len, u8 *data);
	void *mmio_ctx;
	u64 mmio_reported[VM_MMIO_REPORT_MAX];	/* 4 KiB pages already reported */
	unsigned int nr_mmio_reported;
	unsigned long nr_exits;
};

void vm_init(struct vmctl_vm *vm, struct vtx_run *run, FILE *log);
/*
 * Handle the exit described by @run of vCPU @id: VMCTL_CONTINUE, an exit
 * code that ends the VM, or VMCTL_VCPU_DONE (an AP halted with IF = 0: its
 * thread ends, the VM goes on). vCPU 0 is the boot CPU.
 */
int vm_handle_vcpu_exit(struct vmctl_vm *vm, struct vtx_run *run, unsigned int id);
/* The same for vCPU 0 and vm->run. */
int vm_handle_exit(struct vmctl_vm *vm);
const char *vm_exit_name(u32 reason);

#endif /* _VMCTL_VM_H */
