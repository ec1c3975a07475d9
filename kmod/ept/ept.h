/* SPDX-License-Identifier: GPL-2.0 */
/*
 * EPT: second-level translation of guest-physical to host-physical
 * addresses, built over userspace-backed memory slots. Owned by kmod/ept/.
 *
 * Locking and context rules for callers:
 * - ept_handle_violation() takes vm->lock itself, briefly, and pins user
 *   pages without it (a user fault may sleep without bound): call it with
 *   preemption and interrupts enabled, without vm->lock, from the thread
 *   whose mm is vm->mm (the vCPU thread).
 * - ept_unmap_range() must be called WITH vm->lock held, in the same
 *   critical section that changes the slot, so no fault can map the old
 *   backing in between.
 * - ept_init() after vmx_get(), ept_destroy() before vmx_put(): INVEPT
 *   needs VMX operation on every CPU. Both sleep.
 * - Lock order: vcpu->lock -> vm->lock -> mmap_lock. Nothing that holds
 *   mmap_lock (an mmap or page-fault handler) may take vm->lock.
 */
#ifndef _VTX_EPT_H
#define _VTX_EPT_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/atomic.h>
#include <linux/errno.h>
#include <asm/asm.h>
#include "ept_table.h"

struct vtx_vm;
struct vtx_vcpu;
struct page;
struct mm_struct;
struct vtx_ept_stats;

struct ept {
	u64 *pml4;		/* root table, one page */
	u64 eptp;		/* value for the VMCS EPT pointer field */
	struct ept_tree tree;	/* kmod/ept/ept_table.c */
	/* Under vm->lock: pages unlinked but not yet released (until INVEPT). */
	u64 *zap;		/* one page: hpa | npages-order | dirty per leaf */
	unsigned int nr_zap;
	struct list_head zap_tables;	/* unlinked table pages (page->lru) */
	bool deferring;		/* unmap in progress: hold releases for INVEPT */
	struct mm_struct *mm;	/* the VM creator's: pins are charged to its pinned_vm */
	u64 seq;		/* under vm->lock: +1 per unmap (see ept_fault_in()) */
	/*
	 * VTX_GET_EPT_STATS (struct vtx_ept_stats): atomics, so the ioctl
	 * reads them without vm->lock; each is exact, the set is not a
	 * snapshot while a vCPU faults.
	 */
	struct {
		atomic64_t violations;	/* ept_handle_violation() calls */
		atomic64_t mmio;	/* ... of which answered "MMIO" */
		atomic64_t maps_4k;	/* leaves installed, by size */
		atomic64_t maps_2m;
		atomic64_t pinned;	/* guest pages pinned now */
		atomic64_t unmaps;	/* ept_unmap_range() calls */
	} stats;
};

int ept_init(struct ept *ept);
/* Frees every table and releases every guest page. Safe on a failed init. */
void ept_destroy(struct ept *ept);
/* Drop mappings of [gpa, gpa + size) and flush; used when a slot changes. */
void ept_unmap_range(struct vtx_vm *vm, u64 gpa, u64 size);
enum ept_fault {
	EPT_MAPPED = 0,		/* guest RAM, now mapped: re-enter */
	EPT_MMIO = 1,		/* no slot, or a write to a read-only slot */
};

/* EPT violation at @gpa (@write: the access was a write): enum ept_fault or -errno. */
int ept_handle_violation(struct vtx_vcpu *vcpu, u64 gpa, bool write);
/* VTX_GET_EPT_STATS on a VM fd (ioctl.c table; no lock needed). */
/* VTX_GET_EPT_STATS: the counters; fields not set here stay as they are. */
void ept_get_stats(struct ept *ept, struct vtx_ept_stats *s);
/*
 * kmod/ept/pin.c: pin @npages user pages at @uaddr for a leaf, charged to
 * ept->mm's pinned_vm: 0, -ENOMEM beyond RLIMIT_MEMLOCK (without
 * CAP_IPC_LOCK), or GUP's error. ept_unpin() releases a leaf's contiguous
 * pages, ept_unpin_pages() the array of one ept_pin() never mapped.
 */
int ept_pin(struct ept *ept, u64 uaddr, int npages, bool write, struct page **pages);
void ept_unpin(struct ept *ept, u64 hpa, u64 npages, bool dirty);
void ept_unpin_pages(struct ept *ept, struct page **pages, int npages);
/* Log (rate-limited) that @npages more would exceed RLIMIT_MEMLOCK. */
void ept_pin_limit_warn(struct ept *ept, unsigned long npages);
/* Guest pages pinned by all VMs of this module now (sysfs pinned_pages). */
s64 ept_pinned_pages_total(void);
/* INVEPT single-context for this EPTP on every CPU (SDM 28.3.3.1, 30.3). */
void ept_flush(struct ept *ept);
/* INVEPT all-context on this CPU: call right after VMXON (stale contexts). */
void ept_flush_all_local(void);

/* VPIDs tag each vCPU's TLB entries; 0 is the host's. */
int vpid_alloc(void);		/* 1..65535, or -ENOSPC */
/* Flushes the VPID on every CPU (if VMX is on) before it can be reused. */
void vpid_free(int vpid);
/* INVVPID single-context for @vpid on every CPU / on this CPU only. */
void vpid_flush(int vpid);
void vpid_flush_local(int vpid);
/* INVVPID all-context on this CPU: call right after VMXON. */
void vpid_flush_all_local(void);

/*
 * INVEPT or INVVPID (@insn) of @type with the 128-bit descriptor {@lo, @hi}
 * on this CPU (SDM 30.3: both take the same descriptor/type operands and
 * report VMfail in CF/ZF). Evaluates to 0, or -EIO on VMfail or when the
 * CPU is not in VMX operation (#UD, caught by the exception-table fixup so
 * that a caller bug costs a warning, not the host).
 */
#define EPT_INV_INSN(insn, type, lo, hi)					\
({										\
	struct { u64 q[2]; } __desc = { { (lo), (hi) } };			\
	u8 __ok = 0;								\
										\
	asm volatile("1: " insn " %[desc], %[type]\n\t"			\
		     "seta %[ok]\n"						\
		     "2:\n\t"							\
		     _ASM_EXTABLE(1b, 2b)					\
		     : [ok] "+q" (__ok)						\
		     : [desc] "m" (__desc), [type] "r" ((unsigned long)(type))	\
		     : "cc", "memory");						\
	__ok ? 0 : -EIO;							\
})

/* INVEPT of @type for @eptp on this CPU (SDM 30.3, INVEPT). */
static inline int ept_invept(unsigned long type, u64 eptp)
{
	return EPT_INV_INSN("invept", type, eptp, 0);
}

/* INVVPID of @type for @vpid (bits 15:0; 63:16 reserved, zero) at @gla. */
static inline int vpid_invvpid(unsigned long type, u16 vpid, u64 gla)
{
	return EPT_INV_INSN("invvpid", type, vpid, gla);
}

#endif /* _VTX_EPT_H */
