/* SPDX-License-Identifier: GPL-2.0 */
/* VMX capability decoding; compiles in the kernel and in userspace. */
#ifndef _VTX_VMX_CAPS_H
#define _VTX_VMX_CAPS_H

#include "ktypes.h"
#include "uapi/vtx.h"

/* Human names of VTX_FEAT_* bits, indexed by bit number. */
extern const char *const vtx_feature_names[VTX_FEAT_NR];

/* Raw IA32_VMX_* MSRs (index = msr - 0x480) to a VTX_FEAT_* bitmap. */
u64 vmx_caps_decode(const u64 msr[VTX_NR_VMX_MSRS]);

#endif /* _VTX_VMX_CAPS_H */
