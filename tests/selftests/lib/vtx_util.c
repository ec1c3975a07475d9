// SPDX-License-Identifier: GPL-2.0
/* Host-side helpers for the vtx selftests; see vtx_util.h. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <unistd.h>
#include "vtx_util.h"

int vtx_open_dev(void)
{
	int fd = open(VTX_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT)
		ksft_exit_skip("%s does not exist (vtx.ko not loaded?)", VTX_DEVICE_PATH);
	TEST_ASSERT(fd >= 0, "open %s", VTX_DEVICE_PATH);
	return fd;
}

int vtx_get_caps(int fd, struct vtx_caps *caps)
{
	memset(caps, 0xa5, sizeof(*caps));
	return ioctl(fd, VTX_GET_CAPS, caps);
}

void vtx_read_caps(struct vtx_caps *caps)
{
	int fd = vtx_open_dev();

	TEST_ASSERT(vtx_get_caps(fd, caps) == 0, "VTX_GET_CAPS");
	close(fd);
}

unsigned int online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned int)n : 1;
}

int cpu_set_online(int cpu, bool online)
{
	char path[64];
	int fd, ok;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	ok = write(fd, online ? "1" : "0", 1) == 1;
	close(fd);
	return ok ? 0 : -errno;
}

bool module_loaded(const char *name)
{
	char line[512];
	size_t len = strlen(name);
	bool found = false;
	FILE *f = fopen("/proc/modules", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, name, len) && line[len] == ' ') {
			found = true;
			break;
		}
	}
	fclose(f);
	return found;
}

int module_load(const char *path, const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params ? params : "", 0);
	ret = ret ? -errno : 0;
	close(fd);
	return ret;
}

int module_unload(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

/* The number in a sysfs file, or -1. */
static long sysfs_long(const char *path)
{
	long val = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &val) != 1)
		val = -1;
	fclose(f);
	return val;
}

long module_refcnt(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s/refcnt", name);
	return sysfs_long(path);
}

long meminfo_kib(const char *field)
{
	char line[256];
	size_t len = strlen(field);
	long val = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, field, len) && line[len] == ':') {
			val = strtol(line + len + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return val;
}

/* Message text of one klogctl line: skip "<level>" and "[ time] ". */
static const char *klog_message(const char *line)
{
	if (*line == '<') {
		const char *p = strchr(line, '>');

		if (p)
			line = p + 1;
	}
	if (*line == '[') {
		const char *p = strchr(line, ']');

		if (p)
			line = p + 1;
		while (*line == ' ')
			line++;
	}
	return line;
}

/* KiB on the per-CPU free lists (/proc/zoneinfo "count:"): free, yet not in MemFree. */
static long pcp_free_kib(void)
{
	FILE *f = fopen("/proc/zoneinfo", "r");
	long pages = 0, n;
	char line[256];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " count: %ld", &n) == 1)
			pages += n;
	fclose(f);
	return pages * (sysconf(_SC_PAGESIZE) / 1024);
}

int cap_drop(int cap)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	uint32_t bit = 1u << (cap % 32);

	if (syscall(SYS_capget, &h, d))
		return -errno;
	d[cap / 32].effective &= ~bit;
	d[cap / 32].permitted &= ~bit;
	d[cap / 32].inheritable &= ~bit;
	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

long vtx_pinned_pages(void)
{
	return sysfs_long("/sys/class/misc/vtx/pinned_pages");
}

long mem_used_kib(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	sync();
	if (fd >= 0) {
		if (write(fd, "3", 1) != 1)
			ksft_print_msg("writing /proc/sys/vm/drop_caches: %s\n", strerror(errno));
		close(fd);
	}
	return meminfo_kib("MemTotal") - meminfo_kib("MemFree") - pcp_free_kib();
}

/* Each line of the kernel log, in order: how many @match accepts. */
static int klog_for_each(bool (*match)(const char *msg, const void *arg), const void *arg)
{
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	int count = 0, len;
	char *buf, *line, *save = NULL;

	if (size <= 0)
		size = 1 << 20;
	buf = calloc(1, size + 1);
	if (!buf)
		return -1;
	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, size);
	if (len < 0) {
		free(buf);
		return -1;
	}
	buf[len] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		count += match(klog_message(line), arg);
	free(buf);
	return count;
}

struct klog_all {
	const char *prefix;
	const char *const *needles;
};

static bool klog_match_all(const char *msg, const void *arg)
{
	const struct klog_all *a = arg;
	const char *const *n;

	if (strncmp(msg, a->prefix, strlen(a->prefix)))
		return false;
	for (n = a->needles; *n; n++)
		if (!strstr(msg, *n))
			return false;
	return true;
}

int klog_count(const char *prefix, const char *const *needles)
{
	struct klog_all a = { .prefix = prefix, .needles = needles };

	return klog_for_each(klog_match_all, &a);
}

static bool klog_match_complaint(const char *msg, const void *arg)
{
	const char *const *n;

	(void)arg;
	if (strstr(msg, "fpu__init_system_xstate"))
		return false;
	for (n = klog_complaint_words; *n; n++)
		if (strstr(msg, *n))
			return true;
	return false;
}

const char *const klog_complaint_words[] = {
	"BUG:", "WARNING:", "Oops", "general protection", "Kernel panic",
	"unchecked MSR access", "hrtimer: interrupt took", "soft lockup",
	"blocked for more than", "self-detected stall", "rcu: INFO",
	/* slub_debug (make stress): "BUG kmalloc-64 (...): Poison overwritten" */
	"Poison overwritten", "Redzone overwritten", "Object padding overwritten",
	"Freepointer corrupt", NULL,
};

int klog_complaints(void)
{
	return klog_for_each(klog_match_complaint, NULL);
}
