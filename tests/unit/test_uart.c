// SPDX-License-Identifier: GPL-2.0
/* unit-sources: tools/vmctl/uart16550.c tools/vmctl/ioport.c */
/*
 * 16550A register behaviour: DLAB, LSR, loopback, scratch, FIFO/IIR, input,
 * and the interrupt output level (reported on changes only).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "tools/vmctl/uart16550.h"
#include "tools/vmctl/ioport.h"

struct host {
	char out[256];
	unsigned int nout;
	const char *in;		/* bytes the host "types" */
};

static void host_tx(void *opaque, u8 c)
{
	struct host *h = opaque;

	h->out[h->nout++] = c;
}

static int host_rx(void *opaque)
{
	struct host *h = opaque;

	return h->in && *h->in ? (u8)*h->in++ : -1;
}

static struct uart16550 u;
static struct host h;

/* Every set_irq call, in order. */
static int irq_calls[64];
static unsigned int nr_irq_calls;

static void host_set_irq(void *ctx, int level)
{
	assert_ptr_equal(ctx, &h);
	assert_true(nr_irq_calls < 64);
	irq_calls[nr_irq_calls++] = level;
}

static int setup(void **state)
{
	(void)state;
	memset(&h, 0, sizeof(h));
	uart_init(&u, UART_COM1_BASE, host_tx, host_rx, &h);
	nr_irq_calls = 0;
	return 0;
}

/* THRE: raised by enabling THRI, cleared by the IIR read, raised by a write. */
static void test_irq_thre(void **state)
{
	(void)state;
	uart_set_irq_handler(&u, host_set_irq, &h);
	assert_int_equal(nr_irq_calls, 0);		/* level 0 at connection: no call */
	uart_write(&u, UART_IER_DLM, UART_IER_THRI);
	assert_int_equal(nr_irq_calls, 0);		/* OUT2 clear: the pin is gated */
	assert_false(uart_irq_level(&u));
	uart_write(&u, UART_MCR, UART_MCR_OUT2 | UART_MCR_DTR | UART_MCR_RTS);
	assert_int_equal(nr_irq_calls, 1);
	assert_int_equal(irq_calls[0], 1);
	/* reading LSR/SCR changes nothing: no call */
	uart_read(&u, UART_LSR);
	uart_read(&u, UART_SCR);
	assert_int_equal(nr_irq_calls, 1);
	assert_int_equal(uart_read(&u, UART_IIR_FCR) & 0x0f, UART_IIR_THRI);
	assert_int_equal(nr_irq_calls, 2);
	assert_int_equal(irq_calls[1], 0);
	uart_write(&u, UART_RBR_THR_DLL, 'a');
	uart_write(&u, UART_RBR_THR_DLL, 'b');	/* already high: no second call */
	assert_int_equal(nr_irq_calls, 3);
	assert_int_equal(irq_calls[2], 1);
	uart_write(&u, UART_IER_DLM, 0);		/* disabling the source drops the line */
	assert_int_equal(nr_irq_calls, 4);
	assert_int_equal(irq_calls[3], 0);
	assert_memory_equal(h.out, "ab", 2);
}

/* Received data: host input raises the line, draining RBR lowers it. */
static void test_irq_rx(void **state)
{
	(void)state;
	uart_set_irq_handler(&u, host_set_irq, &h);
	uart_write(&u, UART_MCR, UART_MCR_OUT2);
	uart_write(&u, UART_IER_DLM, UART_IER_RDI | UART_IER_RLSI);
	assert_int_equal(nr_irq_calls, 0);
	h.in = "xy";
	uart_poll_input(&u);			/* no FIFO: one byte fits */
	assert_true(uart_rx_full(&u));
	assert_int_equal(nr_irq_calls, 1);
	assert_int_equal(irq_calls[0], 1);
	assert_int_equal(uart_read(&u, UART_RBR_THR_DLL), 'x');	/* pulls 'y' in: stays high */
	assert_int_equal(nr_irq_calls, 1);
	assert_int_equal(uart_read(&u, UART_RBR_THR_DLL), 'y');
	assert_int_equal(nr_irq_calls, 2);
	assert_int_equal(irq_calls[1], 0);
	assert_false(uart_rx_full(&u));
	/* overrun: line status interrupt until LSR is read */
	uart_receive(&u, '1');
	uart_receive(&u, '2');
	assert_int_equal(uart_read(&u, UART_IIR_FCR) & 0x0f, UART_IIR_RLSI);
	assert_int_equal(nr_irq_calls, 3);
	assert_true(uart_read(&u, UART_LSR) & UART_LSR_OE);
	assert_int_equal(nr_irq_calls, 3);		/* RDI still pending */
	assert_int_equal(uart_read(&u, UART_RBR_THR_DLL), '2');
	assert_int_equal(nr_irq_calls, 4);
	assert_int_equal(irq_calls[3], 0);
	/* clearing OUT2 masks a pending source */
	uart_receive(&u, '3');
	assert_int_equal(nr_irq_calls, 5);
	uart_write(&u, UART_MCR, 0);
	assert_int_equal(nr_irq_calls, 6);
	assert_int_equal(irq_calls[5], 0);
	/* loopback: host input waits */
	uart_write(&u, UART_MCR, UART_MCR_LOOP);
	assert_true(uart_rx_full(&u));
}

static void test_reset_and_tx(void **state)
{
	(void)state;
	assert_int_equal(uart_read(&u, UART_LSR), UART_LSR_THRE | UART_LSR_TEMT);
	assert_int_equal(uart_read(&u, UART_IIR_FCR), UART_IIR_NO_INT);
	assert_int_equal(uart_read(&u, UART_IER_DLM), 0);
	uart_write(&u, UART_RBR_THR_DLL, 'h');
	uart_write(&u, UART_RBR_THR_DLL, 'i');
	assert_int_equal(h.nout, 2);
	assert_memory_equal(h.out, "hi", 2);
	/* still empty: transmission is instant */
	assert_int_equal(uart_read(&u, UART_LSR) & (UART_LSR_THRE | UART_LSR_TEMT),
			 UART_LSR_THRE | UART_LSR_TEMT);
}

static void test_dlab(void **state)
{
	(void)state;
	uart_write(&u, UART_IER_DLM, 0x05);		/* IER */
	uart_write(&u, UART_LCR, UART_LCR_DLAB | 0x03);
	uart_write(&u, UART_RBR_THR_DLL, 0x01);	/* DLL: 115200 baud */
	uart_write(&u, UART_IER_DLM, 0x02);		/* DLM */
	assert_int_equal(uart_read(&u, UART_RBR_THR_DLL), 0x01);
	assert_int_equal(uart_read(&u, UART_IER_DLM), 0x02);
	assert_int_equal(h.nout, 0);			/* DLL write is not a THR write */
	assert_int_equal(uart_read(&u, UART_LCR), 0x83);
	uart_write(&u, UART_LCR, 0x03);
	assert_int_equal(uart_read(&u, UART_IER_DLM), 0x05);	/* IER kept */
	uart_write(&u, UART_IER_DLM, 0xff);
	assert_int_equal(uart_read(&u, UART_IER_DLM), 0x0f);	/* 4 bits only */
	uart_write(&u, UART_LCR, 0x83);
	assert_int_equal(uart_read(&u, UART_RBR_THR_DLL), 0x01);	/* divisor kept */
	assert_int_equal(uart_read(&u, UART_IER_DLM), 0x02);
}

static void test_scratch(void **state)
{
	(void)state;
	uart_write(&u, UART_SCR, 0x5a);
	assert_int_equal(uart_read(&u, UART_SCR), 0x5a);
	uart_write(&u, UART_SCR, 0xa5);
	assert_int_equal(uart_read(&u, UART_SCR), 0xa5);
	uart_write(&u, UART_LSR, 0x00);			/* read-only */
	assert_int_equal(uart_read(&u, UART_LSR), UART_LSR_THRE | UART_LSR_TEMT);
}

static void test_loopback(void **state)
{
	(void)state;
	assert_int_equal(uart_read(&u, UART_MSR) & 0xf0,
			 UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD);
	uart_write(&u, UART_MCR, UART_MCR_LOOP);
	/* all inputs dropped: deltas for CTS, DSR, DCD */
	assert_int_equal(uart_read(&u, UART_MSR),
			 UART_MSR_DCTS | UART_MSR_DDSR | UART_MSR_DDCD);
	assert_int_equal(uart_read(&u, UART_MSR), 0);	/* deltas clear on read */
	uart_write(&u, UART_MCR, UART_MCR_LOOP | UART_MCR_DTR | UART_MCR_OUT1);
	assert_int_equal(uart_read(&u, UART_MSR),
			 UART_MSR_DSR | UART_MSR_RI | UART_MSR_DDSR);
	uart_write(&u, UART_MCR, UART_MCR_LOOP | UART_MCR_RTS | UART_MCR_OUT2);
	/* RI falling edge: TERI; CTS, DCD rise; DSR falls */
	assert_int_equal(uart_read(&u, UART_MSR),
			 UART_MSR_CTS | UART_MSR_DCD | UART_MSR_TERI | UART_MSR_DCTS |
			 UART_MSR_DDSR | UART_MSR_DDCD);
	assert_int_equal(uart_read(&u, UART_MCR), 0x1a);

	/* THR goes to RBR, not out; host input is disconnected */
	h.in = "zz";
	uart_write(&u, UART_RBR_THR_DLL, 'A');
	assert_int_equal(h.nout, 0);
	assert_true(uart_read(&u, UART_LSR) & UART_LSR_DR);
	assert_int_equal(uart_read(&u, UART_RBR_THR_DLL), 'A');
	assert_false(uart_read(&u, UART_LSR) & UART_LSR_DR);
	assert_string_equal(h.in, "zz");

	/* no FIFO: a second byte overruns and replaces the holding register */
	uart_write(&u, UART_RBR_THR_DLL, '1');
	uart_write(&u, UART_RBR_THR_DLL, '2');
	assert_int_equal(uart_read(&u, UART_LSR) & (UART_LSR_OE | UART_LSR_DR),
			 UART_LSR_OE | UART_LSR_DR);
	assert_false(uart_read(&u, UART_LSR) & UART_LSR_OE);	/* OE clears on read */
	assert_int_equal(uart_read(&u, UART_RBR_THR_DLL), '2');

	uart_write(&u, UART_MCR, 0);
	uart_write(&u, UART_RBR_THR_DLL, 'B');
	assert_int_equal(h.nout, 1);
	assert_int_equal(h.out[0], 'B');
}

static void test_fifo_iir(void **state)
{
	unsigned int i;

	(void)state;
	assert_int_equal(uart_read(&u, UART_IIR_FCR) & 0xc0, 0);
	uart_write(&u, UART_IIR_FCR, UART_FCR_ENABLE | 0x80);	/* trigger 8 */
	assert_int_equal(uart_read(&u, UART_IIR_FCR), UART_IIR_FIFO_ON | UART_IIR_NO_INT);

	/* 16 bytes fit, the 17th overruns and is lost */
	uart_write(&u, UART_MCR, UART_MCR_LOOP);
	for (i = 0; i < 17; i++)
		uart_write(&u, UART_RBR_THR_DLL, 'a' + i);
	assert_int_equal(uart_read(&u, UART_LSR) & UART_LSR_OE, UART_LSR_OE);
	for (i = 0; i < 16; i++)
		assert_int_equal(uart_read(&u, UART_RBR_THR_DLL), 'a' + i);
	assert_false(uart_read(&u, UART_LSR) & UART_LSR_DR);

	/* RDA at the trigger level, character timeout below it */
	uart_write(&u, UART_IER_DLM, UART_IER_RDI);
	for (i = 0; i < 3; i++)
		uart_write(&u, UART_RBR_THR_DLL, 'x');
	assert_int_equal(uart_read(&u, UART_IIR_FCR), UART_IIR_FIFO_ON | UART_IIR_TIMEOUT);
	for (i = 0; i < 5; i++)
		uart_write(&u, UART_RBR_THR_DLL, 'y');
	assert_int_equal(uart_read(&u, UART_IIR_FCR), UART_IIR_FIFO_ON | UART_IIR_RDI);
	/* FCR clear-RX empties the FIFO */
	uart_write(&u, UART_IIR_FCR, UART_FCR_ENABLE | UART_FCR_CLEAR_RX | 0x80);
	assert_false(uart_read(&u, UART_LSR) & UART_LSR_DR);
	assert_int_equal(uart_read(&u, UART_IIR_FCR), UART_IIR_FIFO_ON | UART_IIR_NO_INT);

	/* line status beats data: overrun with RLSI enabled */
	uart_write(&u, UART_IER_DLM, UART_IER_RDI | UART_IER_RLSI);
	for (i = 0; i < 17; i++)
		uart_write(&u, UART_RBR_THR_DLL, 'q');
	assert_int_equal(uart_read(&u, UART_IIR_FCR), UART_IIR_FIFO_ON | UART_IIR_RLSI);
	uart_read(&u, UART_LSR);
	assert_int_equal(uart_read(&u, UART_IIR_FCR), UART_IIR_FIFO_ON | UART_IIR_RDI);

	/* turning FIFOs off clears them and the IIR FIFO bits */
	uart_write(&u, UART_IIR_FCR, 0);
	assert_false(uart_read(&u, UART_LSR) & UART_LSR_DR);
	assert_int_equal(uart_read(&u, UART_IIR_FCR), UART_IIR_NO_INT);
}

static void test_thri(void **state)
{
	(void)state;
	uart_write(&u, UART_IER_DLM, UART_IER_THRI);	/* THR empty: raised at once */
	assert_int_equal(uart_read(&u, UART_IIR_FCR), UART_IIR_THRI);
	assert_int_equal(uart_read(&u, UART_IIR_FCR), UART_IIR_NO_INT);	/* cleared by read */
	uart_write(&u, UART_RBR_THR_DLL, 'x');		/* empties again after sending */
	assert_int_equal(uart_read(&u, UART_IIR_FCR), UART_IIR_THRI);
	/* modem status is lowest priority */
	uart_write(&u, UART_IER_DLM, UART_IER_MSI);
	uart_write(&u, UART_MCR, UART_MCR_LOOP);
	assert_int_equal(uart_read(&u, UART_IIR_FCR), UART_IIR_MSI);
	uart_read(&u, UART_MSR);
	assert_int_equal(uart_read(&u, UART_IIR_FCR), UART_IIR_NO_INT);
}

static void test_host_input(void **state)
{
	(void)state;
	h.in = "abc";
	uart_poll_input(&u);				/* no FIFO: room for one */
	assert_true(uart_read(&u, UART_LSR) & UART_LSR_DR);
	assert_int_equal(uart_read(&u, UART_RBR_THR_DLL), 'a');
	assert_int_equal(uart_read(&u, UART_RBR_THR_DLL), 'b');	/* refilled on read */
	assert_int_equal(uart_read(&u, UART_RBR_THR_DLL), 'c');
	assert_false(uart_read(&u, UART_LSR) & UART_LSR_DR);
	assert_false(uart_read(&u, UART_LSR) & UART_LSR_OE);	/* never overrun */
	uart_write(&u, UART_IIR_FCR, UART_FCR_ENABLE);
	h.in = "0123456789abcdefXYZ";
	uart_poll_input(&u);
	assert_string_equal(h.in, "XYZ");		/* took 16, left the rest */
}

static void test_ports(void **state)
{
	struct ioport_bus bus;
	struct ioport_dev d = { "uart", UART_COM1_BASE, UART_NR_PORTS, &u, uart_io_in,
				uart_io_out };

	(void)state;
	ioport_bus_init(&bus, NULL);
	assert_int_equal(ioport_register(&bus, &d), 0);
	ioport_out(&bus, 0x3f8, 1, 'Z');
	assert_int_equal(h.out[0], 'Z');
	ioport_out(&bus, 0x3ff, 1, 0x42);
	assert_int_equal(ioport_in(&bus, 0x3ff, 1), 0x42);
	assert_int_equal(ioport_in(&bus, 0x3fd, 1), UART_LSR_THRE | UART_LSR_TEMT);
	/* 16-bit read of LSR:MSR */
	assert_int_equal(ioport_in(&bus, 0x3fd, 2),
			 (UART_LSR_THRE | UART_LSR_TEMT) |
			 ((UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD) << 8));
	/* past the end of the device: all ones */
	assert_int_equal(ioport_in(&bus, 0x3ff, 2), 0xff42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_and_tx, setup),
		cmocka_unit_test_setup(test_dlab, setup),
		cmocka_unit_test_setup(test_scratch, setup),
		cmocka_unit_test_setup(test_loopback, setup),
		cmocka_unit_test_setup(test_fifo_iir, setup),
		cmocka_unit_test_setup(test_thri, setup),
		cmocka_unit_test_setup(test_host_input, setup),
		cmocka_unit_test_setup(test_ports, setup),
		cmocka_unit_test_setup(test_irq_thre, setup),
		cmocka_unit_test_setup(test_irq_rx, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
