// SPDX-License-Identifier: GPL-2.0
/* unit-sources: tools/vmctl/lock.c */
/*
 * The futex device lock and condition of lock.h: mutual exclusion under
 * contention (its slow path), a broadcast that wakes every waiter, and a
 * deadline that passes with the lock held again.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "tools/vmctl/lock.h"

#define THREADS		4
#define ROUNDS		200000

static struct vmctl_mutex mtx;
static struct vmctl_cond cond;
static unsigned long counter;
static int flag, woken;

/* A non-atomic read-modify-write: only the lock keeps the count exact. */
static void *adder(void *arg)
{
	unsigned int i;

	(void)arg;
	for (i = 0; i < ROUNDS; i++) {
		vmctl_mutex_lock(&mtx);
		counter = counter + 1;
		if (!(i % 1000))
			sched_yield();	/* get preempted holding it: waiters sleep */
		vmctl_mutex_unlock(&mtx);
	}
	return NULL;
}

static void test_mutual_exclusion(void **state)
{
	pthread_t t[THREADS];
	unsigned int i;

	(void)state;
	counter = 0;
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, adder, NULL), 0);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(counter, (unsigned long)THREADS * ROUNDS);
	assert_int_equal(mtx.state, 0);
}

static void *waiter(void *arg)
{
	(void)arg;
	vmctl_mutex_lock(&mtx);
	while (!flag)
		vmctl_cond_wait(&cond, &mtx, NULL);
	woken++;
	vmctl_mutex_unlock(&mtx);
	return NULL;
}

static void test_broadcast_wakes_all(void **state)
{
	pthread_t t[THREADS];
	unsigned int i;

	(void)state;
	flag = 0;
	woken = 0;
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, waiter, NULL), 0);
	usleep(20000);
	vmctl_mutex_lock(&mtx);
	flag = 1;
	vmctl_cond_broadcast(&cond);
	vmctl_mutex_unlock(&mtx);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(woken, THREADS);
}

static void test_deadline(void **state)
{
	struct timespec d, now;
	long ms;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &d);
	d.tv_nsec += 50 * 1000000L;
	if (d.tv_nsec >= 1000000000L) {
		d.tv_sec++;
		d.tv_nsec -= 1000000000L;
	}
	vmctl_mutex_lock(&mtx);
	assert_int_equal(vmctl_cond_wait(&cond, &mtx, &d), ETIMEDOUT);
	assert_int_not_equal(mtx.state, 0);	/* held again on return */
	vmctl_mutex_unlock(&mtx);
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - d.tv_sec) * 1000 + (now.tv_nsec - d.tv_nsec) / 1000000;
	assert_true(ms >= 0 && ms < 2000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mutual_exclusion),
		cmocka_unit_test(test_broadcast_wakes_all),
		cmocka_unit_test(test_deadline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
