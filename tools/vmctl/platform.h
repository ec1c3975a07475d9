/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PC platform vmctl gives a guest: every port I/O device model, set
 * up from one ordered device list (kvmtool's init lists) so that run.c
 * does not grow with each device, plus the firmware tables in RAM.
 *
 *   0x0070-0x0071  CMOS RTC            0x00f4        debug exit
 *   0x03f8-0x03ff  COM1 16550A         0x0510-0x0511 fw_cfg
 *   0x0600-0x060b  ACPI PM1a + timer   0x0cf8-0x0cff PCI config mechanism #1
 *   absent, quietly (all ones): 0x80 POST code, COM2 0x2f8, COM3 0x3e8, COM4 0x2e8
 *   with --testdev (testdev.h): 0x00e0-0x00eb, 0x2000-0x2017, MMIO 0xff000000
 *
 * The interrupt controllers and timers (8259 pair 0x20/0xa0/0x4d0, 8254
 * 0x40-0x43, port 0x61, LAPIC, IOAPIC) are in vtx.ko, not here.
 */
#ifndef _VMCTL_PLATFORM_H
#define _VMCTL_PLATFORM_H

#include "vmctl.h"
#include "ioport.h"
#include "uart16550.h"
#include "debug_exit.h"
#include "fw_cfg.h"
#include "pci.h"
#include "acpi.h"
#include "rtc.h"
#include "testdev.h"

struct platform_config {
	u64 ram_size;
	unsigned int nr_cpus;
	struct vmctl_stop *stop;	/* debug exit port, ACPI poweroff */
	/* COM1's host side (console.c in vmctl, a buffer in tests). */
	void (*uart_tx)(void *host, u8 c);
	int (*uart_rx_poll)(void *host);
	void *uart_host;
	/* COM1's interrupt output (ISA IRQ 4); NULL: polled only. */
	void (*uart_set_irq)(void *irq_ctx, int level);
	void *uart_irq_ctx;
	/* QEMU's pc-testdev, driving any GSI through @irq_line. */
	bool testdev;
	void (*irq_line)(void *irq_line_ctx, unsigned int gsi, int level);
	void *irq_line_ctx;
	/* Clocks; NULL: the host's (time(), CLOCK_MONOTONIC). */
	time_t (*rtc_now)(void *ctx);
	u64 (*pm_now_ns)(void *ctx);
	void *clock_ctx;
};

struct platform {
	struct uart16550 uart;
	struct debug_exit dbg;
	struct fw_cfg fw_cfg;
	struct pci_bus pci;
	struct acpi_pm pm;
	struct rtc rtc;
	struct testdev testdev;
	bool has_testdev;
};

/* Initialise every device and register it on @bus; -errno naming it on @err. */
int platform_init(struct platform *p, struct ioport_bus *bus,
		  const struct platform_config *cfg, FILE *err);
/*
 * MMIO the platform answers (vmctl_vm's mmio hook, @ctx the platform): 0
 * if handled, 1 if nothing is there.
 */
int platform_mmio(void *ctx, u64 gpa, bool is_write, u32 len, u8 *data);
/*
 * ACPI tables for @nr_cpus into RAM, unless the loaded image overlaps the
 * BIOS area [0xe0000, 1 MiB) (a flat or ELF guest that owns that memory):
 * 1 if written, 0 if skipped, -errno on error.
 */
int platform_write_tables(u8 *ram, u64 ram_size, unsigned int nr_cpus, u64 image_lowest,
			  u64 image_end);

#endif /* _VMCTL_PLATFORM_H */
