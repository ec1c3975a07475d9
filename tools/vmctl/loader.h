/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest image loaders: flat (boot sector), ELF32, ELF64, multiboot, Linux
 * bzImage. Pure functions
 * over a RAM buffer, unit-tested in tests/unit/test_loader.c.
 *
 * Errors: -EINVAL a bad option for this image (exit VMCTL_EXIT_USAGE);
 * -ENOEXEC unknown or malformed format, -EFBIG does not fit in RAM or
 * overlaps the boot area, -ENOENT & co. cannot read (VMCTL_EXIT_BAD_IMAGE).
 * @err always receives one line explaining the failure.
 */
#ifndef _VMCTL_LOADER_H
#define _VMCTL_LOADER_H

#include "vmctl.h"

#define LOADER_FLAT_ADDR	0x7c00ULL

enum loader_format {
	LOADER_FLAT,
	LOADER_ELF32,
	LOADER_ELF64,
	LOADER_MULTIBOOT,	/* ELF or a.out kludge with a multiboot header */
	LOADER_BZIMAGE,		/* Linux, x86 boot protocol (bzimage.h) */
};

/* A multiboot module as the loader gets it: file contents and its string. */
struct loader_module {
	const u8 *data;
	size_t len;
	const char *string;
};

struct loader_opts {
	bool has_load_addr;	/* flat images only */
	u64 load_addr;
	bool has_entry;
	u64 entry;
	/*
	 * Multiboot: the image's name, which starts the command line as GRUB
	 * and QEMU pass it ("NAME CMDLINE"); NULL: @cmdline alone.
	 */
	const char *name;
	/* Multiboot kernels only (-EINVAL otherwise). */
	const char *cmdline;		/* NULL: none */
	const struct loader_module *mods;
	unsigned int nr_mods;
	/* bzImage only: the initial ramdisk (--initrd). */
	const u8 *initrd;
	size_t initrd_len;
};

struct loader_image {
	enum loader_format format;
	u64 entry;
	u64 lowest, highest;	/* guest-physical extent written [lowest, highest) */
	u64 mods_end;		/* multiboot: end of the last module (else highest) */
};

const char *loader_format_name(enum loader_format f);
int loader_detect(const u8 *img, size_t len, enum loader_format *fmt, char *err,
		  size_t errlen);
int loader_load(const u8 *img, size_t len, u8 *ram, u64 ram_size,
		const struct loader_opts *o, struct loader_image *out,
		struct vtx_regs *regs, struct vtx_sregs *sregs, char *err, size_t errlen);
/* Guest-physical [start, end) that the loader itself fills: no segment may overlap it. */
struct loader_range {
	u64 start, end;
	const char *what;
};

/*
 * Shared with multiboot.c: check an ELF of either class, validate and copy
 * its PT_LOAD segments (all at or above @min_addr, none overlapping one of
 * the @nr_avoid ranges @avoid), set @out->lowest, highest and entry
 * (e_entry). *@is64 tells the class.
 */
int loader_elf_load_segments(const u8 *img, size_t len, u8 *ram, u64 ram_size, u64 min_addr,
			     const struct loader_range *avoid, unsigned int nr_avoid,
			     bool *is64, struct loader_image *out, char *err, size_t errlen);
/* The first of @nr_avoid ranges that [start, end) overlaps, or NULL. */
const struct loader_range *loader_overlap(u64 start, u64 end, const struct loader_range *avoid,
					  unsigned int nr_avoid);
int loader_fail(int ret, char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Read a whole file of at most @max bytes into a malloc()ed buffer. */
int loader_read_file(const char *path, u64 max, u8 **buf, size_t *len, char *err,
		     size_t errlen);
/* Exit code for a loader error. */
int loader_exit_code(int err);

#endif /* _VMCTL_LOADER_H */
