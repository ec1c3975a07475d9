/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Linux kernels in the x86 boot protocol's bzImage format
 * (Documentation/arch/x86/boot.rst), entered through the 64-bit entry
 * point: no real-mode setup code runs, vmctl does what it would do. The
 * image is a real-mode setup part ((setup_sects + 1) * 512 bytes, its
 * setup header at 0x1f1) followed by the protected-mode kernel, which is
 * copied to pref_address (or, when relocatable, the first suitably aligned
 * address at or above 1 MiB that holds init_size bytes). vmctl writes:
 *
 *   0x20000  struct boot_params ("zero page"): the setup header copied from
 *            the image and completed, the e820 map, the ACPI RSDP address
 *   0x21000  the command line (at most cmdline_size bytes, NUL included)
 *   initrd   page aligned, as high as initrd_addr_max and RAM allow
 *
 * Machine state at the 64-bit entry (load address + 0x200): long mode on
 * vmctl's identity map (boot.h), __BOOT_CS = 0x10 (64-bit code) and
 * __BOOT_DS = 0x18 (data) loaded from a GDT that has them, interrupts off,
 * RSI = the zero page. The memory map is multiboot.h's, in e820 form.
 */
#ifndef _VMCTL_BZIMAGE_H
#define _VMCTL_BZIMAGE_H

#include "loader.h"

#define BZ_ZERO_PAGE_ADDR	0x20000ULL
#define BZ_CMDLINE_ADDR		0x21000ULL
#define BZ_CMDLINE_MAX		0x1000ULL

/* Setup header and boot_params offsets (boot.rst, "The real-mode kernel header"). */
#define BZ_SETUP_SECTS		0x1f1
#define BZ_SYSSIZE		0x1f4
#define BZ_VID_MODE		0x1fa
#define BZ_BOOT_FLAG		0x1fe
#define BZ_JUMP			0x200
#define BZ_HEADER		0x202
#define BZ_VERSION		0x206
#define BZ_TYPE_OF_LOADER	0x210
#define BZ_LOADFLAGS		0x211
#define BZ_CODE32_START		0x214
#define BZ_RAMDISK_IMAGE	0x218
#define BZ_RAMDISK_SIZE		0x21c
#define BZ_CMD_LINE_PTR		0x228
#define BZ_INITRD_ADDR_MAX	0x22c
#define BZ_KERNEL_ALIGNMENT	0x230
#define BZ_RELOCATABLE		0x234
#define BZ_XLOADFLAGS		0x236
#define BZ_CMDLINE_SIZE		0x238
#define BZ_PREF_ADDRESS		0x258
#define BZ_INIT_SIZE		0x260
#define BZ_HEADER_END		0x26c	/* end of the 2.15 header we know */

#define BZ_ACPI_RSDP_ADDR	0x070	/* boot_params.acpi_rsdp_addr (2.14) */
#define BZ_EXT_RAMDISK_IMAGE	0x0c0
#define BZ_EXT_RAMDISK_SIZE	0x0c4
#define BZ_EXT_CMD_LINE_PTR	0x0c8
#define BZ_E820_ENTRIES		0x1e8
#define BZ_E820_TABLE		0x2d0
#define BZ_E820_MAX		128

#define BZ_MIN_VERSION		0x020c	/* 2.12: 64-bit entry, xloadflags */
#define BZ_LOADED_HIGH		BIT(0)
#define BZ_KEEP_SEGMENTS	BIT(6)
#define BZ_XLF_KERNEL_64	BIT(0)
#define BZ_ENTRY64_OFFSET	0x200
#define BZ_LOADER_UNDEFINED	0xff	/* type_of_loader: no assigned ID */

struct bz_e820_entry {
	u64 addr;
	u64 size;
	u32 type;
} __attribute__((packed));

/* "HdrS" at 0x202 and the 0xAA55 boot flag: the image is a bzImage. */
bool bzimage_detect(const u8 *img, size_t len);
int bzimage_load(const u8 *img, size_t len, u8 *ram, u64 ram_size,
		 const struct loader_opts *o, struct loader_image *out,
		 struct vtx_regs *regs, struct vtx_sregs *sregs, char *err, size_t errlen);

#endif /* _VMCTL_BZIMAGE_H */
