// SPDX-License-Identifier: GPL-2.0
/*
 * group: the "group=" module parameter. With group=GID the node is 0660 and
 * members of GID may open /dev/vtx, other unprivileged users may not.
 *
 * devtmpfs creates the node root:root (struct miscdevice has a mode but no
 * gid), so the admin's udev rule (KERNEL=="vtx", GROUP="...") or a chgrp gives
 * it the group; this test does the chgrp the way udev would. The module's own
 * open() check must hold even if the node mode is too wide: with the node made
 * 0666, a non-member is still refused (EPERM from vtx, not EACCES from the VFS).
 */
#include <fcntl.h>
#include <grp.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "vtx_util.h"

#define NOBODY		65534
#define VTX_GID		1234
#define ST_SETUP	3	/* child could not drop privileges */
#define ST_OPENED	10	/* child exit codes: open worked ... */
#define ST_EACCES	11	/* ... or failed with this errno */
#define ST_EPERM	12
#define ST_OTHER	13
#define ST_NO_IOCTL	14	/* opened, but VTX_GET_API_VERSION failed */

/* Fork; the child becomes uid/gid NOBODY with @ngroups supplementary groups, opens the node. */
static int open_as_nobody(const gid_t *groups, int ngroups)
{
	int fd, status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	TEST_ASSERT(pid >= 0, "fork");
	if (!pid) {
		if (setgroups(ngroups, groups) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(ST_SETUP);
		fd = open(VTX_DEVICE_PATH, O_RDWR);
		if (fd < 0)
			_exit(errno == EACCES ? ST_EACCES : errno == EPERM ? ST_EPERM : ST_OTHER);
		_exit(ioctl(fd, VTX_GET_API_VERSION, 0) == VTX_API_VERSION ? ST_OPENED
									  : ST_NO_IOCTL);
	}
	TEST_ASSERT(waitpid(pid, &status, 0) == pid, "waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static const char *child_result(int st)
{
	switch (st) {
	case ST_SETUP:		return "could not drop privileges";
	case ST_OPENED:		return "opened, ioctl works";
	case ST_EACCES:		return "EACCES";
	case ST_EPERM:		return "EPERM";
	case ST_OTHER:		return "other errno";
	case ST_NO_IOCTL:	return "opened, VTX_GET_API_VERSION failed";
	default:		return "killed";
	}
}

int main(void)
{
	const gid_t member[] = { VTX_GID };
	const gid_t other[] = { VTX_GID + 1 };
	struct stat st;
	int ret, res;

	ksft_print_header();
	if (geteuid() != 0)
		ksft_exit_skip("must run as root");
	if (access(VTX_MODULE_PATH, R_OK))
		ksft_exit_skip("%s: %s", VTX_MODULE_PATH, strerror(errno));
	ksft_set_plan(8);

	if (module_loaded("vtx")) {
		ret = module_unload("vtx");
		if (ret)
			ksft_exit_fail_msg("rmmod vtx: %s (refcnt %ld)", strerror(-ret),
					   module_refcnt("vtx"));
	}

	/* Not a gid: init refuses it instead of loading with a silently wrong policy. */
	ret = module_load(VTX_MODULE_PATH, "group=-2");
	ksft_test_result(ret == -EINVAL, "insmod group=-2 fails with EINVAL (got %s)",
			 ret ? strerror(-ret) : "success");
	if (!ret)
		module_unload("vtx");

	ret = module_load(VTX_MODULE_PATH, "group=1234");
	if (ret)
		ksft_exit_fail_msg("insmod vtx group=%d: %s", VTX_GID, strerror(-ret));

	TEST_ASSERT(!stat(VTX_DEVICE_PATH, &st), "stat %s", VTX_DEVICE_PATH);
	ksft_test_result(S_ISCHR(st.st_mode) && (st.st_mode & 07777) == 0660 && st.st_uid == 0,
			 "with group=%d %s is mode %04o (want 0660), uid %u", VTX_GID,
			 VTX_DEVICE_PATH, st.st_mode & 07777, st.st_uid);

	/* What udev's GROUP= does; devtmpfs cannot. */
	TEST_ASSERT(!chown(VTX_DEVICE_PATH, 0, VTX_GID), "chgrp %d %s", VTX_GID, VTX_DEVICE_PATH);

	res = open_as_nobody(member, 1);
	ksft_test_result(res == ST_OPENED, "uid %d in group %d can open %s and use it (%s)",
			 NOBODY, VTX_GID, VTX_DEVICE_PATH, child_result(res));

	res = open_as_nobody(other, 1);
	ksft_test_result(res == ST_EACCES, "uid %d in group %d only is refused by the node mode (%s)",
			 NOBODY, VTX_GID + 1, child_result(res));

	res = open_as_nobody(NULL, 0);
	ksft_test_result(res == ST_EACCES, "uid %d with no groups is refused (%s)", NOBODY,
			 child_result(res));

	/* A too-wide node mode must not widen access: vtx_dev_open checks the group itself. */
	TEST_ASSERT(!chmod(VTX_DEVICE_PATH, 0666), "chmod 0666 %s", VTX_DEVICE_PATH);
	res = open_as_nobody(other, 1);
	ksft_test_result(res == ST_EPERM, "node 0666: non-member still refused by vtx (%s)",
			 child_result(res));
	res = open_as_nobody(member, 1);
	ksft_test_result(res == ST_OPENED, "node 0666: member still allowed (%s)",
			 child_result(res));

	/* Back to the default: root only again, whatever the node says. */
	ret = module_unload("vtx");
	if (ret)
		ksft_exit_fail_msg("rmmod vtx: %s (refcnt %ld)", strerror(-ret),
				   module_refcnt("vtx"));
	ret = module_load(VTX_MODULE_PATH, NULL);
	if (ret)
		ksft_exit_fail_msg("insmod vtx: %s", strerror(-ret));
	TEST_ASSERT(!chown(VTX_DEVICE_PATH, 0, VTX_GID), "chgrp %d %s", VTX_GID, VTX_DEVICE_PATH);
	TEST_ASSERT(!chmod(VTX_DEVICE_PATH, 0666), "chmod 0666 %s", VTX_DEVICE_PATH);
	res = open_as_nobody(member, 1);
	ksft_test_result(res == ST_EPERM, "default group=-1, node 0666: group %d refused by vtx (%s)",
			 VTX_GID, child_result(res));
	ksft_finished();
}
