// SPDX-License-Identifier: GPL-2.0
/*
 * Code that runs inside guests of the vtx selftests: ucall, exception
 * routing, and the string functions the compiler may call. No libc here:
 * libc's memcpy & co. were selected for the host CPU (ifunc) and may use
 * AVX, which guest code cannot assume.
 */
#include <stddef.h>
#include "processor.h"
#include "ucall.h"
#include "vm.h"

guest_handler_t guest_handlers[256];

void ucall(uint64_t cmd, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	volatile struct ucall uc = {
		.cmd = cmd,
		.args = { a0, a1, a2, a3, a4 },
	};

	outl(UCALL_PORT, (uint32_t)(uintptr_t)&uc);
}

/* Called by lib/exception.S for every exception in the guest. */
void route_exception(struct ex_regs *regs);
void route_exception(struct ex_regs *regs)
{
	guest_handler_t handler = guest_handlers[regs->vector & 0xff];

	/* rdmsr_safe() & co.: skip the instruction, return the vector in r9 */
	if (regs->r9 == GUEST_FIXUP_MAGIC && regs->rip == regs->r10) {
		regs->rip = regs->r11;
		regs->r9 = regs->vector;
		return;
	}
	if (handler) {
		handler(regs);
		return;
	}
	for (;;)
		ucall(UCALL_UNHANDLED, regs->vector, regs->rip, regs->error_code, get_cr2(), 0);
}

/* Where guest_code returns to (pushed on the initial guest stack). */
void guest_code_returned(void)
{
	for (;;)
		GUEST_DONE();
}

/*
 * Simple string functions that override libc's in these static programs;
 * they serve host and guest alike.
 */
void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}
