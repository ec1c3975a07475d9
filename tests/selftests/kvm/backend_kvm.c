// SPDX-License-Identifier: GPL-2.0
/*
 * lib/backend.h on /dev/kvm, for checking the selftest library and the
 * tests' expectations on a development host that has KVM (`make
 * selftests-kvm`). Not part of the test machine. vtx_regs/vtx_segment/
 * vtx_dtable have KVM's layouts and vtx_sregs is a prefix of kvm_sregs, so
 * state copies straight; exits are translated into a private vtx_run page
 * (and data for IN / MMIO reads copied back before the next KVM_RUN).
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "backend.h"
#include "vm.h"
#include "vtx_util.h"

_Static_assert(sizeof(struct kvm_regs) == sizeof(struct vtx_regs), "regs layout");
_Static_assert(sizeof(struct kvm_segment) == sizeof(struct vtx_segment), "segment layout");
_Static_assert(__builtin_offsetof(struct kvm_sregs, interrupt_bitmap) ==
	       sizeof(struct vtx_sregs), "sregs prefix");

struct kvm_vcpu_priv {
	struct kvm_run *krun;
	size_t krun_size;
	struct vtx_run *vrun;
};

const char *backend_name(void)
{
	return "kvm";
}

int backend_create_vm(struct test_vm *vm)
{
	vm->dev_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->dev_fd < 0)
		ksft_exit_skip("/dev/kvm: %s", strerror(errno));
	vm->fd = ioctl(vm->dev_fd, KVM_CREATE_VM, 0);
	if (vm->fd < 0)
		return -1;
	/* needed on Intel hosts without unrestricted guest; harmless otherwise */
	ioctl(vm->fd, KVM_SET_TSS_ADDR, 0xfffbd000ul);
	return 0;
}

void backend_free_vm(struct test_vm *vm)
{
	close(vm->fd);
	close(vm->dev_fd);
}

int backend_set_region(struct test_vm *vm, const struct vtx_memory_region *r)
{
	struct kvm_userspace_memory_region k = {
		.slot = r->slot,
		.flags = (r->flags & VTX_MEM_READONLY ? KVM_MEM_READONLY : 0) |
			 (r->flags & ~VTX_MEM_READONLY ? 1u << 31 : 0),
		.guest_phys_addr = r->guest_phys_addr,
		.memory_size = r->memory_size,
		.userspace_addr = r->userspace_addr,
	};

	return ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &k);
}

static int kvm_set_cpuid(struct test_vcpu *vcpu)
{
	int n = 100, ret, i;
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));

	if (!c)
		return -1;
	c->nent = n;
	ret = ioctl(vcpu->vm->dev_fd, KVM_GET_SUPPORTED_CPUID, c);
	if (!ret) {
		/* per-vCPU APIC IDs, as a VMM does */
		for (i = 0; i < (int)c->nent; i++) {
			if (c->entries[i].function == 1)
				c->entries[i].ebx = (c->entries[i].ebx & 0x00ffffff) |
						    vcpu->id << 24;
			if (c->entries[i].function == 0xb || c->entries[i].function == 0x1f)
				c->entries[i].edx = vcpu->id;
		}
		ret = ioctl(vcpu->fd, KVM_SET_CPUID2, c);
	}
	free(c);
	return ret;
}

int backend_create_vcpu(struct test_vcpu *vcpu)
{
	struct kvm_vcpu_priv *p = calloc(1, sizeof(*p));
	long size;

	if (!p)
		return -1;
	vcpu->fd = ioctl(vcpu->vm->fd, KVM_CREATE_VCPU, (unsigned long)vcpu->id);
	if (vcpu->fd < 0)
		return -1;
	size = ioctl(vcpu->vm->dev_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size <= 0)
		return -1;
	p->krun_size = size;
	p->krun = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu->fd, 0);
	p->vrun = aligned_alloc(4096, VTX_RUN_SIZE);
	if (p->krun == MAP_FAILED || !p->vrun)
		return -1;
	memset(p->vrun, 0, VTX_RUN_SIZE);
	vcpu->run = p->vrun;
	vcpu->backend = p;
	return kvm_set_cpuid(vcpu);
}

void backend_free_vcpu(struct test_vcpu *vcpu)
{
	struct kvm_vcpu_priv *p = vcpu->backend;

	munmap(p->krun, p->krun_size);
	free(p->vrun);
	free(p);
	close(vcpu->fd);
}

/* Data the host left for an IN or an MMIO read goes to KVM's run page. */
static void kvm_complete_exit(struct kvm_vcpu_priv *p)
{
	struct kvm_run *k = p->krun;
	struct vtx_run *v = p->vrun;

	if (k->exit_reason == KVM_EXIT_IO && k->io.direction == KVM_EXIT_IO_IN)
		memcpy((uint8_t *)k + k->io.data_offset, (uint8_t *)v + VTX_RUN_IO_DATA_OFFSET,
		       k->io.count * k->io.size);
	else if (k->exit_reason == KVM_EXIT_MMIO && !k->mmio.is_write)
		memcpy(k->mmio.data, v->mmio.data, k->mmio.len);
}

static void kvm_translate_exit(struct test_vcpu *vcpu, struct kvm_vcpu_priv *p)
{
	struct kvm_run *k = p->krun;
	struct vtx_run *v = p->vrun;
	struct kvm_regs regs;

	memset(v, 0, sizeof(*v));
	v->hw_exit_reason = k->exit_reason;
	if (!ioctl(vcpu->fd, KVM_GET_REGS, &regs))
		v->guest_rip = regs.rip;
	switch (k->exit_reason) {
	case KVM_EXIT_IO:
		v->exit_reason = VTX_EXIT_IO;
		v->io.direction = k->io.direction;
		v->io.size = k->io.size;
		v->io.port = k->io.port;
		v->io.count = k->io.count;
		v->io.data_offset = VTX_RUN_IO_DATA_OFFSET;
		if (k->io.direction == KVM_EXIT_IO_OUT)
			memcpy((uint8_t *)v + VTX_RUN_IO_DATA_OFFSET,
			       (uint8_t *)k + k->io.data_offset, k->io.count * k->io.size);
		break;
	case KVM_EXIT_MMIO:
		v->exit_reason = VTX_EXIT_MMIO;
		v->mmio.gpa = k->mmio.phys_addr;
		v->mmio.len = k->mmio.len;
		v->mmio.is_write = k->mmio.is_write;
		if (k->mmio.is_write)
			memcpy(v->mmio.data, k->mmio.data, k->mmio.len);
		break;
	case KVM_EXIT_HLT:
		v->exit_reason = VTX_EXIT_HLT;
		break;
	case KVM_EXIT_SHUTDOWN:
		v->exit_reason = VTX_EXIT_SHUTDOWN;
		break;
	case KVM_EXIT_FAIL_ENTRY:
		v->exit_reason = VTX_EXIT_FAIL_ENTRY;
		v->fail_entry.hardware_entry_failure_reason =
			k->fail_entry.hardware_entry_failure_reason;
		break;
	case KVM_EXIT_INTR:
		v->exit_reason = VTX_EXIT_INTR;
		break;
	default:
		v->exit_reason = VTX_EXIT_INTERNAL_ERROR;
		v->internal.suberror = k->exit_reason == KVM_EXIT_INTERNAL_ERROR ?
				       k->internal.suberror : 0;
		v->internal.data[0] = k->exit_reason;
		break;
	}
}

int backend_run(struct test_vcpu *vcpu)
{
	struct kvm_vcpu_priv *p = vcpu->backend;
	int ret, err;

	kvm_complete_exit(p);
	ret = ioctl(vcpu->fd, KVM_RUN, 0);
	err = errno;
	if (ret == 0 || err == EINTR)
		kvm_translate_exit(vcpu, p);
	if (ret && err == EINTR)
		p->vrun->exit_reason = VTX_EXIT_INTR;
	errno = err;
	return ret;
}

int backend_get_regs(struct test_vcpu *vcpu, struct vtx_regs *regs)
{
	return ioctl(vcpu->fd, KVM_GET_REGS, regs);
}

int backend_set_regs(struct test_vcpu *vcpu, const struct vtx_regs *regs)
{
	return ioctl(vcpu->fd, KVM_SET_REGS, regs);
}

int backend_get_sregs(struct test_vcpu *vcpu, struct vtx_sregs *sregs)
{
	struct kvm_sregs k;
	int ret = ioctl(vcpu->fd, KVM_GET_SREGS, &k);

	if (!ret)
		memcpy(sregs, &k, sizeof(*sregs));
	return ret;
}

int backend_set_sregs(struct test_vcpu *vcpu, const struct vtx_sregs *sregs)
{
	struct kvm_sregs k;
	int ret = ioctl(vcpu->fd, KVM_GET_SREGS, &k);

	if (ret)
		return ret;
	memcpy(&k, sregs, sizeof(*sregs));
	return ioctl(vcpu->fd, KVM_SET_SREGS, &k);
}
