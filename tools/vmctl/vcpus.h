/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vCPU threads: one thread per vCPU runs step() (VTX_RUN + exit handling)
 * until the VM stops or its vCPU is done; the main thread supervises.
 *
 * Locking: ONE device lock (@lock, a futex lock: lock.h) serialises every
 * device model access (exit handling, the serial input thread) and the
 * stop request. vCPUs only contend on it for exits that vmctl handles;
 * VTX_RUN itself runs unlocked, and a vCPU loop reads @stop->requested
 * without it (a stop it misses is followed by a kick).
 *
 * Stopping: whoever ends the VM (an exit handler's status, the exit port,
 * Ctrl-A x, --timeout) records it in @stop under the lock and wakes the
 * supervisor, which then kicks every vCPU still running until all threads
 * have left their loop, and joins them. A kick is VTX_KICK (the next or
 * current VTX_RUN returns VTX_EXIT_KICK, so no kick is lost); on a kernel
 * without VTX_KICK it is SIGUSR1 to the thread (VTX_RUN returns -EINTR),
 * repeated every 100 ms because a signal just before VTX_RUN is lost.
 * --timeout is the supervisor's timed wait: no SIGALRM, so no signal
 * handler races with the vCPU threads.
 */
#ifndef _VMCTL_VCPUS_H
#define _VMCTL_VCPUS_H

#include <pthread.h>
#include "vmctl.h"
#include "lock.h"

#define VCPUS_MAX		16
#define VCPUS_KICK_PERIOD_MS	100

struct vcpu_set;

struct vmctl_vcpu {
	struct vcpu_set *set;
	unsigned int id;		/* 0 is the boot CPU */
	int fd;				/* -1 before creation */
	struct vtx_run *run;
	pthread_t thread;
	bool started;			/* thread created (join it) */
	bool running;			/* in its loop (under the lock) */
	int result;			/* why it left: VMCTL_VCPU_DONE or an exit code */
	unsigned long nr_steps;
};

struct vcpu_set {
	struct vmctl_mutex lock;	/* the device lock, see above */
	struct vmctl_cond changed;	/* a thread left its loop or a stop came */
	struct vmctl_stop *stop;
	struct vmctl_vcpu vcpus[VCPUS_MAX];
	unsigned int nr;		/* vCPUs to run: vcpus[0..nr) */
	unsigned int nr_running;
	/* One VTX_RUN and its exit: VMCTL_CONTINUE, VMCTL_VCPU_DONE or an exit code. */
	int (*step)(struct vmctl_vcpu *v, void *ctx);
	/* Make @v's current or next step return soon; -errno if it cannot. */
	int (*kick)(struct vmctl_vcpu *v, void *ctx);
	void *ctx;
	bool timed_out;
};

/* @stop is shared with the device models; step and kick are required. */
int vcpus_init(struct vcpu_set *s, unsigned int nr, struct vmctl_stop *stop,
	       int (*step)(struct vmctl_vcpu *, void *), int (*kick)(struct vmctl_vcpu *, void *),
	       void *ctx);
void vcpus_destroy(struct vcpu_set *s);
/* Start the threads of vcpus[0..nr); on failure the started ones are stopped. */
int vcpus_start(struct vcpu_set *s);
/*
 * Supervise until a stop request, all threads done, or @timeout_s (0: none)
 * passed (then s->timed_out and VMCTL_EXIT_TIMEOUT); stop and join every
 * thread. Returns the VM's exit code.
 */
int vcpus_wait(struct vcpu_set *s, unsigned int timeout_s);
/* Request a stop (first code wins) and wake the supervisor; takes the lock. */
void vcpus_request_stop(struct vcpu_set *s, int code);
/* With the lock held: wake the supervisor if @stop was requested meanwhile. */
void vcpus_notify_locked(struct vcpu_set *s);

#endif /* _VMCTL_VCPUS_H */
