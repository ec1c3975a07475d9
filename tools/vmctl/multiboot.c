// SPDX-License-Identifier: GPL-2.0
/*
 * Multiboot v1 loader (Multiboot Specification 0.6.96): header search,
 * kernel from ELF program headers or the a.out-kludge address fields,
 * page-aligned modules after the kernel, the information structure with
 * memory sizes, e820-style map, command line and module list.
 */
#include <string.h>
#include "multiboot.h"
#include "boot.h"
#include "acpi.h"

#define MB_PAGE			0x1000ULL
#define MB_LOADER_NAME		"vmctl"

/*
 * What vmctl itself writes below 1 MiB for a multiboot kernel; the kernel
 * may load anywhere else in RAM, as with QEMU. (The initial ESP, 0x80000,
 * is no data: the kernel must set up its own stack, spec 3.2.)
 */
static const struct loader_range mb_reserved[] = {
	{ BOOT_GDT_ADDR, BOOT_TSS_ADDR + BOOT_TSS_LIMIT + 1, "boot GDT and TSS" },
	{ MB_INFO_ADDR, MB_INFO_END, "multiboot information area" },
	{ ACPI_AREA_START, ACPI_AREA_END, "ACPI tables" },
};

#define MB_NR_RESERVED	(sizeof(mb_reserved) / sizeof(mb_reserved[0]))

static u32 mb_get32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

int multiboot_find(const u8 *img, size_t len, size_t *off)
{
	size_t limit = len < MB_SEARCH_LIMIT ? len : MB_SEARCH_LIMIT;
	bool bad = false;
	size_t i;

	for (i = 0; i + 12 <= limit; i += 4) {
		if (mb_get32(img + i) != MB_HEADER_MAGIC)
			continue;
		/* magic + flags + checksum == 0 (mod 2^32) */
		if ((u32)(MB_HEADER_MAGIC + mb_get32(img + i + 4) + mb_get32(img + i + 8)) == 0) {
			*off = i;
			return 0;
		}
		if (!bad)
			*off = i;
		bad = true;
	}
	return bad ? -ENOEXEC : -ENOENT;
}

static unsigned int mb_mmap_add(struct mb_mmap_entry *map, unsigned int n, u64 base, u64 end,
				u32 type)
{
	map[n].size = sizeof(*map) - sizeof(map->size);
	map[n].base_addr = base;
	map[n].length = end - base;
	map[n].type = type;
	return n + 1;
}

unsigned int multiboot_mmap(u64 ram_size, struct mb_mmap_entry *map)
{
	unsigned int n = 0;

	n = mb_mmap_add(map, n, 0, MB_BASE_MEM_END, MB_MEM_AVAILABLE);
	n = mb_mmap_add(map, n, MB_BASE_MEM_END, 0xa0000, MB_MEM_RESERVED);
	n = mb_mmap_add(map, n, ACPI_AREA_START, ACPI_AREA_END, MB_MEM_ACPI);
	n = mb_mmap_add(map, n, 0xf0000, MB_HIGH_MEM_START, MB_MEM_RESERVED);
	if (ram_size > MB_HIGH_MEM_START)
		n = mb_mmap_add(map, n, MB_HIGH_MEM_START,
				ram_size < MB_APIC_WINDOW ? ram_size : MB_APIC_WINDOW,
				MB_MEM_AVAILABLE);
	/* The I/O APIC and local APIC live here whatever RAM says. */
	if (ram_size > MB_APIC_WINDOW)
		n = mb_mmap_add(map, n, MB_APIC_WINDOW, 1ULL << 32, MB_MEM_RESERVED);
	if (ram_size > (1ULL << 32))
		n = mb_mmap_add(map, n, 1ULL << 32, ram_size, MB_MEM_AVAILABLE);
	return n;
}

/*
 * a.out kludge (spec 3.1.3): header_addr is where the header itself lands,
 * which places the file: the loaded part starts load_addr - header_addr
 * bytes before the header.
 */
static int mb_load_aout(const u8 *img, size_t len, size_t hoff, const struct mb_header *h,
			u8 *ram, u64 ram_size, struct loader_image *out, char *err,
			size_t errlen)
{
	const struct loader_range *r;
	u64 file_off, size, bss_end;

	if (h->load_addr > h->header_addr || h->header_addr - h->load_addr > hoff)
		return loader_fail(-ENOEXEC, err, errlen,
				   "multiboot a.out kludge: load_addr 0x%x is not in the file before header_addr 0x%x",
				   h->load_addr, h->header_addr);
	file_off = hoff - (h->header_addr - h->load_addr);
	size = h->load_end_addr ? (u64)h->load_end_addr - h->load_addr : len - file_off;
	if (h->load_end_addr && (h->load_end_addr < h->load_addr || size > len - file_off))
		return loader_fail(-ENOEXEC, err, errlen,
				   "multiboot a.out kludge: load_end_addr 0x%x is outside the file",
				   h->load_end_addr);
	bss_end = h->bss_end_addr ? h->bss_end_addr : h->load_addr + size;
	if (bss_end < h->load_addr + size)
		return loader_fail(-ENOEXEC, err, errlen,
				   "multiboot a.out kludge: bss_end_addr 0x%x below load_end_addr",
				   h->bss_end_addr);
	if (bss_end > ram_size)
		return loader_fail(-EFBIG, err, errlen,
				   "multiboot kernel [0x%x, 0x%llx) is outside RAM [0, 0x%llx)",
				   h->load_addr, (unsigned long long)bss_end,
				   (unsigned long long)ram_size);
	r = loader_overlap(h->load_addr, bss_end, mb_reserved, MB_NR_RESERVED);
	if (r)
		return loader_fail(-EFBIG, err, errlen,
				   "multiboot kernel [0x%x, 0x%llx) overlaps the %s at [0x%llx, 0x%llx)",
				   h->load_addr, (unsigned long long)bss_end, r->what,
				   (unsigned long long)r->start, (unsigned long long)r->end);
	memcpy(ram + h->load_addr, img + file_off, size);
	memset(ram + h->load_addr + size, 0, bss_end - h->load_addr - size);
	out->lowest = h->load_addr;
	out->highest = bss_end;
	out->entry = h->entry_addr;
	return 0;
}

/* Append a NUL-terminated string to the strings area; returns its address or 0. */
static u64 mb_put_string(u8 *ram, u64 *next, const char *s)
{
	size_t n = strlen(s) + 1;
	u64 at = *next;

	if (n > MB_INFO_END - at)
		return 0;
	memcpy(ram + at, s, n);
	*next += n;
	return at;
}

/* "NAME CMDLINE" (either may be missing), as GRUB and QEMU pass it; address or 0. */
static u64 mb_put_cmdline(u8 *ram, u64 *next, const char *name, const char *cmdline)
{
	size_t nl = name ? strlen(name) : 0, cl = cmdline ? strlen(cmdline) : 0;
	size_t n = nl + (nl && cl) + cl + 1;
	u64 at = *next;

	if (n > MB_INFO_END - at)
		return 0;
	if (nl)
		memcpy(ram + at, name, nl);
	if (nl && cl)
		ram[at + nl] = ' ';
	if (cl)
		memcpy(ram + at + nl + (nl && cl), cmdline, cl);
	ram[at + n - 1] = 0;
	*next += n;
	return at;
}

static int mb_load_modules(u8 *ram, u64 ram_size, const struct loader_opts *o,
			   struct loader_image *out, struct mb_info *info, u64 *strings,
			   char *err, size_t errlen)
{
	u64 limit = ram_size < MB_APIC_WINDOW ? ram_size : MB_APIC_WINDOW;
	u64 start = out->highest > MB_HIGH_MEM_START ? out->highest : MB_HIGH_MEM_START;
	u64 at = (start + MB_PAGE - 1) & ~(MB_PAGE - 1);
	struct mb_module m;
	unsigned int i;

	if (o->nr_mods > MB_MAX_MODULES)
		return loader_fail(-EINVAL, err, errlen, "at most %zu multiboot modules",
				   (size_t)MB_MAX_MODULES);
	for (i = 0; i < o->nr_mods; i++) {
		const struct loader_module *lm = &o->mods[i];

		if (at > limit || lm->len > limit - at)
			return loader_fail(-EFBIG, err, errlen,
					   "module %u (%zu bytes) does not fit in RAM after 0x%llx",
					   i + 1, lm->len, (unsigned long long)at);
		memcpy(ram + at, lm->data, lm->len);
		memset(&m, 0, sizeof(m));
		m.mod_start = at;
		m.mod_end = at + lm->len;
		m.string = mb_put_string(ram, strings, lm->string ? lm->string : "");
		if (!m.string)
			return loader_fail(-EINVAL, err, errlen,
					   "command line and module strings exceed %llu bytes",
					   MB_INFO_END - MB_STRINGS_ADDR);
		memcpy(ram + MB_MODS_ADDR + i * sizeof(m), &m, sizeof(m));
		at = (at + lm->len + MB_PAGE - 1) & ~(MB_PAGE - 1);
	}
	out->mods_end = o->nr_mods ? at : out->highest;
	info->mods_count = o->nr_mods;
	info->mods_addr = MB_MODS_ADDR;
	info->flags |= MB_INFO_MODS;
	return 0;
}

static int mb_write_info(u8 *ram, u64 ram_size, const struct loader_opts *o,
			 struct loader_image *out, char *err, size_t errlen)
{
	struct mb_mmap_entry map[MB_MMAP_MAX];
	u64 strings = MB_STRINGS_ADDR;
	u64 top = ram_size < MB_APIC_WINDOW ? ram_size : MB_APIC_WINDOW;
	struct mb_info info;
	unsigned int n;
	int ret;

	memset(&info, 0, sizeof(info));
	memset(ram + MB_INFO_ADDR, 0, MB_INFO_END - MB_INFO_ADDR);
	info.flags = MB_INFO_MEMORY | MB_INFO_MEM_MAP | MB_INFO_CMDLINE | MB_INFO_LOADER_NAME;
	info.mem_lower = MB_BASE_MEM_END >> 10;
	info.mem_upper = (top - MB_HIGH_MEM_START) >> 10;
	n = multiboot_mmap(ram_size, map);
	memcpy(ram + MB_MMAP_ADDR, map, n * sizeof(map[0]));
	info.mmap_addr = MB_MMAP_ADDR;
	info.mmap_length = n * sizeof(map[0]);
	info.cmdline = mb_put_cmdline(ram, &strings, o->name, o->cmdline);
	info.boot_loader_name = mb_put_string(ram, &strings, MB_LOADER_NAME);
	if (!info.cmdline || !info.boot_loader_name)
		return loader_fail(-EINVAL, err, errlen,
				   "image name + --append: longer than %llu bytes",
				   MB_INFO_END - MB_STRINGS_ADDR - sizeof(MB_LOADER_NAME) - 1);
	ret = mb_load_modules(ram, ram_size, o, out, &info, &strings, err, errlen);
	if (ret)
		return ret;
	memcpy(ram + MB_INFO_ADDR, &info, sizeof(info));
	return 0;
}

int multiboot_load(const u8 *img, size_t len, size_t hdr_off, u8 *ram, u64 ram_size,
		   const struct loader_opts *o, struct loader_image *out,
		   struct vtx_regs *regs, struct vtx_sregs *sregs, char *err, size_t errlen)
{
	struct mb_header h;
	bool is64;
	int ret;

	memset(&h, 0, sizeof(h));
	memcpy(&h, img + hdr_off, len - hdr_off < sizeof(h) ? len - hdr_off : sizeof(h));
	if (h.flags & 0xffff & ~MB_HF_SUPPORTED)
		return loader_fail(-ENOEXEC, err, errlen,
				   "multiboot header requires unsupported features (flags 0x%x)",
				   h.flags);
	if (o->has_load_addr)
		return loader_fail(-EINVAL, err, errlen,
				   "--load-addr: a multiboot kernel says where it loads");
	if (ram_size < MB_HIGH_MEM_START)
		return loader_fail(-EFBIG, err, errlen, "multiboot needs more than 1 MiB of RAM");
	if (h.flags & MB_HF_AOUT_KLUDGE) {
		if (len - hdr_off < sizeof(h))
			return loader_fail(-ENOEXEC, err, errlen,
					   "multiboot header truncated before its address fields");
		ret = mb_load_aout(img, len, hdr_off, &h, ram, ram_size, out, err, errlen);
	} else {
		/* ELF64 too: physical addresses, entered in 32-bit mode (as GRUB). */
		ret = loader_elf_load_segments(img, len, ram, ram_size, 0, mb_reserved,
					       MB_NR_RESERVED, &is64, out, err, errlen);
	}
	if (ret)
		return ret;
	if (o->has_entry)
		out->entry = o->entry;
	if (out->entry >= ram_size || out->entry > 0xffffffffULL)
		return loader_fail(o->has_entry ? -EINVAL : -ENOEXEC, err, errlen,
				   "entry 0x%llx is outside RAM or above 4 GiB",
				   (unsigned long long)out->entry);
	ret = mb_write_info(ram, ram_size, o, out, err, errlen);
	if (ret)
		return ret;
	if (boot_setup_prot32(ram, ram_size, regs, sregs, out->entry))
		return loader_fail(-EFBIG, err, errlen, "cannot build the boot area");
	regs->rax = MB_BOOT_MAGIC;
	regs->rbx = MB_INFO_ADDR;
	return 0;
}
