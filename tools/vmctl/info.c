// SPDX-License-Identifier: GPL-2.0
/* `vmctl info [--json]`: what vtx.ko found on this machine. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "vmctl.h"
#include "args.h"
#include "info_fmt.h"

int cmd_info(int argc, char **argv)
{
	struct vmctl_info_opts opts;
	struct vtx_caps caps;
	int fd;

	if (args_parse_info(argc, argv, &opts, stderr))
		return VMCTL_EXIT_USAGE;
	fd = vtx_dev_open();
	if (fd < 0)
		return -fd;
	memset(&caps, 0, sizeof(caps));
	if (ioctl(fd, VTX_GET_CAPS, &caps) < 0) {
		fprintf(stderr, "vmctl: VTX_GET_CAPS: %s\n", strerror(errno));
		close(fd);
		return VMCTL_EXIT_HOST;
	}
	close(fd);
	if (opts.json)
		info_print_json(stdout, &caps, caps.api_version);
	else
		info_print_text(stdout, &caps, caps.api_version);
	if (fflush(stdout)) {
		fprintf(stderr, "vmctl: writing output: %s\n", strerror(errno));
		return VMCTL_EXIT_HOST;
	}
	return VMCTL_EXIT_OK;
}
