// SPDX-License-Identifier: GPL-2.0
/*
 * VM objects: creation (VTX_CREATE_VM), guest memory slots
 * (VTX_SET_MEMORY_REGION), the VM fd's other ioctls and guest-memory access
 * for the exit handlers.
 *
 * Locking: vm->lock protects the slots, the vCPU table and EPT changes.
 * A running vCPU holds no VM lock; every exit path that looks at slots (EPT
 * violations, vm_read_guest/vm_write_guest) takes vm->lock for the lookup,
 * so a slot change never races with one, and drops it before touching user
 * memory: nothing sleeps on a user fault under vm->lock (kmod/ept/ept.c). None of this is on the hot CPUID/IO
 * exit path, so a mutex is simpler than RCU and costs nothing measurable.
 * Lock order: vcpu->lock -> vm->lock -> mmap_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/anon_inodes.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/uaccess.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include "vtx.h"
#include "vmx/spec.h"

/* Guest-physical addresses vtx maps: 4-level EPT covers 48 bits (SDM 28.3.2). */
#define VTX_GPA_LIMIT		(1ULL << 48)

static void vm_free(struct vtx_vm *vm)
{
	/* No vCPU is left: stops the PIT timer before the VM memory goes. */
	irqchip_vm_destroy(vm);
	/* INVEPT in ept_destroy() needs VMX on, so before vmx_put() (ept.h). */
	ept_destroy(&vm->ept);
	vmx_put();
	mmdrop(vm->mm);
	mutex_destroy(&vm->lock);
	kfree(vm);
}

void vm_get(struct vtx_vm *vm)
{
	refcount_inc(&vm->refs);
}

void vm_put(struct vtx_vm *vm)
{
	if (refcount_dec_and_test(&vm->refs))
		vm_free(vm);
}

/* vCPUs hold their own references, so the VM fd going away frees only when they are gone. */
static int vm_release(struct inode *inode, struct file *file)
{
	vm_put(file->private_data);
	return 0;
}

const struct file_operations vtx_vm_fops = {
	.owner		= THIS_MODULE,
	.release	= vm_release,
	.unlocked_ioctl	= vtx_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

/* VTX_CREATE_VM on /dev/vtx: returns the new VM fd. */
long vtx_dev_create_vm(void *obj, void *argp, unsigned long arg)
{
	struct vtx_vm *vm;
	int err, fd;

	if (arg)
		return -EINVAL;	/* no VM types yet */
	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return -ENOMEM;
	refcount_set(&vm->refs, 1);
	mutex_init(&vm->lock);
	vm->id = vtx_spec_new_vm_id();

	err = vmx_get();
	if (err)
		goto err_free;
	err = ept_init(&vm->ept);
	if (err)
		goto err_vmx;
	err = irqchip_vm_init(vm);
	if (err)
		goto err_ept;
	/* Pin the mm_struct (not the address space) so its address stays unique. */
	vm->mm = current->mm;
	mmgrab(vm->mm);
	vm->ept.mm = vm->mm;

	fd = anon_inode_getfd("vtx-vm", &vtx_vm_fops, vm, O_RDWR | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	vm_free(vm);
	return fd;

err_ept:
	ept_destroy(&vm->ept);
err_vmx:
	vmx_put();
err_free:
	mutex_destroy(&vm->lock);
	kfree(vm);
	return err;
}

/* Caller holds vm->lock. */
struct vtx_memslot *vm_find_slot(struct vtx_vm *vm, u64 gpa)
{
	unsigned int i;

	lockdep_assert_held(&vm->lock);
	for (i = 0; i < VTX_MAX_MEM_SLOTS; i++) {
		struct vtx_memslot *s = &vm->slots[i];

		if (s->size && gpa >= s->gpa && gpa - s->gpa < s->size)
			return s;
	}
	return NULL;
}

static int vm_check_region(struct vtx_vm *vm, const struct vtx_memory_region *r)
{
	unsigned int i;

	if (r->flags & ~VTX_MEM_READONLY)
		return -EINVAL;
	if (!PAGE_ALIGNED(r->guest_phys_addr) || !PAGE_ALIGNED(r->memory_size) ||
	    !PAGE_ALIGNED(r->userspace_addr))
		return -EINVAL;
	/* gpa + size must not wrap and must stay below MAXPHYADDR of the EPT walk. */
	if (r->guest_phys_addr >= VTX_GPA_LIMIT ||
	    r->memory_size > VTX_GPA_LIMIT - r->guest_phys_addr)
		return -EINVAL;
	if (r->userspace_addr + r->memory_size < r->userspace_addr ||
	    !access_ok((void __user *)(unsigned long)r->userspace_addr, r->memory_size))
		return -EFAULT;

	for (i = 0; i < VTX_MAX_MEM_SLOTS; i++) {
		const struct vtx_memslot *s = &vm->slots[i];

		if (i == r->slot || !s->size)
			continue;
		if (r->guest_phys_addr < s->gpa + s->size &&
		    s->gpa < r->guest_phys_addr + r->memory_size)
			return -EEXIST;
	}
	return 0;
}

/*
 * VTX_SET_MEMORY_REGION (VM fd, under vm->lock, from the creator's mm).
 * Size 0 deletes the slot; a used slot number replaces the slot. The old
 * range is unmapped from EPT in the same critical section (ept.h), so no
 * vCPU can keep using the old backing.
 */
long vtx_vm_set_memory_region(void *obj, void *argp, unsigned long arg)
{
	struct vtx_vm *vm = obj;
	const struct vtx_memory_region *r = argp;
	struct vtx_memslot *slot;
	int err;

	if (r->slot >= VTX_MAX_MEM_SLOTS)
		return -EINVAL;
	slot = &vm->slots[r->slot];

	if (!r->memory_size) {
		if (r->flags)
			return -EINVAL;
		if (slot->size)
			ept_unmap_range(vm, slot->gpa, slot->size);
		memset(slot, 0, sizeof(*slot));
		return 0;
	}

	err = vm_check_region(vm, r);
	if (err)
		return err;
	if (slot->size)
		ept_unmap_range(vm, slot->gpa, slot->size);
	slot->gpa = r->guest_phys_addr;
	slot->size = r->memory_size;
	slot->uaddr = r->userspace_addr;
	slot->flags = r->flags;
	return 0;
}

/* VTX_IRQ_LINE on a VM fd: no vm->lock, the irqchip lock serialises it. */
long vtx_vm_irq_line(void *obj, void *argp, unsigned long arg)
{
	const struct vtx_irq_level *l = argp;

	if (l->level > 1)
		return -EINVAL;
	return irqchip_set_irq(obj, l->irq, l->level);
}

/* VTX_GET_EPT_STATS: atomic counters, no lock; the ioctl code zeroed *argp. */
long vtx_vm_get_ept_stats(void *obj, void *argp, unsigned long arg)
{
	struct vtx_vm *vm = obj;

	ept_get_stats(&vm->ept, argp);
	return 0;
}

/*
 * Copy between guest-physical memory and @buf through the slots' user
 * mappings; the range may cross slots. -EFAULT if any byte is not guest RAM
 * (or, for a write, is read-only RAM: ROM is not writable by emulation
 * either), -EIO from a process other than the VM's creator. vm->lock covers
 * only the slot lookup, never the copy: a user fault may sleep without
 * bound (userfaultfd). A slot changing during the copy is harmless: the
 * copy then acts on the caller's own memory as if it ran just before the
 * change. Call without vm->lock, from the vCPU thread.
 */
static int vm_access_guest(struct vtx_vm *vm, u64 gpa, void *buf, size_t len, bool write)
{
	if (current->mm != vm->mm)
		return -EIO;
	while (len) {
		const struct vtx_memslot *s;
		void __user *u = NULL;
		size_t n = 0;

		if (mutex_lock_killable(&vm->lock))
			return -EINTR;
		s = vm_find_slot(vm, gpa);
		if (s && !(write && (s->flags & VTX_MEM_READONLY))) {
			n = min_t(u64, len, s->gpa + s->size - gpa);
			u = (void __user *)(unsigned long)(s->uaddr + (gpa - s->gpa));
		}
		mutex_unlock(&vm->lock);
		if (!u || (write ? copy_to_user(u, buf, n) : copy_from_user(buf, u, n)))
			return -EFAULT;
		gpa += n;
		buf += n;
		len -= n;
	}
	return 0;
}

int vm_read_guest(struct vtx_vm *vm, u64 gpa, void *buf, size_t len)
{
	return vm_access_guest(vm, gpa, buf, len, false);
}

int vm_write_guest(struct vtx_vm *vm, u64 gpa, const void *buf, size_t len)
{
	return vm_access_guest(vm, gpa, (void *)buf, len, true);
}
