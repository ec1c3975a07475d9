/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host threads for multi-vCPU and event tests: one thread per vCPU running
 * it to GUEST_DONE (optionally pinned to a host CPU), a watchdog that ends
 * a hung test with a TAP "Bail out!" and a reason, and a clock.
 */
#ifndef VTX_SELFTEST_VCPU_THREAD_H
#define VTX_SELFTEST_VCPU_THREAD_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include "vm.h"

struct vcpu_thread {
	struct test_vcpu *vcpu;
	int host_cpu;		/* pin the thread to this host CPU; -1: no pinning */
	pthread_t thread;
	int pin_err;		/* errno of a failed sched_setaffinity, else 0 */
	int ran_on;		/* host CPU seen by the thread after pinning */
	bool done;		/* the guest reached GUEST_DONE */
};

/* Start a thread running t->vcpu until GUEST_DONE (vcpu_run_to_done). */
void vcpu_thread_start(struct vcpu_thread *t);
/* Wait for it; returns t->done. */
bool vcpu_thread_join(struct vcpu_thread *t);

/* Pin the calling thread to host CPU @cpu: 0 or an errno. */
int pin_self_to_cpu(int cpu);

/*
 * End the program with "Bail out! <what> ..." unless test_watchdog_stop()
 * comes first: a lost interrupt leaves a guest halted forever, and the TAP
 * stream should say so rather than stop. @report (may be NULL) prints
 * diagnostics (e.g. the guests' stages) first.
 */
void test_watchdog_start(unsigned int seconds, const char *what, void (*report)(void));
void test_watchdog_stop(void);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t now_ns(void);

#endif /* VTX_SELFTEST_VCPU_THREAD_H */
