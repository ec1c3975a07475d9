/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel types for code that also compiles in userspace (cmocka tests and
 * vmctl): instruction decoding, CPUID filtering, control adjustment, EPT
 * table building, capability decoding. Such files include only this header
 * and uapi/vtx.h, never <linux/...> directly.
 */
#ifndef _VTX_KTYPES_H
#define _VTX_KTYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/nospec.h>
#else
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <errno.h>
#include <linux/types.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
#ifndef BIT
#define BIT(n)		(1UL << (n))
#define BIT_ULL(n)	(1ULL << (n))
#endif
/* As in the kernel: a compiler barrier, and one untorn access. */
static inline void barrier(void)
{
	__asm__ __volatile__("" : : : "memory");
}

#define WRITE_ONCE(x, val)	__atomic_store_n(&(x), (val), __ATOMIC_RELAXED)
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)

/*
 * Spectre v1: <linux/nospec.h>'s clamp of a guest-chosen index, which the
 * CPU cannot bypass by speculating past the bounds check before it. Here
 * the kernel's generic branch-free form (index if < size, else 0), so the
 * tests run the same arithmetic.
 */
static inline unsigned long array_index_mask_nospec(unsigned long index, unsigned long size)
{
	/* All ones if index < size, else 0: the sign of (size - 1 - index). */
	return (unsigned long)(~(long)(index | (size - 1UL - index)) >> (sizeof(long) * 8 - 1));
}

#define array_index_nospec(index, size)					\
	((__typeof__(index))((unsigned long)(index) &			\
			     array_index_mask_nospec((index), (size))))
#endif

#endif /* _VTX_KTYPES_H */
