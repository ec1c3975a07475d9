/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The frame of a one-vCPU guest test, shared by the guest selftests.
 *
 * Header-only on purpose: tap.h keeps its counters per translation unit,
 * so the calls that count results (plan, results, ksft_finished) must be
 * compiled into the test program itself, not into lib/.
 */
#ifndef VTX_SELFTEST_VM_TEST_H
#define VTX_SELFTEST_VM_TEST_H

#include <stdbool.h>
#include "tap.h"
#include "vm.h"

/* TAP header, the VM (skips the program without /dev/vtx), then the plan. */
static inline struct test_vm *vm_test_start(struct test_vcpu **vcpu, void *guest_code,
					    unsigned int plan)
{
	struct test_vm *vm;

	ksft_print_header();
	vm = vm_create_with_one_vcpu(vcpu, guest_code);
	ksft_set_plan(plan);
	return vm;
}

/* Free the vCPU and its VM, exit with the TAP verdict. */
static inline void __attribute__((noreturn)) vm_test_finish(struct test_vm *vm,
							    struct test_vcpu *vcpu)
{
	vcpu_free(vcpu);
	vm_free(vm);
	ksft_finished();
}

/*
 * One step of vm_test_steps(): run the guest through step @i, report the
 * step's TAP result; false when the test cannot go on.
 */
typedef bool (*vm_test_step_t)(struct test_vcpu *vcpu, unsigned int i);

/*
 * A guest checked in @nr_steps ordered steps, then its GUEST_DONE
 * (result @done_what): nr_steps + 1 results. Bails out at the first step
 * that cannot go on, as the guest's later steps depend on the earlier ones.
 */
static inline void __attribute__((noreturn))
vm_test_steps(void *guest_code, unsigned int nr_steps, vm_test_step_t step,
	      const char *done_what)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_test_start(&vcpu, guest_code, nr_steps + 1);
	struct ucall uc;
	unsigned int i;
	uint64_t cmd;

	for (i = 0; i < nr_steps; i++) {
		if (!step(vcpu, i))
			ksft_exit_fail_msg("cannot continue after the failed step %u", i);
	}
	cmd = vcpu_run_ucall(vcpu, &uc);
	if (cmd == UCALL_NONE)
		vcpu_print_exit(vcpu);
	ksft_test_result(cmd == UCALL_DONE, "%s", done_what);
	vm_test_finish(vm, vcpu);
}

/*
 * A guest that checks itself and reports GUEST_SYNC(i) after step i of
 * @n (names[i] is its TAP description), then GUEST_DONE: n + 1 results.
 * A guest assertion or an unexpected exit fails the step and ends the
 * program, as the later steps depend on it.
 */
static inline void __attribute__((noreturn))
vm_test_named_stages(void *guest_code, const char *const *names, unsigned int n)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_test_start(&vcpu, guest_code, n + 1);
	struct ucall uc;
	unsigned int i;
	uint64_t cmd;

	for (i = 0; i < n; i++) {
		cmd = vcpu_run_ucall(vcpu, &uc);
		if (cmd == UCALL_NONE)
			vcpu_print_exit(vcpu);
		if (cmd != UCALL_SYNC || uc.args[0] != i) {
			ksft_test_result_fail("%s", names[i]);
			ksft_exit_fail_msg("guest went astray in stage %u", i);
		}
		ksft_test_result_pass("%s", names[i]);
	}
	cmd = vcpu_run_ucall(vcpu, &uc);
	if (cmd == UCALL_NONE)
		vcpu_print_exit(vcpu);
	ksft_test_result(cmd == UCALL_DONE, "guest done");
	vm_test_finish(vm, vcpu);
}

#endif /* VTX_SELFTEST_VM_TEST_H */
