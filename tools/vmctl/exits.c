// SPDX-License-Identifier: GPL-2.0
/*
 * VM exit dispatch: exit_handlers[VTX_EXIT_*], each returning
 * VMCTL_CONTINUE or the vmctl exit code that ends the run.
 */
#include <string.h>
#include "vm.h"
#include "boot.h"

typedef int (*exit_handler)(struct vmctl_vm *vm, struct vtx_run *run, unsigned int id);

void vm_init(struct vmctl_vm *vm, struct vtx_run *run, FILE *log)
{
	memset(vm, 0, sizeof(*vm));
	vm->run = run;
	vm->log = log;
	ioport_bus_init(&vm->io, log);
}

static int exit_none(struct vmctl_vm *vm, struct vtx_run *run, unsigned int id)
{
	(void)vm;
	(void)run;
	(void)id;
	return VMCTL_CONTINUE;
}

/* String I/O, other data offsets, and malformed exits: see exit_io(). */
static __attribute__((noinline)) int exit_io_general(struct vmctl_vm *vm, struct vtx_run *run)
{
	u64 off = run->io.data_offset;
	u64 bytes = (u64)run->io.count * run->io.size;

	/* The data must lie inside the shared page (VTX_RUN_IO_DATA_*). */
	if (off < sizeof(*run) || off > VTX_RUN_SIZE || bytes > VTX_RUN_SIZE - off ||
	    ioport_handle(&vm->io, run->io.direction, run->io.port, run->io.size,
			  run->io.count, (u8 *)run + off)) {
		fprintf(vm->log, "vmctl: malformed I/O exit: port 0x%x size %u count %u offset %llu\n",
			run->io.port, run->io.size, run->io.count, (unsigned long long)off);
		return VMCTL_EXIT_VM_ERROR;
	}
	return VMCTL_CONTINUE;
}

/*
 * Nearly every I/O exit is one access at the kernel's data offset, where
 * 4 bytes are always inside the page: that case needs no range checks and
 * no stack frame, so a port exit costs little more than VTX_RUN itself.
 */
static int exit_io(struct vmctl_vm *vm, struct vtx_run *run, unsigned int id)
{
	(void)id;
	if (run->io.count == 1 && run->io.data_offset == VTX_RUN_IO_DATA_OFFSET &&
	    !ioport_single(&vm->io, run->io.direction, run->io.port, run->io.size,
			   (u8 *)run + VTX_RUN_IO_DATA_OFFSET))
		return VMCTL_CONTINUE;
	return exit_io_general(vm, run);
}

/* Outside RAM and the devices (vm->mmio): reads give all ones, writes vanish. */
static int exit_mmio(struct vmctl_vm *vm, struct vtx_run *run, unsigned int id)
{
	u64 page = run->mmio.gpa & ~0xfffULL;
	unsigned int i;
	u32 len = run->mmio.len;

	(void)id;
	if (len != 1 && len != 2 && len != 4 && len != 8) {
		fprintf(vm->log, "vmctl: malformed MMIO exit: length %u at 0x%llx\n", len,
			(unsigned long long)run->mmio.gpa);
		return VMCTL_EXIT_VM_ERROR;
	}
	if (vm->mmio && !vm->mmio(vm->mmio_ctx, run->mmio.gpa, run->mmio.is_write, len,
				  run->mmio.data))
		return VMCTL_CONTINUE;
	if (!run->mmio.is_write)
		memset(run->mmio.data, 0xff, len);
	for (i = 0; i < vm->nr_mmio_reported; i++)
		if (vm->mmio_reported[i] == page)
			return VMCTL_CONTINUE;
	if (vm->nr_mmio_reported < VM_MMIO_REPORT_MAX) {
		vm->mmio_reported[vm->nr_mmio_reported++] = page;
		fprintf(vm->log,
			"vmctl: guest %s unmapped MMIO 0x%llx (len %u) at RIP 0x%llx (reads all ones, writes ignored; reported once per page)\n",
			run->mmio.is_write ? "wrote" : "read",
			(unsigned long long)run->mmio.gpa, len,
			(unsigned long long)run->guest_rip);
	}
	return VMCTL_CONTINUE;
}

/*
 * VTX_EXIT_HLT comes only with RFLAGS.IF = 0 (with IF = 1 the vCPU sleeps
 * in the kernel until its in-kernel LAPIC has an interrupt for it): nothing
 * can wake it, which is how a test guest says "done". On the boot CPU it
 * ends the VM (exit 0), on an AP only that vCPU's thread.
 */
static int exit_hlt(struct vmctl_vm *vm, struct vtx_run *run, unsigned int id)
{
	(void)vm;
	(void)run;
	return id ? VMCTL_VCPU_DONE : VMCTL_EXIT_OK;
}

static int exit_shutdown(struct vmctl_vm *vm, struct vtx_run *run, unsigned int id)
{
	fprintf(vm->log, "vmctl: guest triple fault at RIP 0x%llx (vCPU %u)\n",
		(unsigned long long)run->guest_rip, id);
	return VMCTL_EXIT_GUEST_CRASH;
}

/* Basic exit reasons of a failed VM entry (uapi/vtx.h). */
static const char *exit_entry_failure_name(u64 reason)
{
	switch (reason & 0xffff) {
	case VTX_ENTRY_FAIL_GUEST_STATE:
		return "invalid guest state";
	case VTX_ENTRY_FAIL_MSR_LOAD:
		return "MSR loading";
	case VTX_ENTRY_FAIL_MCE:
		return "machine-check event";
	default:
		return "unknown";
	}
}

static int exit_fail_entry(struct vmctl_vm *vm, struct vtx_run *run, unsigned int id)
{
	u64 r = run->fail_entry.hardware_entry_failure_reason;

	fprintf(vm->log,
		"vmctl: VM entry of vCPU %u failed: hardware reason 0x%llx (%llu: %s), qualification 0x%llx, RIP 0x%llx\n",
		id, (unsigned long long)r,
		(unsigned long long)(r & 0xffff), exit_entry_failure_name(r),
		(unsigned long long)run->fail_entry.exit_qualification,
		(unsigned long long)run->guest_rip);
	return VMCTL_EXIT_VM_ERROR;
}

static int exit_internal_error(struct vmctl_vm *vm, struct vtx_run *run, unsigned int id)
{
	static const char *const names[] = {
		[VTX_INTERNAL_UNHANDLED_EXIT] = "unhandled exit",
		[VTX_INTERNAL_EMULATION] = "MMIO instruction not decoded",
		[VTX_INTERNAL_DELIVERY_EV] = "exit while delivering an event",
	};
	u32 sub = run->internal.suberror;
	u32 n = run->internal.ndata, i;

	fprintf(vm->log,
		"vmctl: vtx internal error %u (%s) on vCPU %u at RIP 0x%llx, hw exit reason %llu",
		sub, sub < 4 && names[sub] ? names[sub] : "unknown", id,
		(unsigned long long)run->guest_rip,
		(unsigned long long)run->hw_exit_reason);
	if (n > 16)
		n = 16;
	for (i = 0; i < n; i++)
		fprintf(vm->log, "%s0x%llx", i ? " " : ", data: ",
			(unsigned long long)run->internal.data[i]);
	fputc('\n', vm->log);
	return VMCTL_EXIT_VM_ERROR;
}

static const struct {
	const char *name;
	exit_handler handler;
} exit_handlers[] = {
	[VTX_EXIT_NONE]			= { "none", exit_none },
	[VTX_EXIT_IO]			= { "io", exit_io },
	[VTX_EXIT_MMIO]			= { "mmio", exit_mmio },
	[VTX_EXIT_HLT]			= { "hlt", exit_hlt },
	[VTX_EXIT_SHUTDOWN]		= { "shutdown", exit_shutdown },
	[VTX_EXIT_FAIL_ENTRY]		= { "fail_entry", exit_fail_entry },
	[VTX_EXIT_INTERNAL_ERROR]	= { "internal_error", exit_internal_error },
	[VTX_EXIT_INTR]			= { "intr", exit_none },
	[VTX_EXIT_KICK]			= { "kick", exit_none },	/* vcpus.c looks at the stop */
};

#define NR_EXIT_HANDLERS (sizeof(exit_handlers) / sizeof(exit_handlers[0]))

const char *vm_exit_name(u32 reason)
{
	return reason < NR_EXIT_HANDLERS && exit_handlers[reason].name ?
	       exit_handlers[reason].name : "unknown";
}

int vm_handle_vcpu_exit(struct vmctl_vm *vm, struct vtx_run *run, unsigned int id)
{
	u32 reason = run->exit_reason;
	int ret;

	vm->nr_exits++;
	if (reason >= NR_EXIT_HANDLERS || !exit_handlers[reason].handler) {
		fprintf(vm->log,
			"vmctl: unknown exit reason %u from vtx (hw %llu) on vCPU %u at RIP 0x%llx\n",
			reason, (unsigned long long)run->hw_exit_reason, id,
			(unsigned long long)run->guest_rip);
		return VMCTL_EXIT_VM_ERROR;
	}
	ret = exit_handlers[reason].handler(vm, run, id);
	/* A device (debug exit, Ctrl-A x) may have ended the run. */
	if ((ret == VMCTL_CONTINUE || ret == VMCTL_VCPU_DONE) && vm->stop.requested)
		return vm->stop.code;
	return ret;
}

int vm_handle_exit(struct vmctl_vm *vm)
{
	return vm_handle_vcpu_exit(vm, vm->run, 0);
}
