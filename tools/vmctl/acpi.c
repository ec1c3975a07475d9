// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI table builder: RSDP -> RSDT/XSDT -> FADT (-> FACS, DSDT) and MADT,
 * written into guest memory with their checksums. Section numbers refer to
 * the ACPI 6.5 specification, chapter 5.2.
 */
#include <string.h>
#include "acpi.h"

#define ACPI_OEM_ID		"VTX   "
#define ACPI_OEM_TABLE_ID	"VMCTL   "
#define ACPI_CREATOR_ID		"VTX "

u8 acpi_checksum(const void *p, size_t len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

static void acpi_put(u8 *t, size_t off, u64 val, unsigned int bytes)
{
	unsigned int i;

	for (i = 0; i < bytes; i++)
		t[off + i] = val >> (8 * i);
}

static void acpi_header(u8 *t, const char *sig, u32 len, u8 rev)
{
	struct acpi_header h;

	memset(&h, 0, sizeof(h));
	memcpy(h.signature, sig, 4);
	h.length = len;
	h.revision = rev;
	memcpy(h.oem_id, ACPI_OEM_ID, 6);
	memcpy(h.oem_table_id, ACPI_OEM_TABLE_ID, 8);
	h.oem_revision = 1;
	memcpy(h.creator_id, ACPI_CREATOR_ID, 4);
	h.creator_revision = 1;
	memcpy(t, &h, sizeof(h));
}

/* The checksum byte makes the whole table sum to zero (5.2.6). */
static void acpi_finish(u8 *t)
{
	struct acpi_header *h = (struct acpi_header *)t;

	h->checksum = 0;
	h->checksum = -acpi_checksum(t, h->length);
}

/* Generic Address Structure (5.2.3.2) in System I/O space. */
static void acpi_gas_io(u8 *t, size_t off, u16 port, u8 bits, u8 access)
{
	t[off] = 1;		/* SystemIO */
	t[off + 1] = bits;
	t[off + 2] = 0;		/* bit offset */
	t[off + 3] = access;	/* 1 byte, 2 word, 3 dword */
	acpi_put(t, off + 4, port, 8);
}

/*
 * FADT revision 3 (5.2.9): no SMI command port, so the OS finds ACPI mode
 * already enabled (SCI_EN set in PM1_CNT). No fixed power/sleep buttons.
 */
static void acpi_build_fadt(u8 *t)
{
	memset(t, 0, ACPI_FADT_LEN);
	acpi_header(t, "FACP", ACPI_FADT_LEN, ACPI_FADT_REVISION);
	acpi_put(t, FADT_FIRMWARE_CTRL, ACPI_FACS_ADDR, 4);
	acpi_put(t, FADT_DSDT, ACPI_DSDT_ADDR, 4);
	acpi_put(t, FADT_SCI_INT, ACPI_SCI_IRQ, 2);
	acpi_put(t, FADT_SMI_CMD, 0, 4);
	acpi_put(t, FADT_PM1A_EVT_BLK, ACPI_PM1_EVT_BLK, 4);
	acpi_put(t, FADT_PM1A_CNT_BLK, ACPI_PM1_CNT_BLK, 4);
	acpi_put(t, FADT_PM_TMR_BLK, ACPI_PM_TMR_BLK, 4);
	t[FADT_PM1_EVT_LEN] = 4;
	t[FADT_PM1_CNT_LEN] = 2;
	t[FADT_PM_TMR_LEN] = 4;
	acpi_put(t, 96, 0x0fff, 2);	/* P_LVL2_LAT > 100: C2 unsupported */
	acpi_put(t, 98, 0x0fff, 2);	/* P_LVL3_LAT > 1000: C3 unsupported */
	t[FADT_CENTURY] = 0x32;		/* CMOS century register (rtc.h) */
	acpi_put(t, FADT_IAPC_BOOT_ARCH, BIT(0), 2);	/* legacy devices (RTC, COM1) */
	/* WBINVD, PROC_C1, PWR_BUTTON and SLP_BUTTON absent, 32-bit timer. */
	acpi_put(t, FADT_FLAGS, BIT(0) | BIT(2) | BIT(4) | BIT(5) | ACPI_FADT_TMR_VAL_EXT, 4);
	acpi_put(t, FADT_X_FIRMWARE_CTRL, ACPI_FACS_ADDR, 8);
	acpi_put(t, FADT_X_DSDT, ACPI_DSDT_ADDR, 8);
	acpi_gas_io(t, FADT_X_PM1A_EVT_BLK, ACPI_PM1_EVT_BLK, 32, 2);
	acpi_gas_io(t, FADT_X_PM1A_CNT_BLK, ACPI_PM1_CNT_BLK, 16, 2);
	acpi_gas_io(t, FADT_X_PM_TMR_BLK, ACPI_PM_TMR_BLK, 32, 3);
	acpi_finish(t);
}

/* FACS (5.2.10): no checksum; the OS needs it for the global lock. */
static void acpi_build_facs(u8 *t)
{
	memset(t, 0, 64);
	memcpy(t, "FACS", 4);
	acpi_put(t, 4, 64, 4);
	t[32] = 2;		/* version */
}

/*
 * The DSDT's AML (ACPI 6.5, 20.2): one object, Name (\_S5, Package ()
 * { 5, 5, 0, 0 }), so that the guest OS knows how to power off: write
 * SLP_TYP 5 with SLP_EN to PM1a_CNT (acpi_pm.c).
 */
static const u8 acpi_dsdt_aml[] = {
	0x08, '_', 'S', '5', '_',		/* NameOp "_S5_" */
	0x12, 0x08, 0x04,			/* PackageOp, PkgLength 8, 4 elements */
	0x0a, ACPI_S5_SLP_TYP, 0x0a, ACPI_S5_SLP_TYP,	/* BytePrefix SLP_TYPa, b */
	0x00, 0x00,				/* ZeroOp x2: reserved */
};

static void acpi_build_dsdt(u8 *t)
{
	u32 len = sizeof(struct acpi_header) + sizeof(acpi_dsdt_aml);

	acpi_header(t, "DSDT", len, 2);
	memcpy(t + sizeof(struct acpi_header), acpi_dsdt_aml, sizeof(acpi_dsdt_aml));
	acpi_finish(t);
}

/*
 * MADT (5.2.12): one enabled Processor Local APIC per vCPU (APIC ID =
 * processor UID = index), one I/O APIC with the next free ID, and the ISA
 * overrides every PC has: the PIT on GSI 2, the SCI level/high on GSI 9.
 */
static u32 acpi_build_madt(u8 *t, unsigned int nr_cpus)
{
	u32 off = sizeof(struct acpi_header);
	unsigned int i;

	acpi_put(t, off, VTX_LAPIC_GPA, 4);
	acpi_put(t, off + 4, BIT(0), 4);	/* PCAT_COMPAT: 8259s present */
	off += 8;
	for (i = 0; i < nr_cpus; i++, off += 8) {
		t[off] = ACPI_MADT_LAPIC;
		t[off + 1] = 8;
		t[off + 2] = i;			/* ACPI processor UID */
		t[off + 3] = i;			/* APIC ID */
		acpi_put(t, off + 4, BIT(0), 4);	/* enabled */
	}
	t[off] = ACPI_MADT_IOAPIC;
	t[off + 1] = 12;
	t[off + 2] = nr_cpus;			/* I/O APIC ID after the CPUs */
	t[off + 3] = 0;
	acpi_put(t, off + 4, VTX_IOAPIC_GPA, 4);
	acpi_put(t, off + 8, 0, 4);		/* GSI base */
	off += 12;
	t[off] = ACPI_MADT_ISO;
	t[off + 1] = 10;
	t[off + 2] = 0;				/* ISA */
	t[off + 3] = 0;				/* IRQ 0 */
	acpi_put(t, off + 4, 2, 4);		/* -> GSI 2 */
	acpi_put(t, off + 8, 0, 2);		/* bus-conforming polarity/trigger */
	off += 10;
	t[off] = ACPI_MADT_ISO;
	t[off + 1] = 10;
	t[off + 2] = 0;
	t[off + 3] = ACPI_SCI_IRQ;
	acpi_put(t, off + 4, ACPI_SCI_IRQ, 4);
	acpi_put(t, off + 8, 0x000d, 2);	/* active high, level triggered */
	off += 10;
	acpi_header(t, "APIC", off, 4);
	acpi_finish(t);
	return off;
}

static void acpi_build_sdt(u8 *t, const char *sig, unsigned int width,
			   const u64 *entries, unsigned int n)
{
	u32 len = sizeof(struct acpi_header) + width * n;
	unsigned int i;

	acpi_header(t, sig, len, 1);
	for (i = 0; i < n; i++)
		acpi_put(t, sizeof(struct acpi_header) + i * width, entries[i], width);
	acpi_finish(t);
}

static void acpi_build_rsdp(u8 *t)
{
	struct acpi_rsdp r;

	memset(&r, 0, sizeof(r));
	memcpy(r.signature, "RSD PTR ", 8);
	memcpy(r.oem_id, ACPI_OEM_ID, 6);
	r.revision = 2;
	r.rsdt_address = ACPI_RSDT_ADDR;
	r.length = sizeof(r);
	r.xsdt_address = ACPI_XSDT_ADDR;
	r.checksum = -acpi_checksum(&r, 20);
	r.extended_checksum = -acpi_checksum(&r, sizeof(r));
	memcpy(t, &r, sizeof(r));
}

int acpi_build(u8 *ram, u64 ram_size, unsigned int nr_cpus)
{
	const u64 tables[] = { ACPI_FADT_ADDR, ACPI_MADT_ADDR };

	if (nr_cpus < 1 || nr_cpus > ACPI_MAX_CPUS)
		return -EINVAL;
	if (ram_size < ACPI_AREA_END)
		return -EFBIG;
	memset(ram + ACPI_AREA_START, 0, ACPI_AREA_END - ACPI_AREA_START);
	acpi_build_fadt(ram + ACPI_FADT_ADDR);
	acpi_build_facs(ram + ACPI_FACS_ADDR);
	acpi_build_dsdt(ram + ACPI_DSDT_ADDR);
	acpi_build_madt(ram + ACPI_MADT_ADDR, nr_cpus);
	acpi_build_sdt(ram + ACPI_RSDT_ADDR, "RSDT", 4, tables, 2);
	acpi_build_sdt(ram + ACPI_XSDT_ADDR, "XSDT", 8, tables, 2);
	acpi_build_rsdp(ram + ACPI_RSDP_ADDR);
	return 0;
}
