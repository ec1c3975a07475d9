/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where kernel API differences between the supported kernel
 * series (Debian's 6.1 and 6.12 cloud kernels) are hidden. Code elsewhere
 * includes this header and uses the newest spelling; nothing else tests
 * LINUX_VERSION_CODE.
 */
#ifndef VTX_COMPAT_H
#define VTX_COMPAT_H

#include <linux/version.h>
#include <linux/smp.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
/*
 * Since 6.3 smp_send_reschedule() is a macro that fires the ipi_send_cpu
 * tracepoint (exported for modules such as kvm), so its declaration must be
 * visible wherever the macro is used.
 */
#include <trace/events/ipi.h>
#endif

#endif /* VTX_COMPAT_H */
