/* unit-sources: kmod/ept/ept_table.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * EPT table building (kmod/ept/ept_table.c) with a userspace allocator:
 * table pages come from aligned_alloc and "host-physical" = their address;
 * mapped host pages are fake addresses in a window starting at HPA_BASE,
 * and every release of one is counted so double or missed unpins show.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "ktypes.h"
#include "ept/ept_table.h"

#define SZ_4K		0x1000ULL
#define SZ_2M		0x200000ULL
#define SZ_1G		0x40000000ULL
#define HPA_BASE	(1ULL << 40)
#define HPA_PAGES	(2 * 262144 + 4096)	/* two 1G pages and a bit */
#define MAX_TABLES	64

struct fake_host {
	void *tables[MAX_TABLES];	/* live table pages */
	int live;
	int allocs, frees;
	int fail_after;			/* allocations left before -ENOMEM; <0: never */
	int bad;			/* callbacks with impossible arguments */
	u8 released[HPA_PAGES];
	u8 dirty[HPA_PAGES];
	u64 nr_release_calls;
};

static void *fake_alloc(void *ctx, u64 *hpa)
{
	struct fake_host *h = ctx;
	void *p;
	int i;

	if (h->fail_after == 0)
		return NULL;
	if (h->fail_after > 0)
		h->fail_after--;
	p = aligned_alloc(4096, 4096);
	if (!p)
		return NULL;
	memset(p, 0, 4096);
	for (i = 0; i < MAX_TABLES && h->tables[i]; i++)
		;
	if (i == MAX_TABLES) {
		h->bad++;
		free(p);
		return NULL;
	}
	h->tables[i] = p;
	h->live++;
	h->allocs++;
	*hpa = (u64)(uintptr_t)p;
	return p;
}

static void fake_free(void *ctx, void *table, u64 hpa)
{
	struct fake_host *h = ctx;
	int i;

	if ((u64)(uintptr_t)table != hpa) {
		h->bad++;
		return;
	}
	for (i = 0; i < MAX_TABLES; i++) {
		if (h->tables[i] == table) {
			h->tables[i] = NULL;
			h->live--;
			h->frees++;
			free(table);
			return;
		}
	}
	h->bad++;	/* not ours, or freed twice */
}

static void *fake_va(void *ctx, u64 hpa)
{
	struct fake_host *h = ctx;
	int i;

	for (i = 0; i < MAX_TABLES; i++)
		if (h->tables[i] && (u64)(uintptr_t)h->tables[i] == hpa)
			return h->tables[i];
	h->bad++;
	return NULL;
}

static void fake_release(void *ctx, u64 hpa, u64 npages, bool dirty)
{
	struct fake_host *h = ctx;
	u64 first = (hpa - HPA_BASE) / SZ_4K, i;

	h->nr_release_calls++;
	if (hpa < HPA_BASE || hpa % SZ_4K || first + npages > HPA_PAGES) {
		h->bad++;
		return;
	}
	for (i = 0; i < npages; i++) {
		h->released[first + i]++;
		h->dirty[first + i] = dirty;
	}
}

static const struct ept_table_ops fake_ops = {
	.alloc_table = fake_alloc,
	.free_table = fake_free,
	.table_va = fake_va,
	.release = fake_release,
};

struct fixture {
	struct fake_host host;
	struct ept_tree tree;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->host.fail_after = -1;
	if (ept_tree_init(&f->tree, &fake_ops, &f->host))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ept_tree_destroy(&f->tree);
	free(f);
	return 0;
}

static u64 hpa(u64 page)
{
	return HPA_BASE + page * SZ_4K;
}

static u8 released(struct fixture *f, u64 hpa_addr)
{
	return f->host.released[(hpa_addr - HPA_BASE) / SZ_4K];
}

/* The non-leaf entry at @level (4 = PML4) on the walk to @gpa. */
static u64 walk_entry(struct fixture *f, u64 gpa, int level)
{
	u64 *table = f->tree.root;
	int l;

	for (l = EPT_LEVELS; l > level; l--) {
		u64 e = table[(gpa >> EPT_LEVEL_SHIFT(l)) & 511];

		if (!(e & EPT_RWX))
			return 0;
		table = (u64 *)(uintptr_t)(e & EPT_ADDR_MASK);
	}
	return table[(gpa >> EPT_LEVEL_SHIFT(level)) & 511];
}

static void test_eptp_and_empty_destroy(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->host.live, 1);
	assert_int_equal(f->tree.root_hpa & 0xfff, 0);
	/* SDM 24.6.11: WB (6) in bits 2:0, walk length - 1 = 3 in bits 5:3, no A/D. */
	assert_int_equal(ept_tree_eptp(&f->tree), f->tree.root_hpa | 0x1e);
	ept_tree_destroy(&f->tree);
	assert_int_equal(f->host.live, 0);
	assert_int_equal(f->host.nr_release_calls, 0);
	ept_tree_destroy(&f->tree);	/* idempotent */
	assert_int_equal(f->host.frees, 1);
	assert_int_equal(f->host.bad, 0);
}

static void test_map_4k(void **state)
{
	struct fixture *f = *state;
	u64 gpa = 0x12345000, e;
	int level = 0;

	assert_int_equal(ept_tree_map(&f->tree, gpa, hpa(7), EPT_LEVEL_4K, EPT_RWX), 0);
	e = ept_tree_lookup(&f->tree, gpa, &level);
	assert_int_equal(level, EPT_LEVEL_4K);
	/* R|W|X, memory type WB in bits 5:3, IPAT (6) and bit 7 clear. */
	assert_int_equal(e, hpa(7) | 0x7 | (6 << 3));
	assert_int_equal(ept_tree_lookup(&f->tree, gpa + SZ_4K, NULL), 0);
	assert_int_equal(ept_tree_lookup(&f->tree, gpa - SZ_4K, NULL), 0);
	/* PML4 + PDPT + PD + PT. */
	assert_int_equal(f->host.live, 4);
	/* Non-leaf entries: RWX, bits 7:3 zero, address of the next table. */
	for (level = 4; level >= 2; level--) {
		e = walk_entry(f, gpa, level);
		assert_int_equal(e & 0xff, EPT_RWX);
		assert_int_equal(e & ~EPT_ADDR_MASK & ~0xffULL, 0);
	}
	/* A second page in the same PT needs no new table. */
	assert_int_equal(ept_tree_map(&f->tree, gpa + SZ_4K, hpa(8), EPT_LEVEL_4K, EPT_RWX), 0);
	assert_int_equal(f->host.live, 4);
	assert_int_equal(ept_tree_lookup(&f->tree, gpa + SZ_4K + 0x123, NULL) &
			 EPT_ADDR_MASK, hpa(8));
	assert_int_equal(f->host.bad, 0);
}

static void test_map_2m_and_1g(void **state)
{
	struct fixture *f = *state;
	u64 gpa = 3 * SZ_2M, e;
	int level = 0;

	assert_int_equal(ept_tree_map(&f->tree, gpa, hpa(512), EPT_LEVEL_2M, EPT_RWX), 0);
	/* PML4 + PDPT + PD, no PT. */
	assert_int_equal(f->host.live, 3);
	e = ept_tree_lookup(&f->tree, gpa + 0x1ff000, &level);
	assert_int_equal(level, EPT_LEVEL_2M);
	assert_int_equal(e, hpa(512) | 0x7 | (6 << 3) | (1 << 7));
	assert_int_equal(ept_tree_lookup(&f->tree, gpa, NULL), e);
	assert_int_equal(ept_tree_lookup(&f->tree, gpa + SZ_2M, NULL), 0);

	/* 1 GiB leaf in the PDPT. */
	assert_int_equal(ept_tree_map(&f->tree, 4 * SZ_1G, hpa(262144), EPT_LEVEL_1G,
				      EPT_R | EPT_X), 0);
	e = ept_tree_lookup(&f->tree, 4 * SZ_1G + SZ_1G - SZ_4K, &level);
	assert_int_equal(level, EPT_LEVEL_1G);
	assert_int_equal(e, hpa(262144) | EPT_R | EPT_X | (6 << 3) | (1 << 7));
	assert_int_equal(f->host.live, 3);

	/* Misalignment of either address is refused. */
	assert_int_equal(ept_tree_map(&f->tree, gpa + SZ_4K, hpa(1024), EPT_LEVEL_2M, EPT_RWX),
			 -EINVAL);
	assert_int_equal(ept_tree_map(&f->tree, 8 * SZ_2M, hpa(1025), EPT_LEVEL_2M, EPT_RWX),
			 -EINVAL);
	assert_int_equal(ept_tree_map(&f->tree, 0x1800, hpa(1), EPT_LEVEL_4K, EPT_RWX), -EINVAL);
	assert_int_equal(ept_tree_map(&f->tree, 0, hpa(1) | 0x10, EPT_LEVEL_4K, EPT_RWX),
			 -EINVAL);
	/* No 512 GiB leaves, no level 0; host address beyond 52 bits. */
	assert_int_equal(ept_tree_map(&f->tree, 0, 0, 4, EPT_RWX), -EINVAL);
	assert_int_equal(ept_tree_map(&f->tree, 0, hpa(0), 0, EPT_RWX), -EINVAL);
	assert_int_equal(ept_tree_map(&f->tree, 0, 1ULL << 52, EPT_LEVEL_4K, EPT_RWX), -EINVAL);
	assert_int_equal(f->host.bad, 0);
}

static void test_read_only_permissions(void **state)
{
	struct fixture *f = *state;
	u64 e;

	assert_int_equal(ept_tree_map(&f->tree, 0xf0000, hpa(3), EPT_LEVEL_4K, EPT_R | EPT_X), 0);
	e = ept_tree_lookup(&f->tree, 0xf0000, NULL);
	assert_int_equal(e & EPT_RWX, EPT_R | EPT_X);
	assert_int_equal(e & EPT_W, 0);
	assert_int_equal(ept_tree_map(&f->tree, 0xf1000, hpa(4), EPT_LEVEL_4K, EPT_R), 0);
	assert_int_equal(ept_tree_lookup(&f->tree, 0xf1000, NULL) & EPT_RWX, EPT_R);
	/* W without R is an EPT misconfiguration; no access at all is not a mapping. */
	assert_int_equal(ept_tree_map(&f->tree, 0xf2000, hpa(5), EPT_LEVEL_4K, EPT_W), -EINVAL);
	assert_int_equal(ept_tree_map(&f->tree, 0xf2000, hpa(5), EPT_LEVEL_4K, EPT_W | EPT_X),
			 -EINVAL);
	assert_int_equal(ept_tree_map(&f->tree, 0xf2000, hpa(5), EPT_LEVEL_4K, 0), -EINVAL);
	/* Callers cannot smuggle memory type or other bits through prot. */
	assert_int_equal(ept_tree_map(&f->tree, 0xf2000, hpa(5), EPT_LEVEL_4K, EPT_R | EPT_IPAT),
			 -EINVAL);
	assert_int_equal(ept_tree_lookup(&f->tree, 0xf2000, NULL), 0);

	/* Release reports dirty only for writable leaves. */
	assert_int_equal(ept_tree_map(&f->tree, 0xf3000, hpa(6), EPT_LEVEL_4K, EPT_RWX), 0);
	ept_tree_destroy(&f->tree);
	assert_int_equal(f->host.dirty[3], 0);
	assert_int_equal(f->host.dirty[4], 0);
	assert_int_equal(f->host.dirty[6], 1);
	assert_int_equal(f->host.bad, 0);
}

static void test_high_addresses(void **state)
{
	struct fixture *f = *state;
	u64 *root = f->tree.root;
	u64 g39 = 1ULL << 39, top = (1ULL << 48) - SZ_4K;
	int level;

	/* 2^39 is the first byte of PML4 entry 1; the top page is entry 511. */
	assert_int_equal(ept_tree_map(&f->tree, g39, hpa(1), EPT_LEVEL_4K, EPT_RWX), 0);
	assert_int_equal(ept_tree_map(&f->tree, top, hpa(2), EPT_LEVEL_4K, EPT_RWX), 0);
	assert_int_equal(ept_tree_map(&f->tree, (1ULL << 47) + 5 * SZ_1G + 7 * SZ_2M,
				      hpa(1024), EPT_LEVEL_2M, EPT_RWX), 0);
	assert_true(root[1] & EPT_RWX);
	assert_true(root[511] & EPT_RWX);
	assert_true(root[256] & EPT_RWX);
	assert_false(root[0] & EPT_RWX);
	assert_int_equal(f->host.live, 1 + 3 + 3 + 2);
	assert_int_equal(ept_tree_lookup(&f->tree, g39, &level) & EPT_ADDR_MASK, hpa(1));
	assert_int_equal(level, EPT_LEVEL_4K);
	/* Bits 38:0 equal, bit 39 different: a different translation. */
	assert_int_equal(ept_tree_lookup(&f->tree, 0, NULL), 0);
	assert_int_equal(ept_tree_lookup(&f->tree, top + 0xfff, NULL) & EPT_ADDR_MASK, hpa(2));
	assert_int_equal(ept_tree_lookup(&f->tree, (1ULL << 47) + 5 * SZ_1G + 7 * SZ_2M + 0x5000,
					 &level) & EPT_ADDR_MASK, hpa(1024));
	assert_int_equal(level, EPT_LEVEL_2M);
	/* A 4-level walk ends at 2^48. */
	assert_int_equal(ept_tree_map(&f->tree, 1ULL << 48, hpa(3), EPT_LEVEL_4K, EPT_RWX),
			 -EINVAL);
	assert_int_equal(ept_tree_lookup(&f->tree, (1ULL << 48) + g39, NULL), 0);
	assert_false(ept_tree_range_empty(&f->tree, 1ULL << 48, EPT_LEVEL_4K));

	assert_int_equal(ept_tree_unmap(&f->tree, g39, SZ_4K), 1);
	assert_int_equal(released(f, hpa(1)), 1);
	assert_false(root[1] & EPT_RWX);
	assert_int_equal(f->host.live, 1 + 3 + 2);
	assert_int_equal(f->host.bad, 0);
}

static void test_overlapping_maps(void **state)
{
	struct fixture *f = *state;
	u64 e2m, e4k;

	assert_int_equal(ept_tree_map(&f->tree, SZ_2M, hpa(512), EPT_LEVEL_2M, EPT_RWX), 0);
	e2m = ept_tree_lookup(&f->tree, SZ_2M, NULL);
	/* A 4K page inside the 2M leaf, the same 2M again, a 1G around it. */
	assert_int_equal(ept_tree_map(&f->tree, SZ_2M + 0x5000, hpa(9), EPT_LEVEL_4K, EPT_RWX),
			 -EEXIST);
	assert_int_equal(ept_tree_map(&f->tree, SZ_2M, hpa(1024), EPT_LEVEL_2M, EPT_R), -EEXIST);
	assert_int_equal(ept_tree_map(&f->tree, 0, hpa(0), EPT_LEVEL_1G, EPT_RWX), -EEXIST);
	assert_int_equal(ept_tree_lookup(&f->tree, SZ_2M + 0x5000, NULL), e2m);
	assert_false(ept_tree_range_empty(&f->tree, SZ_2M + 0x5000, EPT_LEVEL_4K));
	assert_false(ept_tree_range_empty(&f->tree, SZ_2M, EPT_LEVEL_2M));

	/* A 2M leaf over a PT holding one 4K page. */
	assert_int_equal(ept_tree_map(&f->tree, 2 * SZ_2M + 0x3000, hpa(3), EPT_LEVEL_4K,
				      EPT_RWX), 0);
	e4k = ept_tree_lookup(&f->tree, 2 * SZ_2M + 0x3000, NULL);
	assert_false(ept_tree_range_empty(&f->tree, 2 * SZ_2M, EPT_LEVEL_2M));
	assert_true(ept_tree_range_empty(&f->tree, 2 * SZ_2M, EPT_LEVEL_4K));
	assert_int_equal(ept_tree_map(&f->tree, 2 * SZ_2M, hpa(1024), EPT_LEVEL_2M, EPT_RWX),
			 -EEXIST);
	assert_int_equal(ept_tree_lookup(&f->tree, 2 * SZ_2M, NULL), 0);
	/* The same 4K page twice: the first mapping wins, unchanged. */
	assert_int_equal(ept_tree_map(&f->tree, 2 * SZ_2M + 0x3000, hpa(4), EPT_LEVEL_4K, EPT_R),
			 -EEXIST);
	assert_int_equal(ept_tree_lookup(&f->tree, 2 * SZ_2M + 0x3000, NULL), e4k);
	assert_true(ept_tree_range_empty(&f->tree, 3 * SZ_2M, EPT_LEVEL_2M));
	assert_true(ept_tree_range_empty(&f->tree, SZ_1G, EPT_LEVEL_1G));
	assert_int_equal(f->host.nr_release_calls, 0);
	assert_int_equal(f->host.bad, 0);
}

static void test_unmap_range(void **state)
{
	struct fixture *f = *state;
	u64 i, n;

	/* Slot A: 16 4K pages at 1M; slot B: a 2M leaf at 4M; slot C far away. */
	for (i = 0; i < 16; i++)
		assert_int_equal(ept_tree_map(&f->tree, 0x100000 + i * SZ_4K, hpa(i),
					      EPT_LEVEL_4K, EPT_RWX), 0);
	assert_int_equal(ept_tree_map(&f->tree, 2 * SZ_2M, hpa(512), EPT_LEVEL_2M, EPT_RWX), 0);
	assert_int_equal(ept_tree_map(&f->tree, 3 * SZ_1G, hpa(100), EPT_LEVEL_4K, EPT_RWX), 0);
	/* PML4, PDPT, PD(0-1G), PT(0-2M), PD(3G), PT(3G). */
	assert_int_equal(f->host.live, 6);

	/* Half of slot A: 8 leaves, each page once, its PT stays. */
	assert_int_equal(ept_tree_unmap(&f->tree, 0x100000, 8 * SZ_4K), 8);
	for (i = 0; i < 16; i++)
		assert_int_equal(released(f, hpa(i)), i < 8);
	assert_int_equal(f->host.live, 6);
	assert_int_equal(ept_tree_lookup(&f->tree, 0x100000 + 8 * SZ_4K, NULL) & EPT_ADDR_MASK,
			 hpa(8));
	/* Again: nothing left there, nothing released twice. */
	assert_int_equal(ept_tree_unmap(&f->tree, 0x100000, 8 * SZ_4K), 0);

	/* A range that only touches the 2M leaf's last page drops it whole. */
	assert_int_equal(ept_tree_unmap(&f->tree, 3 * SZ_2M - SZ_4K, SZ_4K), 1);
	for (i = 512; i < 1024; i++)
		assert_int_equal(released(f, hpa(i)), 1);
	assert_int_equal(f->host.dirty[600], 1);
	assert_int_equal(ept_tree_lookup(&f->tree, 2 * SZ_2M, NULL), 0);
	assert_int_equal(f->host.live, 6);	/* PD(0-1G) still holds the 1M PT */

	/* The rest of slot A empties its PT and PD: both freed. */
	assert_int_equal(ept_tree_unmap(&f->tree, 0x100000, 16 * SZ_4K), 8);
	for (i = 0; i < 16; i++)
		assert_int_equal(released(f, hpa(i)), 1);
	assert_int_equal(f->host.live, 4);
	assert_false(walk_entry(f, 0, 3) & EPT_RWX);
	assert_int_equal(ept_tree_lookup(&f->tree, 3 * SZ_1G, NULL) & EPT_ADDR_MASK, hpa(100));

	/* Zero size and ranges past 2^48 are no-ops; a wrapping size is clamped. */
	assert_int_equal(ept_tree_unmap(&f->tree, 3 * SZ_1G, 0), 0);
	assert_int_equal(ept_tree_unmap(&f->tree, 1ULL << 48, SZ_1G), 0);
	n = f->host.nr_release_calls;
	assert_int_equal(ept_tree_unmap(&f->tree, SZ_4K, ~0ULL), 1);
	assert_int_equal(f->host.nr_release_calls, n + 1);
	assert_int_equal(released(f, hpa(100)), 1);
	/* Only the PML4 remains, and it is empty. */
	assert_int_equal(f->host.live, 1);
	for (i = 0; i < 512; i++)
		assert_int_equal(f->tree.root[i], 0);
	/* The tree still works. */
	assert_int_equal(ept_tree_map(&f->tree, 0, hpa(200), EPT_LEVEL_4K, EPT_RWX), 0);
	assert_int_equal(f->host.live, 4);
	assert_int_equal(f->host.bad, 0);
}

static void test_destroy_releases_everything(void **state)
{
	struct fixture *f = *state;
	u64 i;

	for (i = 0; i < 40; i++)
		assert_int_equal(ept_tree_map(&f->tree, i * 0x9000 + (i % 3) * SZ_1G, hpa(i),
					      EPT_LEVEL_4K, i % 2 ? EPT_RWX : EPT_R), 0);
	assert_int_equal(ept_tree_map(&f->tree, 100 * SZ_2M, hpa(1024), EPT_LEVEL_2M, EPT_RWX), 0);
	assert_int_equal(ept_tree_map(&f->tree, (1ULL << 46), hpa(262144), EPT_LEVEL_1G,
				      EPT_RWX), 0);
	assert_true(f->host.live > 4);
	ept_tree_destroy(&f->tree);
	assert_int_equal(f->host.live, 0);
	assert_int_equal(f->host.allocs, f->host.frees);
	assert_int_equal(f->host.nr_release_calls, 42);
	for (i = 0; i < HPA_PAGES; i++) {
		bool mapped = i < 40 || (i >= 1024 && i < 1536) ||
			      (i >= 262144 && i < 2 * 262144);

		assert_int_equal(f->host.released[i], mapped);
	}
	assert_null(f->tree.root);
	assert_int_equal(ept_tree_lookup(&f->tree, 0, NULL), 0);
	assert_int_equal(ept_tree_map(&f->tree, 0, hpa(0), EPT_LEVEL_4K, EPT_RWX), -EINVAL);
	assert_int_equal(ept_tree_unmap(&f->tree, 0, SZ_1G), 0);
	assert_int_equal(f->host.bad, 0);
}

static void test_out_of_memory(void **state)
{
	struct fixture *f = *state;

	/* Only the PDPT can be had: the PD allocation fails. */
	f->host.fail_after = 1;
	assert_int_equal(ept_tree_map(&f->tree, 0x5000, hpa(5), EPT_LEVEL_4K, EPT_RWX), -ENOMEM);
	assert_int_equal(ept_tree_lookup(&f->tree, 0x5000, NULL), 0);
	assert_int_equal(f->host.live, 2);
	/* Memory is back: the half-built walk is reused and completed. */
	f->host.fail_after = -1;
	assert_int_equal(ept_tree_map(&f->tree, 0x5000, hpa(5), EPT_LEVEL_4K, EPT_RWX), 0);
	assert_int_equal(f->host.live, 4);
	/* An unmap also collects the empty tables a failed map left. */
	f->host.fail_after = 0;
	assert_int_equal(ept_tree_map(&f->tree, 7 * SZ_1G, hpa(6), EPT_LEVEL_4K, EPT_RWX),
			 -ENOMEM);
	f->host.fail_after = 1;
	assert_int_equal(ept_tree_map(&f->tree, 9 * SZ_1G, hpa(6), EPT_LEVEL_4K, EPT_RWX),
			 -ENOMEM);
	assert_int_equal(f->host.live, 5);
	assert_int_equal(ept_tree_unmap(&f->tree, SZ_1G, 10 * SZ_1G), 0);
	assert_int_equal(f->host.live, 4);
	ept_tree_destroy(&f->tree);
	assert_int_equal(f->host.live, 0);
	assert_int_equal(released(f, hpa(5)), 1);
	assert_int_equal(released(f, hpa(6)), 0);
	assert_int_equal(f->host.bad, 0);
}

static void test_init_out_of_memory(void **state)
{
	struct fake_host *h = calloc(1, sizeof(*h));
	struct ept_tree t;

	(void)state;
	assert_non_null(h);
	h->fail_after = 0;
	assert_int_equal(ept_tree_init(&t, &fake_ops, h), -ENOMEM);
	assert_null(t.root);
	ept_tree_destroy(&t);
	assert_int_equal(h->frees, 0);
	free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_eptp_and_empty_destroy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_4k, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_2m_and_1g, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_only_permissions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_high_addresses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlapping_maps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmap_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_destroy_releases_everything, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
		cmocka_unit_test(test_init_out_of_memory),
	};

	return cmocka_run_group_tests_name("ept_table", tests, NULL, NULL);
}
