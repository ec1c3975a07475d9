// SPDX-License-Identifier: GPL-2.0
/* PC platform: the ordered device list and the firmware tables. */
#include <string.h>
#include "platform.h"

struct platform_dev {
	const char *name;
	u16 base, len;
	/* Sets the device up; returns the opaque pointer for in/out. */
	void *(*init)(struct platform *p, const struct platform_config *cfg);
	u32 (*in)(void *opaque, u16 port, u8 size);
	void (*out)(void *opaque, u16 port, u8 size, u32 val);
};

static void *platform_init_uart(struct platform *p, const struct platform_config *cfg)
{
	uart_init(&p->uart, UART_COM1_BASE, cfg->uart_tx, cfg->uart_rx_poll, cfg->uart_host);
	if (cfg->uart_set_irq)
		uart_set_irq_handler(&p->uart, cfg->uart_set_irq, cfg->uart_irq_ctx);
	return &p->uart;
}

static void *platform_init_debug_exit(struct platform *p, const struct platform_config *cfg)
{
	debug_exit_init(&p->dbg, cfg->stop);
	return &p->dbg;
}

static void *platform_init_fw_cfg(struct platform *p, const struct platform_config *cfg)
{
	fw_cfg_init(&p->fw_cfg, cfg->ram_size, cfg->nr_cpus);
	return &p->fw_cfg;
}

static void *platform_init_pci(struct platform *p, const struct platform_config *cfg)
{
	(void)cfg;
	pci_init(&p->pci);
	return &p->pci;
}

static void *platform_init_acpi_pm(struct platform *p, const struct platform_config *cfg)
{
	acpi_pm_init(&p->pm, cfg->pm_now_ns, cfg->clock_ctx);
	p->pm.stop = cfg->stop;
	return &p->pm;
}

static void *platform_init_rtc(struct platform *p, const struct platform_config *cfg)
{
	rtc_init(&p->rtc, cfg->ram_size, cfg->rtc_now, cfg->clock_ctx);
	return &p->rtc;
}

static void *platform_init_testdev(struct platform *p, const struct platform_config *cfg)
{
	testdev_init(&p->testdev, cfg->irq_line, cfg->irq_line_ctx);
	p->has_testdev = true;
	return &p->testdev;
}

/*
 * Ports Linux probes or writes on every boot, where a PC has nothing or
 * nothing to model: the POST code port 0x80 (also its I/O delay) and the
 * COM2-COM4 UARTs. They read all ones and ignore writes, as an empty ISA
 * bus does, without the "unclaimed port" report meant for surprises.
 */
static void *platform_init_absent(struct platform *p, const struct platform_config *cfg)
{
	(void)cfg;
	return p;
}

static u32 platform_absent_in(void *opaque, u16 port, u8 size)
{
	(void)opaque;
	(void)port;
	(void)size;
	return 0xffffffffU;
}

static void platform_absent_out(void *opaque, u16 port, u8 size, u32 val)
{
	(void)opaque;
	(void)port;
	(void)size;
	(void)val;
}

#define PLATFORM_ABSENT(name, base, len)	\
	{ name, base, len, platform_init_absent, platform_absent_in, platform_absent_out }

/* Adding a device is one line here plus its file. */
static const struct platform_dev platform_devs[] = {
	{ "rtc", RTC_PORT_INDEX, RTC_NR_PORTS, platform_init_rtc, rtc_io_in, rtc_io_out },
	{ "debug-exit", DEBUG_EXIT_PORT, 1, platform_init_debug_exit, debug_exit_io_in,
	  debug_exit_io_out },
	{ "uart16550", UART_COM1_BASE, UART_NR_PORTS, platform_init_uart, uart_io_in,
	  uart_io_out },
	{ "fw_cfg", FW_CFG_PORT_SEL, FW_CFG_NR_PORTS, platform_init_fw_cfg, fw_cfg_io_in,
	  fw_cfg_io_out },
	{ "acpi-pm", ACPI_PM_BASE, ACPI_PM_NR_PORTS, platform_init_acpi_pm, acpi_pm_io_in,
	  acpi_pm_io_out },
	{ "pci", PCI_PORT_ADDR, PCI_NR_PORTS, platform_init_pci, pci_io_in, pci_io_out },
	PLATFORM_ABSENT("post-code", 0x80, 1),
	PLATFORM_ABSENT("com2", 0x2f8, UART_NR_PORTS),
	PLATFORM_ABSENT("com3", 0x3e8, UART_NR_PORTS),
	PLATFORM_ABSENT("com4", 0x2e8, UART_NR_PORTS),
};

/* With --testdev only. */
static const struct platform_dev platform_testdev_devs[] = {
	{ "testdev", TESTDEV_PORT_BASE, TESTDEV_NR_PORTS, platform_init_testdev, testdev_io_in,
	  testdev_io_out },
	{ "testdev-irq", TESTDEV_IRQ_BASE, TESTDEV_NR_IRQS, platform_init_testdev,
	  testdev_irq_in, testdev_irq_out },
};

static int platform_add(struct platform *p, struct ioport_bus *bus,
			const struct platform_config *cfg, const struct platform_dev *devs,
			unsigned int n, FILE *err)
{
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		const struct platform_dev *d = &devs[i];
		struct ioport_dev io = {
			.name = d->name, .base = d->base, .len = d->len,
			.opaque = d->init(p, cfg), .in = d->in, .out = d->out,
		};

		ret = ioport_register(bus, &io);
		if (ret) {
			fprintf(err, "vmctl: cannot register %s at 0x%x: %s\n", d->name, d->base,
				strerror(-ret));
			return ret;
		}
	}
	return 0;
}

int platform_init(struct platform *p, struct ioport_bus *bus,
		  const struct platform_config *cfg, FILE *err)
{
	int ret;

	memset(p, 0, sizeof(*p));
	if (cfg->nr_cpus < 1 || cfg->nr_cpus > ACPI_MAX_CPUS) {
		fprintf(err, "vmctl: %u vCPUs: the platform describes 1..%u\n", cfg->nr_cpus,
			ACPI_MAX_CPUS);
		return -EINVAL;
	}
	ret = platform_add(p, bus, cfg, platform_devs,
			   sizeof(platform_devs) / sizeof(platform_devs[0]), err);
	if (!ret && cfg->testdev)
		ret = platform_add(p, bus, cfg, platform_testdev_devs,
				   sizeof(platform_testdev_devs) / sizeof(platform_testdev_devs[0]),
				   err);
	return ret;
}

int platform_mmio(void *ctx, u64 gpa, bool is_write, u32 len, u8 *data)
{
	struct platform *p = ctx;

	if (p->has_testdev)
		return testdev_mmio(&p->testdev, gpa, is_write, len, data);
	return 1;
}

int platform_write_tables(u8 *ram, u64 ram_size, unsigned int nr_cpus, u64 image_lowest,
			  u64 image_end)
{
	int ret;

	if (ram_size < ACPI_AREA_END ||
	    (image_lowest < 0x100000 && image_end > ACPI_AREA_START))
		return 0;
	ret = acpi_build(ram, ram_size, nr_cpus);
	return ret ? ret : 1;
}
