/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device lock (vcpus.h) and its condition variable, on futexes. vmctl
 * takes the device lock on every exit it handles: glibc's uncontended
 * pthread_mutex_lock + unlock cost ~55 instructions there (callgrind,
 * static glibc), this lock's inline fast path one atomic instruction each
 * way. The mutex is "mutex3" of Ulrich Drepper, "Futexes Are Tricky":
 * state 0 free, 1 locked, 2 locked and maybe waited for.
 */
#ifndef _VMCTL_LOCK_H
#define _VMCTL_LOCK_H

#include <time.h>
#include "vmctl.h"

struct vmctl_mutex {
	int state;
};

/* Broadcast only (all vmctl needs): waiters sleep on a sequence number. */
struct vmctl_cond {
	int seq;
};

void vmctl_mutex_lock_slow(struct vmctl_mutex *m, int c);
void vmctl_mutex_wake(struct vmctl_mutex *m);

static inline void vmctl_mutex_lock(struct vmctl_mutex *m)
{
	int c = 0;

	if (!__atomic_compare_exchange_n(&m->state, &c, 1, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		vmctl_mutex_lock_slow(m, c);
}

static inline void vmctl_mutex_unlock(struct vmctl_mutex *m)
{
	if (__atomic_exchange_n(&m->state, 0, __ATOMIC_RELEASE) == 2)
		vmctl_mutex_wake(m);
}

/*
 * With @m held: release it, sleep until a broadcast or @deadline
 * (CLOCK_MONOTONIC, absolute; NULL: none), take @m again. Returns
 * ETIMEDOUT or 0; wakeups may be spurious, so callers re-check in a loop.
 */
int vmctl_cond_wait(struct vmctl_cond *c, struct vmctl_mutex *m, const struct timespec *deadline);
/* Wake every waiter; call it with the mutex held after changing what they wait for. */
void vmctl_cond_broadcast(struct vmctl_cond *c);

#endif /* _VMCTL_LOCK_H */
