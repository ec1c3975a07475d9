// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC of each vCPU in the kernel: the kmod/irq/lapic*.c model
 * plus its lock, its hrtimer, IPI fan-out and the injection interface the
 * run loop uses (irqchip_pending/ack/take_nmi). See irqchip_int.h for the
 * locking rules. SDM references are to vol 3A ch. 11.
 *
 * Time: the model's clock is ktime_get_ns() (CLOCK_MONOTONIC, the hrtimer
 * clock); the guest TSC is the host TSC (vtx does no TSC offsetting), so
 * TSC-deadline mode reads rdtsc() and converts with the kernel's tsc_khz.
 * APIC IDs are vCPU ids and vCPU 0 is the BSP.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/ktime.h>
#include <linux/nospec.h>
#include <asm/tsc.h>
#include <asm/processor.h>
#include "irq/irqchip_int.h"

#define LAPIC_LVT_LINT0_IDX	3

static u64 irqchip_clock_ns(void *ctx)
{
	return ktime_get_ns();
}

static u64 irqchip_read_tsc(void *ctx)
{
	return rdtsc();
}

/* Model callbacks, under the sender's LAPIC lock: queue for irqchip_lapic_flush(). */
static void irqchip_lapic_queue_ipi(void *ctx, const struct lapic_ipi *ipi)
{
	struct irqchip_lapic *w = ctx;

	w->ipi = *ipi;
	w->ipi_queued = true;
}

static void irqchip_lapic_queue_eoi(void *ctx, int vector)
{
	struct irqchip_lapic *w = ctx;

	w->eoi_vector = vector;
}

static bool irqchip_lapic_periodic(const struct lapic *l)
{
	return ((l->lvt[0] >> LAPIC_LVT_TIMER_SHIFT) & 3) == LAPIC_TIMER_PERIODIC;
}

/* Make the hrtimer match the model's next deadline; w->lock held. */
static void irqchip_lapic_sync_timer(struct irqchip_lapic *w)
{
	const struct lapic *l = &w->lapic;

	irqchip_timer_sync(&w->timer, w->dead ? 0 : lapic_next_deadline_ns(l),
			   irqchip_lapic_periodic(l) && l->timer_period_ns < IRQCHIP_MIN_PERIOD_NS);
}

static enum hrtimer_restart irqchip_lapic_timer_fn(struct hrtimer *t)
{
	struct irqchip_lapic *w = container_of(t, struct irqchip_lapic, timer.hrtimer);
	unsigned long flags;
	bool wake;

	spin_lock_irqsave(&w->lock, flags);
	lapic_timer_expired(&w->lapic, irqchip_timer_fired(&w->timer));
	wake = !w->dead && lapic_pending_vector(&w->lapic) >= 0;
	irqchip_lapic_sync_timer(w);
	spin_unlock_irqrestore(&w->lock, flags);
	/* The vCPU outlives its timer: irqchip_vcpu_destroy() cancels it first. */
	if (wake)
		vtx_vcpu_request(w->vcpu, VTX_REQ_EVENT);
	return HRTIMER_NORESTART;
}

/* Virtual wire mode at reset of the BSP: LINT0 takes the 8259's INTR, as KVM does. */
static void irqchip_lapic_bsp_lint0(struct irqchip_lapic *w)
{
	if (w->vcpu->id == 0)
		w->lapic.lvt[LAPIC_LVT_LINT0_IDX] = LAPIC_DM_EXTINT;
}

/* Make the target's wait-for-SIPI state the run loop's (INIT may not be processed yet). */
static void irqchip_lapic_sipi_state(struct irqchip_lapic *w)
{
	struct vtx_vcpu *vcpu = w->vcpu;

	w->lapic.sipi_wait = READ_ONCE(vcpu->mp_state) == VTX_MP_WAIT_SIPI ||
			     test_bit(VTX_REQ_INIT, &vcpu->requests);
}

/* Deliver @ipi to one LAPIC; true if it was accepted. ic->lock held, w->lock not. */
static bool irqchip_lapic_deliver_one(struct irqchip_lapic *w, const struct lapic_ipi *ipi)
{
	struct vtx_vcpu *vcpu = w->vcpu;
	enum lapic_action act;
	u64 start = 0;

	spin_lock(&w->lock);
	if (!lapic_ipi_targets(&w->lapic, ipi)) {
		spin_unlock(&w->lock);
		return false;
	}
	if (ipi->delivery_mode == IRQ_DM_SIPI)
		irqchip_lapic_sipi_state(w);
	act = lapic_deliver(&w->lapic, ipi, &start);
	if (act == LAPIC_ACT_INIT) {
		irqchip_lapic_bsp_lint0(w);
		irqchip_lapic_sync_timer(w);	/* INIT stopped the timer */
	} else if (act == LAPIC_ACT_EXTINT) {
		w->extint = true;
	} else if (act == LAPIC_ACT_NMI) {
		atomic_set(&w->nmi, 1);
	}
	spin_unlock(&w->lock);

	switch (act) {
	case LAPIC_ACT_IRQ:
	case LAPIC_ACT_NMI:
	case LAPIC_ACT_EXTINT:
		vtx_vcpu_request(vcpu, VTX_REQ_EVENT);
		break;
	case LAPIC_ACT_INIT:
		vtx_vcpu_request(vcpu, VTX_REQ_INIT);
		break;
	case LAPIC_ACT_SIPI:
		WRITE_ONCE(vcpu->sipi_vector, (u32)(start >> 12));
		/* The run loop reads sipi_vector after it sees the request bit. */
		smp_mb__before_atomic();
		vtx_vcpu_request(vcpu, VTX_REQ_SIPI);
		break;
	default:
		break;
	}
	return act != LAPIC_ACT_NONE;
}

/*
 * Fan an interrupt message (ICR write or IOAPIC entry) out to the LAPICs it
 * targets. Lowest priority goes to the first accepting LAPIC: the model does
 * no arbitration (lapic.h). Called with ic->lock held.
 */
void irqchip_lapic_send(struct irqchip *ic, const struct lapic_ipi *ipi)
{
	unsigned int i;

	lockdep_assert_held(&ic->lock);
	for (i = 0; i < VTX_MAX_VCPUS; i++) {
		struct irqchip_lapic *w = ic->lapics[i];

		if (!w)
			continue;
		if (irqchip_lapic_deliver_one(w, ipi) && ipi->delivery_mode == IRQ_DM_LOWPRI)
			break;
	}
}

/*
 * KVM_HC_SEND_IPI (Linux Documentation/virt/kvm/x86/hypercalls.rst): a
 * fixed or NMI IPI in physical mode to APIC IDs @min + bit for each bit
 * set in @bitmap (@nbits wide: 128 in 64-bit mode, 64 otherwise).
 * Returns how many LAPICs took it; IDs past the last vCPU are skipped.
 */
int irqchip_pv_send_ipi(struct vtx_vcpu *vcpu, const unsigned long *bitmap,
			unsigned int nbits, u64 min, u32 icr)
{
	struct irqchip *ic = vcpu->lapic->ic;
	struct lapic_ipi ipi = {
		.src_id		= vcpu->lapic->lapic.cfg.apic_id,
		.vector		= icr & 0xff,
		.delivery_mode	= (icr >> LAPIC_ICR_DM_SHIFT) & 7,
		.dest_mode	= IRQ_DEST_PHYSICAL,
		.level_trig	= icr & LAPIC_ICR_TRIG_LEVEL,
		.x2apic		= true,
	};
	unsigned long flags;
	unsigned int i;
	int count = 0;

	/* Physical destinations only, as KVM; of the modes, fixed and NMI. */
	if (icr & (LAPIC_ICR_LOGICAL | (3u << LAPIC_ICR_SH_SHIFT)))
		return -1;
	if (ipi.delivery_mode != IRQ_DM_FIXED && ipi.delivery_mode != IRQ_DM_NMI)
		return -1;
	spin_lock_irqsave(&ic->lock, flags);
	for_each_set_bit(i, bitmap, nbits) {
		struct irqchip_lapic *w;

		if (min + i >= VTX_MAX_VCPUS)
			break;
		w = ic->lapics[array_index_nospec(min + i, VTX_MAX_VCPUS)];
		ipi.dest = (u32)(min + i);
		if (w && irqchip_lapic_deliver_one(w, &ipi))
			count++;
	}
	spin_unlock_irqrestore(&ic->lock, flags);
	return count;
}

/* After an access by the owning vCPU: send the queued IPI and IOAPIC EOI, with no lock held. */
static void irqchip_lapic_flush(struct irqchip_lapic *w)
{
	struct irqchip *ic = w->ic;
	struct lapic_ipi ipi;
	unsigned long flags;
	bool send;
	int eoi;

	spin_lock_irqsave(&w->lock, flags);
	send = w->ipi_queued;
	ipi = w->ipi;
	eoi = w->eoi_vector;
	w->ipi_queued = false;
	w->eoi_vector = -1;
	spin_unlock_irqrestore(&w->lock, flags);
	if (!send && eoi < 0)
		return;

	spin_lock_irqsave(&ic->lock, flags);
	if (eoi >= 0)
		ioapic_eoi(&ic->ioapic, eoi);
	if (send)
		irqchip_lapic_send(ic, &ipi);
	spin_unlock_irqrestore(&ic->lock, flags);
}

/*
 * xAPIC page: registers are aligned dwords (SDM 11.4.1); a narrower read
 * returns the addressed bytes, a narrower or wider write is ignored (its
 * effect is undefined in the SDM). IRQCHIP_NOT_MINE: the page is not decoded as the APIC
 * (hardware-disabled, x2APIC mode, or the base was moved elsewhere).
 */
enum irqchip_access irqchip_lapic_mmio(struct vtx_vcpu *vcpu, u32 offset, bool write,
				       u32 len, u64 *val)
{
	struct irqchip_lapic *w = vcpu->lapic;
	struct lapic *l;
	unsigned long flags;
	u32 reg = offset & ~3u, v = 0;
	int r;

	l = &w->lapic;
	spin_lock_irqsave(&w->lock, flags);
	if ((l->apic_base & ~0xfffULL) != VTX_LAPIC_GPA) {
		r = -1;
	} else if (write) {
		if (len == 4 && !(offset & 3))
			r = lapic_mmio_write(l, reg, (u32)*val);
		else
			r = lapic_enabled(l) && !lapic_x2apic_mode(l) ? 0 : -1;
	} else {
		r = lapic_mmio_read(l, reg, &v);
		*val = irqchip_mmio_read_bytes(v, offset, len);
	}
	irqchip_lapic_sync_timer(w);
	spin_unlock_irqrestore(&w->lock, flags);
	irqchip_lapic_flush(w);
	return r < 0 ? IRQCHIP_NOT_MINE : IRQCHIP_HANDLED;
}

enum irqchip_access irqchip_msr(struct vtx_vcpu *vcpu, u32 msr, bool write, u64 *val)
{
	struct irqchip_lapic *w = vcpu->lapic;
	unsigned long flags;
	int r;

	if (!lapic_owns_msr(msr))
		return IRQCHIP_NOT_MINE;
	spin_lock_irqsave(&w->lock, flags);
	if (write)
		r = lapic_msr_write(&w->lapic, msr, *val);
	else
		r = lapic_msr_read(&w->lapic, msr, val);
	irqchip_lapic_sync_timer(w);
	spin_unlock_irqrestore(&w->lock, flags);
	irqchip_lapic_flush(w);
	return r < 0 ? IRQCHIP_FAULT : IRQCHIP_HANDLED;
}

/*
 * IA32_APIC_BASE changes only on this vCPU's own thread (WRMSR exit,
 * VTX_SET_SREGS under the vCPU lock), so its reader needs no lock.
 */
bool irqchip_apic_hw_enabled(struct vtx_vcpu *vcpu)
{
	return READ_ONCE(vcpu->lapic->lapic.apic_base) & LAPIC_BASE_EN;
}

/* MOV from CR8 reads TPR[7:4] (SDM 10.8.6.1). */
u8 irqchip_get_tpr(struct vtx_vcpu *vcpu)
{
	struct irqchip_lapic *w = vcpu->lapic;
	unsigned long flags;
	u32 tpr;

	spin_lock_irqsave(&w->lock, flags);
	tpr = lapic_get_tpr(&w->lapic);
	spin_unlock_irqrestore(&w->lock, flags);
	return (tpr >> 4) & 0xf;
}

/* MOV to CR8 loads TPR[7:4] from CR8[3:0] and clears TPR[3:0] (SDM 10.8.6.1). */
void irqchip_set_tpr(struct vtx_vcpu *vcpu, u8 cr8)
{
	struct irqchip_lapic *w = vcpu->lapic;
	unsigned long flags;

	spin_lock_irqsave(&w->lock, flags);
	lapic_set_tpr(&w->lapic, (u32)(cr8 & 0xf) << 4);
	spin_unlock_irqrestore(&w->lock, flags);
}

/*
 * Does the 8259's INTR reach this CPU? On the BSP through LINT0 in ExtINT
 * mode, or straight to the CPU when the APIC is hardware-disabled (a PC
 * without APIC); on any vCPU after an IOAPIC ExtINT message. w->lock held.
 */
static bool irqchip_lapic_takes_pic(const struct irqchip_lapic *w)
{
	const struct lapic *l = &w->lapic;
	u32 lint0 = l->lvt[LAPIC_LVT_LINT0_IDX];

	if (w->extint)
		return true;
	if (w->vcpu->id != 0)
		return false;
	return !lapic_enabled(l) ||
	       (lint0 & (LAPIC_LVT_MASKED | LAPIC_DM_MASK)) == LAPIC_DM_EXTINT;
}

int irqchip_pending(struct vtx_vcpu *vcpu)
{
	struct irqchip_lapic *w = vcpu->lapic;
	struct irqchip *ic;
	unsigned long flags;
	bool pic;
	int v;

	spin_lock_irqsave(&w->lock, flags);
	v = lapic_pending_vector(&w->lapic);
	pic = v < 0 && irqchip_lapic_takes_pic(w);
	spin_unlock_irqrestore(&w->lock, flags);
	w->pending_from_pic = false;
	if (!pic)
		return v;

	ic = w->ic;
	spin_lock_irqsave(&ic->lock, flags);
	v = pic_pending_vector(&ic->pic);
	spin_unlock_irqrestore(&ic->lock, flags);
	w->pending_from_pic = v >= 0;
	if (v < 0) {
		/* The request went away before the INTA: an ExtINT message is spent. */
		spin_lock_irqsave(&w->lock, flags);
		w->extint = false;
		spin_unlock_irqrestore(&w->lock, flags);
	}
	return v;
}

/*
 * The run loop injected @vector, the one irqchip_pending() returned last.
 * A PIC vector is acknowledged with an INTA cycle; should a higher request
 * have reached the PIC in between, the PIC's ISR follows the INTA, as on
 * hardware where INTA, not the earlier INTR, decides the vector.
 */
void irqchip_ack(struct vtx_vcpu *vcpu, int vector)
{
	struct irqchip_lapic *w = vcpu->lapic;
	unsigned long flags;

	if (w->pending_from_pic) {
		struct irqchip *ic = w->ic;

		w->pending_from_pic = false;
		spin_lock_irqsave(&ic->lock, flags);
		pic_ack(&ic->pic);
		spin_unlock_irqrestore(&ic->lock, flags);
		spin_lock_irqsave(&w->lock, flags);
		w->extint = false;
		spin_unlock_irqrestore(&w->lock, flags);
		return;
	}
	spin_lock_irqsave(&w->lock, flags);
	lapic_ack(&w->lapic, vector);
	spin_unlock_irqrestore(&w->lock, flags);
}

bool irqchip_take_nmi(struct vtx_vcpu *vcpu)
{
	struct irqchip_lapic *w = vcpu->lapic;

	return atomic_xchg(&w->nmi, 0);
}

int irqchip_vcpu_init(struct vtx_vcpu *vcpu)
{
	struct irqchip *ic = vcpu->vm->irqchip;
	struct lapic_config cfg = {
		.apic_id	= vcpu->id,
		.bsp		= vcpu->id == 0,
		.tsc_khz	= tsc_khz,
		.phys_addr_bits	= boot_cpu_data.x86_phys_bits,
		.clock		= { .now_ns = irqchip_clock_ns },
		.read_tsc	= irqchip_read_tsc,
		.send_ipi	= irqchip_lapic_queue_ipi,
		.eoi		= irqchip_lapic_queue_eoi,
	};
	struct irqchip_lapic *w;
	unsigned long flags;

	if (vcpu->id >= VTX_MAX_VCPUS)
		return -EINVAL;
	w = kzalloc(sizeof(*w), GFP_KERNEL_ACCOUNT);
	if (!w)
		return -ENOMEM;
	spin_lock_init(&w->lock);
	irqchip_timer_init(&w->timer, irqchip_lapic_timer_fn);
	w->ic = ic;
	w->vcpu = vcpu;
	w->eoi_vector = -1;
	cfg.ctx = w;
	lapic_init(&w->lapic, &cfg);
	irqchip_lapic_bsp_lint0(w);
	vcpu->lapic = w;

	spin_lock_irqsave(&ic->lock, flags);
	ic->lapics[vcpu->id] = w;
	spin_unlock_irqrestore(&ic->lock, flags);
	return 0;
}

/* Unpublish (no message can reach it), stop the timer synchronously, free. */
void irqchip_vcpu_destroy(struct vtx_vcpu *vcpu)
{
	struct irqchip_lapic *w = vcpu->lapic;
	struct irqchip *ic;
	unsigned long flags;

	ic = w->ic;
	spin_lock_irqsave(&ic->lock, flags);
	if (ic->lapics[vcpu->id] == w)
		ic->lapics[vcpu->id] = NULL;
	spin_unlock_irqrestore(&ic->lock, flags);

	spin_lock_irqsave(&w->lock, flags);
	w->dead = true;
	spin_unlock_irqrestore(&w->lock, flags);
	hrtimer_cancel(&w->timer.hrtimer);
	vcpu->lapic = NULL;
	kfree(w);
}
