/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where kernel API differences between the supported kernel
 * series (Debian's 6.1 and 6.12 cloud kernels) are hidden. Code elsewhere
 * includes this header and uses one spelling for both series.
 */
#ifndef VTX_COMPAT_H
#define VTX_COMPAT_H

#include <linux/smp.h>
/*
 * Since 6.3 smp_send_reschedule() is a macro that fires the ipi_send_cpu
 * tracepoint (exported for modules such as kvm), so the tracepoint's
 * declaration must be visible wherever the macro is used. 6.1 has the same
 * header (with older IPI tracepoints), so it is included unconditionally.
 */
#include <trace/events/ipi.h>

#endif /* VTX_COMPAT_H */
