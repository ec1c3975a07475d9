// SPDX-License-Identifier: GPL-2.0
/*
 * The host side of vmx/spec.c: read the CPU's bug and feature bits once at
 * load, pick the mitigations, log them, and do the L1D flush. The hooks
 * on the entry path are inline in vmx/spec.h; VERW itself is in entry.S.
 *
 * Module parameters (all 0444, read at load):
 *   verw=, l1d_flush=, ibpb=   -1 (default) as the CPU needs, 0 off, 1 on
 *   mitigations                what vtx does, e.g. "verw l1d-flush ibpb"
 *   mitigation_counts          "verw N l1d_flush N ibpb N vm_switch N", all CPUs
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/sysfs.h>
#include <asm/cpufeature.h>
#include <asm/sync_core.h>

#include "vmx/spec.h"

static struct vtx_spec_params spec_params = { -1, -1, -1 };
module_param_named(verw, spec_params.verw, int, 0444);
MODULE_PARM_DESC(verw, "VERW (clear CPU buffers) before every VM entry: -1 if the CPU has MDS/TAA/MMIO stale data/RFDS (default), 0 never, 1 always");
module_param_named(l1d_flush, spec_params.l1d_flush, int, 0444);
MODULE_PARM_DESC(l1d_flush, "flush L1D before every VM entry: -1 if the CPU has L1TF (default), 0 never, 1 always");
module_param_named(ibpb, spec_params.ibpb, int, 0444);
MODULE_PARM_DESC(ibpb, "IBPB when a CPU switches to another VM's vCPU: -1 if the CPU has Spectre v2 (default), 0 never, 1 always");

u32 vtx_spec_mask __read_mostly;
DEFINE_PER_CPU(struct vtx_spec_stats, vtx_spec_stats);
DEFINE_PER_CPU(u64, vtx_spec_last_vm);

static u8 *spec_l1d_buf;	/* VTX_SPEC_L1D_SW only */
static atomic64_t spec_vm_ids;

static int spec_param_readonly(const char *val, const struct kernel_param *kp)
{
	pr_err("%s is read-only (set verw=, l1d_flush=, ibpb= instead)\n", kp->name);
	return -EPERM;
}

static int spec_mitigations_get(char *buf, const struct kernel_param *kp)
{
	char desc[128];

	vtx_spec_describe(vtx_spec_mask, desc, sizeof(desc));
	return sysfs_emit(buf, "%s\n", desc);
}

static int spec_counts_get(char *buf, const struct kernel_param *kp)
{
	struct vtx_spec_stats sum = {};
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct vtx_spec_stats *s = per_cpu_ptr(&vtx_spec_stats, cpu);

		sum.verw += READ_ONCE(s->verw);
		sum.l1d_flush += READ_ONCE(s->l1d_flush);
		sum.ibpb += READ_ONCE(s->ibpb);
		sum.vm_switch += READ_ONCE(s->vm_switch);
	}
	return sysfs_emit(buf, "verw %llu l1d_flush %llu ibpb %llu vm_switch %llu\n",
			  sum.verw, sum.l1d_flush, sum.ibpb, sum.vm_switch);
}

static const struct kernel_param_ops spec_mitigations_ops = {
	.set = spec_param_readonly,
	.get = spec_mitigations_get,
};

static const struct kernel_param_ops spec_counts_ops = {
	.set = spec_param_readonly,
	.get = spec_counts_get,
};

module_param_cb(mitigations, &spec_mitigations_ops, NULL, 0444);
MODULE_PARM_DESC(mitigations, "read-only: the speculative-execution mitigations vtx applies");
module_param_cb(mitigation_counts, &spec_counts_ops, NULL, 0444);
MODULE_PARM_DESC(mitigation_counts, "read-only: how often each mitigation ran");

u64 vtx_spec_new_vm_id(void)
{
	return atomic64_inc_return(&spec_vm_ids);
}

/*
 * L1TF: a guest can read any line in L1D through a not-present guest PTE
 * (EPT does not stop it), so nothing of the host may be in L1D when it
 * runs. Done before every entry: KVM's default ("cond") skips it after
 * exits handled without running code that could pull secrets in; vtx
 * keeps the simple, always-correct policy (see README "CPU bugs").
 */
void vtx_spec_l1d_flush(void)
{
	unsigned int i;

	if (vtx_spec_mask & VTX_SPEC_L1D_MSR) {
		wrmsrl(MSR_IA32_FLUSH_CMD, L1D_FLUSH);
	} else {
		/*
		 * No IA32_FLUSH_CMD: evict by reading 64 KiB, KVM's way. The
		 * first pass loads the TLB entries, so that the second one, one
		 * load per line, replaces every line of L1D.
		 */
		for (i = 0; i < VTX_SPEC_L1D_SW_BYTES; i += PAGE_SIZE)
			(void)READ_ONCE(spec_l1d_buf[i]);
		sync_core();
		for (i = 0; i < VTX_SPEC_L1D_SW_BYTES; i += L1_CACHE_BYTES)
			(void)READ_ONCE(spec_l1d_buf[i]);
	}
	this_cpu_inc(vtx_spec_stats.l1d_flush);
}

int vtx_spec_init(void)
{
	const struct vtx_spec_host host = {
		.bug_l1tf = boot_cpu_has_bug(X86_BUG_L1TF),
		.bug_mds = boot_cpu_has_bug(X86_BUG_MDS),
		.bug_taa = boot_cpu_has_bug(X86_BUG_TAA),
		.bug_mmio = boot_cpu_has_bug(X86_BUG_MMIO_STALE_DATA),
		.bug_rfds = boot_cpu_has_bug(X86_BUG_RFDS),
		.bug_spectre_v2 = boot_cpu_has_bug(X86_BUG_SPECTRE_V2),
		.has_md_clear = boot_cpu_has(X86_FEATURE_MD_CLEAR),
		.has_flush_l1d = boot_cpu_has(X86_FEATURE_FLUSH_L1D),
		.has_ibpb = boot_cpu_has(X86_FEATURE_IBPB),
		.mitigations_off = cpu_mitigations_off(),
	};
	const char *bad = NULL;
	char desc[128];
	int mask;

	mask = vtx_spec_policy(&host, &spec_params, &bad);
	if (mask < 0) {
		pr_err("%s: must be -1 (as the CPU needs), 0 (off) or 1 (on)\n", bad);
		return mask;
	}
	if (mask & VTX_SPEC_L1D_SW) {
		spec_l1d_buf = (u8 *)__get_free_pages(GFP_KERNEL,
						      get_order(VTX_SPEC_L1D_SW_BYTES));
		if (!spec_l1d_buf)
			return -ENOMEM;
		/* Non-zero, so no page is ever shared with another (KVM does the same). */
		memset(spec_l1d_buf, 0x5a, VTX_SPEC_L1D_SW_BYTES);
	}
	vtx_spec_mask = mask;
	vtx_spec_describe(mask, desc, sizeof(desc));
	pr_info("mitigations: %s\n", desc);
	return 0;
}

void vtx_spec_exit(void)
{
	if (spec_l1d_buf)
		free_pages((unsigned long)spec_l1d_buf, get_order(VTX_SPEC_L1D_SW_BYTES));
	spec_l1d_buf = NULL;
}
