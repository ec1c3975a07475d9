// SPDX-License-Identifier: GPL-2.0
/*
 * Load-time probe: is VT-x there, did the firmware allow it, and does it have
 * every feature vtx needs? The capability MSRs are read once into
 * vtx_host_caps; everything else in vtx asks the decoded feature bits.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/smp.h>
#include <linux/cpumask.h>
#include <linux/atomic.h>
#include <linux/slab.h>
#include <asm/processor.h>
#include <asm/msr.h>
#include "vtx.h"
#include "vmx/caps.h"

struct vtx_caps vtx_host_caps;

#define CPUID1_ECX_VMX		BIT(5)	/* SDM 23.6 "Discovering support for VMX" */

/* Outcome of fixing IA32_FEATURE_CONTROL on one CPU, collected from all CPUs. */
struct feat_ctl_result {
	atomic_t disabled;	/* CPUs whose firmware locked VMX off */
	atomic_t failed;	/* CPUs where the MSR could not be read or written */
	u64 bad_value;		/* the offending value, for the log */
};

/*
 * SDM 23.7 "Enabling and entering VMX operation": VMXON #GPs unless
 * IA32_FEATURE_CONTROL is locked with "VMXON outside SMX" set. Firmware
 * normally does it and Linux locks it at boot (init_ia32_feat_ctl); if it is
 * still unlocked, lock it ourselves as KVM does. Runs on the CPU to check.
 */
int vmx_feature_control_enable(u64 *value)
{
	u64 fc;

	if (rdmsrl_safe(MSR_IA32_FEAT_CTL, &fc))
		return -EIO;
	if (!(fc & FEAT_CTL_LOCKED)) {
		fc |= FEAT_CTL_LOCKED | FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX;
		if (wrmsrl_safe(MSR_IA32_FEAT_CTL, fc))
			return -EIO;
	}
	*value = fc;
	if (!(fc & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX))
		return -EPERM;
	return 0;
}

static void probe_feature_control_cpu(void *data)
{
	struct feat_ctl_result *res = data;
	u64 fc = 0;
	int err = vmx_feature_control_enable(&fc);

	if (err == -EPERM) {
		atomic_inc(&res->disabled);
		res->bad_value = fc;
	} else if (err) {
		atomic_inc(&res->failed);
	}
}

static int probe_rdmsr(u32 index, u64 *value)
{
	return rdmsrl_safe(index, value);
}

static void probe_log_missing(u64 missing)
{
	size_t len = vmx_caps_names(missing, NULL, 0) + 1;
	char *names = kmalloc(len, GFP_KERNEL);

	/* The mask alone still says it all if the names cannot be allocated. */
	if (names)
		vmx_caps_names(missing, names, len);
	pr_err("this CPU lacks VMX features vtx needs (mask %#llx): %s\n", missing,
	       names ?: "?");
	kfree(names);
}

int vmx_probe(void)
{
	struct vtx_caps *caps = &vtx_host_caps;
	struct feat_ctl_result res = {};
	u64 missing;

	memset(caps, 0, sizeof(*caps));
	caps->api_version = VTX_API_VERSION;

	if (boot_cpu_data.x86_vendor != X86_VENDOR_INTEL &&
	    boot_cpu_data.x86_vendor != X86_VENDOR_CENTAUR &&
	    boot_cpu_data.x86_vendor != X86_VENDOR_ZHAOXIN) {
		pr_err("not an Intel VT-x CPU\n");
		return -ENODEV;
	}
	if (!(cpuid_ecx(1) & CPUID1_ECX_VMX)) {
		pr_err("CPU has no VMX (CPUID.1:ECX.VMX[bit 5] = 0)\n");
		return -ENODEV;
	}

	on_each_cpu(probe_feature_control_cpu, &res, 1);
	if (atomic_read(&res.disabled)) {
		pr_err("VMX disabled by firmware (IA32_FEATURE_CONTROL=%#llx) on %d CPU(s): enable VT-x in the BIOS setup\n",
		       res.bad_value, atomic_read(&res.disabled));
		return -ENODEV;
	}
	if (atomic_read(&res.failed)) {
		pr_err("cannot read or lock IA32_FEATURE_CONTROL on %d CPU(s)\n",
		       atomic_read(&res.failed));
		return -ENODEV;
	}
	rdmsrl_safe(MSR_IA32_FEAT_CTL, &caps->feature_control);

	vmx_caps_read(caps->vmx_msr, probe_rdmsr);
	caps->vmcs_revision = caps->vmx_msr[VMX_MSR_BASIC] & VTX_BASIC_REVISION_MASK;
	caps->features = vmx_caps_decode(caps->vmx_msr);

	missing = VTX_FEAT_REQUIRED & ~caps->features;
	if (missing) {
		probe_log_missing(missing);
		return -EOPNOTSUPP;
	}
	/* SDM A.1: VMXON/VMCS regions are at most 4 KiB; vtx allocates one page each. */
	if (VTX_BASIC_REGION_SIZE(caps->vmx_msr[VMX_MSR_BASIC]) > PAGE_SIZE) {
		pr_err("VMCS region size %llu > %lu is not supported\n",
		       VTX_BASIC_REGION_SIZE(caps->vmx_msr[VMX_MSR_BASIC]), PAGE_SIZE);
		return -EOPNOTSUPP;
	}
	pr_info("VMX revision %#x, features %#llx\n", caps->vmcs_revision, caps->features);
	return 0;
}
