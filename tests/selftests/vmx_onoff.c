// SPDX-License-Identifier: GPL-2.0
/*
 * vmx_onoff: VMX operation is refcounted by its holders (VTX_ENABLE_VMX fds
 * and VMs): on for the first, on every online CPU, off after the last.
 * Also the device's ioctl error contract (ENOTTY, EFAULT).
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "vtx_util.h"

static unsigned int ncpus;

/* One TAP result: VMX state as expected (on/off, CPUs, users)? */
static void check_state(int fd, bool on, unsigned int users, const char *what)
{
	struct vtx_caps caps;
	unsigned int want_cpus = on ? ncpus : 0;

	if (vtx_get_caps(fd, &caps)) {
		ksft_test_result_fail("%s: VTX_GET_CAPS errno %d", what, errno);
		return;
	}
	if (!!(caps.flags & VTX_CAPS_VMX_ON) != on || caps.vmx_on_cpus != want_cpus ||
	    caps.users != users || caps.online_cpus != ncpus) {
		ksft_print_msg("flags %#x vmx_on_cpus %u users %u online_cpus %u;"
			       " want VMX %s, %u CPUs, %u users, %u online\n",
			       caps.flags, caps.vmx_on_cpus, caps.users, caps.online_cpus,
			       on ? "on" : "off", want_cpus, users, ncpus);
		ksft_test_result_fail("%s", what);
		return;
	}
	ksft_test_result_pass("%s", what);
}

static void expect_errno(int ret, int err, const char *what)
{
	if (ret == -1 && errno == err) {
		ksft_test_result_pass("%s", what);
		return;
	}
	ksft_print_msg("%s: ret %d errno %d (%s), want -1 errno %d (%s)\n", what, ret,
		       errno, strerror(errno), err, strerror(err));
	ksft_test_result_fail("%s", what);
}

int main(void)
{
	struct vtx_caps caps;
	int fd0, fd1, fd2, vm, ret;
	void *noaccess;

	ksft_print_header();
	ncpus = online_cpus();
	fd0 = vtx_open_dev();
	ksft_set_plan(16);

	ret = ioctl(fd0, VTX_GET_API_VERSION, 0);
	ksft_test_result(ret == VTX_API_VERSION, "VTX_GET_API_VERSION %d == %d", ret,
			 VTX_API_VERSION);
	ret = vtx_get_caps(fd0, &caps);
	ksft_test_result(!ret && caps.api_version == VTX_API_VERSION &&
			 (caps.features & VTX_FEAT_REQUIRED) == VTX_FEAT_REQUIRED,
			 "caps: api_version %u, required features present (%#llx)",
			 caps.api_version, (unsigned long long)caps.features);
	check_state(fd0, false, 0, "VMX off, no users at start");

	fd1 = vtx_open_dev();
	fd2 = vtx_open_dev();
	ksft_test_result(ioctl(fd1, VTX_ENABLE_VMX, 0) == 0, "VTX_ENABLE_VMX on fd1");
	check_state(fd0, true, 1, "VMX on in every online CPU, 1 user");
	ksft_test_result(ioctl(fd2, VTX_ENABLE_VMX, 0) == 0, "VTX_ENABLE_VMX on fd2");
	check_state(fd0, true, 2, "2 users");
	close(fd1);
	check_state(fd0, true, 1, "closing fd1 keeps VMX on, 1 user");
	close(fd2);
	check_state(fd0, false, 0, "closing the last holder turns VMX off everywhere");

	/* VTX_DISABLE_VMX releases without close. */
	fd1 = vtx_open_dev();
	ret = ioctl(fd1, VTX_ENABLE_VMX, 0);
	ret = ret ?: ioctl(fd1, VTX_DISABLE_VMX, 0);
	TEST_ASSERT(vtx_get_caps(fd0, &caps) == 0, "VTX_GET_CAPS");
	ksft_test_result(!ret && !(caps.flags & VTX_CAPS_VMX_ON) && caps.users == 0,
			 "VTX_ENABLE_VMX then VTX_DISABLE_VMX: off (users %u)", caps.users);
	close(fd1);

	/* A VM holds VMX on by itself. */
	vm = ioctl(fd0, VTX_CREATE_VM, 0);
	if (vm >= 0) {
		check_state(fd0, true, 1, "a VM holds VMX on");
		close(vm);
		check_state(fd0, false, 0, "closing the VM turns VMX off");
	} else {
		ksft_test_result_fail("VTX_CREATE_VM errno %d", errno);
		ksft_test_result_fail("closing the VM turns VMX off");
	}

	/* The ioctl error contract. */
	expect_errno(ioctl(fd0, _IO(VTX_IOC_MAGIC, 0x7f), 0), ENOTTY,
		     "unknown vtx ioctl -> ENOTTY");
	expect_errno(ioctl(fd0, _IOR('K', 0x01, struct vtx_caps), &caps), ENOTTY,
		     "foreign ioctl magic -> ENOTTY");
	expect_errno(ioctl(fd0, VTX_GET_CAPS, NULL), EFAULT, "VTX_GET_CAPS(NULL) -> EFAULT");
	noaccess = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(noaccess != MAP_FAILED, "mmap");
	ret = ioctl(fd0, VTX_GET_CAPS, noaccess);
	if (ret == -1 && errno == EFAULT)
		ret = ioctl(fd0, VTX_GET_CAPS, (void *)0xffff888000000000ull);
	expect_errno(ret, EFAULT, "VTX_GET_CAPS(PROT_NONE page / kernel address) -> EFAULT");

	close(fd0);
	ksft_finished();
}
