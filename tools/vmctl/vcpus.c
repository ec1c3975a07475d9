// SPDX-License-Identifier: GPL-2.0
/* vCPU threads and their supervisor (see vcpus.h for locking and stopping). */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include "vcpus.h"
#include "vm.h"

int vcpus_init(struct vcpu_set *s, unsigned int nr, struct vmctl_stop *stop,
	       int (*step)(struct vmctl_vcpu *, void *), int (*kick)(struct vmctl_vcpu *, void *),
	       void *ctx)
{
	unsigned int i;

	if (nr < 1 || nr > VCPUS_MAX || !stop || !step || !kick)
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->nr = nr;
	s->stop = stop;
	s->step = step;
	s->kick = kick;
	s->ctx = ctx;
	for (i = 0; i < VCPUS_MAX; i++) {
		s->vcpus[i].set = s;
		s->vcpus[i].id = i;
		s->vcpus[i].fd = -1;
	}
	/* The lock and condition are zero-initialised by the memset. */
	return 0;
}

void vcpus_destroy(struct vcpu_set *s)
{
	(void)s;	/* futex words: nothing to free */
}

void vcpus_notify_locked(struct vcpu_set *s)
{
	if (s->stop->requested)
		vmctl_cond_broadcast(&s->changed);
}

void vcpus_request_stop(struct vcpu_set *s, int code)
{
	vmctl_mutex_lock(&s->lock);
	vmctl_request_stop(s->stop, code);
	vmctl_cond_broadcast(&s->changed);
	vmctl_mutex_unlock(&s->lock);
}

static void *vcpus_thread(void *arg)
{
	struct vmctl_vcpu *v = arg;
	struct vcpu_set *s = v->set;
	bool stopping;
	int ret = VMCTL_VCPU_DONE;

	for (;;) {
		/*
		 * Unlocked: a lock round trip here cost ~55 instructions on every
		 * exit. A stop that lands just after this load is not lost: the
		 * supervisor kicks until this thread leaves (vcpus.h).
		 */
		stopping = __atomic_load_n(&s->stop->requested, __ATOMIC_ACQUIRE);
		if (stopping) {
			ret = VMCTL_VCPU_DONE;
			break;
		}
		ret = s->step(v, s->ctx);
		v->nr_steps++;
		if (ret == VMCTL_CONTINUE)
			continue;
		if (ret != VMCTL_VCPU_DONE)
			vcpus_request_stop(s, ret);
		break;
	}
	vmctl_mutex_lock(&s->lock);
	v->result = ret;
	v->running = false;
	s->nr_running--;
	vmctl_cond_broadcast(&s->changed);
	vmctl_mutex_unlock(&s->lock);
	return NULL;
}

/* Kick every vCPU still in its loop, then wait up to one period for them. */
static void vcpus_stop_all(struct vcpu_set *s)
{
	struct timespec ts;
	unsigned int i;

	vmctl_mutex_lock(&s->lock);
	while (s->nr_running) {
		for (i = 0; i < s->nr; i++)
			if (s->vcpus[i].running)
				s->kick(&s->vcpus[i], s->ctx);
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += VCPUS_KICK_PERIOD_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		vmctl_cond_wait(&s->changed, &s->lock, &ts);
	}
	vmctl_mutex_unlock(&s->lock);
	for (i = 0; i < s->nr; i++) {
		if (s->vcpus[i].started)
			pthread_join(s->vcpus[i].thread, NULL);
		s->vcpus[i].started = false;
	}
}

int vcpus_start(struct vcpu_set *s)
{
	unsigned int i;
	int ret;

	for (i = 0; i < s->nr; i++) {
		struct vmctl_vcpu *v = &s->vcpus[i];

		vmctl_mutex_lock(&s->lock);
		v->running = true;
		s->nr_running++;
		vmctl_mutex_unlock(&s->lock);
		ret = pthread_create(&v->thread, NULL, vcpus_thread, v);
		if (ret) {
			vmctl_mutex_lock(&s->lock);
			v->running = false;
			s->nr_running--;
			vmctl_mutex_unlock(&s->lock);
			vcpus_request_stop(s, VMCTL_EXIT_HOST);
			vcpus_stop_all(s);
			return -ret;
		}
		v->started = true;
	}
	return 0;
}

int vcpus_wait(struct vcpu_set *s, unsigned int timeout_s)
{
	struct timespec deadline;
	int code;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_s;
	vmctl_mutex_lock(&s->lock);
	while (!s->stop->requested && s->nr_running) {
		/* Timed waits on CLOCK_MONOTONIC: --timeout must not follow the wall clock. */
		if (!timeout_s) {
			vmctl_cond_wait(&s->changed, &s->lock, NULL);
			continue;
		}
		if (vmctl_cond_wait(&s->changed, &s->lock, &deadline) == ETIMEDOUT &&
		    !s->stop->requested) {
			s->timed_out = true;
			vmctl_request_stop(s->stop, VMCTL_EXIT_TIMEOUT);
		}
	}
	/* All threads done without a stop: every AP halted and the BSP too. */
	code = s->stop->requested ? s->stop->code : VMCTL_EXIT_OK;
	vmctl_request_stop(s->stop, code);
	vmctl_mutex_unlock(&s->lock);
	vcpus_stop_all(s);
	return code;
}

