// SPDX-License-Identifier: GPL-2.0
/*
 * Checks of guest-supplied values before they reach the hardware; see
 * checks.h. Pure arithmetic, unit-tested in tests/unit/test_checks.c.
 */
#include "vmx/checks.h"
#include "vmx/ctls.h"

/*
 * SDM vol 1 13.3 "Enabling the XSAVE Feature Set and XSAVE-Enabled
 * Features" and vol 2C XSETBV: #GP(0) if bit 0 (x87) is 0; if bit 2 (AVX)
 * is 1 without bit 1 (SSE); if bits 3 and 4 (MPX BNDREGS, BNDCSR) differ;
 * if any of bits 7:5 (AVX-512) is 1 unless all three are and bit 2 is;
 * and for any reserved or unsupported bit.
 */
/* MSR numbers (SDM vol 4 Table 2-2): architectural, as in asm/msr-index.h. */
#define CHK_MSR_STAR		0xc0000081
#define CHK_MSR_LSTAR		0xc0000082
#define CHK_MSR_CSTAR		0xc0000083
#define CHK_MSR_SFMASK		0xc0000084
#define CHK_MSR_KERNEL_GS_BASE	0xc0000102
#define CHK_MSR_TSC_AUX		0xc0000103

/* 48-bit canonical: bits 63:47 equal (SDM vol 1 3.3.7.1). vtx offers no LA57. */
static bool chk_canonical(u64 addr)
{
	return (u64)((s64)(addr << 16) >> 16) == addr;
}

/*
 * SDM vol 4 Table 2-2 and vol 2B WRMSR: #GP for a non-canonical address in
 * LSTAR, CSTAR or IA32_KERNEL_GS_BASE, and for bits 63:32 of IA32_FMASK
 * (SFMASK) or IA32_TSC_AUX, which are reserved. STAR holds selectors and a
 * 32-bit EIP, no address and no reserved bit: any value goes (Linux's has
 * bits 63:48 = __USER32_CS, not canonical as an address).
 */
bool vmx_guest_msr_valid(u32 msr, u64 val)
{
	switch (msr) {
	case CHK_MSR_LSTAR:
	case CHK_MSR_CSTAR:
	case CHK_MSR_KERNEL_GS_BASE:
		return chk_canonical(val);
	case CHK_MSR_SFMASK:
	case CHK_MSR_TSC_AUX:
		return !(val >> 32);
	case CHK_MSR_STAR:
	default:
		return true;
	}
}

bool vmx_xcr0_valid(u64 xcr0, u64 allowed)
{
	u64 mpx = xcr0 & VMX_XCR0_MPX, avx512 = xcr0 & VMX_XCR0_AVX512;

	if (!(xcr0 & VMX_XCR0_X87) || (xcr0 & ~allowed))
		return false;
	if ((xcr0 & VMX_XCR0_AVX) && !(xcr0 & VMX_XCR0_SSE))
		return false;
	if (mpx && mpx != VMX_XCR0_MPX)
		return false;
	if (avx512 && (avx512 != VMX_XCR0_AVX512 || !(xcr0 & VMX_XCR0_AVX)))
		return false;
	return true;
}

u64 vmx_cr4_hw(u64 cr4, u64 fixed0, u64 fixed1)
{
	return vmx_fixed_cr((cr4 | VMX_CR4_MCE) & ~(VMX_CR4_PCE | VMX_CR4_PKE), fixed0, fixed1);
}

void vmx_mce_reset(struct vmx_mce *m)
{
	unsigned int i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < VMX_MCE_BANKS; i++)
		m->bank[i][0] = ~0ULL;
}

/* Index into struct vmx_mce's banks of a MCi_* MSR, or -1. */
static int vmx_mce_bank_msr(u32 msr)
{
	u32 off = msr - VMX_MSR_MC0_CTL;

	if (msr < VMX_MSR_MC0_CTL || off >= 4 * VMX_MCE_BANKS)
		return -1;
	/* The guest chose the MSR: no speculative bank[] access past the check. */
	return (int)array_index_nospec(off, 4 * VMX_MCE_BANKS);
}

int vmx_mce_get(const struct vmx_mce *m, u32 msr, u64 *val)
{
	int off = vmx_mce_bank_msr(msr);

	if (msr == VMX_MSR_MCG_CAP) {
		*val = VMX_MCE_BANKS;
		return 0;
	}
	if (msr == VMX_MSR_MCG_STATUS) {
		*val = m->mcg_status;
		return 0;
	}
	if (off < 0)
		return 1;
	*val = m->bank[off / 4][off % 4];
	return 0;
}

int vmx_mce_set(struct vmx_mce *m, u32 msr, u64 val)
{
	int off = vmx_mce_bank_msr(msr);

	if (msr == VMX_MSR_MCG_CAP)
		return -1;
	if (msr == VMX_MSR_MCG_STATUS) {
		if (val)
			return -1;
		m->mcg_status = 0;
		return 0;
	}
	if (off < 0)
		return 1;
	switch (off % 4) {
	case 0:		/* MCi_CTL */
		if (val && val != ~0ULL)
			return -1;
		break;
	case 1:		/* MCi_STATUS */
		if (val)
			return -1;
		break;
	}
	m->bank[off / 4][off % 4] = val;
	return 0;
}
