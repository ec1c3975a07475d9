// SPDX-License-Identifier: GPL-2.0
/* unit-sources: tools/vmctl/loader.c tools/vmctl/boot.c tools/vmctl/multiboot.c tools/vmctl/bzimage.c */
/*
 * Loaders and boot state: boot sector placement, ELF32/ELF64 images built
 * by hand here, bad images rejected, GDT and page tables checked by walking
 * them in guest memory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>
#include "tools/vmctl/loader.h"
#include "tools/vmctl/boot.h"
#include "boot_ctx.h"

#define RAM_SIZE	(4ULL << 20)

/* ---- hand-built ELF images: header, N program headers, then payload ---- */

struct seg {
	u32 type;
	u64 paddr;
	const char *data;	/* filesz = strlen(data) */
	u64 memsz;
};

static size_t build_elf(u8 *buf, bool is64, u16 machine, u16 type, u64 entry,
			const struct seg *segs, unsigned int n)
{
	size_t phoff, off;
	unsigned int i;

	memset(buf, 0, 4096);
	phoff = elf_put_ehdr(buf, is64, machine, type, entry, n);
	off = phoff + n * elf_phdr_size(is64);
	for (i = 0; i < n; i++) {
		size_t filesz = strlen(segs[i].data);

		elf_put_phdr(buf + phoff + i * elf_phdr_size(is64), is64, segs[i].type, off,
			     segs[i].paddr, segs[i].paddr, filesz, segs[i].memsz);
		memcpy(buf + off, segs[i].data, filesz);
		off += filesz;
	}
	return off;
}

static const struct seg two_segs[] = {
	{ PT_LOAD, 0x100000, "CODECODE", 8 },
	{ PT_NOTE, 0x0, "note", 4 },		/* ignored: not PT_LOAD */
	{ PT_LOAD, 0x101000, "DATA", 0x100 },	/* 0xfc bytes of bss */
};

static u64 get64(const u8 *ram, u64 gpa)
{
	u64 v;

	memcpy(&v, ram + gpa, 8);
	return v;
}

static void assert_seg_equal(const struct vtx_segment *a, const struct vtx_segment *b)
{
	assert_memory_equal(a, b, sizeof(*a));
}

/* The segment register vmctl hands vtx equals what the GDT entry in RAM says. */
static void assert_gdt_matches(const u8 *ram, const struct vtx_segment *s)
{
	struct vtx_segment d = boot_seg_from_desc(get64(ram, BOOT_GDT_ADDR + s->selector),
						  s->selector);

	assert_true(s->selector + 7 <= BOOT_GDT_LIMIT);
	assert_seg_equal(&d, s);
}

/* ---- flat images ---- */

static void test_boot_sector(void **state)
{
	struct boot_ctx *c = *state;
	u8 img[512];

	memset(img, 0x90, sizeof(img));
	img[510] = 0x55;
	img[511] = 0xaa;
	assert_int_equal(boot_ctx_load(c, img, sizeof(img)), 0);
	assert_int_equal(c->im.format, LOADER_FLAT);
	assert_memory_equal(c->ram + 0x7c00, img, sizeof(img));
	assert_int_equal(c->ram[0x7bff], 0xaa);		/* untouched around it */
	assert_int_equal(c->ram[0x7e00], 0xaa);
	assert_int_equal(c->sregs.cs.selector, 0);
	assert_true(c->sregs.cs.base == 0);
	assert_true(c->regs.rip == 0x7c00);
	assert_int_equal(c->sregs.cr0 & X86_CR0_PE, 0);
	assert_int_equal(c->sregs.cr0 & X86_CR0_PG, 0);
	assert_true(c->sregs.cs.limit == 0xffff && c->sregs.cs.present && !c->sregs.cs.db);
	assert_true(c->sregs.ss.base == 0 && c->regs.rsp == BOOT_REAL_SP);
	assert_int_equal(c->regs.rflags & X86_RFLAGS_IF, 0);
	assert_true(c->regs.rflags & X86_RFLAGS_FIXED);
	assert_true(c->sregs.efer == 0);
	assert_true(c->sregs.tr.present && !c->sregs.tr.unusable);
}

static void test_flat_elsewhere(void **state)
{
	struct boot_ctx *c = *state;
	static const char img[] = "raw code";

	c->o.has_load_addr = true;
	c->o.load_addr = 0x12340;
	c->o.has_entry = true;
	c->o.entry = 0x12348;
	assert_int_equal(boot_ctx_load(c, img, sizeof(img)), 0);
	assert_memory_equal(c->ram + 0x12340, img, sizeof(img));
	/* CS:IP = 0x1000:0x2348 reaches 0x12348 */
	assert_int_equal(c->sregs.cs.selector, 0x1000);
	assert_true(c->sregs.cs.base == 0x10000);
	assert_true(c->sregs.cs.base + c->regs.rip == 0x12348);
	assert_true(c->regs.rip <= 0xffff);
}

static void test_flat_bad(void **state)
{
	struct boot_ctx *c = *state;
	static const char img[] = "raw code";
	u8 gz[4] = { 0x1f, 0x8b, 8, 0 };
	u8 *big;

	assert_int_equal(boot_ctx_load(c, img, 0), -ENOEXEC);
	assert_int_equal(boot_ctx_load(c, gz, sizeof(gz)), -ENOEXEC);
	assert_non_null(strstr(c->err, "gzip"));
	c->o.has_load_addr = true;
	c->o.load_addr = RAM_SIZE - 4;
	assert_int_equal(boot_ctx_load(c, img, sizeof(img)), -EFBIG);
	assert_non_null(strstr(c->err, "does not fit"));
	c->o.load_addr = ~0ULL - 2;		/* overflow must not wrap */
	assert_int_equal(boot_ctx_load(c, img, sizeof(img)), -EFBIG);
	c->o.load_addr = 0x200000;		/* above 1 MiB: entry unreachable */
	assert_int_equal(boot_ctx_load(c, img, sizeof(img)), -EINVAL);
	assert_int_equal(loader_exit_code(-EINVAL), VMCTL_EXIT_USAGE);
	assert_int_equal(loader_exit_code(-EFBIG), VMCTL_EXIT_BAD_IMAGE);
	assert_int_equal(loader_exit_code(-ENOEXEC), VMCTL_EXIT_BAD_IMAGE);
	c->o.has_load_addr = false;
	big = calloc(1, RAM_SIZE);
	assert_int_equal(boot_ctx_load(c, big, RAM_SIZE), -EFBIG);
	free(big);
}

/* ---- ELF ---- */

static void check_elf_loaded(struct boot_ctx *c)
{
	unsigned int i;

	assert_memory_equal(c->ram + 0x100000, "CODECODE", 8);
	assert_memory_equal(c->ram + 0x101000, "DATA", 4);
	for (i = 4; i < 0x100; i++)
		assert_int_equal(c->ram[0x101000 + i], 0);	/* bss zeroed */
	assert_int_equal(c->ram[0x101100], 0xaa);		/* and no further */
	assert_int_equal(c->ram[0x100008], 0xaa);
	assert_int_equal(c->ram[0], 0xaa);			/* PT_NOTE not loaded */
	assert_true(c->im.lowest == 0x100000 && c->im.highest == 0x101100);
	assert_true(c->regs.rip == 0x100004);
	assert_true(c->regs.rsp == BOOT_STACK_TOP);
	assert_int_equal(c->regs.rflags & X86_RFLAGS_IF, 0);
	assert_true(c->sregs.gdt.base == BOOT_GDT_ADDR);
	assert_gdt_matches(c->ram, &c->sregs.cs);
	assert_gdt_matches(c->ram, &c->sregs.ds);
	assert_gdt_matches(c->ram, &c->sregs.ss);
	assert_true(c->sregs.ds.base == 0 && c->sregs.ds.limit == 0xffffffff);
	assert_true(c->sregs.ds.type == 3 && c->sregs.ds.db && c->sregs.ds.g);
	assert_true(c->sregs.ldt.unusable);
	assert_int_equal(c->sregs.tr.selector, BOOT_SEL_TSS);
	assert_true(c->sregs.tr.base == BOOT_TSS_ADDR && c->sregs.tr.limit == BOOT_TSS_LIMIT);
	assert_true(c->sregs.tr.type == 0xb && !c->sregs.tr.s && c->sregs.tr.present);
	assert_gdt_matches(c->ram, &c->sregs.tr);
}

/* two_segs as an ELF64 or ELF32 executable loads as that format, into RAM. */
static void load_two_segs(struct boot_ctx *c, bool is64)
{
	u8 img[4096];
	size_t len = build_elf(img, is64, is64 ? EM_X86_64 : EM_386, ET_EXEC, 0x100004,
			       two_segs, 3);

	assert_int_equal(boot_ctx_load(c, img, len), 0);
	assert_int_equal(c->im.format, is64 ? LOADER_ELF64 : LOADER_ELF32);
	check_elf_loaded(c);
}

static void test_elf32(void **state)
{
	struct boot_ctx *c = *state;

	load_two_segs(c, false);
	assert_int_equal(c->sregs.cs.selector, BOOT_SEL_CODE32);
	assert_true(c->sregs.cs.db && !c->sregs.cs.l && c->sregs.cs.type == 0xb);
	assert_true(c->sregs.cs.limit == 0xffffffff && c->sregs.cs.base == 0);
	assert_true(c->sregs.cr0 & X86_CR0_PE);
	assert_false(c->sregs.cr0 & X86_CR0_PG);
	assert_true(c->sregs.efer == 0 && c->sregs.cr4 == 0);
}

static void test_elf64(void **state)
{
	struct boot_ctx *c = *state;

	load_two_segs(c, true);
	assert_int_equal(c->sregs.cs.selector, BOOT_SEL_CODE64);
	assert_true(c->sregs.cs.l && !c->sregs.cs.db && c->sregs.cs.present);
	assert_true((c->sregs.cr0 & (X86_CR0_PE | X86_CR0_PG)) == (X86_CR0_PE | X86_CR0_PG));
	assert_true(c->sregs.cr4 & X86_CR4_PAE);
	assert_true(c->sregs.efer == (X86_EFER_LME | X86_EFER_LMA));
	assert_true(c->sregs.cr3 == BOOT_PML4_ADDR);
}

static void test_entry_override(void **state)
{
	struct boot_ctx *c = *state;
	u8 img[4096];
	size_t len = build_elf(img, true, EM_X86_64, ET_EXEC, 0x100004, two_segs, 3);

	c->o.has_entry = true;
	c->o.entry = 0x100000;
	assert_int_equal(boot_ctx_load(c, img, len), 0);
	assert_true(c->regs.rip == 0x100000);
	c->o.entry = RAM_SIZE;
	assert_int_equal(boot_ctx_load(c, img, len), -EINVAL);
	c->o.has_entry = false;
	c->o.has_load_addr = true;
	c->o.load_addr = 0x200000;
	assert_int_equal(boot_ctx_load(c, img, len), -EINVAL);
	assert_non_null(strstr(c->err, "--load-addr"));
}

static void test_elf_bad(void **state)
{
	struct boot_ctx *c = *state;
	struct seg s[2] = { { PT_LOAD, 0x100000, "X", 1 } };
	u8 img[4096];
	size_t len;

	len = build_elf(img, true, EM_386, ET_EXEC, 0x100000, s, 1);
	assert_int_equal(boot_ctx_load(c, img, len), -ENOEXEC);	/* ELF64 but i386 */
	assert_non_null(strstr(c->err, "machine"));
	len = build_elf(img, false, EM_X86_64, ET_EXEC, 0x100000, s, 1);
	assert_int_equal(boot_ctx_load(c, img, len), -ENOEXEC);	/* ELF32 but x86-64 */
	len = build_elf(img, true, EM_X86_64, ET_DYN, 0x100000, s, 1);
	assert_int_equal(boot_ctx_load(c, img, len), -ENOEXEC);	/* PIE */
	len = build_elf(img, true, EM_X86_64, ET_EXEC, 0x100000, s, 1);
	assert_int_equal(boot_ctx_load(c, img, 40), -ENOEXEC);	/* truncated header */
	assert_int_equal(boot_ctx_load(c, img, 70), -ENOEXEC);	/* truncated phdrs */
	img[EI_CLASS] = 7;
	assert_int_equal(boot_ctx_load(c, img, len), -ENOEXEC);
	assert_non_null(strstr(c->err, "class"));
	len = build_elf(img, true, EM_X86_64, ET_EXEC, 0x100000, s, 1);
	img[EI_DATA] = ELFDATA2MSB;
	assert_int_equal(boot_ctx_load(c, img, len), -ENOEXEC);

	s[0].memsz = 0;						/* filesz > memsz */
	len = build_elf(img, true, EM_X86_64, ET_EXEC, 0x100000, s, 1);
	assert_int_equal(boot_ctx_load(c, img, len), -ENOEXEC);
	s[0].memsz = 1;
	len = build_elf(img, true, EM_X86_64, ET_EXEC, 0x100000, s, 1);
	assert_int_equal(boot_ctx_load(c, img, len - 1), -ENOEXEC);	/* data beyond EOF */

	s[0].paddr = RAM_SIZE - 1;
	s[0].memsz = 2;						/* crosses end of RAM */
	len = build_elf(img, false, EM_386, ET_EXEC, 0x100000, s, 1);
	assert_int_equal(boot_ctx_load(c, img, len), -EFBIG);
	assert_non_null(strstr(c->err, "outside RAM"));
	s[0].paddr = 0x7c00;					/* in the boot area */
	s[0].memsz = 1;
	len = build_elf(img, false, EM_386, ET_EXEC, 0x100000, s, 1);
	assert_int_equal(boot_ctx_load(c, img, len), -EFBIG);
	s[0].paddr = 0xfffffffffffff000ULL;			/* wraps */
	s[0].memsz = 0x2000;
	len = build_elf(img, true, EM_X86_64, ET_EXEC, 0x100000, s, 1);
	assert_int_equal(boot_ctx_load(c, img, len), -EFBIG);

	s[0] = (struct seg){ PT_LOAD, 0x100000, "X", 1 };
	s[1] = (struct seg){ PT_LOAD, 0x10000000, "Y", 1 };	/* 2nd one bad */
	memset(c->ram + 0x100000, 0xaa, 16);
	len = build_elf(img, true, EM_X86_64, ET_EXEC, 0x100000, s, 2);
	assert_int_equal(boot_ctx_load(c, img, len), -EFBIG);
	assert_int_equal(c->ram[0x100000], 0xaa);		/* nothing written */

	s[0].type = PT_NOTE;
	len = build_elf(img, true, EM_X86_64, ET_EXEC, 0x100000, s, 1);
	assert_int_equal(boot_ctx_load(c, img, len), -ENOEXEC);
	assert_non_null(strstr(c->err, "PT_LOAD"));

	s[0] = (struct seg){ PT_LOAD, 0x100000, "X", 1 };
	len = build_elf(img, true, EM_X86_64, ET_EXEC, RAM_SIZE + 5, s, 1);
	assert_int_equal(boot_ctx_load(c, img, len), -ENOEXEC);	/* entry outside RAM */
}

/* ---- page tables: walk them like the CPU does (SDM Vol. 3A 4.5) ---- */

static bool walk(const u8 *ram, u64 cr3, u64 va, u64 *pa)
{
	u64 pml4e = get64(ram, (cr3 & ~0xfffULL) + ((va >> 39) & 511) * 8);
	u64 pdpte, pde;

	if (!(pml4e & X86_PTE_P))
		return false;
	pdpte = get64(ram, (pml4e & 0xffffffffff000ULL) + ((va >> 30) & 511) * 8);
	if (!(pdpte & X86_PTE_P) || (pdpte & X86_PTE_PS))
		return false;
	pde = get64(ram, (pdpte & 0xffffffffff000ULL) + ((va >> 21) & 511) * 8);
	if (!(pde & X86_PTE_P) || !(pde & X86_PTE_PS) || !(pde & X86_PTE_RW))
		return false;
	*pa = (pde & 0xfffffffe00000ULL) | (va & 0x1fffff);
	return true;
}

static void check_identity(const u8 *ram, u64 cr3, u64 span)
{
	static const u64 probes[] = { 0, 0x7c00, 0x100000, 0x1fffff, 0x200000,
				      0x3fffffff, 0x40000000, 0x80001234, 0xbfffffff };
	unsigned int i;
	u64 pa, va;

	for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		if (probes[i] >= span)
			continue;
		assert_true(walk(ram, cr3, probes[i], &pa));
		assert_true(pa == probes[i]);
	}
	for (va = 0; va < span; va += 0x200000) {
		assert_true(walk(ram, cr3, va + 0x1234, &pa));
		assert_true(pa == va + 0x1234);
	}
	assert_false(walk(ram, cr3, span, &pa));		/* nothing beyond */
	assert_false(walk(ram, cr3, 1ULL << 39, &pa));
}

static void test_page_tables(void **state)
{
	struct boot_ctx *c = *state;

	assert_true(boot_pt_span(64ULL << 20) == 1ULL << 30);	/* at least 1 GiB */
	assert_true(boot_pt_span(1ULL << 30) == 1ULL << 30);
	assert_true(boot_pt_span((2ULL << 30) + 4096) == 3ULL << 30);
	assert_true(boot_pt_span(64ULL << 30) == 64ULL << 30);

	assert_int_equal(boot_setup_long64(c->ram, RAM_SIZE, &c->regs, &c->sregs, 0x100000), 0);
	check_identity(c->ram, c->sregs.cr3, 1ULL << 30);
	/* RAM of 3 GiB: only the boot area of the buffer is written. */
	memset(c->ram, 0xaa, BOOT_AREA_END);
	assert_int_equal(boot_setup_long64(c->ram, 3ULL << 30, &c->regs, &c->sregs,
					   0x100000), 0);
	check_identity(c->ram, c->sregs.cr3, 3ULL << 30);
	memset(c->ram, 0xaa, BOOT_AREA_END);
	assert_int_equal(boot_setup_long64(c->ram, 64ULL << 30, &c->regs, &c->sregs,
					   0x100000), 0);
	check_identity(c->ram, c->sregs.cr3, 64ULL << 30);
	assert_int_equal(c->ram[BOOT_AREA_END], 0xaa);
}

static void test_desc_roundtrip(void **state)
{
	/* Known encodings: flat 64-bit code, flat data, a TSS. */
	struct vtx_segment s = boot_seg_from_desc(0x00af9b000000ffffULL, 8);

	(void)state;
	assert_true(s.base == 0 && s.limit == 0xffffffff && s.type == 0xb && s.l && !s.db);
	assert_true(s.g && s.s && s.present && s.dpl == 0);
	s = boot_seg_from_desc(0x00cf93000000ffffULL, 0x10);
	assert_true(s.type == 3 && s.db && !s.l && s.limit == 0xffffffff);
	s = boot_seg_from_desc(0x12008b3456780067ULL, 0x20);
	assert_true(s.base == 0x12345678 && s.limit == 0x67 && s.type == 0xb && !s.s && !s.g);
}

static void test_read_file(void **state)
{
	char path[] = "/tmp/vtx-test-loader-XXXXXX";
	char err[256];
	u8 *buf;
	size_t len;
	int fd;

	(void)state;
	assert_int_equal(loader_read_file("/nonexistent/vtx.img", 1 << 20, &buf, &len, err,
					  sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/vtx.img"));
	assert_int_equal(loader_read_file("/tmp", 1 << 20, &buf, &len, err, sizeof(err)),
			 -ENOEXEC);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "0123456789", 10), 10);
	close(fd);
	assert_int_equal(loader_read_file(path, 9, &buf, &len, err, sizeof(err)), -EFBIG);
	assert_int_equal(loader_read_file(path, 10, &buf, &len, err, sizeof(err)), 0);
	assert_int_equal(len, 10);
	assert_memory_equal(buf, "0123456789", 10);
	free(buf);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOOT_CTX_TEST(test_boot_sector, RAM_SIZE),
		BOOT_CTX_TEST(test_flat_elsewhere, RAM_SIZE),
		BOOT_CTX_TEST(test_flat_bad, RAM_SIZE),
		BOOT_CTX_TEST(test_elf32, RAM_SIZE),
		BOOT_CTX_TEST(test_elf64, RAM_SIZE),
		BOOT_CTX_TEST(test_entry_override, RAM_SIZE),
		BOOT_CTX_TEST(test_elf_bad, RAM_SIZE),
		BOOT_CTX_TEST(test_page_tables, RAM_SIZE),
		cmocka_unit_test(test_desc_roundtrip),
		cmocka_unit_test(test_read_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
