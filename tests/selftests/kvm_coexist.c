// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_coexist: vtx and kvm_intel share the CPU's VMX operation politely.
 * - kvm_intel loaded but without VMs (6.1 does VMXON only while a VM exists):
 *   vtx can turn VMX on.
 * - a KVM VM with a vCPU exists: vtx refuses with EBUSY and says in the
 *   kernel log that kvm_intel holds VMX.
 * - the KVM VM is gone: vtx works again.
 * - vtx holds VMX: KVM_CREATE_VM fails (KVM sees CR4.VMXE, SDM 23.7: VMXON
 *   in VMX operation is not allowed) instead of silently sharing VMX.
 * - vtx released VMX: KVM works again.
 * Linux 6.12+ KVM turns VMX on when kvm_intel loads (kvm.enable_virt_at_load,
 * default 1): there vtx must refuse with EBUSY and name kvm_intel from the
 * start; the steps above then run with enable_virt_at_load=0.
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "vtx_util.h"

static const char *const kvm_mods[] = { "irqbypass", "kvm", "kvm_intel" };
static const char *const kvm_files[] = { "irqbypass.ko", "kvm.ko", "kvm-intel.ko" };
#define NR_KVM_MODS	3

/* A KVM VM with one vCPU: creating the VM makes 6.1 KVM do VMXON. */
struct kvm_holder {
	int kvm, vm, vcpu;
};

static int kvm_hold(struct kvm_holder *h)
{
	h->vm = h->vcpu = -1;
	h->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (h->kvm < 0)
		return -errno;
	h->vm = ioctl(h->kvm, KVM_CREATE_VM, 0);
	if (h->vm < 0)
		return -errno;
	h->vcpu = ioctl(h->vm, KVM_CREATE_VCPU, 0);
	if (h->vcpu < 0)
		return -errno;
	return 0;
}

static void kvm_release(struct kvm_holder *h)
{
	if (h->vcpu >= 0)
		close(h->vcpu);
	if (h->vm >= 0)
		close(h->vm);
	if (h->kvm >= 0)
		close(h->kvm);
}

/*
 * Child: hold a KVM VM; report the result on `ready`, then wait until the
 * parent closes `go` and exit (dropping the VM).
 */
static pid_t kvm_child_start(int *ready_fd, int *go_fd)
{
	int ready[2], go[2];
	pid_t pid;

	TEST_ASSERT(!pipe(ready) && !pipe(go), "pipe");
	fflush(stdout);
	pid = fork();
	TEST_ASSERT(pid >= 0, "fork");
	if (!pid) {
		struct kvm_holder h;
		int ret = kvm_hold(&h);
		char c;

		close(ready[0]);
		close(go[1]);
		if (write(ready[1], &ret, sizeof(ret)) != sizeof(ret))
			_exit(2);
		while (read(go[0], &c, 1) > 0)
			;
		kvm_release(&h);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	*ready_fd = ready[0];
	*go_fd = go[1];
	return pid;
}

static int enable_vmx(int *fd_out)
{
	int fd = vtx_open_dev();

	if (ioctl(fd, VTX_ENABLE_VMX, 0)) {
		int err = errno;

		close(fd);
		return -err;
	}
	*fd_out = fd;
	return 0;
}

static bool vmx_is_on(void)
{
	struct vtx_caps caps;

	vtx_read_caps(&caps);
	return caps.flags & VTX_CAPS_VMX_ON;
}

static const char *const needles[] = { "kvm_intel", NULL };

/* Load irqbypass, kvm (with @kvm_params) and kvm_intel, as modprobe would. */
static void kvm_load(const char *kvm_params)
{
	char path[128];
	int i, ret;

	for (i = 0; i < NR_KVM_MODS; i++) {
		if (module_loaded(kvm_mods[i]))
			continue;
		snprintf(path, sizeof(path), "%s/%s", VTX_KVM_DIR, kvm_files[i]);
		if (access(path, R_OK))
			ksft_exit_skip("%s: %s", path, strerror(errno));
		ret = module_load(path, i == 1 ? kvm_params : NULL);
		if (ret)
			ksft_exit_fail_msg("insmod %s: %s", path, strerror(-ret));
	}
}

/* rmmod kvm_intel, kvm, irqbypass; 0 or the first error. */
static int kvm_unload(void)
{
	int ret = 0, i;

	for (i = NR_KVM_MODS - 1; i >= 0; i--) {
		int err = module_loaded(kvm_mods[i]) ? module_unload(kvm_mods[i]) : 0;

		if (err)
			ksft_print_msg("rmmod %s: %s\n", kvm_mods[i], strerror(-err));
		ret = ret ?: err;
	}
	return ret;
}

/* While KVM holds VMX (@why), vtx refuses with EBUSY and names kvm_intel. */
static void expect_kvm_busy(const char *why)
{
	int ret, vtx, before, after;

	before = klog_count("vtx", needles);
	ret = enable_vmx(&vtx);
	after = klog_count("vtx", needles);
	if (!ret)
		close(vtx);
	ksft_test_result(ret == -EBUSY && !vmx_is_on(), "%s: VTX_ENABLE_VMX fails with EBUSY (got %s)",
			 why, ret ? strerror(-ret) : "success");
	ksft_test_result(after > before, "kernel log has a vtx line naming kvm_intel (%d -> %d)",
			 before, after);
}

int main(void)
{
	struct kvm_holder h;
	int ret, vtx, ready, go, child_ret = -1, status;
	bool at_load;
	pid_t pid;

	ksft_print_header();
	kvm_load(NULL);
	at_load = !access("/sys/module/kvm/parameters/enable_virt_at_load", F_OK);
	ksft_set_plan(9 + (at_load ? 3 : 0));
	if (at_load) {
		/* 6.12+: kvm_intel holds VMX from load on */
		expect_kvm_busy("kvm_intel loaded with enable_virt_at_load=1");
		ksft_test_result(!kvm_unload(), "rmmod kvm_intel kvm irqbypass");
		kvm_load("enable_virt_at_load=0");
	}

	/* 1: kvm_intel idle */
	ret = enable_vmx(&vtx);
	ksft_test_result(!ret && vmx_is_on(), "kvm_intel loaded and idle: VTX_ENABLE_VMX works (%s)",
			 strerror(-ret));
	if (!ret)
		close(vtx);
	ksft_test_result(!vmx_is_on(), "vtx released VMX");

	/* 2: KVM holds VMX */
	pid = kvm_child_start(&ready, &go);
	if (read(ready, &child_ret, sizeof(child_ret)) != sizeof(child_ret))
		child_ret = -EIO;
	ksft_test_result(child_ret == 0, "KVM client created a VM and a vCPU (%s)",
			 strerror(-child_ret));
	expect_kvm_busy("with a KVM VM alive");

	close(go);
	close(ready);
	TEST_ASSERT(waitpid(pid, &status, 0) == pid, "waitpid");
	TEST_ASSERT(WIFEXITED(status) && !WEXITSTATUS(status), "KVM child status %#x", status);

	/* 3: KVM gone, vtx works; KVM cannot VMXON under vtx */
	ret = enable_vmx(&vtx);
	ksft_test_result(!ret && vmx_is_on(), "after the KVM VM exits VTX_ENABLE_VMX works (%s)",
			 strerror(-ret));
	if (!ret) {
		int err = kvm_hold(&h);

		kvm_release(&h);
		ksft_test_result(err == -EBUSY, "while vtx holds VMX KVM_CREATE_VM fails (%s)",
				 err ? strerror(-err) : "success: KVM and vtx share VMX!");
		close(vtx);
	} else {
		ksft_test_result_fail("while vtx holds VMX KVM_CREATE_VM fails");
	}

	/* 4: vtx done, KVM works */
	ret = kvm_hold(&h);
	kvm_release(&h);
	ksft_test_result(!ret && !vmx_is_on(), "after vtx released VMX KVM creates a VM and vCPU (%s)",
			 strerror(-ret));

	/* leave the machine clean for later tests */
	ksft_test_result(!kvm_unload(), "rmmod kvm_intel kvm irqbypass");
	ksft_finished();
}
