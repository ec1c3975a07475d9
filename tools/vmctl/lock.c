// SPDX-License-Identifier: GPL-2.0
/* The slow paths of lock.h: only contention and the supervisor sleep. */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "lock.h"

static long vmctl_futex(int *uaddr, int op, int val, const struct timespec *ts, u32 bitset)
{
	return syscall(SYS_futex, uaddr, op, val, ts, NULL, bitset);
}

/* @c: the state the fast path found (1 or 2). Leaves the state 2. */
void vmctl_mutex_lock_slow(struct vmctl_mutex *m, int c)
{
	if (c != 2)
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	while (c) {
		vmctl_futex(&m->state, FUTEX_WAIT_PRIVATE, 2, NULL, 0);
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	}
}

void vmctl_mutex_wake(struct vmctl_mutex *m)
{
	vmctl_futex(&m->state, FUTEX_WAKE_PRIVATE, 1, NULL, 0);
}

/*
 * The sequence number is read under @m and every broadcast comes under @m
 * too, so a broadcast between the unlock and the sleep changes it and the
 * futex wait returns at once: no wakeup is lost. FUTEX_WAIT_BITSET takes
 * an absolute CLOCK_MONOTONIC deadline, as pthread_cond_timedwait did.
 */
int vmctl_cond_wait(struct vmctl_cond *c, struct vmctl_mutex *m, const struct timespec *deadline)
{
	int seq = __atomic_load_n(&c->seq, __ATOMIC_RELAXED);
	int ret = 0;

	vmctl_mutex_unlock(m);
	if (vmctl_futex(&c->seq, FUTEX_WAIT_BITSET_PRIVATE, seq, deadline,
			FUTEX_BITSET_MATCH_ANY) && errno == ETIMEDOUT)
		ret = ETIMEDOUT;
	vmctl_mutex_lock(m);
	return ret;
}

void vmctl_cond_broadcast(struct vmctl_cond *c)
{
	__atomic_fetch_add(&c->seq, 1, __ATOMIC_RELAXED);
	vmctl_futex(&c->seq, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, 0);
}
