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
	if (!ept->zap)
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
	ept->zap = NULL;
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
	ept->zap = NULL;
}

void ept_unmap_range(struct vtx_vm *vm, u64 gpa, u64 size)
{
	struct ept *ept = &vm->ept;

	lockdep_assert_held(&vm->lock);
	if (!ept->pml4)
		return;
	atomic64_inc(&ept->stats.unmaps);
	ept->seq++;	/* faults pinning without vm->lock must not install */
	ept->deferring = true;
	ept_tree_unmap(&ept->tree, gpa, size);
	ept->deferring = false;
	ept_zap_commit(ept);
}

/* ---- demand faulting ---- */

/*
 * A fault copies what it needs of its slot under vm->lock, then drops the
 * lock to pin: pinning may take a user fault that sleeps without bound
 * (userfaultfd, a FUSE file), and holding vm->lock there would stall every
 * other vCPU's faults and the VM ioctls. Like KVM's mmu_invalidate_seq,
 * ept->seq (bumped by every unmap, under vm->lock) tells the installer
 * whether a slot changed meanwhile; if so the pins are dropped and the
 * guest re-enters to fault again against the new slots.
 */
struct ept_pending {
	struct vtx_memslot slot;
	u64 gpa;		/* page aligned */
	bool write;		/* the slot is writable: pin for write, map RWX */
	u64 seq;		/* ept->seq at the lookup */
};

/* Could the 2 MiB guest page around f->gpa be one leaf? (@page: pinned 4K; no lock) */
static bool ept_2m_candidate(const struct ept_pending *f, struct page *page)
{
	const struct vtx_memslot *slot = &f->slot;
	u64 base = f->gpa & ~(u64)(SZ_2M - 1);

	if (!(vtx_host_caps.features & VTX_FEAT_EPT_2M))
		return false;
	if (base < slot->gpa || slot->size < SZ_2M || base - slot->gpa > slot->size - SZ_2M)
		return false;
	if ((slot->gpa ^ slot->uaddr) & (SZ_2M - 1))
		return false;
	/* Only huge-page-backed memory can be contiguous; skip pinning 512 otherwise. */
	return folio_nr_pages(page_folio(page)) >= EPT_2M_PAGES;
}

/*
 * Pin the 2 MiB range around f->gpa: its first pfn, or 0 when the backing
 * is not one aligned, contiguous 2 MiB (nothing stays pinned then).
 */
static unsigned long ept_pin_2m(struct ept *ept, const struct ept_pending *f)
{
	u64 base = f->gpa & ~(u64)(SZ_2M - 1);
	/* Scratch for 512 page pointers; per call, as faults run unlocked. */
	struct page **pages = (struct page **)__get_free_page(GFP_KERNEL);
	unsigned long pfn = 0, i;

	if (!pages)
		return 0;
	if (ept_pin(ept, f->slot.uaddr + (base - f->slot.gpa), EPT_2M_PAGES, f->write, pages))
		goto out;
	pfn = page_to_pfn(pages[0]);
	for (i = 1; IS_ALIGNED(pfn, EPT_2M_PAGES) && i < EPT_2M_PAGES; i++)
		if (page_to_pfn(pages[i]) != pfn + i)
			break;
	if (!IS_ALIGNED(pfn, EPT_2M_PAGES) || i < EPT_2M_PAGES) {
		ept_unpin_pages(ept, pages, EPT_2M_PAGES);
		pfn = 0;
	}
out:
	free_page((unsigned long)pages);
	return pfn;
}

/*
 * Under vm->lock: map the pinned 2 MiB range at @pfn_2m (if any, and if no
 * 4 KiB leaf is in its way) or else the pinned 4 KiB @page. Clears the
 * pfn/page the new leaf now owns; the caller unpins what is left.
 */
static int ept_install(struct ept *ept, const struct ept_pending *f,
		       unsigned long *pfn_2m, struct page **page)
{
	u64 prot = f->write ? EPT_RWX : EPT_R | EPT_X;
	u64 base = f->gpa & ~(u64)(SZ_2M - 1);
	int ret;

	if (ept->seq != f->seq)
		return 0;	/* a slot changed: re-enter and fault again */
	if (*pfn_2m && ept_tree_range_empty(&ept->tree, base, EPT_LEVEL_2M)) {
		ret = ept_tree_map(&ept->tree, base, PFN_PHYS(*pfn_2m), EPT_LEVEL_2M, prot);
		if (ret)
			return ret;
		atomic64_inc(&ept->stats.maps_2m);
		*pfn_2m = 0;
		return 0;
	}
	if (ept_tree_lookup(&ept->tree, f->gpa, NULL))
		return 0;	/* another vCPU faulted it in meanwhile */
	ret = ept_tree_map(&ept->tree, f->gpa, page_to_phys(*page), EPT_LEVEL_4K, prot);
	if (ret)
		return ret;
	atomic64_inc(&ept->stats.maps_4k);
	*page = NULL;
	return 0;
}

/* Pin without vm->lock, install with it: 0 (re-enter) or -errno. */
static int ept_fault_in(struct vtx_vm *vm, const struct ept_pending *f)
{
	struct ept *ept = &vm->ept;
	unsigned long pfn_2m = 0;
	struct page *page;
	int ret;

	ret = ept_pin(ept, f->slot.uaddr + (f->gpa - f->slot.gpa), 1, f->write, &page);
	if (ret == -ENOMEM)
		ept_pin_limit_warn(ept, 1);
	if (ret)
		return ret;
	if (ept_2m_candidate(f, page))
		pfn_2m = ept_pin_2m(ept, f);	/* over the limit: 4 KiB */
	ret = mutex_lock_killable(&vm->lock);
	if (!ret) {
		ret = ept_install(ept, f, &pfn_2m, &page);
		mutex_unlock(&vm->lock);
	}
	if (pfn_2m)
		ept_unpin(ept, PFN_PHYS(pfn_2m), EPT_2M_PAGES, false);
	if (page)
		ept_unpin(ept, page_to_phys(page), 1, false);
	return ret;
}

/* Not in enum ept_fault: ept_fault_lookup() filled its *f, pin and install. */
#define EPT_NEEDS_PIN	2

/* Under vm->lock: EPT_MMIO, EPT_MAPPED (already mapped), EPT_NEEDS_PIN or -errno. */
static int ept_fault_lookup(struct vtx_vm *vm, u64 gpa, bool write, struct ept_pending *f)
{
	const struct vtx_memslot *slot = vm_find_slot(vm, gpa);

	if (!slot || (write && (slot->flags & VTX_MEM_READONLY)))
		return EPT_MMIO;
	if (current->mm != vm->mm)
		return -EFAULT;	/* slots are addresses in the creator's mm */
	if (ept_tree_lookup(&vm->ept.tree, gpa, NULL))
		return EPT_MAPPED;	/* another vCPU faulted it in first */
	f->slot = *slot;
	f->gpa = gpa;
	/* Read-only slot (ROM): readable and executable, writes exit as MMIO. */
	f->write = !(slot->flags & VTX_MEM_READONLY);
	f->seq = vm->ept.seq;
	return EPT_NEEDS_PIN;
}

int ept_handle_violation(struct vtx_vcpu *vcpu, u64 gpa, bool write)
{
	struct vtx_vm *vm = vcpu->vm;
	struct ept_pending f;
	int ret;

	might_sleep();
	gpa &= ~(u64)(PAGE_SIZE - 1);
	if (mutex_lock_killable(&vm->lock))
		return -EINTR;
	ret = ept_fault_lookup(vm, gpa, write, &f);
	mutex_unlock(&vm->lock);
	if (ret == EPT_NEEDS_PIN)
		ret = ept_fault_in(vm, &f);	/* 0: EPT_MAPPED */
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
