// SPDX-License-Identifier: GPL-2.0
/*
 * LAPIC timer (SDM vol 3A 11.5.4): one-shot, periodic and TSC-deadline.
 *
 * The count is not decremented in software: arming records the nanosecond
 * deadline, and the current count is computed from the clock on read. One
 * count lasts tick = bus_cycle_ns * divisor ns, so after loading N at t0
 * the count reads N - floor((now - t0) / tick) and expires at t0 + N * tick.
 * Mode 3 of the LVT timer is reserved: it arms nothing.
 */
#include "ktypes.h"
#include "irq/lapic.h"

#define NSEC_PER_MSEC	1000000u
#define LAPIC_U64_MAX	(~0ULL)

static u32 lapic_timer_mode(const struct lapic *l)
{
	return (l->lvt[0] >> LAPIC_LVT_TIMER_SHIFT) & 3;
}

static bool lapic_timer_counts(const struct lapic *l)
{
	u32 mode = lapic_timer_mode(l);

	return mode == LAPIC_TIMER_ONESHOT || mode == LAPIC_TIMER_PERIODIC;
}

/* Divide configuration bits 3,1:0 (SDM figure 11-10): 0..6 -> 2^(v+1), 7 -> 1. */
static u32 lapic_timer_divisor(u32 tdcr)
{
	u32 v = (tdcr & 3) | ((tdcr >> 1) & 4);

	return v == 7 ? 1 : 2u << v;
}

static u64 lapic_timer_tick(const struct lapic *l)
{
	return (u64)l->cfg.bus_cycle_ns * lapic_timer_divisor(l->tdcr);
}

static u64 lapic_add_sat(u64 a, u64 b)
{
	return a + b < a ? LAPIC_U64_MAX : a + b;
}

/* a * mul / div without 128-bit arithmetic, saturating; mul and div fit in 32 bits. */
static u64 lapic_mul_div(u64 a, u32 mul, u32 div, bool round_up)
{
	u64 q = a / div, r = a % div;

	if (mul && q > LAPIC_U64_MAX / mul)
		return LAPIC_U64_MAX;
	return lapic_add_sat(q * mul, (r * mul + (round_up ? div - 1 : 0)) / div);
}

void lapic_timer_reset(struct lapic *l)
{
	l->tmict = 0;
	l->tdcr = 0;
	l->timer_armed = false;
	l->timer_deadline_ns = 0;
	l->timer_period_ns = 0;
	l->tsc_deadline = 0;
}

static void lapic_timer_fire(struct lapic *l)
{
	u32 lvt = l->lvt[0];

	/* A masked timer keeps counting but delivers nothing (SDM 11.5.1). */
	if (!(lvt & LAPIC_LVT_MASKED))
		lapic_set_irq(l, lvt & 0xff, false);
}

void lapic_timer_expired(struct lapic *l, u64 now_ns)
{
	u64 late;

	if (!l->timer_armed || now_ns < l->timer_deadline_ns)
		return;
	if (lapic_timer_mode(l) == LAPIC_TIMER_PERIODIC && l->timer_period_ns) {
		/* Periods missed by a late host timer coalesce into one interrupt. */
		late = (now_ns - l->timer_deadline_ns) / l->timer_period_ns;
		l->timer_deadline_ns = lapic_add_sat(l->timer_deadline_ns,
						     (late + 1) * l->timer_period_ns);
	} else {
		/* One-shot and TSC-deadline disarm; TSC-deadline also clears the MSR. */
		l->timer_armed = false;
		l->tsc_deadline = 0;
	}
	lapic_timer_fire(l);
}

u64 lapic_next_deadline_ns(const struct lapic *l)
{
	if (!l->timer_armed)
		return 0;
	if (l->timer_deadline_ns > LAPIC_DEADLINE_NS_MAX)
		return LAPIC_DEADLINE_NS_MAX;
	return l->timer_deadline_ns ? l->timer_deadline_ns : 1;
}

u32 lapic_timer_current(const struct lapic *l)
{
	u64 now, tick = lapic_timer_tick(l), left;

	/* Reads 0 in TSC-deadline mode and once a one-shot count expired (SDM 11.5.4). */
	if (!l->timer_armed || !lapic_timer_counts(l))
		return 0;
	now = irq_clock_now(&l->cfg.clock);
	if (now < l->timer_deadline_ns) {
		left = l->timer_deadline_ns - now;
	} else if (lapic_timer_mode(l) == LAPIC_TIMER_PERIODIC && l->timer_period_ns) {
		/* Expiry not yet processed by the host: the count already reloaded. */
		left = l->timer_period_ns - (now - l->timer_deadline_ns) % l->timer_period_ns;
	} else {
		return 0;
	}
	left = (left + tick - 1) / tick;
	return left > l->tmict ? l->tmict : (u32)left;
}

static void lapic_timer_start(struct lapic *l, u64 now, u32 count)
{
	l->timer_period_ns = (u64)l->tmict * lapic_timer_tick(l);
	l->timer_deadline_ns = now + (u64)count * lapic_timer_tick(l);
	l->timer_armed = count != 0;
}

void lapic_timer_write_tmict(struct lapic *l, u32 val)
{
	u64 now;

	/* Ignored in TSC-deadline mode (SDM 11.5.4.1). */
	if (lapic_timer_mode(l) == LAPIC_TIMER_TSC_DEADLINE)
		return;
	l->tmict = val;
	if (!lapic_timer_counts(l)) {
		l->timer_armed = false;
		return;
	}
	now = irq_clock_now(&l->cfg.clock);
	lapic_timer_expired(l, now);
	/* Writing the initial count restarts the countdown; 0 stops it. */
	lapic_timer_start(l, now, val);
}

/* A new divisor applies to the rest of the running count (as KVM does). */
void lapic_timer_write_tdcr(struct lapic *l, u32 val)
{
	u64 now;
	u32 left;

	if (!l->timer_armed || !lapic_timer_counts(l)) {
		l->tdcr = val & 0xb;
		return;
	}
	now = irq_clock_now(&l->cfg.clock);
	lapic_timer_expired(l, now);
	left = lapic_timer_current(l);
	l->tdcr = val & 0xb;
	if (l->timer_armed)
		lapic_timer_start(l, now, left);
}

/* Switching into or out of TSC-deadline mode disarms the timer (SDM 11.5.4.1). */
void lapic_timer_write_lvt(struct lapic *l, u32 val)
{
	u32 old_mode = lapic_timer_mode(l);
	u32 new_mode = (val >> LAPIC_LVT_TIMER_SHIFT) & 3;

	if (l->timer_armed)
		lapic_timer_expired(l, irq_clock_now(&l->cfg.clock));
	l->lvt[0] = val;
	if ((old_mode == LAPIC_TIMER_TSC_DEADLINE) != (new_mode == LAPIC_TIMER_TSC_DEADLINE) ||
	    new_mode == 3) {
		l->timer_armed = false;
		l->tmict = 0;
		l->tsc_deadline = 0;
	}
}

static u64 lapic_guest_tsc(const struct lapic *l, u64 now_ns)
{
	if (l->cfg.read_tsc)
		return l->cfg.read_tsc(l->cfg.ctx);
	return lapic_mul_div(now_ns, l->cfg.tsc_khz, NSEC_PER_MSEC, false);
}

/* IA32_TSC_DEADLINE reads 0 outside TSC-deadline mode (SDM 11.5.4.1). */
u64 lapic_tsc_deadline_read(const struct lapic *l)
{
	if (lapic_timer_mode(l) != LAPIC_TIMER_TSC_DEADLINE)
		return 0;
	return l->tsc_deadline;
}

void lapic_tsc_deadline_write(struct lapic *l, u64 val)
{
	u64 now, tsc;

	/* Writes are ignored outside TSC-deadline mode; 0 disarms. */
	if (lapic_timer_mode(l) != LAPIC_TIMER_TSC_DEADLINE || !l->cfg.tsc_khz)
		return;
	l->tsc_deadline = val;
	l->timer_armed = val != 0;
	if (!val)
		return;
	now = irq_clock_now(&l->cfg.clock);
	tsc = lapic_guest_tsc(l, now);
	/* A deadline already in the past fires at once; round the wait up, never early. */
	if (val <= tsc) {
		l->timer_deadline_ns = now;
		lapic_timer_expired(l, now);
		return;
	}
	l->timer_deadline_ns = lapic_add_sat(now, lapic_mul_div(val - tsc, NSEC_PER_MSEC,
								l->cfg.tsc_khz, true));
}
