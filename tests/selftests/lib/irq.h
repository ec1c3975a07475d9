/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupts in selftest guests: per-vCPU data (struct guest_percpu, found
 * through the GS base that lib/vm.c gives each vCPU), an IDT handler that
 * counts vectors per vCPU and sends the EOI the vector's source wants, and
 * guest-side access to the local APIC (xAPIC MMIO and x2APIC MSRs, SDM Vol.
 * 3 ch. 11), the IOAPIC (82093AA datasheet) and the 8259 pair.
 *
 * The host reads the counters live (vm_irq_count): guest memory is shared.
 */
#ifndef VTX_SELFTEST_IRQ_H
#define VTX_SELFTEST_IRQ_H

#include <stdbool.h>
#include <stdint.h>
#include "processor.h"
#include "uapi/vtx.h"
#include "irq/lapic_regs.h"
#include "irq/ioapic_regs.h"

#define GUEST_MAX_CPUS		16

/* What the counting handler does after counting (guest_irq_eoi[vector]). */
enum guest_eoi {
	GUEST_EOI_NONE,		/* VTX_INTERRUPT, NMI, exceptions: nothing to acknowledge */
	GUEST_EOI_XAPIC,	/* LAPIC EOI register through the MMIO page */
	GUEST_EOI_X2APIC,	/* LAPIC EOI through MSR 0x80b */
	GUEST_EOI_PIC_MASTER,	/* non-specific EOI to the master 8259 */
	GUEST_EOI_PIC_SLAVE,	/* to the slave, then the master */
};

struct guest_percpu {
	uint32_t id;		/* vCPU id: at %gs:0 (guest_cpu_id) */
	uint32_t stage;		/* progress marker for watchdog messages */
	uint64_t irq_count[256];
	uint64_t last_vector, last_rip, last_error_code;
	uint32_t isr_set;	/* the LAPIC ISR bit of the vector was set in the handler */
	uint32_t padding;
};

extern struct guest_percpu guest_percpu[GUEST_MAX_CPUS];
extern uint8_t guest_irq_eoi[256];	/* enum guest_eoi per vector */

static inline uint32_t guest_cpu_id(void)
{
	uint32_t id;

	asm volatile("movl %%gs:0, %0" : "=r"(id));
	return id;
}

static inline struct guest_percpu *guest_this_cpu(void)
{
	return &guest_percpu[guest_cpu_id()];
}

static inline uint64_t guest_irq_count(int vector)
{
	return READ_ONCE(guest_this_cpu()->irq_count[vector & 0xff]);
}

static inline void guest_set_stage(uint32_t stage)
{
	WRITE_ONCE(guest_this_cpu()->stage, stage);
}

static inline void sti(void)
{
	asm volatile("sti" : : : "memory");
}

/*
 * Sleep until one interrupt has been handled: STI's one-instruction
 * shadow (SDM Vol. 3 6.8.3) keeps an interrupt from arriving between the
 * STI and the HLT, so none is missed.
 */
static inline void safe_halt(void)
{
	asm volatile("sti; hlt; cli" : : : "memory");
}

/* Halt (interrupts on) until vector @v has been counted @n times on this vCPU. */
static inline void guest_wait_irq(int v, uint64_t n)
{
	while (guest_irq_count(v) < n)
		safe_halt();
}

/* IDT handler: count, remember, acknowledge per guest_irq_eoi[]. */
struct ex_regs;
void guest_irq_count_handler(struct ex_regs *regs);

/* ---- local APIC (constants: kmod/irq/lapic_regs.h) ---- */

#define CPUID_1_ECX_X2APIC	(1u << 21)
#define CPUID_1_ECX_TSC_DEADLINE (1u << 24)

static inline uint32_t xapic_read(uint32_t reg)
{
	return *(volatile uint32_t *)(uintptr_t)(VTX_LAPIC_GPA + reg);
}

static inline void xapic_write(uint32_t reg, uint32_t val)
{
	*(volatile uint32_t *)(uintptr_t)(VTX_LAPIC_GPA + reg) = val;
}

static inline uint64_t x2apic_read(uint32_t reg)
{
	return rdmsr(LAPIC_MSR_X2APIC_FIRST + (reg >> 4));
}

static inline void x2apic_write(uint32_t reg, uint64_t val)
{
	wrmsr(LAPIC_MSR_X2APIC_FIRST + (reg >> 4), val);
}

/* Software-enable the xAPIC (SVR, SDM 11.4.7.2), spurious vector 0xff. */
void xapic_enable(void);
/* IA32_APIC_BASE.EXTD (SDM 11.12.1), then SVR through the MSR. */
void x2apic_enable(void);
/* Fixed IPI (xAPIC ICR: high dword first, the low dword sends; SDM 11.6.1). */
void xapic_send_ipi(uint32_t dest, uint32_t icr_lo);
void x2apic_send_ipi(uint32_t dest, uint32_t icr_lo);
/* Is vector @v set in the 256-bit ISR/IRR/TMR at xAPIC offset @base? */
bool xapic_vector_bit(uint32_t base, int v);
bool x2apic_vector_bit(uint32_t base, int v);

/* ---- IOAPIC (constants: irq/ioapic_regs.h) ---- */
static inline uint32_t ioapic_read(uint32_t reg)
{
	*(volatile uint32_t *)(uintptr_t)(VTX_IOAPIC_GPA + IOAPIC_IOREGSEL) = reg;
	return *(volatile uint32_t *)(uintptr_t)(VTX_IOAPIC_GPA + IOAPIC_IOWIN);
}

static inline void ioapic_write(uint32_t reg, uint32_t val)
{
	*(volatile uint32_t *)(uintptr_t)(VTX_IOAPIC_GPA + IOAPIC_IOREGSEL) = reg;
	*(volatile uint32_t *)(uintptr_t)(VTX_IOAPIC_GPA + IOAPIC_IOWIN) = val;
}

/* Redirection entry of @pin: fixed delivery, physical destination @dest. */
void ioapic_set_rte(int pin, uint8_t vector, uint32_t flags, uint8_t dest);

/* ---- 8259 pair ---- */
#define PIC_MASTER_CMD		0x20
#define PIC_MASTER_DATA		0x21
#define PIC_SLAVE_CMD		0xa0
#define PIC_SLAVE_DATA		0xa1
#define PIC_EOI			0x20

/* ICW1-4 (edge, cascade on IRQ 2, 8086 mode), then mask = @mask (bit per IRQ 0-15). */
void pic_init(uint8_t master_base, uint8_t slave_base, uint16_t mask);
void pic_set_mask(uint16_t mask);

/* ---- host side ---- */
struct test_vm;
/* Count @vector on every vCPU, acknowledging it as @eoi says. */
void vm_install_irq_counter(struct test_vm *vm, int vector, enum guest_eoi eoi);
/* Live view of the guest's per-vCPU data. */
struct guest_percpu *vm_percpu(struct test_vm *vm, uint32_t cpu);
uint64_t vm_irq_count(struct test_vm *vm, uint32_t cpu, int vector);

/* A vector and what to call it in vm_print_irq_counts(). */
struct irq_vec_name {
	int vector;
	const char *name;
};

/* One diagnostic line "@title: name count, ..." for vCPU @cpu (watchdog reports). */
void vm_print_irq_counts(struct test_vm *vm, uint32_t cpu, const char *title,
			 const struct irq_vec_name *vecs, unsigned int nr);

#endif /* VTX_SELFTEST_IRQ_H */
