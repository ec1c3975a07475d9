// SPDX-License-Identifier: GPL-2.0
/*
 * The one ioctl table of vtx, for /dev/vtx, VM and vCPU fds alike.
 *
 * Each entry declares which fd kind takes the command and which locks it
 * needs; the generic code below checks the kind, the calling process,
 * copies the argument in and out by _IOC_DIR/_IOC_SIZE and takes the locks,
 * so a handler is only the operation itself. Adding an ioctl is one line
 * here plus its handler.
 */
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/uaccess.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/build_bug.h>
#include <linux/nospec.h>
#include "vtx.h"

#define VTX_IOC_DEV_LOCK	BIT(0)	/* the /dev/vtx open's lock */
#define VTX_IOC_VM_LOCK		BIT(1)	/* vm->lock (of the VM fd, or of the vCPU's VM) */
#define VTX_IOC_VCPU_LOCK	BIT(2)	/* vcpu->lock */
#define VTX_IOC_OWNER		BIT(3)	/* only from the mm that created the VM (-EIO) */

/* Every ioctl argument that is copied in or out; sized by the largest. */
union vtx_ioctl_arg {
	struct vtx_caps caps;
	struct vtx_memory_region region;
	struct vtx_regs regs;
	struct vtx_sregs sregs;
	struct vtx_irq_level irq_level;
	struct vtx_interrupt interrupt;
	struct vtx_exception exception;
	struct vtx_mp_state mp_state;
	struct vtx_ept_stats ept_stats;
};

typedef long (*vtx_ioctl_fn)(void *obj, void *argp, unsigned long arg);

struct vtx_ioctl_desc {
	unsigned int cmd;
	u8 kind;		/* enum vtx_fd_kind */
	u8 flags;		/* VTX_IOC_* */
	vtx_ioctl_fn fn;
};

/* Indexed by _IOC_NR; the build fails if an argument outgrows union vtx_ioctl_arg. */
#define VTX_IOCTL(_cmd, _kind, _flags, _fn)					\
	[_IOC_NR(_cmd)] = {							\
		.cmd = (_cmd) +							\
		       BUILD_BUG_ON_ZERO(_IOC_SIZE(_cmd) > sizeof(union vtx_ioctl_arg)), \
		.kind = (_kind), .flags = (_flags), .fn = (_fn),		\
	}

static const struct vtx_ioctl_desc vtx_ioctls[] = {
	/* /dev/vtx (dev.c) */
	VTX_IOCTL(VTX_GET_API_VERSION,	VTX_FD_DEV, 0, vtx_dev_get_api_version),
	VTX_IOCTL(VTX_GET_CAPS,		VTX_FD_DEV, 0, vtx_dev_get_caps),
	VTX_IOCTL(VTX_ENABLE_VMX,	VTX_FD_DEV, VTX_IOC_DEV_LOCK, vtx_dev_enable_vmx),
	VTX_IOCTL(VTX_DISABLE_VMX,	VTX_FD_DEV, VTX_IOC_DEV_LOCK, vtx_dev_disable_vmx),
	VTX_IOCTL(VTX_CREATE_VM,	VTX_FD_DEV, 0, vtx_dev_create_vm),
	/* VM fd (vm.c, vcpu.c) */
	VTX_IOCTL(VTX_SET_MEMORY_REGION, VTX_FD_VM, VTX_IOC_OWNER | VTX_IOC_VM_LOCK,
		  vtx_vm_set_memory_region),
	VTX_IOCTL(VTX_CREATE_VCPU,	VTX_FD_VM, VTX_IOC_OWNER | VTX_IOC_VM_LOCK,
		  vtx_vm_create_vcpu),
	/* the irqchip's own spinlock serialises it (kmod/irq/irqchip_legacy.c) */
	VTX_IOCTL(VTX_IRQ_LINE,		VTX_FD_VM, VTX_IOC_OWNER, vtx_vm_irq_line),
	/* atomic counters, no lock (kmod/ept/ept.c) */
	VTX_IOCTL(VTX_GET_EPT_STATS,	VTX_FD_VM, VTX_IOC_OWNER, vtx_vm_get_ept_stats),
	/* vCPU fd (vcpu.c); VTX_RUN takes vm->lock itself only on slow exits */
	VTX_IOCTL(VTX_RUN,		VTX_FD_VCPU, VTX_IOC_OWNER | VTX_IOC_VCPU_LOCK, vtx_vcpu_run),
	VTX_IOCTL(VTX_GET_REGS,		VTX_FD_VCPU, VTX_IOC_OWNER | VTX_IOC_VCPU_LOCK,
		  vtx_vcpu_get_regs),
	VTX_IOCTL(VTX_SET_REGS,		VTX_FD_VCPU, VTX_IOC_OWNER | VTX_IOC_VCPU_LOCK,
		  vtx_vcpu_set_regs),
	VTX_IOCTL(VTX_GET_SREGS,	VTX_FD_VCPU, VTX_IOC_OWNER | VTX_IOC_VCPU_LOCK,
		  vtx_vcpu_get_sregs),
	VTX_IOCTL(VTX_SET_SREGS,	VTX_FD_VCPU, VTX_IOC_OWNER | VTX_IOC_VCPU_LOCK,
		  vtx_vcpu_set_sregs),
	/*
	 * events (vcpu.c over kmod/vmx/events.c). VTX_INTERRUPT, VTX_NMI and VTX_KICK
	 * take no lock: they post atomically and kick, so they work during VTX_RUN.
	 */
	VTX_IOCTL(VTX_INTERRUPT,	VTX_FD_VCPU, VTX_IOC_OWNER, vtx_vcpu_interrupt),
	VTX_IOCTL(VTX_NMI,		VTX_FD_VCPU, VTX_IOC_OWNER, vtx_vcpu_nmi),
	VTX_IOCTL(VTX_INJECT_EXCEPTION,	VTX_FD_VCPU, VTX_IOC_OWNER | VTX_IOC_VCPU_LOCK,
		  vtx_vcpu_inject_exception),
	VTX_IOCTL(VTX_KICK,		VTX_FD_VCPU, VTX_IOC_OWNER, vtx_vcpu_kick),
	VTX_IOCTL(VTX_GET_MP_STATE,	VTX_FD_VCPU, VTX_IOC_OWNER | VTX_IOC_VCPU_LOCK,
		  vtx_vcpu_get_mp_state),
	VTX_IOCTL(VTX_SET_MP_STATE,	VTX_FD_VCPU, VTX_IOC_OWNER | VTX_IOC_VCPU_LOCK,
		  vtx_vcpu_set_mp_state),
};

static int vtx_fd_kind(struct file *file)
{
	if (file->f_op == &vtx_dev_fops)
		return VTX_FD_DEV;
	if (file->f_op == &vtx_vm_fops)
		return VTX_FD_VM;
	if (file->f_op == &vtx_vcpu_fops)
		return VTX_FD_VCPU;
	return -1;
}

/* The VM behind a VM or vCPU fd's object (the table never asks it of a dev fd). */
static struct vtx_vm *vtx_obj_vm(int kind, void *obj)
{
	return kind == VTX_FD_VCPU ? ((struct vtx_vcpu *)obj)->vm : obj;
}

/* The locks an entry needs, for the object of an fd of @kind. */
struct vtx_ioctl_locks {
	struct mutex *m[3];	/* one per VTX_IOC_*_LOCK flag */
};

static void vtx_ioctl_locks_of(const struct vtx_ioctl_desc *d, int kind, void *obj,
			       struct vtx_ioctl_locks *l)
{
	unsigned int n = 0;

	/* Taken in array order; the documented order is vcpu->lock -> vm->lock. */
	if (d->flags & VTX_IOC_DEV_LOCK)
		l->m[n++] = &((struct vtx_dev_file *)obj)->lock;
	if (d->flags & VTX_IOC_VCPU_LOCK)
		l->m[n++] = &((struct vtx_vcpu *)obj)->lock;
	if (d->flags & VTX_IOC_VM_LOCK)
		l->m[n++] = &vtx_obj_vm(kind, obj)->lock;
	while (n < ARRAY_SIZE(l->m))
		l->m[n++] = NULL;
}

static int vtx_ioctl_lock(struct vtx_ioctl_locks *l)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(l->m) && l->m[i]; i++) {
		if (mutex_lock_killable(l->m[i])) {
			while (i--)
				mutex_unlock(l->m[i]);
			return -EINTR;
		}
	}
	return 0;
}

static void vtx_ioctl_unlock(struct vtx_ioctl_locks *l)
{
	unsigned int i = ARRAY_SIZE(l->m);

	while (i--)
		if (l->m[i])
			mutex_unlock(l->m[i]);
}

long vtx_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	const struct vtx_ioctl_desc *d;
	union vtx_ioctl_arg buf;
	struct vtx_ioctl_locks locks;
	void __user *uarg = (void __user *)arg;
	void *obj = file->private_data;
	unsigned int size = _IOC_SIZE(cmd);
	int kind = vtx_fd_kind(file);
	long ret;

	if (_IOC_TYPE(cmd) != VTX_IOC_MAGIC || _IOC_NR(cmd) >= ARRAY_SIZE(vtx_ioctls))
		return -ENOTTY;
	d = &vtx_ioctls[array_index_nospec(_IOC_NR(cmd), ARRAY_SIZE(vtx_ioctls))];
	/* The full cmd must match: a wrong size or direction is another ioctl. */
	if (!d->fn || d->cmd != cmd || d->kind != kind)
		return -ENOTTY;

	if (_IOC_DIR(cmd) & _IOC_WRITE) {
		if (copy_from_user(&buf, uarg, size))
			return -EFAULT;
	} else if (_IOC_DIR(cmd) & _IOC_READ) {
		memset(&buf, 0, size);	/* never leak stack to userspace */
	}

	/* Like KVM: a VM and its vCPUs belong to the address space that created it. */
	if ((d->flags & VTX_IOC_OWNER) && current->mm != vtx_obj_vm(kind, obj)->mm)
		return -EIO;

	vtx_ioctl_locks_of(d, kind, obj, &locks);
	ret = vtx_ioctl_lock(&locks);
	if (ret)
		return ret;
	ret = d->fn(obj, _IOC_DIR(cmd) == _IOC_NONE ? NULL : &buf, arg);
	vtx_ioctl_unlock(&locks);

	if (ret >= 0 && (_IOC_DIR(cmd) & _IOC_READ) && copy_to_user(uarg, &buf, size))
		return -EFAULT;
	return ret;
}
