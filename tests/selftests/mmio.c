// SPDX-License-Identifier: GPL-2.0
/*
 * mmio: guest accesses to a GPA outside every memory slot exit as
 * VTX_EXIT_MMIO with the GPA, length and (for writes) data; for reads the
 * host's data lands in the destination with the instruction's zero- or
 * sign-extension. Covers 1/2/4/8-byte MOV to/from registers, MOV with
 * immediates (including the sign-extended imm32 of MOVQ), MOVZX, MOVSX and
 * MOVSXD (SDM Vol. 2B MOV, MOVZX, MOVSX/MOVSXD).
 */
#include "vm.h"
#include "vm_test.h"
#include "vtx_util.h"

#define MMIO_GPA	0xd0000000ull	/* mapped by the guest's page tables, not by a slot */
#define M8(off)		(*(volatile uint8_t *)(uintptr_t)(MMIO_GPA + (off)))
#define M16(off)	(*(volatile uint16_t *)(uintptr_t)(MMIO_GPA + (off)))
#define M32(off)	(*(volatile uint32_t *)(uintptr_t)(MMIO_GPA + (off)))
#define M64(off)	(*(volatile uint64_t *)(uintptr_t)(MMIO_GPA + (off)))

struct mmio_step {
	const char *what;
	uint8_t is_write;
	uint32_t len;
	uint64_t off;
	uint64_t data;		/* write: expected, read: supplied */
};

static const struct mmio_step steps[] = {
	{ "movb $imm8, m8", 1, 1, 0x00, 0x12 },
	{ "movw r16, m16", 1, 2, 0x02, 0x3456 },
	{ "movl $imm32, m32", 1, 4, 0x04, 0x789abcde },
	{ "movq r64, m64", 1, 8, 0x08, 0x1122334455667788ull },
	{ "movq $simm32, m64", 1, 8, 0x10, 0xfffffffffffffffeull },
	{ "movb r8, m8", 1, 1, 0xfff, 0xc3 },
	{ "movb m8, r8", 0, 1, 0x20, 0x81 },
	{ "movzbl m8, r32", 0, 1, 0x21, 0x92 },
	{ "movsbq m8, r64", 0, 1, 0x22, 0x93 },
	{ "movzwl m16, r32", 0, 2, 0x24, 0x8765 },
	{ "movswq m16, r64", 0, 2, 0x26, 0x8001 },
	{ "movl m32, r32", 0, 4, 0x28, 0x89abcdef },
	{ "movslq m32, r64", 0, 4, 0x2c, 0x80000000 },
	{ "movq m64, r64", 0, 8, 0x30, 0x0123456789abcdefull },
};
#define NR_STEPS	(sizeof(steps) / sizeof(steps[0]))

/*
 * MMIO read by @insn (an asm template: %1 the memory, %0 the register) into
 * @reg, preloaded with @garbage so that a missing zero- or sign-extension
 * shows.
 */
#define GUEST_MMIO_LOAD(insn, reg, garbage, mem, want) do {			\
	reg = (garbage);							\
	asm volatile(insn : "+r"(reg) : "m"(mem));				\
	GUEST_ASSERT_EQ(reg, want);						\
} while (0)

static void guest_code(void)
{
	uint64_t q;
	uint32_t l;
	uint8_t b;

	asm volatile("movb $0x12, %0" : "=m"(M8(0)));
	asm volatile("movw %1, %0" : "=m"(M16(2)) : "r"((uint16_t)0x3456));
	asm volatile("movl $0x789abcde, %0" : "=m"(M32(4)));
	asm volatile("movq %1, %0" : "=m"(M64(8)) : "r"(0x1122334455667788ull));
	asm volatile("movq $-2, %0" : "=m"(M64(0x10)));
	asm volatile("movb %1, %0" : "=m"(M8(0xfff)) : "q"((uint8_t)0xc3));

	GUEST_MMIO_LOAD("movb %1, %0", b, 0, M8(0x20), 0x81);
	GUEST_MMIO_LOAD("movzbl %1, %0", l, 0xffffffff, M8(0x21), 0x92);
	GUEST_MMIO_LOAD("movsbq %1, %0", q, 0, M8(0x22), 0xffffffffffffff93ull);
	GUEST_MMIO_LOAD("movzwl %1, %0", l, 0xffffffff, M16(0x24), 0x8765);
	GUEST_MMIO_LOAD("movswq %1, %0", q, 0, M16(0x26), 0xffffffffffff8001ull);
	/* a 32-bit destination clears bits 63:32 (SDM Vol. 1 3.4.1.1) */
	GUEST_MMIO_LOAD("movl %1, %k0", q, 0xffffffffffffffffull, M32(0x28), 0x89abcdef);
	GUEST_MMIO_LOAD("movslq %1, %0", q, 0, M32(0x2c), 0xffffffff80000000ull);
	GUEST_MMIO_LOAD("movq %1, %0", q, 0, M64(0x30), 0x0123456789abcdefull);
	GUEST_DONE();
}

static bool mmio_step_check(struct test_vcpu *vcpu, const struct mmio_step *st)
{
	struct vtx_run *run = vcpu->run;
	uint64_t data = 0;

	vcpu_run(vcpu);
	if (run->exit_reason != VTX_EXIT_MMIO || run->mmio.gpa != MMIO_GPA + st->off ||
	    run->mmio.len != st->len || run->mmio.is_write != st->is_write) {
		struct ucall uc;

		if (get_ucall(vcpu, &uc) != UCALL_NONE)
			ucall_print(vcpu, &uc);
		vcpu_print_exit(vcpu);
		ksft_print_msg("want gpa %#llx len %u write %u\n",
			       (unsigned long long)(MMIO_GPA + st->off), st->len, st->is_write);
		return false;
	}
	if (st->is_write) {
		memcpy(&data, run->mmio.data, st->len);
		if (data != st->data) {
			ksft_print_msg("write data %#llx, want %#llx\n", (unsigned long long)data,
				       (unsigned long long)st->data);
			return false;
		}
	} else {
		memcpy(run->mmio.data, &st->data, st->len);
	}
	return true;
}

static bool mmio_step_run(struct test_vcpu *vcpu, unsigned int i)
{
	bool ok = mmio_step_check(vcpu, &steps[i]);

	ksft_test_result(ok, "%s", steps[i].what);
	return ok;
}

int main(void)
{
	vm_test_steps(guest_code, NR_STEPS, mmio_step_run,
		      "guest registers hold the read data, extended right");
}
