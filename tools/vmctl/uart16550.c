// SPDX-License-Identifier: GPL-2.0
/*
 * 16550A UART model, register behaviour per the TI/National PC16550D data
 * sheet: DLAB banking, FIFO control and the IIR FIFO bits, LSR data-ready,
 * overrun and transmitter-empty bits, modem control loopback (outputs wired
 * back to the modem status inputs and THR to RBR), and the scratch register.
 */
#include <string.h>
#include "uart16550.h"

/* Modem status inputs when not in loopback: a terminal is attached. */
#define UART_MSR_IDLE		(UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD)

static unsigned int uart_rx_capacity(const struct uart16550 *u)
{
	return (u->fcr & UART_FCR_ENABLE) ? UART_FIFO_SIZE : 1;
}

static unsigned int uart_rx_trigger(const struct uart16550 *u)
{
	static const unsigned int levels[4] = { 1, 4, 8, 14 };

	return (u->fcr & UART_FCR_ENABLE) ? levels[u->fcr >> 6] : 1;
}

static void uart_rx_clear(struct uart16550 *u)
{
	u->rx_head = 0;
	u->rx_count = 0;
	u->lsr &= ~UART_LSR_DR;
}

void uart_init(struct uart16550 *u, u16 base, void (*tx)(void *, u8),
	       int (*rx_poll)(void *), void *host)
{
	memset(u, 0, sizeof(*u));
	u->base = base;
	u->tx = tx;
	u->rx_poll = rx_poll;
	u->host = host;
	u->lsr = UART_LSR_THRE | UART_LSR_TEMT;
	u->msr = UART_MSR_IDLE;
	u->dll = 0x0c;		/* 9600 baud, the usual BIOS setting */
}

u8 uart_iir(const struct uart16550 *u)
{
	u8 fifo = (u->fcr & UART_FCR_ENABLE) ? UART_IIR_FIFO_ON : 0;

	/* Priority order of the data sheet, highest first. */
	if ((u->ier & UART_IER_RLSI) && (u->lsr & UART_LSR_ERRORS))
		return fifo | UART_IIR_RLSI;
	if ((u->ier & UART_IER_RDI) && u->rx_count) {
		/*
		 * Below the FIFO trigger level the chip raises "character
		 * timeout" after four character times; with no time model
		 * that moment is now.
		 */
		if (u->rx_count >= uart_rx_trigger(u))
			return fifo | UART_IIR_RDI;
		return fifo | UART_IIR_TIMEOUT;
	}
	if ((u->ier & UART_IER_THRI) && u->thr_ipending)
		return fifo | UART_IIR_THRI;
	if ((u->ier & UART_IER_MSI) && (u->msr & UART_MSR_DELTA))
		return fifo | UART_IIR_MSI;
	return fifo | UART_IIR_NO_INT;
}

bool uart_irq_level(const struct uart16550 *u)
{
	return (u->mcr & UART_MCR_OUT2) && !(uart_iir(u) & UART_IIR_NO_INT);
}

/* Tell the host only about changes: one VTX_IRQ_LINE per edge, not per access. */
static void uart_update_irq(struct uart16550 *u)
{
	bool level = uart_irq_level(u);

	if (level == u->irq_level || !u->set_irq)
		return;
	u->irq_level = level;
	u->set_irq(u->irq_ctx, level);
}

void uart_set_irq_handler(struct uart16550 *u, void (*set_irq)(void *, int), void *irq_ctx)
{
	u->set_irq = set_irq;
	u->irq_ctx = irq_ctx;
	u->irq_level = false;
	uart_update_irq(u);
}

/* Loopback counts as full: the receiver listens to THR, not the host. */
bool uart_rx_full(const struct uart16550 *u)
{
	return (u->mcr & UART_MCR_LOOP) || u->rx_count >= uart_rx_capacity(u);
}

static bool uart_do_receive(struct uart16550 *u, u8 c)
{
	unsigned int cap = uart_rx_capacity(u);

	if (u->rx_count == cap) {
		u->lsr |= UART_LSR_OE;
		if (cap == 1)		/* no FIFO: the holding register is overwritten */
			u->rx[u->rx_head] = c;
		return false;
	}
	u->rx[(u->rx_head + u->rx_count) % UART_FIFO_SIZE] = c;
	u->rx_count++;
	u->lsr |= UART_LSR_DR;
	return true;
}

bool uart_receive(struct uart16550 *u, u8 c)
{
	bool ok = uart_do_receive(u, c);

	uart_update_irq(u);
	return ok;
}

void uart_poll_input(struct uart16550 *u)
{
	int c;

	if (!u->rx_poll || (u->mcr & UART_MCR_LOOP))
		return;
	while (u->rx_count < uart_rx_capacity(u)) {
		c = u->rx_poll(u->host);
		if (c < 0)
			break;
		uart_do_receive(u, c);
	}
	uart_update_irq(u);
}

static u8 uart_read_rbr(struct uart16550 *u)
{
	if (u->rx_count) {
		u->rbr_last = u->rx[u->rx_head];
		u->rx_head = (u->rx_head + 1) % UART_FIFO_SIZE;
		u->rx_count--;
	}
	if (!u->rx_count)
		u->lsr &= ~UART_LSR_DR;
	uart_poll_input(u);
	return u->rbr_last;
}

/* Loopback wires MCR outputs to MSR inputs: DTR-DSR, RTS-CTS, OUT1-RI, OUT2-DCD. */
static void uart_update_msr(struct uart16550 *u)
{
	u8 old = u->msr, in = UART_MSR_IDLE;

	if (u->mcr & UART_MCR_LOOP) {
		in = 0;
		if (u->mcr & UART_MCR_DTR)
			in |= UART_MSR_DSR;
		if (u->mcr & UART_MCR_RTS)
			in |= UART_MSR_CTS;
		if (u->mcr & UART_MCR_OUT1)
			in |= UART_MSR_RI;
		if (u->mcr & UART_MCR_OUT2)
			in |= UART_MSR_DCD;
	}
	u->msr = (old & UART_MSR_DELTA) | in;
	if ((old ^ in) & UART_MSR_CTS)
		u->msr |= UART_MSR_DCTS;
	if ((old ^ in) & UART_MSR_DSR)
		u->msr |= UART_MSR_DDSR;
	if ((old & UART_MSR_RI) && !(in & UART_MSR_RI))	/* trailing edge only */
		u->msr |= UART_MSR_TERI;
	if ((old ^ in) & UART_MSR_DCD)
		u->msr |= UART_MSR_DDCD;
}

static u8 uart_do_read(struct uart16550 *u, u8 reg)
{
	u8 val;

	switch (reg & 7) {
	case UART_RBR_THR_DLL:
		return (u->lcr & UART_LCR_DLAB) ? u->dll : uart_read_rbr(u);
	case UART_IER_DLM:
		return (u->lcr & UART_LCR_DLAB) ? u->dlm : u->ier;
	case UART_IIR_FCR:
		val = uart_iir(u);
		/* Reading IIR while it reports THR empty clears that source. */
		if ((val & 0x0f) == UART_IIR_THRI)
			u->thr_ipending = false;
		return val;
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		val = u->lsr;
		u->lsr &= ~UART_LSR_ERRORS;	/* error bits clear on read */
		return val;
	case UART_MSR:
		val = u->msr;
		u->msr &= ~UART_MSR_DELTA;	/* delta bits clear on read */
		return val;
	default:
		return u->scr;
	}
}

u8 uart_read(struct uart16550 *u, u8 reg)
{
	u8 val = uart_do_read(u, reg);

	uart_update_irq(u);	/* RBR, IIR, LSR and MSR reads clear sources */
	return val;
}

static void uart_write_thr(struct uart16550 *u, u8 val)
{
	if (u->mcr & UART_MCR_LOOP)
		uart_do_receive(u, val);
	else if (u->tx)
		u->tx(u->host, val);
	/* Sent at once: THR and the shift register are empty again. */
	u->lsr |= UART_LSR_THRE | UART_LSR_TEMT;
	u->thr_ipending = true;
}

static void uart_write_fcr(struct uart16550 *u, u8 val)
{
	/* Toggling the FIFO enable bit clears both FIFOs. */
	if ((val ^ u->fcr) & UART_FCR_ENABLE)
		uart_rx_clear(u);
	if (!(val & UART_FCR_ENABLE)) {
		u->fcr = 0;	/* other bits are ignored unless FIFOs are on */
		return;
	}
	if (val & UART_FCR_CLEAR_RX)
		uart_rx_clear(u);
	/* Nothing to clear in the transmitter: it is always empty. */
	u->fcr = val & (UART_FCR_ENABLE | UART_FCR_DMA | UART_FCR_TRIGGER);
}

static void uart_do_write(struct uart16550 *u, u8 reg, u8 val)
{
	switch (reg & 7) {
	case UART_RBR_THR_DLL:
		if (u->lcr & UART_LCR_DLAB)
			u->dll = val;
		else
			uart_write_thr(u, val);
		break;
	case UART_IER_DLM:
		if (u->lcr & UART_LCR_DLAB) {
			u->dlm = val;
			break;
		}
		/* Enabling THRI with THR empty raises it at once, as on the chip. */
		if ((val & UART_IER_THRI) && !(u->ier & UART_IER_THRI) &&
		    (u->lsr & UART_LSR_THRE))
			u->thr_ipending = true;
		u->ier = val & 0x0f;
		break;
	case UART_IIR_FCR:
		uart_write_fcr(u, val);
		break;
	case UART_LCR:
		u->lcr = val;
		break;
	case UART_MCR:
		u->mcr = val & 0x1f;
		uart_update_msr(u);
		break;
	case UART_LSR:
	case UART_MSR:
		break;		/* read-only (factory test on the real part) */
	default:
		u->scr = val;
		break;
	}
}

void uart_write(struct uart16550 *u, u8 reg, u8 val)
{
	uart_do_write(u, reg, val);
	uart_update_irq(u);
}

/* Wider accesses touch consecutive registers, as on the ISA bus. */
u32 uart_io_in(void *opaque, u16 port, u8 size)
{
	struct uart16550 *u = opaque;
	u32 val = 0;
	u8 i;

	if (size == 1)		/* as in uart_io_out() */
		return uart_read(u, port - u->base);
	for (i = 0; i < size; i++) {
		unsigned int reg = port - u->base + i;

		val |= (u32)(reg < UART_NR_PORTS ? uart_read(u, reg) : 0xff) << (8 * i);
	}
	return val;
}

void uart_io_out(void *opaque, u16 port, u8 size, u32 val)
{
	struct uart16550 *u = opaque;
	u8 i;

	/* Byte access, what drivers do: a tail call, not the loop's frame. */
	if (size == 1) {
		uart_write(u, port - u->base, val);
		return;
	}
	for (i = 0; i < size && port - u->base + i < UART_NR_PORTS; i++)
		uart_write(u, port - u->base + i, val >> (8 * i));
}
