/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest VMs for the vtx selftests, modelled on KVM's selftest library.
 *
 * vm_create_with_one_vcpu(&vcpu, guest_code) makes a VM whose slot 0 is
 * VM_MEM_SIZE of anonymous memory at GPA 0, loads this program's own image
 * at the same addresses (guest-virtual = guest-physical = host-virtual for
 * the image; the selftests are linked at a fixed address), identity-maps the
 * low 4 GiB with 2 MiB pages (GPAs outside the slots are MMIO), and starts
 * the vCPU in 64-bit ring 0 at guest_code with a GDT, TSS, IDT (lib/
 * exception.S) and a stack of its own.
 *
 * The image is copied when the VM is created: later host changes to globals
 * reach the guest only through sync_global_to_guest().
 */
#ifndef VTX_SELFTEST_VM_H
#define VTX_SELFTEST_VM_H

#include <stdbool.h>
#include <stdint.h>
#include "uapi/vtx.h"
#include "processor.h"
#include "ucall.h"

#define VM_MEM_SIZE		(64ull << 20)
#define VM_PAGE_SIZE		4096ull
#define VM_STACK_PAGES		16
#define VM_MAPPED_TOP		(4ull << 30)	/* identity map [0, 4 GiB) */

#define GDT_SEL_CODE		0x08
#define GDT_SEL_DATA		0x10
#define GDT_SEL_TSS		0x18

struct test_vm {
	int dev_fd;		/* /dev/vtx */
	int fd;			/* VM fd */
	uint8_t *mem;		/* slot 0: GPA 0 .. mem_size */
	uint64_t mem_size;
	uint64_t next_gpa;	/* page allocator in slot 0 */
	uint64_t pml4, gdt, idt, tss;
	unsigned int nr_vcpus;
	void *backend;		/* backend's private data */
};

struct test_vcpu {
	struct test_vm *vm;
	int fd;
	uint32_t id;
	struct vtx_run *run;
	uint64_t stack_top;	/* GPA */
	void *backend;		/* backend's private data */
};

typedef void (*guest_handler_t)(struct ex_regs *regs);
extern guest_handler_t guest_handlers[256];
void guest_code_returned(void);

/* A VM with memory, page tables, GDT and IDT but no vCPU. */
struct test_vm *vm_create(void);
struct test_vcpu *vm_vcpu_add(struct test_vm *vm, uint32_t id, void *guest_code);
/*
 * vm_vcpu_add() gives a vCPU that starts at guest_code in 64-bit mode: one
 * with id > 0 (an AP, which vtx creates in VTX_MP_WAIT_SIPI) is made
 * VTX_MP_RUNNABLE. Its GS base points at guest_percpu[id] (lib/irq.h).
 * vm_vcpu_add_ap() leaves the new vCPU as the kernel made it: an AP waits
 * for INIT/SIPI and then starts in real mode (SDM 8.4.4).
 */
struct test_vcpu *vm_vcpu_add_ap(struct test_vm *vm, uint32_t id);
struct test_vm *vm_create_with_one_vcpu(struct test_vcpu **vcpu, void *guest_code);
void vcpu_free(struct test_vcpu *vcpu);
/* Frees the vCPUs given (NULL-terminated list is not needed: pass each). */
void vm_free(struct test_vm *vm);

/* Zeroed pages in slot 0; returns the GPA (= GVA). */
uint64_t vm_alloc_pages(struct test_vm *vm, unsigned int n);
void *addr_gpa2hva(struct test_vm *vm, uint64_t gpa);
#define addr_gva2hva(vm, gva)	addr_gpa2hva(vm, (uint64_t)(uintptr_t)(gva))

#define sync_global_to_guest(vm, g)						\
	memcpy(addr_gva2hva(vm, &(g)), &(g), sizeof(g))
#define sync_global_from_guest(vm, g)						\
	memcpy(&(g), addr_gva2hva(vm, &(g)), sizeof(g))

void vm_install_exception_handler(struct test_vm *vm, int vector, guest_handler_t handler);

/* VTX_SET_MEMORY_REGION; returns the ioctl's result (errno set). */
int vm_set_memory_region(struct test_vm *vm, uint32_t slot, uint32_t flags, uint64_t gpa,
			 uint64_t size, void *hva);

/* Up to 6 integer arguments for guest_code (SysV registers). */
void vcpu_args_set(struct test_vcpu *vcpu, unsigned int n, ...);
/* _name: the raw call, its result with errno; name: asserts success */
int _vcpu_regs_get(struct test_vcpu *vcpu, struct vtx_regs *regs);
int _vcpu_sregs_get(struct test_vcpu *vcpu, struct vtx_sregs *sregs);
int _vcpu_sregs_set(struct test_vcpu *vcpu, struct vtx_sregs *sregs);
void vcpu_regs_get(struct test_vcpu *vcpu, struct vtx_regs *regs);
void vcpu_regs_set(struct test_vcpu *vcpu, struct vtx_regs *regs);
void vcpu_sregs_get(struct test_vcpu *vcpu, struct vtx_sregs *sregs);
void vcpu_sregs_set(struct test_vcpu *vcpu, struct vtx_sregs *sregs);

/* Events (uapi/vtx.h): the raw ioctl result with errno set. */
int _vcpu_interrupt(struct test_vcpu *vcpu, uint32_t vector);
int _vcpu_nmi(struct test_vcpu *vcpu);
int _vcpu_inject_exception(struct test_vcpu *vcpu, uint8_t vector, bool has_error_code,
			   uint32_t error_code);
int _vcpu_kick(struct test_vcpu *vcpu);
int _vcpu_mp_state_get(struct test_vcpu *vcpu, struct vtx_mp_state *mp);
int _vcpu_mp_state_set(struct test_vcpu *vcpu, uint32_t state);
int _vm_irq_line(struct test_vm *vm, uint32_t irq, uint32_t level);
/* The same, asserting success. */
void vcpu_interrupt(struct test_vcpu *vcpu, uint32_t vector);
void vcpu_nmi(struct test_vcpu *vcpu);
uint32_t vcpu_mp_state(struct test_vcpu *vcpu);	/* enum vtx_mp */
void vcpu_mp_state_set(struct test_vcpu *vcpu, uint32_t state);
void vm_irq_line(struct test_vm *vm, uint32_t irq, uint32_t level);
const char *mp_state_str(uint32_t state);

/* One VTX_RUN: its return value (errno set). */
int _vcpu_run(struct test_vcpu *vcpu);
/* VTX_RUN, retried on EINTR; aborts the test if it fails. */
void vcpu_run(struct test_vcpu *vcpu);

/* The ucall behind the last exit, or UCALL_NONE. */
uint64_t get_ucall(struct test_vcpu *vcpu, struct ucall *uc);
/*
 * vcpu_run() + get_ucall(); prints a TAP diagnostic for guest assertions
 * and unexpected guest exceptions.
 */
uint64_t vcpu_run_ucall(struct test_vcpu *vcpu, struct ucall *uc);
void ucall_print(struct test_vcpu *vcpu, const struct ucall *uc);
/* Diagnostic lines describing the last exit (reason, I/O, MMIO, ...). */
void vcpu_print_exit(struct test_vcpu *vcpu);

const char *exit_reason_str(uint32_t reason);
/* Run until UCALL_DONE; false (with diagnostics) on anything else. */
bool vcpu_run_to_done(struct test_vcpu *vcpu);
/*
 * Run to the guest's next ucall, which must be GUEST_SYNC(@stage) (args[0]);
 * false (with diagnostics) on anything else. The _or_bail form ends the
 * program instead ("Bail out!"): later stages depend on this one.
 */
bool vcpu_run_to_stage(struct test_vcpu *vcpu, uint64_t stage, struct ucall *uc);
void vcpu_run_to_stage_or_bail(struct test_vcpu *vcpu, uint64_t stage, struct ucall *uc);

#endif /* VTX_SELFTEST_VM_H */
