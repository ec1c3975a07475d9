/* SPDX-License-Identifier: GPL-2.0 */
/* COM1 output for the freestanding test guests (32- and 64-bit). */
#ifndef _GUEST_SERIAL_H
#define _GUEST_SERIAL_H

#define COM1		0x3f8
#define COM1_LSR	(COM1 + 5)
#define LSR_THRE	0x20

static inline void outb(unsigned short port, unsigned char val)
{
	asm volatile("outb %0, %1" : : "a"(val), "Nd"(port));
}

static inline unsigned char inb(unsigned short port)
{
	unsigned char val;

	asm volatile("inb %1, %0" : "=a"(val) : "Nd"(port));
	return val;
}

static inline void serial_putc(char c)
{
	while (!(inb(COM1_LSR) & LSR_THRE))
		;
	outb(COM1, c);
}

static inline void serial_puts(const char *s)
{
	while (*s)
		serial_putc(*s++);
}

#endif /* _GUEST_SERIAL_H */
