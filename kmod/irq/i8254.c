// SPDX-License-Identifier: GPL-2.0
/*
 * i8254 PIT. Behaviour follows the Intel 8254 datasheet (control word,
 * counter latch, read-back, modes 0-5 and the GATE table); port 0x61 follows
 * the PIIX/ICH "NMI status and control" register.
 *
 * A counting cycle starts at start_ns with `base` ticks already elapsed
 * (base != 0 only after a gate pause in modes 0/4). Everything else (counter
 * value, OUT, rising edges) is a pure function of the elapsed ticks d and
 * the cycle count n:
 *   mode 0/1  OUT low until d = n, then high; counter n - d (wraps)
 *   mode 2    period n; OUT low only while the counter is 1 (d % n = n - 1)
 *   mode 3    period n; OUT high for ceil(n/2) ticks, low for floor(n/2)
 *   mode 4/5  OUT low for the one tick d = n
 * Simplifications (documented, harmless for OS timers): a count is loaded
 * at the write itself, not one CLK later; a new count in modes 2/3 restarts
 * the period at once instead of at the end of the current one.
 */
#include "ktypes.h"
#include "irq.h"
#include "i8254.h"

/* Port 0x61 bit 4 toggles at each DRAM refresh request: every 15.085 us. */
#define PIT_REFRESH_NS	15085ULL

/* floor(ns * PIT_HZ / 1e9) without overflow: split ns into seconds and rest. */
static u64 pit_ns_to_ticks(u64 ns)
{
	return ns / PIT_NS_PER_SEC * PIT_HZ + ns % PIT_NS_PER_SEC * PIT_HZ / PIT_NS_PER_SEC;
}

/* ceil(ticks * 1e9 / PIT_HZ): the first ns at which pit_ns_to_ticks() >= ticks. */
static u64 pit_ticks_to_ns(u64 ticks)
{
	u64 secs = ticks / PIT_HZ;

	if (secs > PIT_NO_EVENT / PIT_NS_PER_SEC - 1)
		return PIT_NO_EVENT;
	return secs * PIT_NS_PER_SEC + (ticks % PIT_HZ * PIT_NS_PER_SEC + PIT_HZ - 1) / PIT_HZ;
}

static u32 bcd_to_bin(u16 v)
{
	return (v >> 12) * 1000 + ((v >> 8) & 0xf) * 100 + ((v >> 4) & 0xf) * 10 + (v & 0xf);
}

static u16 bin_to_bcd(u32 v)
{
	return (v / 1000 % 10) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | v % 10;
}

static u32 ch_modulus(const struct pit_channel *ch)
{
	return ch->bcd ? 10000 : 65536;
}

/* The written count in binary; 0 means the maximum (65536, or 10000 in BCD). */
static u32 ch_decode_cr(const struct pit_channel *ch)
{
	u32 v = ch->bcd ? bcd_to_bin(ch->cr) : ch->cr;

	return v ? v : ch_modulus(ch);
}

static u64 ch_elapsed(const struct pit_channel *ch, u64 now)
{
	if (!ch->running)
		return 0;
	if (ch->frozen || now < ch->start_ns)
		return ch->base;
	return ch->base + pit_ns_to_ticks(now - ch->start_ns);
}

/* Mode 0 stops counting (OUT low) between the two bytes of a new count. */
static bool ch_mid_rewrite(const struct pit_channel *ch)
{
	return ch->mode == 0 && ch->write_msb_next;
}

static bool ch_out(const struct pit_channel *ch, u64 now)
{
	u64 d = ch_elapsed(ch, now);
	u32 n = ch->n;

	if (ch_mid_rewrite(ch))
		return false;
	/* Not counting: OUT is low in mode 0, high in every other mode. */
	if (!ch->running)
		return ch->mode != 0;
	switch (ch->mode) {
	case 0:
	case 1:
		return d >= n;
	case 2:
		return d % n != n - 1;
	case 3:
		return d % n < (n + 1) / 2;
	default:
		return d != n;
	}
}

/* OUT rising edges from the cycle start up to tick d. */
static u64 ch_edges(const struct pit_channel *ch, u64 d)
{
	switch (ch->mode) {
	case 0:
	case 1:
		return d >= ch->n;
	case 2:
	case 3:
		return d / ch->n;
	default:
		return d >= (u64)ch->n + 1;
	}
}

/* Tick of rising edge number edges_seen + 1, or PIT_NO_EVENT. */
static u64 ch_next_edge(const struct pit_channel *ch)
{
	switch (ch->mode) {
	case 0:
	case 1:
		return ch->edges_seen ? PIT_NO_EVENT : ch->n;
	case 2:
	case 3:
		return (ch->edges_seen + 1) * ch->n;
	default:
		return ch->edges_seen ? PIT_NO_EVENT : (u64)ch->n + 1;
	}
}

/* Counting element as the guest reads it (BCD-encoded in BCD mode). */
static u16 ch_count(const struct pit_channel *ch, u64 now)
{
	u32 mod = ch_modulus(ch), n = ch->n, hi = (n + 1) / 2;
	u64 d = ch_elapsed(ch, now);
	u32 v, p;

	if (!ch->running) {
		v = ch->count_written ? ch_decode_cr(ch) : 0;
	} else if (ch->mode == 2) {
		v = n - (u32)(d % n);
	} else if (ch->mode == 3) {
		/* Decrements by two; an odd count spends one tick more high. */
		p = d % n;
		v = p < hi ? n - 2 * p : (n & ~1U) - 2 * (p - hi);
	} else {
		v = n + mod - (u32)(d % mod);
	}
	v %= mod;
	return ch->bcd ? bin_to_bcd(v) : v;
}

static void ch_start(struct pit_channel *ch, u64 now)
{
	ch->n = ch_decode_cr(ch);
	ch->base = 0;
	ch->start_ns = now;
	ch->running = true;
	ch->frozen = false;
	ch->edges_seen = 0;
	ch->null_count = false;
}

/* Modes 0 and 4 pause while GATE is low (and mode 0 while rewriting). */
static void ch_update_freeze(struct pit_channel *ch, u64 now)
{
	bool want = (ch->mode == 0 || ch->mode == 4) && (!ch->gate || ch_mid_rewrite(ch));

	if (!ch->running || want == ch->frozen)
		return;
	if (want) {
		ch->base = ch_elapsed(ch, now);
		ch->frozen = true;
	} else {
		ch->start_ns = now;
		ch->frozen = false;
	}
}

/* A full count is in CR: start per mode (8254 datasheet, mode descriptions). */
static void ch_load(struct pit_channel *ch, u64 now)
{
	ch->count_written = true;
	ch->null_count = true;
	switch (ch->mode) {
	case 0:
	case 4:
		ch_start(ch, now);
		ch_update_freeze(ch, now);
		break;
	case 2:
	case 3:
		if (ch->gate)
			ch_start(ch, now);	/* else wait for a GATE rising edge */
		break;
	default:
		break;		/* modes 1 and 5 wait for a GATE rising edge */
	}
}

static void ch_set_gate(struct pit_channel *ch, bool gate, u64 now)
{
	if (gate == ch->gate)
		return;
	ch->gate = gate;
	switch (ch->mode) {
	case 0:
	case 4:
		ch_update_freeze(ch, now);
		break;
	case 2:
	case 3:
		/* GATE low forces OUT high and stops; a rising edge reloads. */
		if (!gate)
			ch->running = false;
		else if (ch->count_written)
			ch_start(ch, now);
		break;
	default:
		if (gate && ch->count_written)
			ch_start(ch, now);	/* modes 1, 5: trigger */
		break;
	}
}

static void ch_write_count(struct pit_channel *ch, u8 val, u64 now)
{
	switch (ch->rw) {
	case PIT_RW_LSB:
		ch->cr = val;
		break;
	case PIT_RW_MSB:
		ch->cr = val << 8;
		break;
	default:
		if (!ch->write_msb_next) {
			ch->cr_lsb = val;
			ch->write_msb_next = true;
			ch_update_freeze(ch, now);
			return;
		}
		ch->cr = ch->cr_lsb | val << 8;
		ch->write_msb_next = false;
		break;
	}
	ch_load(ch, now);
}

static void ch_latch_count(struct pit_channel *ch, u64 now)
{
	if (ch->latch_bytes)
		return;		/* a latched count stays until read */
	ch->latch = ch_count(ch, now);
	ch->latch_bytes = ch->rw == PIT_RW_LSB_MSB ? 2 : 1;
	ch->latch_msb_next = ch->rw == PIT_RW_MSB;
}

static void ch_latch_status(struct pit_channel *ch, u64 now)
{
	bool null = ch->null_count || (ch->running && ch_elapsed(ch, now) == 0);

	if (ch->status_latched)
		return;
	ch->status = (ch_out(ch, now) ? PIT_STATUS_OUT : 0) | (null ? PIT_STATUS_NULL : 0) |
		     ch->ctrl;
	ch->status_latched = true;
}

static void ch_write_ctrl(struct pit_channel *ch, u8 val)
{
	ch->ctrl = val & 0x3f;
	ch->rw = (val >> 4) & 3;
	ch->mode = (val >> 1) & 7;
	if (ch->mode > 5)
		ch->mode -= 4;	/* x11x: modes 6 and 7 are 2 and 3 */
	ch->bcd = val & PIT_CTRL_BCD;
	ch->running = false;
	ch->frozen = false;
	ch->count_written = false;
	ch->null_count = true;
	ch->write_msb_next = false;
	ch->read_msb_next = false;
	ch->latch_bytes = 0;
	ch->status_latched = false;
	ch->edges_seen = 0;
}

static void pit_set_irq0(struct pit *pit, bool level)
{
	pit->irq0_level = level;
	if (pit->irq0)
		pit->irq0(pit->irq_ctx, level);
}

/*
 * Brings IRQ 0 up to date at now: one low->high pulse if any rising edge
 * of channel 0 OUT is due (several missed periods coalesce into it), then
 * the current OUT level.
 */
static void pit_update_irq0(struct pit *pit, u64 now)
{
	struct pit_channel *ch = &pit->ch[0];
	u64 edges, missed = 0;

	if (ch->running) {
		edges = ch_edges(ch, ch_elapsed(ch, now));
		if (edges > ch->edges_seen) {
			missed = edges - ch->edges_seen;
			ch->edges_seen = edges;
		}
	}
	if (missed) {
		pit->irq0_edges++;
		pit->irq0_coalesced += missed - 1;
		if (pit->irq0_level)
			pit_set_irq0(pit, false);
		pit_set_irq0(pit, true);
	}
	if (ch_out(ch, now) != pit->irq0_level)
		pit_set_irq0(pit, !pit->irq0_level);
}

static void pit_write_ctrl(struct pit *pit, u8 val, u64 now)
{
	struct pit_channel *ch;
	int i;

	if ((val & PIT_CTRL_READBACK) == PIT_CTRL_READBACK) {
		for (i = 0; i < 3; i++) {
			if (!(val & BIT(i + 1)))
				continue;
			if (!(val & PIT_RB_NO_STATUS))
				ch_latch_status(&pit->ch[i], now);
			if (!(val & PIT_RB_NO_COUNT))
				ch_latch_count(&pit->ch[i], now);
		}
		return;
	}
	/* Past the read-back check val >> 6 is 0..2, even speculatively (Spectre v1). */
	ch = &pit->ch[array_index_nospec(val >> 6, 3)];
	if (((val >> 4) & 3) == PIT_RW_LATCH)
		ch_latch_count(ch, now);
	else
		ch_write_ctrl(ch, val);
}

void pit_io_write(struct pit *pit, u16 port, u8 val)
{
	u64 now = irq_clock_now(&pit->clock);

	/* Deliver what is due under the old programming before changing it. */
	pit_update_irq0(pit, now);
	switch (port) {
	case PIT_PORT_CH0 ... PIT_PORT_CH2:
		ch_write_count(&pit->ch[array_index_nospec(port - PIT_PORT_CH0, 3)], val, now);
		break;
	case PIT_PORT_CTRL:
		pit_write_ctrl(pit, val, now);
		break;
	case PIT_PORT_B:
		pit->port_b = val & PIT_PB_RW_MASK;
		ch_set_gate(&pit->ch[2], val & PIT_PB_GATE2, now);
		break;
	default:
		return;
	}
	pit_update_irq0(pit, now);
}

static u8 ch_read(struct pit_channel *ch, u64 now)
{
	u16 v;
	bool msb;

	if (ch->status_latched) {
		ch->status_latched = false;
		return ch->status;
	}
	if (ch->latch_bytes) {
		v = ch->latch;
		msb = ch->latch_msb_next;
		ch->latch_msb_next = !msb;
		ch->latch_bytes--;
	} else {
		v = ch_count(ch, now);
		msb = ch->rw == PIT_RW_MSB || (ch->rw == PIT_RW_LSB_MSB && ch->read_msb_next);
		if (ch->rw == PIT_RW_LSB_MSB)
			ch->read_msb_next = !ch->read_msb_next;
	}
	return msb ? v >> 8 : v & 0xff;
}

u8 pit_io_read(struct pit *pit, u16 port)
{
	u64 now = irq_clock_now(&pit->clock);

	switch (port) {
	case PIT_PORT_CH0 ... PIT_PORT_CH2:
		return ch_read(&pit->ch[array_index_nospec(port - PIT_PORT_CH0, 3)], now);
	case PIT_PORT_B:
		return pit->port_b | ((now / PIT_REFRESH_NS) & 1 ? PIT_PB_REFRESH : 0) |
		       (ch_out(&pit->ch[2], now) ? PIT_PB_OUT2 : 0);
	default:
		return 0xff;	/* 0x43 is write-only */
	}
}

u64 pit_next_event_ns(const struct pit *pit)
{
	const struct pit_channel *ch = &pit->ch[0];
	u64 t, ns;

	if (!ch->running || ch->frozen)
		return PIT_NO_EVENT;
	t = ch_next_edge(ch);
	if (t == PIT_NO_EVENT)
		return PIT_NO_EVENT;
	/* Defensive: base is 0 for channel 0, whose GATE never drops. */
	if (t <= ch->base)
		return ch->start_ns;
	ns = pit_ticks_to_ns(t - ch->base);
	if (ns == PIT_NO_EVENT || ns > PIT_NO_EVENT - ch->start_ns)
		return PIT_NO_EVENT;
	return ch->start_ns + ns;
}

void pit_tick(struct pit *pit, u64 now_ns)
{
	pit_update_irq0(pit, now_ns);
}

bool pit_output(const struct pit *pit, int ch, u64 now_ns)
{
	if (ch < 0 || ch > 2)
		return false;
	return ch_out(&pit->ch[array_index_nospec(ch, 3)], now_ns);
}

void pit_init(struct pit *pit, const struct irq_clock *clock,
	      void (*irq0)(void *ctx, bool level), void *irq_ctx)
{
	int i;

	memset(pit, 0, sizeof(*pit));
	pit->clock = *clock;
	for (i = 0; i < 3; i++) {
		/* Channels 0 and 1 have GATE tied high on a PC. */
		pit->ch[i].gate = i != 2;
		ch_write_ctrl(&pit->ch[i], i << 6 | PIT_RW_LSB_MSB << 4);
	}
	pit->irq0 = irq0;
	pit->irq_ctx = irq_ctx;
}
