// SPDX-License-Identifier: GPL-2.0
/*
 * Opening /dev/vtx: every failure is turned into one actionable line and
 * VMCTL_EXIT_HOST, because "No such file or directory" does not tell a user
 * that the module is not loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "vmctl.h"

/* Returns an fd with a matching API version, or -VMCTL_EXIT_HOST. */
int vtx_dev_open(void)
{
	int fd, ver;

	fd = open(VTX_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		if (e == ENOENT || e == ENODEV || e == ENXIO)
			fprintf(stderr,
				"vmctl: %s: vtx.ko is not loaded: run 'insmod vtx.ko' (or 'modprobe vtx' after 'make install')\n",
				VTX_DEVICE_PATH);
		else if (e == EACCES || e == EPERM)
			fprintf(stderr,
				"vmctl: %s: permission denied: run as root, or load vtx with group=<gid> and add yourself to that group\n",
				VTX_DEVICE_PATH);
		else
			fprintf(stderr, "vmctl: %s: %s\n", VTX_DEVICE_PATH, strerror(e));
		return -VMCTL_EXIT_HOST;
	}
	ver = ioctl(fd, VTX_GET_API_VERSION, 0);
	if (ver < 0) {
		fprintf(stderr, "vmctl: VTX_GET_API_VERSION: %s (is %s really vtx?)\n",
			strerror(errno), VTX_DEVICE_PATH);
		close(fd);
		return -VMCTL_EXIT_HOST;
	}
	if (ver != VTX_API_VERSION) {
		fprintf(stderr,
			"vmctl: vtx API version mismatch: the loaded vtx.ko speaks %d, this vmctl was built for %d: rebuild both from one tree\n",
			ver, VTX_API_VERSION);
		close(fd);
		return -VMCTL_EXIT_HOST;
	}
	return fd;
}
