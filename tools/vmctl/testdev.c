// SPDX-License-Identifier: GPL-2.0
/* QEMU's pc-testdev: scratch register, IRQ lines, MMIO memory (testdev.h). */
#include <string.h>
#include "testdev.h"

void testdev_init(struct testdev *t, void (*set_irq)(void *ctx, unsigned int line, int level),
		  void *irq_ctx)
{
	memset(t, 0, sizeof(*t));
	t->set_irq = set_irq;
	t->irq_ctx = irq_ctx;
}

/* Byte @i of the register, for the bytes an access at @off of @size covers. */
static bool testdev_scratch_byte(u16 off, u8 size, unsigned int i)
{
	return off + i < 4 && i < size;
}

u32 testdev_io_in(void *opaque, u16 port, u8 size)
{
	struct testdev *t = opaque;
	u16 off = (port - TESTDEV_PORT_BASE) & 3;
	u32 v = 0;
	unsigned int i;

	if (port >= TESTDEV_PORT_FLUSH && port < TESTDEV_PORT_IO_BYTE)
		return 0;
	for (i = 0; i < 4; i++)
		if (testdev_scratch_byte(off, size, i))
			v |= ((t->scratch >> (8 * (off + i))) & 0xff) << (8 * i);
	return v;
}

void testdev_io_out(void *opaque, u16 port, u8 size, u32 val)
{
	struct testdev *t = opaque;
	u16 off = (port - TESTDEV_PORT_BASE) & 3;
	unsigned int i;

	if (port >= TESTDEV_PORT_FLUSH && port < TESTDEV_PORT_IO_BYTE)
		return;		/* flush page: nothing is cached here */
	for (i = 0; i < 4; i++) {
		unsigned int shift = 8 * (off + i);

		if (!testdev_scratch_byte(off, size, i))
			continue;
		t->scratch = (t->scratch & ~(0xffU << shift)) |
			     ((val >> (8 * i)) & 0xff) << shift;
	}
}

u32 testdev_irq_in(void *opaque, u16 port, u8 size)
{
	(void)opaque;
	(void)port;
	(void)size;
	return 0;
}

/* Byte writes only, as QEMU's (valid access size 1); wider ones are ignored. */
void testdev_irq_out(void *opaque, u16 port, u8 size, u32 val)
{
	struct testdev *t = opaque;

	if (size != 1 || !t->set_irq)
		return;
	t->set_irq(t->irq_ctx, port - TESTDEV_IRQ_BASE, !!(val & 0xff));
}

int testdev_mmio(struct testdev *t, u64 gpa, bool is_write, u32 len, u8 *data)
{
	u64 off = gpa - TESTDEV_MMIO_BASE;

	if (gpa < TESTDEV_MMIO_BASE || off >= TESTDEV_MMIO_SIZE)
		return 1;
	if (!is_write)
		memset(data, 0, len);
	if (len > TESTDEV_MMIO_SIZE - off)	/* the tail past the end: reads 0 */
		len = TESTDEV_MMIO_SIZE - off;
	if (is_write)
		memcpy(t->iomem + off, data, len);
	else
		memcpy(data, t->iomem + off, len);
	return 0;
}
