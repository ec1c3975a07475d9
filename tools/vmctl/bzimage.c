// SPDX-License-Identifier: GPL-2.0
/*
 * bzImage loader: the Linux x86 boot protocol, 64-bit entry (bzimage.h).
 * Every field the image supplies is checked before it places anything:
 * a corrupt or truncated kernel is an error message, never a guest that
 * starts on garbage.
 */
#include <string.h>
#include "bzimage.h"
#include "boot.h"
#include "acpi.h"
#include "multiboot.h"

#define BZ_SECTOR		512
#define BZ_DEFAULT_SETUP_SECTS	4	/* setup_sects == 0 means 4 (boot.rst) */
#define BZ_LOW_LOAD		0x100000ULL

static u32 bz_get(const u8 *p, unsigned int off, unsigned int size)
{
	u32 v = 0;

	memcpy(&v, p + off, size);
	return v;
}

static u64 bz_get64(const u8 *p, unsigned int off)
{
	u64 v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

static void bz_put(u8 *p, unsigned int off, u64 v, unsigned int size)
{
	memcpy(p + off, &v, size);
}

bool bzimage_detect(const u8 *img, size_t len)
{
	return len >= BZ_HEADER_END && bz_get(img, BZ_BOOT_FLAG, 2) == 0xaa55 &&
	       !memcmp(img + BZ_HEADER, "HdrS", 4);
}

/* Where the protected-mode kernel goes: pref_address, else aligned >= 1 MiB. */
static int bz_place_kernel(const u8 *img, u64 ram_size, u64 *load, char *err, size_t errlen)
{
	u64 pref = bz_get64(img, BZ_PREF_ADDRESS);
	u64 init_size = bz_get(img, BZ_INIT_SIZE, 4);
	u64 align = bz_get(img, BZ_KERNEL_ALIGNMENT, 4);
	u64 top = ram_size < MB_APIC_WINDOW ? ram_size : MB_APIC_WINDOW;

	if (pref >= BZ_LOW_LOAD && pref + init_size <= top) {
		*load = pref;
		return 0;
	}
	if (!img[BZ_RELOCATABLE])
		return loader_fail(-EFBIG, err, errlen,
				   "kernel must load at 0x%llx and needs 0x%llx bytes there: more than %llu MiB of RAM (--mem)",
				   (unsigned long long)pref, (unsigned long long)init_size,
				   (unsigned long long)(top >> 20));
	if (!align || (align & (align - 1)))
		return loader_fail(-ENOEXEC, err, errlen, "bad kernel_alignment 0x%llx",
				   (unsigned long long)align);
	*load = (BZ_LOW_LOAD + align - 1) & ~(align - 1);
	if (*load + init_size > top)
		return loader_fail(-EFBIG, err, errlen,
				   "kernel needs 0x%llx bytes at 0x%llx: more than %llu MiB of RAM (--mem)",
				   (unsigned long long)init_size, (unsigned long long)*load,
				   (unsigned long long)(top >> 20));
	return 0;
}

static int bz_check(const u8 *img, size_t len, size_t *setup_len, char *err, size_t errlen)
{
	unsigned int sects = img[BZ_SETUP_SECTS] ? img[BZ_SETUP_SECTS] : BZ_DEFAULT_SETUP_SECTS;
	u32 version = bz_get(img, BZ_VERSION, 2);
	u64 syssize = (u64)bz_get(img, BZ_SYSSIZE, 4) * 16;

	if (version < BZ_MIN_VERSION)
		return loader_fail(-ENOEXEC, err, errlen,
				   "bzImage boot protocol %u.%02u: 2.12 or later needed (64-bit entry)",
				   version >> 8, version & 0xff);
	if (!(bz_get(img, BZ_XLOADFLAGS, 2) & BZ_XLF_KERNEL_64))
		return loader_fail(-ENOEXEC, err, errlen,
				   "bzImage has no 64-bit entry point (a 32-bit kernel?)");
	if (!(img[BZ_LOADFLAGS] & BZ_LOADED_HIGH))
		return loader_fail(-ENOEXEC, err, errlen, "zImage (loads low): not supported");
	*setup_len = (size_t)(sects + 1) * BZ_SECTOR;
	if (*setup_len >= len || syssize > len - *setup_len)
		return loader_fail(-ENOEXEC, err, errlen,
				   "truncated bzImage: %zu bytes, the header says %llu",
				   len, (unsigned long long)(*setup_len + syssize));
	if (bz_get(img, BZ_INIT_SIZE, 4) < len - *setup_len)
		return loader_fail(-ENOEXEC, err, errlen, "bad init_size 0x%x",
				   bz_get(img, BZ_INIT_SIZE, 4));
	return 0;
}

/* The initrd: page aligned, as high as initrd_addr_max and RAM allow, past the kernel. */
static int bz_place_initrd(const u8 *img, u64 ram_size, u64 kernel_end, size_t len,
			   u64 *addr, char *err, size_t errlen)
{
	u64 top = (u64)bz_get(img, BZ_INITRD_ADDR_MAX, 4) + 1;

	if (ram_size < top)
		top = ram_size;
	if (top > MB_APIC_WINDOW)
		top = MB_APIC_WINDOW;
	if (len > top || ((top - len) & ~0xfffULL) < kernel_end)
		return loader_fail(-EFBIG, err, errlen,
				   "initrd (%zu bytes) does not fit between the kernel (ends 0x%llx) and 0x%llx: more --mem?",
				   len, (unsigned long long)kernel_end, (unsigned long long)top);
	*addr = (top - len) & ~0xfffULL;
	return 0;
}

static void bz_write_e820(u8 *zp, u64 ram_size)
{
	struct mb_mmap_entry map[MB_MMAP_MAX];
	unsigned int i, n = multiboot_mmap(ram_size, map);

	for (i = 0; i < n && i < BZ_E820_MAX; i++) {
		struct bz_e820_entry e = {
			.addr = map[i].base_addr, .size = map[i].length, .type = map[i].type,
		};

		memcpy(zp + BZ_E820_TABLE + i * sizeof(e), &e, sizeof(e));
	}
	zp[BZ_E820_ENTRIES] = i;
}

int bzimage_load(const u8 *img, size_t len, u8 *ram, u64 ram_size,
		 const struct loader_opts *o, struct loader_image *out,
		 struct vtx_regs *regs, struct vtx_sregs *sregs, char *err, size_t errlen)
{
	const char *cmdline = o->cmdline ? o->cmdline : "console=ttyS0";
	size_t cmdlen = strlen(cmdline) + 1, setup_len = 0, hdr_end;
	u64 cmd_max = bz_get(img, BZ_CMDLINE_SIZE, 4) + 1;
	u8 *zp = ram + BZ_ZERO_PAGE_ADDR;
	u64 load = 0, initrd = 0;
	int ret;

	if (o->nr_mods || o->has_load_addr || o->has_entry)
		return loader_fail(-EINVAL, err, errlen,
				   "--module, --load-addr and --entry do not apply to a bzImage");
	if (ram_size < BOOT_AREA_END + BZ_LOW_LOAD)
		return loader_fail(-EFBIG, err, errlen, "too little RAM for Linux");
	ret = bz_check(img, len, &setup_len, err, errlen);
	if (ret)
		return ret;
	if (cmd_max > BZ_CMDLINE_MAX)
		cmd_max = BZ_CMDLINE_MAX;
	if (cmdlen > cmd_max)
		return loader_fail(-EINVAL, err, errlen,
				   "--append: %zu bytes, this kernel takes at most %llu",
				   cmdlen - 1, (unsigned long long)cmd_max - 1);
	ret = bz_place_kernel(img, ram_size, &load, err, errlen);
	if (ret)
		return ret;
	if (o->initrd_len) {
		ret = bz_place_initrd(img, ram_size, load + bz_get(img, BZ_INIT_SIZE, 4),
				      o->initrd_len, &initrd, err, errlen);
		if (ret)
			return ret;
		memcpy(ram + initrd, o->initrd, o->initrd_len);
	}
	memcpy(ram + load, img + setup_len, len - setup_len);
	memcpy(ram + BZ_CMDLINE_ADDR, cmdline, cmdlen);

	/* The setup header runs to 0x202 + the jump's offset byte (boot.rst). */
	memset(zp, 0, 0x1000);
	hdr_end = BZ_HEADER + img[BZ_JUMP + 1];
	if (hdr_end > BZ_HEADER_END)
		hdr_end = BZ_HEADER_END;
	memcpy(zp + BZ_SETUP_SECTS, img + BZ_SETUP_SECTS, hdr_end - BZ_SETUP_SECTS);
	bz_put(zp, BZ_VID_MODE, 0xffff, 2);			/* "normal" */
	zp[BZ_TYPE_OF_LOADER] = BZ_LOADER_UNDEFINED;
	zp[BZ_LOADFLAGS] &= ~BZ_KEEP_SEGMENTS;
	bz_put(zp, BZ_CODE32_START, load, 4);
	bz_put(zp, BZ_CMD_LINE_PTR, BZ_CMDLINE_ADDR, 4);
	bz_put(zp, BZ_RAMDISK_IMAGE, initrd, 4);
	bz_put(zp, BZ_RAMDISK_SIZE, o->initrd_len, 4);
	bz_put(zp, BZ_EXT_RAMDISK_IMAGE, initrd >> 32, 4);
	bz_put(zp, BZ_EXT_RAMDISK_SIZE, (u64)o->initrd_len >> 32, 4);
	bz_put(zp, BZ_ACPI_RSDP_ADDR, ACPI_RSDP_ADDR, 8);
	bz_write_e820(zp, ram_size);

	out->format = LOADER_BZIMAGE;
	out->entry = load + BZ_ENTRY64_OFFSET;
	out->lowest = load;
	out->highest = load + bz_get(img, BZ_INIT_SIZE, 4);
	out->mods_end = initrd ? initrd + o->initrd_len : out->highest;
	return boot_setup_linux64(ram, ram_size, regs, sregs, out->entry, BZ_ZERO_PAGE_ADDR);
}
