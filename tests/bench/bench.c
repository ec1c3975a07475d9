// SPDX-License-Identifier: GPL-2.0
/*
 * make bench: the same guest workloads under vtx and under Linux's KVM, in
 * one boot of the test machine, printed as one table with their ratio.
 * Three guests: exits (guest.S), one-vCPU interrupts and the MMIO placement
 * rows (guest_apic.S), two-vCPU IPIs (guest_ipi.S). Every number comes
 * from the guest's own RDTSC; a handler count that does not match the
 * iterations fails the row (n/a) rather than print a wrong number.
 */
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "bench.h"

#define MEM_SIZE	(1 << 20)
#define RUNS		3
#define MAX_RESULTS	8
#define WATCHDOG_SEC	60

struct bench_guest {
	const char *start, *end, *ap;	/* ap: entry of vCPU 1, NULL for one vCPU */
	uint32_t iters;
	int nr_results;
};

enum { G_EXITS, G_APIC, G_IPI, G_NR };

/* Result indexes, in the order each guest reports them. */
enum { R_CPUID, R_IO, R_COMPUTE };
enum { R_SELF, R_SELF_N, R_TIMER, R_TIMER_N, R_TPR, R_TDCR, R_NODEV };
enum { R_PINGPONG, R_PING_N, R_WAKE_SUM, R_WAKE_HALTED, R_WAKE_N, R_WAKE_BAD };

static const struct bench_guest guests[G_NR] = {
	[G_EXITS] = { bench_guest_start, bench_guest_end, NULL, 10000, 3 },
	[G_APIC] = { bench_apic_start, bench_apic_end, NULL, 10000, 7 },
	[G_IPI] = { bench_ipi_start, bench_ipi_end, bench_ipi_ap, 2000, 6 },
};

enum {
	M_CPUID, M_IO, M_VMCTL_IO, M_COMPUTE, M_TIMER, M_SELF, M_IPI, M_WAKE, M_TPR, M_TDCR, M_NODEV,
	M_NR
};

/* A row: cycles of @result / (iters * @per), valid if result @count == iters. */
static const struct bench_row {
	const char *name;
	int guest, result, count, per;
	double target;		/* 0: none */
	const char *target_str;
} rows[M_NR] = {
	[M_CPUID] = { "CPUID exit handled in kernel (cycles)", G_EXITS, R_CPUID, -1, 1,
		      250, "<=250" },
	[M_IO] = { "OUT exit round trip via user (cycles)", G_EXITS, R_IO, -1, 1,
		   1500, "<=1500" },
	/* Not a bench guest: vmctl_run_scr() fills the vtx cell. */
	[M_VMCTL_IO] = { "  same, vmctl run + 16550 SCR (cycles)", -1, 0, -1, 1 },
	[M_COMPUTE] = { "compute loop, guest / native", G_EXITS, R_COMPUTE, -1, 1,
			1.01, "<=1.01" },
	[M_TIMER] = { "LAPIC timer one-shot irq (cycles)", G_APIC, R_TIMER, R_TIMER_N, 1 },
	[M_SELF] = { "self-IPI, ICR write to EOI (cycles)", G_APIC, R_SELF, R_SELF_N, 1 },
	[M_IPI] = { "IPI vCPU 0 <-> 1, one way (cycles)", G_IPI, R_PINGPONG, R_PING_N, 2 },
	[M_WAKE] = { "IPI to halted vCPU: HLT-to-wake (cycles)", G_IPI, R_WAKE_SUM, -1, 1 },
	[M_TPR] = { "xAPIC TPR write, kernel (cycles)", G_APIC, R_TPR, -1, 1 },
	[M_TDCR] = { "xAPIC TDCR write, kernel (cycles)", G_APIC, R_TDCR, -1, 1 },
	[M_NODEV] = { "MMIO write, no device, user (cycles)", G_APIC, R_NODEV, -1, 1 },
};

/* One hypervisor's column: best value per row (NAN: n/a, why[] says why). */
struct column {
	double v[M_NR];
	char why[M_NR][96];
	uint32_t wake_halted, wake_n;	/* samples behind the best HLT-to-wake */
};

static uint64_t native = ~0ULL;
static struct bench_hv *volatile watched;

static void on_signal(int sig)
{
	/* SIGALRM: a guest hung; SIGUSR1 only interrupts a vCPU's run ioctl. */
	if (sig == SIGALRM && watched)
		watched->stop(watched, 0);
}

struct ap_thread {
	struct bench_hv *hv;
	pthread_t tid;
	int rc;
};

/* vCPU 1: runs until stopped; on any error it stops vCPU 0 as well. */
static void *ap_main(void *arg)
{
	struct ap_thread *ap = arg;
	uint16_t port;
	uint32_t value;
	int rc;

	do
		rc = ap->hv->run(ap->hv, 1, &port, &value);
	while (rc == 0 && port == BENCH_PORT_NOP);
	ap->rc = rc == 2 ? 0 : -1;
	if (rc != 2) {
		fprintf(stderr, "bench: %s: vCPU 1 ended (rc %d port %#x)\n", ap->hv->name, rc,
			rc == 0 ? port : 0);
		ap->hv->stop(ap->hv, 0);
	}
	return NULL;
}

static int ap_start(struct ap_thread *ap, struct bench_hv *hv)
{
	sigset_t alrm, old;
	int err;

	ap->hv = hv;
	ap->rc = 0;
	/* The watchdog's SIGALRM must reach the thread of vCPU 0. */
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &alrm, &old);
	err = pthread_create(&ap->tid, NULL, ap_main, ap);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err ? -1 : 0;
}

static int ap_stop(struct ap_thread *ap)
{
	ap->hv->stop(ap->hv, 1);
	pthread_kill(ap->tid, SIGUSR1);
	pthread_join(ap->tid, NULL);
	return ap->rc;
}

/* Run guest @g once in a fresh VM; r[] = its results. 0 on success. */
static int bench_run_once(struct bench_hv *hv, const struct bench_guest *g, uint32_t *r)
{
	struct bench_vcpu_init init[BENCH_MAX_VCPUS] = {
		{ BENCH_LOAD_ADDR, BENCH_BSP_STACK, g->iters },
		{ BENCH_LOAD_ADDR + (g->ap ? g->ap - g->start : 0), BENCH_AP_STACK, g->iters },
	};
	char *mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct ap_thread ap;
	int n = 0, rc, ap_on = 0;
	uint16_t port = 0;
	uint32_t value;

	if (mem == MAP_FAILED)
		return -1;
	memcpy(mem + BENCH_LOAD_ADDR, g->start, g->end - g->start);
	rc = hv->setup(hv, mem, MEM_SIZE, init, g->ap ? 2 : 1);
	watched = hv;
	alarm(WATCHDOG_SEC);
	while (rc == 0) {
		rc = hv->run(hv, 0, &port, &value);
		if (rc || port == BENCH_PORT_DONE)
			break;
		if (port == BENCH_PORT_RESULT && n < MAX_RESULTS)
			r[n++] = value;
		else if (port == BENCH_PORT_START_AP && g->ap && !ap_on)
			rc = ap_start(&ap, hv), ap_on = !rc;
	}
	alarm(0);
	watched = NULL;
	if (ap_on && ap_stop(&ap))
		rc = -1;
	hv->teardown(hv);
	munmap(mem, MEM_SIZE);
	if (rc || n != g->nr_results) {
		fprintf(stderr, "bench: %s: guest did not complete (rc %d, %d of %d results)\n",
			hv->name, rc, n, g->nr_results);
		return -1;
	}
	return 0;
}

/* Row @m from one run's results; NAN and @why when a check failed. */
static double bench_row_value(int m, const struct bench_guest *g, const uint32_t *r,
			      char *why, size_t len)
{
	const struct bench_row *row = &rows[m];

	if (row->count >= 0 && r[row->count] != g->iters) {
		snprintf(why, len, "%u interrupts handled for %u iterations",
			 r[row->count], g->iters);
		return NAN;
	}
	if (m == M_COMPUTE)
		return (double)r[R_COMPUTE] / native;
	if (m == M_WAKE) {
		if (r[R_WAKE_N] != g->iters || r[R_WAKE_BAD] || !r[R_WAKE_HALTED]) {
			snprintf(why, len, "%u wakes, %u with a bad TSC delta, %u from HLT",
				 r[R_WAKE_N], r[R_WAKE_BAD], r[R_WAKE_HALTED]);
			return NAN;
		}
		return (double)r[R_WAKE_SUM] / r[R_WAKE_HALTED];
	}
	return (double)r[row->result] / ((double)g->iters * row->per);
}

/* Best of RUNS fresh VMs per guest: the minimum is the path length without noise. */
static void bench_measure(struct bench_hv *hv, struct column *c)
{
	uint32_t r[MAX_RESULTS];
	char why[96];
	int gi, k, m;
	double x;

	for (m = 0; m < M_NR; m++) {
		c->v[m] = NAN;
		snprintf(c->why[m], sizeof(c->why[m]), "guest did not complete");
	}
	for (gi = 0; gi < G_NR; gi++) {
		for (k = 0; k < RUNS; k++) {
			memset(r, 0, sizeof(r));
			if (bench_run_once(hv, &guests[gi], r))
				break;
			for (m = 0; m < M_NR; m++) {
				if (rows[m].guest != gi)
					continue;
				x = bench_row_value(m, &guests[gi], r, why, sizeof(why));
				if (isnan(x)) {
					snprintf(c->why[m], sizeof(c->why[m]), "%s", why);
					continue;
				}
				if (!isnan(c->v[m]) && c->v[m] <= x)
					continue;
				c->v[m] = x;
				if (m == M_WAKE) {
					c->wake_halted = r[R_WAKE_HALTED];
					c->wake_n = r[R_WAKE_N];
				}
			}
		}
	}
}

/*
 * The OUT row once more, answered by a real VMM: `vmctl run scr.img`, the
 * same guest loop on COM1's scratch register, which vmctl's 16550 model
 * stores. The difference to the bench client's row is vmctl's dispatch
 * (device lookup, device lock, model). Best of RUNS runs, like every row.
 */
static void bench_vmctl(const char *vmctl, const char *img, struct column *v,
			struct column *k)
{
	char cmd[512], line[256], *why = v->why[M_VMCTL_IO];
	size_t len = sizeof(v->why[M_VMCTL_IO]);
	unsigned int delta, n;
	int i, rc, found;
	FILE *p;

	snprintf(k->why[M_VMCTL_IO], len, "vmctl drives vtx only");
	snprintf(why, len, "no vmctl (bench.sh passes vmctl and scr.img)");
	for (i = 0; vmctl && img && i < RUNS; i++) {
		snprintf(cmd, sizeof(cmd), "%s run --timeout %d %s </dev/null 2>&1", vmctl,
			 WATCHDOG_SEC, img);
		p = popen(cmd, "r");
		if (!p)
			return;
		found = 0;
		while (fgets(line, sizeof(line), p)) {
			if (sscanf(line, "vtx-bench-scr %x N %x", &delta, &n) == 2 && n)
				found = 1;
			else
				printf("# vmctl: %s", line);
		}
		rc = pclose(p);
		if (rc || !found) {
			snprintf(why, len, "vmctl run: status %#x, %s result line", rc,
				 found ? "a" : "no");
			v->v[M_VMCTL_IO] = NAN;
			return;
		}
		if (isnan(v->v[M_VMCTL_IO]) || (double)delta / n < v->v[M_VMCTL_IO])
			v->v[M_VMCTL_IO] = (double)delta / n;
	}
}

static void print_header(void)
{
	printf("# vtx bench: the same 16-bit guests under vtx and under KVM (kvm-intel), one boot\n");
	printf("# method: the guest times N iterations of each workload with RDTSC (which\n");
	printf("# does not exit) and reports the delta with one OUT; value = delta / N; best\n");
	printf("# of %d runs, each a fresh VM. compute: %d iterations of an imul/add/xor chain\n",
	       RUNS, BENCH_COMPUTE_ITERS);
	printf("# timed in the guest, divided by the same loop run natively (%llu cycles).\n",
	       (unsigned long long)native);
	printf("# exits: N=%u. interrupts: N=%u, real-mode IVT, xAPIC MMIO at %#x, each\n",
	       guests[G_EXITS].iters, guests[G_APIC].iters, BENCH_LAPIC_GPA);
	printf("# handler counts and EOIs; timer: one-shot, initial count %d, divide by 1,\n",
	       BENCH_TIMER_COUNT);
	printf("# armed then STI;HLT (arm + fire + inject + EOI per irq); self-IPI: ICR\n");
	printf("# shorthand self. IPI rows: N=%u, 2 vCPUs = 2 host threads on %ld host CPU(s)\n",
	       guests[G_IPI].iters, sysconf(_SC_NPROCESSORS_ONLN));
	printf("# (on 1 CPU they share it: every IPI includes a host context switch);\n");
	printf("# ping-pong round trip / 2, and TSC from before vCPU 0's ICR write to vCPU 1's\n");
	printf("# handler, averaged over the samples that found vCPU 1 in HLT (vCPU 0 sleeps\n");
	printf("# %d LAPIC counts between samples so that vCPU 1 can halt). placement: the same\n",
	       BENCH_SLEEP_COUNT);
	printf("# MOV to MMIO, N times: LAPIC register (kernel) vs %#x (no device: the\n",
	       BENCH_NODEV_GPA);
	printf("# bench's own userspace answers). vmctl row: the OUT loop of the exits guest\n");
	printf("# on COM1's scratch register (0x3ff), in a boot sector under `vmctl run`,\n");
	printf("# answered by vmctl's 16550 model; N=10000 after 1000 warm-up exits.\n");
	printf("# Bochs TSC counts emulated instructions.\n");
}

static void print_cell(double x, int m)
{
	if (isnan(x))
		printf(" %10s", "n/a");
	else
		printf(m == M_COMPUTE ? " %10.4f" : " %10.1f", x);
}

/* argv: [VMCTL SCR_IMG] for the vmctl row (tests/machine/bench.sh). */
int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	static struct column v, k;
	int i, met = 1, fail = 0;
	uint64_t t;

	/* No SA_RESTART: the signals must interrupt a blocked run ioctl. */
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < RUNS; i++) {
		t = bench_native_compute();
		if (t < native)
			native = t;
	}
	print_header();
	bench_measure(&bench_vtx, &v);
	bench_measure(&bench_kvm, &k);
	bench_vmctl(argc > 2 ? argv[1] : NULL, argc > 2 ? argv[2] : NULL, &v, &k);
	printf("%-40s %10s %10s %9s %8s\n", "metric", "vtx", "kvm", "vtx/kvm", "target");
	for (i = 0; i < M_NR; i++) {
		printf("%-40s", rows[i].name);
		print_cell(v.v[i], i);
		print_cell(k.v[i], i);
		if (isnan(v.v[i]) || isnan(k.v[i]))
			printf(" %9s", "n/a");
		else
			printf(" %8.3fx", v.v[i] / k.v[i]);
		printf(" %8s\n", rows[i].target_str ? rows[i].target_str : "-");
		if (rows[i].target && !(v.v[i] <= rows[i].target))
			met = 0;
		fail |= isnan(v.v[i]);
	}
	for (i = 0; i < M_NR; i++) {
		if (isnan(v.v[i]))
			printf("# n/a: vtx: %s: %s\n", rows[i].name, v.why[i]);
		if (isnan(k.v[i]))
			printf("# n/a: kvm: %s: %s\n", rows[i].name, k.why[i]);
	}
	printf("# HLT-to-wake samples that found vCPU 1 in HLT: vtx %u/%u, kvm %u/%u\n",
	       v.wake_halted, v.wake_n, k.wake_halted, k.wake_n);
	printf("# targets %s\n", met ? "met" : "NOT met");
	return fail;
}
