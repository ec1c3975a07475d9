// SPDX-License-Identifier: GPL-2.0
/*
 * kill: SIGKILL of a process inside VTX_RUN tears its VM down: the module
 * refcount (/sys/module/vtx/refcnt) returns to 0, VMX is off, and vtx
 * unloads. This program itself holds no vtx file, so it can check that.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "vm.h"
#include "vtx_util.h"

static void guest_spin(void)
{
	GUEST_SYNC(1);
	for (;;)
		asm volatile("pause");
}

/* Child: run the guest until the first ucall, tell the parent, spin. */
static void child(int ready)
{
	struct test_vcpu *vcpu;
	struct ucall uc;
	char c = 'r';

	vm_create_with_one_vcpu(&vcpu, guest_spin);
	if (vcpu_run_ucall(vcpu, &uc) != UCALL_SYNC)
		_exit(1);
	if (write(ready, &c, 1) != 1)
		_exit(1);
	for (;;)
		vcpu_run(vcpu);
}

int main(void)
{
	struct vtx_caps caps;
	int pipefd[2], status, ret, i;
	long refcnt = -1;
	pid_t pid;
	char c;

	ksft_print_header();
	if (!module_loaded("vtx"))
		ksft_exit_skip("vtx is not loaded");
	ksft_set_plan(4);

	TEST_ASSERT(!pipe(pipefd), "pipe");
	fflush(stdout);
	pid = fork();
	TEST_ASSERT(pid >= 0, "fork");
	if (!pid) {
		close(pipefd[0]);
		child(pipefd[1]);
	}
	close(pipefd[1]);
	ret = read(pipefd[0], &c, 1);
	ksft_test_result(ret == 1, "child runs a spinning guest");
	usleep(100000);		/* let it get back into VTX_RUN */
	kill(pid, SIGKILL);
	/* a VTX_RUN that never checks for fatal signals would never return */
	for (i = 0; i < 300; i++) {
		ret = waitpid(pid, &status, WNOHANG);
		if (ret)
			break;
		usleep(100000);
	}
	if (ret != pid)
		ksft_exit_fail_msg("child still alive 30 s after SIGKILL: VTX_RUN ignores signals");
	ksft_test_result(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
			 "child killed by SIGKILL (status %#x)", status);

	/* The VM's release may finish just after the exit is reported. */
	for (i = 0; i < 50; i++) {
		refcnt = module_refcnt("vtx");
		if (refcnt == 0)
			break;
		usleep(20000);
	}
	vtx_read_caps(&caps);
	ksft_test_result(refcnt == 0 && !(caps.flags & VTX_CAPS_VMX_ON) && caps.users == 0,
			 "vtx refcnt %ld, VMX %s, users %u", refcnt,
			 caps.flags & VTX_CAPS_VMX_ON ? "on" : "off", caps.users);
	ret = module_unload("vtx");
	ksft_test_result(!ret, "rmmod vtx (%s)", ret ? strerror(-ret) : "ok");
	ksft_finished();
}
