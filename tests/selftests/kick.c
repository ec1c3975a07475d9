// SPDX-License-Identifier: GPL-2.0
/*
 * kick: VTX_KICK from another thread makes a running VTX_RUN return
 * VTX_EXIT_KICK promptly, even though the guest only spins (no exits of its
 * own); a kick with no VTX_RUN running makes the next one return at once;
 * the kick is consumed and the guest continues normally afterwards.
 */
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>
#include "spin_guest.h"
#include "vcpu_thread.h"
#include "vm.h"
#include "vtx_util.h"

#define KICK_DELAY_US	50000
#define KICK_BOUND_NS	200000000ull	/* 200 ms: a few scheduler ticks, even in Bochs */

static struct spin_vm svm;
static uint64_t kick_ns;
static int kick_ret, kick_err;

static void *kicker(void *arg)
{
	(void)arg;
	usleep(KICK_DELAY_US);
	kick_ns = now_ns();
	kick_ret = _vcpu_kick(svm.vcpu);
	kick_err = errno;
	return NULL;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A fallback: without a working kick, SIGALRM ends the VTX_RUN (EINTR) and the check fails. */
static void fallback_alarm(long usec)
{
	struct itimerval it = { .it_value = { .tv_sec = usec / 1000000, .tv_usec = usec % 1000000 } };

	TEST_ASSERT(!setitimer(ITIMER_REAL, &it, NULL), "setitimer");
}

int main(void)
{
	struct test_vcpu *vcpu;
	uint64_t c1, c2, t0, t1;
	struct ucall uc;
	pthread_t thr;
	int ret;

	ksft_print_header();
	spin_vm_create(&svm, on_alarm);
	vcpu = svm.vcpu;
	ksft_set_plan(5);
	test_watchdog_start(30, "kick (VTX_RUN ignored VTX_KICK?)", NULL);

	fallback_alarm(2000000);
	TEST_ASSERT(!pthread_create(&thr, NULL, kicker, NULL), "pthread_create");
	ret = _vcpu_run(vcpu);
	t1 = now_ns();
	fallback_alarm(0);
	pthread_join(thr, NULL);
	c1 = READ_ONCE(*svm.counter);
	ksft_test_result(!kick_ret && ret == 0 && vcpu->run->exit_reason == VTX_EXIT_KICK && c1,
			 "VTX_KICK from another thread: VTX_RUN returns %d with %s (kick %d errno %d, guest counted %llu)",
			 ret, exit_reason_str(vcpu->run->exit_reason), kick_ret,
			 kick_ret ? kick_err : 0, (unsigned long long)c1);
	ksft_test_result(t1 >= kick_ns && t1 - kick_ns < KICK_BOUND_NS,
			 "it returned %llu us after the kick (bound %llu ms)",
			 (unsigned long long)(t1 - kick_ns) / 1000, KICK_BOUND_NS / 1000000);

	/* a kick with no VTX_RUN running: the next one returns at once */
	ret = _vcpu_kick(vcpu);
	TEST_ASSERT(ret == 0, "VTX_KICK with the vCPU stopped");
	fallback_alarm(2000000);
	t0 = now_ns();
	ret = _vcpu_run(vcpu);
	t1 = now_ns();
	fallback_alarm(0);
	ksft_test_result(ret == 0 && vcpu->run->exit_reason == VTX_EXIT_KICK &&
			 t1 - t0 < KICK_BOUND_NS,
			 "a kick before VTX_RUN: it returns %s after %llu us",
			 exit_reason_str(vcpu->run->exit_reason), (unsigned long long)(t1 - t0) / 1000);

	/* consumed: the guest runs on to its ucall once told to stop */
	c2 = READ_ONCE(*svm.counter);
	WRITE_ONCE(*svm.stop, 1);
	ret = vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC;
	if (!ret)
		vcpu_print_exit(vcpu);
	ksft_test_result(ret && uc.args[0] >= c2 && c2 >= c1,
			 "the kick is consumed: the guest continues (counter %llu -> %llu)",
			 (unsigned long long)c1, (unsigned long long)uc.args[0]);
	ksft_test_result(vcpu_run_to_done(vcpu), "guest finishes");
	test_watchdog_stop();
	spin_vm_free(&svm);
	ksft_finished();
}
