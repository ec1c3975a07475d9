// SPDX-License-Identifier: GPL-2.0
/* unit-sources: tools/vmctl/exits.c tools/vmctl/ioport.c */
/* unit-sources: tools/vmctl/debug_exit.c tools/vmctl/console.c */
/*
 * The run loop's exit handling on a fake run page (no /dev/vtx): port I/O
 * incl. REP, unclaimed ports and MMIO reported once, debug exit status
 * arithmetic, HLT, triple fault, failed entry, internal error, console
 * escape keys.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "tools/vmctl/vm.h"
#include "tools/vmctl/debug_exit.h"
#include "tools/vmctl/console.h"
#include "tools/vmctl/boot.h"

static union {
	struct vtx_run run;
	u8 page[VTX_RUN_SIZE];
} rp;

static struct vmctl_vm vm;
static struct debug_exit dbg;
static char *logbuf;
static size_t loglen;
static FILE *logf_;

/* A scratch device at 0x100..0x103: remembers writes, reads give port + size. */
static u32 scratch_last;
static unsigned int scratch_writes;

static u32 scratch_in(void *opaque, u16 port, u8 size)
{
	(void)opaque;
	return 0x11111100U * size + port;
}

static void scratch_out(void *opaque, u16 port, u8 size, u32 val)
{
	(void)opaque;
	(void)port;
	(void)size;
	scratch_last = val;
	scratch_writes++;
}

static int setup(void **state)
{
	struct ioport_dev s = { "scratch", 0x100, 4, NULL, scratch_in, scratch_out };
	struct ioport_dev d = { "debug-exit", DEBUG_EXIT_PORT, 1, &dbg, debug_exit_io_in,
				debug_exit_io_out };

	(void)state;
	memset(&rp, 0, sizeof(rp));
	logf_ = open_memstream(&logbuf, &loglen);
	vm_init(&vm, &rp.run, logf_);
	debug_exit_init(&dbg, &vm.stop);
	assert_int_equal(ioport_register(&vm.io, &s), 0);
	assert_int_equal(ioport_register(&vm.io, &d), 0);
	scratch_last = 0;
	scratch_writes = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fclose(logf_);
	free(logbuf);
	return 0;
}

static const char *log_text(void)
{
	fflush(logf_);
	return logbuf ? logbuf : "";
}

static unsigned int count_substr(const char *s, const char *sub)
{
	unsigned int n = 0;

	while ((s = strstr(s, sub))) {
		n++;
		s++;
	}
	return n;
}

static void set_io(u8 dir, u16 port, u8 size, u32 count)
{
	rp.run.exit_reason = VTX_EXIT_IO;
	rp.run.io.direction = dir;
	rp.run.io.port = port;
	rp.run.io.size = size;
	rp.run.io.count = count;
	rp.run.io.data_offset = VTX_RUN_IO_DATA_OFFSET;
}

static u8 *io_data(void)
{
	return rp.page + VTX_RUN_IO_DATA_OFFSET;
}

static void test_debug_exit_status(void **state)
{
	(void)state;
	assert_int_equal(debug_exit_status(0), 1);
	assert_int_equal(debug_exit_status(1), 3);
	assert_int_equal(debug_exit_status(3), 7);
	assert_int_equal(debug_exit_status(0x10), 0x21);
	assert_int_equal(debug_exit_status(127), 255);
	assert_int_equal(debug_exit_status(128), 1);	/* 8-bit exit status */
	assert_int_equal(debug_exit_status(0xffffffff), 255);
}

static void test_io_out_in(void **state)
{
	u32 v;

	(void)state;
	set_io(VTX_IO_OUT, 0x101, 2, 1);
	memcpy(io_data(), "\x34\x12", 2);
	assert_int_equal(vm_handle_exit(&vm), VMCTL_CONTINUE);
	assert_int_equal(scratch_last, 0x1234);
	set_io(VTX_IO_IN, 0x102, 4, 1);
	assert_int_equal(vm_handle_exit(&vm), VMCTL_CONTINUE);
	memcpy(&v, io_data(), 4);
	assert_int_equal(v, 0x44444400 + 0x102);
	set_io(VTX_IO_IN, 0x100, 1, 1);
	memset(io_data(), 0, 4);
	assert_int_equal(vm_handle_exit(&vm), VMCTL_CONTINUE);
	assert_int_equal(io_data()[0], 0x00);		/* 0x11111100 + 0x100, low byte */
	assert_int_equal(io_data()[1], 0);		/* untouched beyond size */
	set_io(VTX_IO_OUT, 0x103, 1, 1);
	memcpy(io_data(), "\xab\xcd\xef\x01", 4);	/* the device sees one byte */
	assert_int_equal(vm_handle_exit(&vm), VMCTL_CONTINUE);
	assert_int_equal(scratch_last, 0xab);
}

static void test_io_rep(void **state)
{
	u16 out[3];

	(void)state;
	set_io(VTX_IO_OUT, 0x100, 1, 5);
	memcpy(io_data(), "hello", 5);
	assert_int_equal(vm_handle_exit(&vm), VMCTL_CONTINUE);
	assert_int_equal(scratch_writes, 5);
	assert_int_equal(scratch_last, 'o');
	set_io(VTX_IO_IN, 0x103, 2, 3);
	assert_int_equal(vm_handle_exit(&vm), VMCTL_CONTINUE);
	memcpy(out, io_data(), sizeof(out));
	assert_int_equal(out[0], (0x22222200 + 0x103) & 0xffff);
	assert_int_equal(out[2], out[0]);
}

static void test_io_malformed(void **state)
{
	(void)state;
	set_io(VTX_IO_OUT, 0x100, 3, 1);		/* size 3 */
	assert_int_equal(vm_handle_exit(&vm), VMCTL_EXIT_VM_ERROR);
	set_io(VTX_IO_OUT, 0x100, 4, VTX_RUN_SIZE);	/* past the page */
	assert_int_equal(vm_handle_exit(&vm), VMCTL_EXIT_VM_ERROR);
	set_io(VTX_IO_OUT, 0x100, 1, 1);
	rp.run.io.data_offset = 8;			/* inside struct vtx_run */
	assert_int_equal(vm_handle_exit(&vm), VMCTL_EXIT_VM_ERROR);
	set_io(2, 0x100, 1, 1);				/* neither IN nor OUT */
	assert_int_equal(vm_handle_exit(&vm), VMCTL_EXIT_VM_ERROR);
	set_io(VTX_IO_OUT, 0x100, 0, 1);		/* size 0 */
	assert_int_equal(vm_handle_exit(&vm), VMCTL_EXIT_VM_ERROR);
	assert_int_equal(scratch_writes, 0);
	assert_non_null(strstr(log_text(), "malformed I/O exit"));
}

static void test_unclaimed_ports(void **state)
{
	u32 v;

	(void)state;
	set_io(VTX_IO_IN, 0x60, 4, 1);
	assert_int_equal(vm_handle_exit(&vm), VMCTL_CONTINUE);
	memcpy(&v, io_data(), 4);
	assert_int_equal(v, 0xffffffff);
	set_io(VTX_IO_IN, 0x60, 1, 1);
	memset(io_data(), 0, 4);
	assert_int_equal(vm_handle_exit(&vm), VMCTL_CONTINUE);
	assert_int_equal(io_data()[0], 0xff);
	assert_int_equal(io_data()[1], 0);
	set_io(VTX_IO_OUT, 0x60, 1, 1);
	assert_int_equal(vm_handle_exit(&vm), VMCTL_CONTINUE);
	set_io(VTX_IO_OUT, 0x80, 1, 1);
	assert_int_equal(vm_handle_exit(&vm), VMCTL_CONTINUE);
	assert_int_equal(count_substr(log_text(), "port 0x60 "), 1);
	assert_int_equal(count_substr(log_text(), "port 0x80 "), 1);
	assert_int_equal(vm.io.nr_unclaimed, 4);
}

static void test_debug_exit_port(void **state)
{
	(void)state;
	set_io(VTX_IO_OUT, DEBUG_EXIT_PORT, 4, 1);
	memcpy(io_data(), "\x03\x00\x00\x00", 4);
	assert_int_equal(vm_handle_exit(&vm), 7);
	assert_true(vm.stop.requested);
	/* the first status wins */
	memcpy(io_data(), "\x05\x00\x00\x00", 4);
	assert_int_equal(vm_handle_exit(&vm), 7);
}

static void test_debug_exit_byte(void **state)
{
	(void)state;
	set_io(VTX_IO_OUT, DEBUG_EXIT_PORT, 1, 1);
	memcpy(io_data(), "\x10\xff\xff\xff", 4);	/* only the low byte counts */
	assert_int_equal(vm_handle_exit(&vm), 0x21);
}

static void test_mmio(void **state)
{
	(void)state;
	rp.run.exit_reason = VTX_EXIT_MMIO;
	rp.run.mmio.gpa = 0xfee00020;
	rp.run.mmio.len = 4;
	rp.run.mmio.is_write = 0;
	assert_int_equal(vm_handle_exit(&vm), VMCTL_CONTINUE);
	assert_memory_equal(rp.run.mmio.data, "\xff\xff\xff\xff\0\0\0\0", 8);
	rp.run.mmio.gpa = 0xfee00030;			/* same page: quiet */
	rp.run.mmio.is_write = 1;
	memset(rp.run.mmio.data, 0x12, 8);
	assert_int_equal(vm_handle_exit(&vm), VMCTL_CONTINUE);
	assert_int_equal(rp.run.mmio.data[0], 0x12);	/* writes leave data alone */
	assert_int_equal(count_substr(log_text(), "MMIO"), 1);
	rp.run.mmio.gpa = 0xc0000000;
	assert_int_equal(vm_handle_exit(&vm), VMCTL_CONTINUE);
	assert_int_equal(count_substr(log_text(), "MMIO"), 2);
	rp.run.mmio.len = 3;
	assert_int_equal(vm_handle_exit(&vm), VMCTL_EXIT_VM_ERROR);
}

static int fake_mmio_calls;

/* A device at 0xff000000: one page that reads 0x5a and counts writes. */
static int fake_mmio(void *ctx, u64 gpa, bool is_write, u32 len, u8 *data)
{
	assert_ptr_equal(ctx, &fake_mmio_calls);
	if (gpa - 0xff000000ULL >= 0x1000)
		return 1;
	fake_mmio_calls++;
	if (!is_write)
		memset(data, 0x5a, len);
	return 0;
}

static void test_mmio_device(void **state)
{
	(void)state;
	vm.mmio = fake_mmio;
	vm.mmio_ctx = &fake_mmio_calls;
	fake_mmio_calls = 0;
	rp.run.exit_reason = VTX_EXIT_MMIO;
	rp.run.mmio.gpa = 0xff000010;
	rp.run.mmio.len = 2;
	rp.run.mmio.is_write = 0;
	memset(rp.run.mmio.data, 0, 8);
	assert_int_equal(vm_handle_exit(&vm), VMCTL_CONTINUE);
	assert_memory_equal(rp.run.mmio.data, "\x5a\x5a\0\0", 4);
	rp.run.mmio.is_write = 1;
	assert_int_equal(vm_handle_exit(&vm), VMCTL_CONTINUE);
	assert_int_equal(fake_mmio_calls, 2);
	assert_int_equal(count_substr(log_text(), "MMIO"), 0);	/* claimed: not reported */
	/* not the device's: the unmapped path, all ones and one report */
	rp.run.mmio.gpa = 0xff001000;
	rp.run.mmio.is_write = 0;
	assert_int_equal(vm_handle_exit(&vm), VMCTL_CONTINUE);
	assert_memory_equal(rp.run.mmio.data, "\xff\xff\0\0", 4);
	assert_int_equal(count_substr(log_text(), "MMIO"), 1);
	rp.run.mmio.len = 3;	/* malformed before any device sees it */
	assert_int_equal(vm_handle_exit(&vm), VMCTL_EXIT_VM_ERROR);
	assert_int_equal(fake_mmio_calls, 2);
}

static void test_hlt(void **state)
{
	(void)state;
	rp.run.exit_reason = VTX_EXIT_HLT;
	assert_int_equal(vm_handle_exit(&vm), VMCTL_EXIT_OK);
	assert_string_equal(log_text(), "");
}

/* An AP's HLT ends only its thread; a pending stop still wins. */
static void test_hlt_ap(void **state)
{
	(void)state;
	rp.run.exit_reason = VTX_EXIT_HLT;
	assert_int_equal(vm_handle_vcpu_exit(&vm, &rp.run, 3), VMCTL_VCPU_DONE);
	assert_int_equal(vm_handle_vcpu_exit(&vm, &rp.run, 2), VMCTL_VCPU_DONE);
	vmctl_request_stop(&vm.stop, 9);
	assert_int_equal(vm_handle_vcpu_exit(&vm, &rp.run, 1), 9);
	rp.run.exit_reason = VTX_EXIT_KICK;
	assert_int_equal(vm_handle_vcpu_exit(&vm, &rp.run, 1), 9);
	assert_string_equal(vm_exit_name(VTX_EXIT_KICK), "kick");
}

static void test_fatal_exits(void **state)
{
	(void)state;
	rp.run.exit_reason = VTX_EXIT_SHUTDOWN;
	rp.run.guest_rip = 0x7c1e;
	assert_int_equal(vm_handle_exit(&vm), VMCTL_EXIT_GUEST_CRASH);
	assert_non_null(strstr(log_text(), "guest triple fault at RIP 0x7c1e"));

	rp.run.exit_reason = VTX_EXIT_FAIL_ENTRY;
	rp.run.fail_entry.hardware_entry_failure_reason = 0x80000021;
	assert_int_equal(vm_handle_exit(&vm), VMCTL_EXIT_VM_ERROR);
	assert_non_null(strstr(log_text(), "0x80000021 (33: invalid guest state)"));

	rp.run.exit_reason = VTX_EXIT_INTERNAL_ERROR;
	rp.run.internal.suberror = VTX_INTERNAL_UNHANDLED_EXIT;
	rp.run.internal.ndata = 2;
	rp.run.internal.data[0] = 10;
	rp.run.internal.data[1] = 0xabc;
	assert_int_equal(vm_handle_exit(&vm), VMCTL_EXIT_VM_ERROR);
	assert_non_null(strstr(log_text(), "unhandled exit"));
	assert_non_null(strstr(log_text(), "data: 0xa 0xabc\n"));

	rp.run.exit_reason = 99;
	assert_int_equal(vm_handle_exit(&vm), VMCTL_EXIT_VM_ERROR);
	assert_non_null(strstr(log_text(), "unknown exit reason 99"));

	rp.run.exit_reason = VTX_EXIT_INTR;
	assert_int_equal(vm_handle_exit(&vm), VMCTL_CONTINUE);
	assert_string_equal(vm_exit_name(VTX_EXIT_HLT), "hlt");
	assert_string_equal(vm_exit_name(1000), "unknown");
}

static void test_console_escape(void **state)
{
	struct console c;
	u8 out[2];

	(void)state;
	console_init(&c, &vm.stop);
	assert_int_equal(console_feed(&c, CONSOLE_ESCAPE, out), 1);	/* escapes off */
	assert_int_equal(out[0], CONSOLE_ESCAPE);
	c.escapes = true;
	assert_int_equal(console_feed(&c, 'a', out), 1);
	assert_int_equal(out[0], 'a');
	assert_int_equal(console_feed(&c, CONSOLE_ESCAPE, out), 0);
	assert_int_equal(console_feed(&c, CONSOLE_ESCAPE, out), 1);	/* Ctrl-A Ctrl-A */
	assert_int_equal(out[0], CONSOLE_ESCAPE);
	assert_int_equal(console_feed(&c, CONSOLE_ESCAPE, out), 0);
	assert_int_equal(console_feed(&c, 'q', out), 2);		/* not a command */
	assert_true(out[0] == CONSOLE_ESCAPE && out[1] == 'q');
	assert_false(vm.stop.requested);
	assert_int_equal(console_feed(&c, CONSOLE_ESCAPE, out), 0);
	assert_int_equal(console_feed(&c, 'x', out), 0);
	assert_true(vm.stop.requested);
	assert_int_equal(vm.stop.code, VMCTL_EXIT_OK);
	/* the run loop ends at the next exit */
	rp.run.exit_reason = VTX_EXIT_INTR;
	assert_int_equal(vm_handle_exit(&vm), VMCTL_EXIT_OK);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debug_exit_status),
		T(test_io_out_in),
		T(test_hlt_ap),
		T(test_io_rep),
		T(test_io_malformed),
		T(test_unclaimed_ports),
		T(test_debug_exit_port),
		T(test_debug_exit_byte),
		T(test_mmio),
		T(test_mmio_device),
		T(test_hlt),
		T(test_fatal_exits),
		T(test_console_escape),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
