// SPDX-License-Identifier: GPL-2.0
/* CMOS RTC and NVRAM at ports 0x70/0x71, clock taken from the host. */
#include <string.h>
#include "rtc.h"

static time_t rtc_host_now(void *ctx)
{
	(void)ctx;
	return time(NULL);
}

static void rtc_put16(u8 *cmos, u8 reg, u64 val)
{
	if (val > 0xffff)
		val = 0xffff;
	cmos[reg] = val;
	cmos[reg + 1] = val >> 8;
}

/* The APIC window [VTX_IOAPIC_GPA, 4 GiB) is not memory (multiboot.h's map). */
#define RTC_APIC_WINDOW		VTX_IOAPIC_GPA
#define RTC_1M			(1ULL << 20)
#define RTC_16M			(16ULL << 20)
#define RTC_4G			(1ULL << 32)

void rtc_init(struct rtc *r, u64 ram_size, time_t (*now)(void *ctx), void *now_ctx)
{
	u64 below_4g = ram_size < RTC_APIC_WINDOW ? ram_size : RTC_APIC_WINDOW;
	u64 above_4g = ram_size > RTC_4G ? ram_size - RTC_4G : 0;
	u64 ext = below_4g > RTC_1M ? (below_4g - RTC_1M) >> 10 : 0;

	memset(r, 0, sizeof(*r));
	r->now = now ? now : rtc_host_now;
	r->now_ctx = now_ctx;
	r->cmos[RTC_REG_A] = 0x26;		/* 32.768 kHz divider, 1024 Hz rate */
	r->cmos[RTC_REG_B] = RTC_B_24H;		/* BCD, 24h, no interrupts */
	r->cmos[RTC_REG_D] = RTC_D_VRT;		/* battery good */
	rtc_put16(r->cmos, RTC_BASE_MEM_LO, 640);
	rtc_put16(r->cmos, RTC_EXT_MEM_LO, ext);
	rtc_put16(r->cmos, RTC_EXT_MEM2_LO, ext);
	rtc_put16(r->cmos, RTC_MEM_16M_LO, below_4g > RTC_16M ? (below_4g - RTC_16M) >> 16 : 0);
	r->cmos[RTC_MEM_4G_LO] = above_4g >> 16;
	r->cmos[RTC_MEM_4G_LO + 1] = above_4g >> 24;
	r->cmos[RTC_MEM_4G_LO + 2] = above_4g >> 32;
}

static u8 rtc_encode(const struct rtc *r, unsigned int v)
{
	if (r->cmos[RTC_REG_B] & RTC_B_DM_BINARY)
		return v;
	return ((v / 10) << 4) | (v % 10);
}

static u8 rtc_hours(const struct rtc *r, int h)
{
	unsigned int h12;

	if (r->cmos[RTC_REG_B] & RTC_B_24H)
		return rtc_encode(r, h);
	h12 = h % 12 ? h % 12 : 12;
	return rtc_encode(r, h12) | (h >= 12 ? 0x80 : 0);
}

/* The clock is read afresh every time: never "updating", so UIP stays 0. */
static u8 rtc_clock(struct rtc *r, u8 reg)
{
	time_t t = r->now(r->now_ctx);
	struct tm tm;

	if (!gmtime_r(&t, &tm))
		memset(&tm, 0, sizeof(tm));
	switch (reg) {
	case RTC_SECONDS:
		return rtc_encode(r, tm.tm_sec > 59 ? 59 : tm.tm_sec);
	case RTC_MINUTES:
		return rtc_encode(r, tm.tm_min);
	case RTC_HOURS:
		return rtc_hours(r, tm.tm_hour);
	case RTC_DAY_OF_WEEK:
		return rtc_encode(r, tm.tm_wday + 1);	/* 1 = Sunday */
	case RTC_DAY_OF_MONTH:
		return rtc_encode(r, tm.tm_mday);
	case RTC_MONTH:
		return rtc_encode(r, tm.tm_mon + 1);
	case RTC_YEAR:
		return rtc_encode(r, (tm.tm_year + 1900) % 100);
	default:	/* RTC_CENTURY */
		return rtc_encode(r, (tm.tm_year + 1900) / 100);
	}
}

u8 rtc_read(struct rtc *r, u8 reg)
{
	reg &= RTC_NR_REGS - 1;
	switch (reg) {
	case RTC_SECONDS: case RTC_MINUTES: case RTC_HOURS: case RTC_DAY_OF_WEEK:
	case RTC_DAY_OF_MONTH: case RTC_MONTH: case RTC_YEAR: case RTC_CENTURY:
		return rtc_clock(r, reg);
	case RTC_REG_A:
		return r->cmos[reg] & ~RTC_A_UIP;
	case RTC_REG_C:
		return 0;	/* no interrupt flags: vmctl raises no RTC IRQ */
	default:
		return r->cmos[reg];
	}
}

void rtc_write(struct rtc *r, u8 reg, u8 val)
{
	reg &= RTC_NR_REGS - 1;
	switch (reg) {
	case RTC_SECONDS: case RTC_MINUTES: case RTC_HOURS: case RTC_DAY_OF_WEEK:
	case RTC_DAY_OF_MONTH: case RTC_MONTH: case RTC_YEAR: case RTC_CENTURY:
	case RTC_REG_C: case RTC_REG_D:
		break;		/* host clock / read-only status */
	case RTC_REG_A:
		r->cmos[reg] = val & ~RTC_A_UIP;
		break;
	default:		/* alarms, status B, NVRAM */
		r->cmos[reg] = val;
	}
}

u32 rtc_io_in(void *opaque, u16 port, u8 size)
{
	struct rtc *r = opaque;

	(void)size;
	if (port == RTC_PORT_INDEX)
		return 0xff;	/* the index register is write-only */
	return rtc_read(r, r->index);
}

void rtc_io_out(void *opaque, u16 port, u8 size, u32 val)
{
	struct rtc *r = opaque;

	(void)size;
	if (port == RTC_PORT_INDEX)
		r->index = val & 0x7f;	/* bit 7 masks NMI, not part of the index */
	else
		rtc_write(r, r->index, val);
}
