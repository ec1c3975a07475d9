/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmctl: the vtx userspace VMM. Shared definitions: exit codes (the
 * documented contract with scripts and tests) and the stop request that
 * device models and signal handlers use to end the run loop.
 */
#ifndef _VMCTL_H
#define _VMCTL_H

#include <stdbool.h>
#include <stdio.h>
#include "ktypes.h"
#include "uapi/vtx.h"

/*
 * Exit codes. Odd codes come from the guest through the debug exit port
 * (0xf4): a write of v exits with (v << 1) | 1 (truncated to 8 bits by the
 * OS), so "the guest wrote 0" is 1. v = 1 and 2 give 3 and 5, which collide
 * with the codes below: guests that report a status should use v = 0 or
 * v >= 3. Usage errors are 64 (EX_USAGE, sysexits.h), which no port write
 * can produce (it is even), so a script can tell "called wrong" from any
 * guest result.
 */
enum vmctl_exit {
	VMCTL_EXIT_OK		= 0,	/* guest halted with interrupts off */
	VMCTL_EXIT_USAGE	= 64,	/* bad command line (EX_USAGE) */
	VMCTL_EXIT_GUEST_CRASH	= 2,	/* triple fault / shutdown */
	VMCTL_EXIT_VM_ERROR	= 3,	/* VM entry failed, internal error */
	VMCTL_EXIT_BAD_IMAGE	= 4,	/* missing, too big, unknown format */
	VMCTL_EXIT_HOST		= 5,	/* /dev/vtx missing, EPERM, host error */
	VMCTL_EXIT_TIMEOUT	= 124,	/* --timeout expired (as timeout(1)) */
};

/* Returned by exit handlers that want the run loop to go on. */
#define VMCTL_CONTINUE		(-1)

/* A request to end the run loop with an exit code; the first one wins. */
struct vmctl_stop {
	bool requested;
	int code;
};

/*
 * Called under the device lock; @requested is also read without it (the
 * vCPU loops), so it is published after @code.
 */
static inline void vmctl_request_stop(struct vmctl_stop *stop, int code)
{
	if (!stop->requested) {
		stop->code = code;
		__atomic_store_n(&stop->requested, true, __ATOMIC_RELEASE);
	}
}

/* Subcommands (main.c dispatches through a table of these). */
int cmd_info(int argc, char **argv);
int cmd_run(int argc, char **argv);

/* dev.c: open /dev/vtx with an actionable message; returns fd or -exit. */
int vtx_dev_open(void);

#endif /* _VMCTL_H */
