// SPDX-License-Identifier: GPL-2.0
/*
 * Guest-linear memory: the guest's execution mode, segment bases and a
 * walk of its page tables (SDM vol 3A 4.3 32-bit, 4.4 PAE, 4.5 4/5-level)
 * for instruction fetch (MMIO decoding) and string I/O. EPT maps what the
 * walk produces through the memory slots (vm_read_guest/vm_write_guest).
 */
#include <linux/kernel.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/traps.h>

#include "vmx/internal.h"

#define PTE_P		BIT_ULL(0)
#define PTE_RW		BIT_ULL(1)
#define PTE_PS		BIT_ULL(7)
#define PTE_ADDR	0x000ffffffffff000ULL
#define PF_ERR_P	BIT(0)
#define PF_ERR_W	BIT(1)
#define PF_ERR_U	BIT(2)

enum vmx_cpu_mode vmx_cpu_mode(struct vtx_vcpu *vcpu)
{
	u32 cs_ar = vmcs_read32(GUEST_CS_AR_BYTES);

	if ((vmcs_read(GUEST_IA32_EFER) & EFER_LMA) && (cs_ar & VMX_AR_L))
		return VMX_MODE_64;
	if (vmcs_read(GUEST_RFLAGS) & X86_EFLAGS_VM)
		return VMX_MODE_16;
	return (cs_ar & VMX_AR_DB) ? VMX_MODE_32 : VMX_MODE_16;
}

u64 vmx_seg_base(struct vtx_vcpu *vcpu, enum vmx_seg seg)
{
	static const unsigned long field[] = {
		[VMX_SEG_ES] = GUEST_ES_BASE, [VMX_SEG_CS] = GUEST_CS_BASE,
		[VMX_SEG_SS] = GUEST_SS_BASE, [VMX_SEG_DS] = GUEST_DS_BASE,
		[VMX_SEG_FS] = GUEST_FS_BASE, [VMX_SEG_GS] = GUEST_GS_BASE,
	};

	/* 64-bit mode ignores the ES/CS/SS/DS bases (SDM vol 3A 3.4.4). */
	if (vmx_cpu_mode(vcpu) == VMX_MODE_64 && seg != VMX_SEG_FS && seg != VMX_SEG_GS)
		return 0;
	return vmcs_read(field[seg]);
}

static int read_pte(struct vtx_vcpu *vcpu, u64 gpa, unsigned int size, u64 *pte)
{
	u32 pte32;

	if (size == 4) {
		if (vm_read_guest(vcpu->vm, gpa, &pte32, 4))
			return -EFAULT;
		*pte = pte32;
		return 0;
	}
	return vm_read_guest(vcpu->vm, gpa, pte, 8) ? -EFAULT : 0;
}

/* The outcomes of a page walk (or a negative errno). */
enum gva_walk {
	GVA_MAPPED,		/* *gpa is the translation */
	GVA_GUEST_FAULT,	/* the guest would take #PF with error code *pf_err */
};

/* Translate @gva: enum gva_walk, or -EFAULT when a paging structure is not guest RAM. */
static int vmx_gva_to_gpa(struct vtx_vcpu *vcpu, u64 gva, bool write, u64 *gpa, u32 *pf_err)
{
	u64 cr0 = vmx_get_cr0(vcpu), cr4 = vmx_get_cr4(vcpu), efer = vmcs_read(GUEST_IA32_EFER);
	u64 table = vmcs_read(GUEST_CR3), pte = 0;
	unsigned int levels, shift, size = 8, level;
	bool user = ((vmcs_read32(GUEST_SS_AR_BYTES) >> 5) & 3) == 3;
	int err;

	*pf_err = (write ? PF_ERR_W : 0) | (user ? PF_ERR_U : 0);
	if (!(cr0 & X86_CR0_PG)) {
		*gpa = (efer & EFER_LMA) ? gva : (u32)gva;
		return GVA_MAPPED;
	}
	if (efer & EFER_LMA) {
		levels = (cr4 & X86_CR4_LA57) ? 5 : 4;
		table &= PTE_ADDR;
	} else if (cr4 & X86_CR4_PAE) {
		/* The PDPTEs are the ones the CPU holds (VMCS), not memory's. */
		static const unsigned long pdptr[4] = {
			GUEST_PDPTR0, GUEST_PDPTR1, GUEST_PDPTR2, GUEST_PDPTR3
		};

		gva = (u32)gva;
		pte = vmcs_read(pdptr[(gva >> 30) & 3]);
		if (!(pte & PTE_P))
			return GVA_GUEST_FAULT;
		table = pte & PTE_ADDR;
		levels = 2;
	} else {
		gva = (u32)gva;
		table &= 0xfffff000ULL;
		levels = 2;
		size = 4;
	}

	for (level = levels; level >= 1; level--) {
		shift = size == 4 ? 12 + 10 * (level - 1) : 12 + 9 * (level - 1);
		err = read_pte(vcpu, table + ((gva >> shift) & (size == 4 ? 1023 : 511)) * size,
			       size, &pte);
		if (err)
			return err;
		if (!(pte & PTE_P))
			return GVA_GUEST_FAULT;
		if (write && !(pte & PTE_RW) && (user || (cr0 & X86_CR0_WP))) {
			*pf_err |= PF_ERR_P;
			return GVA_GUEST_FAULT;
		}
		if (level > 1 && (pte & PTE_PS) && (size == 8 || (cr4 & X86_CR4_PSE))) {
			if (size == 4)	/* 4 MiB page, PSE-36 high bits in 20:13 */
				*gpa = (pte & 0xffc00000ULL) | ((pte & 0x1fe000ULL) << 19) |
				       (gva & 0x3fffffULL);
			else
				*gpa = (pte & PTE_ADDR & ~((1ULL << shift) - 1)) |
				       (gva & ((1ULL << shift) - 1));
			return GVA_MAPPED;
		}
		table = size == 4 ? (pte & 0xfffff000ULL) : (pte & PTE_ADDR);
	}
	*gpa = table | (gva & 0xfff);
	return GVA_MAPPED;
}

/*
 * Copy to/from guest-linear memory page by page: enum vmx_gva_result
 * (VMX_GVA_PF_INJECTED: the caller resumes the guest), -EFAULT for non-RAM.
 */
static int vmx_access_guest_virt(struct vtx_vcpu *vcpu, u64 gva, void *buf, size_t len,
				 bool write, bool inject)
{
	u64 gpa;
	u32 pf_err;
	size_t chunk;
	int err;

	while (len) {
		chunk = min_t(size_t, len, PAGE_SIZE - (gva & (PAGE_SIZE - 1)));
		err = vmx_gva_to_gpa(vcpu, gva, write, &gpa, &pf_err);
		if (err == GVA_GUEST_FAULT && !inject)
			return -EFAULT;
		if (err == GVA_GUEST_FAULT) {
			vcpu->vmx.cr2 = gva;
			vmx_inject_exception(vcpu, X86_TRAP_PF, true, pf_err);
			return VMX_GVA_PF_INJECTED;
		}
		if (err)
			return err;
		if (write)
			err = vm_write_guest(vcpu->vm, gpa, buf, chunk);
		else
			err = vm_read_guest(vcpu->vm, gpa, buf, chunk);
		if (err)
			return -EFAULT;
		gva += chunk;
		buf += chunk;
		len -= chunk;
	}
	return VMX_GVA_OK;
}

int vmx_read_guest_virt(struct vtx_vcpu *vcpu, u64 gva, void *buf, size_t len)
{
	return vmx_access_guest_virt(vcpu, gva, buf, len, false, true);
}

int vmx_fetch_guest_virt(struct vtx_vcpu *vcpu, u64 gva, void *buf, size_t len)
{
	return vmx_access_guest_virt(vcpu, gva, buf, len, false, false);
}

int vmx_write_guest_virt(struct vtx_vcpu *vcpu, u64 gva, const void *buf, size_t len)
{
	return vmx_access_guest_virt(vcpu, gva, (void *)buf, len, true, true);
}
