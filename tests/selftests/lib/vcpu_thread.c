// SPDX-License-Identifier: GPL-2.0
/* Host threads, watchdog and clock for the selftests; see vcpu_thread.h. */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include "vcpu_thread.h"
#include "vtx_util.h"

int pin_self_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? errno : 0;
}

static void *vcpu_thread_main(void *arg)
{
	struct vcpu_thread *t = arg;

	if (t->host_cpu >= 0) {
		t->pin_err = pin_self_to_cpu(t->host_cpu);
		t->ran_on = sched_getcpu();
	}
	t->done = vcpu_run_to_done(t->vcpu);
	return NULL;
}

void vcpu_thread_start(struct vcpu_thread *t)
{
	t->done = false;
	t->pin_err = 0;
	t->ran_on = -1;
	TEST_ASSERT(!pthread_create(&t->thread, NULL, vcpu_thread_main, t),
		    "pthread_create for vCPU %u", t->vcpu->id);
}

bool vcpu_thread_join(struct vcpu_thread *t)
{
	TEST_ASSERT(!pthread_join(t->thread, NULL), "pthread_join");
	return t->done;
}

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t thread;
	bool running, stop;
	unsigned int seconds;
	const char *what;
	void (*report)(void);
} wd = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };

static void *watchdog_main(void *arg)
{
	struct timespec until;
	bool stop;

	(void)arg;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += wd.seconds;
	pthread_mutex_lock(&wd.lock);
	while (!wd.stop && pthread_cond_timedwait(&wd.cond, &wd.lock, &until) != ETIMEDOUT)
		;
	stop = wd.stop;
	pthread_mutex_unlock(&wd.lock);
	if (stop)
		return NULL;
	if (wd.report)
		wd.report();
	printf("Bail out! %s did not finish within %u s\n", wd.what, wd.seconds);
	fflush(stdout);
	_exit(KSFT_FAIL);
}

void test_watchdog_start(unsigned int seconds, const char *what, void (*report)(void))
{
	sigset_t all, old;

	TEST_ASSERT(!wd.running, "one watchdog at a time");
	wd.seconds = seconds;
	wd.what = what;
	wd.report = report;
	wd.stop = false;
	wd.running = true;
	/* signals the test sends itself must reach the vCPU threads, not this one */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	TEST_ASSERT(!pthread_create(&wd.thread, NULL, watchdog_main, NULL), "watchdog thread");
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void test_watchdog_stop(void)
{
	if (!wd.running)
		return;
	pthread_mutex_lock(&wd.lock);
	wd.stop = true;
	pthread_cond_signal(&wd.cond);
	pthread_mutex_unlock(&wd.lock);
	pthread_join(wd.thread, NULL);
	wd.running = false;
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}
