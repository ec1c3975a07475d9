// SPDX-License-Identifier: GPL-2.0
/*
 * Guest image loaders. A flat image is a boot sector (or any raw code):
 * loaded at 0x7c00 and started in real mode, like a BIOS would. ELF32 and
 * ELF64 executables are loaded by their PT_LOAD program headers at their
 * physical addresses (p_paddr), bss zeroed, and started in 32-bit protected
 * mode or 64-bit long mode at e_entry (see boot.h for the machine state).
 */
#include <elf.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include "loader.h"
#include "boot.h"
#include "multiboot.h"
#include "bzimage.h"

int loader_fail(int ret, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return ret;
}

const char *loader_format_name(enum loader_format f)
{
	switch (f) {
	case LOADER_FLAT:
		return "flat (real mode)";
	case LOADER_ELF32:
		return "ELF32 (protected mode)";
	case LOADER_ELF64:
		return "ELF64 (long mode)";
	case LOADER_MULTIBOOT:
		return "multiboot (protected mode)";
	case LOADER_BZIMAGE:
		return "Linux bzImage (64-bit entry)";
	}
	return "?";
}

int loader_exit_code(int err)
{
	if (err == -EINVAL)
		return VMCTL_EXIT_USAGE;
	if (err == -ENOMEM)
		return VMCTL_EXIT_HOST;
	return VMCTL_EXIT_BAD_IMAGE;
}

int loader_detect(const u8 *img, size_t len, enum loader_format *fmt, char *err,
		  size_t errlen)
{
	if (len == 0)
		return loader_fail(-ENOEXEC, err, errlen, "empty image");
	if (len >= SELFMAG && !memcmp(img, ELFMAG, SELFMAG)) {
		if (len < EI_NIDENT)
			return loader_fail(-ENOEXEC, err, errlen, "truncated ELF header");
		if (img[EI_CLASS] == ELFCLASS32)
			*fmt = LOADER_ELF32;
		else if (img[EI_CLASS] == ELFCLASS64)
			*fmt = LOADER_ELF64;
		else
			return loader_fail(-ENOEXEC, err, errlen, "unknown ELF class %u",
					   img[EI_CLASS]);
		return 0;
	}
	/* Formats that would "run" as raw code and only crash: refuse them. */
	if (len >= 2 && img[0] == 0x1f && img[1] == 0x8b)
		return loader_fail(-ENOEXEC, err, errlen,
				   "unknown format: gzip data (decompress it first)");
	if (bzimage_detect(img, len)) {
		*fmt = LOADER_BZIMAGE;
		return 0;
	}
	if (len >= 0x206 && !memcmp(img + 0x202, "HdrS", 4))
		return loader_fail(-ENOEXEC, err, errlen, "truncated Linux bzImage header");
	*fmt = LOADER_FLAT;
	return 0;
}

static int loader_load_flat(const u8 *img, size_t len, u8 *ram, u64 ram_size,
			    const struct loader_opts *o, struct loader_image *out,
			    struct vtx_regs *regs, struct vtx_sregs *sregs, char *err,
			    size_t errlen)
{
	u64 addr = o->has_load_addr ? o->load_addr : LOADER_FLAT_ADDR;
	u64 entry = o->has_entry ? o->entry : addr;

	if (addr >= ram_size || len > ram_size - addr)
		return loader_fail(-EFBIG, err, errlen,
				   "image of %zu bytes at 0x%llx does not fit in %llu bytes of RAM",
				   len, (unsigned long long)addr,
				   (unsigned long long)ram_size);
	if (entry >= 0x100000 || entry >= ram_size)
		return loader_fail(-EINVAL, err, errlen,
				   "entry 0x%llx: a flat image starts in real mode, below 1 MiB and in RAM",
				   (unsigned long long)entry);
	memcpy(ram + addr, img, len);
	boot_setup_real(regs, sregs, entry);
	out->entry = entry;
	out->lowest = addr;
	out->highest = addr + len;
	out->mods_end = out->highest;
	return 0;
}

/* Program header fields both ELF classes have, widened to 64 bits. */
struct loader_phdr {
	u32 type;
	u64 offset, paddr, filesz, memsz;
};

struct loader_elf {
	u64 entry, phoff;
	u32 phnum, phentsize;
	u16 type, machine;
};

static void loader_elf_header(const u8 *img, bool is64, struct loader_elf *e)
{
	if (is64) {
		Elf64_Ehdr h;

		memcpy(&h, img, sizeof(h));
		*e = (struct loader_elf){ h.e_entry, h.e_phoff, h.e_phnum, h.e_phentsize,
					  h.e_type, h.e_machine };
	} else {
		Elf32_Ehdr h;

		memcpy(&h, img, sizeof(h));
		*e = (struct loader_elf){ h.e_entry, h.e_phoff, h.e_phnum, h.e_phentsize,
					  h.e_type, h.e_machine };
	}
}

static void loader_elf_phdr(const u8 *p, bool is64, struct loader_phdr *ph)
{
	if (is64) {
		Elf64_Phdr h;

		memcpy(&h, p, sizeof(h));
		*ph = (struct loader_phdr){ h.p_type, h.p_offset, h.p_paddr, h.p_filesz,
					    h.p_memsz };
	} else {
		Elf32_Phdr h;

		memcpy(&h, p, sizeof(h));
		*ph = (struct loader_phdr){ h.p_type, h.p_offset, h.p_paddr, h.p_filesz,
					    h.p_memsz };
	}
}

static int loader_check_elf(const u8 *img, size_t len, bool is64, struct loader_elf *e,
			    char *err, size_t errlen)
{
	size_t ehsize = is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	size_t phsize = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	u16 machine = is64 ? EM_X86_64 : EM_386;

	if (len < ehsize)
		return loader_fail(-ENOEXEC, err, errlen, "truncated ELF header");
	if (img[EI_DATA] != ELFDATA2LSB || img[EI_VERSION] != EV_CURRENT)
		return loader_fail(-ENOEXEC, err, errlen,
				   "unsupported ELF: not little-endian version 1");
	loader_elf_header(img, is64, e);
	if (e->machine != machine)
		return loader_fail(-ENOEXEC, err, errlen,
				   "unsupported ELF machine %u (want %s)", e->machine,
				   is64 ? "x86-64" : "i386");
	if (e->type != ET_EXEC)
		return loader_fail(-ENOEXEC, err, errlen,
				   "ELF type %u: need a static executable (ET_EXEC)", e->type);
	if (e->phentsize != phsize || e->phnum == 0 || e->phoff > len ||
	    (u64)e->phnum * phsize > len - e->phoff)
		return loader_fail(-ENOEXEC, err, errlen, "bad ELF program header table");
	return 0;
}

const struct loader_range *loader_overlap(u64 start, u64 end, const struct loader_range *avoid,
					  unsigned int nr_avoid)
{
	unsigned int i;

	for (i = 0; i < nr_avoid; i++)
		if (start < avoid[i].end && avoid[i].start < end)
			return &avoid[i];
	return NULL;
}

int loader_elf_load_segments(const u8 *img, size_t len, u8 *ram, u64 ram_size, u64 min_addr,
			     const struct loader_range *avoid, unsigned int nr_avoid,
			     bool *is64, struct loader_image *out, char *err, size_t errlen)
{
	const struct loader_range *r;
	struct loader_elf e = { 0 };
	struct loader_phdr ph;
	unsigned int i, nload = 0;
	size_t phsize;
	int ret;

	if (len < EI_NIDENT || memcmp(img, ELFMAG, SELFMAG) ||
	    (img[EI_CLASS] != ELFCLASS32 && img[EI_CLASS] != ELFCLASS64))
		return loader_fail(-ENOEXEC, err, errlen, "not an ELF32 or ELF64 file");
	*is64 = img[EI_CLASS] == ELFCLASS64;
	phsize = *is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	ret = loader_check_elf(img, len, *is64, &e, err, errlen);
	if (ret)
		return ret;
	out->lowest = ~0ULL;
	out->highest = 0;
	/* Validate every segment before writing any. */
	for (i = 0; i < e.phnum; i++) {
		loader_elf_phdr(img + e.phoff + i * phsize, *is64, &ph);
		if (ph.type != PT_LOAD)
			continue;
		if (ph.filesz > ph.memsz || ph.offset > len || ph.filesz > len - ph.offset)
			return loader_fail(-ENOEXEC, err, errlen,
					   "ELF segment %u lies outside the file", i);
		if (ph.paddr < min_addr || ph.paddr >= ram_size ||
		    ph.memsz > ram_size - ph.paddr)
			return loader_fail(-EFBIG, err, errlen,
					   "ELF segment %u [0x%llx, +0x%llx) is outside RAM [0x%llx, 0x%llx)",
					   i, (unsigned long long)ph.paddr,
					   (unsigned long long)ph.memsz,
					   (unsigned long long)min_addr,
					   (unsigned long long)ram_size);
		r = loader_overlap(ph.paddr, ph.paddr + ph.memsz, avoid, nr_avoid);
		if (r && ph.memsz)
			return loader_fail(-EFBIG, err, errlen,
					   "ELF segment %u [0x%llx, +0x%llx) overlaps the %s at [0x%llx, 0x%llx)",
					   i, (unsigned long long)ph.paddr,
					   (unsigned long long)ph.memsz, r->what,
					   (unsigned long long)r->start, (unsigned long long)r->end);
		nload++;
		if (ph.paddr < out->lowest)
			out->lowest = ph.paddr;
		if (ph.paddr + ph.memsz > out->highest)
			out->highest = ph.paddr + ph.memsz;
	}
	if (!nload)
		return loader_fail(-ENOEXEC, err, errlen, "ELF has no PT_LOAD segment");
	for (i = 0; i < e.phnum; i++) {
		loader_elf_phdr(img + e.phoff + i * phsize, *is64, &ph);
		if (ph.type != PT_LOAD)
			continue;
		memcpy(ram + ph.paddr, img + ph.offset, ph.filesz);
		memset(ram + ph.paddr + ph.filesz, 0, ph.memsz - ph.filesz);
	}
	out->entry = e.entry;
	return 0;
}

static int loader_load_elf(const u8 *img, size_t len, u8 *ram, u64 ram_size,
			   const struct loader_opts *o, struct loader_image *out,
			   struct vtx_regs *regs, struct vtx_sregs *sregs, char *err,
			   size_t errlen)
{
	bool is64;
	int ret;

	if (o->has_load_addr)
		return loader_fail(-EINVAL, err, errlen,
				   "--load-addr applies to flat images; ELF says where it loads");
	ret = loader_elf_load_segments(img, len, ram, ram_size, BOOT_AREA_END, NULL, 0, &is64, out,
				       err, errlen);
	if (ret)
		return ret;
	if (o->has_entry)
		out->entry = o->entry;
	if (out->entry >= ram_size || (!is64 && out->entry > 0xffffffffULL))
		return loader_fail(o->has_entry ? -EINVAL : -ENOEXEC, err, errlen,
				   "entry 0x%llx is outside RAM", (unsigned long long)out->entry);
	if (is64)
		ret = boot_setup_long64(ram, ram_size, regs, sregs, out->entry);
	else
		ret = boot_setup_prot32(ram, ram_size, regs, sregs, out->entry);
	if (ret)
		return loader_fail(-EFBIG, err, errlen, "cannot build the boot area");
	out->mods_end = out->highest;
	return 0;
}

int loader_load(const u8 *img, size_t len, u8 *ram, u64 ram_size,
		const struct loader_opts *o, struct loader_image *out,
		struct vtx_regs *regs, struct vtx_sregs *sregs, char *err, size_t errlen)
{
	size_t mb_off;
	int ret;

	memset(out, 0, sizeof(*out));
	/* A multiboot header wins over the plain ELF path (as with GRUB). */
	ret = multiboot_find(img, len, &mb_off);
	if (!ret) {
		out->format = LOADER_MULTIBOOT;
		return multiboot_load(img, len, mb_off, ram, ram_size, o, out, regs, sregs, err,
				      errlen);
	}
	if (ret == -ENOEXEC)
		return loader_fail(ret, err, errlen,
				   "multiboot header at offset 0x%zx has a bad checksum", mb_off);
	ret = loader_detect(img, len, &out->format, err, errlen);
	if (ret)
		return ret;
	if (out->format == LOADER_BZIMAGE)
		return bzimage_load(img, len, ram, ram_size, o, out, regs, sregs, err, errlen);
	if (o->cmdline || o->nr_mods)
		return loader_fail(-EINVAL, err, errlen,
				   "--append and --module need a multiboot kernel or a bzImage");
	if (o->initrd_len)
		return loader_fail(-EINVAL, err, errlen, "--initrd needs a Linux bzImage");
	if (out->format == LOADER_FLAT)
		return loader_load_flat(img, len, ram, ram_size, o, out, regs, sregs, err,
					errlen);
	return loader_load_elf(img, len, ram, ram_size, o, out, regs, sregs, err, errlen);
}

int loader_read_file(const char *path, u64 max, u8 **buf, size_t *len, char *err,
		     size_t errlen)
{
	struct stat st;
	size_t done = 0;
	u8 *p;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return loader_fail(-errno, err, errlen, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return loader_fail(-ENOEXEC, err, errlen, "%s: not a regular file", path);
	}
	if ((u64)st.st_size > max) {
		close(fd);
		return loader_fail(-EFBIG, err, errlen,
				   "%s: %lld bytes is larger than --mem (%llu bytes)", path,
				   (long long)st.st_size, (unsigned long long)max);
	}
	p = malloc(st.st_size ? st.st_size : 1);
	if (!p) {
		close(fd);
		return loader_fail(-ENOMEM, err, errlen, "%s: out of memory", path);
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, p + done, st.st_size - done);

		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			free(p);
			close(fd);
			return loader_fail(ret, err, errlen, "%s: read failed", path);
		}
		done += n;
	}
	close(fd);
	*buf = p;
	*len = done;
	return 0;
}
