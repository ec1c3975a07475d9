// SPDX-License-Identifier: GPL-2.0
/*
 * ioapic_irq.elf: the in-kernel IOAPIC driven through QEMU's pc-testdev
 * (vmctl run --testdev): a byte write of v to port 0x2000 + n drives line
 * n to !!v (VTX_IRQ_LINE). With redirection entries programmed edge and
 * level triggered it checks delivery, the edge rule (one interrupt per
 * rising edge), remote IRR (set while a level interrupt is in service,
 * kept across a rewrite of the entry, cleared by the EOI), the LAPIC TMR,
 * a level line that stays high firing again after each EOI and not after
 * it is lowered, coalescing of repeated assertions while one is pending,
 * two level lines raised together both delivered (higher vector first, at
 * the same instruction), sequential level interrupts, and masking. Also
 * the testdev's scratch register (0xe0, bytewise 0xe8) and its MMIO
 * memory at 0xff000000. TAP on COM1; exit port 0xf4: 0 if all passed
 * (vmctl exits 1), 1 otherwise (vmctl exits 3).
 *
 * Run as: vmctl run --testdev --timeout 60 ioapic_irq.elf
 */
#include "apic.h"
#include "irq/ioapic_regs.h"

#define TESTDEV_SCRATCH		0xe0
#define TESTDEV_SCRATCH_BYTE	0xe8
#define TESTDEV_IRQ		0x2000
#define TESTDEV_MMIO		0xff000000u

#define LINE_A			14
#define LINE_B			15
#define VEC_A			0x66
#define VEC_B			0x77	/* higher priority class than VEC_A */

enum mode { EDGE, LEVEL };

static volatile u32 count_a, count_b, irr_in_isr, tmr_in_isr, order_b_first;
static volatile u32 eip_a, eip_b;
/* What the VEC_A handler does before its EOI. */
static volatile u32 lower_at;		/* lower LINE_A on this interrupt (0: never) */
static volatile u32 rewrite_in_isr, irr_after_rewrite;

static void ioapic_write(u32 reg, u32 val)
{
	*(volatile u32 *)(unsigned long)(IOAPIC_BASE_DEFAULT + IOAPIC_IOREGSEL) = reg;
	*(volatile u32 *)(unsigned long)(IOAPIC_BASE_DEFAULT + IOAPIC_IOWIN) = val;
}

static u32 ioapic_read(u32 reg)
{
	*(volatile u32 *)(unsigned long)(IOAPIC_BASE_DEFAULT + IOAPIC_IOREGSEL) = reg;
	return *(volatile u32 *)(unsigned long)(IOAPIC_BASE_DEFAULT + IOAPIC_IOWIN);
}

static u32 rte_low(u32 pin)
{
	return ioapic_read(IOAPIC_REG_RTE(pin));
}

/* Fixed delivery, physical destination APIC ID 0 (this vCPU). */
static void set_redir(u32 pin, u8 vector, enum mode m, int masked)
{
	ioapic_write(IOAPIC_REG_RTE(pin) + 1, 0);
	ioapic_write(IOAPIC_REG_RTE(pin), vector | (m == LEVEL ? IOAPIC_RTE_LEVEL : 0) |
		     (masked ? IOAPIC_RTE_MASKED : 0));
}

static void set_mask(u32 pin, int masked)
{
	u32 v = rte_low(pin) & ~IOAPIC_RTE_MASKED;

	ioapic_write(IOAPIC_REG_RTE(pin), v | (masked ? IOAPIC_RTE_MASKED : 0));
}

static void set_line(u32 line, int level)
{
	outb(TESTDEV_IRQ + line, level);
}

static void toggle_line(u32 line)
{
	set_line(line, 1);
	set_line(line, 0);
}

static void isr_a(struct isr_frame *f)
{
	u32 n = ++count_a;

	eip_a = f->eip;
	irr_in_isr = !!(rte_low(LINE_A) & IOAPIC_RTE_REMOTE_IRR);
	tmr_in_isr = apic_vector_bit(LAPIC_TMR, VEC_A);
	if (count_b)
		order_b_first = 1;
	if (rewrite_in_isr) {
		ioapic_write(IOAPIC_REG_RTE(LINE_A), rte_low(LINE_A));
		irr_after_rewrite = !!(rte_low(LINE_A) & IOAPIC_RTE_REMOTE_IRR);
	}
	if (lower_at && n >= lower_at)
		set_line(LINE_A, 0);
	apic_eoi();
}

static void isr_b(struct isr_frame *f)
{
	eip_b = f->eip;
	count_b++;
	set_line(LINE_B, 0);
	apic_eoi();
}

static void reset(void)
{
	irq_disable();
	set_line(LINE_A, 0);
	set_line(LINE_B, 0);
	set_redir(LINE_A, VEC_A, EDGE, 1);
	set_redir(LINE_B, VEC_B, EDGE, 1);
	count_a = count_b = irr_in_isr = tmr_in_isr = order_b_first = 0;
	eip_a = eip_b = 0;
	lower_at = 0;
	rewrite_in_isr = irr_after_rewrite = 0;
}

/* Interrupts on for a moment: anything pending is taken. */
static void settle(void)
{
	irq_enable();
	delay_ms(5);
	irq_disable();
}

static void test_testdev_ports(void)
{
	u32 v;

	outl(TESTDEV_SCRATCH, 0x12345678);
	v = inl(TESTDEV_SCRATCH);
	if (!check(v == 0x12345678, "testdev: scratch register 0xe0 reads back"))
		tap_bail("no pc-testdev (run vmctl with --testdev)");
	check(inb(TESTDEV_SCRATCH + 1) == 0x56 && inb(TESTDEV_SCRATCH_BYTE + 3) == 0x12,
	      "testdev: byte reads of 0xe1 and of the bytewise alias 0xeb");
	outb(TESTDEV_SCRATCH_BYTE, 0xab);
	check(inl(TESTDEV_SCRATCH) == 0x123456ab, "testdev: a byte write to 0xe8 lands in 0xe0");
}

static void test_testdev_mmio(void)
{
	volatile u32 *m = (volatile u32 *)TESTDEV_MMIO;
	volatile u8 *b = (volatile u8 *)TESTDEV_MMIO;

	m[0] = 0xdeadbeef;
	m[0x1000] = 0xcafe0001;
	check(m[0] == 0xdeadbeef && m[0x1000] == 0xcafe0001,
	      "testdev: MMIO memory at 0xff000000 reads back dwords");
	b[1] = 0x11;
	check(m[0] == 0xdead11ef && b[3] == 0xde, "testdev: MMIO byte write and read");
}

static void test_edge(void)
{
	reset();
	set_redir(LINE_A, VEC_A, EDGE, 0);
	irq_enable();
	toggle_line(LINE_A);
	check(wait_count(&count_a, 1, 100), "edge: a rising edge on line 14 is delivered");
	check(!tmr_in_isr && !irr_in_isr, "edge: TMR and remote IRR clear in the handler");
	set_line(LINE_A, 1);
	wait_count(&count_a, 2, 100);
	set_line(LINE_A, 1);		/* still high: no new edge */
	delay_ms(5);
	check(count_a == 2, "edge: raising a high line again delivers nothing");
	set_line(LINE_A, 0);
	delay_ms(5);
	check(count_a == 2, "edge: lowering the line delivers nothing");
	irq_disable();
}

static void test_edge_mask(void)
{
	reset();
	set_redir(LINE_A, VEC_A, EDGE, 1);
	irq_enable();
	toggle_line(LINE_A);
	delay_ms(5);
	check(count_a == 0, "edge: a masked edge is not delivered");
	set_mask(LINE_A, 0);
	delay_ms(5);
	check(count_a == 0, "edge: nor on unmasking (edges are not remembered)");
	toggle_line(LINE_A);
	check(wait_count(&count_a, 1, 100), "edge: unmasked, the next edge is delivered");
	irq_disable();
}

static void test_level(void)
{
	reset();
	lower_at = 1;			/* the handler lowers the line, then EOI */
	set_redir(LINE_A, VEC_A, LEVEL, 0);
	irq_enable();
	set_line(LINE_A, 1);
	check(wait_count(&count_a, 1, 100), "level: an asserted line 14 is delivered");
	check(irr_in_isr, "level: remote IRR set while the interrupt is in service");
	check(tmr_in_isr, "level: LAPIC TMR bit set for the level vector");
	delay_ms(5);
	check(count_a == 1, "level: lowered before the EOI, it does not fire again");
	check(!(rte_low(LINE_A) & IOAPIC_RTE_REMOTE_IRR), "level: the EOI cleared remote IRR");
	irq_disable();
}

/* The line stays high across the first EOI: it fires again, then is lowered. */
static void test_level_retrigger(void)
{
	reset();
	lower_at = 2;
	set_redir(LINE_A, VEC_A, LEVEL, 0);
	set_line(LINE_A, 1);
	irq_enable();
	check(wait_count(&count_a, 2, 100), "level: still high after the EOI, it fires again");
	delay_ms(5);
	check(count_a == 2, "level: lowered in the second handler, no third interrupt");
	check(!(rte_low(LINE_A) & IOAPIC_RTE_REMOTE_IRR), "level: remote IRR clear at the end");
	irq_disable();
}

static void test_level_irr_blocks(void)
{
	reset();
	lower_at = 1;
	rewrite_in_isr = 1;
	set_redir(LINE_A, VEC_A, LEVEL, 0);
	set_line(LINE_A, 1);		/* IF = 0: pending in the LAPIC */
	check(rte_low(LINE_A) & IOAPIC_RTE_REMOTE_IRR, "level: remote IRR set once the message is sent");
	set_line(LINE_A, 0);
	set_line(LINE_A, 1);		/* again while remote IRR is set */
	irq_enable();
	check(wait_count(&count_a, 1, 100), "level: pending interrupt taken at STI");
	check(irr_after_rewrite, "level: rewriting the entry in the handler keeps remote IRR");
	delay_ms(5);
	check(count_a == 1, "level: assertions while remote IRR is set are one interrupt");
	irq_disable();
}

/* kvm-unit-tests' "coalesce": two toggles with IF = 0 are one interrupt. */
static void test_level_coalesce(void)
{
	reset();
	set_redir(LINE_A, VEC_A, LEVEL, 0);
	toggle_line(LINE_A);
	toggle_line(LINE_A);
	settle();
	check(count_a == 1, "level: two toggles while IF=0 coalesce into one interrupt");
	check(!(rte_low(LINE_A) & IOAPIC_RTE_REMOTE_IRR), "level: coalesced, remote IRR clear after EOI");
}

static void test_level_simultaneous(void)
{
	reset();
	set_redir(LINE_A, VEC_A, LEVEL, 0);
	set_redir(LINE_B, VEC_B, LEVEL, 0);
	lower_at = 1;
	set_line(LINE_A, 1);
	set_line(LINE_B, 1);
	irq_enable();
	wait_count(&count_a, 1, 100);
	wait_count(&count_b, 1, 100);
	irq_disable();
	check(count_a == 1 && count_b == 1, "level: lines 14 and 15 raised together both delivered");
	check(order_b_first, "level: the higher vector (line 15) first");
	check(eip_a == eip_b, "level: both taken at the same instruction");
	check(!(rte_low(LINE_A) & IOAPIC_RTE_REMOTE_IRR) && !(rte_low(LINE_B) & IOAPIC_RTE_REMOTE_IRR),
	      "level: both remote IRRs clear after their EOIs");
}

static void test_level_sequential(void)
{
	u32 i, ok = 1;

	reset();
	lower_at = 1;
	set_redir(LINE_A, VEC_A, LEVEL, 0);
	irq_enable();
	for (i = 1; i <= 10 && ok; i++) {
		set_line(LINE_A, 1);
		ok = wait_count(&count_a, i, 100);
	}
	delay_ms(5);
	irq_disable();
	check(ok && count_a == 10, "level: 10 sequential interrupts, one per assertion");
}

static void test_level_mask(void)
{
	reset();
	lower_at = 1;
	set_redir(LINE_A, VEC_A, LEVEL, 1);
	irq_enable();
	set_line(LINE_A, 1);
	delay_ms(5);
	check(count_a == 0, "level: a masked asserted line is not delivered");
	set_mask(LINE_A, 0);
	check(wait_count(&count_a, 1, 100), "level: unmasking an asserted line delivers it");
	delay_ms(5);
	check(count_a == 1, "level: once");
	irq_disable();
}

/* Masked in service: the EOI clears remote IRR, unmasking re-fires the high line. */
static void test_level_mask_in_service(void)
{
	reset();
	set_redir(LINE_A, VEC_A, LEVEL, 0);
	set_line(LINE_A, 1);
	set_mask(LINE_A, 1);		/* message already sent, IF = 0 */
	settle();
	check(count_a == 1 && !(rte_low(LINE_A) & IOAPIC_RTE_REMOTE_IRR),
	      "level: masked after sending, one interrupt, EOI clears remote IRR");
	lower_at = 2;
	set_mask(LINE_A, 0);
	settle();
	check(count_a == 2, "level: unmasked while still high, it fires again");
}

void mb_main(u32 magic, void *info);

void mb_main(u32 magic, void *info)
{
	(void)info;
	print("ioapic_irq: IOAPIC edge and level interrupts through pc-testdev\r\n");
	idt_init();
	isr_set(VEC_A, isr_a);
	isr_set(VEC_B, isr_b);
	check(magic == MB_BOOT_MAGIC, "multiboot entry");
	outb(0x21, 0xff);		/* the 8259s stay out of it */
	outb(0xa1, 0xff);
	tsc_calibrate();
	apic_sw_enable(0xff);
	apic_write(LAPIC_TPR, 0);
	test_testdev_ports();
	test_testdev_mmio();
	test_edge();
	test_edge_mask();
	test_level();
	test_level_retrigger();
	test_level_irr_blocks();
	test_level_coalesce();
	test_level_simultaneous();
	test_level_sequential();
	test_level_mask();
	test_level_mask_in_service();
	reset();
	check(!isr_unexpected, "no unexpected interrupt");
	tap_done();
}
