// SPDX-License-Identifier: GPL-2.0
/*
 * flush_hotplug: TLB-flush IPIs (INVVPID from vpid_alloc(), INVEPT) go
 * only to CPUs in VMX operation. While CPU 1 goes offline and online
 * again and again, this thread creates and destroys vCPUs, each creation
 * an INVVPID on every CPU in VMX operation. A CPU still online but out of
 * VMX operation (after vtx's hotplug callback turned VMX off, before the
 * CPU is really offline; or coming up, before VMXON) must not get one:
 * there INVVPID raises #UD, caught by the fixup and reported with an
 * "INVVPID failed" warning (which the test machine counts as a failure
 * too).
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "vm.h"
#include "vtx_util.h"

#define HOTPLUG_CPU	1
#define NR_CYCLES	4

static volatile bool hotplug_done;
static int hotplug_err;

static void restore_cpu(void)
{
	cpu_set_online(HOTPLUG_CPU, true);
}

static void *hotplug(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < NR_CYCLES && !hotplug_err; i++) {
		hotplug_err = cpu_set_online(HOTPLUG_CPU, false);
		if (!hotplug_err)
			hotplug_err = cpu_set_online(HOTPLUG_CPU, true);
	}
	hotplug_done = true;
	return NULL;
}

int main(void)
{
	static const char *const inv_failed[] = { "failed on", NULL };
	struct test_vm *vm;
	unsigned long flushes = 0;
	pthread_t thr;
	cpu_set_t set;
	int before, after, fd;

	ksft_print_header();
	if (online_cpus() < 2)
		ksft_exit_skip("needs 2 CPUs (run with --cpus 2)");
	ksft_set_plan(3);
	atexit(restore_cpu);
	vm = vm_create();	/* holds VMX: every vCPU creation flushes its VPID everywhere */
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	TEST_ASSERT(!sched_setaffinity(0, sizeof(set), &set), "pin to CPU 0");
	before = klog_count("vtx: INV", inv_failed);

	TEST_ASSERT(!pthread_create(&thr, NULL, hotplug, NULL), "pthread_create");
	while (!hotplug_done) {
		fd = ioctl(vm->fd, VTX_CREATE_VCPU, 0);
		TEST_ASSERT(fd >= 0, "VTX_CREATE_VCPU");
		close(fd);
		flushes++;
	}
	pthread_join(thr, NULL);
	after = klog_count("vtx: INV", inv_failed);
	ksft_test_result(!hotplug_err, "CPU %d offline/online %d times (%s)", HOTPLUG_CPU,
			 NR_CYCLES, hotplug_err ? strerror(-hotplug_err) : "ok");
	ksft_test_result(flushes > 0, "%lu vCPUs created meanwhile (one INVVPID round each)",
			 flushes);
	ksft_test_result(after == before, "no \"INVVPID/INVEPT failed\" warning (%d new)",
			 after - before);
	vm_free(vm);
	ksft_finished();
}
