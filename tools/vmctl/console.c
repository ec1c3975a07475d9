// SPDX-License-Identifier: GPL-2.0
/* Guest serial console on the host terminal (see console.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "console.h"

static struct termios console_saved_tty;
static volatile sig_atomic_t console_tty_raw;

void console_restore_tty(void)
{
	if (console_tty_raw) {
		tcsetattr(STDIN_FILENO, TCSANOW, &console_saved_tty);
		console_tty_raw = 0;
	}
}

/* Fatal signals: put the terminal back, then die of the same signal. */
static void console_signal(int sig)
{
	console_restore_tty();
	raise(sig);		/* SA_RESETHAND made the action default again */
}

static void console_raw_tty(void)
{
	static const int sigs[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGSEGV,
				    SIGABRT };
	struct sigaction sa;
	struct termios t;
	unsigned int i;

	if (tcgetattr(STDIN_FILENO, &console_saved_tty))
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = console_signal;
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	atexit(console_restore_tty);
	t = console_saved_tty;
	/* Keys go to the guest (Ctrl-C too); output post-processing stays on. */
	t.c_lflag &= ~(ICANON | ECHO | ISIG | IEXTEN);
	t.c_iflag &= ~(IXON | ICRNL | INLCR | IGNCR | BRKINT | ISTRIP);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (!tcsetattr(STDIN_FILENO, TCSANOW, &t))
		console_tty_raw = 1;
}

void console_init(struct console *c, struct vmctl_stop *stop)
{
	memset(c, 0, sizeof(*c));
	c->out_fd = -1;
	c->in_fd = -1;
	c->pending = -1;
	c->stop = stop;
}

int console_open(struct console *c, const char *path)
{
	if (path) {
		c->out_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (c->out_fd < 0) {
			int e = errno;

			fprintf(stderr, "vmctl: --serial file:%s: %s\n", path, strerror(e));
			return -e;
		}
	} else {
		c->out_fd = STDOUT_FILENO;
	}
	c->in_fd = STDIN_FILENO;
	if (isatty(STDIN_FILENO)) {
		c->escapes = true;
		console_raw_tty();
	}
	return 0;
}

void console_close(struct console *c)
{
	console_restore_tty();
	if (c->out_fd > STDERR_FILENO)
		close(c->out_fd);
	c->out_fd = -1;
}

int console_feed(struct console *c, u8 in, u8 out[2])
{
	if (!c->escapes)
		goto plain;
	if (!c->in_escape) {
		if (in == CONSOLE_ESCAPE) {
			c->in_escape = true;
			return 0;
		}
		goto plain;
	}
	c->in_escape = false;
	switch (in) {
	case 'x':
	case 'X':
		vmctl_request_stop(c->stop, VMCTL_EXIT_OK);
		return 0;
	case CONSOLE_ESCAPE:
		goto plain;
	default:
		/* Not a command: the guest gets both keys. */
		out[0] = CONSOLE_ESCAPE;
		out[1] = in;
		return 2;
	}
plain:
	out[0] = in;
	return 1;
}

void console_tx(void *opaque, u8 ch)
{
	struct console *c = opaque;

	while (c->out_fd >= 0 && write(c->out_fd, &ch, 1) < 0) {
		if (errno != EINTR && errno != EAGAIN) {
			c->out_fd = -1;		/* output gone: drop, keep running */
			break;
		}
	}
}

int console_rx_poll(void *opaque)
{
	struct console *c = opaque;
	struct pollfd pfd;
	u8 in, out[2];
	int n;

	if (c->pending >= 0) {
		n = c->pending;
		c->pending = -1;
		return n;
	}
	while (c->in_fd >= 0) {
		pfd.fd = c->in_fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 0) <= 0)
			return -1;
		n = read(c->in_fd, &in, 1);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			return -1;
		if (n <= 0) {
			c->in_fd = -1;		/* EOF or error: no more input */
			return -1;
		}
		n = console_feed(c, in, out);
		if (n == 2)
			c->pending = out[1];
		if (n)
			return out[0];
	}
	return -1;
}
