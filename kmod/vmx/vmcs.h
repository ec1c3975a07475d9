/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMCS field access and the VMX instructions that take a VMCS or a TLB tag.
 * Field encodings, control bits and exit reasons are the kernel's own
 * (<asm/vmx.h>, SDM vol 3D appendix B and C); this file adds the
 * instructions (SDM vol 3C 30.3) with their failure reporting.
 */
#ifndef _VTX_VMCS_H
#define _VTX_VMCS_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <asm/asm.h>
#include <asm/vmx.h>

/* Segment access rights in the VMCS (SDM 24.4.1 Table 24-2). */
#define VMX_AR_TYPE(t)		((t) & 0xf)
#define VMX_AR_S		BIT(4)
#define VMX_AR_DPL_SHIFT	5
#define VMX_AR_P		BIT(7)
#define VMX_AR_AVL		BIT(12)
#define VMX_AR_L		BIT(13)
#define VMX_AR_DB		BIT(14)
#define VMX_AR_G		BIT(15)
#define VMX_AR_UNUSABLE		BIT(16)

/* Logs a failed VMX instruction once per call site family (vmcs.c). */
void vmcs_error(const char *insn, unsigned long field);

/*
 * VMREAD/VMWRITE set CF (VMfailInvalid: no current VMCS) or ZF
 * (VMfailValid: bad field); "be" catches both (SDM 30.2).
 */
static __always_inline unsigned long vmcs_read(unsigned long field)
{
	unsigned long value;
	bool fail;

	asm volatile("vmread %[field], %[value]" CC_SET(be)
		     : CC_OUT(be) (fail), [value] "=r" (value)
		     : [field] "r" (field)
		     : "cc");
	if (unlikely(fail)) {
		vmcs_error("vmread", field);
		return 0;
	}
	return value;
}

static __always_inline void vmcs_write(unsigned long field, unsigned long value)
{
	bool fail;

	asm volatile("vmwrite %[value], %[field]" CC_SET(be)
		     : CC_OUT(be) (fail)
		     : [value] "rm" (value), [field] "r" (field)
		     : "cc", "memory");
	if (unlikely(fail))
		vmcs_error("vmwrite", field);
}

static __always_inline u32 vmcs_read32(unsigned long field)
{
	return (u32)vmcs_read(field);
}

static inline void vmcs_set_bits(unsigned long field, unsigned long mask)
{
	vmcs_write(field, vmcs_read(field) | mask);
}

static inline void vmcs_clear_bits(unsigned long field, unsigned long mask)
{
	vmcs_write(field, vmcs_read(field) & ~mask);
}

/* VMCLEAR: flush the VMCS to memory and make it inactive (SDM 24.11.3). */
static inline int vmcs_clear(u64 pa)
{
	bool fail;

	asm volatile("vmclear %[pa]" CC_SET(be)
		     : CC_OUT(be) (fail) : [pa] "m" (pa) : "cc", "memory");
	return fail ? -EIO : 0;
}

/* VMPTRLD: make the VMCS current and active on this CPU. */
static inline int vmcs_load(u64 pa)
{
	bool fail;

	asm volatile("vmptrld %[pa]" CC_SET(be)
		     : CC_OUT(be) (fail) : [pa] "m" (pa) : "cc", "memory");
	return fail ? -EIO : 0;
}

/* VMPTRST: physical address of this CPU's current VMCS, ~0 if none. */
static inline u64 vmcs_current(void)
{
	u64 pa;

	asm volatile("vmptrst %[pa]" : [pa] "=m" (pa) : : "cc", "memory");
	return pa;
}

/* INVVPID single-context (type 1): drop this VPID's TLB entries (SDM 30.3). */
static inline void vmx_invvpid_single(u16 vpid)
{
	struct { u64 vpid; u64 gva; } desc = { vpid, 0 };
	unsigned long type = 1;

	/* VPID 0: no VPID, the next entry flushes anyway; INVVPID would VMfail (SDM 30.3). */
	if (!vpid)
		return;
	asm volatile("invvpid %[desc], %[type]"
		     : : [desc] "m" (desc), [type] "r" (type) : "cc", "memory");
}

/* INVEPT single-context (type 1): drop mappings derived from @eptp. */
static inline void vmx_invept_single(u64 eptp)
{
	struct { u64 eptp; u64 rsvd; } desc = { eptp, 0 };
	unsigned long type = 1;

	asm volatile("invept %[desc], %[type]"
		     : : [desc] "m" (desc), [type] "r" (type) : "cc", "memory");
}

#endif /* _VTX_VMCS_H */
