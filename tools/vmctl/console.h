/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host side of the guest serial port: output to stdout or a file,
 * input from stdin. On a terminal stdin goes to raw mode (restored on every
 * exit path, signals included) and Ctrl-A is the escape key: Ctrl-A x quits
 * vmctl with exit 0, Ctrl-A Ctrl-A sends one Ctrl-A to the guest.
 */
#ifndef _VMCTL_CONSOLE_H
#define _VMCTL_CONSOLE_H

#include "vmctl.h"

#define CONSOLE_ESCAPE		0x01	/* Ctrl-A */

struct console {
	int out_fd;
	int in_fd;		/* -1: no input (EOF seen or none) */
	bool escapes;		/* Ctrl-A handling: on when stdin is a terminal */
	bool in_escape;		/* Ctrl-A seen, waiting for the command key */
	int pending;		/* a second byte for the guest, or -1 */
	struct vmctl_stop *stop;
};

void console_init(struct console *c, struct vmctl_stop *stop);
/* @path NULL: stdout. Returns 0 or -errno with a message printed. */
int console_open(struct console *c, const char *path);
void console_close(struct console *c);
/* Escape state machine: bytes for the guest in @out, returns their count. */
int console_feed(struct console *c, u8 in, u8 out[2]);
/* uart16550 host callbacks */
void console_tx(void *opaque, u8 ch);
int console_rx_poll(void *opaque);
/* Put the terminal back (idempotent, async-signal-safe). */
void console_restore_tty(void);

#endif /* _VMCTL_CONSOLE_H */
