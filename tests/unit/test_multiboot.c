// SPDX-License-Identifier: GPL-2.0
/* unit-sources: tools/vmctl/multiboot.c tools/vmctl/loader.c tools/vmctl/boot.c tools/vmctl/bzimage.c */
/*
 * Multiboot v1 loader: hand-built ELF32, ELF64 and a.out-kludge kernels,
 * header search and rejection, the machine state at entry, and the
 * information structure read back from guest memory (memory sizes, memory
 * map, command line, modules and their placement).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "tools/vmctl/multiboot.h"
#include "tools/vmctl/boot.h"
#include "boot_ctx.h"

#define RAM_SIZE	(8ULL << 20)

static void put_mb_header(u8 *p, u32 flags, u32 checksum_delta)
{
	struct mb_header h = {
		.magic = MB_HEADER_MAGIC, .flags = flags,
		.checksum = -(MB_HEADER_MAGIC + flags) + checksum_delta,
	};

	memcpy(p, &h, 12);
}

/*
 * An ELF with one PT_LOAD segment: @payload at file offset 0x1000 loaded at
 * @paddr (vaddr = @vaddr), memsz = @memsz; a multiboot header at the
 * start of the payload when @mb.
 */
static size_t build_elf(struct boot_ctx *c, bool is64, u64 paddr, u64 vaddr, u64 entry,
			u64 memsz, bool mb, u32 checksum_delta)
{
	static const char payload[] = "\0\0\0\0\0\0\0\0\0\0\0\0KERNEL-CODE";
	size_t off = 0x1000, filesz = sizeof(payload), phoff;

	memset(c->img, 0, sizeof(c->img));
	phoff = elf_put_ehdr(c->img, is64, is64 ? EM_X86_64 : EM_386, ET_EXEC, entry, 1);
	elf_put_phdr(c->img + phoff, is64, PT_LOAD, off, vaddr, paddr, filesz, memsz);
	memcpy(c->img + off, payload, filesz);
	if (mb)
		put_mb_header(c->img + off, MB_HF_PAGE_ALIGN | MB_HF_MEMORY_INFO, checksum_delta);
	return off + filesz;
}

static u32 get32(const u8 *ram, u64 gpa)
{
	u32 v;

	memcpy(&v, ram + gpa, 4);
	return v;
}

static struct mb_info get_info(const struct boot_ctx *c)
{
	struct mb_info info;

	memcpy(&info, c->ram + MB_INFO_ADDR, sizeof(info));
	return info;
}

/* The multiboot machine state (spec 3.2) plus our flat GDT. */
static void assert_mb_entry_state(const struct boot_ctx *c, u64 entry)
{
	assert_int_equal(c->im.format, LOADER_MULTIBOOT);
	assert_true(c->regs.rax == MB_BOOT_MAGIC);
	assert_true(c->regs.rbx == MB_INFO_ADDR);
	assert_true(c->regs.rip == entry);
	assert_true(c->sregs.cr0 & X86_CR0_PE);
	assert_false(c->sregs.cr0 & X86_CR0_PG);
	assert_true(c->sregs.efer == 0);
	assert_true(c->sregs.cs.db && !c->sregs.cs.l && c->sregs.cs.base == 0);
	assert_true(c->sregs.cs.limit == 0xffffffffULL);
	assert_true(c->sregs.ds.base == 0 && c->sregs.ds.limit == 0xffffffffULL);
	assert_true(c->sregs.ss.db);
	assert_false(c->regs.rflags & X86_RFLAGS_IF);
}

static void test_elf32(void **state)
{
	struct boot_ctx *c = *state;
	size_t len = build_elf(c, false, 0x100000, 0x100000, 0x10000c, 0x2000, true, 0);
	struct mb_info info;

	c->o.cmdline = "kernel console=ttyS0";
	assert_int_equal(boot_ctx_load(c, c->img, len), 0);
	assert_mb_entry_state(c, 0x10000c);
	assert_memory_equal(c->ram + 0x10000c, "KERNEL-CODE", 12);
	assert_int_equal(c->ram[0x101fff], 0);			/* bss zeroed */
	assert_int_equal(c->ram[0x102000], 0xaa);		/* and no further */
	info = get_info(c);
	assert_int_equal(info.flags & (MB_INFO_MEMORY | MB_INFO_CMDLINE | MB_INFO_MODS |
				       MB_INFO_MEM_MAP),
			 MB_INFO_MEMORY | MB_INFO_CMDLINE | MB_INFO_MODS | MB_INFO_MEM_MAP);
	assert_int_equal(info.mem_lower, 639);
	assert_int_equal(info.mem_upper, (RAM_SIZE >> 10) - 1024);
	assert_string_equal((char *)c->ram + info.cmdline, "kernel console=ttyS0");
	assert_string_equal((char *)c->ram + info.boot_loader_name, "vmctl");
	assert_int_equal(info.mods_count, 0);
}

/* ELF64: loaded at the physical addresses, entered in 32-bit mode. */
static void test_elf64(void **state)
{
	struct boot_ctx *c = *state;
	size_t len = build_elf(c, true, 0x200000, 0xffffffff80200000ULL, 0x20000c, 0x100,
			       true, 0);

	assert_int_equal(boot_ctx_load(c, c->img, len), 0);
	assert_mb_entry_state(c, 0x20000c);
	assert_memory_equal(c->ram + 0x20000c, "KERNEL-CODE", 12);
	/* no command line given: an empty one */
	assert_string_equal((char *)c->ram + get_info(c).cmdline, "");
}

static void test_elf64_entry_above_4g(void **state)
{
	struct boot_ctx *c = *state;
	size_t len = build_elf(c, true, 0x200000, 0x200000, 0x100000000ULL, 0x100, true, 0);

	assert_int_equal(boot_ctx_load(c, c->img, len), -ENOEXEC);
	assert_non_null(strstr(c->err, "4 GiB"));
}

/* Without the header the same ELF64 takes the long-mode path. */
static void test_no_header_is_plain_elf(void **state)
{
	struct boot_ctx *c = *state;
	size_t len = build_elf(c, true, 0x200000, 0x200000, 0x20000c, 0x100, false, 0);

	assert_int_equal(boot_ctx_load(c, c->img, len), 0);
	assert_int_equal(c->im.format, LOADER_ELF64);
	assert_true(c->sregs.cr0 & X86_CR0_PG);
	c->o.cmdline = "x";
	assert_int_equal(boot_ctx_load(c, c->img, len), -EINVAL);
	assert_non_null(strstr(c->err, "multiboot"));
}

static void test_bad_checksum(void **state)
{
	struct boot_ctx *c = *state;
	size_t len = build_elf(c, false, 0x100000, 0x100000, 0x10000c, 0x100, true, 1);

	assert_int_equal(boot_ctx_load(c, c->img, len), -ENOEXEC);
	assert_non_null(strstr(c->err, "checksum"));
	assert_non_null(strstr(c->err, "0x1000"));
}

/* The header must lie in the first 8192 bytes, 4-byte aligned. */
static void test_header_search(void **state)
{
	struct boot_ctx *c = *state;
	size_t off = 0;

	memset(c->img, 0, sizeof(c->img));
	put_mb_header(c->img + 8192 - 12, 0, 0);
	assert_int_equal(multiboot_find(c->img, sizeof(c->img), &off), 0);
	assert_int_equal(off, 8192 - 12);
	memset(c->img, 0, sizeof(c->img));
	put_mb_header(c->img + 8192, 0, 0);
	assert_int_equal(multiboot_find(c->img, sizeof(c->img), &off), -ENOENT);
	memset(c->img, 0, sizeof(c->img));
	put_mb_header(c->img + 102, 0, 0);			/* unaligned */
	assert_int_equal(multiboot_find(c->img, sizeof(c->img), &off), -ENOENT);
	/* A bad one first, then a good one: the good one is used. */
	memset(c->img, 0, sizeof(c->img));
	put_mb_header(c->img + 16, 0, 5);
	put_mb_header(c->img + 64, 0, 0);
	assert_int_equal(multiboot_find(c->img, sizeof(c->img), &off), 0);
	assert_int_equal(off, 64);
	assert_int_equal(multiboot_find(c->img, 40, &off), -ENOEXEC);
	assert_int_equal(off, 16);
}

static void test_unsupported_flags(void **state)
{
	struct boot_ctx *c = *state;
	size_t len = build_elf(c, false, 0x100000, 0x100000, 0x10000c, 0x100, false, 0);

	put_mb_header(c->img + 0x1000, BIT(3), 0);
	assert_int_equal(boot_ctx_load(c, c->img, len), -ENOEXEC);
	assert_non_null(strstr(c->err, "unsupported"));
	/* Video mode requested: accepted, just no video information given. */
	put_mb_header(c->img + 0x1000, MB_HF_VIDEO_MODE, 0);
	assert_int_equal(boot_ctx_load(c, c->img, len), 0);
	assert_false(get_info(c).flags & (BIT(11) | BIT(12)));
}

/* A raw file with an a.out-kludge header at offset 0x40. */
static size_t build_aout(struct boot_ctx *c, u32 load_addr, u32 load_end, u32 bss_end, u32 entry)
{
	struct mb_header h = {
		.magic = MB_HEADER_MAGIC, .flags = MB_HF_AOUT_KLUDGE | MB_HF_MEMORY_INFO,
		.header_addr = load_addr + 0x40, .load_addr = load_addr,
		.load_end_addr = load_end, .bss_end_addr = bss_end, .entry_addr = entry,
	};
	size_t i;

	h.checksum = -(h.magic + h.flags);
	for (i = 0; i < 0x200; i++)
		c->img[i] = i & 0x7f ? 0x90 : 0xf4;
	memcpy(c->img + 0x40, &h, sizeof(h));
	return 0x200;
}

static void test_aout_kludge(void **state)
{
	struct boot_ctx *c = *state;
	size_t len = build_aout(c, 0x300000, 0x300180, 0x301000, 0x300080);

	assert_int_equal(boot_ctx_load(c, c->img, len), 0);
	assert_mb_entry_state(c, 0x300080);
	assert_memory_equal(c->ram + 0x300000, c->img, 0x180);	/* up to load_end_addr */
	assert_int_equal(c->ram[0x300180], 0);			/* bss */
	assert_int_equal(c->ram[0x300fff], 0);
	assert_int_equal(c->ram[0x301000], 0xaa);
	assert_true(c->im.lowest == 0x300000 && c->im.highest == 0x301000);
}

/* load_end_addr 0: the rest of the file; bss_end_addr 0: no bss. */
static void test_aout_whole_file(void **state)
{
	struct boot_ctx *c = *state;
	size_t len = build_aout(c, 0x300000, 0, 0, 0x300080);

	assert_int_equal(boot_ctx_load(c, c->img, len), 0);
	assert_memory_equal(c->ram + 0x300000, c->img, len);
	assert_int_equal(c->ram[0x300000 + len], 0xaa);
}

static void test_aout_bad(void **state)
{
	struct boot_ctx *c = *state;
	size_t len;

	len = build_aout(c, 0x300000, 0x300400, 0, 0x300080);	/* past the file */
	assert_int_equal(boot_ctx_load(c, c->img, len), -ENOEXEC);
	len = build_aout(c, 0x300000, 0x300100, 0x3000f0, 0x300080);	/* bss below end */
	assert_int_equal(boot_ctx_load(c, c->img, len), -ENOEXEC);
	len = build_aout(c, 0x1ff00, 0, 0, 0x1ff80);	/* on the information area */
	assert_int_equal(boot_ctx_load(c, c->img, len), -EFBIG);
	assert_non_null(strstr(c->err, "multiboot information area"));
	len = build_aout(c, RAM_SIZE - 0x100, 0, 0, RAM_SIZE - 0x80);	/* past RAM */
	assert_int_equal(boot_ctx_load(c, c->img, len), -EFBIG);
	len = build_aout(c, 0x300000, 0, 0, 0x300080);
	/* header_addr - load_addr larger than the header's file offset */
	memcpy(c->img + 0x40 + 12, &(u32){ 0x300100 }, 4);
	assert_int_equal(boot_ctx_load(c, c->img, len), -ENOEXEC);
	len = build_aout(c, 0x300000, 0, 0, RAM_SIZE);		/* entry outside RAM */
	assert_int_equal(boot_ctx_load(c, c->img, len), -ENOEXEC);
	len = build_aout(c, 0x300000, 0, 0, 0x300080);
	c->o.has_load_addr = true;
	c->o.load_addr = 0x300000;
	assert_int_equal(boot_ctx_load(c, c->img, len), -EINVAL);
}

/* Below 1 MiB, as QEMU loads it: anywhere but what vmctl fills itself. */
static void test_aout_low(void **state)
{
	struct boot_ctx *c = *state;
	size_t len = build_aout(c, 0x8000, 0x8180, 0x9000, 0x8080);

	assert_int_equal(boot_ctx_load(c, c->img, len), 0);
	assert_mb_entry_state(c, 0x8080);
	assert_memory_equal(c->ram + 0x8000, c->img, 0x180);
	assert_int_equal(c->ram[0x8fff], 0);
	assert_true(c->im.lowest == 0x8000 && c->im.highest == 0x9000);
}

/* One ELF segment at @paddr of @memsz bytes: 0 or the loader's error. */
static int load_elf_at(struct boot_ctx *c, u64 paddr, u64 memsz)
{
	size_t len = build_elf(c, false, paddr, paddr, paddr + 12, memsz, true, 0);

	memset(c->ram, 0xaa, c->ram_size);
	memset(&c->o, 0, sizeof(c->o));
	return boot_ctx_load(c, c->img, len);
}

static void test_elf_low(void **state)
{
	struct boot_ctx *c = *state;
	struct mb_info info;

	assert_int_equal(load_elf_at(c, 0x8000, 0x2000), 0);
	assert_mb_entry_state(c, 0x800c);
	assert_memory_equal(c->ram + 0x800c, "KERNEL-CODE", 11);
	assert_int_equal(c->ram[0x9fff], 0);			/* bss */
	info = get_info(c);					/* still at 0x10000 */
	assert_true(info.flags & MB_INFO_MEM_MAP);
	assert_int_equal(info.mem_lower, 639);
	/* room everywhere vmctl writes nothing: IVT/BDA, 0x668.., 0x20000.., EBDA, VGA, BIOS */
	assert_int_equal(load_elf_at(c, 0, 0x500), 0);
	assert_int_equal(load_elf_at(c, 0x668, 0xf998), 0);
	assert_int_equal(load_elf_at(c, 0x20000, 0x80000), 0);
	assert_int_equal(load_elf_at(c, 0x9fc00, 0x40400), 0);	/* up to the ACPI area */
	assert_int_equal(load_elf_at(c, 0xf0000, 0x20000), 0);	/* across 1 MiB */
}

static void test_elf_overlaps_vmctl(void **state)
{
	struct boot_ctx *c = *state;
	static const struct {
		u64 paddr, memsz;
		const char *what;
	} bad[] = {
		{ 0x400, 0x101, "boot GDT and TSS" },
		{ 0x660, 0x20, "boot GDT and TSS" },
		{ 0x8000, 0x8001, "multiboot information area" },
		{ 0x1fff0, 0x20, "multiboot information area" },
		{ 0xdf000, 0x1001, "ACPI tables" },
		{ 0xeffff, 0x2000, "ACPI tables" },
		{ 0x10000, 0x100000, "multiboot information area" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(load_elf_at(c, bad[i].paddr, bad[i].memsz), -EFBIG);
		assert_non_null(strstr(c->err, bad[i].what));
	}
	assert_int_equal(load_elf_at(c, RAM_SIZE - 0x1000, 0x1001), -EFBIG);	/* past RAM */
}

/* A kernel below 1 MiB: its modules go to 1 MiB, away from vmctl's areas. */
static void test_modules_low_kernel(void **state)
{
	struct boot_ctx *c = *state;
	const struct loader_module mods[] = { { (const u8 *)"mod", 3, "m" } };
	size_t len = build_elf(c, false, 0x8000, 0x8000, 0x800c, 0x100, true, 0);
	struct mb_module m;

	c->o.mods = mods;
	c->o.nr_mods = 1;
	assert_int_equal(boot_ctx_load(c, c->img, len), 0);
	memcpy(&m, c->ram + get_info(c).mods_addr, sizeof(m));
	assert_int_equal(m.mod_start, 0x100000);
	assert_memory_equal(c->ram + 0x100000, "mod", 3);
	assert_true(c->im.mods_end == 0x101000);
}

/* GRUB and QEMU: the image's name, a space, the rest ("kernel args"). */
static void test_cmdline_name(void **state)
{
	struct boot_ctx *c = *state;
	size_t len = build_elf(c, false, 0x200000, 0x200000, 0x20000c, 0x100, true, 0);

	c->o.name = "/vtx/guests/k.elf";
	c->o.cmdline = "first second=2";
	assert_int_equal(boot_ctx_load(c, c->img, len), 0);
	assert_string_equal((char *)c->ram + get_info(c).cmdline,
			    "/vtx/guests/k.elf first second=2");
	c->o.cmdline = NULL;				/* no --append: the name alone */
	assert_int_equal(boot_ctx_load(c, c->img, len), 0);
	assert_string_equal((char *)c->ram + get_info(c).cmdline, "/vtx/guests/k.elf");
	c->o.cmdline = "";
	assert_int_equal(boot_ctx_load(c, c->img, len), 0);
	assert_string_equal((char *)c->ram + get_info(c).cmdline, "/vtx/guests/k.elf");
	c->o.name = NULL;				/* no name: the text alone */
	c->o.cmdline = "a b";
	assert_int_equal(boot_ctx_load(c, c->img, len), 0);
	assert_string_equal((char *)c->ram + get_info(c).cmdline, "a b");
}

static void test_modules(void **state)
{
	struct boot_ctx *c = *state;
	static u8 big[0x1001];
	const struct loader_module mods[] = {
		{ (const u8 *)"first module", 12, "mod1 arg" },
		{ big, sizeof(big), NULL },
		{ (const u8 *)"x", 1, "third" },
	};
	size_t len = build_elf(c, false, 0x100000, 0x100000, 0x10000c, 0x1234, true, 0);
	struct mb_module m[3];
	struct mb_info info;

	memset(big, 0x5a, sizeof(big));
	c->o.mods = mods;
	c->o.nr_mods = 3;
	assert_int_equal(boot_ctx_load(c, c->img, len), 0);
	info = get_info(c);
	assert_true(info.flags & MB_INFO_MODS);
	assert_int_equal(info.mods_count, 3);
	assert_int_equal(info.mods_addr, MB_MODS_ADDR);
	memcpy(m, c->ram + info.mods_addr, sizeof(m));
	/* kernel ends at 0x101234: modules page aligned after it, in order */
	assert_int_equal(m[0].mod_start, 0x102000);
	assert_int_equal(m[0].mod_end, 0x102000 + 12);
	assert_int_equal(m[1].mod_start, 0x103000);
	assert_int_equal(m[1].mod_end, 0x104001);
	assert_int_equal(m[2].mod_start, 0x105000);
	assert_int_equal(m[2].mod_end, 0x105001);
	assert_memory_equal(c->ram + m[0].mod_start, "first module", 12);
	assert_memory_equal(c->ram + m[1].mod_start, big, sizeof(big));
	assert_int_equal(c->ram[m[2].mod_start], 'x');
	assert_string_equal((char *)c->ram + m[0].string, "mod1 arg");
	assert_string_equal((char *)c->ram + m[1].string, "");
	assert_string_equal((char *)c->ram + m[2].string, "third");
	assert_true(c->im.mods_end == 0x106000);
	/* strings, module list and map stay inside the information area */
	assert_true(m[2].string < MB_INFO_END && info.cmdline >= MB_STRINGS_ADDR);
}

static void test_module_too_big(void **state)
{
	struct boot_ctx *c = *state;
	static u8 big[RAM_SIZE - 0x100000];
	const struct loader_module mods[] = { { big, sizeof(big), "big" } };
	size_t len = build_elf(c, false, 0x100000, 0x100000, 0x10000c, 0x100, true, 0);

	c->o.mods = mods;
	c->o.nr_mods = 1;
	assert_int_equal(boot_ctx_load(c, c->img, len), -EFBIG);
	assert_non_null(strstr(c->err, "module 1"));
}

static void test_cmdline_too_long(void **state)
{
	struct boot_ctx *c = *state;
	static char s[MB_INFO_END - MB_STRINGS_ADDR];
	size_t len = build_elf(c, false, 0x100000, 0x100000, 0x10000c, 0x100, true, 0);

	memset(s, 'a', sizeof(s) - 1);
	c->o.cmdline = s;
	assert_int_equal(boot_ctx_load(c, c->img, len), -EINVAL);
	/* fits with the loader name "vmctl" after it, but not behind "k " */
	s[sizeof(s) - 1 - sizeof("vmctl") - 1] = 0;
	assert_int_equal(boot_ctx_load(c, c->img, len), 0);
	c->o.name = "k";
	assert_int_equal(boot_ctx_load(c, c->img, len), -EINVAL);
}

static void assert_entry(const struct mb_mmap_entry *e, u64 base, u64 end, u32 type)
{
	assert_int_equal(e->size, 20);
	assert_true(e->base_addr == base);
	assert_true(e->length == end - base);
	assert_int_equal(e->type, type);
}

static void test_mmap(void **state)
{
	struct boot_ctx *c = *state;
	size_t len = build_elf(c, false, 0x100000, 0x100000, 0x10000c, 0x100, true, 0);
	struct mb_mmap_entry map[MB_MMAP_MAX];
	struct mb_info info;
	unsigned int n;

	assert_int_equal(boot_ctx_load(c, c->img, len), 0);
	info = get_info(c);
	assert_int_equal(info.mmap_addr, MB_MMAP_ADDR);
	assert_int_equal(info.mmap_length, 5 * 24);
	memcpy(map, c->ram + info.mmap_addr, info.mmap_length);
	assert_entry(&map[0], 0, 0x9fc00, MB_MEM_AVAILABLE);
	assert_entry(&map[1], 0x9fc00, 0xa0000, MB_MEM_RESERVED);
	assert_entry(&map[2], 0xe0000, 0xf0000, MB_MEM_ACPI);
	assert_entry(&map[3], 0xf0000, 0x100000, MB_MEM_RESERVED);
	assert_entry(&map[4], 0x100000, RAM_SIZE, MB_MEM_AVAILABLE);
	/* the multiboot data itself sits in the first usable range, below the stack */
	assert_true(BOOT_STACK_TOP - MB_INFO_END >= 0x10000);
	assert_true(MB_INFO_ADDR - BOOT_PD_ADDR >= 0x1000);

	/* Big RAM: the APIC window is carved out, the rest above 4 GiB. */
	n = multiboot_mmap(8ULL << 30, map);
	assert_int_equal(n, 7);
	assert_entry(&map[4], 0x100000, MB_APIC_WINDOW, MB_MEM_AVAILABLE);
	assert_entry(&map[5], MB_APIC_WINDOW, 1ULL << 32, MB_MEM_RESERVED);
	assert_entry(&map[6], 1ULL << 32, 8ULL << 30, MB_MEM_AVAILABLE);
	assert_int_equal(get32((const u8 *)&map[6], 0), 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOOT_CTX_TEST(test_elf32, RAM_SIZE),
		BOOT_CTX_TEST(test_elf64, RAM_SIZE),
		BOOT_CTX_TEST(test_elf64_entry_above_4g, RAM_SIZE),
		BOOT_CTX_TEST(test_no_header_is_plain_elf, RAM_SIZE),
		BOOT_CTX_TEST(test_bad_checksum, RAM_SIZE),
		BOOT_CTX_TEST(test_header_search, RAM_SIZE),
		BOOT_CTX_TEST(test_unsupported_flags, RAM_SIZE),
		BOOT_CTX_TEST(test_aout_kludge, RAM_SIZE),
		BOOT_CTX_TEST(test_aout_whole_file, RAM_SIZE),
		BOOT_CTX_TEST(test_aout_bad, RAM_SIZE),
		BOOT_CTX_TEST(test_aout_low, RAM_SIZE),
		BOOT_CTX_TEST(test_elf_low, RAM_SIZE),
		BOOT_CTX_TEST(test_elf_overlaps_vmctl, RAM_SIZE),
		BOOT_CTX_TEST(test_modules_low_kernel, RAM_SIZE),
		BOOT_CTX_TEST(test_cmdline_name, RAM_SIZE),
		BOOT_CTX_TEST(test_modules, RAM_SIZE),
		BOOT_CTX_TEST(test_module_too_big, RAM_SIZE),
		BOOT_CTX_TEST(test_cmdline_too_long, RAM_SIZE),
		BOOT_CTX_TEST(test_mmap, RAM_SIZE),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
