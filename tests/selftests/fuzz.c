// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz: a seeded, reproducible ioctl fuzzer of vtx's whole user surface
 * (syzkaller in spirit, a few hundred lines in practice). Several threads
 * share one pool of objects: /dev/vtx fds, VM fds, vCPU fds, run-page
 * mappings and guest-memory buffers. Each call picks an operation by weight
 * and feeds it random or mutated arguments: slots that overlap, misalign
 * or point at unmapped memory; registers and segment state with flipped
 * bits; run-page mmaps of odd sizes and offsets; unknown ioctl numbers;
 * VTX_RUN of random guest bytes, bounded by a per-thread timer signal;
 * close() of an fd another thread is running on; munmap() of guest memory
 * while it is mapped into a VM; fork() and use of the inherited fds.
 *
 * What must hold (asserted here; the runner adds: vtx unloads afterwards
 * and the kernel log has no new complaint):
 * - every failing call returns an errno from the documented set (EIO only
 *   in a forked child: not the VM's creator);
 * - the fuzzing process is not killed by any signal;
 * - once everything is closed, nothing of vtx is left: module refcount 0
 *   and no guest page still pinned. Memory is compared between the ends of
 *   two fuzzing rounds of equal length (the first warms up the kernel's
 *   caches), after dropping caches: a leak grows with the calls, noise not.
 *
 *   fuzz [CALLS [SEED [THREADS]]]    defaults: 3000 calls, seed 1, 4 threads
 * The seed and the per-thread call count make a run reproducible up to
 * thread interleaving; a failing line prints the seed and operation.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "vtx_util.h"

#define POOL		16	/* objects of each kind */
#define MEM_MAX		(2u << 20)
#define RUN_SLICE_NS	(5 * 1000 * 1000)

enum obj_kind { OBJ_DEV, OBJ_VM, OBJ_VCPU, NR_OBJ_KINDS };

struct buf {
	void *p;
	size_t len;
};

static struct {
	pthread_mutex_t lock;
	int fd[NR_OBJ_KINDS][POOL];
	struct buf mem[POOL];
	struct buf runmap[POOL];
} pool = { .lock = PTHREAD_MUTEX_INITIALIZER };

static unsigned long long seed = 1;
static unsigned long calls_per_thread;
static volatile int in_child;
static long bad_errno, bad_op = -1;
static unsigned long long nr_calls, nr_ok, nr_ops;
/* 8 bytes before a PROT_NONE page: a copy to or from it faults half way. */
static unsigned char *edge;

struct rng {
	unsigned long long s;
};

static unsigned long long rnd(struct rng *r)
{
	/* xorshift64* */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

static unsigned long rnd_below(struct rng *r, unsigned long n)
{
	return n ? rnd(r) % n : 0;
}

static void rnd_fill(struct rng *r, void *p, size_t len)
{
	unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = rnd(r);
}

/* Scratch for ioctl arguments: the kernel may write here, nothing else. */
static __thread unsigned char scratch[4096] __attribute__((aligned(64)));

/* An argument pointer: scratch, NULL, unmapped, kernel, at a page's edge. */
static void *rnd_ptr(struct rng *r)
{
	switch (rnd_below(r, 8)) {
	case 0: return NULL;
	case 1: return (void *)0x1000;
	case 2: return (void *)0xffff888000000000ULL;
	case 3: return edge;
	default: return scratch;
	}
}

static int pick_fd(struct rng *r, enum obj_kind k)
{
	int fd;

	pthread_mutex_lock(&pool.lock);
	fd = pool.fd[k][rnd_below(r, POOL)];
	pthread_mutex_unlock(&pool.lock);
	return fd ? fd : (int)rnd_below(r, 64);	/* an empty slot: any fd number */
}

static void put_fd(struct rng *r, enum obj_kind k, int fd)
{
	int i = rnd_below(r, POOL), old;

	pthread_mutex_lock(&pool.lock);
	old = pool.fd[k][i];
	pool.fd[k][i] = fd;
	pthread_mutex_unlock(&pool.lock);
	if (old > 0)
		close(old);
}

static void drop_fd(struct rng *r, enum obj_kind k)
{
	put_fd(r, k, 0);
}

/* Record a result; an errno outside the documented set fails the run. */
static void check(long ret, int op)
{
	int e = errno;

	__atomic_add_fetch(&nr_calls, 1, __ATOMIC_RELAXED);
	if (ret >= 0) {
		__atomic_add_fetch(&nr_ok, 1, __ATOMIC_RELAXED);
		return;
	}
	switch (e) {
	case EINVAL: case EFAULT: case ENOTTY: case EBADF: case EBUSY:
	case EPERM: case EEXIST: case ENOMEM: case EINTR: case ENOSPC:
	case E2BIG: case ENOENT: case ENXIO: case EAGAIN: case EACCES:
	case ENODEV: case EMFILE: case ENFILE: case EOVERFLOW: case ESHUTDOWN:
		return;
	case EIO:
		if (in_child)	/* not the VM's creator */
			return;
		/* fall through */
	default:
		if (bad_op < 0) {
			bad_errno = e;
			bad_op = op;
		}
	}
}

static void on_slice(int sig)
{
	(void)sig;
}

/* VTX_RUN, bounded: a one-shot timer signal to this thread ends it (EINTR). */
static void op_run(struct rng *r, int op)
{
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGUSR1 };
	struct itimerspec its = { .it_value.tv_nsec = RUN_SLICE_NS };
	timer_t t;
	int fd = pick_fd(r, OBJ_VCPU);

	sev._sigev_un._tid = syscall(SYS_gettid);
	if (timer_create(CLOCK_MONOTONIC, &sev, &t))
		return;
	timer_settime(t, 0, &its, NULL);
	check(ioctl(fd, VTX_RUN, 0), op);
	timer_delete(t);
}

static void op_memory(struct rng *r, int op)
{
	struct vtx_memory_region m;
	struct buf b;

	pthread_mutex_lock(&pool.lock);
	b = pool.mem[rnd_below(r, POOL)];
	pthread_mutex_unlock(&pool.lock);
	rnd_fill(r, &m, sizeof(m));
	m.slot = rnd_below(r, 40);
	m.flags &= rnd_below(r, 2) ? 1u : ~0u;
	if (rnd_below(r, 4)) {
		m.guest_phys_addr = rnd_below(r, 64) << (rnd_below(r, 2) ? 12 : 21);
		m.memory_size = b.len >> rnd_below(r, 3);
		m.userspace_addr = (unsigned long)b.p;
	}
	if (!rnd_below(r, 8))
		m.memory_size = 0;	/* delete */
	check(ioctl(pick_fd(r, OBJ_VM), VTX_SET_MEMORY_REGION, &m), op);
}

/* Get, flip a few bits, set: most mutants must be refused, none may hurt. */
static void op_state(struct rng *r, int op, unsigned long get, unsigned long set, size_t len)
{
	int fd = pick_fd(r, OBJ_VCPU), i;

	check(ioctl(fd, get, scratch), op);
	for (i = rnd_below(r, 4); i >= 0; i--)
		scratch[rnd_below(r, len)] ^= 1u << rnd_below(r, 8);
	check(ioctl(fd, set, rnd_below(r, 8) ? (void *)scratch : rnd_ptr(r)), op);
}

/*
 * Put a new mapping into a random slot of @slots and munmap the one it
 * replaces: possibly a run page or a VM's memory slot that another thread's
 * vCPU is running on, which is the point.
 */
static void pool_swap_buf(struct rng *r, struct buf *slots, void *p, size_t len)
{
	int i = rnd_below(r, POOL);
	struct buf old;

	pthread_mutex_lock(&pool.lock);
	old = slots[i];
	slots[i] = (struct buf){ p, len };
	pthread_mutex_unlock(&pool.lock);
	if (old.p)
		munmap(old.p, old.len);
}

static void op_mmap_run(struct rng *r)
{
	static const size_t sizes[] = { 0, 1, 4096, 8192, 3 * 4096 };
	static const off_t offs[] = { 0, 0, 4096, 1, -4096 };
	size_t len = sizes[rnd_below(r, 5)];
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       rnd_below(r, 4) ? MAP_SHARED : MAP_PRIVATE,
		       pick_fd(r, OBJ_VCPU), offs[rnd_below(r, 5)]);

	if (p != MAP_FAILED)
		pool_swap_buf(r, pool.runmap, p, len);
}

/* New guest memory, its first bytes random (guest code). */
static void op_mem_buf(struct rng *r)
{
	size_t len = rnd_below(r, 2) ? 4096ul << rnd_below(r, 6) : MEM_MAX;
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return;
	/*
	 * Transparent huge pages allowed, so the 2 MiB EPT path is fuzzed too.
	 * Freed huge pages may stay cached on the per-CPU free lists, outside
	 * MemFree (this once read as a +2..12 MiB leak): mem_used_kib() counts
	 * those as free, and the exact leak check is vtx's pinned-page counter.
	 */
	rnd_fill(r, p, len < 8192 ? len : 8192);
	pool_swap_buf(r, pool.mem, p, len);
}

static void fuzz_one(struct rng *r);

/* fork: the child uses the inherited fds (not the creator: EIO), then exits. */
static void op_fork(struct rng *r)
{
	pid_t pid;
	int st, i;

	/* No other thread may hold the pool lock in the (single-threaded) child. */
	pthread_mutex_lock(&pool.lock);
	pid = fork();
	pthread_mutex_unlock(&pool.lock);
	if (pid < 0)
		return;
	if (!pid) {
		in_child = 1;
		for (i = 0; i < 20; i++)
			fuzz_one(r);
		_exit(bad_op < 0 ? 0 : 3);
	}
	if (waitpid(pid, &st, 0) == pid && !(WIFEXITED(st) && !WEXITSTATUS(st)) && bad_op < 0) {
		bad_op = 100;
		bad_errno = WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st);
	}
}

static const unsigned long vcpu_cmds[] = {
	VTX_INTERRUPT, VTX_NMI, VTX_INJECT_EXCEPTION, VTX_KICK, VTX_GET_MP_STATE,
	VTX_SET_MP_STATE, VTX_GET_REGS, VTX_GET_SREGS,
};

static const unsigned long vm_cmds[] = { VTX_IRQ_LINE, VTX_GET_EPT_STATS };

static void fuzz_one(struct rng *r)
{
	int op = rnd_below(r, 100), fd;

	if (op < 4) {
		fd = open("/dev/vtx", O_RDWR | O_CLOEXEC);
		check(fd, op);
		if (fd >= 0)
			put_fd(r, OBJ_DEV, fd);
	} else if (op < 10) {
		fd = ioctl(pick_fd(r, OBJ_DEV), VTX_CREATE_VM, 0);
		check(fd, op);
		if (fd >= 0)
			put_fd(r, OBJ_VM, fd);
	} else if (op < 18) {
		fd = ioctl(pick_fd(r, OBJ_VM), VTX_CREATE_VCPU, rnd_below(r, 4) ?
			   rnd_below(r, 4) : rnd(r));
		check(fd, op);
		if (fd >= 0)
			put_fd(r, OBJ_VCPU, fd);
	} else if (op < 30) {
		op_memory(r, op);
	} else if (op < 45) {
		op_run(r, op);
	} else if (op < 52) {
		op_state(r, op, VTX_GET_REGS, VTX_SET_REGS, sizeof(struct vtx_regs));
	} else if (op < 58) {
		op_state(r, op, VTX_GET_SREGS, VTX_SET_SREGS, sizeof(struct vtx_sregs));
	} else if (op < 68) {
		rnd_fill(r, scratch, 64);
		check(ioctl(pick_fd(r, OBJ_VCPU), vcpu_cmds[rnd_below(r, 8)],
			    rnd_below(r, 4) ? (void *)scratch : rnd_ptr(r)), op);
	} else if (op < 74) {
		rnd_fill(r, scratch, 64);
		check(ioctl(pick_fd(r, OBJ_VM), vm_cmds[rnd_below(r, 2)],
			    rnd_below(r, 4) ? (void *)scratch : rnd_ptr(r)), op);
	} else if (op < 78) {
		/* Any command number of our magic, any direction and size, on any fd kind. */
		check(ioctl(pick_fd(r, rnd_below(r, NR_OBJ_KINDS)),
			    _IOC(rnd_below(r, 4), VTX_IOC_MAGIC, rnd_below(r, 64),
				 rnd_below(r, 512)), rnd_ptr(r)), op);
	} else if (op < 81) {
		check(ioctl(pick_fd(r, OBJ_DEV), rnd_below(r, 2) ? VTX_ENABLE_VMX :
			    VTX_DISABLE_VMX, 0), op);
	} else if (op < 85) {
		op_mmap_run(r);
	} else if (op < 90) {
		op_mem_buf(r);
	} else if (op < 98) {
		drop_fd(r, rnd_below(r, NR_OBJ_KINDS));
	} else if (!in_child) {
		op_fork(r);
	}
}

static void *fuzz_thread(void *arg)
{
	struct rng r = { .s = seed * 0x9e3779b97f4a7c15ULL + (unsigned long)arg + 1 };
	unsigned long i;

	for (i = 0; i < calls_per_thread && bad_op < 0; i++) {
		fuzz_one(&r);
		__atomic_add_fetch(&nr_ops, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void pool_release(void)
{
	int k, i;

	for (k = 0; k < NR_OBJ_KINDS; k++)
		for (i = 0; i < POOL; i++)
			if (pool.fd[k][i] > 0)
				close(pool.fd[k][i]);
	for (i = 0; i < POOL; i++) {
		if (pool.mem[i].p)
			munmap(pool.mem[i].p, pool.mem[i].len);
		if (pool.runmap[i].p)
			munmap(pool.runmap[i].p, pool.runmap[i].len);
	}
}

/* The fuzzing itself, in a child so that its death is observed. */
static int fuzz_run(unsigned long calls, unsigned int threads)
{
	struct sigaction sa = { .sa_handler = on_slice };	/* no SA_RESTART */
	pthread_t tid[16];
	unsigned int i;

	edge = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (edge == MAP_FAILED || mprotect(edge + 4096, 4096, PROT_NONE))
		return 2;
	edge += 4096 - 8;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	calls_per_thread = calls / threads;
	for (i = 0; i < threads; i++)
		if (pthread_create(&tid[i], NULL, fuzz_thread, (void *)(unsigned long)i))
			return 2;
	for (i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);
	pool_release();
	printf("# %llu operations, %llu system calls checked, %llu succeeded\n", nr_ops,
	       nr_calls, nr_ok);
	if (bad_op >= 0) {
		printf("# seed %llu: operation %ld failed with errno %ld (%s)\n", seed, bad_op,
		       bad_errno, strerror(bad_errno));
		return 1;
	}
	return nr_ops == calls_per_thread * threads ? 0 : 2;
}

#define LEAK_LIMIT_KIB	2048

/* One fuzzing round in a child process; its wait status. */
static int fuzz_round(unsigned long calls, unsigned int threads)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	TEST_ASSERT(pid >= 0, "fork");
	if (!pid)
		_exit(fuzz_run(calls, threads));
	TEST_ASSERT(waitpid(pid, &st, 0) == pid, "waitpid");
	return st;
}

int main(int argc, char **argv)
{
	unsigned long calls = argc > 1 ? strtoul(argv[1], NULL, 0) : 3000;
	unsigned int threads = argc > 3 ? strtoul(argv[3], NULL, 0) : 4;
	long used_warm, used_end, refcnt, pinned_start, pinned_end;
	int st, dev;

	seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;
	if (!threads || threads > 16)
		threads = 4;
	ksft_print_header();
	dev = vtx_open_dev();	/* skips if vtx is not loaded */
	close(dev);
	ksft_set_plan(5);
	pinned_start = vtx_pinned_pages();
	/* Round 1 (warm-up) with another seed, round 2 measured. */
	seed += 1000;
	st = fuzz_round(calls / 2, threads);
	seed -= 1000;
	used_warm = mem_used_kib();
	if (WIFEXITED(st) && !WEXITSTATUS(st))
		st = fuzz_round(calls, threads);
	used_end = mem_used_kib();
	ksft_test_result(!WIFSIGNALED(st), "the fuzzer was not killed by a signal (%d)",
			 WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	ksft_test_result(WIFEXITED(st) && WEXITSTATUS(st) != 1,
			 "%lu calls, seed %llu, %u threads: every error is a documented errno",
			 calls, seed, threads);
	ksft_test_result(WIFEXITED(st) && WEXITSTATUS(st) != 2,
			 "all %lu operations were made", calls - calls % threads);
	refcnt = module_refcnt("vtx");
	ksft_test_result(refcnt == 0 && used_end - used_warm < LEAK_LIMIT_KIB,
			 "afterwards vtx refcount %ld (want 0), used memory %+ld KiB (< %d)",
			 refcnt, used_end - used_warm, LEAK_LIMIT_KIB);
	pinned_end = vtx_pinned_pages();
	ksft_test_result(pinned_start >= 0 && pinned_end == pinned_start,
			 "afterwards vtx's pinned guest pages are back to %ld (now %ld)",
			 pinned_start, pinned_end);
	ksft_finished();
}
