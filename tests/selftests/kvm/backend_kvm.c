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
	int pending_irq;	/* VTX_INTERRUPT emulation: vector or -1 */
};

/*
 * vtx always has its in-kernel irqchip and also takes VTX_INTERRUPT; KVM
 * does one or the other. VTX_KVM_IRQCHIP=1 in the environment selects
 * KVM_CREATE_IRQCHIP (LAPIC/IOAPIC/PIC tests); without it VTX_INTERRUPT is
 * KVM_INTERRUPT plus interrupt-window requests (inject tests).
 */
static bool kvm_irqchip(void)
{
	const char *e = getenv("VTX_KVM_IRQCHIP");

	return e && *e == '1';
}

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
	if (kvm_irqchip())
		return ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0);
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
	p->pending_irq = -1;
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

	for (;;) {
		struct kvm_run *k = p->krun;

		kvm_complete_exit(p);
		k->request_interrupt_window = 0;
		if (p->pending_irq >= 0 && k->ready_for_interrupt_injection && k->if_flag) {
			struct kvm_interrupt irq = { .irq = p->pending_irq };

			if (ioctl(vcpu->fd, KVM_INTERRUPT, &irq))
				return -1;
			p->pending_irq = -1;
		} else if (p->pending_irq >= 0) {
			k->request_interrupt_window = 1;
		}
		ret = ioctl(vcpu->fd, KVM_RUN, 0);
		err = errno;
		/* KVM returns EAGAIN to an AP woken by INIT; vtx sleeps on until SIPI */
		if (ret && err == EAGAIN)
			continue;
		if (ret || k->exit_reason != KVM_EXIT_IRQ_WINDOW_OPEN)
			break;
	}
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

int backend_interrupt(struct test_vcpu *vcpu, uint32_t vector)
{
	struct kvm_vcpu_priv *p = vcpu->backend;

	if (vector < 16 || vector > 255) {
		errno = EINVAL;
		return -1;
	}
	if (p->pending_irq >= 0) {
		errno = EBUSY;
		return -1;
	}
	p->pending_irq = vector;
	return 0;
}

int backend_nmi(struct test_vcpu *vcpu)
{
	return ioctl(vcpu->fd, KVM_NMI, 0);
}

int backend_inject_exception(struct test_vcpu *vcpu, const struct vtx_exception *ex)
{
	struct kvm_vcpu_events ev;

	if (ex->vector > 31) {
		errno = EINVAL;
		return -1;
	}
	if (ioctl(vcpu->fd, KVM_GET_VCPU_EVENTS, &ev))
		return -1;
	ev.exception.injected = 1;
	ev.exception.nr = ex->vector;
	ev.exception.has_error_code = ex->has_error_code;
	ev.exception.error_code = ex->error_code;
	ev.flags = 0;
	return ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &ev);
}

int backend_kick(struct test_vcpu *vcpu)
{
	(void)vcpu;
	errno = ENOTTY;		/* KVM has no such ioctl (it uses signals) */
	return -1;
}

int backend_get_mp_state(struct test_vcpu *vcpu, struct vtx_mp_state *mp)
{
	struct kvm_mp_state k;

	if (ioctl(vcpu->fd, KVM_GET_MP_STATE, &k))
		return -1;
	mp->sipi_vector = 0;
	switch (k.mp_state) {
	case KVM_MP_STATE_UNINITIALIZED:
	case KVM_MP_STATE_INIT_RECEIVED:
		mp->state = VTX_MP_WAIT_SIPI;
		break;
	case KVM_MP_STATE_HALTED:
		mp->state = VTX_MP_HALTED;
		break;
	default:
		mp->state = VTX_MP_RUNNABLE;
		break;
	}
	return 0;
}

int backend_set_mp_state(struct test_vcpu *vcpu, const struct vtx_mp_state *mp)
{
	static const uint32_t to_kvm[] = {
		[VTX_MP_RUNNABLE] = KVM_MP_STATE_RUNNABLE,
		[VTX_MP_WAIT_SIPI] = KVM_MP_STATE_INIT_RECEIVED,
		[VTX_MP_HALTED] = KVM_MP_STATE_HALTED,
	};
	struct kvm_mp_state k;

	if (mp->state > VTX_MP_HALTED) {
		errno = EINVAL;
		return -1;
	}
	k.mp_state = to_kvm[mp->state];
	return ioctl(vcpu->fd, KVM_SET_MP_STATE, &k);
}

int backend_irq_line(struct test_vm *vm, uint32_t irq, uint32_t level)
{
	struct kvm_irq_level l = { .irq = irq, .level = level };

	return ioctl(vm->fd, KVM_IRQ_LINE, &l);
}
