// SPDX-License-Identifier: GPL-2.0
/*
 * signal: a pending signal ends VTX_RUN of a spinning guest with -1/EINTR
 * (the run page says VTX_EXIT_INTR); the vCPU state is consistent (RIP in
 * the spin loop, guest progress visible) and the guest continues from there
 * when run again.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>
#include "spin_guest.h"
#include "vm.h"
#include "vtx_util.h"

static volatile sig_atomic_t alarms;

#define WATCHDOG_SECONDS	30

/*
 * If vtx never looks at pending signals, VTX_RUN would spin forever and the
 * TAP stream would just stop: say why first. (A VTX_RUN that ignores
 * signals also ignores SIGKILL, so the process may not even die.)
 */
static void *watchdog(void *arg)
{
	(void)arg;
	sleep(WATCHDOG_SECONDS);
	printf("Bail out! VTX_RUN did not return within %d s of SIGALRM: vtx does not check for pending signals\n", WATCHDOG_SECONDS);
	fflush(stdout);
	_exit(KSFT_FAIL);
}

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

int main(void)
{
	struct itimerval it = { .it_value = { .tv_usec = 200000 } };
	struct test_vcpu *vcpu;
	struct vtx_regs regs;
	struct spin_vm svm;
	struct ucall uc;
	uint64_t c1, c2;
	int ret, err;

	ksft_print_header();
	spin_vm_create(&svm, on_alarm);
	vcpu = svm.vcpu;
	ksft_set_plan(5);
	{
		sigset_t set;
		pthread_t wd;

		/* SIGALRM must go to this (the vCPU) thread, not the watchdog */
		sigemptyset(&set);
		sigaddset(&set, SIGALRM);
		pthread_sigmask(SIG_BLOCK, &set, NULL);
		TEST_ASSERT(!pthread_create(&wd, NULL, watchdog, NULL), "pthread_create");
		pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	}

	TEST_ASSERT(!setitimer(ITIMER_REAL, &it, NULL), "setitimer");
	ret = _vcpu_run(vcpu);
	err = errno;
	ksft_test_result(ret == -1 && err == EINTR && alarms == 1,
			 "SIGALRM ends VTX_RUN with EINTR (ret %d errno %d, alarms %d)", ret,
			 ret ? err : 0, alarms);
	ksft_test_result(vcpu->run->exit_reason == VTX_EXIT_INTR,
			 "run page exit_reason is VTX_EXIT_INTR (%s)",
			 exit_reason_str(vcpu->run->exit_reason));
	vcpu_regs_get(vcpu, &regs);
	c1 = *svm.counter;
	ksft_test_result(regs.rip >= (uintptr_t)spin_guest_code &&
			 regs.rip < (uintptr_t)spin_guest_code + SPIN_GUEST_CODE_SIZE && c1 > 0,
			 "RIP %#llx is in the spin loop, guest counted %llu",
			 (unsigned long long)regs.rip, (unsigned long long)c1);

	/* run again: interrupted again, the guest made progress */
	TEST_ASSERT(!setitimer(ITIMER_REAL, &it, NULL), "setitimer");
	ret = _vcpu_run(vcpu);
	err = errno;
	c2 = *svm.counter;
	ksft_test_result(ret == -1 && err == EINTR && c2 > c1,
			 "second run continues the loop (counter %llu -> %llu)",
			 (unsigned long long)c1, (unsigned long long)c2);

	*svm.stop = 1;
	ret = vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC && uc.args[0] >= c2 &&
	      vcpu_run_to_done(vcpu);
	ksft_test_result(ret, "guest leaves the loop when told and finishes");
	spin_vm_free(&svm);
	ksft_finished();
}
