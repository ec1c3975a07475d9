// SPDX-License-Identifier: GPL-2.0
/* unit-sources: tools/vmctl/args.c */
/* vmctl option parsing: sizes, addresses, run/info options, usage errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "tools/vmctl/args.h"

static FILE *null_err(void)
{
	FILE *f = fopen("/dev/null", "w");

	assert_non_null(f);
	return f;
}

static void test_parse_size(void **state)
{
	u64 v;

	(void)state;
	assert_int_equal(args_parse_size("64M", &v), 0);
	assert_true(v == 64ULL << 20);
	assert_int_equal(args_parse_size("64m", &v), 0);
	assert_true(v == 64ULL << 20);
	assert_int_equal(args_parse_size("2G", &v), 0);
	assert_true(v == 2ULL << 30);
	assert_int_equal(args_parse_size("512K", &v), 0);
	assert_true(v == 512ULL << 10);
	assert_int_equal(args_parse_size("4096", &v), 0);
	assert_true(v == 4096);
	assert_int_equal(args_parse_size("0x100000", &v), 0);
	assert_true(v == 0x100000);
	assert_int_equal(args_parse_size("", &v), -EINVAL);
	assert_int_equal(args_parse_size("M", &v), -EINVAL);
	assert_int_equal(args_parse_size("64X", &v), -EINVAL);
	assert_int_equal(args_parse_size("64MB", &v), -EINVAL);
	assert_int_equal(args_parse_size("-1M", &v), -EINVAL);
	assert_int_equal(args_parse_size("99999999999999999999", &v), -EINVAL);
	assert_int_equal(args_parse_size("0xffffffffffffffG", &v), -ERANGE);
}

static void test_parse_u64(void **state)
{
	u64 v;

	(void)state;
	assert_int_equal(args_parse_u64("0x7c00", &v), 0);
	assert_true(v == 0x7c00);
	assert_int_equal(args_parse_u64("1048576", &v), 0);
	assert_true(v == 1048576);
	assert_int_equal(args_parse_u64("0xffffffffffffffff", &v), 0);
	assert_true(v == ~0ULL);
	assert_int_equal(args_parse_u64("12k", &v), -EINVAL);
	assert_int_equal(args_parse_u64("-5", &v), -EINVAL);
	assert_int_equal(args_parse_u64("", &v), -EINVAL);
	assert_int_equal(args_parse_u64("0x", &v), -EINVAL);
}

static int parse_run(struct vmctl_run_opts *o, int argc, const char *const *argv)
{
	FILE *err = null_err();
	int ret = args_parse_run(argc, (char **)argv, o, err);

	fclose(err);
	return ret;
}

static void test_run_defaults(void **state)
{
	static const char *const argv[] = { "run", "guest.img" };
	struct vmctl_run_opts o;

	(void)state;
	assert_int_equal(parse_run(&o, 2, argv), 0);
	assert_string_equal(o.image, "guest.img");
	assert_true(o.mem_size == 128ULL << 20);	/* QEMU's default */
	assert_int_equal(o.serial, VMCTL_SERIAL_STDIO);
	assert_int_equal(o.timeout_s, 0);
	assert_false(o.has_load_addr);
	assert_false(o.has_entry);
	assert_int_equal(o.cpus, 1);
	assert_false(o.testdev);
}

static void test_run_testdev(void **state)
{
	static const char *const argv[] = { "run", "--testdev", "k.elf" };
	static const char *const with_value[] = { "run", "--testdev=1", "k.elf" };
	struct vmctl_run_opts o;

	(void)state;
	assert_int_equal(parse_run(&o, 3, argv), 0);
	assert_true(o.testdev);
	assert_string_equal(o.image, "k.elf");
	assert_int_equal(parse_run(&o, 3, with_value), -EINVAL);	/* a flag, no value */
}

static void test_run_all_options(void **state)
{
	static const char *const argv[] = { "run", "--mem", "128M", "--serial=file:/tmp/out.txt",
			       "--timeout", "10", "--load-addr", "0x10000", "--entry=0x10010",
			       "--cpus", "1", "img" };
	struct vmctl_run_opts o;

	(void)state;
	assert_int_equal(parse_run(&o, 12, argv), 0);
	assert_true(o.mem_size == 128ULL << 20);
	assert_int_equal(o.serial, VMCTL_SERIAL_FILE);
	assert_string_equal(o.serial_path, "/tmp/out.txt");
	assert_int_equal(o.timeout_s, 10);
	assert_true(o.has_load_addr && o.load_addr == 0x10000);
	assert_true(o.has_entry && o.entry == 0x10010);
	assert_string_equal(o.image, "img");
}

static void test_run_multiboot_options(void **state)
{
	static const char *const argv[] = { "run", "--cpus", "16", "--append", "console=ttyS0 a=b,c",
			       "--module", "/m/one.bin,one arg=1", "--module=two.bin", "k.elf" };
	struct vmctl_run_opts o;

	(void)state;
	assert_int_equal(parse_run(&o, 9, argv), 0);
	assert_int_equal(o.cpus, 16);
	assert_string_equal(o.append, "console=ttyS0 a=b,c");
	assert_int_equal(o.nr_modules, 2);
	assert_string_equal(o.modules[0].path, "/m/one.bin");
	assert_string_equal(o.modules[0].string, "one arg=1");
	assert_string_equal(o.modules[1].path, "two.bin");
	assert_null(o.modules[1].string);
	assert_string_equal(o.image, "k.elf");
	args_free_run(&o);
	assert_int_equal(o.nr_modules, 0);
}

static void test_run_too_many_modules(void **state)
{
	const char *argv[2 * VMCTL_MODULES_MAX + 4];
	struct vmctl_run_opts o;
	int i, n = 0;

	(void)state;
	argv[n++] = "run";
	for (i = 0; i <= VMCTL_MODULES_MAX; i++) {
		argv[n++] = "--module";
		argv[n++] = "m.bin";
	}
	argv[n++] = "img";
	assert_int_equal(parse_run(&o, n, argv), -EINVAL);
	assert_int_equal(o.nr_modules, 0);	/* freed on error */
	argv[n - 3] = "img";			/* drop one: exactly the maximum */
	assert_int_equal(parse_run(&o, n - 2, argv), 0);
	assert_int_equal(o.nr_modules, VMCTL_MODULES_MAX);
	args_free_run(&o);
}

static void test_run_options_after_image(void **state)
{
	static const char *const argv[] = { "run", "img", "--mem=1G" };
	struct vmctl_run_opts o;

	(void)state;
	assert_int_equal(parse_run(&o, 3, argv), 0);
	assert_true(o.mem_size == 1ULL << 30);
	assert_string_equal(o.image, "img");
}

static void test_run_bad(void **state)
{
	static const char *const bad[][4] = {
		{ "run", "--mem", "64X", "img" },
		{ "run", "--mem", "512K", "img" },	/* below 1M */
		{ "run", "--mem", "65G", "img" },	/* above 64G */
		{ "run", "--mem", "1000001", "img" },	/* not a 4K multiple */
		{ "run", "--serial", "tcp:1", "img" },
		{ "run", "--serial", "file:", "img" },
		{ "run", "--timeout", "0", "img" },
		{ "run", "--timeout", "abc", "img" },
		{ "run", "--cpus", "17", "img" },
		{ "run", "--cpus", "0", "img" },
		{ "run", "--module", ",str", "img" },
		{ "run", "--entry", "zz", "img" },
		{ "run", "--bogus", "1", "img" },
		{ "run", "img", "img2", "img" },
		{ "run", "-m", "64M", "img" },
	};
	static const char *const noimg[] = { "run", "--mem", "64M" };
	static const char *const noval[] = { "run", "img", "--mem" };
	static const char *const noarg[] = { "run" };
	struct vmctl_run_opts o;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse_run(&o, 4, bad[i]), -EINVAL);
	assert_int_equal(parse_run(&o, 3, noimg), -EINVAL);
	assert_int_equal(parse_run(&o, 3, noval), -EINVAL);
	assert_int_equal(parse_run(&o, 1, noarg), -EINVAL);
}

static void test_run_error_message(void **state)
{
	static const char *const argv[] = { "run", "--mem", "lots", "img" };
	struct vmctl_run_opts o;
	char *buf = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&buf, &len);

	(void)state;
	assert_int_equal(args_parse_run(4, (char **)argv, &o, err), -EINVAL);
	fclose(err);
	assert_non_null(strstr(buf, "--mem"));
	assert_non_null(strstr(buf, "lots"));
	free(buf);
}

static void test_info_opts(void **state)
{
	static const char *const json[] = { "info", "--json" };
	static const char *const plain[] = { "info" };
	static const char *const bad[] = { "info", "--json=1" };
	static const char *const extra[] = { "info", "x" };
	struct vmctl_info_opts o;
	FILE *err = null_err();

	(void)state;
	assert_int_equal(args_parse_info(2, (char **)json, &o, err), 0);
	assert_true(o.json);
	assert_int_equal(args_parse_info(1, (char **)plain, &o, err), 0);
	assert_false(o.json);
	assert_int_equal(args_parse_info(2, (char **)bad, &o, err), -EINVAL);
	assert_int_equal(args_parse_info(2, (char **)extra, &o, err), -EINVAL);
	fclose(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_parse_u64),
		cmocka_unit_test(test_run_defaults),
		cmocka_unit_test(test_run_testdev),
		cmocka_unit_test(test_run_all_options),
		cmocka_unit_test(test_run_multiboot_options),
		cmocka_unit_test(test_run_too_many_modules),
		cmocka_unit_test(test_run_options_after_image),
		cmocka_unit_test(test_run_bad),
		cmocka_unit_test(test_run_error_message),
		cmocka_unit_test(test_info_opts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
