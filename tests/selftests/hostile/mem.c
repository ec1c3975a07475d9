// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile behaviours of the address kind: MSR sweeps over whole ranges,
 * I/O to every port at every size, REP INS/OUTS with huge counts and
 * across the end of RAM, MMIO at odd sizes and alignments on the LAPIC,
 * the IOAPIC and beyond RAM, MOVS from MMIO to MMIO, page tables and
 * an instruction outside or straddling the end of RAM.
 *
 * Where the CPU cannot finish an access that vtx must emulate (a page
 * walk, an instruction fetch or a string move through non-RAM), vtx's
 * documented answer is VTX_EXIT_INTERNAL_ERROR / VTX_INTERNAL_EMULATION
 * with the GPA in data[0] (kmod/vmx/mmio.c), or for string I/O the GVA in
 * data[1] (kmod/vmx/io.c); an INS whose data cannot be stored fails the
 * next VTX_RUN with EFAULT.
 */
#include "hostile.h"

/* ---- MSR sweeps: each RDMSR reads or #GPs; a readable MSR gets its value back ---- */
static uint64_t sweep_reads, sweep_writes;

static void msr_sweep(uint32_t first, uint32_t last)
{
	uint64_t v;
	uint8_t r, w;

	for (uint32_t msr = first; msr <= last; msr++) {
		r = rdmsr_safe(msr, &v);
		GUEST_ASSERT(r == 0 || r == GP_VECTOR);
		w = wrmsr_safe(msr, r ? 0 : v);
		GUEST_ASSERT(w == 0 || w == GP_VECTOR);
		sweep_reads += !r;
		sweep_writes += !w;
	}
	h_guest_done(sweep_reads << 32 | sweep_writes);
}

static void g_msr_low(void)
{
	msr_sweep(0, 0x1fff);
}

static void g_msr_high(void)
{
	msr_sweep(0xc0000000, 0xc0001fff);
}

static void g_msr_x2apic(void)
{
	x2apic_enable();
	msr_sweep(LAPIC_MSR_X2APIC_FIRST, LAPIC_MSR_X2APIC_LAST);
}

static bool run_sweep(struct hostile *h, void *guest, const char *what)
{
	uint64_t d = 0;
	bool ok = h_run_guest(h, guest, &d);

	return ok && h_say(h, (d >> 32) > 0, "%s: %llu readable, %llu writes taken, the rest #GP",
			   what, (unsigned long long)(d >> 32),
			   (unsigned long long)(d & 0xffffffff));
}

static bool b_msr_low(struct hostile *h)
{
	return run_sweep(h, g_msr_low, "RDMSR/WRMSR 0x0-0x1fff");
}

static bool b_msr_high(struct hostile *h)
{
	return run_sweep(h, g_msr_high, "RDMSR/WRMSR 0xc0000000-0xc0001fff");
}

static bool b_msr_x2apic(struct hostile *h)
{
	return run_sweep(h, g_msr_x2apic, "x2APIC on, RDMSR/WRMSR 0x800-0x8ff");
}

/* ---- every port, every size, OUT then IN ---- */
/*
 * OUT at every port and size; IN at every port, its size rotating (1, 2, 4)
 * unless hostile_full (`make stress`): each is a trip to userspace, about
 * 0.3 ms of wall time in the Bochs machine.
 */
static uint8_t io_full;
#define PORT_VAL(port)	((uint32_t)(port) * 0x01010101u ^ 0xa5a5a5a5u)

static void g_io_all(void)
{
	cli();
	for (uint32_t p = 0; p <= 0xffff; p++) {
		outb(p, PORT_VAL(p));
		outw(p, PORT_VAL(p));
		outl(p, PORT_VAL(p));
	}
	for (uint32_t p = 0; p <= 0xffff; p++) {
		if (io_full || p % 3 == 0)
			inb(p);
		if (io_full || p % 3 == 1)
			inw(p);
		if (io_full || p % 3 == 2)
			inl(p);
	}
	h_guest_done(0);
}

static bool b_io_all(struct hostile *h)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = h_vm_create(h, &vcpu, g_io_all);
	struct vtx_run *run = vcpu->run;
	uint64_t in_min = hostile_full ? 0xffc0 : 0xffc0 / 3;
	uint64_t outs[5] = { 0 }, ins[5] = { 0 }, bad = 0, cmd;
	struct ucall uc;
	uint32_t data, want;

	io_full = hostile_full;
	sync_global_to_guest(vm, io_full);
	for (;;) {
		if (h_run(vcpu))
			break;
		cmd = get_ucall(vcpu, &uc);
		if (cmd != UCALL_NONE || run->exit_reason != VTX_EXIT_IO || run->io.count != 1)
			break;
		if (run->io.direction == VTX_IO_IN) {
			ins[run->io.size]++;
			memset((uint8_t *)run + run->io.data_offset, 0x5a, 4);
			continue;
		}
		outs[run->io.size]++;
		data = 0;
		memcpy(&data, (uint8_t *)run + run->io.data_offset, run->io.size);
		want = PORT_VAL(run->io.port);
		if (run->io.size < 4)
			want &= (1u << (8 * run->io.size)) - 1;
		bad += data != want;
	}
	if (cmd != UCALL_SYNC || uc.args[0] != H_DONE) {
		h_bad_exit(h, vcpu, "the guest's report");
		h_vm_free(h, vm);
		return false;
	}
	h_linger(h);
	h_run_until_kick(h, vcpu);
	h_vm_free(h, vm);
	/* the in-kernel PIC, PIT and port 0x61 answer a few ports themselves */
	return h_say(h, !bad && outs[1] > 0xffc0 && outs[2] > 0xffc0 && outs[4] > 0xffc0 &&
		     ins[1] > in_min && ins[2] > in_min && ins[4] > in_min,
		     "OUT exits b/w/l %llu/%llu/%llu (%llu with wrong data), IN %llu/%llu/%llu",
		     (unsigned long long)outs[1], (unsigned long long)outs[2],
		     (unsigned long long)outs[4], (unsigned long long)bad,
		     (unsigned long long)ins[1], (unsigned long long)ins[2],
		     (unsigned long long)ins[4]);
}

/* ---- REP OUTS / INS across the end of RAM ---- */
#define STR_PORT	0x80
#define HUGE_COUNT	(1ull << 40)

static void g_rep_outs_end(void)
{
	uint8_t *p = (uint8_t *)(uintptr_t)(H_RAM_END - 8192);

	for (int i = 0; i < 8192; i++)
		p[i] = (uint8_t)(i * 7);
	asm volatile("cld; rep outsb" : "+S"(p) : "c"(HUGE_COUNT), "d"(STR_PORT) : "memory");
	GUEST_ASSERT(0);	/* vtx cannot read past the end of RAM */
}

/* Check @n bytes of OUTS data against the guest's pattern i * 7. */
static uint64_t outs_bad(struct vtx_run *run, uint64_t first)
{
	const uint8_t *d = (uint8_t *)run + run->io.data_offset;
	uint64_t bad = 0;

	for (uint32_t i = 0; i < run->io.count; i++)
		bad += d[i] != (uint8_t)((first + i) * 7);
	return bad;
}

static bool b_rep_outs_end(struct hostile *h)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = h_vm_create(h, &vcpu, g_rep_outs_end);
	struct vtx_run *run = vcpu->run;
	uint64_t bytes = 0, bad = 0;
	struct vtx_regs regs;
	bool ok;

	while (!h_run(vcpu) && run->exit_reason == VTX_EXIT_IO && run->io.port == STR_PORT) {
		bad += outs_bad(run, bytes);
		bytes += run->io.count;
	}
	vcpu_regs_get(vcpu, &regs);
	ok = run->exit_reason == VTX_EXIT_INTERNAL_ERROR &&
	     run->internal.suberror == VTX_INTERNAL_EMULATION && run->internal.data[1] == H_RAM_END;
	if (!ok)
		h_bad_exit(h, vcpu, "INTERNAL_ERROR/EMULATION at the end of RAM");
	h_retry(h, vcpu);
	h_vm_free(h, vm);
	return ok && h_say(h, bytes == 8192 && !bad && regs.rsi == H_RAM_END &&
			   regs.rcx == HUGE_COUNT - 8192,
			   "REP OUTSB RCX=2^40 from RAM end - 8 KiB: %llu bytes out (%llu wrong), then INTERNAL_ERROR; RSI %#llx RCX %#llx",
			   (unsigned long long)bytes, (unsigned long long)bad,
			   (unsigned long long)regs.rsi, (unsigned long long)regs.rcx);
}

static void g_rep_ins_end(void)
{
	uint8_t *p = (uint8_t *)(uintptr_t)(H_RAM_END - 3072);

	asm volatile("cld; rep insb" : "+D"(p) : "c"(HUGE_COUNT), "d"(STR_PORT) : "memory");
	GUEST_ASSERT(0);
}

static bool b_rep_ins_end(struct hostile *h)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = h_vm_create(h, &vcpu, g_rep_ins_end);
	struct vtx_run *run = vcpu->run;
	const uint8_t *ram = addr_gpa2hva(vm, H_RAM_END - 3072);
	uint64_t exits = 0, bad = 0;
	struct vtx_regs regs;
	int ret, err;

	while (!(ret = h_run(vcpu)) && run->exit_reason == VTX_EXIT_IO &&
	       run->io.direction == VTX_IO_IN && exits < 16) {
		memset((uint8_t *)run + run->io.data_offset, 0x3c, run->io.count);
		exits++;
	}
	err = errno;
	for (int i = 0; i < 2048; i++)
		bad += ram[i] != 0x3c;
	vcpu_regs_get(vcpu, &regs);
	h_retry(h, vcpu);
	h_vm_free(h, vm);
	return h_say(h, ret == -1 && err == EFAULT && exits == 2 && !bad &&
		     regs.rdi == H_RAM_END - 1024,
		     "REP INSB RCX=2^40 to RAM end - 3 KiB: %llu IN exits, then VTX_RUN %d errno %d; RDI %#llx, %llu bytes wrong",
		     (unsigned long long)exits, ret, ret ? err : 0,
		     (unsigned long long)regs.rdi, (unsigned long long)bad);
}

/* REP OUTSW, RCX = 2^64-1, DF = 1: one item per exit, stopped by the host at the deadline. */
static void g_rep_outs_huge(void)
{
	uint16_t *p = (uint16_t *)(uintptr_t)(H_RAM_END / 2);

	asm volatile("std; rep outsw; cld" : "+S"(p) : "c"(~0ull), "d"(STR_PORT) : "memory");
	GUEST_ASSERT(0);
}

static bool b_rep_outs_huge(struct hostile *h)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = h_vm_create(h, &vcpu, g_rep_outs_huge);
	struct vtx_run *run = vcpu->run;
	uint64_t exits = 0, items = 0;
	struct vtx_regs regs;
	bool ok;

	while (!h_expired(h) && !h_run(vcpu) && run->exit_reason == VTX_EXIT_IO &&
	       run->io.size == 2) {
		exits++;
		items += run->io.count;
	}
	vcpu_regs_get(vcpu, &regs);
	ok = exits > 10 && items == exits && regs.rcx == ~0ull - items &&
	     regs.rsi == H_RAM_END / 2 - 2 * items;
	h_vm_free(h, vm);
	return h_say(h, ok, "REP OUTSW RCX=2^64-1 DF=1: %llu exits of one item; RCX %#llx RSI %#llx",
		     (unsigned long long)exits, (unsigned long long)regs.rcx,
		     (unsigned long long)regs.rsi);
}

/* ---- MMIO at odd sizes and alignments ---- */
static inline uint64_t mmio_rd(uint64_t addr, int size)
{
	uint64_t v = 0;

	switch (size) {
	case 1:
		asm volatile("movb (%1), %b0" : "+q"(v) : "r"(addr) : "memory");
		break;
	case 2:
		asm volatile("movw (%1), %w0" : "+r"(v) : "r"(addr) : "memory");
		break;
	case 4:
		asm volatile("movl (%1), %k0" : "+r"(v) : "r"(addr) : "memory");
		break;
	default:
		asm volatile("movq (%1), %0" : "+r"(v) : "r"(addr) : "memory");
	}
	return v;
}

static inline void mmio_wr(uint64_t addr, int size, uint64_t v)
{
	switch (size) {
	case 1:
		asm volatile("movb %b0, (%1)" : : "q"(v), "r"(addr) : "memory");
		break;
	case 2:
		asm volatile("movw %w0, (%1)" : : "r"(v), "r"(addr) : "memory");
		break;
	case 4:
		asm volatile("movl %k0, (%1)" : : "r"(v), "r"(addr) : "memory");
		break;
	default:
		asm volatile("movq %0, (%1)" : : "r"(v), "r"(addr) : "memory");
	}
}

static const uint16_t odd_offsets[] = { 0x1, 0x21, 0x33, 0x83, 0xb1, 0x2fe, 0x301, 0x3e3, 0xff9,
					0xffd, 0xfff };

static void g_lapic_odd(void)
{
	uint32_t ver, id;

	cli();
	xapic_enable();
	ver = xapic_read(LAPIC_VER);
	id = xapic_read(LAPIC_ID);
	for (unsigned int i = 0; i < ARRAY_SIZE(odd_offsets); i++) {
		for (int size = 1; size <= 8; size *= 2) {
			uint64_t a = VTX_LAPIC_GPA + odd_offsets[i];

			mmio_wr(a, size, mmio_rd(a, size));
			mmio_rd(a - 1, size);
		}
	}
	mmio_rd(VTX_LAPIC_GPA + LAPIC_ICR_LO, 8);	/* a qword over ICR lo/hi */
	mmio_wr(VTX_LAPIC_GPA + LAPIC_TPR, 8, 0);
	GUEST_ASSERT_EQ(xapic_read(LAPIC_VER), ver);
	GUEST_ASSERT_EQ(xapic_read(LAPIC_ID), id);
	xapic_write(LAPIC_TPR, 0x20);
	GUEST_ASSERT_EQ(xapic_read(LAPIC_TPR), 0x20);
	h_guest_done(0);
}

static void g_ioapic_odd(void)
{
	uint32_t ver = ioapic_read(IOAPIC_REG_VER);

	for (unsigned int i = 0; i < ARRAY_SIZE(odd_offsets); i++) {
		for (int size = 1; size <= 8; size *= 2) {
			uint64_t a = VTX_IOAPIC_GPA + odd_offsets[i];

			mmio_wr(a, size, mmio_rd(a, size));
		}
	}
	mmio_wr(VTX_IOAPIC_GPA + IOAPIC_IOREGSEL, 8, ~0ull);
	ioapic_write(0xff, ~0u);		/* no such register */
	ioapic_write(0x10 + 2 * 24, ~0u);	/* one past the last RTE */
	mmio_wr(VTX_IOAPIC_GPA + IOAPIC_IOWIN + 2, 2, 0xffff);
	GUEST_ASSERT_EQ(ioapic_read(IOAPIC_REG_VER), ver);
	h_guest_done(0);
}

static bool b_lapic_odd(struct hostile *h)
{
	return h_run_guest(h, g_lapic_odd, NULL) && h_say(h, true, "LAPIC page: 1/2/4/8-byte reads and writes at 11 odd offsets, page-crossing ones too (%llu to userspace); ID/VER intact, TPR works",
			   (unsigned long long)h->mmio_exits);
}

static bool b_ioapic_odd(struct hostile *h)
{
	return h_run_guest(h, g_ioapic_odd, NULL) && h_say(h, true, "IOAPIC page: odd sizes/offsets, IOREGSEL ~0, registers 0xff and past the last RTE; version intact (%llu to userspace)",
			   (unsigned long long)h->mmio_exits);
}

/* Beyond RAM: the host sees each access as it was made and answers reads. */
static const struct { uint64_t gpa; uint8_t size; } beyond[] = {
	{ H_RAM_END, 1 }, { H_RAM_END + 1, 2 }, { H_RAM_END + 3, 4 }, { H_RAM_END + 5, 8 },
	{ H_RAM_END + 4094, 4 }, { H_RAM_END + 4093, 8 }, { 1ull << 30 | 7, 8 },
	{ 0xfffffff8ull, 8 }, { 0xffffffffull, 1 },
};

static uint64_t beyond_val(uint64_t gpa, int size)
{
	uint64_t v = gpa * 0x9e3779b97f4a7c15ull;

	return size == 8 ? v : v & ((1ull << (8 * size)) - 1);
}

static void g_beyond(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(beyond); i++) {
		mmio_wr(beyond[i].gpa, beyond[i].size, ~beyond_val(beyond[i].gpa, 8));
		GUEST_ASSERT_EQ(mmio_rd(beyond[i].gpa, beyond[i].size),
				beyond_val(beyond[i].gpa, beyond[i].size));
	}
	h_guest_done(0);
}

static bool b_beyond(struct hostile *h)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = h_vm_create(h, &vcpu, g_beyond);
	struct vtx_run *run = vcpu->run;
	unsigned int i, seen = 0;
	uint64_t v, wrong = 0;
	struct ucall uc;

	for (i = 0; i < 2 * ARRAY_SIZE(beyond); i++) {
		uint64_t gpa = beyond[i / 2].gpa;
		int size = beyond[i / 2].size;
		bool write = !(i & 1);

		if (h_run(vcpu) || run->exit_reason != VTX_EXIT_MMIO)
			break;
		seen++;
		wrong += run->mmio.gpa != gpa || run->mmio.len != (uint32_t)size ||
			 !run->mmio.is_write != !write;
		if (write) {
			v = 0;
			memcpy(&v, run->mmio.data, size);
			wrong += v != (~beyond_val(gpa, 8) & (size == 8 ? ~0ull :
								 (1ull << (8 * size)) - 1));
		} else {
			v = beyond_val(gpa, size);
			memcpy(run->mmio.data, &v, 8);
		}
	}
	if (seen != 2 * ARRAY_SIZE(beyond) || wrong) {
		h_say(h, false, "MMIO exit %u of %zu was wrong (%llu mismatches)", seen,
		      2 * ARRAY_SIZE(beyond), (unsigned long long)wrong);
		h_vm_free(h, vm);
		return false;
	}
	h_linger(h);
	i = h_ucall(h, vcpu, &uc) == UCALL_SYNC && uc.args[0] == H_DONE && h_run_until_kick(h, vcpu);
	h_vm_free(h, vm);
	return h_say(h, i, "%u MMIO accesses beyond RAM (odd sizes, unaligned, page- and 4 GiB-edge) reached the host exactly; reads returned the host's data",
		     seen);
}

/* MOVS with both operands MMIO: vtx does not emulate string moves. */
static void g_movs(void)
{
	uint64_t s = H_RAM_END + 0x100, d = VTX_LAPIC_GPA + 0x80, c = 16;

	asm volatile("cld; rep movsb" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
	GUEST_ASSERT(0);
}

static bool expect_emulation(struct hostile *h, struct test_vcpu *vcpu, uint64_t lo,
			     uint64_t hi, const char *what)
{
	struct vtx_run *run = vcpu->run;
	int ret = h_run(vcpu);

	if (ret || run->exit_reason != VTX_EXIT_INTERNAL_ERROR ||
	    run->internal.suberror != VTX_INTERNAL_EMULATION ||
	    run->internal.data[0] < lo || run->internal.data[0] >= hi)
		return h_bad_exit(h, vcpu, "INTERNAL_ERROR/EMULATION");
	return h_say(h, true, "%s: INTERNAL_ERROR/EMULATION at GPA %#llx", what,
		     (unsigned long long)run->internal.data[0]);
}

static bool run_emulation(struct hostile *h, void *guest, uint64_t lo, uint64_t hi,
			  const char *what)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = h_vm_create(h, &vcpu, guest);
	bool ok = expect_emulation(h, vcpu, lo, hi, what);

	h_retry(h, vcpu);
	h_vm_free(h, vm);
	return ok;
}

static bool b_movs(struct hostile *h)
{
	return run_emulation(h, g_movs, H_RAM_END + 0x100, H_RAM_END + 0x101,
			     "REP MOVSB beyond-RAM -> LAPIC");
}

/* CR3 outside RAM: the next page walk reads non-RAM. */
static void g_cr3_out(void)
{
	set_cr3(0x80000000ull);
	GUEST_ASSERT(0);
}

static bool b_cr3_out(struct hostile *h)
{
	return run_emulation(h, g_cr3_out, 0x80000000ull, 0x80001000ull, "CR3 = 2 GiB");
}

/* A PML4 entry whose PDPT is outside RAM: a walk for GVA 512 GiB reads it. */
static void g_pte_out(void)
{
	uint64_t *pml4 = (uint64_t *)(uintptr_t)(get_cr3() & ~0xfffull);

	pml4[1] = 0x40000000ull | PTE_PRESENT | PTE_WRITE;
	set_cr3(get_cr3());
	(void)READ_ONCE(*(uint64_t *)(uintptr_t)(1ull << 39));
	GUEST_ASSERT(0);
}

static bool b_pte_out(struct hostile *h)
{
	return run_emulation(h, g_pte_out, 0x40000000ull, 0x40001000ull,
			     "PML4[1] -> PDPT at 1 GiB");
}

/* An instruction whose first bytes are RAM's last: the rest is fetched from non-RAM. */
static void g_straddle(void)
{
	uint8_t *p = (uint8_t *)(uintptr_t)(H_RAM_END - 2);

	p[0] = 0x48;	/* REX.W */
	p[1] = 0xb8;	/* MOV RAX, imm64: 8 more bytes beyond RAM */
	((void (*)(void))p)();
	GUEST_ASSERT(0);
}

static bool b_straddle(struct hostile *h)
{
	return run_emulation(h, g_straddle, H_RAM_END, H_RAM_END + 1,
			     "MOV imm64 at RAM end - 2");
}

const struct hostile_behaviour hostile_mem[] = {
	{ "msr_sweep_0_1fff", b_msr_low, 120000 },
	{ "msr_sweep_c0000000_c0001fff", b_msr_high, 120000 },
	{ "msr_sweep_x2apic_800_8ff", b_msr_x2apic, 60000 },
	{ "io_every_port_every_size", b_io_all, 240000 },
	{ "rep_outs_across_ram_end", b_rep_outs_end, H_WINDOW_MS },
	{ "rep_ins_across_ram_end", b_rep_ins_end, H_WINDOW_MS },
	{ "rep_outs_huge_count_df", b_rep_outs_huge, H_RUN_MS },
	{ "mmio_lapic_odd", b_lapic_odd, H_WINDOW_MS },
	{ "mmio_ioapic_odd", b_ioapic_odd, H_WINDOW_MS },
	{ "mmio_beyond_ram_odd", b_beyond, H_WINDOW_MS },
	{ "movs_mmio_to_mmio", b_movs, H_WINDOW_MS },
	{ "cr3_outside_ram", b_cr3_out, H_WINDOW_MS },
	{ "page_table_outside_ram", b_pte_out, H_WINDOW_MS },
	{ "insn_straddles_ram_end", b_straddle, H_WINDOW_MS },
};
const unsigned int hostile_nr_mem = ARRAY_SIZE(hostile_mem);
