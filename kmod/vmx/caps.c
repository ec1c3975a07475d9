// SPDX-License-Identifier: GPL-2.0
/*
 * VMX capability decoding (SDM Vol. 3D Appendix A "VMX Capability Reporting Facility").
 *
 * Pure logic over the raw IA32_VMX_* MSR values: no hardware access, so the
 * same file builds in vtx.ko and in the cmocka tests (tests/unit/test_caps.c).
 * The rest of vtx asks the decoded VTX_FEAT_* bits, never the MSRs.
 */
#include "ktypes.h"
#include "uapi/vtx.h"
#include "vmx/caps.h"

const char *const vtx_feature_names[VTX_FEAT_NR] = {
	[0]  = "true-controls",
	[1]  = "ept",
	[2]  = "ept-4-level-walk",
	[3]  = "ept-write-back",
	[4]  = "ept-2m-pages",
	[5]  = "ept-1g-pages",
	[6]  = "ept-accessed-dirty",
	[7]  = "invept",
	[8]  = "invept-single-context",
	[9]  = "invept-all-context",
	[10] = "vpid",
	[11] = "invvpid",
	[12] = "invvpid-single-context",
	[13] = "invvpid-all-context",
	[14] = "unrestricted-guest",
	[15] = "preemption-timer",
	[16] = "msr-bitmaps",
	[17] = "io-bitmaps",
	[18] = "secondary-controls",
	[19] = "tpr-shadow",
	[20] = "virtualize-apic-accesses",
	[21] = "virtualize-x2apic",
	[22] = "apic-register-virt",
	[23] = "virtual-interrupt-delivery",
	[24] = "posted-interrupts",
	[25] = "xsaves",
	[26] = "rdtscp",
	[27] = "invpcid",
	[28] = "load-efer",
	[29] = "load-pat",
	[30] = "write-back-vmcs",
	[31] = "vmfunc",
};

/*
 * One rule of the decoder: feature @feat is present when bit @bit of the
 * allowed-1 half (bits 63:32, SDM A.3-A.5) of control MSR @idx is 1, or,
 * for VMX_MSR_EPT_VPID_CAP, when bit @bit of the whole MSR is 1 (SDM A.10).
 */
struct vmx_cap_rule {
	u64 feat;
	u8 idx;
	u8 bit;
};

/* Controls are named as in SDM Vol. 3C 24.6-24.8 (tables 24-5 .. 24-13). */
static const struct vmx_cap_rule vmx_primary_rules[] = {
	/* pin-based VM-execution controls, table 24-5 */
	{ VTX_FEAT_PREEMPT_TIMER,	VMX_MSR_PINBASED,	6 },
	{ VTX_FEAT_POSTED_INTR,		VMX_MSR_PINBASED,	7 },
	/* primary processor-based controls, table 24-6 */
	{ VTX_FEAT_TPR_SHADOW,		VMX_MSR_PROCBASED,	21 },
	{ VTX_FEAT_IO_BITMAP,		VMX_MSR_PROCBASED,	25 },
	{ VTX_FEAT_MSR_BITMAP,		VMX_MSR_PROCBASED,	28 },
	{ VTX_FEAT_SECONDARY,		VMX_MSR_PROCBASED,	31 },
};

/* secondary processor-based controls, table 24-7 */
static const struct vmx_cap_rule vmx_secondary_rules[] = {
	{ VTX_FEAT_VIRT_APIC,		VMX_MSR_PROCBASED2,	0 },
	{ VTX_FEAT_EPT,			VMX_MSR_PROCBASED2,	1 },
	{ VTX_FEAT_RDTSCP,		VMX_MSR_PROCBASED2,	3 },
	{ VTX_FEAT_X2APIC_VIRT,		VMX_MSR_PROCBASED2,	4 },
	{ VTX_FEAT_VPID,		VMX_MSR_PROCBASED2,	5 },
	{ VTX_FEAT_UNRESTRICTED,	VMX_MSR_PROCBASED2,	7 },
	{ VTX_FEAT_APIC_REG_VIRT,	VMX_MSR_PROCBASED2,	8 },
	{ VTX_FEAT_VIRT_INTR,		VMX_MSR_PROCBASED2,	9 },
	{ VTX_FEAT_INVPCID,		VMX_MSR_PROCBASED2,	12 },
	{ VTX_FEAT_VMFUNC,		VMX_MSR_PROCBASED2,	13 },
	{ VTX_FEAT_XSAVES,		VMX_MSR_PROCBASED2,	20 },
};

/* IA32_VMX_EPT_VPID_CAP, SDM A.10; the EPT half needs "enable EPT", the VPID half VPID. */
static const struct vmx_cap_rule vmx_ept_rules[] = {
	{ VTX_FEAT_EPT_4LEVEL,		VMX_MSR_EPT_VPID_CAP,	6 },
	{ VTX_FEAT_EPT_WB,		VMX_MSR_EPT_VPID_CAP,	14 },
	{ VTX_FEAT_EPT_2M,		VMX_MSR_EPT_VPID_CAP,	16 },
	{ VTX_FEAT_EPT_1G,		VMX_MSR_EPT_VPID_CAP,	17 },
	{ VTX_FEAT_INVEPT,		VMX_MSR_EPT_VPID_CAP,	20 },
	{ VTX_FEAT_EPT_AD,		VMX_MSR_EPT_VPID_CAP,	21 },
	{ VTX_FEAT_INVEPT_SINGLE,	VMX_MSR_EPT_VPID_CAP,	25 },
	{ VTX_FEAT_INVEPT_ALL,		VMX_MSR_EPT_VPID_CAP,	26 },
};

static const struct vmx_cap_rule vmx_vpid_rules[] = {
	{ VTX_FEAT_INVVPID,		VMX_MSR_EPT_VPID_CAP,	32 },
	{ VTX_FEAT_INVVPID_SINGLE,	VMX_MSR_EPT_VPID_CAP,	41 },
	{ VTX_FEAT_INVVPID_ALL,		VMX_MSR_EPT_VPID_CAP,	42 },
};

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * SDM A.3.1/A.3.2/A.4/A.5: with IA32_VMX_BASIC[55] the TRUE_* MSRs report the
 * controls precisely; use them in place of the legacy MSRs.
 */
static unsigned int vmx_ctl_index(const u64 msr[VTX_NR_VMX_MSRS], unsigned int idx)
{
	if (!(msr[VMX_MSR_BASIC] & VTX_BASIC_TRUE_CTLS))
		return idx;
	switch (idx) {
	case VMX_MSR_PINBASED:
		return VMX_MSR_TRUE_PINBASED;
	case VMX_MSR_PROCBASED:
		return VMX_MSR_TRUE_PROCBASED;
	case VMX_MSR_EXIT:
		return VMX_MSR_TRUE_EXIT;
	case VMX_MSR_ENTRY:
		return VMX_MSR_TRUE_ENTRY;
	default:
		return idx;
	}
}

/* Allowed-1 settings of a control MSR: the high 32 bits (SDM A.3.1). */
static u32 vmx_allowed1(const u64 msr[VTX_NR_VMX_MSRS], unsigned int idx)
{
	return (u32)(msr[vmx_ctl_index(msr, idx)] >> 32);
}

static u64 vmx_apply_rules(const u64 msr[VTX_NR_VMX_MSRS], const struct vmx_cap_rule *r,
			   size_t n, bool ctl)
{
	u64 feat = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		u64 v = ctl ? vmx_allowed1(msr, r[i].idx) : msr[r[i].idx];

		if (v & BIT_ULL(r[i].bit))
			feat |= r[i].feat;
	}
	return feat;
}

bool vmx_caps_msr_exists(const u64 msr[VTX_NR_VMX_MSRS], unsigned int idx)
{
	u64 basic = msr[VMX_MSR_BASIC];
	/*
	 * A.3.3 names the legacy IA32_VMX_PROCBASED_CTLS[63] (not the TRUE one,
	 * which has a higher index and is read later), so that callers can read
	 * the MSRs in index order.
	 */
	bool secondary = msr[VMX_MSR_PROCBASED] & BIT_ULL(63);
	u32 sec = secondary ? (u32)(msr[VMX_MSR_PROCBASED2] >> 32) : 0;

	switch (idx) {
	case VMX_MSR_BASIC ... VMX_MSR_VMCS_ENUM:
		return true;
	case VMX_MSR_PROCBASED2:	/* A.3.3: only with "activate secondary controls" */
		return secondary;
	case VMX_MSR_EPT_VPID_CAP:	/* A.10: needs "enable EPT" or "enable VPID" */
		return sec & (BIT(1) | BIT(5));
	case VMX_MSR_TRUE_PINBASED ... VMX_MSR_TRUE_ENTRY: /* A.1: IA32_VMX_BASIC[55] */
		return basic & VTX_BASIC_TRUE_CTLS;
	case VMX_MSR_VMFUNC:		/* A.11: needs "enable VM functions" */
		return sec & BIT(13);
	default:
		return false;
	}
}

void vmx_caps_read(u64 msr[VTX_NR_VMX_MSRS], int (*read)(u32 index, u64 *value))
{
	unsigned int i;

	memset(msr, 0, sizeof(u64) * VTX_NR_VMX_MSRS);
	/* Whether a later MSR exists depends on earlier ones: go in index order. */
	for (i = 0; i < VTX_NR_VMX_MSRS; i++) {
		if (!vmx_caps_msr_exists(msr, i) || read(VTX_MSR_VMX_FIRST + i, &msr[i]))
			msr[i] = 0;
	}
}

u64 vmx_caps_decode(const u64 msr[VTX_NR_VMX_MSRS])
{
	u64 basic = msr[VMX_MSR_BASIC];
	u64 feat = 0;

	if (!basic)	/* no VMX at all */
		return 0;
	if (basic & VTX_BASIC_TRUE_CTLS)
		feat |= VTX_FEAT_TRUE_CTLS;
	if (VTX_BASIC_MEMTYPE(basic) == VTX_MEMTYPE_WB)
		feat |= VTX_FEAT_WB_VMCS;

	/* Secondary controls and the MSRs behind them only count when they exist. */
	feat |= vmx_apply_rules(msr, vmx_primary_rules, ARRAY_LEN(vmx_primary_rules), true);
	if (feat & VTX_FEAT_SECONDARY)
		feat |= vmx_apply_rules(msr, vmx_secondary_rules, ARRAY_LEN(vmx_secondary_rules),
					true);
	if (feat & VTX_FEAT_EPT)
		feat |= vmx_apply_rules(msr, vmx_ept_rules, ARRAY_LEN(vmx_ept_rules), false);
	if (feat & VTX_FEAT_VPID)
		feat |= vmx_apply_rules(msr, vmx_vpid_rules, ARRAY_LEN(vmx_vpid_rules), false);

	/* A.4 exit controls bits 19/21, A.5 entry controls bits 14/15: vtx needs both sides. */
	if ((vmx_allowed1(msr, VMX_MSR_EXIT) & BIT(21)) &&
	    (vmx_allowed1(msr, VMX_MSR_ENTRY) & BIT(15)))
		feat |= VTX_FEAT_LOAD_EFER;
	if ((vmx_allowed1(msr, VMX_MSR_EXIT) & BIT(19)) &&
	    (vmx_allowed1(msr, VMX_MSR_ENTRY) & BIT(14)))
		feat |= VTX_FEAT_LOAD_PAT;
	return feat;
}

size_t vmx_caps_names(u64 mask, char *buf, size_t len)
{
	bool fits = len > 0;
	size_t need = 0;
	unsigned int i;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < VTX_FEAT_NR; i++) {
		const char *name = vtx_feature_names[i];
		size_t sep = need ? 1 : 0;
		size_t n = strlen(name);

		if (!(mask & BIT_ULL(i)))
			continue;
		/* Truncate at a whole name so the log never shows half a feature. */
		fits = fits && need + sep + n < len;
		if (fits) {
			if (sep)
				buf[need] = ' ';
			memcpy(buf + need + sep, name, n);
			buf[need + sep + n] = '\0';
		}
		need += sep + n;
	}
	return need;
}
