// SPDX-License-Identifier: GPL-2.0
/* unit-sources: tools/vmctl/vcpus.c tools/vmctl/lock.c */
/*
 * vCPU thread bookkeeping with fake vCPUs (no /dev/vtx): a vCPU's step
 * either returns at once or "sleeps in VTX_RUN" until kicked. Checked: the
 * first stop code wins and stops everyone, APs that are done leave the VM
 * running, the timeout, an outside stop (Ctrl-A x), a lost kick is
 * repeated, and every thread is joined.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "tools/vmctl/vcpus.h"
#include "tools/vmctl/vm.h"

enum fake_kind {
	FAKE_SLEEP,		/* block until kicked, then VMCTL_CONTINUE */
	FAKE_DONE_AFTER,	/* VMCTL_VCPU_DONE after @n steps */
	FAKE_STOP_AFTER,	/* exit code @code after @n steps */
};

struct fake {
	enum fake_kind kind;
	unsigned int n;
	int code;
	unsigned int kicks;		/* kick() calls */
	unsigned int lose_kicks;	/* this many kicks are lost (signal before VTX_RUN) */
	bool kicked;
};

static struct vcpu_set set;
static struct vmctl_stop stop;
static struct fake fakes[VCPUS_MAX];
static pthread_mutex_t fake_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t fake_cond = PTHREAD_COND_INITIALIZER;

static int fake_step(struct vmctl_vcpu *v, void *ctx)
{
	struct fake *f = &fakes[v->id];

	assert_ptr_equal(ctx, fakes);
	switch (f->kind) {
	case FAKE_SLEEP:
		pthread_mutex_lock(&fake_lock);
		while (!f->kicked)
			pthread_cond_wait(&fake_cond, &fake_lock);
		f->kicked = false;
		pthread_mutex_unlock(&fake_lock);
		return VMCTL_CONTINUE;
	case FAKE_DONE_AFTER:
		usleep(1000);
		return v->nr_steps + 1 >= f->n ? VMCTL_VCPU_DONE : VMCTL_CONTINUE;
	case FAKE_STOP_AFTER:
		usleep(5000);
		return v->nr_steps + 1 >= f->n ? f->code : VMCTL_CONTINUE;
	}
	return VMCTL_EXIT_VM_ERROR;
}

static int fake_kick(struct vmctl_vcpu *v, void *ctx)
{
	struct fake *f = &fakes[v->id];

	assert_ptr_equal(ctx, fakes);
	pthread_mutex_lock(&fake_lock);
	f->kicks++;
	if (f->lose_kicks)
		f->lose_kicks--;
	else
		f->kicked = true;
	pthread_cond_broadcast(&fake_cond);
	pthread_mutex_unlock(&fake_lock);
	return 0;
}

static int setup_n(unsigned int n)
{
	memset(fakes, 0, sizeof(fakes));
	memset(&stop, 0, sizeof(stop));
	return vcpus_init(&set, n, &stop, fake_step, fake_kick, fakes);
}

static int teardown(void **state)
{
	(void)state;
	vcpus_destroy(&set);
	return 0;
}

static void assert_all_joined(unsigned int n)
{
	unsigned int i;

	assert_int_equal(set.nr_running, 0);
	for (i = 0; i < n; i++) {
		assert_false(set.vcpus[i].running);
		assert_false(set.vcpus[i].started);
	}
}

static void test_init_checks(void **state)
{
	(void)state;
	assert_int_equal(vcpus_init(&set, 0, &stop, fake_step, fake_kick, NULL), -EINVAL);
	assert_int_equal(vcpus_init(&set, VCPUS_MAX + 1, &stop, fake_step, fake_kick, NULL),
			 -EINVAL);
	assert_int_equal(vcpus_init(&set, 1, &stop, NULL, fake_kick, NULL), -EINVAL);
	assert_int_equal(setup_n(VCPUS_MAX), 0);
	assert_int_equal(set.vcpus[5].id, 5);
	assert_int_equal(set.vcpus[5].fd, -1);
}

/* vCPU 2 ends the VM with 7; the sleeping BSP is kicked; the AP that was done stays done. */
static void test_stop_code_wins(void **state)
{
	(void)state;
	assert_int_equal(setup_n(3), 0);
	fakes[0].kind = FAKE_SLEEP;
	fakes[1].kind = FAKE_DONE_AFTER;
	fakes[1].n = 2;
	fakes[2].kind = FAKE_STOP_AFTER;
	fakes[2].n = 5;
	fakes[2].code = 7;
	assert_int_equal(vcpus_start(&set), 0);
	assert_int_equal(vcpus_wait(&set, 0), 7);
	assert_false(set.timed_out);
	assert_true(stop.requested);
	assert_int_equal(stop.code, 7);
	assert_int_equal(set.vcpus[1].result, VMCTL_VCPU_DONE);
	assert_int_equal(set.vcpus[1].nr_steps, 2);
	assert_int_equal(set.vcpus[2].result, 7);
	assert_int_equal(set.vcpus[2].nr_steps, 5);
	assert_true(fakes[0].kicks >= 1);
	assert_int_equal(fakes[1].kicks, 0);	/* not running any more: not kicked */
	assert_all_joined(3);
}

static void test_timeout(void **state)
{
	struct timespec t0, t1;
	unsigned int i;
	long ms;

	(void)state;
	assert_int_equal(setup_n(4), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(vcpus_start(&set), 0);
	assert_int_equal(vcpus_wait(&set, 1), VMCTL_EXIT_TIMEOUT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(set.timed_out);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	assert_true(ms >= 1000 && ms < 5000);
	for (i = 0; i < 4; i++)
		assert_true(fakes[i].kicks >= 1);
	assert_all_joined(4);
}

static void *outside_stop(void *arg)
{
	(void)arg;
	usleep(50000);
	vcpus_request_stop(&set, VMCTL_EXIT_OK);
	vcpus_request_stop(&set, 99);		/* the first request wins */
	return NULL;
}

/* Ctrl-A x from the input thread; the first kick of vCPU 1 gets lost. */
static void test_outside_stop_lost_kick(void **state)
{
	pthread_t t;

	(void)state;
	assert_int_equal(setup_n(2), 0);
	fakes[1].lose_kicks = 1;
	assert_int_equal(vcpus_start(&set), 0);
	assert_int_equal(pthread_create(&t, NULL, outside_stop, NULL), 0);
	assert_int_equal(vcpus_wait(&set, 30), VMCTL_EXIT_OK);
	pthread_join(t, NULL);
	assert_false(set.timed_out);
	assert_true(fakes[1].kicks >= 2);	/* kicked again after the period */
	assert_all_joined(2);
}

/* Every vCPU done without a stop (all halted): exit 0. */
static void test_all_done(void **state)
{
	unsigned int i;

	(void)state;
	assert_int_equal(setup_n(3), 0);
	for (i = 0; i < 3; i++) {
		fakes[i].kind = FAKE_DONE_AFTER;
		fakes[i].n = 1 + i;
	}
	assert_int_equal(vcpus_start(&set), 0);
	assert_int_equal(vcpus_wait(&set, 10), VMCTL_EXIT_OK);
	assert_false(set.timed_out);
	for (i = 0; i < 3; i++)
		assert_int_equal(set.vcpus[i].nr_steps, 1 + i);
	assert_all_joined(3);
}

int main(void)
{
#define T(fn) cmocka_unit_test_teardown(fn, teardown)
	const struct CMUnitTest tests[] = {
		T(test_init_checks),
		T(test_stop_code_wins),
		T(test_timeout),
		T(test_outside_stop_lost_kick),
		T(test_all_done),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
