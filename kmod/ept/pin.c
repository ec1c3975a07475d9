// SPDX-License-Identifier: GPL-2.0
/*
 * Pinning guest memory: every page an EPT leaf maps is pinned here and
 * released here, so the module-wide count and the RLIMIT_MEMLOCK charge
 * cannot drift from the pins.
 *
 * Accounting follows RDMA's ib_umem_get() and vfio's account_locked_vm():
 * pins are charged to the VM creator's mm->pinned_vm (VmPin in
 * /proc/PID/status) and refused beyond RLIMIT_MEMLOCK unless the caller has
 * CAP_IPC_LOCK. pinned_vm is an atomic64, so neither side takes mmap_lock,
 * and uncharging works after the mm exited (the VM holds it with mmgrab()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/capability.h>
#include <linux/atomic.h>
#include "vtx.h"

/* Guest pages pinned by all VMs now: /sys/class/misc/vtx/pinned_pages. */
static atomic64_t vtx_pinned_pages = ATOMIC64_INIT(0);

s64 ept_pinned_pages_total(void)
{
	return atomic64_read(&vtx_pinned_pages);
}

static unsigned long ept_memlock_pages(void)
{
	return rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
}

static int ept_charge(struct ept *ept, unsigned long npages)
{
	s64 pinned = atomic64_add_return(npages, &ept->mm->pinned_vm);

	/* capable() only when over: no audit record for the usual case. */
	if (pinned <= ept_memlock_pages() || capable(CAP_IPC_LOCK))
		return 0;
	atomic64_sub(npages, &ept->mm->pinned_vm);
	return -ENOMEM;
}

void ept_pin_limit_warn(struct ept *ept, unsigned long npages)
{
	pr_warn_ratelimited("pid %d: guest memory needs %llu KiB pinned, over RLIMIT_MEMLOCK %lu KiB: VTX_RUN fails with ENOMEM (raise ulimit -l)\n",
			    task_tgid_nr(current),
			    (u64)(atomic64_read(&ept->mm->pinned_vm) + npages) << (PAGE_SHIFT - 10),
			    ept_memlock_pages() << (PAGE_SHIFT - 10));
}

static void ept_uncharge(struct ept *ept, unsigned long npages)
{
	atomic64_sub(npages, &ept->mm->pinned_vm);
}

int ept_pin(struct ept *ept, u64 uaddr, int npages, bool write, struct page **pages)
{
	/*
	 * Long-term: the page stays mapped into the guest until the slot goes,
	 * so GUP first migrates it out of CMA/ZONE_MOVABLE. 6.1 refuses
	 * FOLL_LONGTERM in pin_user_pages_unlocked(); the _fast variant takes
	 * mmap_lock itself when it has to fault pages in.
	 */
	unsigned int flags = FOLL_LONGTERM | (write ? FOLL_WRITE : 0);
	int got, ret;

	ret = ept_charge(ept, npages);
	if (ret)
		return ret;
	got = pin_user_pages_fast(uaddr, npages, flags, pages);
	if (got == npages) {
		atomic64_add(npages, &vtx_pinned_pages);
		atomic64_add(npages, &ept->stats.pinned);
		return 0;
	}
	if (got > 0)
		unpin_user_pages(pages, got);
	ept_uncharge(ept, npages);
	return got < 0 ? got : -EFAULT;
}

void ept_unpin(struct ept *ept, u64 hpa, u64 npages, bool dirty)
{
	/* Writable leaves may have been written by the guest: no A/D to tell. */
	unpin_user_page_range_dirty_lock(pfn_to_page(PHYS_PFN(hpa)), npages, dirty);
	atomic64_sub(npages, &ept->stats.pinned);
	atomic64_sub(npages, &vtx_pinned_pages);
	ept_uncharge(ept, npages);
}

/* Release @npages pins taken by one ept_pin() that were never mapped. */
void ept_unpin_pages(struct ept *ept, struct page **pages, int npages)
{
	unpin_user_pages(pages, npages);
	atomic64_sub(npages, &ept->stats.pinned);
	atomic64_sub(npages, &vtx_pinned_pages);
	ept_uncharge(ept, npages);
}
