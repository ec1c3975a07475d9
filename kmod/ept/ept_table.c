// SPDX-License-Identifier: GPL-2.0
/*
 * EPT paging-structure tree (SDM vol. 3C 28.2): the part of EPT that needs
 * no hardware. The CPU walks these tables itself on every guest-physical
 * access (see kmod/ept/ept.c for why that replaces shadow page tables);
 * this file only has to keep them well-formed:
 *
 * - An entry is present when any of bits 2:0 (R/W/X) is set (SDM 28.2.2).
 * - Non-leaf entries carry RWX so that the leaf alone decides access, and
 *   bits 7:3 zero (reserved in a table-referencing entry).
 * - Leaves carry the memory type in bits 5:3 (WB, SDM 28.2.6), IPAT = 0,
 *   and bit 7 in a PDE/PDPTE to say "2 MiB / 1 GiB page".
 * - W without R is an EPT misconfiguration (SDM 28.2.3.1): we refuse it.
 *
 * The hardware may walk a table while another vCPU's fault adds an entry
 * here, so every entry is written with one 64-bit store, and a new table is
 * fully zeroed before the entry that links it is written.
 */
#include "ktypes.h"
#include "ept_table.h"

static inline void ept_set(u64 *entry, u64 val)
{
	/*
	 * The CPU walks these tables concurrently: prior stores (a zeroed child
	 * table) must not sink below this one, and the store must not tear.
	 */
	barrier();
	WRITE_ONCE(*entry, val);
}

static inline bool ept_present(u64 e)
{
	return e & EPT_RWX;
}

static inline bool ept_is_leaf(u64 e, int level)
{
	/* PML4 entries never map pages; bit 7 is reserved there. */
	return level == EPT_LEVEL_4K || (level < EPT_LEVELS && (e & EPT_LARGE));
}

static inline unsigned int ept_index(u64 gpa, int level)
{
	return (gpa >> EPT_LEVEL_SHIFT(level)) & (EPT_ENTRIES - 1);
}

static inline u64 *ept_child(const struct ept_tree *t, u64 e)
{
	return t->ops->table_va(t->ctx, e & EPT_ADDR_MASK);
}

int ept_tree_init(struct ept_tree *t, const struct ept_table_ops *ops, void *ctx)
{
	t->ops = ops;
	t->ctx = ctx;
	t->root = ops->alloc_table(ctx, &t->root_hpa);
	return t->root ? 0 : -ENOMEM;
}

u64 ept_tree_eptp(const struct ept_tree *t)
{
	return t->root_hpa | EPTP_WALK_4 | EPTP_MT_WB;
}

int ept_tree_map(struct ept_tree *t, u64 gpa, u64 hpa, int level, u64 prot)
{
	u64 *table = t->root;
	u64 size, *entry;
	int l;

	if (!table || level < EPT_LEVEL_4K || level > EPT_LEVEL_1G)
		return -EINVAL;
	size = EPT_LEVEL_SIZE(level);
	if (((gpa | hpa) & (size - 1)) || gpa >= EPT_GPA_LIMIT || (hpa & ~EPT_ADDR_MASK))
		return -EINVAL;
	if (!(prot & EPT_R) || (prot & ~EPT_RWX))
		return -EINVAL;

	for (l = EPT_LEVELS; l > level; l--) {
		entry = &table[ept_index(gpa, l)];
		if (!ept_present(*entry)) {
			u64 child_hpa;
			u64 *child = t->ops->alloc_table(t->ctx, &child_hpa);

			if (!child)
				return -ENOMEM;
			ept_set(entry, child_hpa | EPT_RWX);
			table = child;
			continue;
		}
		if (ept_is_leaf(*entry, l))
			return -EEXIST;	/* inside a larger page */
		table = ept_child(t, *entry);
	}
	entry = &table[ept_index(gpa, level)];
	if (ept_present(*entry))
		return -EEXIST;		/* same-size leaf, or smaller ones below */
	ept_set(entry, hpa | prot | EPT_MT_WB | (level > EPT_LEVEL_4K ? EPT_LARGE : 0));
	return 0;
}

u64 ept_tree_lookup(const struct ept_tree *t, u64 gpa, int *level)
{
	const u64 *table = t->root;
	int l;

	if (!table || gpa >= EPT_GPA_LIMIT)
		return 0;
	for (l = EPT_LEVELS; l >= EPT_LEVEL_4K; l--) {
		u64 e = table[ept_index(gpa, l)];

		if (!ept_present(e))
			return 0;
		if (ept_is_leaf(e, l)) {
			if (level)
				*level = l;
			return e;
		}
		table = ept_child(t, e);
	}
	return 0;
}

bool ept_tree_range_empty(const struct ept_tree *t, u64 gpa, int level)
{
	const u64 *table = t->root;
	int l;

	if (!table || gpa >= EPT_GPA_LIMIT || level < EPT_LEVEL_4K || level > EPT_LEVEL_1G)
		return false;
	for (l = EPT_LEVELS; l > level; l--) {
		u64 e = table[ept_index(gpa, l)];

		if (!ept_present(e))
			return true;
		if (ept_is_leaf(e, l))
			return false;
		table = ept_child(t, e);
	}
	return !ept_present(table[ept_index(gpa, level)]);
}

static bool ept_table_empty(const u64 *table)
{
	unsigned int i;

	for (i = 0; i < EPT_ENTRIES; i++)
		if (ept_present(table[i]))
			return false;
	return true;
}

static void ept_release_leaf(struct ept_tree *t, u64 e, int level)
{
	t->ops->release(t->ctx, e & EPT_ADDR_MASK, EPT_LEVEL_PAGES(level), e & EPT_W);
}

/*
 * @table at @level translates [base, base + 512 * level size); remove the
 * leaves overlapping [start, end), which lies inside that span.
 */
static u64 ept_unmap_table(struct ept_tree *t, u64 *table, int level, u64 base,
			   u64 start, u64 end)
{
	unsigned int shift = EPT_LEVEL_SHIFT(level);
	unsigned int i = (start - base) >> shift;
	u64 removed = 0;

	for (; i < EPT_ENTRIES; i++) {
		u64 lo = base + ((u64)i << shift);
		u64 hi = lo + EPT_LEVEL_SIZE(level);
		u64 e = table[i];
		u64 *child;

		if (lo >= end)
			break;
		if (!ept_present(e))
			continue;
		if (ept_is_leaf(e, level)) {
			/* Unlink before release: the caller may flush and unpin now. */
			ept_set(&table[i], 0);
			ept_release_leaf(t, e, level);
			removed++;
			continue;
		}
		child = ept_child(t, e);
		removed += ept_unmap_table(t, child, level - 1, lo,
					   start > lo ? start : lo, end < hi ? end : hi);
		if (ept_table_empty(child)) {
			ept_set(&table[i], 0);
			t->ops->free_table(t->ctx, child, e & EPT_ADDR_MASK);
		}
	}
	return removed;
}

u64 ept_tree_unmap(struct ept_tree *t, u64 gpa, u64 size)
{
	u64 end;

	if (!t->root || !size || gpa >= EPT_GPA_LIMIT)
		return 0;
	end = size > EPT_GPA_LIMIT - gpa ? EPT_GPA_LIMIT : gpa + size;
	return ept_unmap_table(t, t->root, EPT_LEVELS, 0, gpa, end);
}

static void ept_free_subtree(struct ept_tree *t, u64 *table, int level)
{
	unsigned int i;

	for (i = 0; i < EPT_ENTRIES; i++) {
		u64 e = table[i];

		if (!ept_present(e))
			continue;
		if (ept_is_leaf(e, level)) {
			ept_release_leaf(t, e, level);
		} else {
			ept_free_subtree(t, ept_child(t, e), level - 1);
			t->ops->free_table(t->ctx, ept_child(t, e), e & EPT_ADDR_MASK);
		}
	}
}

void ept_tree_destroy(struct ept_tree *t)
{
	if (!t->root)
		return;
	ept_free_subtree(t, t->root, EPT_LEVELS);
	t->ops->free_table(t->ctx, t->root, t->root_hpa);
	t->root = NULL;
	t->root_hpa = 0;
}
