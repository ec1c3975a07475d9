/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiboot (version 0.6.96) kernels: the header is found in the first
 * 8192 bytes, 4-byte aligned, magic + flags + checksum summing to zero.
 * The kernel is loaded from its ELF32/ELF64 program headers (physical
 * addresses) or, with header flag bit 16, from the a.out-kludge address
 * fields, anywhere in RAM (below 1 MiB too, as QEMU does) but the areas
 * vmctl fills itself: the boot GDT/TSS [0x500, 0x668), the information
 * area [0x10000, 0x20000) and the ACPI tables [0xe0000, 0xf0000). Modules
 * follow the kernel, page aligned, at or above 1 MiB. The command line is
 * the image's name, a space and the --append text (GRUB's and QEMU's
 * convention: argv[0] first). The machine state (spec 3.2):
 * 32-bit protected mode, paging off, flat CS/DS/ES/FS/GS/SS, interrupts
 * off, EAX = 0x2BADB002, EBX = the multiboot information at MB_INFO_ADDR:
 *
 *   0x10000  struct multiboot_info    0x10080  memory map (e820 style)
 *   0x10200  module list              0x10400  strings (command lines)
 *
 * Memory map: usable [0, 0x9fc00), reserved [0x9fc00, 0xa0000), ACPI
 * tables [0xe0000, 0xf0000), reserved [0xf0000, 1 MiB), usable [1 MiB, RAM
 * end) minus the I/O APIC/LAPIC window [0xfec00000, 4 GiB) if RAM reaches it.
 */
#ifndef _VMCTL_MULTIBOOT_H
#define _VMCTL_MULTIBOOT_H

#include "loader.h"

#define MB_HEADER_MAGIC		0x1badb002U
#define MB_BOOT_MAGIC		0x2badb002U
#define MB_SEARCH_LIMIT		8192

/* Header flags: 0-15 are requirements a loader must refuse if unknown. */
#define MB_HF_PAGE_ALIGN	BIT(0)	/* modules page aligned (always done) */
#define MB_HF_MEMORY_INFO	BIT(1)	/* mem_* and mmap (always given) */
#define MB_HF_VIDEO_MODE	BIT(2)	/* no video: accepted, nothing given */
#define MB_HF_AOUT_KLUDGE	BIT(16)
#define MB_HF_SUPPORTED		(MB_HF_PAGE_ALIGN | MB_HF_MEMORY_INFO | MB_HF_VIDEO_MODE)

/* Information flags. */
#define MB_INFO_MEMORY		BIT(0)
#define MB_INFO_CMDLINE		BIT(2)
#define MB_INFO_MODS		BIT(3)
#define MB_INFO_MEM_MAP		BIT(6)
#define MB_INFO_LOADER_NAME	BIT(9)

#define MB_INFO_ADDR		0x10000ULL
#define MB_MMAP_ADDR		0x10080ULL
#define MB_MODS_ADDR		0x10200ULL
#define MB_STRINGS_ADDR		0x10400ULL
#define MB_INFO_END		0x20000ULL
#define MB_MAX_MODULES		((MB_STRINGS_ADDR - MB_MODS_ADDR) / sizeof(struct mb_module))
#define MB_MMAP_MAX		((MB_MODS_ADDR - MB_MMAP_ADDR) / sizeof(struct mb_mmap_entry))

/* Memory map types (e820). */
#define MB_MEM_AVAILABLE	1
#define MB_MEM_RESERVED		2
#define MB_MEM_ACPI		3

#define MB_BASE_MEM_END		0x9fc00ULL	/* 639 KiB: the EBDA follows */
#define MB_HIGH_MEM_START	0x100000ULL
#define MB_APIC_WINDOW		VTX_IOAPIC_GPA	/* IOAPIC, LAPIC, firmware: to 4 GiB */

struct mb_header {
	u32 magic, flags, checksum;
	u32 header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr;
} __attribute__((packed));

struct mb_info {
	u32 flags;
	u32 mem_lower, mem_upper;	/* KiB below 640K, KiB from 1 MiB */
	u32 boot_device;
	u32 cmdline;
	u32 mods_count, mods_addr;
	u32 syms[4];
	u32 mmap_length, mmap_addr;
	u32 drives_length, drives_addr;
	u32 config_table;
	u32 boot_loader_name;
	u32 apm_table;
	u8 vbe_and_framebuffer[46];	/* flags 11, 12: never set */
} __attribute__((packed));

struct mb_module {
	u32 mod_start, mod_end;	/* [start, end) */
	u32 string;
	u32 reserved;
} __attribute__((packed));

struct mb_mmap_entry {
	u32 size;		/* of the rest of the entry: 20 */
	u64 base_addr, length;
	u32 type;
} __attribute__((packed));

/*
 * Find a valid header: 0 and its file offset, -ENOENT if there is none,
 * -ENOEXEC if there is a magic whose checksum is wrong (and no valid one).
 */
int multiboot_find(const u8 *img, size_t len, size_t *off);
/* Fill @map (MB_MMAP_MAX entries) for @ram_size; returns the entry count. */
unsigned int multiboot_mmap(u64 ram_size, struct mb_mmap_entry *map);
/*
 * Load the kernel whose header is at @hdr_off, its modules (@o->mods) and
 * the information structure; set up the entry state. Errors as loader.h.
 */
int multiboot_load(const u8 *img, size_t len, size_t hdr_off, u8 *ram, u64 ram_size,
		   const struct loader_opts *o, struct loader_image *out,
		   struct vtx_regs *regs, struct vtx_sregs *sregs, char *err, size_t errlen);

#endif /* _VMCTL_MULTIBOOT_H */
