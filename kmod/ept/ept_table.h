/* SPDX-License-Identifier: GPL-2.0 */
/*
 * EPT paging-structure tree: building, walking and tearing down the
 * 4-level extended page tables (Intel SDM vol. 3C 28.2). Pure logic: it
 * compiles in the kernel and in userspace (tests/unit/test_ept.c). Memory
 * for tables and the release of the host pages a leaf maps are callbacks
 * supplied by the caller (kmod/ept/ept.c in the kernel).
 *
 * Nothing here locks: the caller serialises every call on one tree.
 */
#ifndef _VTX_EPT_TABLE_H
#define _VTX_EPT_TABLE_H

#include "ktypes.h"

/* EPT paging-structure entry bits (SDM 28.2.2, tables 28-1 .. 28-6). */
#define EPT_R			BIT_ULL(0)
#define EPT_W			BIT_ULL(1)
#define EPT_X			BIT_ULL(2)
#define EPT_RWX			(EPT_R | EPT_W | EPT_X)
#define EPT_MT_SHIFT		3		/* leaf memory type, bits 5:3 */
#define EPT_MT_WB		(6ULL << EPT_MT_SHIFT)	/* SDM 28.2.6 */
#define EPT_IPAT		BIT_ULL(6)	/* ignore guest PAT; vtx leaves it 0 */
#define EPT_LARGE		BIT_ULL(7)	/* PDE/PDPTE maps a 2M/1G page */
#define EPT_ADDR_MASK		0x000ffffffffff000ULL	/* bits 51:12 */

/* EPT pointer (VMCS field, SDM 24.6.11): WB tables, 4-level walk, no A/D. */
#define EPTP_MT_WB		6ULL
#define EPTP_WALK_4		((4ULL - 1) << 3)

/* Level numbers: 1 = PT (4K leaves), 2 = PD (2M), 3 = PDPT (1G), 4 = PML4. */
#define EPT_LEVELS		4
#define EPT_LEVEL_4K		1
#define EPT_LEVEL_2M		2
#define EPT_LEVEL_1G		3
#define EPT_ENTRIES		512
#define EPT_LEVEL_SHIFT(l)	(12 + 9 * ((l) - 1))
#define EPT_LEVEL_SIZE(l)	(1ULL << EPT_LEVEL_SHIFT(l))
#define EPT_LEVEL_PAGES(l)	(EPT_LEVEL_SIZE(l) >> 12)
/* A 4-level walk translates 48 guest-physical address bits. */
#define EPT_GPA_LIMIT		(1ULL << 48)

struct ept_table_ops {
	/* One zeroed, 4 KiB aligned table; *hpa gets its physical address. */
	void *(*alloc_table)(void *ctx, u64 *hpa);
	/* The table is already unlinked from the tree. */
	void (*free_table)(void *ctx, void *table, u64 hpa);
	/* Software address of the table at physical address @hpa. */
	void *(*table_va)(void *ctx, u64 hpa);
	/*
	 * A leaf is gone from the tree: release the @npages host 4 KiB pages
	 * starting at @hpa that it mapped. @dirty: the leaf was writable.
	 */
	void (*release)(void *ctx, u64 hpa, u64 npages, bool dirty);
};

struct ept_tree {
	u64 *root;		/* PML4 */
	u64 root_hpa;
	const struct ept_table_ops *ops;
	void *ctx;
};

/* Allocates the PML4; 0 or -ENOMEM. */
int ept_tree_init(struct ept_tree *t, const struct ept_table_ops *ops, void *ctx);
/* Releases every leaf and frees every table, the PML4 last. Idempotent. */
void ept_tree_destroy(struct ept_tree *t);
/* The EPT pointer for this tree (SDM 24.6.11). */
u64 ept_tree_eptp(const struct ept_tree *t);
/*
 * Map the @level-sized page at @gpa to @hpa with @prot (EPT_R required,
 * EPT_W and EPT_X optional). 0; -EINVAL on a bad argument; -EEXIST when
 * anything is already mapped in that range (tree unchanged apart from empty
 * intermediate tables); -ENOMEM.
 */
int ept_tree_map(struct ept_tree *t, u64 gpa, u64 hpa, int level, u64 prot);
/* The leaf entry translating @gpa and its level, or 0 if not mapped. */
u64 ept_tree_lookup(const struct ept_tree *t, u64 gpa, int *level);
/* True when nothing (no leaf, no table) covers the @level-sized page at @gpa. */
bool ept_tree_range_empty(const struct ept_tree *t, u64 gpa, int level);
/*
 * Remove every leaf that overlaps [gpa, gpa + size), releasing its pages
 * exactly once (a large leaf that only partly overlaps goes whole: EPT is
 * demand-faulted, so the rest comes back on the next access), and free the
 * tables this empties. The PML4 stays. Returns the number of leaves removed.
 */
u64 ept_tree_unmap(struct ept_tree *t, u64 gpa, u64 size);

#endif /* _VTX_EPT_TABLE_H */
