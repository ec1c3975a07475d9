// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include "ucall.h"
#include "shutdown_guest.h"

void guest_triple_fault(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) empty = { 0, 0 };

	asm volatile("lidt %0; ud2" : : "m"(empty) : "memory");
	GUEST_DONE();	/* not reached */
}

void guest_sync42_done(void)
{
	GUEST_SYNC(42);
	GUEST_DONE();
}
