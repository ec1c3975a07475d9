// SPDX-License-Identifier: GPL-2.0
/*
 * mb_hello.elf: a multiboot kernel that checks the PC platform vmctl
 * gives it and prints TAP on COM1, then reports through the debug exit
 * port 0xf4: 0 if every check passed (vmctl exits 1), 1 otherwise (3).
 *
 * Run as: vmctl run --mem M --cpus N --append "mb_hello mem=M cpus=N"
 *           --module mb_hello.mod,mb_hello.mod mb_hello.elf
 * (M in MiB, below 4000). The command line tells it what to expect; vmctl
 * puts the image's name first ("/path/mb_hello.elf mb_hello mem=M ...").
 */
#include "mb_lib.h"

#define MB_INFO_WANTED		(MB_INFO_MEM | MB_INFO_CMDLINE | MB_INFO_MODS | MB_INFO_MMAP)
#define MOD_CONTENT		"vtx multiboot module\n"	/* guests.mk writes it */
#define MOD_STRING		"mb_hello.mod"

struct mb_module {
	u32 mod_start, mod_end, string, reserved;
};

struct mb_mmap {
	u32 size;
	u64 base, len;
	u32 type;
} __attribute__((packed));

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* The decimal value after "key=" in the command line, or 0. */
static u32 cmdline_value(const char *s, const char *key)
{
	u32 klen = str_len(key), v = 0;

	for (; *s; s++) {
		if ((s[klen] == '=') && mem_eq(s, key, klen)) {
			for (s += klen + 1; *s >= '0' && *s <= '9'; s++)
				v = v * 10 + (*s - '0');
			return v;
		}
	}
	return 0;
}

static void check_multiboot(const struct mb_info *mi, u32 mem_mib)
{
	const struct mb_module *m = (const void *)mi->mods_addr;
	u32 off, usable_low = 0, usable_high = 0, bad_size = 0;

	check((mi->flags & MB_INFO_WANTED) == MB_INFO_WANTED, "multiboot info flags");
	check(mi->mem_lower == 639, "mem_lower is 639 KiB");
	check(mi->mem_upper == (mem_mib - 1) * 1024, "mem_upper matches --mem");
	for (off = 0; off + sizeof(struct mb_mmap) <= mi->mmap_length;) {
		const struct mb_mmap *e = (const void *)(mi->mmap_addr + off);

		if (e->size < 20) {
			bad_size = 1;
			break;
		}
		if (e->type == 1 && e->base == 0 && e->len == 0x9fc00)
			usable_low = 1;
		if (e->type == 1 && e->base == 0x100000 && e->len == (u64)(mem_mib - 1) << 20)
			usable_high = 1;
		off += e->size + 4;
	}
	check(!bad_size && usable_low && usable_high, "memory map: 0-639K and 1M-RAM end usable");
	check(mi->mods_count == 1, "one module");
	if (mi->mods_count != 1)
		return;
	check(!(m->mod_start & 0xfff) && m->mod_start >= 0x100000, "module page aligned above 1M");
	check(m->mod_end - m->mod_start == str_len(MOD_CONTENT) &&
	      mem_eq((const void *)m->mod_start, MOD_CONTENT, str_len(MOD_CONTENT)),
	      "module contents");
	check(str_eq((const char *)m->string, MOD_STRING), "module string");
}

static void fw_cfg_select(u16 key)
{
	outw(0x510, key);
}

static u64 fw_cfg_read(unsigned int bytes)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < bytes; i++)
		v |= (u64)inb(0x511) << (8 * i);
	return v;
}

static void check_fw_cfg(u32 mem_mib, u32 cpus)
{
	fw_cfg_select(0);
	check(fw_cfg_read(4) == ('Q' | 'E' << 8 | 'M' << 16 | (u32)'U' << 24), "fw_cfg signature");
	fw_cfg_select(5);
	check(fw_cfg_read(2) == cpus, "fw_cfg CPU count");
	fw_cfg_select(3);
	check(fw_cfg_read(8) == (u64)mem_mib << 20, "fw_cfg RAM size");
}

static u32 pci_read(u32 dev, u32 reg)
{
	outl(0xcf8, 0x80000000 | dev << 11 | reg);
	return inl(0xcfc);
}

/* Returns the PM timer port from the FADT, or 0. */
static u32 check_acpi(u32 cpus)
{
	const u8 *rsdp = acpi_find_rsdp(), *xsdt, *madt = 0, *fadt = 0;
	u32 i, len, lapics = 0;

	check(rsdp && rsdp[15] >= 2 && !checksum(rsdp, 36), "ACPI RSDP v2 with checksums");
	if (!rsdp)
		return 0;
	xsdt = (const void *)*(const u32 *)(rsdp + 24);	/* below 4 GiB */
	len = *(const u32 *)(xsdt + 4);
	check(mem_eq(xsdt, "XSDT", 4) && !checksum(xsdt, len), "ACPI XSDT checksum");
	for (i = 36; i + 8 <= len; i += 8) {
		const u8 *t = (const void *)*(const u32 *)(xsdt + i);

		if (mem_eq(t, "APIC", 4))
			madt = t;
		if (mem_eq(t, "FACP", 4))
			fadt = t;
	}
	check(madt && !checksum(madt, *(const u32 *)(madt + 4)), "ACPI MADT found, checksum");
	if (madt) {
		len = *(const u32 *)(madt + 4);
		for (i = 44; i + 2 <= len && madt[i + 1] >= 2; i += madt[i + 1])
			if (madt[i] == 0 && (*(const u32 *)(madt + i + 4) & 1))
				lapics++;
		check(lapics == cpus, "MADT: one enabled local APIC per CPU");
	}
	check(fadt && !checksum(fadt, *(const u32 *)(fadt + 4)) && fadt[8] >= 3,
	      "ACPI FADT found, checksum, revision >= 3");
	if (!fadt)
		return 0;
	check(*(const u32 *)(fadt + 76) == 0x608 && fadt[91] == 4, "FADT PM timer at 0x608");
	return *(const u32 *)(fadt + 76);
}

static void check_pm_timer(u32 port)
{
	u32 t0, t1 = 0, i;

	if (!port)
		port = PM_TIMER_PORT;
	t0 = inl(port);
	for (i = 0; i < 1000000; i++) {
		t1 = inl(port);
		if (t1 != t0)
			break;
	}
	check(t1 != t0, "PM timer advances");
}

static u8 cmos_read(u8 reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static u32 bcd(u8 v, int binary)
{
	return binary ? v : (v >> 4) * 10 + (v & 15);
}

static void check_rtc(void)
{
	int binary = cmos_read(0x0b) & 4;
	u32 year = bcd(cmos_read(0x32), binary) * 100 + bcd(cmos_read(0x09), binary);

	check(!(cmos_read(0x0a) & 0x80) && (cmos_read(0x0d) & 0x80), "RTC status A/D");
	check(year >= 2024 && year < 2100, "RTC year is sane");
}

void mb_main(u32 magic, const struct mb_info *mi);

void mb_main(u32 magic, const struct mb_info *mi)
{
	const char *cmd = "";
	u32 mem_mib, cpus, pm_port, name_len;

	print("mb_hello: multiboot platform checks\r\n");
	check(magic == MB_BOOT_MAGIC, "EAX holds the multiboot magic");
	if (magic == MB_BOOT_MAGIC && (mi->flags & MB_INFO_CMDLINE))
		cmd = (const char *)mi->cmdline;
	for (name_len = 0; cmd[name_len] && cmd[name_len] != ' '; name_len++)
		;
	check(name_len >= 12 && mem_eq(cmd + name_len - 12, "mb_hello.elf", 12) &&
	      mem_eq(cmd + name_len, " mb_hello ", 10),
	      "command line: the image name, then the --append text");
	mem_mib = cmdline_value(cmd, "mem");
	cpus = cmdline_value(cmd, "cpus");
	check(mem_mib >= 2 && mem_mib < 4000 && cpus >= 1, "command line has mem= and cpus=");
	if (magic == MB_BOOT_MAGIC)
		check_multiboot(mi, mem_mib);
	check_fw_cfg(mem_mib, cpus);
	check(pci_read(0, 0) == 0x12378086, "PCI 00:00.0 is the i440FX host bridge");
	check(pci_read(1, 0) == 0xffffffff, "PCI 00:01.0 is empty (all ones)");
	pm_port = check_acpi(cpus);
	check_pm_timer(pm_port);
	check_rtc();
	tap_done();
}
