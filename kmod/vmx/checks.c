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
