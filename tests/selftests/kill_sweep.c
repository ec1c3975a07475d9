// SPDX-License-Identifier: GPL-2.0
/*
 * kill_sweep: SIGKILL vmctl at random moments of a guest's life (loading,
 * VM and vCPU creation, SMP start-up with INIT/SIPI, interrupts, port and
 * MMIO exits, the final halt) and check that nothing of it is left: after
 * every kill the vtx module's refcount is back to 0, and after the sweep
 * used memory (caches dropped) is where it was after the first kills (no
 * pinned guest page leaked; the first kills warm up the kernel's caches).
 *
 *   kill_sweep [KILLS [SEED]]   defaults: 20 kills, seed 1
 * Each guest is first run to its end once; its kills then land at uniformly
 * random moments of that span.
 *
 * The guests are our own from /vtx/guests, run exactly as a user would.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "vtx_util.h"

#define GUESTS		"/vtx/guests"
#define WARMUP		NR_GUESTS	/* kills before the memory baseline */
#define LEAK_LIMIT_KIB	2048

/* vmctl run --serial file:/dev/null --cpus CPUS IMAGE; WANT: its status */
static const struct {
	const char *cpus, *image;
	int want;
} guests[] = {
	{ "4", GUESTS "/smp_ipi.elf", 1 },	/* SMP start-up, IPIs; 1: all checks passed */
	{ "1", GUESTS "/apic_timer.elf", 1 },	/* LAPIC timers, x2APIC */
	{ "1", GUESTS "/hello64.elf", 0 },	/* long mode, UART port exits, HLT */
	{ "2", GUESTS "/pit_irq.elf", 1 },	/* PIC, PIT */
};
#define NR_GUESTS	((unsigned int)(sizeof(guests) / sizeof(guests[0])))

static void sleep_us(unsigned long us)
{
	struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts))
		;
}

static unsigned long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ul + ts.tv_nsec / 1000;
}

static pid_t vmctl_start(unsigned int g)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	TEST_ASSERT(pid >= 0, "fork");
	if (!pid) {
		execl("/bin/vmctl", "vmctl", "run", "--serial", "file:/dev/null", "--cpus",
		      guests[g].cpus, guests[g].image, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/*
 * Run guest @g to its end once: it must end as it should (its own checks
 * passed). Returns how long its whole life takes, the span of the kills.
 */
static unsigned long guest_life_us(unsigned int g)
{
	unsigned long t0 = now_us();
	pid_t pid = vmctl_start(g);
	int st;

	TEST_ASSERT(waitpid(pid, &st, 0) == pid, "waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != guests[g].want)
		ksft_exit_fail_msg("%s: status %#x, want exit %d\n", guests[g].image, st,
				   guests[g].want);
	return now_us() - t0;
}

/* refcount of vtx once the killed process is fully gone (bounded wait). */
static long refcnt_settled(void)
{
	long r = -1;
	int i;

	for (i = 0; i < 100; i++) {
		r = module_refcnt("vtx");
		if (!r)
			break;
		sleep_us(10000);
	}
	return r;
}

int main(int argc, char **argv)
{
	unsigned int kills = argc > 1 ? strtoul(argv[1], NULL, 0) : 20;
	unsigned int seed = argc > 2 ? strtoul(argv[2], NULL, 0) : 1;
	unsigned long life[NR_GUESTS];
	unsigned int i, g, finished = 0, leaks = 0;
	long used_warm = 0, used_end, r, pinned_start, pinned;
	unsigned int pin_leaks = 0;
	int st, dev;
	pid_t pid;

	ksft_print_header();
	dev = vtx_open_dev();	/* skips if vtx is not loaded */
	close(dev);
	for (g = 0; g < NR_GUESTS; g++)
		if (access(guests[g].image, R_OK))
			ksft_exit_skip("%s: %s", guests[g].image, strerror(errno));
	ksft_set_plan(4);
	pinned_start = vtx_pinned_pages();
	for (g = 0; g < NR_GUESTS; g++) {
		life[g] = guest_life_us(g);
		ksft_print_msg("%s with %s vCPU(s): %lu us from exec to exit\n",
			       guests[g].image, guests[g].cpus, life[g]);
	}
	srand(seed);
	for (i = 0; i < kills; i++) {
		unsigned long delay;

		if (i == WARMUP)
			used_warm = mem_used_kib();
		g = i % NR_GUESTS;
		/* Anywhere in the guest's life: exec, load, VM set-up, run, exit. */
		delay = (unsigned long)rand() % life[g];
		pid = vmctl_start(g);
		sleep_us(delay);
		kill(pid, SIGKILL);
		TEST_ASSERT(waitpid(pid, &st, 0) == pid, "waitpid");
		if (WIFEXITED(st)) {
			TEST_ASSERT(WEXITSTATUS(st) != 127, "exec /bin/vmctl");
			finished++;	/* ended before the kill landed */
		}
		r = refcnt_settled();
		if (r) {
			ksft_print_msg("kill %u (%s, after %lu us): vtx refcount %ld\n",
				       i, guests[g].image, delay, r);
			leaks++;
		}
		pinned = vtx_pinned_pages();
		if (pinned != pinned_start) {
			ksft_print_msg("kill %u (%s, after %lu us): %ld pages pinned (start %ld)\n",
				       i, guests[g].image, delay, pinned, pinned_start);
			pin_leaks++;
		}
	}
	used_end = mem_used_kib();
	/* The delays span a guest's whole life, so most kills land mid-way. */
	ksft_test_result(finished <= kills / 2,
			 "%u of %u runs were killed mid-way (%u had already finished)",
			 kills - finished, kills, finished);
	ksft_test_result(!leaks, "after every kill vtx's refcount went back to 0 (%u leaks)",
			 leaks);
	ksft_test_result(pinned_start >= 0 && !pin_leaks,
			 "after every kill vtx's pinned guest pages went back to %ld (%u leaks)",
			 pinned_start, pin_leaks);
	ksft_test_result(kills > WARMUP && used_end - used_warm < LEAK_LIMIT_KIB,
			 "used memory %+ld KiB (< %d) over %u kills after %u warm-up ones (seed %u)",
			 used_end - used_warm, LEAK_LIMIT_KIB, kills - WARMUP, WARMUP, seed);
	ksft_finished();
}
