// SPDX-License-Identifier: GPL-2.0
/*
 * Which speculative-execution mitigations vtx applies at VM entry and
 * vCPU switch, from the host's bug and feature bits and the module
 * parameters. Pure logic, no hardware access: the same file builds in
 * vtx.ko (vmx/spec_host.c feeds it boot_cpu_has*()) and in the cmocka
 * tests (tests/unit/test_spec.c).
 *
 * vtx follows the CPU's bug bits, not the host kernel's per-bug choices
 * for itself (mds=off, l1tf=off, ...), which protect the host from its
 * user space. The one exception is the global mitigations=off, as in KVM
 * (its VMENTER_L1D_FLUSH_NEVER under l1tf=off, its MDS/MMIO clearing
 * keyed on the host's mitigation): the machine's owner said they trust
 * everything that runs there, so none is applied unless a parameter
 * forces it. Forcing each on or off is the verw= / l1d_flush= / ibpb=
 * parameters' job.
 */
#include "ktypes.h"
#include "vmx/spec.h"

/* Why each mitigation is needed: the bugs it answers. */
static bool spec_needs_verw(const struct vtx_spec_host *h)
{
	/* MDS, TAA, MMIO stale data, RFDS: one fix, VERW with MD_CLEAR microcode. */
	return h->bug_mds || h->bug_taa || h->bug_mmio || h->bug_rfds;
}

static int spec_choose(int param, bool needed, const char *name, const char **bad)
{
	if (param < -1 || param > 1) {
		*bad = name;
		return -EINVAL;
	}
	return param == -1 ? needed : param;
}

int vtx_spec_policy(const struct vtx_spec_host *h, const struct vtx_spec_params *p,
		    const char **bad)
{
	bool trust = h->mitigations_off;
	bool need_verw = !trust && spec_needs_verw(h);
	bool need_l1d = !trust && h->bug_l1tf, need_ibpb = !trust && h->bug_spectre_v2;
	int verw, l1d, ibpb;
	int mask = trust ? VTX_SPEC_HOST_OFF : 0;

	verw = spec_choose(p->verw, need_verw, "verw", bad);
	l1d = spec_choose(p->l1d_flush, need_l1d, "l1d_flush", bad);
	ibpb = spec_choose(p->ibpb, need_ibpb, "ibpb", bad);
	if (verw < 0 || l1d < 0 || ibpb < 0)
		return -EINVAL;

	/* VERW exists on every x86-64 CPU; without MD_CLEAR it clears nothing. */
	if (verw)
		mask |= VTX_SPEC_VERW | (h->has_md_clear ? 0 : VTX_SPEC_VERW_NO_UCODE);
	else if (need_verw)
		mask |= VTX_SPEC_VERW_OFF;

	/* No IA32_FLUSH_CMD: evict L1D by reading a buffer twice its size. */
	if (l1d)
		mask |= h->has_flush_l1d ? VTX_SPEC_L1D_MSR : VTX_SPEC_L1D_SW;
	else if (need_l1d)
		mask |= VTX_SPEC_L1D_OFF;

	/* Writing IA32_PRED_CMD without IBPB is a #GP: never, even when forced. */
	if (ibpb)
		mask |= h->has_ibpb ? VTX_SPEC_IBPB : VTX_SPEC_IBPB_NONE;
	else if (need_ibpb)
		mask |= VTX_SPEC_IBPB_OFF;
	return mask;
}

static const struct {
	u32 bit;
	const char *name;
} spec_names[] = {
	{ VTX_SPEC_VERW,	  "verw" },
	{ VTX_SPEC_VERW_NO_UCODE, "verw(no-md-clear-microcode)" },
	{ VTX_SPEC_VERW_OFF,	  "verw(off)" },
	{ VTX_SPEC_L1D_MSR,	  "l1d-flush" },
	{ VTX_SPEC_L1D_SW,	  "l1d-flush(software)" },
	{ VTX_SPEC_L1D_OFF,	  "l1d-flush(off)" },
	{ VTX_SPEC_IBPB,	  "ibpb" },
	{ VTX_SPEC_IBPB_NONE,	  "ibpb(unavailable)" },
	{ VTX_SPEC_IBPB_OFF,	  "ibpb(off)" },
	{ VTX_SPEC_HOST_OFF,	  "host-mitigations-off" },
	{ 0, NULL }
};

/* Append " name" (no space first); cut at a whole name, as vmx_caps_names() does. */
static size_t spec_append(char *buf, size_t len, size_t need, const char *name)
{
	size_t sep = need ? 1 : 0;
	size_t n = strlen(name);

	/* buf holds all of need so far (nothing was cut yet) and name fits. */
	if (len && strlen(buf) == need && need + sep + n < len) {
		if (sep)
			buf[need] = ' ';
		memcpy(buf + need + sep, name, n);
		buf[need + sep + n] = '\0';
	}
	return need + sep + n;
}

size_t vtx_spec_describe(u32 mask, char *buf, size_t len)
{
	size_t need = 0;
	unsigned int i;

	if (len)
		buf[0] = '\0';
	/* "verw(no-md-clear-microcode)" replaces "verw", not joins it. */
	if (mask & VTX_SPEC_VERW_NO_UCODE)
		mask &= ~VTX_SPEC_VERW;
	for (i = 0; spec_names[i].name; i++)
		if (mask & spec_names[i].bit)
			need = spec_append(buf, len, need, spec_names[i].name);
	if (!need)
		need = spec_append(buf, len, 0, "none needed");
	return need;
}
