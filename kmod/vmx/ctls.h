/* SPDX-License-Identifier: GPL-2.0 */
/* VMX control-word adjustment; compiles in the kernel and in userspace. */
#ifndef _VTX_VMX_CTLS_H
#define _VTX_VMX_CTLS_H

#include "ktypes.h"

/*
 * Fit a VM-execution/exit/entry control word to its capability MSR
 * (SDM vol 3D A.3-A.5): bits 31:0 of @cap_msr are the allowed 0-settings
 * (a 1 there forces the control on), bits 63:32 the allowed 1-settings.
 * @required bits must be settable (else -EOPNOTSUPP), @optional bits are
 * set where allowed. *@out gets the word to write to the VMCS.
 */
int vmx_adjust_ctls(u64 cap_msr, u32 required, u32 optional, u32 *out);

/*
 * CR0/CR4 values VMX operation accepts (SDM vol 3D A.7/A.8): bits set in
 * @fixed0 must be 1, bits clear in @fixed1 must be 0.
 */
static inline u64 vmx_fixed_cr(u64 value, u64 fixed0, u64 fixed1)
{
	return (value | fixed0) & fixed1;
}

#endif /* _VTX_VMX_CTLS_H */
