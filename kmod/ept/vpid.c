// SPDX-License-Identifier: GPL-2.0
/*
 * VPID, virtual-processor identifiers (SDM vol. 3C 28.1, 30.3 INVVPID).
 *
 * Without VPID every VM entry and VM exit must flush the TLB: the guest's
 * linear translations and the host's share the same TLB, and nothing tells
 * them apart. With "enable VPID" each vCPU gets a 16-bit tag in its VMCS;
 * the CPU tags every linear and combined translation it caches with the
 * current VPID (the host runs as VPID 0), and only uses entries whose tag
 * matches. So VM entry and exit leave the TLB alone and a guest returns to
 * a warm TLB after each exit (SDM 28.3.3.3).
 *
 * The price: stale entries under a tag must be removed by software.
 * - A VPID handed to a new vCPU may still tag the old owner's entries on
 *   any CPU: vpid_alloc() flushes it everywhere before returning it.
 * - A guest's own INVLPG/MOV CR3 only flushes the CPU it runs on: when a
 *   vCPU moves to another CPU, the VMX code calls vpid_flush_local() there.
 * - VMXON does not invalidate: call vpid_flush_all_local() after it.
 */
#include <linux/idr.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <linux/atomic.h>
#include <linux/bug.h>
#include "vtx.h"

#define VPID_MIN		1	/* 0 is the host */
#define VPID_MAX		0xffff

/* INVVPID types (SDM 30.3, INVVPID). */
#define INVVPID_SINGLE_CONTEXT	1
#define INVVPID_ALL_CONTEXT	2

static DEFINE_IDA(vpid_ida);

/* The pool's size; a small one lets tests run out of VPIDs with few vCPUs. */
static unsigned int max_vpid = VPID_MAX;
module_param(max_vpid, uint, 0444);
MODULE_PARM_DESC(max_vpid, "highest VPID handed out (1..65535, default 65535; small for tests)");

struct vpid_inv {
	u16 vpid;
	atomic_t failed;
};

static void vpid_flush_cpu(void *data)
{
	struct vpid_inv *inv = data;

	/* Not in VMX operation (hotplug): nothing cached, and INVVPID would #UD. */
	if (!vmx_this_cpu_on())
		return;
	if (vpid_invvpid(INVVPID_SINGLE_CONTEXT, inv->vpid, 0))
		atomic_inc(&inv->failed);
}

/* Interrupts enabled (it sends IPIs): every CPU in VMX operation. */
void vpid_flush(int vpid)
{
	struct vpid_inv inv = { .vpid = vpid, .failed = ATOMIC_INIT(0) };

	/* Single-context with VPID 0 is a VMfail (SDM 30.3). */
	if (vpid < VPID_MIN || vpid > VPID_MAX)
		return;
	vmx_on_each_vmx_cpu(vpid_flush_cpu, &inv);
	WARN_ONCE(atomic_read(&inv.failed), "vtx: INVVPID failed on %d CPU(s)\n",
		  atomic_read(&inv.failed));
}

/* Safe with interrupts off; this CPU only. */
void vpid_flush_local(int vpid)
{
	if (vpid < VPID_MIN || vpid > VPID_MAX)
		return;
	WARN_ON_ONCE(vpid_invvpid(INVVPID_SINGLE_CONTEXT, vpid, 0));
}

void vpid_flush_all_local(void)
{
	if (vtx_host_caps.features & VTX_FEAT_INVVPID_ALL)
		WARN_ON_ONCE(vpid_invvpid(INVVPID_ALL_CONTEXT, 0, 0));
}

/*
 * A free VPID, or 0 when the pool is empty: one user creating vCPUs must
 * not lock every other user out. VPID 0 means "enable VPID" off for that
 * vCPU (vmcs.c): every VM entry and exit then invalidates the linear and
 * combined mappings of VPID 0 (SDM 28.3.3.1), as without VPID at all,
 * slower but correct. Negative only for -ENOMEM.
 */
int vpid_alloc(void)
{
	int vpid = ida_alloc_range(&vpid_ida, VPID_MIN, clamp_t(unsigned int, max_vpid,
								 VPID_MIN, VPID_MAX),
				   GFP_KERNEL);

	if (vpid == -ENOSPC) {
		pr_info_ratelimited("vtx: out of VPIDs: a vCPU runs without VPID (TLB flushed at each entry and exit)\n");
		return 0;
	}
	if (vpid > 0 && vmx_users())
		vpid_flush(vpid);
	return vpid;
}

void vpid_free(int vpid)
{
	if (vpid >= VPID_MIN && vpid <= VPID_MAX)
		ida_free(&vpid_ida, vpid);
}
