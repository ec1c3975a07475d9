// SPDX-License-Identifier: GPL-2.0
/* The checkable guest sequence of many_vms and cpu_offline; see seq_guest.h. */
#include "seq_guest.h"
#include "ucall.h"

/* Runs in the guest and on the host: no libc. */
uint64_t seq_value(uint64_t seed, uint64_t round)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ull + round;
	int i;

	for (i = 0; i < 200; i++)
		x = x * 6364136223846793005ull + 1442695040888963407ull;
	return x;
}

void seq_guest_code(uint64_t seed, uint64_t nr_rounds)
{
	uint64_t r;

	for (r = 0; r < nr_rounds; r++)
		GUEST_SYNC2(r, seq_value(seed, r));
	GUEST_DONE();
}
