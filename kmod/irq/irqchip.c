// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel irqchip of a VM (irqchip.h): creation and teardown and the MMIO
 * dispatch of the xAPIC page and the IOAPIC window. The LAPICs are in
 * irqchip_lapic.c, PIC/PIT/IOAPIC in irqchip_legacy.c, the locking rules
 * in irqchip_int.h.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/ktime.h>
#include "irq/irqchip_int.h"

/* The models decode what the ABI says the irqchip owns. */
static_assert(VTX_LAPIC_GPA == LAPIC_BASE_DEFAULT);
static_assert(VTX_IOAPIC_GPA == IOAPIC_BASE_DEFAULT);

void irqchip_timer_init(struct irqchip_timer *t, enum hrtimer_restart (*fn)(struct hrtimer *))
{
	hrtimer_init(&t->hrtimer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	t->hrtimer.function = fn;
}

void irqchip_timer_sync(struct irqchip_timer *t, u64 next, bool bound)
{
	if (next && bound && t->fired_ns && next < t->fired_ns + IRQCHIP_MIN_PERIOD_NS)
		next = t->fired_ns + IRQCHIP_MIN_PERIOD_NS;
	if (next == t->armed_ns)
		return;
	t->armed_ns = next;
	if (next)
		hrtimer_start(&t->hrtimer, ns_to_ktime(next), HRTIMER_MODE_ABS);
	else
		hrtimer_try_to_cancel(&t->hrtimer);	/* a running callback re-syncs */
}

u64 irqchip_timer_fired(struct irqchip_timer *t)
{
	t->armed_ns = 0;
	t->fired_ns = ktime_get_ns();
	return t->fired_ns;
}

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

	if (gpa - VTX_LAPIC_GPA < VTX_LAPIC_SIZE)
		return irqchip_lapic_mmio(vcpu, gpa - VTX_LAPIC_GPA, write, len, val);
	if (gpa - VTX_IOAPIC_GPA < VTX_IOAPIC_SIZE)
		return irqchip_ioapic_mmio(ic, gpa - VTX_IOAPIC_GPA, write, len, val);
	return IRQCHIP_NOT_MINE;
}

