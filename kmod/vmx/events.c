// SPDX-License-Identifier: GPL-2.0
/*
 * Event injection (SDM vol 3C 26.6): exceptions, NMIs and external
 * interrupts queued by userspace (VTX_INJECT_EXCEPTION, VTX_NMI,
 * VTX_INTERRUPT) or pending in the in-kernel irqchip, delivered through
 * the VM-entry interruption-information field when the guest can take
 * them, and interrupt-/NMI-window exiting (SDM 25.2, 26.7.5, 26.7.6)
 * when it cannot yet.
 *
 * vmx_events_inject() runs with interrupts off right before each entry,
 * but only if vcpu->requests or vmx->events is non-zero: an idle vCPU
 * pays one test per entry. The choice itself is evpick.c's (pure logic,
 * unit-tested): an exception first, then an NMI, then an external
 * interrupt, one event per entry.
 */
#include <linux/kernel.h>
#include <linux/atomic.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>

#include "vmx/internal.h"
#include "vmx/evpick.h"
#include "irq/irqchip.h"

#define VMX_WINDOWS	(CPU_BASED_INTR_WINDOW_EXITING | CPU_BASED_NMI_WINDOW_EXITING)
/* evpick.c speaks the VMCS interruptibility encoding. */
static_assert(VMX_PICK_BLOCK_STI == GUEST_INTR_STATE_STI);
static_assert(VMX_PICK_BLOCK_MOV_SS == GUEST_INTR_STATE_MOV_SS);
static_assert(VMX_PICK_BLOCK_NMI == GUEST_INTR_STATE_NMI);

/* Only with the "virtual NMIs" pin control does NMI-window exiting exist (SDM 26.2.1.1). */
void vmx_events_setup_ctls(struct vmx_vcpu *vmx, u64 proc_cap)
{
	u32 allowed1 = proc_cap >> 32;

	vmx->proc_windows = allowed1 & CPU_BASED_INTR_WINDOW_EXITING;
	if (vmx->pin_ctls & PIN_BASED_VIRTUAL_NMIS)
		vmx->proc_windows |= allowed1 & CPU_BASED_NMI_WINDOW_EXITING;
}

/*
 * Turn the window exits on or off; the cached control word spares a VMREAD.
 * A window this CPU lacks stays requested in vmx->events, so the next
 * entry looks again (the preemption timer bounds the wait).
 */
static void vmx_set_windows(struct vmx_vcpu *vmx, u32 want)
{
	u32 ctls = (vmx->proc_ctls & ~VMX_WINDOWS) | (want & vmx->proc_windows);

	if (ctls != vmx->proc_ctls) {
		vmcs_write(CPU_BASED_VM_EXEC_CONTROL, ctls);
		vmx->proc_ctls = ctls;
	}
	vmx->events &= ~(VMX_EV_IRQ_WINDOW | VMX_EV_NMI_WINDOW);
	if (want & CPU_BASED_INTR_WINDOW_EXITING)
		vmx->events |= VMX_EV_IRQ_WINDOW;
	if (want & CPU_BASED_NMI_WINDOW_EXITING)
		vmx->events |= VMX_EV_NMI_WINDOW;
}

static void vmx_entry_event(struct vmx_vcpu *vmx, u32 info)
{
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, info | INTR_INFO_VALID_MASK);
	vmx->events |= VMX_EV_ENTRY;
}

/*
 * The next external interrupt: userspace's queued one first, else the
 * irqchip's; *user says which. Only when something may have changed.
 */
static int vmx_next_irq(struct vtx_vcpu *vcpu, bool ask, bool *user)
{
	int v;

	*user = false;
	if (!ask)
		return -1;
	v = atomic_read(&vcpu->vmx.user_irq);
	if (v) {
		*user = true;
		return v & 0xff;
	}
	return irqchip_pending(vcpu);
}

/*
 * Before an entry, interrupts off, VMCS current. Returns true if the entry
 * must not happen (a request for the outer loop). VM_ENTRY_INTR_INFO_FIELD
 * may already hold an event (VMX_EV_ENTRY: an exit handler's exception or
 * a re-injected IDT-vectoring event); then the rest waits for a window.
 */
bool vmx_events_inject(struct vtx_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	unsigned long req = READ_ONCE(vcpu->requests);
	struct vmx_pick_in in = { };
	struct vmx_pick_out out;
	bool ask, user;
	int vector;

	if (vmx_requests_outside(vcpu))
		return true;
	ask = vmx->events & (VMX_EV_IRQ_WINDOW | VMX_EV_RECHECK);
	if (req & BIT(VTX_REQ_EVENT)) {
		clear_bit(VTX_REQ_EVENT, &vcpu->requests);
		/* Pairs with the poster's write before its set_bit(). */
		smp_mb__after_atomic();
		ask = true;
		vmx_events_take_nmi(vcpu);
	}
	vmx->events &= ~VMX_EV_RECHECK;
	vector = vmx_next_irq(vcpu, ask, &user);

	in.busy = vmx->events & VMX_EV_ENTRY;
	in.exc = vmx->events & VMX_EV_EXC;
	in.nmi = vmx->events & VMX_EV_NMI;
	in.irq = vector >= 0;
	/* Only what the decision needs: no VMREAD for an idle or exception-only pass. */
	if (in.nmi || in.irq) {
		in.intr_state = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO);
		in.rflags_if = vmcs_read(GUEST_RFLAGS) & X86_EFLAGS_IF;
	}
	vmx_event_pick(&in, &out);

	switch (out.inject) {
	case VMX_PICK_EXC:
		vmx_inject_exception(vcpu, vmx->exc_vector, vmx->exc_has_err, vmx->exc_err);
		vmx->events &= ~VMX_EV_EXC;
		break;
	case VMX_PICK_NMI:
		vmx_entry_event(vmx, X86_TRAP_NMI | INTR_TYPE_NMI_INTR);
		vmx->events &= ~VMX_EV_NMI;
		break;
	case VMX_PICK_IRQ:
		vmx_entry_event(vmx, vector | INTR_TYPE_EXT_INTR);
		if (user)
			atomic_set(&vmx->user_irq, 0);	/* VTX_INTERRUPT may queue the next */
		else
			irqchip_ack(vcpu, vector);
		/* The irqchip may hold more: ask it after this one is in. */
		vmx->events |= VMX_EV_RECHECK;
		break;
	}
	vmx_set_windows(vmx, (out.irq_window ? CPU_BASED_INTR_WINDOW_EXITING : 0) |
			     (out.nmi_window ? CPU_BASED_NMI_WINDOW_EXITING : 0));
	/* The entry consumes the field: VM exits clear its valid bit (SDM 24.8.3). */
	vmx->events &= ~VMX_EV_ENTRY;
	return false;
}

/* Collect the NMIs posted by VTX_NMI and the LAPIC (LVT, ICR) into vmx->events. */
void vmx_events_take_nmi(struct vtx_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;

	if (atomic_xchg(&vmx->user_nmi, 0))
		vmx->events |= VMX_EV_NMI;
	if (irqchip_take_nmi(vcpu))
		vmx->events |= VMX_EV_NMI;
}

/* The next entry asks the irqchip for an interrupt (it may hold one we did not see). */
void vmx_events_recheck(struct vtx_vcpu *vcpu)
{
	vcpu->vmx.events |= VMX_EV_RECHECK;
}

/* INIT: pending events are dropped, windows closed, nothing in the entry field. */
void vmx_events_reset(struct vtx_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;

	vmx->events = 0;
	atomic_set(&vmx->user_irq, 0);
	atomic_set(&vmx->user_nmi, 0);
	vmx_set_windows(vmx, 0);
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, 0);
}

/*
 * VTX_INTERRUPT: one external interrupt at a time, -EBUSY until it is
 * injected; vectors 0-15 are the exceptions' (SDM vol 3A 6.2). Any thread:
 * another may post it while VTX_RUN sleeps in HLT.
 */
int vmx_post_interrupt(struct vtx_vcpu *vcpu, u32 vector)
{
	if (vector < 16 || vector > 255)
		return -EINVAL;
	if (atomic_cmpxchg(&vcpu->vmx.user_irq, 0, VMX_USER_IRQ_QUEUED | vector))
		return -EBUSY;
	return 0;
}

/* VTX_NMI: latched like the NMI pin; one posted while one waits merges with it. */
void vmx_post_nmi(struct vtx_vcpu *vcpu)
{
	atomic_set(&vcpu->vmx.user_nmi, 1);
}

/*
 * VTX_INJECT_EXCEPTION: vectors 0-31 but NMI (VTX_NMI). An error code is
 * refused for a vector that has none; one that has one gets error_code
 * even when has_error_code is 0 (VM entry demands it in protected mode,
 * SDM 26.2.1.3); in real mode none is pushed (vmx_inject_exception).
 */
int vmx_queue_exception(struct vtx_vcpu *vcpu, const struct vtx_exception *e)
{
	bool has_err = vmx_exception_has_error_code(e->vector);

	if (e->vector > 31 || e->vector == X86_TRAP_NMI || e->has_error_code > 1)
		return -EINVAL;
	if (e->has_error_code && !has_err)
		return -EINVAL;
	if (vcpu->vmx.events & VMX_EV_EXC)
		return -EBUSY;
	vcpu->vmx.exc_vector = e->vector;
	vcpu->vmx.exc_has_err = has_err;
	vcpu->vmx.exc_err = e->has_error_code ? e->error_code : 0;
	vcpu->vmx.events |= VMX_EV_EXC;
	return 0;
}
