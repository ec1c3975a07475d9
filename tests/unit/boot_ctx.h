/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the loader unit tests (test_loader.c, test_multiboot.c): guest
 * RAM with loader_load()'s options and results as the cmocka state, and
 * hand-built ELF headers of either class. Header-only, so it needs no
 * unit-sources entry; the tests that include it link tools/vmctl/loader.c.
 */
#ifndef VTX_UNIT_BOOT_CTX_H
#define VTX_UNIT_BOOT_CTX_H

#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tools/vmctl/loader.h"

struct boot_ctx {
	u8 *ram;		/* filled with 0xaa: what the loader leaves alone shows */
	u64 ram_size;
	u8 img[16384];		/* room for an image built in place */
	struct loader_opts o;
	struct loader_image im;
	struct vtx_regs regs;
	struct vtx_sregs sregs;
	char err[256];
};

/*
 * A cmocka test of @fn on a fresh boot_ctx with @ram_size bytes of RAM (the
 * size travels as the test's initial state to boot_ctx_setup()).
 */
#define BOOT_CTX_TEST(fn, ram_size)						\
	cmocka_unit_test_prestate_setup_teardown(fn, boot_ctx_setup, boot_ctx_teardown, \
						 (void *)(uintptr_t)(ram_size))

static inline int boot_ctx_setup(void **state)
{
	u64 ram_size = (uintptr_t)*state;
	struct boot_ctx *c = calloc(1, sizeof(*c));

	if (!c)
		return -1;
	c->ram = malloc(ram_size);
	if (!c->ram) {
		free(c);
		return -1;
	}
	c->ram_size = ram_size;
	memset(c->ram, 0xaa, ram_size);
	*state = c;
	return 0;
}

static inline int boot_ctx_teardown(void **state)
{
	struct boot_ctx *c = *state;

	free(c->ram);
	free(c);
	return 0;
}

static inline int boot_ctx_load(struct boot_ctx *c, const void *img, size_t len)
{
	c->err[0] = 0;
	return loader_load(img, len, c->ram, c->ram_size, &c->o, &c->im, &c->regs, &c->sregs,
			   c->err, sizeof(c->err));
}

/* The same fields in both ELF classes; @h points at an Elf32_Ehdr or Elf64_Ehdr. */
#define ELF_EHDR_FILL(h, phdr_type, type_, machine_, entry_, phnum_) do {	\
	(h)->e_type = (type_);							\
	(h)->e_machine = (machine_);						\
	(h)->e_version = EV_CURRENT;						\
	(h)->e_entry = (entry_);						\
	(h)->e_phoff = sizeof(*(h));						\
	(h)->e_ehsize = sizeof(*(h));						\
	(h)->e_phentsize = sizeof(phdr_type);					\
	(h)->e_phnum = (phnum_);						\
} while (0)

#define ELF_PHDR(phdr_type, type_, off_, vaddr_, paddr_, filesz_, memsz_)	\
	(phdr_type){ .p_type = (type_), .p_offset = (off_), .p_vaddr = (vaddr_),	\
		     .p_paddr = (paddr_), .p_filesz = (filesz_), .p_memsz = (memsz_) }

/*
 * ELF identification and file header of class 64 or 32 at @buf, the
 * program header table right after it; returns the header's size (the
 * table's offset).
 */
static inline size_t elf_put_ehdr(u8 *buf, bool is64, u16 machine, u16 type, u64 entry,
				  u16 phnum)
{
	memcpy(buf, ELFMAG, SELFMAG);
	buf[EI_CLASS] = is64 ? ELFCLASS64 : ELFCLASS32;
	buf[EI_DATA] = ELFDATA2LSB;
	buf[EI_VERSION] = EV_CURRENT;
	if (is64) {
		ELF_EHDR_FILL((Elf64_Ehdr *)buf, Elf64_Phdr, type, machine, entry, phnum);
		return sizeof(Elf64_Ehdr);
	}
	ELF_EHDR_FILL((Elf32_Ehdr *)buf, Elf32_Phdr, type, machine, entry, phnum);
	return sizeof(Elf32_Ehdr);
}

static inline size_t elf_phdr_size(bool is64)
{
	return is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
}

/* One program header of class 64 or 32 at @p. */
static inline void elf_put_phdr(u8 *p, bool is64, u32 type, u64 off, u64 vaddr, u64 paddr,
				u64 filesz, u64 memsz)
{
	if (is64)
		*(Elf64_Phdr *)p = ELF_PHDR(Elf64_Phdr, type, off, vaddr, paddr, filesz, memsz);
	else
		*(Elf32_Phdr *)p = ELF_PHDR(Elf32_Phdr, type, off, vaddr, paddr, filesz, memsz);
}

#endif /* VTX_UNIT_BOOT_CTX_H */
