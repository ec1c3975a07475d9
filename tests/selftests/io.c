// SPDX-License-Identifier: GPL-2.0
/*
 * io: port I/O exits to userspace. OUT and IN of 1, 2 and 4 bytes carry
 * the right port, size, direction and data both ways; string I/O (REP
 * OUTSB/INSB/OUTSW/INSD) moves `count` items through the run page and
 * leaves RCX = 0 and RSI/RDI advanced (SDM Vol. 2B INS/OUTS, REP). vtx may
 * split a REP into several exits: the host adds up the counts.
 */
#include "vm.h"
#include "vm_test.h"
#include "vtx_util.h"

struct io_step {
	const char *what;
	uint8_t dir, size;
	uint16_t port;
	uint32_t count;
	uint8_t data[16];	/* OUT: expected, IN: supplied */
};

static const struct io_step steps[] = {
	{ "outb", VTX_IO_OUT, 1, 0x70, 1, { 0x5a } },
	{ "outw", VTX_IO_OUT, 2, 0x72, 1, { 0xef, 0xbe } },
	{ "outl", VTX_IO_OUT, 4, 0x74, 1, { 0xef, 0xbe, 0xad, 0xde } },
	{ "inb", VTX_IO_IN, 1, 0x71, 1, { 0xa5 } },
	{ "inw", VTX_IO_IN, 2, 0x72, 1, { 0x34, 0x12 } },
	{ "inl", VTX_IO_IN, 4, 0x3f8, 1, { 0xef, 0xcd, 0xab, 0x89 } },
	{ "rep outsb x7", VTX_IO_OUT, 1, 0x78, 7, "vtx-io!" },
	{ "rep insb x5", VTX_IO_IN, 1, 0x79, 5, "hello" },
	{ "rep outsw x3", VTX_IO_OUT, 2, 0x7a, 3, { 0x11, 0x11, 0x22, 0x22, 0x33, 0x33 } },
	{ "rep insd x4", VTX_IO_IN, 4, 0x7c, 4, { 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4 } },
};
#define NR_STEPS	(sizeof(steps) / sizeof(steps[0]))

static uint8_t out_buf[8] = "vtx-io!";
static uint16_t out_words[3] = { 0x1111, 0x2222, 0x3333 };
static uint8_t in_buf[8];
static uint32_t in_dwords[4];

/*
 * REP @insn of @count items at @port from/to @buf (pointer register
 * @ptr_reg): RCX ends at 0 and the pointer just after the items.
 */
#define GUEST_REP_IO(insn, ptr_reg, buf, count, port) do {			\
	void *ptr = (void *)(buf);						\
	uint64_t rcx = (count);							\
										\
	asm volatile("rep " insn : ptr_reg(ptr), "+c"(rcx) : "d"(port) : "memory");	\
	GUEST_ASSERT_EQ(rcx, 0);						\
	GUEST_ASSERT_EQ(ptr, (buf) + (count));					\
} while (0)

static void guest_code(void)
{
	outb(0x70, 0x5a);
	outw(0x72, 0xbeef);
	outl(0x74, 0xdeadbeef);
	GUEST_ASSERT_EQ(inb(0x71), 0xa5);
	GUEST_ASSERT_EQ(inw(0x72), 0x1234);
	GUEST_ASSERT_EQ(inl(0x3f8), 0x89abcdef);

	GUEST_REP_IO("outsb", "+S", out_buf, 7, 0x78);
	GUEST_REP_IO("insb", "+D", in_buf, 5, 0x79);
	GUEST_ASSERT(!memcmp(in_buf, "hello", 5) && in_buf[5] == 0);
	GUEST_REP_IO("outsw", "+S", out_words, 3, 0x7a);
	GUEST_REP_IO("insl", "+D", in_dwords, 4, 0x7c);
	GUEST_ASSERT(in_dwords[0] == 1 && in_dwords[1] == 2 && in_dwords[2] == 3 &&
		     in_dwords[3] == 4);
	GUEST_DONE();
}

/* Handle the exits of one step; false with diagnostics on a mismatch. */
static bool io_step_check(struct test_vcpu *vcpu, const struct io_step *st)
{
	struct vtx_run *run = vcpu->run;
	uint32_t done = 0;

	while (done < st->count) {
		uint32_t bytes;
		uint8_t *data;

		vcpu_run(vcpu);
		if (run->exit_reason != VTX_EXIT_IO || run->io.direction != st->dir ||
		    run->io.size != st->size || run->io.port != st->port || !run->io.count ||
		    done + run->io.count > st->count) {
			struct ucall uc;

			if (get_ucall(vcpu, &uc) != UCALL_NONE)
				ucall_print(vcpu, &uc);
			vcpu_print_exit(vcpu);
			ksft_print_msg("want port %#x size %u dir %u count %u (done %u)\n",
				       st->port, st->size, st->dir, st->count, done);
			return false;
		}
		bytes = run->io.count * st->size;
		if (run->io.data_offset < sizeof(*run) ||
		    run->io.data_offset + bytes > VTX_RUN_SIZE) {
			ksft_print_msg("data_offset %llu out of the run page\n",
				       (unsigned long long)run->io.data_offset);
			return false;
		}
		data = (uint8_t *)run + run->io.data_offset;
		if (st->dir == VTX_IO_IN) {
			memcpy(data, st->data + done * st->size, bytes);
		} else if (memcmp(data, st->data + done * st->size, bytes)) {
			ksft_print_msg("OUT data differs: first bytes %02x %02x %02x %02x\n",
				       data[0], data[1], data[2], data[3]);
			return false;
		}
		done += run->io.count;
	}
	return true;
}

static bool io_step_run(struct test_vcpu *vcpu, unsigned int i)
{
	bool ok = io_step_check(vcpu, &steps[i]);

	ksft_test_result(ok, "%s port %#x", steps[i].what, steps[i].port);
	return ok;
}

int main(void)
{
	vm_test_steps(guest_code, NR_STEPS, io_step_run,
		      "guest saw the IN data and REP registers it expected");
}
