/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-kernel interrupt controllers and timers of a VM (local APIC per
 * vCPU; IOAPIC, 8259 pair and 8254 PIT per VM) as seen by the VT-x side.
 *
 * Why in the kernel: timer interrupts and IPIs are the hot paths of a real
 * guest; a trip to vmctl per LAPIC access or timer tick would cost a full
 * user round trip each (see the README's measurements). The models
 * themselves are pure C beside this file in kmod/irq/ (unit-tested in
 * userspace); this layer (kmod/irq/irqchip*.c) gives them locks, hrtimers
 * and vCPU wake-ups.
 *
 * Calls from kmod/vmx/ (the exit handlers and the run loop):
 *  - the access calls (irqchip_mmio/pio/msr) return enum irqchip_access;
 *  - irqchip_pending() / irqchip_ack() give the next external interrupt to
 *    inject (LAPIC first, then the PIC through LINT0 ExtINT);
 *  - the irqchip calls vtx_vcpu_request() (kmod/vcpu.c) whenever it makes
 *    an event pending for a vCPU, from any context (hrtimer, another vCPU).
 */
#ifndef _VTX_IRQCHIP_H
#define _VTX_IRQCHIP_H

#include <linux/types.h>
#include "uapi/vtx.h"

struct vtx_vm;
struct vtx_vcpu;
struct irqchip;		/* per VM: IOAPIC, PIC pair, PIT (irqchip_int.h) */
struct irqchip_lapic;	/* per vCPU: its local APIC (irqchip_int.h) */

/* The guest-physical ranges the irqchip decodes (uapi/vtx.h). */
static inline bool irqchip_owns_gpa(u64 gpa)
{
	return gpa - VTX_LAPIC_GPA < VTX_LAPIC_SIZE || gpa - VTX_IOAPIC_GPA < VTX_IOAPIC_SIZE;
}

/* What an access call did with a guest access. */
enum irqchip_access {
	IRQCHIP_HANDLED,	/* done; a read's value is in *val */
	IRQCHIP_NOT_MINE,	/* not the irqchip's address/port/MSR: go on elsewhere */
	IRQCHIP_FAULT,		/* the access raises #GP (MSRs) */
};

int irqchip_vm_init(struct vtx_vm *vm);
void irqchip_vm_destroy(struct vtx_vm *vm);
int irqchip_vcpu_init(struct vtx_vcpu *vcpu);
void irqchip_vcpu_destroy(struct vtx_vcpu *vcpu);

/* xAPIC page and IOAPIC window (EPT violations outside RAM). */
enum irqchip_access irqchip_mmio(struct vtx_vcpu *vcpu, u64 gpa, bool write, u32 len,
				 u64 *val);
/* 8259 (0x20/0x21, 0xa0/0xa1, 0x4d0/0x4d1), 8254 (0x40-0x43), port 0x61. */
enum irqchip_access irqchip_pio(struct vtx_vcpu *vcpu, u16 port, bool in, u32 size,
				u32 *val);
/* x2APIC 0x800-0x8ff, IA32_APIC_BASE 0x1b, IA32_TSC_DEADLINE 0x6e0. */
enum irqchip_access irqchip_msr(struct vtx_vcpu *vcpu, u32 msr, bool write, u64 *val);

/* IA32_APIC_BASE.EN: the LAPIC is hardware-enabled (SDM vol 3A 11.4.3). */
bool irqchip_apic_hw_enabled(struct vtx_vcpu *vcpu);

/* KVM_HC_SEND_IPI: number of LAPICs reached, or -1 for a bad @icr. */
int irqchip_pv_send_ipi(struct vtx_vcpu *vcpu, const unsigned long *bitmap,
			unsigned int nbits, u64 min, u32 icr);

/* Highest-priority deliverable external interrupt vector, or -1. */
int irqchip_pending(struct vtx_vcpu *vcpu);
/* The vector was injected: IRR -> ISR (LAPIC) or INTA (PIC). */
void irqchip_ack(struct vtx_vcpu *vcpu, int vector);
/* An NMI is pending from the LAPIC (LVT/ICR NMI); consumes it. */
bool irqchip_take_nmi(struct vtx_vcpu *vcpu);

/*
 * CR8, the 64-bit alias of TPR[7:4] (SDM vol 3A 10.8.6.1): @cr8 is 0..15;
 * a write clears TPR[3:0]. After irqchip_set_tpr() the caller asks the run
 * loop to re-evaluate (vmx_events_recheck()): a lower TPR may unmask an
 * interrupt already in IRR.
 */
u8 irqchip_get_tpr(struct vtx_vcpu *vcpu);
void irqchip_set_tpr(struct vtx_vcpu *vcpu, u8 cr8);

/* VTX_IRQ_LINE: drive GSI @irq to @level (PIC for 0-15 and the IOAPIC). */
int irqchip_set_irq(struct vtx_vm *vm, u32 irq, int level);

#endif /* _VTX_IRQCHIP_H */
