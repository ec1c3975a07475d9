/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 16550A UART (COM1 at 0x3f8, ISA IRQ 4). Transmission is instant: THR
 * is always empty again after a write, so LSR.THRE|TEMT read as set.
 * IER/IIR behave as the chip's. The interrupt output is a level: high while
 * IIR reports an enabled source and MCR.OUT2 is set (on a PC, OUT2 gates
 * the UART's INTRPT pin onto the ISA bus, and drivers such as Linux's 8250
 * set it); set_irq() is called only when that level changes.
 */
#ifndef _VMCTL_UART16550_H
#define _VMCTL_UART16550_H

#include "vmctl.h"

#define UART_COM1_BASE		0x3f8
#define UART_COM1_IRQ		4
#define UART_NR_PORTS		8
#define UART_FIFO_SIZE		16

/* Register offsets (DLAB = LCR bit 7 selects DLL/DLM at 0/1). */
enum uart_reg {
	UART_RBR_THR_DLL	= 0,
	UART_IER_DLM		= 1,
	UART_IIR_FCR		= 2,
	UART_LCR		= 3,
	UART_MCR		= 4,
	UART_LSR		= 5,
	UART_MSR		= 6,
	UART_SCR		= 7,
};

#define UART_IER_RDI		0x01	/* received data available */
#define UART_IER_THRI		0x02	/* THR empty */
#define UART_IER_RLSI		0x04	/* receiver line status */
#define UART_IER_MSI		0x08	/* modem status */

#define UART_IIR_NO_INT		0x01
#define UART_IIR_MSI		0x00
#define UART_IIR_THRI		0x02
#define UART_IIR_RDI		0x04
#define UART_IIR_RLSI		0x06
#define UART_IIR_TIMEOUT	0x0c
#define UART_IIR_FIFO_ON	0xc0

#define UART_FCR_ENABLE		0x01
#define UART_FCR_CLEAR_RX	0x02
#define UART_FCR_CLEAR_TX	0x04
#define UART_FCR_DMA		0x08
#define UART_FCR_TRIGGER	0xc0

#define UART_LCR_DLAB		0x80

#define UART_MCR_DTR		0x01
#define UART_MCR_RTS		0x02
#define UART_MCR_OUT1		0x04
#define UART_MCR_OUT2		0x08
#define UART_MCR_LOOP		0x10

#define UART_LSR_DR		0x01
#define UART_LSR_OE		0x02
#define UART_LSR_PE		0x04
#define UART_LSR_FE		0x08
#define UART_LSR_BI		0x10
#define UART_LSR_THRE		0x20
#define UART_LSR_TEMT		0x40
#define UART_LSR_ERRORS		(UART_LSR_OE | UART_LSR_PE | UART_LSR_FE | UART_LSR_BI)

#define UART_MSR_DCTS		0x01
#define UART_MSR_DDSR		0x02
#define UART_MSR_TERI		0x04
#define UART_MSR_DDCD		0x08
#define UART_MSR_DELTA		0x0f
#define UART_MSR_CTS		0x10
#define UART_MSR_DSR		0x20
#define UART_MSR_RI		0x40
#define UART_MSR_DCD		0x80

struct uart16550 {
	u16 base;
	u8 ier, lcr, mcr, lsr, msr, scr, dll, dlm, fcr;
	bool thr_ipending;	/* THR-empty interrupt condition, cleared by IIR read */
	u8 rx[UART_FIFO_SIZE];
	unsigned int rx_head, rx_count;
	u8 rbr_last;
	/* host side: output one byte; poll one input byte (-1: none) */
	void (*tx)(void *opaque, u8 c);
	int (*rx_poll)(void *opaque);
	void *host;
	/* interrupt output; NULL: polled only */
	void (*set_irq)(void *irq_ctx, int level);
	void *irq_ctx;
	bool irq_level;		/* the level last given to set_irq */
};

void uart_init(struct uart16550 *u, u16 base, void (*tx)(void *, u8),
	       int (*rx_poll)(void *), void *host);
u8 uart_read(struct uart16550 *u, u8 reg);
void uart_write(struct uart16550 *u, u8 reg, u8 val);
/* A byte from the line; false if it overran the receiver. */
bool uart_receive(struct uart16550 *u, u8 c);
/* Pull host input while the receiver has room (not in loopback). */
void uart_poll_input(struct uart16550 *u);
/* Interrupt identification, without the read side effects of IIR. */
u8 uart_iir(const struct uart16550 *u);
/* Connect the interrupt output (level 0 now); it follows every state change. */
void uart_set_irq_handler(struct uart16550 *u, void (*set_irq)(void *, int), void *irq_ctx);
/* The level of the interrupt output as the model computes it now. */
bool uart_irq_level(const struct uart16550 *u);
/* The receiver cannot take host input now (full, or in loopback). */
bool uart_rx_full(const struct uart16550 *u);
/* ioport_dev callbacks */
u32 uart_io_in(void *opaque, u16 port, u8 size);
void uart_io_out(void *opaque, u16 port, u8 size, u32 val);

#endif /* _VMCTL_UART16550_H */
