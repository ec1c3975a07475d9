/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hostile-guest suite (tests/selftests/hostile.c): each behaviour runs
 * in VMs of its own, with a wall-time bound, while one victim VM keeps
 * computing on another thread.
 *
 * A behaviour is a host function that builds its hostile VM with
 * h_vm_create() (or vm_create() + h_vcpu_add()), runs it with h_run() /
 * h_ucall() and returns true when the guest did what the SDM and vtx's
 * documented semantics say (an exception, an exit reason, a VTX_RUN error),
 * with what it saw in h->msg. Past the behaviour's deadline the harness
 * kicks every registered vCPU (VTX_KICK) until the behaviour returns, so a
 * guest that does not stop by itself is stopped from outside: h_run()
 * then sees VTX_EXIT_KICK. Guests that finish early call h_guest_done(),
 * which reports and then spins with IF=0 until that kick: every hostile
 * VM competes with the victim for the host CPU for its whole window.
 *
 * The behaviours' code is in hostile/{cpu,mem,irq}.c; TAP output only in
 * hostile.c (tap.h counts per translation unit).
 */
#ifndef VTX_SELFTEST_HOSTILE_H
#define VTX_SELFTEST_HOSTILE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "irq.h"
#include "vm.h"
#include "vtx_util.h"

#define H_MAX_VCPUS	4
#define H_DONE		0x600d	/* GUEST_SYNC2(H_DONE, detail): the guest's checks passed */
#define H_RAM_END	VM_MEM_SIZE	/* slot 0 ends here; the identity map goes on */

struct hostile {
	char msg[256];			/* what the behaviour saw, for a diagnostic line */
	uint64_t window_ms;		/* the deadline is start + window */
	uint64_t deadline_ns;
	struct test_vcpu *vcpus[H_MAX_VCPUS];
	unsigned int nr_vcpus;
	uint64_t io_exits, mmio_exits;	/* non-ucall exits h_ucall() answered */
};

struct hostile_behaviour {
	const char *name;
	bool (*run)(struct hostile *h);
	unsigned int window_ms;		/* the deadline, from its start */
};

/*
 * Guest time (the Bochs machine runs nested guest code ~100x slower than
 * wall time). A behaviour whose guest ends by itself gets the bound
 * H_WINDOW_MS, then lingers H_LINGER_MS; one that runs until stopped
 * (loops, storms, timers) runs H_RUN_MS.
 */
#define H_WINDOW_MS	2000
#define H_LINGER_MS	10
#define H_RUN_MS	20

/* Format h->msg; returns @ok so a behaviour can `return h_say(h, ok, ...)`. */
bool h_say(struct hostile *h, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A VM with one vCPU at @guest_code, registered for the deadline kick. */
struct test_vm *h_vm_create(struct hostile *h, struct test_vcpu **vcpu, void *guest_code);
/* vm_vcpu_add() (or vm_vcpu_add_ap() when @guest_code is NULL), registered. */
struct test_vcpu *h_vcpu_add(struct hostile *h, struct test_vm *vm, uint32_t id,
			     void *guest_code);
/* Free the registered vCPUs and @vm. */
void h_vm_free(struct hostile *h, struct test_vm *vm);

bool h_expired(struct hostile *h);
/* One VTX_RUN, retried on EINTR: its result (errno set). */
int h_run(struct test_vcpu *vcpu);
/*
 * Run to the guest's next ucall, answering other port and MMIO exits
 * (reads get all ones); UCALL_NONE on any other exit or VTX_RUN error
 * (the exit is left in vcpu->run). Guest assertions fail the behaviour
 * with their text in h->msg.
 */
uint64_t h_ucall(struct hostile *h, struct test_vcpu *vcpu, struct ucall *uc);
/*
 * The guest's GUEST_SYNC2(H_DONE, detail) (detail in *detail), then run it
 * until the deadline kick: true if both came as they should.
 */
bool h_done_then_kick(struct hostile *h, struct test_vcpu *vcpu, uint64_t *detail);
/* Bring the deadline forward to H_LINGER_MS from now (a guest that finished). */
void h_linger(struct hostile *h);
/*
 * A vCPU that can only fail again (shut down, an emulation error): call
 * VTX_RUN on it for H_LINGER_MS, as a hostile caller would; returns how
 * often. Keeps the hostile VM busy while the victim's progress is checked.
 */
uint64_t h_retry(struct hostile *h, struct test_vcpu *vcpu);
/* A fresh VM running @guest_code to h_guest_done(detail), then h_done_then_kick(). */
bool h_run_guest(struct hostile *h, void *guest_code, uint64_t *detail);
/* Run until the deadline; true if it ended with VTX_EXIT_KICK. */
bool h_run_until_kick(struct hostile *h, struct test_vcpu *vcpu);
/* Describe an exit that was not the expected one into h->msg; returns false. */
bool h_bad_exit(struct hostile *h, struct test_vcpu *vcpu, const char *expected);

/* A second host thread running one vCPU until the deadline (multi-vCPU behaviours). */
struct h_thread {
	struct hostile *h;
	struct test_vcpu *vcpu;
	pthread_t thread;
	uint64_t runs;			/* VTX_RUNs done */
	uint64_t last_cmd;		/* last ucall */
	struct ucall uc;
};
void h_thread_start(struct h_thread *t, struct hostile *h, struct test_vcpu *vcpu);
void h_thread_join(struct h_thread *t);

/* The harness (hostile.c): the reaper thread and a behaviour's window. */
void h_reaper_start(void);
uint64_t h_reaper_stop(void);	/* returns the number of kicks sent */
void h_begin(struct hostile *h, unsigned int window_ms);
void h_end(struct hostile *h);

/* guest side */
void h_guest_done(uint64_t detail) __attribute__((noreturn));

/* Long forms of the sweeps (hostile ROUNDS > 1, `make stress`). */
extern bool hostile_full;

/* The behaviours, by file. */
extern const struct hostile_behaviour hostile_cpu[], hostile_mem[], hostile_irq[];
extern const unsigned int hostile_nr_cpu, hostile_nr_mem, hostile_nr_irq;

#endif /* VTX_SELFTEST_HOSTILE_H */
