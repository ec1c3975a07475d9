// SPDX-License-Identifier: GPL-2.0
/*
 * pit_irq.elf: the in-kernel 8259 pair and 8254 PIT, and an ISA interrupt
 * from vmctl. The 8259s are initialised (ICW1-4, vectors 0x20/0x28) and
 * reached through the LAPIC in virtual-wire mode (LINT0 = ExtINT, as a PC
 * BIOS leaves it, SDM 11.5.1); PIT channel 0 in mode 2 at ~1 kHz drives
 * IRQ0 (counted while spinning and in HLT, against the ACPI PM timer);
 * channel 2 in mode 0 behind the port 0x61 gate raises OUT (bit 5); the
 * CMOS RTC reads sanely; and COM1's THR-empty interrupt arrives as IRQ4
 * (vmctl drives that line through VTX_IRQ_LINE). TAP on COM1; exit port
 * 0xf4: 0 if all passed (vmctl exits 1), 1 otherwise (vmctl exits 3).
 *
 * Run as: vmctl run --timeout 60 pit_irq.elf
 */
#include "apic.h"

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1
#define PIC_EOI		0x20
#define PIC_READ_ISR	0x0b	/* OCW3 */
#define PIC_READ_IRR	0x0a
#define PIT_CH0		0x40
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PORT_B		0x61
#define PORT_B_GATE2	0x01
#define PORT_B_SPKR	0x02
#define PORT_B_OUT2	0x20
#define PIT_HZ		1193182u
#define PIT_DIV_1KHZ	1193
#define VEC_IRQ0	0x20
#define VEC_IRQ4	0x24

static volatile u32 irq0_count, irq4_count, irq4_iir, irq0_in_service;

static void pic_eoi(u8 irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}

static void irq0_handler(struct isr_frame *f)
{
	(void)f;
	outb(PIC1_CMD, PIC_READ_ISR);
	irq0_in_service = inb(PIC1_CMD) & 1;
	irq0_count++;
	pic_eoi(0);
}

/* Reading IIR identifies the source and clears THR-empty: the line drops. */
static void irq4_handler(struct isr_frame *f)
{
	(void)f;
	irq4_iir = inb(COM1 + 2);
	irq4_count++;
	pic_eoi(4);
}

static void pic_init(void)
{
	outb(PIC1_CMD, 0x11);	/* ICW1: edge, cascade, ICW4 follows */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, 0x20);	/* ICW2: vector base */
	outb(PIC2_DATA, 0x28);
	outb(PIC1_DATA, 0x04);	/* ICW3: slave on IRQ2 */
	outb(PIC2_DATA, 0x02);	/* ICW3: slave ID 2 */
	outb(PIC1_DATA, 0x01);	/* ICW4: 8086 mode, normal EOI */
	outb(PIC2_DATA, 0x01);
	outb(PIC1_DATA, 0xff);	/* OCW1: all masked for now */
	outb(PIC2_DATA, 0xff);
	check(inb(PIC1_DATA) == 0xff && inb(PIC2_DATA) == 0xff, "8259: IMR reads back");
	/* Virtual wire: the LAPIC passes the 8259's INTR through LINT0. */
	apic_sw_enable(0xff);
	apic_write(LAPIC_LVT_LINT0, LAPIC_DM_EXTINT);
}

static u32 pit_read_ch0(void)
{
	u32 lo, hi;

	outb(PIT_CMD, 0x00);	/* counter latch, channel 0 */
	lo = inb(PIT_CH0);
	hi = inb(PIT_CH0);
	return hi << 8 | lo;
}

static void test_pit_ch0(void)
{
	u32 t0, t1, n, ticks, expect, c;

	outb(PIT_CMD, 0x34);	/* channel 0, lobyte/hibyte, mode 2, binary */
	outb(PIT_CH0, PIT_DIV_1KHZ & 0xff);
	outb(PIT_CH0, PIT_DIV_1KHZ >> 8);
	c = pit_read_ch0();
	check(c <= PIT_DIV_1KHZ, "8254: channel 0 latched count within the divisor");
	outb(PIC1_DATA, 0xfe);	/* unmask IRQ0 only */
	irq_enable();
	check(wait_count(&irq0_count, 10, 2000), "IRQ0: 10 PIT interrupts while spinning");
	check(irq0_in_service, "8259: IRQ0 in service (ISR) inside its handler");
	outb(PIC1_CMD, PIC_READ_ISR);
	check(!(inb(PIC1_CMD) & 1), "8259: EOI cleared IRQ0 from the ISR");
	/* 20 ticks of a 1 kHz timer against the 3.58 MHz PM timer, within 4x. */
	n = irq0_count;
	t0 = pm_timer();
	wait_count(&irq0_count, n + 20, 2000);
	t1 = pm_timer();
	ticks = t1 - t0;
	expect = 20 * (u32)((u64)PM_TIMER_HZ * PIT_DIV_1KHZ / PIT_HZ);
	check(ticks > expect / 4 && ticks < expect * 4, "IRQ0: rate ~1 kHz by the PM timer (4x)");
	n = irq0_count;
	check(halt_count(&irq0_count, n + 5, 2000), "IRQ0: HLT with IF=1 woken by the PIT");
	outb(PIC1_DATA, 0xff);
	irq_disable();
	outb(PIT_CMD, 0x30);	/* channel 0 mode 0 with no count: stops the rate */
}

static void test_pit_ch2(void)
{
	u8 b = inb(PORT_B) & ~(PORT_B_GATE2 | PORT_B_SPKR);
	u32 t0, t1, i, rose = 0;
	const u32 count = 11932;	/* 10 ms */

	outb(PORT_B, b);		/* gate low */
	outb(PIT_CMD, 0xb0);		/* channel 2, lobyte/hibyte, mode 0, binary */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	check(!(inb(PORT_B) & PORT_B_OUT2), "8254: channel 2 mode 0 OUT low after the count");
	t0 = pm_timer();
	outb(PORT_B, b | PORT_B_GATE2);	/* gate high: count down */
	for (i = 0; i < 5000000; i++) {
		if (inb(PORT_B) & PORT_B_OUT2) {
			rose = 1;
			break;
		}
	}
	t1 = pm_timer();
	check(rose, "8254: channel 2 OUT rises at terminal count (port 0x61 bit 5)");
	/* 10 ms = 35795 PM ticks; only a lower bound: a wait loop can be slow. */
	check(t1 - t0 > 35795 / 4, "8254: channel 2 took its time (> 2.5 ms by the PM timer)");
	outb(PORT_B, b);
}

static u8 cmos_read(u8 reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static void test_rtc(void)
{
	int binary = cmos_read(0x0b) & 4;
	u8 sec = cmos_read(0x00), min = cmos_read(0x02), hour = cmos_read(0x04);

	if (!binary) {
		sec = (sec >> 4) * 10 + (sec & 15);
		min = (min >> 4) * 10 + (min & 15);
		hour = ((hour & 0x7f) >> 4) * 10 + (hour & 15);
	}
	check((cmos_read(0x0d) & 0x80) && sec < 60 && min < 60 && hour < 24,
	      "CMOS RTC: valid RAM, time of day in range");
}

/* No output until the end: every byte sent would raise IRQ4 again. */
static void test_uart_irq(void)
{
	int first, first_iir, again;

	outb(COM1 + 4, 0x0b);		/* MCR: DTR, RTS, OUT2 (the IRQ gate) */
	outb(PIC1_DATA, 0xef);		/* unmask IRQ4 */
	irq_enable();
	outb(COM1 + 1, 0x02);		/* IER: THR empty -> interrupt now */
	first = wait_count(&irq4_count, 1, 1000);
	first_iir = irq4_iir;
	delay_ms(1);
	outb(COM1, '.');		/* THR empty again: a new edge */
	again = wait_count(&irq4_count, 2, 1000);
	outb(COM1 + 1, 0x00);
	irq_disable();
	outb(PIC1_DATA, 0xff);
	print("\r\n");
	check(first, "COM1: THR-empty interrupt arrives as IRQ4");
	check((first_iir & 0x0f) == 0x02, "COM1: IIR said THR empty in the IRQ4 handler");
	check(again && irq4_count == 2, "COM1: IRQ4 once more after one transmitted byte");
}

void mb_main(u32 magic, void *info);

void mb_main(u32 magic, void *info)
{
	(void)info;
	print("pit_irq: 8259, 8254, port 0x61, RTC and COM1 IRQ4 checks\r\n");
	idt_init();
	isr_set(VEC_IRQ0, irq0_handler);
	isr_set(VEC_IRQ4, irq4_handler);
	check(magic == 0x2badb002, "multiboot entry");
	tsc_calibrate();
	pic_init();
	test_pit_ch0();
	test_pit_ch2();
	test_rtc();
	test_uart_irq();
	tap_done();
}
