/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the LAPIC unit tests (test_lapic.c, test_lapic_timer.c): the
 * LAPIC under test, the fake clock its config points at (now, in ns), and
 * MMIO accessors that assert the access is accepted. Header-only, so it
 * needs no unit-sources entry; the tests that include it link
 * kmod/irq/lapic.c.
 */
#ifndef VTX_UNIT_LAPIC_CTX_H
#define VTX_UNIT_LAPIC_CTX_H

#include "ktypes.h"
#include "irq/lapic.h"

static u64 now;
static struct lapic l;

/* lapic_config.clock.now_ns */
static inline u64 fake_now(void *ctx)
{
	(void)ctx;
	return now;
}

static inline u32 rd(u32 off)
{
	u32 v = 0xdeadbeef;

	assert_int_equal(lapic_mmio_read(&l, off, &v), 0);
	return v;
}

static inline void wr(u32 off, u32 v)
{
	assert_int_equal(lapic_mmio_write(&l, off, v), 0);
}

#endif /* VTX_UNIT_LAPIC_CTX_H */
