// SPDX-License-Identifier: GPL-2.0
/*
 * Control-word adjustment against the VMX capability MSRs. Pure
 * arithmetic, so it also builds in userspace for tests/unit/test_ctls.c.
 */
#include "ktypes.h"
#include "vmx/ctls.h"

int vmx_adjust_ctls(u64 cap_msr, u32 required, u32 optional, u32 *out)
{
	u32 must_be_one = (u32)cap_msr;		/* allowed 0-settings clear */
	u32 may_be_one = (u32)(cap_msr >> 32);	/* allowed 1-settings set */

	if (!out)
		return -EINVAL;
	/* A capability MSR whose forced-on bits are not allowed is corrupt. */
	if (must_be_one & ~may_be_one)
		return -EINVAL;
	if (required & ~may_be_one)
		return -EOPNOTSUPP;
	*out = must_be_one | required | (optional & may_be_one);
	return 0;
}
