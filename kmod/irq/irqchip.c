// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel irqchip of a VM (irqchip.h): creation and teardown and the MMIO
 * dispatch of the xAPIC page and the IOAPIC window. The LAPICs are in
 * irqchip_lapic.c, PIC/PIT/IOAPIC in irqchip_legacy.c, the locking rules
 * in irqchip_int.h.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include "irq/irqchip_int.h"

int irqchip_vm_init(struct vtx_vm *vm)
{
	struct irqchip *ic;

	ic = kzalloc(sizeof(*ic), GFP_KERNEL_ACCOUNT);
	if (!ic)
		return -ENOMEM;
	spin_lock_init(&ic->lock);
	ic->vm = vm;
	irqchip_legacy_init(ic);
	vm->irqchip = ic;
	return 0;
}

/* After the last vCPU is gone (vCPUs hold VM references). */
void irqchip_vm_destroy(struct vtx_vm *vm)
{
	struct irqchip *ic = vm->irqchip;

	irqchip_legacy_destroy(ic);
	vm->irqchip = NULL;
	kfree(ic);
}

enum irqchip_access irqchip_mmio(struct vtx_vcpu *vcpu, u64 gpa, bool write, u32 len,
				 u64 *val)
{
	struct irqchip *ic = vcpu->vm->irqchip;

	if (gpa - IRQCHIP_LAPIC_BASE < PAGE_SIZE)
		return irqchip_lapic_mmio(vcpu, gpa - IRQCHIP_LAPIC_BASE, write, len, val);
	if (gpa - IRQCHIP_IOAPIC_BASE < IOAPIC_MMIO_SIZE)
		return irqchip_ioapic_mmio(ic, gpa - IRQCHIP_IOAPIC_BASE, write, len, val);
	return IRQCHIP_NOT_MINE;
}

