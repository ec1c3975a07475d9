/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device calls under lib/vm.c. backend_vtx.c issues vtx ioctls (what
 * runs in the test machine). kvm/backend_kvm.c maps the same calls onto
 * /dev/kvm so that the library and the tests' expectations can be checked
 * against KVM on a development host (`make selftests-kvm`); vtx's ABI
 * mirrors KVM's register and segment layouts, which makes that a thin shim.
 * All return the ioctl's result with errno set.
 */
#ifndef VTX_SELFTEST_BACKEND_H
#define VTX_SELFTEST_BACKEND_H

#include <stdint.h>
#include "uapi/vtx.h"

struct test_vm;
struct test_vcpu;

const char *backend_name(void);
int backend_create_vm(struct test_vm *vm);	/* sets vm->dev_fd, vm->fd */
void backend_free_vm(struct test_vm *vm);
int backend_set_region(struct test_vm *vm, const struct vtx_memory_region *r);
int backend_create_vcpu(struct test_vcpu *vcpu);	/* sets fd, run */
void backend_free_vcpu(struct test_vcpu *vcpu);
int backend_run(struct test_vcpu *vcpu);
int backend_get_regs(struct test_vcpu *vcpu, struct vtx_regs *regs);
int backend_set_regs(struct test_vcpu *vcpu, const struct vtx_regs *regs);
int backend_get_sregs(struct test_vcpu *vcpu, struct vtx_sregs *sregs);
int backend_set_sregs(struct test_vcpu *vcpu, const struct vtx_sregs *sregs);
/* Events and interrupt controllers (uapi/vtx.h "Events and interrupts"). */
int backend_interrupt(struct test_vcpu *vcpu, uint32_t vector);
int backend_nmi(struct test_vcpu *vcpu);
int backend_inject_exception(struct test_vcpu *vcpu, const struct vtx_exception *ex);
int backend_kick(struct test_vcpu *vcpu);		/* from any thread */
int backend_get_mp_state(struct test_vcpu *vcpu, struct vtx_mp_state *mp);
int backend_set_mp_state(struct test_vcpu *vcpu, const struct vtx_mp_state *mp);
int backend_irq_line(struct test_vm *vm, uint32_t irq, uint32_t level);

#endif /* VTX_SELFTEST_BACKEND_H */
