/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which pending event goes into the next VM entry, and which window exits
 * to ask for the rest (SDM vol 3A 6.9 priorities; vol 3C 24.4.2 Table
 * 24-3 interruptibility, 26.3.1.5 entry checks, 26.7.5/26.7.6 windows).
 * Pure logic: kernel and userspace (tests/unit/test_evpick.c).
 */
#ifndef _VTX_VMX_EVPICK_H
#define _VTX_VMX_EVPICK_H

#include "ktypes.h"

/* Guest interruptibility bits, as in the VMCS field (Table 24-3). */
#define VMX_PICK_BLOCK_STI	BIT(0)
#define VMX_PICK_BLOCK_MOV_SS	BIT(1)
#define VMX_PICK_BLOCK_NMI	BIT(3)

enum vmx_pick {
	VMX_PICK_NONE,
	VMX_PICK_EXC,		/* the queued exception */
	VMX_PICK_NMI,
	VMX_PICK_IRQ,		/* external interrupt @irq */
};

struct vmx_pick_in {
	bool busy;		/* the entry already delivers an event (re-injection) */
	bool exc;		/* an exception is queued */
	bool nmi;		/* an NMI is pending */
	bool irq;		/* an external interrupt is pending */
	bool rflags_if;		/* guest RFLAGS.IF */
	u32 intr_state;		/* guest interruptibility (VMX_PICK_BLOCK_*) */
};

struct vmx_pick_out {
	u8 inject;		/* enum vmx_pick */
	bool nmi_window;	/* an NMI waits: NMI-window exiting */
	bool irq_window;	/* an interrupt waits: interrupt-window exiting */
};

void vmx_event_pick(const struct vmx_pick_in *in, struct vmx_pick_out *out);

/* Does exception @vector push an error code (SDM vol 3A 6.15; #CP is 21)? */
bool vmx_exception_has_error_code(u8 vector);

#endif /* _VTX_VMX_EVPICK_H */
