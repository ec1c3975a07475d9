// SPDX-License-Identifier: GPL-2.0
/* lib/backend.h on /dev/vtx: one ioctl each. */
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "backend.h"
#include "vm.h"
#include "vtx_util.h"

const char *backend_name(void)
{
	return "vtx";
}

int backend_create_vm(struct test_vm *vm)
{
	vm->dev_fd = vtx_open_dev();
	vm->fd = ioctl(vm->dev_fd, VTX_CREATE_VM, 0);
	return vm->fd < 0 ? -1 : 0;
}

void backend_free_vm(struct test_vm *vm)
{
	close(vm->fd);
	close(vm->dev_fd);
}

int backend_set_region(struct test_vm *vm, const struct vtx_memory_region *r)
{
	return ioctl(vm->fd, VTX_SET_MEMORY_REGION, r);
}

int backend_create_vcpu(struct test_vcpu *vcpu)
{
	vcpu->fd = ioctl(vcpu->vm->fd, VTX_CREATE_VCPU, (unsigned long)vcpu->id);
	if (vcpu->fd < 0)
		return -1;
	vcpu->run = mmap(NULL, VTX_RUN_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu->fd, 0);
	if (vcpu->run == MAP_FAILED) {
		close(vcpu->fd);
		return -1;
	}
	return 0;
}

void backend_free_vcpu(struct test_vcpu *vcpu)
{
	munmap(vcpu->run, VTX_RUN_SIZE);
	close(vcpu->fd);
}

int backend_run(struct test_vcpu *vcpu)
{
	return ioctl(vcpu->fd, VTX_RUN, 0);
}

int backend_get_regs(struct test_vcpu *vcpu, struct vtx_regs *regs)
{
	return ioctl(vcpu->fd, VTX_GET_REGS, regs);
}

int backend_set_regs(struct test_vcpu *vcpu, const struct vtx_regs *regs)
{
	return ioctl(vcpu->fd, VTX_SET_REGS, regs);
}

int backend_get_sregs(struct test_vcpu *vcpu, struct vtx_sregs *sregs)
{
	return ioctl(vcpu->fd, VTX_GET_SREGS, sregs);
}

int backend_set_sregs(struct test_vcpu *vcpu, const struct vtx_sregs *sregs)
{
	return ioctl(vcpu->fd, VTX_SET_SREGS, sregs);
}

int backend_interrupt(struct test_vcpu *vcpu, uint32_t vector)
{
	struct vtx_interrupt irq = { .vector = vector };

	return ioctl(vcpu->fd, VTX_INTERRUPT, &irq);
}

int backend_nmi(struct test_vcpu *vcpu)
{
	return ioctl(vcpu->fd, VTX_NMI, 0);
}

int backend_inject_exception(struct test_vcpu *vcpu, const struct vtx_exception *ex)
{
	return ioctl(vcpu->fd, VTX_INJECT_EXCEPTION, ex);
}

int backend_kick(struct test_vcpu *vcpu)
{
	return ioctl(vcpu->fd, VTX_KICK, 0);
}

int backend_get_mp_state(struct test_vcpu *vcpu, struct vtx_mp_state *mp)
{
	return ioctl(vcpu->fd, VTX_GET_MP_STATE, mp);
}

int backend_set_mp_state(struct test_vcpu *vcpu, const struct vtx_mp_state *mp)
{
	return ioctl(vcpu->fd, VTX_SET_MP_STATE, mp);
}

int backend_irq_line(struct test_vm *vm, uint32_t irq, uint32_t level)
{
	struct vtx_irq_level l = { .irq = irq, .level = level };

	return ioctl(vm->fd, VTX_IRQ_LINE, &l);
}
