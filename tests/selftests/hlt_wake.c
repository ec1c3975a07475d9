// SPDX-License-Identifier: GPL-2.0
/*
 * hlt_wake: HLT with RFLAGS.IF=1 sleeps in the kernel (VTX_RUN does not
 * return per HLT) until an interrupt is deliverable:
 *  - another host thread queues VTX_INTERRUPT ~100 ms into the HLT: the
 *    guest wakes, its handler runs, and the one VTX_RUN returns only at the
 *    guest's next ucall;
 *  - a signal during the HLT sleep ends VTX_RUN with EINTR; the guest still
 *    wakes on a later interrupt;
 *  - HLT with IF=0 still exits with VTX_EXIT_HLT.
 */
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>
#include "irq.h"
#include "vcpu_thread.h"
#include "vm.h"
#include "vtx_util.h"

#define VEC		0x41
#define DELAY_US	100000

enum { S_START = 1, S_WOKE, S_SIGNAL_WOKE };

static void guest_code(void)
{
	GUEST_SYNC(S_START);
	guest_wait_irq(VEC, 1);
	GUEST_SYNC2(S_WOKE, guest_irq_count(VEC));
	guest_wait_irq(VEC, 2);
	GUEST_SYNC2(S_SIGNAL_WOKE, guest_irq_count(VEC));
	cli();
	hlt();
	GUEST_DONE();
}

static struct test_vcpu *vcpu;
static int irq_ret, irq_err;
static uint64_t irq_sent_ns;

static void *interrupter(void *arg)
{
	(void)arg;
	usleep(DELAY_US);
	irq_sent_ns = now_ns();
	irq_ret = _vcpu_interrupt(vcpu, VEC);
	irq_err = errno;
	return NULL;
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	struct itimerval it = { .it_value = { .tv_usec = DELAY_US } };
	uint64_t t0, t1, cmd;
	unsigned int runs;
	struct test_vm *vm;
	struct vtx_mp_state mp = { .state = ~0u };
	struct ucall uc;
	pthread_t thr;
	int ret, err;

	ksft_print_header();
	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	vm_install_irq_counter(vm, VEC, GUEST_EOI_NONE);
	TEST_ASSERT(!sigaction(SIGALRM, &sa, NULL), "sigaction");
	ksft_set_plan(6);
	test_watchdog_start(30, "hlt_wake (the halted guest never woke?)", NULL);
	TEST_ASSERT(vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC && uc.args[0] == S_START,
		    "guest start");

	/* 1. wake from another thread; count the VTX_RUN calls until the guest reports */
	TEST_ASSERT(!pthread_create(&thr, NULL, interrupter, NULL), "pthread_create");
	t0 = now_ns();
	runs = 0;
	do {
		ret = _vcpu_run(vcpu);
		runs++;
	} while (ret == 0 && get_ucall(vcpu, &uc) == UCALL_NONE &&
		 vcpu->run->exit_reason != VTX_EXIT_HLT && runs < 1000);
	t1 = now_ns();
	pthread_join(thr, NULL);
	cmd = ret ? UCALL_NONE : get_ucall(vcpu, &uc);
	if (cmd == UCALL_NONE)
		vcpu_print_exit(vcpu);
	ksft_test_result(!irq_ret, "VTX_INTERRUPT from another thread during the HLT (%d, errno %d)",
			 irq_ret, irq_ret ? irq_err : 0);
	ksft_test_result(cmd == UCALL_SYNC && uc.args[0] == S_WOKE && uc.args[1] == 1,
			 "the guest woke and its handler ran once (count %llu, exit %s)",
			 (unsigned long long)uc.args[1], exit_reason_str(vcpu->run->exit_reason));
	ksft_test_result(runs == 1 && t1 >= irq_sent_ns && t1 - t0 >= DELAY_US * 900ull,
			 "one VTX_RUN slept through the HLT (%u VTX_RUN calls, %llu ms)", runs,
			 (unsigned long long)(t1 - t0) / 1000000);

	/* 2. a signal ends the HLT sleep */
	TEST_ASSERT(!setitimer(ITIMER_REAL, &it, NULL), "setitimer");
	ret = _vcpu_run(vcpu);
	err = errno;
	_vcpu_mp_state_get(vcpu, &mp);
	ksft_test_result(ret == -1 && err == EINTR && alarms == 1 &&
			 vcpu->run->exit_reason == VTX_EXIT_INTR,
			 "a signal ends VTX_RUN in the HLT sleep with EINTR (ret %d errno %d, exit %s, mp state %s)",
			 ret, ret ? err : 0, exit_reason_str(vcpu->run->exit_reason),
			 mp_state_str(mp.state));
	vcpu_interrupt(vcpu, VEC);
	cmd = vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(cmd == UCALL_SYNC && uc.args[0] == S_SIGNAL_WOKE && uc.args[1] == 2,
			 "after EINTR the halted guest wakes on the next interrupt (count %llu)",
			 (unsigned long long)uc.args[1]);

	/* 3. IF=0 */
	vcpu_run(vcpu);
	ksft_test_result(vcpu->run->exit_reason == VTX_EXIT_HLT,
			 "HLT with IF=0 exits with VTX_EXIT_HLT (exit %s)",
			 exit_reason_str(vcpu->run->exit_reason));
	test_watchdog_stop();
	vcpu_free(vcpu);
	vm_free(vm);
	ksft_finished();
}
