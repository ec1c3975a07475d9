// SPDX-License-Identifier: GPL-2.0
/*
 * Event selection for the next VM entry (evpick.h). One event per entry:
 * an exception first, then an NMI, then an external interrupt (SDM vol 3A
 * 6.9); what cannot go now asks for the window exit that says when it can.
 */
#include "ktypes.h"
#include "vmx/evpick.h"

/* STI and MOV SS shadows block interrupts for one instruction (SDM 6.8.3). */
#define BLOCK_SHADOW	(VMX_PICK_BLOCK_STI | VMX_PICK_BLOCK_MOV_SS)
/*
 * NMIs: virtual-NMI blocking until the handler's IRET, and MOV SS (entry
 * refuses it, SDM 26.3.1.5); STI too, whether the CPU blocks NMIs there
 * is model-specific (SDM 24.4.2), as KVM does.
 */
#define BLOCK_NMI	(BLOCK_SHADOW | VMX_PICK_BLOCK_NMI)

void vmx_event_pick(const struct vmx_pick_in *in, struct vmx_pick_out *out)
{
	bool busy = in->busy;

	out->inject = VMX_PICK_NONE;
	out->nmi_window = false;
	out->irq_window = false;
	if (in->exc && !busy) {
		out->inject = VMX_PICK_EXC;
		busy = true;
	}
	if (in->nmi) {
		if (!busy && !(in->intr_state & BLOCK_NMI)) {
			out->inject = VMX_PICK_NMI;
			busy = true;
		} else {
			out->nmi_window = true;
		}
	}
	if (in->irq) {
		if (!busy && in->rflags_if && !(in->intr_state & BLOCK_SHADOW))
			out->inject = VMX_PICK_IRQ;
		else
			out->irq_window = true;
	}
}

bool vmx_exception_has_error_code(u8 vector)
{
	/* #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP */
	return vector < 32 && ((BIT(8) | BIT(10) | BIT(11) | BIT(12) | BIT(13) | BIT(14) |
				BIT(17) | BIT(21)) & BIT(vector));
}
