// SPDX-License-Identifier: GPL-2.0
/*
 * cpuid_irqoff: a 64-bit guest that executes CPUID in a tight loop with
 * RFLAGS.IF = 0 must not keep the host CPU. CPUID is answered in the
 * interrupts-off fastpath (kmod/vmx/exit.c, run.c), which re-enters the
 * guest at once; it must still see the host's work: a SIGALRM ends
 * VTX_RUN with EINTR, and a VTX_KICK from a second thread ends it with
 * VTX_EXIT_KICK, each within a bound. Without a bound on the fastpath, a
 * 1-CPU host never takes its timer interrupt again: the test machine
 * hangs (the watchdog thread cannot run either) and the runner times out.
 */
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>
#include "vcpu_thread.h"
#include "vm.h"
#include "vm_test.h"
#include "vtx_util.h"

#define ALARM_US	20000	/* guest time; each CPUID exit is slow in Bochs */
#define BOUND_NS	3000000000ull	/* 3 s: many scheduler ticks, even in Bochs */

static uint64_t loops, stop;
static struct test_vcpu *vcpu;
static volatile sig_atomic_t alarms;
static uint64_t kick_ns;
static int kick_ret;

static void guest_code(void)
{
	cli();
	while (!READ_ONCE(stop)) {
		cpuid(0, 0);
		WRITE_ONCE(loops, loops + 1);
	}
	GUEST_SYNC(loops);
	GUEST_DONE();
}

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void *kicker(void *arg)
{
	(void)arg;
	usleep(ALARM_US);
	kick_ns = now_ns();
	kick_ret = _vcpu_kick(vcpu);
	return NULL;
}

int main(void)
{
	struct itimerval it = { .it_value = { .tv_usec = ALARM_US } };
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	struct test_vm *vm = vm_test_start(&vcpu, guest_code, 5);
	uint64_t *hloops = addr_gva2hva(vm, &loops), c1, t0, t1;
	struct vtx_regs regs;
	struct ucall uc;
	pthread_t thr;
	int ret, err;

	TEST_ASSERT(!sigaction(SIGALRM, &sa, NULL), "sigaction");
	test_watchdog_start(60, "cpuid_irqoff (VTX_RUN kept the CPU)", NULL);

	TEST_ASSERT(!setitimer(ITIMER_REAL, &it, NULL), "setitimer");
	t0 = now_ns();
	ret = _vcpu_run(vcpu);
	err = errno;
	t1 = now_ns();
	c1 = *hloops;
	ksft_test_result(ret == -1 && err == EINTR && alarms == 1 && c1 > 0,
			 "SIGALRM ends VTX_RUN of a CPUID loop with IF=0: ret %d errno %d, %llu CPUIDs",
			 ret, ret ? err : 0, (unsigned long long)c1);
	ksft_test_result(t1 - t0 < BOUND_NS + ALARM_US * 1000ull,
			 "within %llu ms of entering (bound %llu ms after the alarm)",
			 (unsigned long long)(t1 - t0) / 1000000, BOUND_NS / 1000000);
	vcpu_regs_get(vcpu, &regs);
	ksft_test_result(!(regs.rflags & (1ull << 9)),
			 "guest RFLAGS.IF is 0 (rflags %#llx)", (unsigned long long)regs.rflags);

	TEST_ASSERT(!pthread_create(&thr, NULL, kicker, NULL), "pthread_create");
	ret = _vcpu_run(vcpu);
	t1 = now_ns();
	pthread_join(thr, NULL);
	ksft_test_result(!kick_ret && ret == 0 && vcpu->run->exit_reason == VTX_EXIT_KICK &&
			 t1 - kick_ns < BOUND_NS,
			 "VTX_KICK from a second thread ends it: ret %d, %s, %llu ms after the kick",
			 ret, exit_reason_str(vcpu->run->exit_reason),
			 (unsigned long long)(t1 - kick_ns) / 1000000);

	*(uint64_t *)addr_gva2hva(vm, &stop) = 1;
	ret = vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC && uc.args[0] > c1 &&
	      vcpu_run_to_done(vcpu);
	test_watchdog_stop();
	ksft_test_result(ret, "guest leaves the loop when told and finishes");
	vm_test_finish(vm, vcpu);
}
