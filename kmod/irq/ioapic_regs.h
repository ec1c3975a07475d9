/* SPDX-License-Identifier: GPL-2.0 */
/*
 * I/O APIC architectural constants (Intel 82093AA datasheet): MMIO offsets,
 * indirect registers and redirection-entry bits. Plain #defines with no
 * includes, so that one copy serves the IOAPIC model (ioapic.h, kernel and
 * unit tests), the selftest library and the freestanding test guests.
 */
#ifndef _VTX_IOAPIC_REGS_H
#define _VTX_IOAPIC_REGS_H

/* The PC's IOAPIC page; the ABI's VTX_IOAPIC_GPA (irqchip.c asserts they agree). */
#define IOAPIC_BASE_DEFAULT	0xfec00000ULL

/* MMIO offsets. */
#define IOAPIC_IOREGSEL		0x00
#define IOAPIC_IOWIN		0x10

/* Indirect registers. */
#define IOAPIC_REG_ID		0x00
#define IOAPIC_REG_VER		0x01
#define IOAPIC_REG_ARB		0x02
#define IOAPIC_REG_REDTBL	0x10	/* + 2 * pin: low dword, + 1: high dword */
#define IOAPIC_REG_RTE(pin)	(IOAPIC_REG_REDTBL + 2 * (pin))

/*
 * Redirection entry bits (datasheet 3.2.4). 64-bit constants: the model
 * keeps whole entries, and ~BIT must not clear the destination byte.
 */
#define IOAPIC_RTE_DM_SHIFT	8
#define IOAPIC_RTE_LOGICAL	(1ULL << 11)
#define IOAPIC_RTE_DELIVS	(1ULL << 12)	/* read-only, always idle here */
#define IOAPIC_RTE_ACTIVE_LOW	(1ULL << 13)	/* polarity */
#define IOAPIC_RTE_REMOTE_IRR	(1ULL << 14)	/* read-only */
#define IOAPIC_RTE_LEVEL	(1ULL << 15)
#define IOAPIC_RTE_MASKED	(1ULL << 16)
#define IOAPIC_RTE_DEST_SHIFT	56		/* in the 64-bit entry */

#endif /* _VTX_IOAPIC_REGS_H */
