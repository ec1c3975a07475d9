// SPDX-License-Identifier: GPL-2.0
/*
 * hostile [ROUNDS]: the hostile-guest suite of issue 13. Every behaviour
 * of hostile/{cpu,mem,irq}.c (33: the holes, VMX instructions, MSR
 * sweeps, every port at every size, REP INS/OUTS, odd MMIO, MOVS, storms,
 * minimum-period timers, HLT and triple-fault loops, page tables and an
 * instruction outside RAM) runs in fresh VMs of its own, bounded in wall
 * time by VTX_KICKs past its deadline (hostile/harness.c), and must show
 * its own expected result. Meanwhile one victim VM computes on its own
 * thread: it rewrites one byte of a buffer per iteration and reports the
 * buffer's checksum every VICTIM_REPORT iterations; the host recomputes
 * each checksum and requires that the victim advanced during every
 * behaviour ("victim +K iterations"). Afterwards: every fd closed, vtx's
 * refcount 0, `rmmod vtx` succeeds (vtx is loaded again for the runner),
 * and the kernel log holds no new complaint (klog_complaints()).
 * ROUNDS (default 1) repeats the behaviour list (`make stress`).
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include "hostile/hostile.h"
#include "vcpu_thread.h"

#define VICTIM_BUF	1024
#define VICTIM_REPORT	1024
#define BEHAVIOUR_BOUND_S 300	/* the watchdog: a behaviour that is not contained */

static uint8_t victim_buf[VICTIM_BUF];
bool hostile_full;

/* Guest and host alike: the state after @iter iterations' byte writes, checksummed. */
static void victim_step(uint8_t *buf, uint64_t iter)
{
	buf[(iter * 131) % VICTIM_BUF] = (uint8_t)(iter * 31 + 7);
}

static uint64_t victim_sum(const uint8_t *buf, uint64_t iter)
{
	uint64_t h = 0xcbf29ce484222325ull ^ iter;

	for (unsigned int i = 0; i < VICTIM_BUF; i++)
		h = (h ^ buf[i]) * 0x100000001b3ull;
	return h;
}

static void victim_guest(void)
{
	uint64_t iter = 0;

	cli();
	for (;;) {
		victim_step(victim_buf, iter);
		iter++;
		if (!(iter % VICTIM_REPORT))
			GUEST_SYNC2(iter, victim_sum(victim_buf, iter));
	}
}

static struct {
	struct test_vm *vm;
	struct test_vcpu *vcpu;
	pthread_t thread;
	uint8_t shadow[VICTIM_BUF];	/* the host's replay of the guest's writes */
	uint64_t iter;			/* last verified report */
	uint64_t reports, bad;
	volatile bool stop;
	char why[160];
} victim;

static void *victim_main(void *arg)
{
	uint64_t cmd, i;
	struct ucall uc;
	int ret;

	(void)arg;
	while (!victim.stop) {
		ret = _vcpu_run(victim.vcpu);
		if (ret == -1 && errno == EINTR)
			continue;
		cmd = ret ? UCALL_NONE : get_ucall(victim.vcpu, &uc);
		if (cmd != UCALL_SYNC) {
			snprintf(victim.why, sizeof(victim.why), "VTX_RUN %d, exit %s, ucall %llu",
				 ret, exit_reason_str(victim.vcpu->run->exit_reason),
				 (unsigned long long)cmd);
			victim.bad++;
			break;
		}
		for (i = victim.iter; i < uc.args[0]; i++)
			victim_step(victim.shadow, i);
		if (uc.args[0] != victim.iter + VICTIM_REPORT ||
		    uc.args[1] != victim_sum(victim.shadow, uc.args[0])) {
			snprintf(victim.why, sizeof(victim.why),
				 "report at %llu (last %llu): checksum %#llx, expected %#llx",
				 (unsigned long long)uc.args[0], (unsigned long long)victim.iter,
				 (unsigned long long)uc.args[1],
				 (unsigned long long)victim_sum(victim.shadow, uc.args[0]));
			victim.bad++;
			break;
		}
		__atomic_store_n(&victim.iter, uc.args[0], __ATOMIC_RELEASE);
		victim.reports++;
	}
	return NULL;
}

static uint64_t victim_iter(void)
{
	return __atomic_load_n(&victim.iter, __ATOMIC_ACQUIRE);
}

static void victim_start(void)
{
	victim.vm = vm_create_with_one_vcpu(&victim.vcpu, victim_guest);
	TEST_ASSERT(!pthread_create(&victim.thread, NULL, victim_main, NULL), "victim thread");
}

/*
 * Stop and check the victim: it reports every few hundred microseconds, so
 * its thread sees the flag at its next report and leaves the guest paused
 * there; its memory must then equal the host's replay.
 */
static bool victim_finish(void)
{
	victim.stop = true;
	pthread_join(victim.thread, NULL);
	return !victim.bad && victim.reports > 0 &&
	       !memcmp(addr_gva2hva(victim.vm, victim_buf), victim.shadow, VICTIM_BUF);
}

static const char *current_name;

static void watchdog_report(void)
{
	ksft_print_msg("behaviour %s not contained; victim at %llu\n", current_name,
		       (unsigned long long)victim_iter());
}

static void run_behaviour(const struct hostile_behaviour *b)
{
	static struct hostile h;
	uint64_t before, after, t0 = now_ns();
	bool ok;

	current_name = b->name;
	test_watchdog_start(BEHAVIOUR_BOUND_S, b->name, watchdog_report);
	before = victim_iter();
	h_begin(&h, b->window_ms);
	ok = b->run(&h);
	h_end(&h);
	after = victim_iter();
	test_watchdog_stop();
	ksft_print_msg("%s: %s (%llu ms)\n", b->name, h.msg[0] ? h.msg : "-",
		       (unsigned long long)(now_ns() - t0) / 1000000);
	if (victim.bad)
		ksft_print_msg("victim: %s\n", victim.why);
	ksft_test_result(ok && after > before && !victim.bad,
			 "hostile: %s contained (victim +%llu iterations)", b->name,
			 (unsigned long long)(after - before));
}

static const struct {
	const struct hostile_behaviour *list;
	const unsigned int *nr;
} groups[] = {
	{ hostile_cpu, &hostile_nr_cpu },
	{ hostile_mem, &hostile_nr_mem },
	{ hostile_irq, &hostile_nr_irq },
};

int main(int argc, char **argv)
{
	unsigned int rounds = argc > 1 ? strtoul(argv[1], NULL, 0) : 1, r, g, i, n = 0;
	int complaints, ret;
	uint64_t kicks;
	long refcnt;

	hostile_full = rounds > 1;
	for (g = 0; g < ARRAY_SIZE(groups); g++)
		n += *groups[g].nr;
	ksft_print_header();
	vtx_read_caps(&(struct vtx_caps){ 0 });	/* skip without /dev/vtx */
	ksft_set_plan(rounds * n + 4);
	complaints = klog_complaints();
	ksft_print_msg("%u behaviours x %u round(s); kernel log complaints so far: %d\n", n,
		       rounds, complaints);

	victim_start();
	h_reaper_start();
	for (r = 0; r < rounds; r++)
		for (g = 0; g < ARRAY_SIZE(groups); g++)
			for (i = 0; i < *groups[g].nr; i++)
				run_behaviour(&groups[g].list[i]);
	kicks = h_reaper_stop();

	ksft_test_result(victim_finish(),
			 "victim VM: %llu iterations, %llu checksums verified, memory intact%s%s (%llu deadline kicks to hostile vCPUs)",
			 (unsigned long long)victim.iter, (unsigned long long)victim.reports,
			 victim.bad ? ": " : "", victim.bad ? victim.why : "",
			 (unsigned long long)kicks);
	vcpu_free(victim.vcpu);
	vm_free(victim.vm);

	refcnt = module_refcnt("vtx");
	ksft_test_result(refcnt == 0, "every fd closed: vtx refcount %ld", refcnt);
	ret = module_unload("vtx");
	ksft_test_result(!ret, "rmmod vtx after the suite: %s", ret ? strerror(-ret) : "ok");
	if (!ret && module_load(VTX_MODULE_PATH, NULL))
		ksft_print_msg("insmod %s again failed\n", VTX_MODULE_PATH);
	ret = klog_complaints();
	ksft_test_result(ret == complaints,
			 "kernel log: %d new complaint lines (klog_complaint_words)", ret - complaints);
	ksft_finished();
}
