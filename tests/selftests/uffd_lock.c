// SPDX-License-Identifier: GPL-2.0
/*
 * uffd_lock: a user fault that never ends must not wedge the VM or the
 * process (issue 13, item 15: vm->lock is never held across a user fault).
 *
 * A child process makes a VM with a slot backed by userfaultfd-registered
 * memory (UFFDIO_REGISTER_MODE_MISSING) whose faults it never resolves.
 * vCPU 0 touches that slot and blocks in the kernel, in one of two ways:
 * - "string I/O": REP OUTSB from the slot; vtx copies the data from the
 *   slot's user memory (vm_read_guest, copy_from_user);
 * - "EPT": a load from the slot; vtx pins the page on the EPT violation.
 *   Long-term GUP waits for userfaultfd only on newer kernels: on 6.1 it
 *   fails at once (VTX_RUN: EFAULT), reported as a skip.
 * Meanwhile the child's other thread must get through the VM ioctls that
 * take vm->lock (a new memory slot, a new vCPU) and run vCPU 1 through an
 * EPT fault of its own. Then the parent SIGKILLs the child: it must be
 * reaped within seconds, and vtx's refcount and pinned-page counter return.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "vm.h"
#include "vtx_util.h"

#define U_SLOT		1
#define U_GPA		0x10000000ull
#define N_SLOT		2
#define N_GPA		0x10800000ull
#define SLOT_SIZE	(2ull << 20)
#define OUT_PORT	0x80
#define STEP_SECONDS	5

enum mode { MODE_STRING_IO, MODE_EPT, NR_MODES };
static const char *const mode_name[NR_MODES] = { "string I/O", "EPT" };

/* Progress the child reports on its pipe, one byte each. */
enum step {
	ST_BLOCKED = 'b',	/* vCPU 0 waits in the userfault */
	ST_NOBLOCK = 'n',	/* vCPU 0's VTX_RUN returned instead (EFAULT) */
	ST_SLOT = 's',		/* VTX_SET_MEMORY_REGION returned */
	ST_VCPU = 'c',		/* VTX_CREATE_VCPU returned */
	ST_RUN = 'r',		/* vCPU 1 faulted in a page and finished */
};

static void guest_code_0(uint64_t mode)
{
	if (mode == MODE_EPT) {
		(void)READ_ONCE(*(volatile uint64_t *)(uintptr_t)U_GPA);
	} else {
		uint64_t src = U_GPA, n = 16;

		asm volatile("rep outsb" : "+S"(src), "+c"(n) : "d"(OUT_PORT) : "memory");
	}
	GUEST_DONE();
}

static void guest_code_1(void)
{
	WRITE_ONCE(*(volatile uint64_t *)(uintptr_t)N_GPA, 1);
	GUEST_DONE();
}

static int report_fd;
static int vcpu0_errno;

static void report(char step)
{
	TEST_ASSERT(write(report_fd, &step, 1) == 1, "write to the parent");
}

static void *vcpu0_main(void *arg)
{
	struct test_vcpu *vcpu = arg;

	/* Returns only when the fault does not wait (or the test is over). */
	if (_vcpu_run(vcpu))
		vcpu0_errno = errno;
	report(ST_NOBLOCK);
	return NULL;
}

/* A userfaultfd whose MISSING faults in [p, p + len) nobody resolves. */
static int uffd_register(void *p, uint64_t len)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = {
		.range = { (uintptr_t)p, len },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	/* Without O_NONBLOCK, poll() on it is always POLLERR at once. */
	int fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		ksft_exit_skip("userfaultfd: %s", strerror(errno));
	TEST_ASSERT(!ioctl(fd, UFFDIO_API, &api), "UFFDIO_API");
	TEST_ASSERT(!ioctl(fd, UFFDIO_REGISTER, &reg), "UFFDIO_REGISTER");
	return fd;
}

/* Child: the VM. Reports each step; never returns (the parent kills it). */
static void child(enum mode mode)
{
	struct test_vcpu *vcpu0, *vcpu1;
	struct test_vm *vm = vm_create();
	struct vtx_ept_stats s;
	struct uffd_msg msg;
	struct pollfd pfd;
	pthread_t thr;
	void *u, *n;

	u = mmap(NULL, SLOT_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	n = mmap(NULL, SLOT_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(u != MAP_FAILED && n != MAP_FAILED, "mmap");
	pfd.fd = uffd_register(u, SLOT_SIZE);
	pfd.events = POLLIN;
	TEST_ASSERT(!vm_set_memory_region(vm, U_SLOT, 0, U_GPA, SLOT_SIZE, u), "uffd slot");
	vcpu0 = vm_vcpu_add(vm, 0, guest_code_0);
	vcpu_args_set(vcpu0, 1, (uint64_t)mode);
	TEST_ASSERT(!pthread_create(&thr, NULL, vcpu0_main, vcpu0), "pthread_create");

	/* A fault message at U_GPA's page says vCPU 0 is in the kernel, waiting. */
	if (poll(&pfd, 1, STEP_SECONDS * 1000) != 1 || !(pfd.revents & POLLIN) ||
	    read(pfd.fd, &msg, sizeof(msg)) != sizeof(msg) || msg.event != UFFD_EVENT_PAGEFAULT ||
	    msg.arg.pagefault.address != (uintptr_t)u)
		for (;;)
			pause();	/* ST_NOBLOCK went (or nothing did): the parent decides */
	report(ST_BLOCKED);

	TEST_ASSERT(!ioctl(vm->fd, VTX_GET_EPT_STATS, &s), "VTX_GET_EPT_STATS");
	TEST_ASSERT(!vm_set_memory_region(vm, N_SLOT, 0, N_GPA, SLOT_SIZE, n), "second slot");
	report(ST_SLOT);
	vcpu1 = vm_vcpu_add(vm, 1, guest_code_1);
	report(ST_VCPU);
	if (vcpu_run_to_done(vcpu1))
		report(ST_RUN);
	for (;;)
		pause();
}

/* The steps the child reached within STEP_SECONDS each, as a string. */
static void collect(int fd, char *got, size_t size)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t len = 0;

	while (len < size - 1 && poll(&pfd, 1, STEP_SECONDS * 1000) == 1 &&
	       read(fd, got + len, 1) == 1)
		len++;
	got[len] = 0;
}

/* SIGKILL @pid; milliseconds until it was reaped, or -1 after 10 s. */
static long kill_and_reap(pid_t pid)
{
	int i, st;

	kill(pid, SIGKILL);
	for (i = 0; i < 1000; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return i * 10;
		usleep(10000);
	}
	return -1;
}

static void test_mode(enum mode mode, long pinned_start)
{
	const char *name = mode_name[mode];
	char got[16];
	int p[2], i;
	long ms, refcnt = -1;
	pid_t pid;

	TEST_ASSERT(!pipe(p), "pipe");
	fflush(stdout);
	pid = fork();
	TEST_ASSERT(pid >= 0, "fork");
	if (!pid) {
		close(p[0]);
		report_fd = p[1];
		child(mode);
	}
	close(p[1]);
	collect(p[0], got, sizeof(got));
	close(p[0]);
	ksft_print_msg("%s: child reached \"%s\"\n", name, got);

	if (got[0] == ST_NOBLOCK)
		ksft_test_result_skip("this kernel's long-term GUP fails (EFAULT) rather than wait for userfaultfd",
				      "%s: VM ioctls and vCPU 1 go on while vCPU 0 waits", name);
	else
		ksft_test_result(!strcmp(got, "bscr"),
				 "%s: while vCPU 0 waits in a userfault, a new slot, a new vCPU and vCPU 1's EPT fault complete (steps \"%s\", want \"bscr\")",
				 name, got);
	ms = kill_and_reap(pid);
	for (i = 0; i < 100 && ms >= 0; i++) {
		refcnt = module_refcnt("vtx");
		if (!refcnt && vtx_pinned_pages() == pinned_start)
			break;
		usleep(10000);
	}
	ksft_test_result(ms >= 0 && !refcnt && vtx_pinned_pages() == pinned_start,
			 "%s: SIGKILL reaped the child in %ld ms; vtx refcount %ld, pinned pages %ld (start %ld)",
			 name, ms, refcnt, vtx_pinned_pages(), pinned_start);
}

int main(void)
{
	long pinned_start;
	int m;

	ksft_print_header();
	close(vtx_open_dev());	/* skips if vtx is not loaded */
	ksft_set_plan(2 * NR_MODES);
	pinned_start = vtx_pinned_pages();
	for (m = 0; m < NR_MODES; m++)
		test_mode(m, pinned_start);
	ksft_finished();
}
