// SPDX-License-Identifier: GPL-2.0
/*
 * vtx.ko: a small VT-x hypervisor driver. Load probes the CPU's VMX
 * capabilities (vmx/probe.c) and registers /dev/vtx (dev.c); VMX itself is
 * switched on only while a VM or a VTX_ENABLE_VMX fd needs it (vmx/vmxon.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include "vtx.h"
#include "vmx/spec.h"

int vtx_group = -1;
module_param_named(group, vtx_group, int, 0444);
MODULE_PARM_DESC(group, "gid whose members may open /dev/vtx (node mode 0660); default -1: root only (0600)");

static int __init vtx_init(void)
{
	int err;

	if (vtx_group < -1) {
		pr_err("group=%d is not a gid\n", vtx_group);
		return -EINVAL;
	}
	err = vmx_probe();
	if (err)
		return err;
	err = vtx_spec_init();
	if (err)
		return err;
	err = vmx_shutdown_init();
	if (err)
		goto err_spec;
	err = vtx_dev_init();
	if (err)
		goto err_shutdown;
	return 0;

err_shutdown:
	vmx_shutdown_exit();
err_spec:
	vtx_spec_exit();
	return err;
}

/*
 * Every VM and /dev/vtx fd pins the module (fops owner), so at unload no
 * user holds VMX and nothing is left to free.
 */
static void __exit vtx_exit(void)
{
	vtx_dev_exit();
	vmx_shutdown_exit();
	vtx_spec_exit();
	WARN_ON(vmx_users());
}

module_init(vtx_init);
module_exit(vtx_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vtx: Intel VT-x hypervisor driver (/dev/vtx)");
MODULE_AUTHOR("vtx project");
