// SPDX-License-Identifier: GPL-2.0
/*
 * `vmctl run IMAGE`: RAM, loader (+ multiboot modules, ACPI tables), /dev/vtx
 * VM + N vCPUs, the platform's devices (platform.c), one thread per vCPU
 * (vcpus.c) and a serial input thread. Memory is one anonymous mapping
 * registered as slot 0 at GPA 0. The boot CPU gets the loader's state; the
 * APs are left to the kernel, which holds them in wait-for-SIPI until the
 * guest starts them (SDM 8.4).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include "vmctl.h"
#include "args.h"
#include "loader.h"
#include "vm.h"
#include "vcpus.h"
#include "platform.h"
#include "console.h"

_Static_assert(VMCTL_CPUS_MAX <= VCPUS_MAX, "--cpus beyond the vCPU table");

struct run_ctx {
	struct vmctl_run_opts opts;
	u8 *ram;
	int dev_fd, vm_fd;
	struct vcpu_set vcpus;		/* its lock is the device lock */
	struct vmctl_vm vm;
	struct platform plat;
	struct console con;
	bool irq_line_off;		/* no VTX_IRQ_LINE: COM1 is polled only */
	u32 irq_line_refused;		/* testdev lines VTX_IRQ_LINE refused */
	pthread_t input_thread;
	bool input_started, input_quit;
};

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
		.name = r->opts.image, .cmdline = r->opts.append,
		.mods = mods, .nr_mods = r->opts.nr_modules,
	};
	struct loader_image im;
	u8 *img, *initrd = NULL;
	char err[256];
	size_t len;
	int ret;

	ret = loader_read_file(r->opts.image, r->opts.mem_size, &img, &len, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "vmctl: %s\n", err);
		return loader_exit_code(ret);
	}
	ret = run_read_modules(r, mods);
	if (!ret && r->opts.initrd) {
		ret = loader_read_file(r->opts.initrd, r->opts.mem_size, &initrd, &lo.initrd_len,
				       err, sizeof(err));
		if (ret) {
			fprintf(stderr, "vmctl: --initrd: %s\n", err);
			ret = loader_exit_code(ret);
		}
		lo.initrd = initrd;
	}
	if (ret) {
		run_free_modules(mods, r->opts.nr_modules);
		free(initrd);
		free(img);
		return ret;
	}
	r->ram = mmap(NULL, r->opts.mem_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (r->ram == MAP_FAILED) {
		r->ram = NULL;
		run_free_modules(mods, r->opts.nr_modules);
		free(initrd);
		free(img);
		return run_host_error("cannot allocate guest RAM");
	}
	madvise(r->ram, r->opts.mem_size, MADV_HUGEPAGE);	/* best effort */
	ret = loader_load(img, len, r->ram, r->opts.mem_size, &lo, &im, regs, sregs, err,
			  sizeof(err));
	run_free_modules(mods, r->opts.nr_modules);
	free(initrd);
	free(img);
	if (ret) {
		fprintf(stderr, "vmctl: %s: %s\n", r->opts.image, err);
		return loader_exit_code(ret);
	}
	/* A multiboot kernel never overlaps the ACPI area (multiboot.c refuses it). */
	if (im.format == LOADER_MULTIBOOT)
		im.lowest = im.mods_end = 0;
	ret = platform_write_tables(r->ram, r->opts.mem_size, r->opts.cpus, im.lowest,
				    im.mods_end);
	if (ret < 0) {
		fprintf(stderr, "vmctl: cannot write the ACPI tables: %s\n", strerror(-ret));
		return VMCTL_EXIT_VM_ERROR;
	}
	return 0;
}

/* vCPU @id with its run page. */
static int run_create_vcpu(struct run_ctx *r, unsigned int id)
{
	struct vmctl_vcpu *v = &r->vcpus.vcpus[id];
	void *p;

	v->fd = ioctl(r->vm_fd, VTX_CREATE_VCPU, id);
	if (v->fd < 0)
		return run_host_error("VTX_CREATE_VCPU");
	p = mmap(NULL, VTX_RUN_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (p == MAP_FAILED)
		return run_host_error("mmap of the vCPU run page");
	v->run = p;
	return 0;
}

/*
 * A kernel without the MP-state ABI would run an AP from whatever state
 * it has: run only the boot CPU there, as before.
 */
static unsigned int run_nr_runnable(struct run_ctx *r)
{
	struct vtx_mp_state mp;

	if (r->opts.cpus == 1)
		return 1;
	if (ioctl(r->vcpus.vcpus[1].fd, VTX_GET_MP_STATE, &mp)) {
		fprintf(stderr,
			"vmctl: warning: --cpus %u: this vtx.ko has no SMP support (VTX_GET_MP_STATE: %s); only the boot CPU runs\n",
			r->opts.cpus, strerror(errno));
		return 1;
	}
	return r->opts.cpus;
}

/* VM, memory slot 0, the vCPUs, the boot CPU's initial state. */
static int run_create_vm(struct run_ctx *r, struct vtx_regs *regs, struct vtx_sregs *sregs)
{
	struct vtx_memory_region mem = {
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = r->opts.mem_size,
		.userspace_addr = (u64)(uintptr_t)r->ram,
	};
	int bsp_fd, ret;
	unsigned int i;

	r->dev_fd = vtx_dev_open();
	if (r->dev_fd < 0)
		return -r->dev_fd;
	r->vm_fd = ioctl(r->dev_fd, VTX_CREATE_VM, 0);
	if (r->vm_fd < 0)
		return run_host_error("VTX_CREATE_VM");
	if (ioctl(r->vm_fd, VTX_SET_MEMORY_REGION, &mem))
		return run_host_error("VTX_SET_MEMORY_REGION");
	for (i = 0; i < r->opts.cpus; i++) {
		ret = run_create_vcpu(r, i);
		if (ret)
			return ret;
	}
	bsp_fd = r->vcpus.vcpus[0].fd;
	if (ioctl(bsp_fd, VTX_SET_SREGS, sregs)) {
		fprintf(stderr, "vmctl: VTX_SET_SREGS: %s\n", strerror(errno));
		return VMCTL_EXIT_VM_ERROR;
	}
	if (ioctl(bsp_fd, VTX_SET_REGS, regs)) {
		fprintf(stderr, "vmctl: VTX_SET_REGS: %s\n", strerror(errno));
		return VMCTL_EXIT_VM_ERROR;
	}
	r->vcpus.nr = run_nr_runnable(r);
	return 0;
}

/*
 * COM1's interrupt output, called under the device lock on level changes.
 * The line always exists (every VM has the in-kernel irqchip); should the
 * ioctl fail anyway, say so once and leave the UART polled.
 */
static void run_uart_set_irq(void *ctx, int level)
{
	struct run_ctx *r = ctx;
	struct vtx_irq_level l = { .irq = UART_COM1_IRQ, .level = level };

	if (r->irq_line_off || !ioctl(r->vm_fd, VTX_IRQ_LINE, &l))
		return;
	r->irq_line_off = true;
	fprintf(stderr, "vmctl: VTX_IRQ_LINE %u: %s; COM1 is polled only from now on\n",
		l.irq, strerror(errno));
}

/* Any GSI, for the testdev's IRQ ports; a refused line is reported once. */
static void run_irq_line(void *ctx, unsigned int gsi, int level)
{
	struct run_ctx *r = ctx;
	struct vtx_irq_level l = { .irq = gsi, .level = level };

	if (!ioctl(r->vm_fd, VTX_IRQ_LINE, &l) || (r->irq_line_refused & BIT(gsi)))
		return;
	r->irq_line_refused |= BIT(gsi);
	fprintf(stderr, "vmctl: testdev: VTX_IRQ_LINE %u: %s (reported once)\n", gsi,
		strerror(errno));
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
		.uart_set_irq = run_uart_set_irq,
		.uart_irq_ctx = r,
		.testdev = r->opts.testdev,
		.irq_line = run_irq_line,
		.irq_line_ctx = r,
	};

	console_init(&r->con, &r->vm.stop);
	if (console_open(&r->con, r->opts.serial == VMCTL_SERIAL_FILE ?
			 r->opts.serial_path : NULL))
		return VMCTL_EXIT_HOST;
	if (platform_init(&r->plat, &r->vm.io, &cfg, stderr))
		return VMCTL_EXIT_HOST;
	return 0;
}

/*
 * VTX_RUN's ENOMEM: vtx pins guest RAM as the guest touches it and charges
 * it to RLIMIT_MEMLOCK (README, "Pinned guest memory"), unless the process
 * has CAP_IPC_LOCK (root has it).
 */
static void run_memlock_hint(const struct run_ctx *r)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_MEMLOCK, &rl) || rl.rlim_cur == RLIM_INFINITY)
		return;
	fprintf(stderr, "vmctl: guest RAM is pinned and counted against the locked-memory limit\n");
	fprintf(stderr, "vmctl: (RLIMIT_MEMLOCK %llu KiB, --mem %llu KiB): raise it with `ulimit -l`, or run with CAP_IPC_LOCK\n",
		(unsigned long long)rl.rlim_cur >> 10,
		(unsigned long long)r->opts.mem_size >> 10);
}

/* One VTX_RUN of @v and its exit, handled under the device lock. */
static int run_vcpu_step(struct vmctl_vcpu *v, void *ctx)
{
	struct run_ctx *r = ctx;
	int ret;

	if (ioctl(v->fd, VTX_RUN, 0)) {
		if (errno == EINTR || errno == EAGAIN)
			return VMCTL_CONTINUE;
		fprintf(stderr, "vmctl: VTX_RUN on vCPU %u: %s\n", v->id, strerror(errno));
		if (errno == ENOMEM) {
			run_memlock_hint(r);
			return VMCTL_EXIT_HOST;
		}
		return VMCTL_EXIT_VM_ERROR;
	}
	vmctl_mutex_lock(&r->vcpus.lock);
	ret = vm_handle_vcpu_exit(&r->vm, v->run, v->id);
	vmctl_mutex_unlock(&r->vcpus.lock);
	return ret;
}

/* Called by the supervisor with the device lock held. */
static int run_vcpu_kick(struct vmctl_vcpu *v, void *ctx)
{
	(void)ctx;
	return ioctl(v->fd, VTX_KICK, 0) ? -errno : 0;
}

/*
 * Host input for COM1 while every vCPU may sleep in the kernel (HLT with
 * IF=1): wait for stdin, then feed the UART under the device lock, which
 * raises its interrupt line. A full receiver waits for the guest to read
 * (RBR reads pull more input themselves).
 */
static void *run_input_thread(void *arg)
{
	struct run_ctx *r = arg;
	struct vcpu_set *s = &r->vcpus;
	struct pollfd pfd = { .events = POLLIN };
	bool quit, full;

	for (;;) {
		vmctl_mutex_lock(&s->lock);
		pfd.fd = r->con.in_fd;
		full = uart_rx_full(&r->plat.uart);
		quit = r->input_quit || s->stop->requested || pfd.fd < 0;
		vmctl_mutex_unlock(&s->lock);
		if (quit)
			break;
		if (full) {
			usleep(2000);
			continue;
		}
		if (poll(&pfd, 1, VCPUS_KICK_PERIOD_MS) <= 0)
			continue;
		vmctl_mutex_lock(&s->lock);
		uart_poll_input(&r->plat.uart);
		vcpus_notify_locked(s);		/* Ctrl-A x */
		vmctl_mutex_unlock(&s->lock);
	}
	return NULL;
}

static int run_vcpus(struct run_ctx *r)
{
	struct vcpu_set *s = &r->vcpus;
	int ret;

	ret = pthread_create(&r->input_thread, NULL, run_input_thread, r);
	if (ret) {
		fprintf(stderr, "vmctl: input thread: %s\n", strerror(ret));
		return VMCTL_EXIT_HOST;
	}
	r->input_started = true;
	ret = vcpus_start(s);
	if (ret) {
		fprintf(stderr, "vmctl: vCPU threads: %s\n", strerror(-ret));
		ret = VMCTL_EXIT_HOST;
	} else {
		ret = vcpus_wait(s, r->opts.timeout_s);
		if (s->timed_out)
			fprintf(stderr, "vmctl: timeout after %u s, guest RIP 0x%llx\n",
				r->opts.timeout_s, (unsigned long long)s->vcpus[0].run->guest_rip);
	}
	vmctl_mutex_lock(&s->lock);
	r->input_quit = true;
	vmctl_mutex_unlock(&s->lock);
	pthread_join(r->input_thread, NULL);
	r->input_started = false;
	return ret;
}

static void run_cleanup(struct run_ctx *r)
{
	unsigned int i;

	console_close(&r->con);
	for (i = 0; i < VCPUS_MAX; i++) {
		struct vmctl_vcpu *v = &r->vcpus.vcpus[i];

		if (v->run)
			munmap(v->run, VTX_RUN_SIZE);
		if (v->fd >= 0)
			close(v->fd);
	}
	vcpus_destroy(&r->vcpus);
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
	r.dev_fd = r.vm_fd = -1;
	console_init(&r.con, &r.vm.stop);
	if (vcpus_init(&r.vcpus, 1, &r.vm.stop, run_vcpu_step, run_vcpu_kick, &r))
		return VMCTL_EXIT_HOST;
	if (args_parse_run(argc, argv, &r.opts, stderr)) {
		vcpus_destroy(&r.vcpus);
		return VMCTL_EXIT_USAGE;
	}
	ret = run_load(&r, &regs, &sregs);
	if (!ret)
		ret = run_create_vm(&r, &regs, &sregs);
	if (!ret) {
		vm_init(&r.vm, r.vcpus.vcpus[0].run, stderr);
		r.vm.mmio = platform_mmio;
		r.vm.mmio_ctx = &r.plat;
		ret = run_add_devices(&r);
	}
	if (!ret)
		ret = run_vcpus(&r);
	run_cleanup(&r);
	return ret;
}
