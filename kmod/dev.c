// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/vtx: the misc device and the ioctls on it (API version, capabilities,
 * holding VMX on). Creating VMs is in vm.c; dispatch is in ioctl.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/cred.h>
#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/sysfs.h>
#include "vtx.h"

/*
 * Who may open /dev/vtx: root (CAP_SYS_ADMIN), or members of the "group"
 * module parameter. The node itself is 0600 (0660 with a group); devtmpfs
 * creates it root-owned, so give it the group with a udev rule
 * (KERNEL=="vtx", GROUP="<name>") or chgrp. Checking here as well means a
 * wrong node mode can never widen access.
 */
static int vtx_dev_open(struct inode *inode, struct file *file)
{
	struct vtx_dev_file *df;

	if (!capable(CAP_SYS_ADMIN) &&
	    !(vtx_group >= 0 && in_group_p(KGIDT_INIT(vtx_group))))
		return -EPERM;

	df = kzalloc(sizeof(*df), GFP_KERNEL_ACCOUNT);
	if (!df)
		return -ENOMEM;
	mutex_init(&df->lock);
	file->private_data = df;	/* replaces the miscdevice pointer misc_open set */
	return nonseekable_open(inode, file);
}

static int vtx_dev_release(struct inode *inode, struct file *file)
{
	struct vtx_dev_file *df = file->private_data;

	if (df->vmx_held)
		vmx_put();
	mutex_destroy(&df->lock);
	kfree(df);
	return 0;
}

const struct file_operations vtx_dev_fops = {
	.owner		= THIS_MODULE,
	.open		= vtx_dev_open,
	.release	= vtx_dev_release,
	.unlocked_ioctl	= vtx_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

/*
 * /sys/class/misc/vtx/pinned_pages (0444): 4 KiB guest pages all VMs have
 * pinned now. Readable without a VM, so leak checks can compare it before
 * and after (it must return to its start value once every VM is gone).
 */
static ssize_t pinned_pages_show(struct device *dev, struct device_attribute *attr,
				 char *buf)
{
	return sysfs_emit(buf, "%lld\n", ept_pinned_pages_total());
}
static DEVICE_ATTR_RO(pinned_pages);

static struct attribute *vtx_dev_attrs[] = {
	&dev_attr_pinned_pages.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vtx_dev);

static struct miscdevice vtx_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "vtx",
	.fops	= &vtx_dev_fops,
	.mode	= 0600,
	.groups	= vtx_dev_groups,
};

long vtx_dev_get_api_version(void *obj, void *argp, unsigned long arg)
{
	return VTX_API_VERSION;
}

long vtx_dev_get_caps(void *obj, void *argp, unsigned long arg)
{
	struct vtx_caps *caps = argp;

	*caps = vtx_host_caps;
	caps->online_cpus = num_online_cpus();
	caps->vmx_on_cpus = vmx_on_cpus();
	caps->users = vmx_users();
	caps->flags = caps->vmx_on_cpus ? VTX_CAPS_VMX_ON : 0;
	return 0;
}

/* Runs under df->lock (VTX_IOC_DEV_LOCK). A second enable on one fd is a no-op. */
long vtx_dev_enable_vmx(void *obj, void *argp, unsigned long arg)
{
	struct vtx_dev_file *df = obj;
	int err;

	if (df->vmx_held)
		return 0;
	err = vmx_get();
	if (err)
		return err;
	df->vmx_held = true;
	return 0;
}

/* Releases this fd's hold; without one it is a no-op, like a second enable. */
long vtx_dev_disable_vmx(void *obj, void *argp, unsigned long arg)
{
	struct vtx_dev_file *df = obj;

	if (df->vmx_held) {
		df->vmx_held = false;
		vmx_put();
	}
	return 0;
}

int vtx_dev_init(void)
{
	int err;

	if (vtx_group >= 0)
		vtx_misc.mode = 0660;
	err = misc_register(&vtx_misc);
	if (err)
		pr_err("cannot register /dev/vtx: %d\n", err);
	return err;
}

void vtx_dev_exit(void)
{
	misc_deregister(&vtx_misc);
}
