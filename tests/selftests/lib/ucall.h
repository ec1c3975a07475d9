/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ucall: guest-to-host calls of the vtx selftests, as in KVM's selftests.
 * The guest builds a struct ucall on its stack and writes its address (a
 * guest-virtual = guest-physical address below 4 GiB) to UCALL_PORT with one
 * 32-bit OUT; the host sees a VTX_EXIT_IO and reads the struct from guest
 * memory. Strings (expressions, file names) are pointers into the test
 * binary, which the host has mapped at the same address.
 */
#ifndef VTX_SELFTEST_UCALL_H
#define VTX_SELFTEST_UCALL_H

#include <stdint.h>

#define UCALL_PORT	0xe0
#define UCALL_MAX_ARGS	6

enum ucall_cmd {
	UCALL_NONE,		/* not a ucall exit */
	UCALL_SYNC,		/* args[0..]: GUEST_SYNC values */
	UCALL_ASSERT,		/* expr, file, line, a, b */
	UCALL_DONE,
	UCALL_UNHANDLED,	/* unexpected exception: vector, rip, error code */
};

struct ucall {
	uint64_t cmd;
	uint64_t args[UCALL_MAX_ARGS];
};

/* guest side */
void ucall(uint64_t cmd, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);

#define GUEST_SYNC(v)		ucall(UCALL_SYNC, (uint64_t)(v), 0, 0, 0, 0)
#define GUEST_SYNC2(v, w)	ucall(UCALL_SYNC, (uint64_t)(v), (uint64_t)(w), 0, 0, 0)
#define GUEST_DONE()		ucall(UCALL_DONE, 0, 0, 0, 0, 0)

#define GUEST_ASSERT(cond) do {							\
	if (!(cond))								\
		ucall(UCALL_ASSERT, (uint64_t)#cond, (uint64_t)__FILE__,	\
		      __LINE__, 0, 0);						\
} while (0)

/* Reports both values; the host prints them in hex. */
#define GUEST_ASSERT_EQ(a, b) do {						\
	uint64_t __a = (uint64_t)(a), __b = (uint64_t)(b);			\
	if (__a != __b)								\
		ucall(UCALL_ASSERT, (uint64_t)(#a " == " #b),			\
		      (uint64_t)__FILE__, __LINE__, __a, __b);			\
} while (0)

#endif /* VTX_SELFTEST_UCALL_H */
