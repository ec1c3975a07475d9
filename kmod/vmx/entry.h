/* SPDX-License-Identifier: GPL-2.0 */
/* vmx_vcpu_enter()'s flags, shared by entry.S and C. */
#ifndef VTX_VMX_ENTRY_H
#define VTX_VMX_ENTRY_H

#define VMX_ENTER_RESUME_BIT	0
#define VMX_ENTER_RESUME	(1 << VMX_ENTER_RESUME_BIT)	/* VMRESUME, else VMLAUNCH */
#define VMX_ENTER_VERW		(1 << 1)	/* VERW right before entering */

#endif /* VTX_VMX_ENTRY_H */
