// SPDX-License-Identifier: GPL-2.0
/* unit-sources: tools/vmctl/bzimage.c tools/vmctl/loader.c tools/vmctl/boot.c tools/vmctl/multiboot.c */
/*
 * The bzImage loader against a hand-built image: setup header checks,
 * kernel and initrd placement, boot_params (copied header, loader fields,
 * e820 map), the command line and the 64-bit entry state boot.rst asks for.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "tools/vmctl/bzimage.h"
#include "tools/vmctl/boot.h"
#include "tools/vmctl/acpi.h"
#include "boot_ctx.h"

#define RAM_SIZE	(64ULL << 20)
#define SETUP_SECTS	3
#define SETUP_LEN	((SETUP_SECTS + 1) * 512)
#define PAYLOAD_LEN	4096
#define INIT_SIZE	0x300000	/* 3 MiB: decompression room */
#define PREF_ADDR	0x1000000ULL

static u32 rd(const u8 *p, unsigned int off, unsigned int size)
{
	u32 v = 0;

	memcpy(&v, p + off, size);
	return v;
}

static u64 rd64(const u8 *p, unsigned int off)
{
	u64 v;

	memcpy(&v, p + off, 8);
	return v;
}

static void wr(u8 *p, unsigned int off, u64 v, unsigned int size)
{
	memcpy(p + off, &v, size);
}

/* A 2.15 bzImage: SETUP_SECTS setup sectors, then PAYLOAD_LEN bytes of "kernel". */
static size_t build_bz(u8 *img)
{
	unsigned int i;

	memset(img, 0, SETUP_LEN + PAYLOAD_LEN);
	img[BZ_SETUP_SECTS] = SETUP_SECTS;
	wr(img, BZ_SYSSIZE, PAYLOAD_LEN / 16, 4);
	wr(img, BZ_BOOT_FLAG, 0xaa55, 2);
	img[BZ_JUMP] = 0xeb;
	img[BZ_JUMP + 1] = BZ_HEADER_END - BZ_HEADER;
	memcpy(img + BZ_HEADER, "HdrS", 4);
	wr(img, BZ_VERSION, 0x020f, 2);
	img[BZ_LOADFLAGS] = BZ_LOADED_HIGH | BZ_KEEP_SEGMENTS;
	wr(img, BZ_INITRD_ADDR_MAX, 0x7fffffff, 4);
	wr(img, BZ_KERNEL_ALIGNMENT, 0x200000, 4);
	img[BZ_RELOCATABLE] = 1;
	wr(img, BZ_XLOADFLAGS, BZ_XLF_KERNEL_64, 2);
	wr(img, BZ_CMDLINE_SIZE, 2047, 4);
	wr(img, BZ_PREF_ADDRESS, PREF_ADDR, 8);
	wr(img, BZ_INIT_SIZE, INIT_SIZE, 4);
	for (i = 0; i < PAYLOAD_LEN; i++)
		img[SETUP_LEN + i] = i * 7;
	return SETUP_LEN + PAYLOAD_LEN;
}

static void test_bz_load(void **state)
{
	struct boot_ctx *c = *state;
	static const u8 initrd[5000] = { 1, 2, 3 };
	size_t len = build_bz(c->img);
	const u8 *zp = c->ram + BZ_ZERO_PAGE_ADDR;
	struct bz_e820_entry e;
	u64 rd_addr;

	c->o.cmdline = "console=ttyS0 quiet";
	c->o.initrd = initrd;
	c->o.initrd_len = sizeof(initrd);
	assert_int_equal(boot_ctx_load(c, c->img, len), 0);
	assert_int_equal(c->im.format, LOADER_BZIMAGE);
	/* the protected-mode part at pref_address, the setup part nowhere */
	assert_memory_equal(c->ram + PREF_ADDR, c->img + SETUP_LEN, PAYLOAD_LEN);
	assert_true(c->regs.rip == PREF_ADDR + 0x200);
	assert_true(c->regs.rsi == BZ_ZERO_PAGE_ADDR);
	/* header copied, loader fields filled in */
	assert_memory_equal(zp + BZ_HEADER, "HdrS", 4);
	assert_int_equal(rd(zp, BZ_VERSION, 2), 0x020f);
	assert_int_equal(zp[BZ_TYPE_OF_LOADER], 0xff);
	assert_int_equal(zp[BZ_LOADFLAGS], BZ_LOADED_HIGH);	/* KEEP_SEGMENTS cleared */
	assert_int_equal(rd(zp, BZ_VID_MODE, 2), 0xffff);
	assert_int_equal(rd(zp, BZ_CMD_LINE_PTR, 4), BZ_CMDLINE_ADDR);
	assert_string_equal((const char *)c->ram + BZ_CMDLINE_ADDR, "console=ttyS0 quiet");
	assert_true(rd64(zp, BZ_ACPI_RSDP_ADDR) == ACPI_RSDP_ADDR);
	/* initrd: page aligned at the top of RAM, after the kernel's init_size */
	rd_addr = rd(zp, BZ_RAMDISK_IMAGE, 4);
	assert_int_equal(rd(zp, BZ_RAMDISK_SIZE, 4), sizeof(initrd));
	assert_int_equal(rd(zp, BZ_EXT_RAMDISK_IMAGE, 4), 0);
	assert_true(rd_addr == ((RAM_SIZE - sizeof(initrd)) & ~0xfffULL));
	assert_true(rd_addr >= PREF_ADDR + INIT_SIZE);
	assert_memory_equal(c->ram + rd_addr, initrd, sizeof(initrd));
	/* e820: low RAM first, the RAM above 1 MiB last, to the end of RAM */
	assert_int_equal(zp[BZ_E820_ENTRIES], 5);
	memcpy(&e, zp + BZ_E820_TABLE, sizeof(e));
	assert_true(e.addr == 0 && e.size == 0x9fc00 && e.type == 1);
	memcpy(&e, zp + BZ_E820_TABLE + 4 * sizeof(e), sizeof(e));
	assert_true(e.addr == 0x100000 && e.addr + e.size == RAM_SIZE && e.type == 1);
	/* boot.rst 64-bit protocol: long mode, __BOOT_CS 0x10, __BOOT_DS 0x18, IF = 0 */
	assert_true(c->sregs.efer & X86_EFER_LMA);
	assert_true(c->sregs.cr0 & X86_CR0_PG);
	assert_int_equal(c->sregs.cs.selector, 0x10);
	assert_true(c->sregs.cs.l && c->sregs.cs.type == 0xb && c->sregs.cs.present);
	assert_int_equal(c->sregs.ds.selector, 0x18);
	assert_int_equal(c->sregs.ss.selector, 0x18);
	assert_true(c->sregs.ds.type == 3 && c->sregs.ds.limit == 0xffffffff);
	assert_int_equal(c->regs.rflags & X86_RFLAGS_IF, 0);
	assert_true(boot_seg_from_desc(rd64(c->ram, BOOT_GDT_ADDR + 0x10), 0x10).l);
	assert_true(c->sregs.tr.selector == BOOT_SEL_TSS);
}

/* No --append: the console goes to COM1 so the user sees something. */
static void test_bz_default_cmdline(void **state)
{
	struct boot_ctx *c = *state;
	size_t len = build_bz(c->img);

	assert_int_equal(boot_ctx_load(c, c->img, len), 0);
	assert_string_equal((const char *)c->ram + BZ_CMDLINE_ADDR, "console=ttyS0");
	assert_int_equal(rd(c->ram + BZ_ZERO_PAGE_ADDR, BZ_RAMDISK_SIZE, 4), 0);
}

/* pref_address too high for RAM: a relocatable kernel goes aligned above 1 MiB. */
static void test_bz_relocate(void **state)
{
	struct boot_ctx *c = *state;
	size_t len = build_bz(c->img);

	wr(c->img, BZ_PREF_ADDRESS, RAM_SIZE - 0x100000, 8);
	assert_int_equal(boot_ctx_load(c, c->img, len), 0);
	assert_true(c->regs.rip == 0x200000 + 0x200);
	assert_memory_equal(c->ram + 0x200000, c->img + SETUP_LEN, PAYLOAD_LEN);
	c->img[BZ_RELOCATABLE] = 0;
	assert_int_equal(boot_ctx_load(c, c->img, len), -EFBIG);
	assert_non_null(strstr(c->err, "--mem"));
}

static void expect_bad(struct boot_ctx *c, size_t len, int err, const char *msg)
{
	assert_int_equal(boot_ctx_load(c, c->img, len), err);
	assert_non_null(strstr(c->err, msg));
}

static void test_bz_bad(void **state)
{
	struct boot_ctx *c = *state;
	static const u8 big[1 << 20];
	size_t len = build_bz(c->img);

	wr(c->img, BZ_VERSION, 0x020b, 2);
	expect_bad(c, len, -ENOEXEC, "2.12 or later");
	build_bz(c->img);
	wr(c->img, BZ_XLOADFLAGS, 0, 2);
	expect_bad(c, len, -ENOEXEC, "no 64-bit entry");
	build_bz(c->img);
	c->img[BZ_LOADFLAGS] = 0;
	expect_bad(c, len, -ENOEXEC, "zImage");
	build_bz(c->img);
	expect_bad(c, len - 16, -ENOEXEC, "truncated");	/* syssize says more */
	expect_bad(c, SETUP_LEN, -ENOEXEC, "truncated");
	c->img[BZ_SETUP_SECTS] = 255;				/* setup past the end */
	expect_bad(c, len, -ENOEXEC, "truncated");
	build_bz(c->img);
	wr(c->img, BZ_INIT_SIZE, 16, 4);
	expect_bad(c, len, -ENOEXEC, "init_size");
	build_bz(c->img);
	expect_bad(c, 0x240, -ENOEXEC, "truncated Linux bzImage header");
	/* the initrd does not fit above the kernel */
	c->o.initrd = big;
	c->o.initrd_len = RAM_SIZE - PREF_ADDR - INIT_SIZE + 1;
	expect_bad(c, len, -EFBIG, "initrd");
	c->o.initrd_len = 0;
	c->o.nr_mods = 1;
	expect_bad(c, len, -EINVAL, "--module");
	c->o.nr_mods = 0;
	wr(c->img, BZ_CMDLINE_SIZE, 7, 4);
	c->o.cmdline = "console=ttyS0";
	expect_bad(c, len, -EINVAL, "at most 7");
	assert_int_equal(loader_exit_code(-ENOEXEC), VMCTL_EXIT_BAD_IMAGE);
}

/* --initrd is for Linux only; a flat image refuses it. */
static void test_bz_initrd_elsewhere(void **state)
{
	struct boot_ctx *c = *state;
	static const u8 initrd[16];
	static const char img[] = "raw code";

	c->o.initrd = initrd;
	c->o.initrd_len = sizeof(initrd);
	assert_int_equal(boot_ctx_load(c, img, sizeof(img)), -EINVAL);
	assert_non_null(strstr(c->err, "--initrd"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOOT_CTX_TEST(test_bz_load, RAM_SIZE),
		BOOT_CTX_TEST(test_bz_default_cmdline, RAM_SIZE),
		BOOT_CTX_TEST(test_bz_relocate, RAM_SIZE),
		BOOT_CTX_TEST(test_bz_bad, RAM_SIZE),
		BOOT_CTX_TEST(test_bz_initrd_elsewhere, RAM_SIZE),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
