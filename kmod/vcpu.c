// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU objects: VTX_CREATE_VCPU on a VM fd returns a "vtx-vcpu" fd whose
 * offset 0 maps the shared run page (struct vtx_run) and whose ioctls run
 * the guest, move its registers and post events. The VT-x work is all in
 * kmod/vmx/, the interrupt controllers in kmod/irq/.
 *
 * Lifetime: a vCPU fd holds a VM reference, so the VM (and its EPT and the
 * VMX hold) outlives its vCPUs; the run page lives as long as the vCPU,
 * and an mmap of it holds the vCPU file.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/anon_inodes.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include "vtx.h"

void vtx_vcpu_request(struct vtx_vcpu *vcpu, unsigned int req)
{
	set_bit(req, &vcpu->requests);
	vmx_vcpu_kick(vcpu);
}

/* Take @vcpu out of vm->vcpus (vm->lock held): nothing walking it sees it any more. */
static void vcpu_unpublish(struct vtx_vcpu *vcpu)
{
	lockdep_assert_held(&vcpu->vm->lock);
	vcpu->vm->vcpus[vcpu->id] = NULL;
	vcpu->vm->nr_vcpus--;
}

/* Tear down a vCPU created in full, after vcpu_unpublish(). */
static void vcpu_destroy(struct vtx_vcpu *vcpu)
{
	/* No interrupt message can reach it now; its LAPIC timer stops here. */
	irqchip_vcpu_destroy(vcpu);
	/* VMCLEAR and friends need VMX on: the VM's vmx_get() is still held. */
	vmx_vcpu_destroy(vcpu);
	free_page((unsigned long)vcpu->run);
	mutex_destroy(&vcpu->lock);
	kfree(vcpu);
}

static int vcpu_release(struct inode *inode, struct file *file)
{
	struct vtx_vcpu *vcpu = file->private_data;
	struct vtx_vm *vm = vcpu->vm;

	/* Unpublish first so nothing walking vm->vcpus sees a half-destroyed vCPU. */
	mutex_lock(&vm->lock);
	vcpu_unpublish(vcpu);
	mutex_unlock(&vm->lock);
	vcpu_destroy(vcpu);
	vm_put(vm);
	return 0;
}

/* The run page is faulted in, not pre-inserted, so no VMA flag games are needed. */
static vm_fault_t vcpu_run_fault(struct vm_fault *vmf)
{
	struct vtx_vcpu *vcpu = vmf->vma->vm_file->private_data;

	if (vmf->pgoff != 0)
		return VM_FAULT_SIGBUS;
	vmf->page = virt_to_page(vcpu->run);
	get_page(vmf->page);
	return 0;
}

static const struct vm_operations_struct vcpu_vm_ops = {
	.fault = vcpu_run_fault,
};

/*
 * mmap offset 0, at most VTX_RUN_SIZE, MAP_SHARED: the run page. A private
 * mapping would copy the page on the first write and silently lose every
 * later exchange with the kernel, so it is refused.
 */
static int vcpu_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (vma->vm_pgoff != 0 || vma->vm_end - vma->vm_start > VTX_RUN_SIZE ||
	    !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	vma->vm_ops = &vcpu_vm_ops;
	return 0;
}

const struct file_operations vtx_vcpu_fops = {
	.owner		= THIS_MODULE,
	.release	= vcpu_release,
	.mmap		= vcpu_mmap,
	.unlocked_ioctl	= vtx_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

/* VTX_CREATE_VCPU(id) on a VM fd, under vm->lock, from the creator's mm. */
long vtx_vm_create_vcpu(void *obj, void *argp, unsigned long arg)
{
	struct vtx_vm *vm = obj;
	struct vtx_vcpu *vcpu;
	int err, fd;

	if (arg >= VTX_MAX_VCPUS)
		return -EINVAL;
	arg = array_index_nospec(arg, VTX_MAX_VCPUS);
	if (vm->vcpus[arg])
		return -EEXIST;

	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return -ENOMEM;
	vcpu->vm = vm;
	vcpu->id = arg;
	mutex_init(&vcpu->lock);
	vcpu->run = (struct vtx_run *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!vcpu->run) {
		err = -ENOMEM;
		goto err_free;
	}
	err = vmx_vcpu_create(vcpu);	/* undoes its own partial work */
	if (err)
		goto err_run;
	/* After the VT-x state: from here on IPIs may kick this vCPU. */
	err = irqchip_vcpu_init(vcpu);
	if (err)
		goto err_vmx;

	/*
	 * Publish before the fd exists: once installed, another thread may close
	 * it, and vcpu_release() then waits for vm->lock, which we hold.
	 */
	vm_get(vm);
	vm->vcpus[vcpu->id] = vcpu;
	vm->nr_vcpus++;
	fd = anon_inode_getfd("vtx-vcpu", &vtx_vcpu_fops, vcpu, O_RDWR | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	vcpu_unpublish(vcpu);
	vcpu_destroy(vcpu);
	vm_put(vm);	/* not the last: the VM fd in use holds one */
	return fd;

err_vmx:
	vmx_vcpu_destroy(vcpu);
err_run:
	free_page((unsigned long)vcpu->run);
err_free:
	mutex_destroy(&vcpu->lock);
	kfree(vcpu);
	return err;
}

/* vCPU fd ioctls, under vcpu->lock, from the creator's mm. */
long vtx_vcpu_run(void *obj, void *argp, unsigned long arg)
{
	if (arg)
		return -EINVAL;
	return vmx_vcpu_run(obj);
}

long vtx_vcpu_get_regs(void *obj, void *argp, unsigned long arg)
{
	return vmx_get_regs(obj, argp);
}

long vtx_vcpu_set_regs(void *obj, void *argp, unsigned long arg)
{
	return vmx_set_regs(obj, argp);
}

long vtx_vcpu_get_sregs(void *obj, void *argp, unsigned long arg)
{
	return vmx_get_sregs(obj, argp);
}

long vtx_vcpu_set_sregs(void *obj, void *argp, unsigned long arg)
{
	return vmx_set_sregs(obj, argp);
}

/* VTX_INTERRUPT, VTX_NMI, VTX_KICK: no vCPU lock, so they work during VTX_RUN. */
long vtx_vcpu_interrupt(void *obj, void *argp, unsigned long arg)
{
	const struct vtx_interrupt *irq = argp;
	int err;

	if (irq->padding)
		return -EINVAL;
	err = vmx_post_interrupt(obj, irq->vector);
	if (!err)
		vtx_vcpu_request(obj, VTX_REQ_EVENT);
	return err;
}

long vtx_vcpu_nmi(void *obj, void *argp, unsigned long arg)
{
	vmx_post_nmi(obj);
	vtx_vcpu_request(obj, VTX_REQ_EVENT);
	return 0;
}

long vtx_vcpu_kick(void *obj, void *argp, unsigned long arg)
{
	vtx_vcpu_request(obj, VTX_REQ_KICK);
	return 0;
}

long vtx_vcpu_inject_exception(void *obj, void *argp, unsigned long arg)
{
	const struct vtx_exception *e = argp;

	if (e->padding)
		return -EINVAL;
	return vmx_queue_exception(obj, e);
}

long vtx_vcpu_get_mp_state(void *obj, void *argp, unsigned long arg)
{
	struct vtx_vcpu *vcpu = obj;
	struct vtx_mp_state *mp = argp;

	mp->state = READ_ONCE(vcpu->mp_state);
	mp->sipi_vector = READ_ONCE(vcpu->sipi_vector);
	return 0;
}

/*
 * Userspace may start an AP itself (RUNNABLE with its own registers), put
 * a vCPU back in wait-for-SIPI, or restore a HALTED state.
 */
long vtx_vcpu_set_mp_state(void *obj, void *argp, unsigned long arg)
{
	struct vtx_vcpu *vcpu = obj;
	const struct vtx_mp_state *mp = argp;

	if (mp->state > VTX_MP_HALTED || mp->sipi_vector > 0xff)
		return -EINVAL;
	WRITE_ONCE(vcpu->sipi_vector, mp->sipi_vector);
	WRITE_ONCE(vcpu->mp_state, mp->state);
	return 0;
}
