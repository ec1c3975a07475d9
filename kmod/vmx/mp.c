// SPDX-License-Identifier: GPL-2.0
/*
 * Where a vCPU thread waits and how it is woken: vmx_vcpu_kick() (any
 * context), the request bits of struct vtx_vcpu (VTX_REQ_*), HLT sleeping
 * in the kernel, INIT and start-up IPIs (SDM vol 3A 9.4, 11.4.7.3, 11.6.1).
 * The ioctls that post requests or set the MP state are in kmod/vcpu.c.
 *
 * Sleeping happens in the outer run loop (run.c), in process context with
 * the VMCS loaded and preemption on; the request bits are consumed there
 * too, except VTX_REQ_EVENT which the injection step (events.c) consumes
 * with interrupts off right before the entry.
 */
#include <linux/kernel.h>
#include <linux/rcuwait.h>
#include <linux/sched/signal.h>
#include <linux/smp.h>
#include <asm/processor-flags.h>

#include "compat.h"
#include "vmx/internal.h"
#include "irq/irqchip.h"

/* Events that end a HLT sleep (with vmx->user_irq and the irqchip's). */
#define VMX_EV_WAKE	(VMX_EV_NMI | VMX_EV_EXC)

/*
 * Make @vcpu notice a request bit its caller set before: wake it if it
 * sleeps, and if it runs guest code on another CPU, interrupt that CPU so
 * the guest exits (external-interrupt exiting); the run loop then sees the
 * bit before the next entry. Lock-free; any context, hardirq included.
 */
void vmx_vcpu_kick(struct vtx_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	int cpu, me;

	/* Implies a full barrier: the caller's set_bit() is visible to the woken thread. */
	rcuwait_wake_up(&vmx->wait);
	/* Pairs with smp_store_mb(vmx->mode, VMX_IN_GUEST) in run.c. */
	smp_mb__before_atomic();
	if (cmpxchg(&vmx->mode, VMX_IN_GUEST, VMX_EXITING_GUEST) != VMX_IN_GUEST)
		return;
	/* IN_GUEST: preemption is off in the vCPU thread, so vmx->cpu is where it runs. */
	cpu = READ_ONCE(vmx->cpu);
	me = get_cpu();
	if (cpu >= 0 && cpu != me)
		smp_send_reschedule(cpu);
	put_cpu();
}

/*
 * INIT (SDM vol 3A 9.1.1 Table 9-1, column "INIT"): the register state of
 * a reset, except that CR0.CD/NW, the x87/SSE state, XCR0 and the MSRs
 * keep their values; pending events are dropped. The LAPIC model has
 * reset its own registers already.
 *
 * Who waits for a SIPI afterwards: SDM 9.4.1/11.4.7.3 put a processor in
 * the wait-for-SIPI state after INIT, and the MP protocol sends INIT-SIPI
 * only to APs; the BSP (IA32_APIC_BASE.BSP, kept by INIT) restarts at the
 * reset vector, which is how the classic "reset through INIT" paths of PC
 * firmware work. KVM does the same (BSP runnable, APs INIT_RECEIVED).
 */
static void vmx_vcpu_init_event(struct vtx_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	u64 cd_nw = vmcs_read(CR0_READ_SHADOW) & (X86_CR0_CD | X86_CR0_NW);

	vmx_reset_guest(vcpu);
	vmcs_write(CR0_READ_SHADOW, X86_CR0_ET | cd_nw);
	memset(vmx->dr, 0, sizeof(vmx->dr));
	vmx->dr[6] = 0xffff0ff0;
	vmx->dr[7] = 0x400;
	vmx_events_reset(vcpu);
	/* INIT is recognised in the shutdown state and leaves it (SDM vol 3A 6.15, int 8). */
	vmx->shutdown = false;
	WRITE_ONCE(vcpu->mp_state, vcpu->id == 0 ? VTX_MP_RUNNABLE : VTX_MP_WAIT_SIPI);
}

/* SIPI in wait-for-SIPI (SDM 9.4.4.1): real mode at vector << 12, CS = vector << 8. */
static void vmx_vcpu_sipi(struct vtx_vcpu *vcpu, u32 vector)
{
	vmcs_write(GUEST_CS_SELECTOR, vector << 8);
	vmcs_write(GUEST_CS_BASE, vector << 12);
	vmcs_write(GUEST_RIP, 0);
	WRITE_ONCE(vcpu->mp_state, VTX_MP_RUNNABLE);
}

/*
 * Outer run loop (process context, VMCS loaded): INIT before SIPI, as they
 * may both arrive between two passes. A SIPI outside wait-for-SIPI is
 * ignored (SDM 11.6.1). VMX_TO_USER for a KICK, else VMX_RESUME.
 */
int vmx_process_requests(struct vtx_vcpu *vcpu)
{
	if (test_and_clear_bit(VTX_REQ_INIT, &vcpu->requests))
		vmx_vcpu_init_event(vcpu);
	if (test_and_clear_bit(VTX_REQ_SIPI, &vcpu->requests)) {
		/* The sender wrote sipi_vector before setting the bit. */
		smp_mb__after_atomic();
		if (vcpu->mp_state == VTX_MP_WAIT_SIPI)
			vmx_vcpu_sipi(vcpu, READ_ONCE(vcpu->sipi_vector) & 0xff);
	}
	if (test_and_clear_bit(VTX_REQ_KICK, &vcpu->requests)) {
		vcpu->run->exit_reason = VTX_EXIT_KICK;
		return VMX_TO_USER;
	}
	return VMX_RESUME;
}

/* An interrupt or NMI the guest would take now (HLT ends with it). */
static bool vmx_halt_event(struct vtx_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;

	vmx_events_take_nmi(vcpu);
	if ((vmx->events & VMX_EV_WAKE) || atomic_read(&vmx->user_irq))
		return true;
	return irqchip_pending(vcpu) >= 0;
}

static bool vmx_wake_condition(struct vtx_vcpu *vcpu)
{
	if (READ_ONCE(vcpu->mp_state) == VTX_MP_WAIT_SIPI)
		return READ_ONCE(vcpu->requests) & VMX_REQ_OUTSIDE;
	return READ_ONCE(vcpu->requests) || (vcpu->vmx.events & VMX_EV_WAKE);
}

/*
 * Sleep while the vCPU is HALTED or waits for a SIPI, until a request
 * (the outer loop handles it), a deliverable event (HALTED ends) or a
 * signal (-EINTR). VMX_RESUME to go on with the run loop.
 */
int vmx_vcpu_block(struct vtx_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	int ret;

	for (;;) {
		ret = rcuwait_wait_event(&vmx->wait, vmx_wake_condition(vcpu), TASK_INTERRUPTIBLE);
		if (ret) {
			vcpu->run->exit_reason = VTX_EXIT_INTR;
			return -EINTR;
		}
		if (vmx_requests_outside(vcpu))
			return VMX_RESUME;
		if (vcpu->mp_state != VTX_MP_HALTED)
			return VMX_RESUME;
		/* The injection step looks again; the bit only had to wake us. */
		clear_bit(VTX_REQ_EVENT, &vcpu->requests);
		/* Clear before looking: a poster after the look finds the bit set again. */
		smp_mb__after_atomic();
		if (vmx_halt_event(vcpu)) {
			vmx_events_recheck(vcpu);
			WRITE_ONCE(vcpu->mp_state, VTX_MP_RUNNABLE);
			return VMX_RESUME;
		}
	}
}

/*
 * HLT (SDM vol 2 HLT; 25.1.3): with RFLAGS.IF=1 the vCPU sleeps in the
 * kernel until an interrupt is deliverable, then resumes after the HLT
 * with it injected. With IF=0 nothing could wake it: userspace gets
 * VTX_EXIT_HLT (for test guests, "done").
 */
int vmx_exit_hlt(struct vtx_vcpu *vcpu)
{
	/* Also ends an STI shadow: "STI; HLT" wakes on the next interrupt. */
	vmx_skip_insn(vcpu);
	if (!(vmcs_read(GUEST_RFLAGS) & X86_EFLAGS_IF)) {
		vcpu->run->exit_reason = VTX_EXIT_HLT;
		return VMX_TO_USER;
	}
	if (vmx_halt_event(vcpu)) {
		vmx_events_recheck(vcpu);
		return VMX_RESUME;
	}
	WRITE_ONCE(vcpu->mp_state, VTX_MP_HALTED);
	return VMX_RESUME;
}

/* At vCPU creation: APs wait for INIT-SIPI, like hardware. */
void vmx_mp_init(struct vtx_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;

	rcuwait_init(&vmx->wait);
	vmx->mode = VMX_OUTSIDE_GUEST;
	vcpu->mp_state = vcpu->id ? VTX_MP_WAIT_SIPI : VTX_MP_RUNNABLE;
}
