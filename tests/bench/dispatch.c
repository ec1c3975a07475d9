// SPDX-License-Identifier: GPL-2.0
/*
 * make bench-dispatch: userspace instructions per OUT exit, counted with
 * callgrind on the build host (no VT-x needed), for vmctl's real run loop
 * (vcpus_thread -> run_vcpu_step -> vm_handle_vcpu_exit -> 16550 model on
 * COM1's scratch register) and for the bench client (bench_vtx.c's run()
 * and bench_run_once()'s loop). The ioctl, open and mmap calls of both are
 * stubbed (-Wl,--wrap): VTX_RUN "returns" the same OUT exit at once, so
 * the difference between two runs of N1 and N2 exits divided by N2 - N1 is
 * the dispatch path alone. This is where the vmctl row of make bench gets
 * its explanation (README, Benchmarks).
 */
#include <stdarg.h>
/* Both for their static functions: the loop measured is vmctl's own. */
#include "tools/vmctl/run.c"
#include "tools/vmctl/vcpus.c"
#include "bench.h"

static u8 page[VTX_RUN_SIZE] __attribute__((aligned(4096)));
static struct run_ctx *vmctl;
static long left;
static uint32_t results[8];

/* VTX_RUN: the OUT exit again (until the last one: then vmctl stops). */
int __wrap_ioctl(int fd, unsigned long req, ...)
{
	(void)fd;
	if (req == VTX_CREATE_VM || req == VTX_CREATE_VCPU)
		return 100;
	if (req == VTX_RUN && vmctl && --left == 0)
		vmctl_request_stop(&vmctl->vm.stop, 0);
	return 0;
}

int __wrap_open(const char *path, int flags, ...)
{
	(void)path;
	(void)flags;
	return 100;
}

void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	(void)addr;
	(void)len;
	(void)prot;
	(void)flags;
	(void)fd;
	(void)off;
	return page;
}

static void dispatch_set_exit(struct vtx_run *run, u16 port)
{
	run->exit_reason = VTX_EXIT_IO;
	run->io.direction = VTX_IO_OUT;
	run->io.port = port;
	run->io.size = 1;
	run->io.count = 1;
	run->io.data_offset = VTX_RUN_IO_DATA_OFFSET;
}

static void dispatch_tx(void *host, u8 c)
{
	(void)host;
	(void)c;
}

static int dispatch_rx(void *host)
{
	(void)host;
	return -1;
}

/* vmctl: run_ctx as cmd_run() builds it, minus the kernel and the console. */
static int dispatch_vmctl(void)
{
	static struct run_ctx r;
	const struct platform_config cfg = {
		.ram_size = 1 << 20, .nr_cpus = 1, .stop = &r.vm.stop,
		.uart_tx = dispatch_tx, .uart_rx_poll = dispatch_rx, .uart_host = &r,
		.uart_set_irq = run_uart_set_irq, .uart_irq_ctx = &r,
	};

	vmctl = &r;
	r.dev_fd = r.vm_fd = -1;
	if (vcpus_init(&r.vcpus, 1, &r.vm.stop, run_vcpu_step, run_vcpu_kick, &r) ||
	    run_create_vcpu(&r, 0))
		return 1;
	vm_init(&r.vm, r.vcpus.vcpus[0].run, stderr);
	if (platform_init(&r.plat, &r.vm.io, &cfg, stderr))
		return 1;
	dispatch_set_exit(r.vcpus.vcpus[0].run, UART_COM1_BASE + UART_SCR);
	vcpus_thread(&r.vcpus.vcpus[0]);
	return r.vcpus.vcpus[0].nr_steps ? 0 : 1;
}

/* The bench client: vtx_run() inside the loop of bench_run_once(). */
static int dispatch_client(void)
{
	struct bench_vcpu_init init = { BENCH_LOAD_ADDR, BENCH_BSP_STACK, 0 };
	uint32_t value;
	uint16_t port;
	int n = 0, rc;

	rc = bench_vtx.setup(&bench_vtx, page, sizeof(page), &init, 1);
	dispatch_set_exit((struct vtx_run *)page, BENCH_PORT_NOP);
	while (rc == 0 && left-- > 0) {
		rc = bench_vtx.run(&bench_vtx, 0, &port, &value);
		if (rc || port == BENCH_PORT_DONE)
			break;
		if (port == BENCH_PORT_RESULT && n < 8)
			results[n++] = value;
		else if (port == BENCH_PORT_START_AP)
			break;
	}
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[1], "vmctl") && strcmp(argv[1], "client"))) {
		fprintf(stderr, "usage: %s vmctl|client EXITS\n", argv[0]);
		return 2;
	}
	left = atol(argv[2]);
	return argv[1][0] == 'v' ? dispatch_vmctl() : dispatch_client();
}
