// SPDX-License-Identifier: GPL-2.0
/* Guest interrupt counting and interrupt controller access; see irq.h. */
#include <stdio.h>
#include "irq.h"
#include "tap.h"
#include "vm.h"

struct guest_percpu guest_percpu[GUEST_MAX_CPUS];
uint8_t guest_irq_eoi[256];

void guest_irq_count_handler(struct ex_regs *regs)
{
	struct guest_percpu *pc = guest_this_cpu();
	int v = regs->vector & 0xff;

	WRITE_ONCE(pc->last_vector, v);
	WRITE_ONCE(pc->last_rip, regs->rip);
	WRITE_ONCE(pc->last_error_code, regs->error_code);
	switch (guest_irq_eoi[v]) {
	case GUEST_EOI_XAPIC:
		WRITE_ONCE(pc->isr_set, xapic_vector_bit(LAPIC_ISR, v));
		xapic_write(LAPIC_EOI, 0);
		break;
	case GUEST_EOI_X2APIC:
		WRITE_ONCE(pc->isr_set, x2apic_vector_bit(LAPIC_ISR, v));
		x2apic_write(LAPIC_EOI, 0);
		break;
	case GUEST_EOI_PIC_SLAVE:
		outb(PIC_SLAVE_CMD, PIC_EOI);
		outb(PIC_MASTER_CMD, PIC_EOI);
		break;
	case GUEST_EOI_PIC_MASTER:
		outb(PIC_MASTER_CMD, PIC_EOI);
		break;
	default:
		break;
	}
	/* counted last: a waiter that sees the count sees the EOI done */
	WRITE_ONCE(pc->irq_count[v], pc->irq_count[v] + 1);
}

void xapic_enable(void)
{
	xapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | 0xff);
}

void x2apic_enable(void)
{
	wrmsr(MSR_IA32_APICBASE, rdmsr(MSR_IA32_APICBASE) | LAPIC_BASE_EN | LAPIC_BASE_EXTD);
	x2apic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | 0xff);
}

void xapic_send_ipi(uint32_t dest, uint32_t icr_lo)
{
	xapic_write(LAPIC_ICR_HI, dest << 24);
	xapic_write(LAPIC_ICR_LO, icr_lo);
}

void x2apic_send_ipi(uint32_t dest, uint32_t icr_lo)
{
	/* one 64-bit ICR, destination in the high half (SDM 11.12.9) */
	x2apic_write(LAPIC_ICR_LO, (uint64_t)dest << 32 | icr_lo);
}

bool xapic_vector_bit(uint32_t base, int v)
{
	return (xapic_read(base + 0x10 * (v / 32)) >> (v % 32)) & 1;
}

bool x2apic_vector_bit(uint32_t base, int v)
{
	return (x2apic_read(base + 0x10 * (v / 32)) >> (v % 32)) & 1;
}

void ioapic_set_rte(int pin, uint8_t vector, uint32_t flags, uint8_t dest)
{
	/* high dword first: the entry is complete before it can be unmasked */
	ioapic_write(IOAPIC_REG_RTE(pin) + 1, (uint32_t)dest << 24);
	ioapic_write(IOAPIC_REG_RTE(pin), vector | flags);
}

void pic_set_mask(uint16_t mask)
{
	outb(PIC_MASTER_DATA, mask & 0xff);
	outb(PIC_SLAVE_DATA, mask >> 8);
}

void pic_init(uint8_t master_base, uint8_t slave_base, uint16_t mask)
{
	outb(PIC_MASTER_CMD, 0x11);	/* ICW1: edge, cascade, ICW4 follows */
	outb(PIC_MASTER_DATA, master_base);	/* ICW2 */
	outb(PIC_MASTER_DATA, 1 << 2);	/* ICW3: slave on IRQ 2 */
	outb(PIC_MASTER_DATA, 0x01);	/* ICW4: 8086 mode, normal EOI */
	outb(PIC_SLAVE_CMD, 0x11);
	outb(PIC_SLAVE_DATA, slave_base);
	outb(PIC_SLAVE_DATA, 2);	/* ICW3: cascade identity */
	outb(PIC_SLAVE_DATA, 0x01);
	pic_set_mask(mask);
}

void vm_install_irq_counter(struct test_vm *vm, int vector, enum guest_eoi eoi)
{
	uint8_t *slot = addr_gva2hva(vm, &guest_irq_eoi[vector & 0xff]);

	*slot = eoi;
	vm_install_exception_handler(vm, vector, guest_irq_count_handler);
}

struct guest_percpu *vm_percpu(struct test_vm *vm, uint32_t cpu)
{
	return addr_gva2hva(vm, &guest_percpu[cpu % GUEST_MAX_CPUS]);
}

uint64_t vm_irq_count(struct test_vm *vm, uint32_t cpu, int vector)
{
	return READ_ONCE(vm_percpu(vm, cpu)->irq_count[vector & 0xff]);
}

void vm_print_irq_counts(struct test_vm *vm, uint32_t cpu, const char *title,
			 const struct irq_vec_name *vecs, unsigned int nr)
{
	char line[256];
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < nr && len < sizeof(line); i++)
		len += snprintf(line + len, sizeof(line) - len, "%s%s %llu", i ? ", " : "",
				vecs[i].name,
				(unsigned long long)vm_irq_count(vm, cpu, vecs[i].vector));
	ksft_print_msg("%s: %s\n", title, nr ? line : "");
}
