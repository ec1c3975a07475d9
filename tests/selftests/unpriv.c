// SPDX-License-Identifier: GPL-2.0
/*
 * unpriv: /dev/vtx is a root-only character device (mode 0600); an
 * unprivileged user cannot open it, root can.
 */
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "vtx_util.h"

#define NOBODY	65534

int main(void)
{
	struct stat st;
	int fd, status;
	pid_t pid;

	ksft_print_header();
	if (geteuid() != 0)
		ksft_exit_skip("must run as root");
	if (stat(VTX_DEVICE_PATH, &st))
		ksft_exit_skip("%s: %s", VTX_DEVICE_PATH, strerror(errno));
	ksft_set_plan(3);

	ksft_test_result(S_ISCHR(st.st_mode) && (st.st_mode & 07777) == 0600 &&
			 st.st_uid == 0, "%s is a char device, mode %04o (want 0600), uid %u",
			 VTX_DEVICE_PATH, st.st_mode & 07777, st.st_uid);

	fd = open(VTX_DEVICE_PATH, O_RDWR);
	ksft_test_result(fd >= 0, "root can open %s", VTX_DEVICE_PATH);
	if (fd >= 0)
		close(fd);

	fflush(stdout);
	pid = fork();
	TEST_ASSERT(pid >= 0, "fork");
	if (!pid) {
		/* child: drop every privilege, then try; report via exit code */
		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(3);
		fd = open(VTX_DEVICE_PATH, O_RDWR);
		if (fd >= 0)
			_exit(1);
		_exit(errno == EACCES || errno == EPERM ? 0 : 2);
	}
	TEST_ASSERT(waitpid(pid, &status, 0) == pid, "waitpid");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
		ksft_test_result_fail("child could not drop privileges");
	else
		ksft_test_result(WIFEXITED(status) && WEXITSTATUS(status) == 0,
				 "uid/gid %d cannot open %s (EACCES/EPERM; child status %#x)",
				 NOBODY, VTX_DEVICE_PATH, status);
	ksft_finished();
}
