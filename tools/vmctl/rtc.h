/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CMOS RTC (MC146818) at 0x70 (index; bit 7 is the NMI mask and is not
 * part of the index) and 0x71 (data). The clock registers read the host's
 * UTC time when read, in BCD unless status B bit 2 (DM) is set and in 24h
 * form when status B bit 1 is set (else 12h with bit 7 = PM). Time writes
 * are ignored (the guest cannot set the host clock); the NVRAM bytes from
 * 0x0e are stored. Memory size bytes follow the PC BIOS convention.
 */
#ifndef _VMCTL_RTC_H
#define _VMCTL_RTC_H

#include <time.h>
#include "vmctl.h"

#define RTC_PORT_INDEX		0x70
#define RTC_PORT_DATA		0x71
#define RTC_NR_PORTS		2

#define RTC_SECONDS		0x00
#define RTC_MINUTES		0x02
#define RTC_HOURS		0x04
#define RTC_DAY_OF_WEEK		0x06
#define RTC_DAY_OF_MONTH	0x07
#define RTC_MONTH		0x08
#define RTC_YEAR		0x09
#define RTC_REG_A		0x0a
#define RTC_REG_B		0x0b
#define RTC_REG_C		0x0c
#define RTC_REG_D		0x0d
#define RTC_BASE_MEM_LO		0x15	/* KiB below 1 MiB */
#define RTC_EXT_MEM_LO		0x17	/* KiB above 1 MiB, at most 0xffff */
#define RTC_EXT_MEM2_LO		0x30	/* same, as the BIOS POST saw it */
#define RTC_CENTURY		0x32	/* FADT.CENTURY points here */
#define RTC_MEM_16M_LO		0x34	/* 64 KiB units above 16 MiB, below 4 GiB */
#define RTC_MEM_4G_LO		0x5b	/* 64 KiB units above 4 GiB (3 bytes) */
#define RTC_NR_REGS		128

#define RTC_A_UIP		BIT(7)
#define RTC_B_24H		BIT(1)
#define RTC_B_DM_BINARY		BIT(2)
#define RTC_D_VRT		BIT(7)

struct rtc {
	u8 index;
	u8 cmos[RTC_NR_REGS];
	/* Seconds since the epoch; time() outside tests. */
	time_t (*now)(void *ctx);
	void *now_ctx;
};

void rtc_init(struct rtc *r, u64 ram_size, time_t (*now)(void *ctx), void *now_ctx);
u8 rtc_read(struct rtc *r, u8 reg);
void rtc_write(struct rtc *r, u8 reg, u8 val);
u32 rtc_io_in(void *opaque, u16 port, u8 size);
void rtc_io_out(void *opaque, u16 port, u8 size, u32 val);

#endif /* _VMCTL_RTC_H */
