/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host-side helpers shared by the vtx selftests: /dev/vtx access, kernel
 * modules (finit_module/delete_module, so no busybox tool is needed),
 * the kernel log and /proc/meminfo.
 */
#ifndef VTX_SELFTEST_UTIL_H
#define VTX_SELFTEST_UTIL_H

#include <errno.h>
#include <stdbool.h>
#include <linux/capability.h>
#include <stdint.h>
#include <string.h>
#include "uapi/vtx.h"
#include "tap.h"

#define VTX_MODULE_PATH		"/vtx/vtx.ko"
#define VTX_KVM_DIR		"/vtx/kvm"

/* Abort the whole program: the TAP stream ends with "Bail out!". */
#define TEST_ASSERT(cond, fmt, ...) do {					\
	if (!(cond))								\
		ksft_exit_fail_msg("%s:%d: assertion '%s' failed: " fmt		\
				   " (errno %d: %s)", __FILE__, __LINE__, #cond,	\
				   ##__VA_ARGS__, errno, strerror(errno));	\
} while (0)

/* open(/dev/vtx) or skip the whole program if the device is missing. */
int vtx_open_dev(void);
int vtx_get_caps(int fd, struct vtx_caps *caps);
/* open + GET_CAPS + close; asserts on failure */
void vtx_read_caps(struct vtx_caps *caps);
unsigned int online_cpus(void);
/* CPU hotplug through sysfs: 0 or -errno. */
int cpu_set_online(int cpu, bool online);

/* Is `name` listed in /proc/modules? */
bool module_loaded(const char *name);
/* finit_module(path); 0 or -errno */
int module_load(const char *path, const char *params);
/* delete_module(name, O_NONBLOCK); 0 or -errno */
int module_unload(const char *name);
/* /sys/module/<name>/refcnt, or -1 */
long module_refcnt(const char *name);

/* Value of a /proc/meminfo field in KiB, or -1. */
long meminfo_kib(const char *field);
/*
 * MemTotal - MemFree after sync and dropping the page/slab caches, in KiB,
 * less the pages cached on per-CPU free lists (/proc/zoneinfo "count:"):
 * those are free, but MemFree leaves them out, and freed transparent huge
 * pages can sit there (several MiB) until the next allocation.
 */
long mem_used_kib(void);
/* Drop capability @cap (CAP_*) from this thread's sets with capset: 0 or -errno. */
int cap_drop(int cap);
/* /sys/class/misc/vtx/pinned_pages: guest pages vtx has pinned now, or -1. */
long vtx_pinned_pages(void);

/*
 * Number of kernel log lines that contain every one of the given strings
 * (NULL-terminated list) and whose message starts with `prefix`.
 */
int klog_count(const char *prefix, const char *const *needles);

/*
 * Kernel log lines that hold any of klog_complaint_words (oops, WARN,
 * slub_debug reports, lockups, an hrtimer storm, a faulting MSR access),
 * less the one harmless fpu__init_system_xstate warning of the Bochs boot.
 */
extern const char *const klog_complaint_words[];
int klog_complaints(void);

#endif /* VTX_SELFTEST_UTIL_H */
