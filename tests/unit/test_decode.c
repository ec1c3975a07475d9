// SPDX-License-Identifier: GPL-2.0
/* unit-sources: kmod/vmx/decode.c */
/*
 * MMIO instruction decoder (kmod/vmx/decode.c). Byte sequences are what
 * GNU as emits for the instruction in the comment (checked with objdump),
 * except where a comment names another valid encoding.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ktypes.h"
#include "vmx/decode.h"

#define DECODE(mode, ...) ({						\
	static const u8 b_[] = { __VA_ARGS__ };				\
	int r_ = vmx_decode_mmio(b_, sizeof(b_), mode, &d);		\
	assert_int_equal(r_, 0);					\
	assert_int_equal(d.len, sizeof(b_));				\
})

static void test_mov_store_64(void **state)
{
	struct vmx_mmio_insn d;

	(void)state;
	DECODE(VMX_MODE_64, 0x89, 0x07);			/* mov %eax,(%rdi) */
	assert_true(d.is_write);
	assert_int_equal(d.size, 4);
	assert_int_equal(d.reg, 0);
	DECODE(VMX_MODE_64, 0x48, 0x89, 0x4f, 0x08);		/* mov %rcx,0x8(%rdi) */
	assert_int_equal(d.size, 8);
	assert_int_equal(d.reg, 1);
	DECODE(VMX_MODE_64, 0x4c, 0x89, 0x84, 0x24, 0x00, 0x01, 0x00, 0x00);
								/* mov %r8,0x100(%rsp) */
	assert_int_equal(d.size, 8);
	assert_int_equal(d.reg, 8);
	DECODE(VMX_MODE_64, 0x66, 0x89, 0x1d, 0x10, 0x00, 0x00, 0x00);
								/* mov %bx,0x10(%rip) */
	assert_int_equal(d.size, 2);
	assert_int_equal(d.reg, 3);
	DECODE(VMX_MODE_64, 0x88, 0x06);			/* mov %al,(%rsi) */
	assert_int_equal(d.size, 1);
	assert_false(d.high_byte);
}

static void test_byte_registers(void **state)
{
	struct vmx_mmio_insn d;

	(void)state;
	DECODE(VMX_MODE_64, 0x88, 0x26);			/* mov %ah,(%rsi) */
	assert_true(d.high_byte);
	assert_int_equal(d.reg, 0);
	assert_int_equal(vmx_mmio_write_value(&d, 0x1234), 0x12);
	DECODE(VMX_MODE_64, 0x40, 0x88, 0x26);			/* mov %spl,(%rsi) */
	assert_false(d.high_byte);
	assert_int_equal(d.reg, 4);
	DECODE(VMX_MODE_64, 0x44, 0x88, 0x3e);			/* mov %r15b,(%rsi) */
	assert_int_equal(d.reg, 15);
	DECODE(VMX_MODE_32, 0x8a, 0x3b);			/* mov (%ebx),%bh */
	assert_true(d.high_byte);
	assert_false(d.is_write);
	assert_int_equal(d.reg, 3);
	assert_int_equal(vmx_mmio_read_result(&d, 0xffffffffffff1122ULL, 0xab),
			 0xffffffffffffab22ULL);
}

static void test_mov_load(void **state)
{
	struct vmx_mmio_insn d;

	(void)state;
	DECODE(VMX_MODE_64, 0x8b, 0x47, 0x04);			/* mov 0x4(%rdi),%eax */
	assert_false(d.is_write);
	assert_int_equal(d.size, 4);
	/* 32-bit destination zero-extends. */
	assert_int_equal(vmx_mmio_read_result(&d, ~0ULL, 0x89abcdef), 0x89abcdefULL);
	DECODE(VMX_MODE_64, 0x66, 0x8b, 0x10);			/* mov (%rax),%dx */
	assert_int_equal(d.size, 2);
	assert_int_equal(d.reg, 2);
	assert_int_equal(vmx_mmio_read_result(&d, 0x1111222233334444ULL, 0xbeef),
			 0x111122223333beefULL);
	DECODE(VMX_MODE_64, 0x4c, 0x8b, 0x24, 0x25, 0x00, 0x00, 0xe0, 0xfe);
								/* mov -0x1200000,%r12 (abs disp32) */
	assert_int_equal(d.size, 8);
	assert_int_equal(d.reg, 12);
	assert_int_equal(vmx_mmio_read_result(&d, 0, 0x0123456789abcdefULL),
			 0x0123456789abcdefULL);
}

static void test_mov_imm(void **state)
{
	struct vmx_mmio_insn d;

	(void)state;
	DECODE(VMX_MODE_64, 0xc7, 0x07, 0x78, 0x56, 0x34, 0x12);	/* movl $0x12345678,(%rdi) */
	assert_true(d.is_write);
	assert_true(d.has_imm);
	assert_int_equal(d.size, 4);
	assert_int_equal(vmx_mmio_write_value(&d, 0), 0x12345678);
	DECODE(VMX_MODE_64, 0x48, 0xc7, 0x47, 0x08, 0xff, 0xff, 0xff, 0xff);
								/* movq $-1,0x8(%rdi) */
	assert_int_equal(d.size, 8);
	assert_int_equal(vmx_mmio_write_value(&d, 0), ~0ULL);
	DECODE(VMX_MODE_64, 0xc6, 0x04, 0x25, 0x00, 0x10, 0x00, 0x00, 0x5a);
								/* movb $0x5a,0x1000 */
	assert_int_equal(d.size, 1);
	assert_int_equal(vmx_mmio_write_value(&d, 0), 0x5a);
	assert_false(d.high_byte);
	DECODE(VMX_MODE_64, 0x66, 0xc7, 0x00, 0x34, 0x12);	/* movw $0x1234,(%rax) */
	assert_int_equal(d.size, 2);
	assert_int_equal(vmx_mmio_write_value(&d, 0), 0x1234);
}

static void test_movzx_movsx(void **state)
{
	struct vmx_mmio_insn d;

	(void)state;
	DECODE(VMX_MODE_64, 0x0f, 0xb6, 0x07);			/* movzbl (%rdi),%eax */
	assert_false(d.is_write);
	assert_int_equal(d.size, 1);
	assert_int_equal(d.dst_size, 4);
	assert_false(d.sign_extend);
	assert_int_equal(vmx_mmio_read_result(&d, ~0ULL, 0x80), 0x80);
	DECODE(VMX_MODE_64, 0x48, 0x0f, 0xbf, 0x0e);		/* movswq (%rsi),%rcx */
	assert_int_equal(d.size, 2);
	assert_int_equal(d.dst_size, 8);
	assert_true(d.sign_extend);
	assert_int_equal(d.reg, 1);
	assert_int_equal(vmx_mmio_read_result(&d, 0, 0x8001), 0xffffffffffff8001ULL);
	DECODE(VMX_MODE_64, 0x66, 0x0f, 0xbe, 0x06);		/* movsbw (%rsi),%ax */
	assert_int_equal(d.dst_size, 2);
	assert_int_equal(vmx_mmio_read_result(&d, 0xaaaaaaaaaaaaaaaaULL, 0xff),
			 0xaaaaaaaaaaaaffffULL);
	DECODE(VMX_MODE_64, 0x44, 0x0f, 0xb7, 0x10);		/* movzwl (%rax),%r10d */
	assert_int_equal(d.reg, 10);
	assert_int_equal(d.size, 2);
	assert_int_equal(d.dst_size, 4);
	/* Byte source into SIL/DIL-style registers is never a high byte. */
	DECODE(VMX_MODE_64, 0x0f, 0xb6, 0x26);			/* movzbl (%rsi),%esp */
	assert_false(d.high_byte);
	assert_int_equal(d.reg, 4);
}

static void test_movsxd(void **state)
{
	struct vmx_mmio_insn d;

	(void)state;
	DECODE(VMX_MODE_64, 0x48, 0x63, 0x07);			/* movslq (%rdi),%rax */
	assert_false(d.is_write);
	assert_int_equal(d.size, 4);
	assert_int_equal(d.dst_size, 8);
	assert_true(d.sign_extend);
	assert_int_equal(vmx_mmio_read_result(&d, 0, 0x80000000), 0xffffffff80000000ULL);
	assert_int_equal(vmx_mmio_read_result(&d, ~0ULL, 0x7fffffff), 0x7fffffffULL);
	DECODE(VMX_MODE_64, 0x4c, 0x63, 0x5e, 0x10);		/* movslq 0x10(%rsi),%r11 */
	assert_int_equal(d.reg, 11);
	/* 0x63 is ARPL outside 64-bit mode. */
	assert_int_equal(vmx_decode_mmio((const u8[]){ 0x63, 0x07 }, 2, VMX_MODE_32, &d), -EINVAL);
}

static void test_moffs(void **state)
{
	struct vmx_mmio_insn d;

	(void)state;
	DECODE(VMX_MODE_64, 0xa1, 0x00, 0x00, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00);
								/* movabs 0xfee00000,%eax */
	assert_false(d.is_write);
	assert_int_equal(d.size, 4);
	assert_int_equal(d.reg, 0);
	DECODE(VMX_MODE_64, 0x48, 0xa3, 0, 0, 0, 0, 1, 0, 0, 0);	/* movabs %rax,0x100000000 */
	assert_true(d.is_write);
	assert_int_equal(d.size, 8);
	DECODE(VMX_MODE_32, 0xa2, 0x00, 0x00, 0x0b, 0x00);	/* mov %al,0xb0000 */
	assert_int_equal(d.size, 1);
	assert_true(d.is_write);
	DECODE(VMX_MODE_16, 0xa0, 0x34, 0x12);			/* mov 0x1234,%al (16-bit) */
	assert_int_equal(d.addr_size, 2);
	DECODE(VMX_MODE_64, 0x67, 0xa1, 0x00, 0x10, 0x00, 0x00);	/* addr32 mov 0x1000,%eax */
	assert_int_equal(d.addr_size, 4);
}

static void test_16bit_modes(void **state)
{
	struct vmx_mmio_insn d;

	(void)state;
	DECODE(VMX_MODE_16, 0x89, 0x07);			/* mov %ax,(%bx) */
	assert_int_equal(d.size, 2);
	assert_int_equal(d.addr_size, 2);
	DECODE(VMX_MODE_16, 0x66, 0x89, 0x36, 0x00, 0x80);	/* mov %esi,0x8000 */
	assert_int_equal(d.size, 4);
	assert_int_equal(d.reg, 6);
	DECODE(VMX_MODE_16, 0x8b, 0x47, 0x02);			/* mov 0x2(%bx),%ax */
	assert_int_equal(d.size, 2);
	DECODE(VMX_MODE_16, 0x8b, 0x87, 0x00, 0x10);		/* mov 0x1000(%bx),%ax */
	DECODE(VMX_MODE_16, 0x67, 0x89, 0x04, 0x24);		/* addr32 mov %ax,(%esp) */
	assert_int_equal(d.addr_size, 4);
	DECODE(VMX_MODE_32, 0x66, 0x67, 0x89, 0x07);		/* mov %ax,(%bx) */
	assert_int_equal(d.size, 2);
	assert_int_equal(d.addr_size, 2);
}

static void test_sib_and_disp_32(void **state)
{
	struct vmx_mmio_insn d;

	(void)state;
	DECODE(VMX_MODE_32, 0x89, 0x04, 0x8d, 0x00, 0x00, 0xc0, 0xfe);
								/* mov %eax,0xfec00000(,%ecx,4) */
	DECODE(VMX_MODE_32, 0x89, 0x44, 0x8b, 0x10);		/* mov %eax,0x10(%ebx,%ecx,4) */
	DECODE(VMX_MODE_32, 0x89, 0x84, 0x8b, 0x00, 0x01, 0x00, 0x00);
								/* mov %eax,0x100(%ebx,%ecx,4) */
	/* mov %eax,0xfee00000 in its ModRM form (as picks A3) */
	DECODE(VMX_MODE_32, 0x89, 0x05, 0x00, 0x00, 0xe0, 0xfe);
	DECODE(VMX_MODE_32, 0x8b, 0x45, 0xfc);			/* mov -0x4(%ebp),%eax */
	DECODE(VMX_MODE_64, 0x42, 0x89, 0x04, 0xa0);		/* mov %eax,(%rax,%r12,4) */
	assert_int_equal(d.reg, 0);
}

static void test_prefixes(void **state)
{
	struct vmx_mmio_insn d;

	(void)state;
	DECODE(VMX_MODE_64, 0x64, 0x89, 0x03);			/* mov %eax,%fs:(%rbx) */
	assert_int_equal(d.seg, VMX_SEG_FS);
	DECODE(VMX_MODE_32, 0x26, 0x88, 0x1f);			/* mov %bl,%es:(%edi) */
	assert_int_equal(d.seg, VMX_SEG_ES);
	DECODE(VMX_MODE_64, 0xf0, 0x89, 0x03);			/* lock-prefixed store */
	/* REX before a legacy prefix is ignored: 48 66 89 07 is a 16-bit store. */
	DECODE(VMX_MODE_64, 0x48, 0x66, 0x89, 0x07);
	assert_int_equal(d.size, 2);
	/* 0x40-0x4f are INC/DEC, not REX, outside 64-bit mode. */
	assert_int_equal(vmx_decode_mmio((const u8[]){ 0x48, 0x89, 0x07 }, 3, VMX_MODE_32, &d),
			 -EINVAL);
}

static void test_rejects(void **state)
{
	struct vmx_mmio_insn d;

	(void)state;
	/* Register operand: no memory access. */
	assert_int_equal(vmx_decode_mmio((const u8[]){ 0x89, 0xc8 }, 2, VMX_MODE_64, &d), -EINVAL);
	/* C7 /1 is not MOV. */
	assert_int_equal(vmx_decode_mmio((const u8[]){ 0xc7, 0x0f, 0, 0, 0, 0 }, 6,
					 VMX_MODE_64, &d), -EINVAL);
	/* ADD, unsupported two-byte opcode. */
	assert_int_equal(vmx_decode_mmio((const u8[]){ 0x01, 0x07 }, 2, VMX_MODE_64, &d), -EINVAL);
	assert_int_equal(vmx_decode_mmio((const u8[]){ 0x0f, 0xaf, 0x07 }, 3, VMX_MODE_64, &d),
			 -EINVAL);
	/* Truncated. */
	assert_int_equal(vmx_decode_mmio((const u8[]){ 0x8b, 0x87, 0x00 }, 3, VMX_MODE_64, &d),
			 -ENODATA);
	assert_int_equal(vmx_decode_mmio((const u8[]){ 0x66 }, 1, VMX_MODE_64, &d), -ENODATA);
	/* More than 15 bytes of prefixes. */
	{
		u8 many[20];

		memset(many, 0x66, sizeof(many));
		assert_int_equal(vmx_decode_mmio(many, sizeof(many), VMX_MODE_64, &d), -EINVAL);
	}
	assert_int_equal(vmx_decode_mmio(NULL, 4, VMX_MODE_64, &d), -EINVAL);
	assert_int_equal(vmx_decode_mmio((const u8[]){ 0x89, 0x07 }, 2, 3, &d), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mov_store_64),
		cmocka_unit_test(test_byte_registers),
		cmocka_unit_test(test_mov_load),
		cmocka_unit_test(test_mov_imm),
		cmocka_unit_test(test_movzx_movsx),
		cmocka_unit_test(test_movsxd),
		cmocka_unit_test(test_moffs),
		cmocka_unit_test(test_16bit_modes),
		cmocka_unit_test(test_sib_and_disp_32),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
