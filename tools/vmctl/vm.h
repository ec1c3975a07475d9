/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One running VM as the run loop sees it. The exit handlers (exits.c) only
 * touch the run page, the device buses and get_regs, so they are
 * unit-tested with a fake run page and no /dev/vtx.
 */
#ifndef _VMCTL_VM_H
#define _VMCTL_VM_H

#include "vmctl.h"
#include "ioport.h"

#define VM_MMIO_REPORT_MAX	32

struct vmctl_vm {
	struct vtx_run *run;
	struct ioport_bus io;
	struct vmctl_stop stop;
	FILE *log;
	/* VTX_GET_REGS for the HLT handler; @ctx is its argument. */
	int (*get_regs)(void *ctx, struct vtx_regs *regs);
	void *ctx;
	u64 mmio_reported[VM_MMIO_REPORT_MAX];	/* 4 KiB pages already reported */
	unsigned int nr_mmio_reported;
	unsigned long nr_exits;
};

void vm_init(struct vmctl_vm *vm, struct vtx_run *run, FILE *log);
/* Handle the exit described by vm->run: VMCTL_CONTINUE or an exit code. */
int vm_handle_exit(struct vmctl_vm *vm);
const char *vm_exit_name(u32 reason);

#endif /* _VMCTL_VM_H */
