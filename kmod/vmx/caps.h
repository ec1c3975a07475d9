/* SPDX-License-Identifier: GPL-2.0 */
/* VMX capability decoding; compiles in the kernel and in userspace. */
#ifndef _VTX_VMX_CAPS_H
#define _VTX_VMX_CAPS_H

#include "ktypes.h"
#include "uapi/vtx.h"

/* Index of each capability MSR in vtx_caps.vmx_msr[] (= msr - 0x480), SDM Appendix A. */
enum vmx_msr_idx {
	VMX_MSR_BASIC		= 0x0,	/* A.1 */
	VMX_MSR_PINBASED	= 0x1,	/* A.3.1 */
	VMX_MSR_PROCBASED	= 0x2,	/* A.3.2 */
	VMX_MSR_EXIT		= 0x3,	/* A.4 */
	VMX_MSR_ENTRY		= 0x4,	/* A.5 */
	VMX_MSR_MISC		= 0x5,	/* A.6 */
	VMX_MSR_CR0_FIXED0	= 0x6,	/* A.7 */
	VMX_MSR_CR0_FIXED1	= 0x7,
	VMX_MSR_CR4_FIXED0	= 0x8,	/* A.8 */
	VMX_MSR_CR4_FIXED1	= 0x9,
	VMX_MSR_VMCS_ENUM	= 0xa,	/* A.9 */
	VMX_MSR_PROCBASED2	= 0xb,	/* A.3.3 */
	VMX_MSR_EPT_VPID_CAP	= 0xc,	/* A.10 */
	VMX_MSR_TRUE_PINBASED	= 0xd,
	VMX_MSR_TRUE_PROCBASED	= 0xe,
	VMX_MSR_TRUE_EXIT	= 0xf,
	VMX_MSR_TRUE_ENTRY	= 0x10,
	VMX_MSR_VMFUNC		= 0x11,	/* A.11 */
};

/* IA32_VMX_BASIC fields (SDM A.1). */
#define VTX_BASIC_REVISION_MASK		0x7fffffffULL	/* bits 30:0 */
#define VTX_BASIC_REGION_SIZE(b)	(((b) >> 32) & 0x1fff)	/* bits 44:32 */
#define VTX_BASIC_MEMTYPE(b)		(((b) >> 50) & 0xf)	/* bits 53:50 */
#define VTX_BASIC_TRUE_CTLS		BIT_ULL(55)
#define VTX_MEMTYPE_WB			6

/* Human names of VTX_FEAT_* bits, indexed by bit number. */
extern const char *const vtx_feature_names[VTX_FEAT_NR];

/* Raw IA32_VMX_* MSRs (index = msr - 0x480) to a VTX_FEAT_* bitmap. */
u64 vmx_caps_decode(const u64 msr[VTX_NR_VMX_MSRS]);

/*
 * Which capability MSRs exist, given the ones read so far (SDM A.1, A.3.3, A.10, A.11):
 * true for @idx when rdmsr(0x480 + idx) is architecturally defined on this CPU.
 */
bool vmx_caps_msr_exists(const u64 msr[VTX_NR_VMX_MSRS], unsigned int idx);

/*
 * Fill @msr[] with IA32_VMX_BASIC..IA32_VMX_VMFUNC through @read (0 on
 * success, like rdmsrl_safe), reading only the MSRs that exist; the others are 0.
 */
void vmx_caps_read(u64 msr[VTX_NR_VMX_MSRS], int (*read)(u32 index, u64 *value));

/*
 * A control register value obeys the VMX fixed bits (SDM A.7/A.8): every bit set in
 * FIXED0 is set, every bit clear in FIXED1 is clear.
 */
static inline bool vmx_cr_fixed_ok(u64 val, u64 fixed0, u64 fixed1)
{
	return (val & fixed0) == fixed0 && (val & ~fixed1) == 0;
}

/*
 * Write "a b c" names of the VTX_FEAT_* bits in @mask into @buf (always NUL-terminated).
 * Returns the length the full list needs, like snprintf.
 */
size_t vmx_caps_names(u64 mask, char *buf, size_t len);

#endif /* _VTX_VMX_CAPS_H */
