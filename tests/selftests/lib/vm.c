// SPDX-License-Identifier: GPL-2.0
/* Host side of the vtx selftest VMs; see vm.h for the guest's layout. */
#include <fcntl.h>
#include <link.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "backend.h"
#include "irq.h"
#include "vm.h"
#include "vtx_util.h"

extern const char guest_idt_stubs[];

#define ALIGN_UP(x, a)	(((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define SZ_2M		(2ull << 20)

void *addr_gpa2hva(struct test_vm *vm, uint64_t gpa)
{
	TEST_ASSERT(gpa < vm->mem_size, "GPA %#llx outside slot 0", (unsigned long long)gpa);
	return vm->mem + gpa;
}

uint64_t vm_alloc_pages(struct test_vm *vm, unsigned int n)
{
	uint64_t gpa = vm->next_gpa;

	TEST_ASSERT(gpa + n * VM_PAGE_SIZE <= vm->mem_size, "guest memory exhausted");
	vm->next_gpa += n * VM_PAGE_SIZE;
	memset(vm->mem + gpa, 0, n * VM_PAGE_SIZE);
	return gpa;
}

int vm_set_memory_region(struct test_vm *vm, uint32_t slot, uint32_t flags, uint64_t gpa,
			 uint64_t size, void *hva)
{
	struct vtx_memory_region r = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)hva,
	};

	return backend_set_region(vm, &r);
}

/* Copy each PT_LOAD segment of this program to the same address in the guest. */
static int load_segment(struct dl_phdr_info *info, size_t size, void *data)
{
	struct test_vm *vm = data;
	int i;

	(void)size;
	/* the first object is the executable itself (static, not PIE) */
	for (i = 0; i < info->dlpi_phnum; i++) {
		const Elf64_Phdr *ph = &info->dlpi_phdr[i];
		uint64_t start = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type != PT_LOAD)
			continue;
		TEST_ASSERT(start + ph->p_memsz <= vm->mem_size / 2,
			    "segment %#llx+%#llx does not fit the guest",
			    (unsigned long long)start, (unsigned long long)ph->p_memsz);
		memcpy(vm->mem + start, (void *)(uintptr_t)start, ph->p_memsz);
		if (start + ph->p_memsz > vm->next_gpa)
			vm->next_gpa = start + ph->p_memsz;
	}
	return 1;
}

/* Identity map [0, VM_MAPPED_TOP) with 2 MiB pages: PML4 -> PDPT -> 4 PDs. */
static void vm_build_page_tables(struct test_vm *vm)
{
	uint64_t pdpt, *pml4e, *pdpte, *pde;
	unsigned int i, j;

	vm->pml4 = vm_alloc_pages(vm, 1);
	pdpt = vm_alloc_pages(vm, 1);
	pml4e = addr_gpa2hva(vm, vm->pml4);
	pdpte = addr_gpa2hva(vm, pdpt);
	pml4e[0] = pdpt | PTE_PRESENT | PTE_WRITE;
	for (i = 0; i < VM_MAPPED_TOP >> 30; i++) {
		uint64_t pd = vm_alloc_pages(vm, 1);

		pdpte[i] = pd | PTE_PRESENT | PTE_WRITE;
		pde = addr_gpa2hva(vm, pd);
		for (j = 0; j < 512; j++)
			pde[j] = (((uint64_t)i << 30) + j * SZ_2M) | PTE_PRESENT | PTE_WRITE |
				 PTE_LARGE;
	}
}

/* GDT: null, 64-bit code, data, 16-byte TSS descriptor (SDM Vol. 3 3.4.5, 7.2.3). */
static void vm_build_gdt(struct test_vm *vm)
{
	uint64_t *gdt, tss;

	vm->gdt = vm_alloc_pages(vm, 1);
	vm->tss = tss = vm_alloc_pages(vm, 1);
	gdt = addr_gpa2hva(vm, vm->gdt);
	gdt[GDT_SEL_CODE / 8] = 0x00af9b000000ffffull;	/* P, S, type 0xb, L, G */
	gdt[GDT_SEL_DATA / 8] = 0x00cf93000000ffffull;	/* P, S, type 0x3, D/B, G */
	gdt[GDT_SEL_TSS / 8] = 0x67 | (tss & 0xffffff) << 16 | 0x8bull << 40 |
			       ((tss >> 24) & 0xff) << 56;	/* P, busy 64-bit TSS */
	gdt[GDT_SEL_TSS / 8 + 1] = tss >> 32;
}

/* IDT: 256 interrupt gates to lib/exception.S (SDM Vol. 3 6.14.1). */
static void vm_build_idt(struct test_vm *vm)
{
	uint64_t *idt;
	int v;

	vm->idt = vm_alloc_pages(vm, 1);
	idt = addr_gpa2hva(vm, vm->idt);
	for (v = 0; v < 256; v++) {
		uint64_t h = (uintptr_t)guest_idt_stubs + 16 * v;

		idt[2 * v] = (h & 0xffff) | (uint64_t)GDT_SEL_CODE << 16 | 0x8eull << 40 |
			     ((h >> 16) & 0xffff) << 48;
		idt[2 * v + 1] = h >> 32;
	}
}

struct test_vm *vm_create(void)
{
	struct test_vm *vm = calloc(1, sizeof(*vm));

	TEST_ASSERT(vm, "calloc");
	TEST_ASSERT(!backend_create_vm(vm), "create VM (%s)", backend_name());
	vm->mem_size = VM_MEM_SIZE;
	vm->mem = mmap(NULL, vm->mem_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	TEST_ASSERT(vm->mem != MAP_FAILED, "mmap guest memory");
	TEST_ASSERT(!vm_set_memory_region(vm, 0, 0, 0, vm->mem_size, vm->mem),
		    "VTX_SET_MEMORY_REGION slot 0");

	dl_iterate_phdr(load_segment, vm);
	TEST_ASSERT(vm->next_gpa, "no PT_LOAD segment found");
	vm->next_gpa = ALIGN_UP(vm->next_gpa, SZ_2M);
	vm_build_page_tables(vm);
	vm_build_gdt(vm);
	vm_build_idt(vm);
	return vm;
}

static void seg_flat(struct vtx_segment *s, uint16_t sel, uint8_t type, bool code)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->base = 0;
	s->limit = 0xffffffff;
	s->type = type;
	s->present = 1;
	s->s = 1;
	s->g = 1;
	s->l = code;
	s->db = !code;
}

static void vcpu_setup_sregs(struct test_vcpu *vcpu)
{
	struct test_vm *vm = vcpu->vm;
	struct vtx_sregs sr;

	vcpu_sregs_get(vcpu, &sr);
	seg_flat(&sr.cs, GDT_SEL_CODE, 0xb, true);
	seg_flat(&sr.ds, GDT_SEL_DATA, 0x3, false);
	sr.es = sr.fs = sr.gs = sr.ss = sr.ds;
	/* guest_cpu_id() & co. read this vCPU's struct guest_percpu at %gs:0 */
	TEST_ASSERT(vcpu->id < GUEST_MAX_CPUS, "vCPU id %u >= GUEST_MAX_CPUS", vcpu->id);
	sr.gs.base = (uintptr_t)&guest_percpu[vcpu->id];

	memset(&sr.tr, 0, sizeof(sr.tr));
	sr.tr.selector = GDT_SEL_TSS;
	sr.tr.base = vm->tss;
	sr.tr.limit = 0x67;
	sr.tr.type = 0xb;	/* busy 64-bit TSS: required for VM entry (SDM 26.3.1.2) */
	sr.tr.present = 1;

	memset(&sr.ldt, 0, sizeof(sr.ldt));
	sr.ldt.type = 0x2;
	sr.ldt.unusable = 1;

	sr.gdt.base = vm->gdt;
	sr.gdt.limit = 4 * 8 - 1 + 8;
	sr.idt.base = vm->idt;
	sr.idt.limit = 256 * 16 - 1;

	sr.cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_PG;
	sr.cr4 = X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
	sr.cr3 = vm->pml4;
	sr.efer = EFER_LME | EFER_LMA | EFER_SCE | EFER_NX;
	vcpu_sregs_set(vcpu, &sr);
}

struct test_vcpu *vm_vcpu_add_ap(struct test_vm *vm, uint32_t id)
{
	struct test_vcpu *vcpu = calloc(1, sizeof(*vcpu));
	struct guest_percpu *pc;

	TEST_ASSERT(vcpu, "calloc");
	TEST_ASSERT(id < GUEST_MAX_CPUS, "vCPU id %u >= GUEST_MAX_CPUS", id);
	vcpu->vm = vm;
	vcpu->id = id;
	TEST_ASSERT(!backend_create_vcpu(vcpu), "create vCPU %u and map its run page", id);
	vm->nr_vcpus++;
	pc = addr_gva2hva(vm, &guest_percpu[id]);
	pc->id = id;
	return vcpu;
}

struct test_vcpu *vm_vcpu_add(struct test_vm *vm, uint32_t id, void *guest_code)
{
	struct test_vcpu *vcpu = vm_vcpu_add_ap(vm, id);
	struct vtx_regs regs;
	uint64_t *ret_addr;

	/*
	 * APs wait for INIT/SIPI; this one is set up to run 64-bit code at once.
	 * (A vtx without VTX_SET_MP_STATE, ENOTTY, starts every vCPU runnable.)
	 */
	if (id != 0 && _vcpu_mp_state_set(vcpu, VTX_MP_RUNNABLE))
		TEST_ASSERT(errno == ENOTTY, "VTX_SET_MP_STATE vCPU %u RUNNABLE", id);
	vcpu_setup_sregs(vcpu);
	vcpu->stack_top = vm_alloc_pages(vm, VM_STACK_PAGES) + VM_STACK_PAGES * VM_PAGE_SIZE;
	/* as after a CALL: RSP = 8 mod 16, the return address on top */
	ret_addr = addr_gpa2hva(vm, vcpu->stack_top - 8);
	*ret_addr = (uintptr_t)guest_code_returned;

	memset(&regs, 0, sizeof(regs));
	regs.rip = (uintptr_t)guest_code;
	regs.rsp = vcpu->stack_top - 8;
	regs.rflags = 0x2;
	vcpu_regs_set(vcpu, &regs);
	return vcpu;
}

struct test_vm *vm_create_with_one_vcpu(struct test_vcpu **vcpu, void *guest_code)
{
	struct test_vm *vm = vm_create();

	*vcpu = vm_vcpu_add(vm, 0, guest_code);
	return vm;
}

void vcpu_free(struct test_vcpu *vcpu)
{
	backend_free_vcpu(vcpu);
	free(vcpu);
}

void vm_free(struct test_vm *vm)
{
	backend_free_vm(vm);
	munmap(vm->mem, vm->mem_size);
	free(vm);
}

void vm_install_exception_handler(struct test_vm *vm, int vector, guest_handler_t handler)
{
	guest_handler_t *slot = addr_gva2hva(vm, &guest_handlers[vector & 0xff]);

	*slot = handler;
}

int _vcpu_regs_get(struct test_vcpu *vcpu, struct vtx_regs *regs)
{
	return backend_get_regs(vcpu, regs);
}

int _vcpu_sregs_get(struct test_vcpu *vcpu, struct vtx_sregs *sregs)
{
	return backend_get_sregs(vcpu, sregs);
}

int _vcpu_sregs_set(struct test_vcpu *vcpu, struct vtx_sregs *sregs)
{
	return backend_set_sregs(vcpu, sregs);
}

void vcpu_regs_get(struct test_vcpu *vcpu, struct vtx_regs *regs)
{
	TEST_ASSERT(!backend_get_regs(vcpu, regs), "VTX_GET_REGS");
}

void vcpu_regs_set(struct test_vcpu *vcpu, struct vtx_regs *regs)
{
	TEST_ASSERT(!backend_set_regs(vcpu, regs), "VTX_SET_REGS");
}

void vcpu_sregs_get(struct test_vcpu *vcpu, struct vtx_sregs *sregs)
{
	TEST_ASSERT(!_vcpu_sregs_get(vcpu, sregs), "VTX_GET_SREGS");
}

void vcpu_sregs_set(struct test_vcpu *vcpu, struct vtx_sregs *sregs)
{
	TEST_ASSERT(!_vcpu_sregs_set(vcpu, sregs), "VTX_SET_SREGS");
}

void vcpu_args_set(struct test_vcpu *vcpu, unsigned int n, ...)
{
	struct vtx_regs regs;
	__u64 *argv[] = { &regs.rdi, &regs.rsi, &regs.rdx, &regs.rcx, &regs.r8, &regs.r9 };
	unsigned int i;
	va_list ap;

	TEST_ASSERT(n <= 6, "at most 6 guest arguments");
	vcpu_regs_get(vcpu, &regs);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		*argv[i] = va_arg(ap, uint64_t);
	va_end(ap);
	vcpu_regs_set(vcpu, &regs);
}

int _vcpu_interrupt(struct test_vcpu *vcpu, uint32_t vector)
{
	return backend_interrupt(vcpu, vector);
}

int _vcpu_nmi(struct test_vcpu *vcpu)
{
	return backend_nmi(vcpu);
}

int _vcpu_inject_exception(struct test_vcpu *vcpu, uint8_t vector, bool has_error_code,
			   uint32_t error_code)
{
	struct vtx_exception ex = {
		.vector = vector,
		.has_error_code = has_error_code,
		.error_code = error_code,
	};

	return backend_inject_exception(vcpu, &ex);
}

int _vcpu_kick(struct test_vcpu *vcpu)
{
	return backend_kick(vcpu);
}

int _vcpu_mp_state_get(struct test_vcpu *vcpu, struct vtx_mp_state *mp)
{
	return backend_get_mp_state(vcpu, mp);
}

int _vcpu_mp_state_set(struct test_vcpu *vcpu, uint32_t state)
{
	struct vtx_mp_state mp = { .state = state };

	return backend_set_mp_state(vcpu, &mp);
}

int _vm_irq_line(struct test_vm *vm, uint32_t irq, uint32_t level)
{
	return backend_irq_line(vm, irq, level);
}

void vcpu_interrupt(struct test_vcpu *vcpu, uint32_t vector)
{
	TEST_ASSERT(!_vcpu_interrupt(vcpu, vector), "VTX_INTERRUPT vector %u", vector);
}

void vcpu_nmi(struct test_vcpu *vcpu)
{
	TEST_ASSERT(!_vcpu_nmi(vcpu), "VTX_NMI");
}

uint32_t vcpu_mp_state(struct test_vcpu *vcpu)
{
	struct vtx_mp_state mp;

	TEST_ASSERT(!_vcpu_mp_state_get(vcpu, &mp), "VTX_GET_MP_STATE vCPU %u", vcpu->id);
	return mp.state;
}

void vcpu_mp_state_set(struct test_vcpu *vcpu, uint32_t state)
{
	TEST_ASSERT(!_vcpu_mp_state_set(vcpu, state), "VTX_SET_MP_STATE vCPU %u state %u",
		    vcpu->id, state);
}

void vm_irq_line(struct test_vm *vm, uint32_t irq, uint32_t level)
{
	TEST_ASSERT(!_vm_irq_line(vm, irq, level), "VTX_IRQ_LINE irq %u level %u", irq, level);
}

const char *mp_state_str(uint32_t state)
{
	switch (state) {
	case VTX_MP_RUNNABLE:
		return "RUNNABLE";
	case VTX_MP_WAIT_SIPI:
		return "WAIT_SIPI";
	case VTX_MP_HALTED:
		return "HALTED";
	default:
		return "unknown";
	}
}

int _vcpu_run(struct test_vcpu *vcpu)
{
	return backend_run(vcpu);
}

void vcpu_run(struct test_vcpu *vcpu)
{
	int ret;

	do {
		ret = _vcpu_run(vcpu);
	} while (ret == -1 && errno == EINTR);
	TEST_ASSERT(ret == 0, "VTX_RUN returned %d", ret);
}

static const char *const exit_names[] = {
	[VTX_EXIT_NONE] = "NONE",
	[VTX_EXIT_IO] = "IO",
	[VTX_EXIT_MMIO] = "MMIO",
	[VTX_EXIT_HLT] = "HLT",
	[VTX_EXIT_SHUTDOWN] = "SHUTDOWN",
	[VTX_EXIT_FAIL_ENTRY] = "FAIL_ENTRY",
	[VTX_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR",
	[VTX_EXIT_INTR] = "INTR",
	[VTX_EXIT_KICK] = "KICK",
};

const char *exit_reason_str(uint32_t reason)
{
	if (reason < sizeof(exit_names) / sizeof(exit_names[0]) && exit_names[reason])
		return exit_names[reason];
	return "unknown";
}

uint64_t get_ucall(struct test_vcpu *vcpu, struct ucall *uc)
{
	struct vtx_run *run = vcpu->run;
	struct ucall tmp;
	uint32_t gva;

	if (run->exit_reason != VTX_EXIT_IO || run->io.port != UCALL_PORT ||
	    run->io.direction != VTX_IO_OUT || run->io.size != 4 || run->io.count != 1 ||
	    run->io.data_offset > VTX_RUN_SIZE - 4)
		return UCALL_NONE;
	memcpy(&gva, (uint8_t *)run + run->io.data_offset, 4);
	if (gva > vcpu->vm->mem_size - sizeof(tmp))
		return UCALL_NONE;
	memcpy(&tmp, addr_gpa2hva(vcpu->vm, gva), sizeof(tmp));
	if (uc)
		*uc = tmp;
	return tmp.cmd;
}

void ucall_print(struct test_vcpu *vcpu, const struct ucall *uc)
{
	struct vtx_run *run = vcpu->run;

	switch (uc->cmd) {
	case UCALL_ASSERT:
		ksft_print_msg("guest assertion failed: %s:%llu: %s (%#llx vs %#llx)\n",
			       (const char *)(uintptr_t)uc->args[1],
			       (unsigned long long)uc->args[2],
			       (const char *)(uintptr_t)uc->args[0],
			       (unsigned long long)uc->args[3], (unsigned long long)uc->args[4]);
		break;
	case UCALL_UNHANDLED:
		ksft_print_msg("unexpected guest exception %llu at rip %#llx, error code %#llx, cr2 %#llx\n", (unsigned long long)uc->args[0],
			       (unsigned long long)uc->args[1], (unsigned long long)uc->args[2],
			       (unsigned long long)uc->args[3]);
		break;
	case UCALL_NONE:
		ksft_print_msg("exit %s (%u), hw reason %llu, qualification %#llx, rip %#llx\n",
			       exit_reason_str(run->exit_reason), run->exit_reason,
			       (unsigned long long)run->hw_exit_reason,
			       (unsigned long long)run->exit_qualification,
			       (unsigned long long)run->guest_rip);
		if (run->exit_reason == VTX_EXIT_IO)
			ksft_print_msg("  io: port %#x size %u dir %u count %u\n", run->io.port,
				       run->io.size, run->io.direction, run->io.count);
		else if (run->exit_reason == VTX_EXIT_MMIO)
			ksft_print_msg("  mmio: gpa %#llx len %u write %u\n",
				       (unsigned long long)run->mmio.gpa, run->mmio.len,
				       run->mmio.is_write);
		else if (run->exit_reason == VTX_EXIT_FAIL_ENTRY)
			ksft_print_msg("  entry failure reason %#llx qualification %#llx\n",
				       (unsigned long long)
				       run->fail_entry.hardware_entry_failure_reason,
				       (unsigned long long)run->fail_entry.exit_qualification);
		else if (run->exit_reason == VTX_EXIT_INTERNAL_ERROR)
			ksft_print_msg("  internal error %u, data[0] %#llx\n",
				       run->internal.suberror,
				       (unsigned long long)run->internal.data[0]);
		break;
	default:
		break;
	}
}

uint64_t vcpu_run_ucall(struct test_vcpu *vcpu, struct ucall *uc)
{
	struct ucall tmp;
	uint64_t cmd;

	vcpu_run(vcpu);
	cmd = get_ucall(vcpu, &tmp);
	if (cmd == UCALL_NONE)
		memset(&tmp, 0, sizeof(tmp));
	if (cmd == UCALL_ASSERT || cmd == UCALL_UNHANDLED)
		ucall_print(vcpu, &tmp);
	if (uc)
		*uc = tmp;
	return cmd;
}

bool vcpu_run_to_done(struct test_vcpu *vcpu)
{
	struct ucall uc;

	for (;;) {
		switch (vcpu_run_ucall(vcpu, &uc)) {
		case UCALL_DONE:
			return true;
		case UCALL_SYNC:
			continue;
		case UCALL_NONE:
			vcpu_print_exit(vcpu);
			return false;
		default:
			return false;
		}
	}
}

bool vcpu_run_to_stage(struct test_vcpu *vcpu, uint64_t stage, struct ucall *uc)
{
	uint64_t cmd = vcpu_run_ucall(vcpu, uc);

	if (cmd == UCALL_SYNC && uc->args[0] == stage)
		return true;
	if (cmd == UCALL_SYNC)
		ksft_print_msg("guest at stage %llu, expected %llu\n",
			       (unsigned long long)uc->args[0], (unsigned long long)stage);
	else if (cmd == UCALL_NONE)
		vcpu_print_exit(vcpu);
	return false;
}

void vcpu_run_to_stage_or_bail(struct test_vcpu *vcpu, uint64_t stage, struct ucall *uc)
{
	if (!vcpu_run_to_stage(vcpu, stage, uc))
		ksft_exit_fail_msg("cannot continue before stage %llu",
				   (unsigned long long)stage);
}

void vcpu_print_exit(struct test_vcpu *vcpu)
{
	struct ucall none = { .cmd = UCALL_NONE };

	ucall_print(vcpu, &none);
}
