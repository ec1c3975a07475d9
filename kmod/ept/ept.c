// SPDX-License-Identifier: GPL-2.0
/*
 * EPT, extended page tables: the kernel side (SDM vol. 3C 28.2, 28.3).
 *
 * EPT vs shadow page tables. Without EPT a hypervisor must build "shadow
 * page tables": guest-virtual -> host-physical tables that merge the
 * guest's own page tables with the guest-physical -> host-physical map,
 * and point the real CR3 at them. To keep the shadow in sync it has to
 * trap every guest MOV to CR3, write-protect the guest's page tables and
 * emulate each edit, and intercept INVLPG: page-table-heavy guests exit
 * constantly. With EPT the CPU does a second, hardware walk: the guest's
 * own CR3 and page tables (left untouched, no exits) translate
 * guest-virtual -> guest-physical, and every guest-physical address that
 * walk produces, including those of the guest's page-table entries, goes
 * through the EPT tables below (guest-physical -> host-physical). The
 * hypervisor maintains only this one map per VM, which changes only when
 * guest memory slots change.
 *
 * Demand faulting: the tables start empty. The first guest access to a
 * page causes an EPT-violation VM exit (basic reason 48, SDM 28.2.3.2);
 * ept_handle_violation() finds the memory slot, pins the user page(s)
 * backing it and installs a leaf (2 MiB when the backing allows). Accesses
 * outside every slot, or writes to a read-only slot, are MMIO for the VMM.
 *
 * Removal: a leaf is first unlinked, then INVEPT evicts cached
 * translations on every CPU (the EPTP-tagged TLB and paging-structure
 * caches, SDM 28.3.3.1), and only then are the pages unpinned and tables
 * freed: until the flush a vCPU could still reach them.
 */
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/smp.h>
#include <linux/sizes.h>
#include <linux/atomic.h>
#include <linux/lockdep.h>
#include <linux/log2.h>
#include <linux/sched.h>
#include "vtx.h"

/* INVEPT types (SDM 30.3, INVEPT). */
#define INVEPT_SINGLE_CONTEXT	1
#define INVEPT_ALL_CONTEXT	2

#define EPT_2M_PAGES		EPT_LEVEL_PAGES(EPT_LEVEL_2M)

/* Deferred releases: hpa | order index (npages = 512^idx) << 1 | dirty. */
#define EPT_ZAP_DIRTY		BIT_ULL(0)
#define EPT_ZAP_IDX_SHIFT	1
#define EPT_ZAP_MAX		(PAGE_SIZE / sizeof(u64))

struct ept_inv {
	u64 eptp;
	atomic_t failed;
};

static void ept_flush_cpu(void *data)
{
	struct ept_inv *inv = data;

	/* Not in VMX operation (hotplug): nothing cached, and INVEPT would #UD. */
	if (!vmx_this_cpu_on())
		return;
	if (ept_invept(INVEPT_SINGLE_CONTEXT, inv->eptp))
		atomic_inc(&inv->failed);
}

/*
 * Translations are cached per CPU and tagged with the EPTP (SDM 28.3.1);
 * any CPU this VM's vCPUs ran on may hold some, and an INVEPT only acts on
 * the CPU executing it, so flush on every CPU in VMX operation (the VM
 * holds VMX, vmx_get, for its lifetime; a CPU coming online flushes all
 * contexts after its VMXON).
 */
void ept_flush(struct ept *ept)
{
	struct ept_inv inv = { .eptp = ept->eptp, .failed = ATOMIC_INIT(0) };

	if (!ept->eptp)
		return;
	vmx_on_each_vmx_cpu(ept_flush_cpu, &inv);
	WARN_ONCE(atomic_read(&inv.failed), "vtx: INVEPT failed on %d CPU(s)\n",
		  atomic_read(&inv.failed));
}

void ept_flush_all_local(void)
{
	if (vtx_host_caps.features & VTX_FEAT_INVEPT_ALL)
		WARN_ON_ONCE(ept_invept(INVEPT_ALL_CONTEXT, 0));
}

/* ---- callbacks for ept_table.c ---- */

static void *ept_alloc_table(void *ctx, u64 *hpa)
{
	struct page *page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);

	if (!page)
		return NULL;
	*hpa = page_to_phys(page);
	return page_address(page);
}

static void ept_free_table(void *ctx, void *table, u64 hpa)
{
	struct ept *ept = ctx;
	struct page *page = virt_to_page(table);

	if (ept->deferring)
		list_add(&page->lru, &ept->zap_tables);
	else
		__free_page(page);
}

static void *ept_table_va(void *ctx, u64 hpa)
{
	return phys_to_virt(hpa);
}

static void ept_unpin(struct ept *ept, u64 hpa, u64 npages, bool dirty)
{
	atomic64_sub(npages, &ept->stats.pinned);
	/* Writable leaves may have been written by the guest: no A/D to tell. */
	unpin_user_page_range_dirty_lock(pfn_to_page(PHYS_PFN(hpa)), npages, dirty);
}

static void ept_zap_commit(struct ept *ept)
{
	struct page *page, *tmp;
	unsigned int i;

	if (!ept->nr_zap && list_empty(&ept->zap_tables))
		return;
	ept_flush(ept);
	for (i = 0; i < ept->nr_zap; i++) {
		u64 z = ept->zap[i];
		u64 npages = 1ULL << (9 * (z >> EPT_ZAP_IDX_SHIFT & 3));

		ept_unpin(ept, z & EPT_ADDR_MASK, npages, z & EPT_ZAP_DIRTY);
	}
	ept->nr_zap = 0;
	list_for_each_entry_safe(page, tmp, &ept->zap_tables, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
}

static void ept_release(void *ctx, u64 hpa, u64 npages, bool dirty)
{
	struct ept *ept = ctx;

	if (!ept->deferring) {
		ept_unpin(ept, hpa, npages, dirty);
		return;
	}
	if (ept->nr_zap == EPT_ZAP_MAX)
		ept_zap_commit(ept);
	ept->zap[ept->nr_zap++] = hpa | (dirty ? EPT_ZAP_DIRTY : 0) |
				  (u64)(ilog2(npages) / 9) << EPT_ZAP_IDX_SHIFT;
}

static const struct ept_table_ops ept_kernel_ops = {
	.alloc_table	= ept_alloc_table,
	.free_table	= ept_free_table,
	.table_va	= ept_table_va,
	.release	= ept_release,
};

/* ---- lifetime ---- */

int ept_init(struct ept *ept)
{
	int ret = -ENOMEM;

	memset(ept, 0, sizeof(*ept));
	INIT_LIST_HEAD(&ept->zap_tables);
	ept->zap = (u64 *)__get_free_page(GFP_KERNEL_ACCOUNT);
	ept->pin = (struct page **)__get_free_page(GFP_KERNEL_ACCOUNT);
	if (!ept->zap || !ept->pin)
		goto fail;
	ret = ept_tree_init(&ept->tree, &ept_kernel_ops, ept);
	if (ret)
		goto fail;
	ept->pml4 = ept->tree.root;
	ept->eptp = ept_tree_eptp(&ept->tree);
	/*
	 * This PML4 page may have been a destroyed VM's root: its EPTP could
	 * still tag translations on a CPU where VMX was off at that time.
	 */
	if (vmx_users())
		ept_flush(ept);
	return 0;
fail:
	free_page((unsigned long)ept->zap);
	free_page((unsigned long)ept->pin);
	ept->zap = NULL;
	ept->pin = NULL;
	return ret;
}

void ept_destroy(struct ept *ept)
{
	if (ept->pml4) {
		/* No vCPU runs any more; flush so the EPTP can be reused safely. */
		if (vmx_users())
			ept_flush(ept);
		ept->deferring = false;
		ept_tree_destroy(&ept->tree);
	}
	ept->pml4 = NULL;
	ept->eptp = 0;
	free_page((unsigned long)ept->zap);
	free_page((unsigned long)ept->pin);
	ept->zap = NULL;
	ept->pin = NULL;
}

void ept_unmap_range(struct vtx_vm *vm, u64 gpa, u64 size)
{
	struct ept *ept = &vm->ept;

	lockdep_assert_held(&vm->lock);
	if (!ept->pml4)
		return;
	atomic64_inc(&ept->stats.unmaps);
	ept->deferring = true;
	ept_tree_unmap(&ept->tree, gpa, size);
	ept->deferring = false;
	ept_zap_commit(ept);
}

/* ---- demand faulting ---- */

static int ept_pin(u64 uaddr, int npages, bool write, struct page **pages)
{
	/*
	 * Long-term: the page stays mapped into the guest until the slot goes,
	 * so GUP first migrates it out of CMA/ZONE_MOVABLE. 6.1 refuses
	 * FOLL_LONGTERM in pin_user_pages_unlocked(); the _fast variant takes
	 * mmap_lock itself when it has to fault pages in.
	 */
	unsigned int flags = FOLL_LONGTERM | (write ? FOLL_WRITE : 0);
	int got = pin_user_pages_fast(uaddr, npages, flags, pages);

	if (got == npages)
		return 0;
	if (got > 0)
		unpin_user_pages(pages, got);
	return got < 0 ? got : -EFAULT;
}

/* Could the 2 MiB guest page around @gpa be one EPT leaf? (@page: pinned 4K) */
static bool ept_can_map_2m(struct ept *ept, const struct vtx_memslot *slot, u64 gpa,
			   struct page *page)
{
	u64 base = gpa & ~(u64)(SZ_2M - 1);

	if (!(vtx_host_caps.features & VTX_FEAT_EPT_2M))
		return false;
	if (base < slot->gpa || slot->size < SZ_2M || base - slot->gpa > slot->size - SZ_2M)
		return false;
	if ((slot->gpa ^ slot->uaddr) & (SZ_2M - 1))
		return false;
	/* Only huge-page-backed memory can be contiguous; skip pinning 512 otherwise. */
	if (folio_nr_pages(page_folio(page)) < EPT_2M_PAGES)
		return false;
	return ept_tree_range_empty(&ept->tree, base, EPT_LEVEL_2M);
}

/* 0: mapped as 2 MiB; -EAGAIN: backing not contiguous, use 4 KiB; <0 error. */
static int ept_map_2m(struct ept *ept, const struct vtx_memslot *slot, u64 gpa,
		      bool write, u64 prot)
{
	u64 base = gpa & ~(u64)(SZ_2M - 1);
	unsigned long pfn, i;
	int ret;

	if (ept_pin(slot->uaddr + (base - slot->gpa), EPT_2M_PAGES, write, ept->pin))
		return -EAGAIN;
	pfn = page_to_pfn(ept->pin[0]);
	ret = IS_ALIGNED(pfn, EPT_2M_PAGES) ? 0 : -EAGAIN;
	for (i = 1; !ret && i < EPT_2M_PAGES; i++)
		if (page_to_pfn(ept->pin[i]) != pfn + i)
			ret = -EAGAIN;
	if (!ret)
		ret = ept_tree_map(&ept->tree, base, PFN_PHYS(pfn), EPT_LEVEL_2M, prot);
	if (ret) {
		unpin_user_pages(ept->pin, EPT_2M_PAGES);
		return ret;
	}
	atomic64_inc(&ept->stats.maps_2m);
	atomic64_add(EPT_2M_PAGES, &ept->stats.pinned);
	return 0;
}

static int ept_fault_in(struct ept *ept, const struct vtx_memslot *slot, u64 gpa)
{
	bool write = !(slot->flags & VTX_MEM_READONLY);
	/* Read-only slot (ROM): readable and executable, writes exit as MMIO. */
	u64 prot = write ? EPT_RWX : EPT_R | EPT_X;
	struct page *page;
	int ret;

	if (ept_tree_lookup(&ept->tree, gpa, NULL))
		return 0;	/* another vCPU faulted it in first */
	ret = ept_pin(slot->uaddr + (gpa - slot->gpa), 1, write, &page);
	if (ret)
		return ret;
	if (ept_can_map_2m(ept, slot, gpa, page)) {
		ret = ept_map_2m(ept, slot, gpa, write, prot);
		if (ret != -EAGAIN) {
			/* The 2 MiB leaf holds its own pins, this one is spare. */
			unpin_user_page(page);
			return ret;
		}
	}
	ret = ept_tree_map(&ept->tree, gpa, page_to_phys(page), EPT_LEVEL_4K, prot);
	if (ret) {
		unpin_user_page(page);
		return ret;
	}
	atomic64_inc(&ept->stats.maps_4k);
	atomic64_inc(&ept->stats.pinned);
	return 0;
}

int ept_handle_violation(struct vtx_vcpu *vcpu, u64 gpa, bool write)
{
	struct vtx_vm *vm = vcpu->vm;
	struct vtx_memslot *slot;
	int ret;

	might_sleep();
	gpa &= ~(u64)(PAGE_SIZE - 1);
	if (mutex_lock_killable(&vm->lock))
		return -EINTR;
	slot = vm_find_slot(vm, gpa);
	if (!slot || (write && (slot->flags & VTX_MEM_READONLY)))
		ret = EPT_MMIO;
	else if (current->mm != vm->mm)
		ret = -EFAULT;	/* slots are addresses in the creator's mm */
	else
		ret = ept_fault_in(&vm->ept, slot, gpa);	/* 0: EPT_MAPPED */
	mutex_unlock(&vm->lock);
	atomic64_inc(&vm->ept.stats.violations);
	if (ret == EPT_MMIO)
		atomic64_inc(&vm->ept.stats.mmio);
	return ret;
}

void ept_get_stats(struct ept *ept, struct vtx_ept_stats *s)
{
	s->violations = atomic64_read(&ept->stats.violations);
	s->mmio = atomic64_read(&ept->stats.mmio);
	s->maps_4k = atomic64_read(&ept->stats.maps_4k);
	s->maps_2m = atomic64_read(&ept->stats.maps_2m);
	s->pages_pinned = atomic64_read(&ept->stats.pinned);
	s->unmaps = atomic64_read(&ept->stats.unmaps);
}
