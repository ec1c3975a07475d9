/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model of the Intel 8254 programmable interval timer as wired in a PC:
 * three channels clocked at 1.193182 MHz, ports 0x40-0x42 (counters) and
 * 0x43 (control), channel 0 OUT -> IRQ 0, channel 2 GATE/OUT through
 * system control port B (0x61). Pure C: includes only "ktypes.h" and
 * "irq.h", builds in vtx.ko and in userspace.
 *
 * Time: the model never reads a clock itself. Port accesses take "now"
 * from the struct irq_clock given at init; pit_tick() takes it explicitly.
 * Counter state is derived from (now - load time), so the period does not
 * drift however late the host ticks.
 *
 * Host contract: after every pit_io_write() and pit_tick(), re-arm a timer
 * for pit_next_event_ns() (PIT_NO_EVENT = none) and call pit_tick() when it
 * expires. Late ticks coalesce: one IRQ 0 edge per tick, missed periods are
 * counted in irq0_coalesced. A guest can program a 1-tick (838 ns) period:
 * the host should arm no sooner than its own minimum (e.g. 100 us) and
 * rely on coalescing. Not thread-safe: the host serialises calls.
 *
 * Integer math: ns <-> ticks use 64-bit '/' and '%' (fine on x86-64, the
 * only target; a 32-bit kernel would need div64_u64()).
 */
#ifndef _VTX_I8254_H
#define _VTX_I8254_H

#include "ktypes.h"
#include "irq.h"

/* pit_next_event_ns() when nothing is scheduled. */
#define PIT_NO_EVENT		(~0ULL)
#define PIT_HZ			1193182ULL
#define PIT_NS_PER_SEC		1000000000ULL
#define PIT_PORT_CH0		0x40
#define PIT_PORT_CH2		0x42
#define PIT_PORT_CTRL		0x43
#define PIT_PORT_B		0x61	/* system control port B */

/* Control word (port 0x43): SC1:0 RW1:0 M2:0 BCD. */
#define PIT_CTRL_BCD		0x01
#define PIT_CTRL_READBACK	0xc0	/* SC = 3 */
#define PIT_RB_NO_COUNT		0x20	/* read-back: do NOT latch count */
#define PIT_RB_NO_STATUS	0x10	/* read-back: do NOT latch status */
#define PIT_RW_LATCH		0
#define PIT_RW_LSB		1
#define PIT_RW_MSB		2
#define PIT_RW_LSB_MSB		3

/* Status byte (read-back): OUT, NULL COUNT, then control bits 5:0. */
#define PIT_STATUS_OUT		0x80
#define PIT_STATUS_NULL		0x40

/* Port 0x61 bits. */
#define PIT_PB_GATE2		0x01
#define PIT_PB_SPEAKER		0x02
#define PIT_PB_RW_MASK		0x0f	/* bits 2, 3 (parity/IOCHK enables) stored */
#define PIT_PB_REFRESH		0x10	/* toggles every 15.085 us */
#define PIT_PB_OUT2		0x20

struct pit_channel {
	u8 ctrl;		/* RW, M, BCD bits as written (status bits 5:0) */
	u8 mode;		/* 0-5 (6 and 7 mean 2 and 3) */
	u8 rw;			/* PIT_RW_* */
	bool bcd;
	bool gate;
	u16 cr;			/* count register as written (raw, BCD if bcd) */
	u8 cr_lsb;		/* first byte of a LSB/MSB write */
	bool write_msb_next;
	bool read_msb_next;
	bool count_written;	/* a full count since the control word */
	bool null_count;	/* CR written but not yet moved to the counter */
	bool running;		/* counting cycle started (loaded / triggered) */
	bool frozen;		/* modes 0/4 with gate low or mid-rewrite */
	u32 n;			/* count of this cycle, 1..65536 (binary) */
	u64 start_ns;		/* clock time that corresponds to tick `base` */
	u64 base;		/* ticks elapsed at start_ns */
	u64 edges_seen;		/* OUT rising edges already reported */
	u16 latch;		/* latched count (raw) */
	u8 latch_bytes;		/* latched count bytes left to read (0-2) */
	bool latch_msb_next;
	bool status_latched;
	u8 status;
};

struct pit {
	struct pit_channel ch[3];
	struct irq_clock clock;
	void (*irq0)(void *ctx, bool level);	/* channel 0 OUT -> IRQ 0 */
	void *irq_ctx;
	bool irq0_level;			/* level last given to irq0 */
	u8 port_b;				/* bits 0-3 of port 0x61 */
	u64 irq0_edges;				/* IRQ 0 rising edges delivered */
	u64 irq0_coalesced;			/* periods merged into another edge */
};

/*
 * Channels come up as after a mode-0 control word with no count: idle, no
 * events, OUT low; channel 2 gate low; irq0 (may be NULL) is not called.
 */
void pit_init(struct pit *pit, const struct irq_clock *clock,
	      void (*irq0)(void *ctx, bool level), void *irq_ctx);

/* Ports 0x40-0x43 and 0x61. Unknown ports read as 0xff. */
void pit_io_write(struct pit *pit, u16 port, u8 val);
u8 pit_io_read(struct pit *pit, u16 port);

/* Clock time of the next channel 0 OUT rising edge not yet delivered, or PIT_NO_EVENT. */
u64 pit_next_event_ns(const struct pit *pit);

/* Delivers due channel 0 events (IRQ 0 edges) at time now_ns. */
void pit_tick(struct pit *pit, u64 now_ns);

/* OUT of channel ch (0-2) at now_ns; false for a bad channel. */
bool pit_output(const struct pit *pit, int ch, u64 now_ns);

#endif /* _VTX_I8254_H */
