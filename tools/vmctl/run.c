// SPDX-License-Identifier: GPL-2.0
/*
 * `vmctl run IMAGE`: RAM, loader (+ multiboot modules, ACPI tables), /dev/vtx
 * VM + one vCPU, the platform's devices (platform.c), and the run loop.
 * Memory is one anonymous mapping registered as slot 0 at GPA 0.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include "vmctl.h"
#include "args.h"
#include "loader.h"
#include "vm.h"
#include "platform.h"
#include "console.h"

struct run_ctx {
	struct vmctl_run_opts opts;
	u8 *ram;
	int dev_fd, vm_fd, vcpu_fd;
	struct vtx_run *run;
	struct vmctl_vm vm;
	struct platform plat;
	struct console con;
};

static volatile sig_atomic_t run_timed_out;

static void run_on_alarm(int sig)
{
	(void)sig;
	run_timed_out = 1;
}

/*
 * The timer fires at --timeout and then every 100 ms: a signal that lands
 * between the flag check and VTX_RUN is not lost, the next one interrupts.
 */
static int run_start_timer(unsigned int seconds)
{
	struct itimerval it = {
		.it_value = { .tv_sec = seconds },
		.it_interval = { .tv_usec = 100000 },
	};
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = run_on_alarm;	/* no SA_RESTART: VTX_RUN returns -EINTR */
	if (sigaction(SIGALRM, &sa, NULL) || setitimer(ITIMER_REAL, &it, NULL)) {
		fprintf(stderr, "vmctl: cannot arm --timeout: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static int run_get_regs(void *ctx, struct vtx_regs *regs)
{
	struct run_ctx *r = ctx;

	return ioctl(r->vcpu_fd, VTX_GET_REGS, regs);
}

static int run_host_error(const char *what)
{
	fprintf(stderr, "vmctl: %s: %s\n", what, strerror(errno));
	return VMCTL_EXIT_HOST;
}

/* --module files into @mods (their strings default to the file name). */
static int run_read_modules(struct run_ctx *r, struct loader_module *mods)
{
	char err[256];
	unsigned int i;
	int ret;

	for (i = 0; i < r->opts.nr_modules; i++) {
		const struct vmctl_module_opt *m = &r->opts.modules[i];
		u8 *data;

		ret = loader_read_file(m->path, r->opts.mem_size, &data, &mods[i].len, err,
				       sizeof(err));
		if (ret) {
			fprintf(stderr, "vmctl: --module: %s\n", err);
			return loader_exit_code(ret);
		}
		mods[i].data = data;
		mods[i].string = m->string ? m->string : m->path;
	}
	return 0;
}

static void run_free_modules(struct loader_module *mods, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		free((void *)mods[i].data);
}

static int run_load(struct run_ctx *r, struct vtx_regs *regs, struct vtx_sregs *sregs)
{
	struct loader_module mods[VMCTL_MODULES_MAX] = { 0 };
	struct loader_opts lo = {
		.has_load_addr = r->opts.has_load_addr, .load_addr = r->opts.load_addr,
		.has_entry = r->opts.has_entry, .entry = r->opts.entry,
		.cmdline = r->opts.append, .mods = mods, .nr_mods = r->opts.nr_modules,
	};
	struct loader_image im;
	char err[256];
	size_t len;
	u8 *img;
	int ret;

	ret = loader_read_file(r->opts.image, r->opts.mem_size, &img, &len, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "vmctl: %s\n", err);
		return loader_exit_code(ret);
	}
	ret = run_read_modules(r, mods);
	if (ret) {
		run_free_modules(mods, r->opts.nr_modules);
		free(img);
		return ret;
	}
	r->ram = mmap(NULL, r->opts.mem_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (r->ram == MAP_FAILED) {
		r->ram = NULL;
		run_free_modules(mods, r->opts.nr_modules);
		free(img);
		return run_host_error("cannot allocate guest RAM");
	}
	madvise(r->ram, r->opts.mem_size, MADV_HUGEPAGE);	/* best effort */
	ret = loader_load(img, len, r->ram, r->opts.mem_size, &lo, &im, regs, sregs, err,
			  sizeof(err));
	run_free_modules(mods, r->opts.nr_modules);
	free(img);
	if (ret) {
		fprintf(stderr, "vmctl: %s: %s\n", r->opts.image, err);
		return loader_exit_code(ret);
	}
	ret = platform_write_tables(r->ram, r->opts.mem_size, r->opts.cpus, im.lowest,
				    im.mods_end);
	if (ret < 0) {
		fprintf(stderr, "vmctl: cannot write the ACPI tables: %s\n", strerror(-ret));
		return VMCTL_EXIT_VM_ERROR;
	}
	return 0;
}

/* VM, memory slot 0, vCPU 0 with its run page and initial state. */
static int run_create_vm(struct run_ctx *r, struct vtx_regs *regs, struct vtx_sregs *sregs)
{
	struct vtx_memory_region mem = {
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = r->opts.mem_size,
		.userspace_addr = (u64)(uintptr_t)r->ram,
	};
	void *p;

	r->dev_fd = vtx_dev_open();
	if (r->dev_fd < 0)
		return -r->dev_fd;
	r->vm_fd = ioctl(r->dev_fd, VTX_CREATE_VM, 0);
	if (r->vm_fd < 0)
		return run_host_error("VTX_CREATE_VM");
	if (ioctl(r->vm_fd, VTX_SET_MEMORY_REGION, &mem))
		return run_host_error("VTX_SET_MEMORY_REGION");
	r->vcpu_fd = ioctl(r->vm_fd, VTX_CREATE_VCPU, 0);
	if (r->vcpu_fd < 0)
		return run_host_error("VTX_CREATE_VCPU");
	p = mmap(NULL, VTX_RUN_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, r->vcpu_fd, 0);
	if (p == MAP_FAILED)
		return run_host_error("mmap of the vCPU run page");
	r->run = p;
	if (ioctl(r->vcpu_fd, VTX_SET_SREGS, sregs)) {
		fprintf(stderr, "vmctl: VTX_SET_SREGS: %s\n", strerror(errno));
		return VMCTL_EXIT_VM_ERROR;
	}
	if (ioctl(r->vcpu_fd, VTX_SET_REGS, regs)) {
		fprintf(stderr, "vmctl: VTX_SET_REGS: %s\n", strerror(errno));
		return VMCTL_EXIT_VM_ERROR;
	}
	return 0;
}

static int run_add_devices(struct run_ctx *r)
{
	const struct platform_config cfg = {
		.ram_size = r->opts.mem_size,
		.nr_cpus = r->opts.cpus,
		.stop = &r->vm.stop,
		.uart_tx = console_tx,
		.uart_rx_poll = console_rx_poll,
		.uart_host = &r->con,
	};

	console_init(&r->con, &r->vm.stop);
	if (console_open(&r->con, r->opts.serial == VMCTL_SERIAL_FILE ?
			 r->opts.serial_path : NULL))
		return VMCTL_EXIT_HOST;
	if (platform_init(&r->plat, &r->vm.io, &cfg, stderr))
		return VMCTL_EXIT_HOST;
	return 0;
}

static int run_loop(struct run_ctx *r)
{
	int ret;

	for (;;) {
		if (run_timed_out) {
			fprintf(stderr, "vmctl: timeout after %u s, guest RIP 0x%llx\n",
				r->opts.timeout_s, (unsigned long long)r->run->guest_rip);
			return VMCTL_EXIT_TIMEOUT;
		}
		if (r->vm.stop.requested)
			return r->vm.stop.code;
		uart_poll_input(&r->plat.uart);
		if (ioctl(r->vcpu_fd, VTX_RUN, 0)) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			fprintf(stderr, "vmctl: VTX_RUN: %s\n", strerror(errno));
			return VMCTL_EXIT_VM_ERROR;
		}
		ret = vm_handle_exit(&r->vm);
		if (ret != VMCTL_CONTINUE)
			return ret;
	}
}

static void run_cleanup(struct run_ctx *r)
{
	struct itimerval off = { 0 };

	setitimer(ITIMER_REAL, &off, NULL);
	console_close(&r->con);
	if (r->run)
		munmap(r->run, VTX_RUN_SIZE);
	if (r->vcpu_fd >= 0)
		close(r->vcpu_fd);
	if (r->vm_fd >= 0)
		close(r->vm_fd);
	if (r->dev_fd >= 0)
		close(r->dev_fd);
	if (r->ram)
		munmap(r->ram, r->opts.mem_size);
	args_free_run(&r->opts);
}

int cmd_run(int argc, char **argv)
{
	static struct run_ctx r;	/* big (uart, bus bitmap): not on the stack */
	struct vtx_regs regs;
	struct vtx_sregs sregs;
	int ret;

	memset(&r, 0, sizeof(r));
	r.dev_fd = r.vm_fd = r.vcpu_fd = -1;
	console_init(&r.con, &r.vm.stop);
	if (args_parse_run(argc, argv, &r.opts, stderr))
		return VMCTL_EXIT_USAGE;
	/* Firmware tables and fw_cfg describe them all; vtx runs APs later. */
	if (r.opts.cpus > 1)
		fprintf(stderr,
			"vmctl: warning: --cpus %u: the platform describes %u CPUs, but only the boot CPU runs for now\n",
			r.opts.cpus, r.opts.cpus);
	ret = run_load(&r, &regs, &sregs);
	if (!ret)
		ret = run_create_vm(&r, &regs, &sregs);
	if (!ret) {
		vm_init(&r.vm, r.run, stderr);
		r.vm.get_regs = run_get_regs;
		r.vm.ctx = &r;
		ret = run_add_devices(&r);
	}
	if (!ret && r.opts.timeout_s && run_start_timer(r.opts.timeout_s))
		ret = VMCTL_EXIT_HOST;
	if (!ret)
		ret = run_loop(&r);
	run_cleanup(&r);
	return ret;
}
