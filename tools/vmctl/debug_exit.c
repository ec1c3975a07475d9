// SPDX-License-Identifier: GPL-2.0
/* Debug exit port 0xf4: the guest's way to end a test with a status. */
#include <string.h>
#include "debug_exit.h"

int debug_exit_status(u32 v)
{
	return ((v << 1) | 1) & 0xff;
}

void debug_exit_init(struct debug_exit *d, struct vmctl_stop *stop)
{
	memset(d, 0, sizeof(*d));
	d->stop = stop;
}

/* Reading the port means nothing: all ones, like an empty ISA slot. */
u32 debug_exit_io_in(void *opaque, u16 port, u8 size)
{
	(void)opaque;
	(void)port;
	(void)size;
	return 0xffffffffU;
}

void debug_exit_io_out(void *opaque, u16 port, u8 size, u32 val)
{
	struct debug_exit *d = opaque;

	(void)port;
	(void)size;		/* the bus already masked @val to @size bytes */
	if (d->written)
		return;
	d->written = true;
	d->value = val;
	vmctl_request_stop(d->stop, debug_exit_status(val));
}
