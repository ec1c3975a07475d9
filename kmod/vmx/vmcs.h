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
 * A VMX instruction faulted (vmxon.c): #UD after VMXOFF. Expected only while
 * the host shuts down (the reboot notifier turned VMX off under a vCPU
 * thread that was between two VMX instructions), where it is silent;
 * anything else is a vtx bug and WARNs. Like KVM's kvm_spurious_fault().
 */
void vmx_insn_fault(const char *insn);

/*
 * Every VMX instruction below has an exception-table entry (no cost on
 * the normal path) that turns its fault into vmx_insn_fault() and a
 * failure return instead of an oops.
 *
 * VMREAD/VMWRITE set CF (VMfailInvalid: no current VMCS) or ZF
 * (VMfailValid: bad field); "be" catches both (SDM 30.2).
 */
static __always_inline unsigned long vmcs_read(unsigned long field)
{
	unsigned long value;

	asm_goto_output("1: vmread %[field], %[value]\n\t"
			"jbe %l[fail]\n\t"
			_ASM_EXTABLE(1b, %l[fault])
			: [value] "=r" (value)
			: [field] "r" (field)
			: "cc" : fail, fault);
	return value;
fail:
	vmcs_error("vmread", field);
	return 0;
fault:
	vmx_insn_fault("vmread");
	return 0;
}

static __always_inline void vmcs_write(unsigned long field, unsigned long value)
{
	asm goto("1: vmwrite %[value], %[field]\n\t"
		 "jbe %l[fail]\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : [value] "rm" (value), [field] "r" (field)
		 : "cc", "memory" : fail, fault);
	return;
fail:
	vmcs_error("vmwrite", field);
	return;
fault:
	vmx_insn_fault("vmwrite");
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
	asm goto("1: vmclear %[pa]\n\t"
		 "jbe %l[fail]\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : [pa] "m" (pa) : "cc", "memory" : fail, fault);
	return 0;
fault:
	vmx_insn_fault("vmclear");
fail:
	return -EIO;
}

/* VMPTRLD: make the VMCS current and active on this CPU. */
static inline int vmcs_load(u64 pa)
{
	asm goto("1: vmptrld %[pa]\n\t"
		 "jbe %l[fail]\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : [pa] "m" (pa) : "cc", "memory" : fail, fault);
	return 0;
fault:
	vmx_insn_fault("vmptrld");
fail:
	return -EIO;
}

/* VMPTRST: physical address of this CPU's current VMCS, ~0 if none. */
static inline u64 vmcs_current(void)
{
	u64 pa;

	asm_goto_output("1: vmptrst %[pa]\n\t"
			_ASM_EXTABLE(1b, %l[fault])
			: [pa] "=m" (pa) : : "cc", "memory" : fault);
	return pa;
fault:
	vmx_insn_fault("vmptrst");
	return ~0ULL;
}

/* INVVPID single-context (type 1): drop this VPID's TLB entries (SDM 30.3). */
static inline void vmx_invvpid_single(u16 vpid)
{
	struct { u64 vpid; u64 gva; } desc = { vpid, 0 };
	unsigned long type = 1;

	/* VPID 0: no VPID, the next entry flushes anyway; INVVPID would VMfail (SDM 30.3). */
	if (!vpid)
		return;
	asm goto("1: invvpid %[desc], %[type]\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : [desc] "m" (desc), [type] "r" (type) : "cc", "memory" : fault);
	return;
fault:
	vmx_insn_fault("invvpid");
}

/* INVEPT single-context (type 1): drop mappings derived from @eptp. */
static inline void vmx_invept_single(u64 eptp)
{
	struct { u64 eptp; u64 rsvd; } desc = { eptp, 0 };
	unsigned long type = 1;

	asm goto("1: invept %[desc], %[type]\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : [desc] "m" (desc), [type] "r" (type) : "cc", "memory" : fault);
	return;
fault:
	vmx_insn_fault("invept");
}

#endif /* _VTX_VMCS_H */
