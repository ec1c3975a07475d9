// SPDX-License-Identifier: GPL-2.0
/*
 * mb_low.elf: the multiboot conventions external test kernels rely on. Its
 * code is linked at 0x8000 (guest_low.ld; data and bss at 1 MiB), which the
 * loader must accept as QEMU does; the command line must be the image's
 * name followed by the --append text, as GRUB and QEMU pass it, so that
 * splitting it into words gives argv[0] = the image; and without --mem the
 * guest has 128 MiB, QEMU's default. TAP on COM1; exit port 0xf4: 0 if all
 * passed (vmctl exits 1), 1 otherwise (vmctl exits 3).
 *
 * Run as: vmctl run --append "first second=2" mb_low.elf
 */
#include "mb_lib.h"

#define MAX_ARGS	8

extern const char __image_start[], __low_end[];
static u32 data_word = 0x5a5aa5a5;	/* .data at 1 MiB */
static u32 bss_words[64];

static char args_buf[256];
static const char *argv[MAX_ARGS];

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* Does @s end with @suffix? */
static int ends_with(const char *s, const char *suffix)
{
	u32 n = str_len(s), m = str_len(suffix);

	return n >= m && mem_eq(s + n - m, suffix, m);
}

/* Split @cmd at spaces, as a kernel's argv parser does. */
static u32 split_args(const char *cmd)
{
	u32 argc = 0, i = 0;

	while (*cmd && argc < MAX_ARGS && i < sizeof(args_buf) - 1) {
		while (*cmd == ' ')
			cmd++;
		if (!*cmd)
			break;
		argv[argc++] = &args_buf[i];
		while (*cmd && *cmd != ' ' && i < sizeof(args_buf) - 1)
			args_buf[i++] = *cmd++;
		args_buf[i++] = 0;
	}
	return argc;
}

void mb_main(u32 magic, const struct mb_info *mi);

void mb_main(u32 magic, const struct mb_info *mi)
{
	const char *cmd = "";
	u32 argc, i, zero = 1;

	print("mb_low: multiboot kernel at 0x8000, command line, default RAM\r\n");
	check(magic == MB_BOOT_MAGIC, "EAX holds the multiboot magic");
	if (magic != MB_BOOT_MAGIC)
		tap_bail("not entered as a multiboot kernel");
	check((u32)__image_start == 0x8000 && (u32)mb_main < (u32)__low_end &&
	      (u32)__low_end <= 0x10000, "code linked and running at 0x8000");
	for (i = 0; i < 64; i++)
		zero &= !bss_words[i];
	check(data_word == 0x5a5aa5a5 && zero, "data and bss at 1 MiB loaded and zeroed");
	check((u32)mi == 0x10000, "multiboot information at 0x10000");
	if (mi->flags & MB_INFO_CMDLINE)
		cmd = (const char *)mi->cmdline;
	print("# command line: ");
	print(cmd);
	print("\r\n");
	argc = split_args(cmd);
	check(argc == 3, "command line: three words");
	check(argc >= 1 && ends_with(argv[0], "mb_low.elf"), "argv[0] is the image name");
	check(argc >= 3 && str_eq(argv[1], "first") && str_eq(argv[2], "second=2"),
	      "argv[1..] are the --append words, none lost");
	check((mi->flags & MB_INFO_MEM) && mi->mem_lower == 639 &&
	      mi->mem_upper == 127 * 1024, "default RAM is 128 MiB (mem_upper 127 MiB)");
	check(acpi_find_rsdp() != 0, "ACPI tables written despite the low kernel");
	tap_done();
}
