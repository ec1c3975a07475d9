// SPDX-License-Identifier: GPL-2.0
/*
 * Guest MSRs. The MSR bitmap (SDM vol 3C 24.6.9) passes through the MSRs
 * the VMCS switches by itself (FS/GS base, SYSENTER_*: SDM 26.3.2.1, 27.3.1)
 * and KERNEL_GS_BASE, which run.c swaps around each entry. STAR, LSTAR,
 * CSTAR, SFMASK and TSC_AUX are readable in place but their writes exit,
 * so vtx always knows the guest's value and swaps it only when it differs.
 * Everything else exits to the emulated set below; unknown MSRs #GP.
 */
#include <linux/kernel.h>
#include <asm/msr.h>
#include <asm/cpufeature.h>
#include <asm/traps.h>

#include "vmx/internal.h"

/* Bitmap quarters (SDM 24.6.9): read-low, read-high, write-low, write-high. */
#define BITMAP_READ_LOW		0
#define BITMAP_READ_HIGH	1024
#define BITMAP_WRITE_LOW	2048
#define BITMAP_WRITE_HIGH	3072

#define MTRR_CAP_NONE		0	/* no fixed/variable ranges, no WC */
#define MTRR_DEF_TYPE_VALID	(0xffULL | BIT_ULL(10) | BIT_ULL(11))
#define APIC_BASE_VALID		(0xfffff000ULL | BIT_ULL(8) | BIT_ULL(11))

static const u32 vmx_swap_msr_index[VMX_NR_SWAP_MSRS] = {
	[VMX_SWAP_STAR] = MSR_STAR,
	[VMX_SWAP_LSTAR] = MSR_LSTAR,
	[VMX_SWAP_CSTAR] = MSR_CSTAR,
	[VMX_SWAP_SFMASK] = MSR_SYSCALL_MASK,
	[VMX_SWAP_TSC_AUX] = MSR_TSC_AUX,
};

static bool vmx_has_tsc_aux(void)
{
	return boot_cpu_has(X86_FEATURE_RDTSCP) || boot_cpu_has(X86_FEATURE_RDPID);
}

static void bitmap_allow(void *bitmap, u32 msr, bool read, bool write)
{
	unsigned long *base = bitmap;
	unsigned int off = msr & 0x1fff;
	bool high = msr >= 0xc0000000;

	if (read)
		__clear_bit(off, base + (high ? BITMAP_READ_HIGH : BITMAP_READ_LOW) /
			    sizeof(long));
	if (write)
		__clear_bit(off, base + (high ? BITMAP_WRITE_HIGH : BITMAP_WRITE_LOW) /
			    sizeof(long));
}

void vmx_msr_bitmap_init(void *bitmap)
{
	int i;

	memset(bitmap, 0xff, PAGE_SIZE);
	bitmap_allow(bitmap, MSR_FS_BASE, true, true);
	bitmap_allow(bitmap, MSR_GS_BASE, true, true);
	bitmap_allow(bitmap, MSR_KERNEL_GS_BASE, true, true);
	bitmap_allow(bitmap, MSR_IA32_SYSENTER_CS, true, true);
	bitmap_allow(bitmap, MSR_IA32_SYSENTER_ESP, true, true);
	bitmap_allow(bitmap, MSR_IA32_SYSENTER_EIP, true, true);
	for (i = 0; i < VMX_NR_SWAP_MSRS; i++) {
		if (i == VMX_SWAP_TSC_AUX && !vmx_has_tsc_aux())
			continue;
		bitmap_allow(bitmap, vmx_swap_msr_index[i], true, false);
	}
}

void vmx_msrs_enter(struct vmx_vcpu *vmx)
{
	int i;

	wrmsrl(MSR_KERNEL_GS_BASE, vmx->kernel_gs_base);
	for (i = 0; i < VMX_NR_SWAP_MSRS; i++) {
		if (i == VMX_SWAP_TSC_AUX && !vmx_has_tsc_aux())
			continue;
		rdmsrl(vmx_swap_msr_index[i], vmx->host_swap_msr[i]);
		if (vmx->swap_msr[i] != vmx->host_swap_msr[i])
			wrmsrl(vmx_swap_msr_index[i], vmx->swap_msr[i]);
	}
}

void vmx_msrs_exit(struct vmx_vcpu *vmx)
{
	int i;

	rdmsrl(MSR_KERNEL_GS_BASE, vmx->kernel_gs_base);
	for (i = 0; i < VMX_NR_SWAP_MSRS; i++) {
		if (i == VMX_SWAP_TSC_AUX && !vmx_has_tsc_aux())
			continue;
		if (vmx->swap_msr[i] != vmx->host_swap_msr[i])
			wrmsrl(vmx_swap_msr_index[i], vmx->host_swap_msr[i]);
	}
}

static int vmx_swap_slot(u32 msr)
{
	int i;

	for (i = 0; i < VMX_NR_SWAP_MSRS; i++)
		if (vmx_swap_msr_index[i] == msr)
			return (i == VMX_SWAP_TSC_AUX && !vmx_has_tsc_aux()) ? -1 : i;
	return -1;
}

/* Memory types a PAT entry may hold: UC, WC, WT, WP, WB, UC- (SDM 11.12.2). */
static bool vmx_pat_valid(u64 pat)
{
	int i;

	for (i = 0; i < 8; i++) {
		u8 type = (pat >> (8 * i)) & 0xff;

		if (type == 2 || type == 3 || type > 7)
			return false;
	}
	return true;
}

static bool vmx_is_canonical(u64 addr)
{
	return (u64)((s64)(addr << 16) >> 16) == addr;
}

/* 0 and *val, or -EINVAL for #GP. */
static int vmx_get_msr(struct vtx_vcpu *vcpu, u32 msr, u64 *val)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	int slot = vmx_swap_slot(msr);

	if (slot >= 0) {
		*val = vmx->swap_msr[slot];
		return 0;
	}
	switch (msr) {
	case MSR_EFER:
		*val = vmcs_read(GUEST_IA32_EFER);
		break;
	case MSR_IA32_CR_PAT:
		*val = vmcs_read(GUEST_IA32_PAT);
		break;
	case MSR_IA32_TSC:
		*val = rdtsc() + vmcs_read(TSC_OFFSET);
		break;
	case MSR_IA32_APICBASE:
		*val = vmx->apic_base;
		break;
	case MSR_IA32_MISC_ENABLE:
		*val = vmx->misc_enable;
		break;
	case MSR_MTRRcap:
		*val = MTRR_CAP_NONE;
		break;
	case MSR_MTRRdefType:
		*val = vmx->mtrr_def_type;
		break;
	case MSR_IA32_XSS:
		*val = 0;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static int vmx_set_msr(struct vtx_vcpu *vcpu, u32 msr, u64 val)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	int slot = vmx_swap_slot(msr);

	if (slot >= 0) {
		if ((msr == MSR_LSTAR || msr == MSR_CSTAR) && !vmx_is_canonical(val))
			return -EINVAL;
		if (msr == MSR_TSC_AUX && (val >> 32))
			return -EINVAL;
		vmx->swap_msr[slot] = val;
		return 0;
	}
	switch (msr) {
	case MSR_EFER:
		return vmx_set_efer(vcpu, val);
	case MSR_IA32_CR_PAT:
		if (!vmx_pat_valid(val))
			return -EINVAL;
		vmcs_write(GUEST_IA32_PAT, val);
		return 0;
	case MSR_IA32_TSC:
		vmcs_write(TSC_OFFSET, val - rdtsc());
		return 0;
	case MSR_IA32_APICBASE:
		/* No x2APIC (bit 10) and no address above 4 GiB: no APIC model yet. */
		if (val & ~APIC_BASE_VALID)
			return -EINVAL;
		vmx->apic_base = val;
		return 0;
	case MSR_IA32_MISC_ENABLE:
		vmx->misc_enable = val;
		return 0;
	case MSR_MTRRdefType:
		if ((val & ~MTRR_DEF_TYPE_VALID) || (val & 0xff) == 2 || (val & 0xff) == 3 ||
		    (val & 0xff) > 6)
			return -EINVAL;
		vmx->mtrr_def_type = val;
		return 0;
	case MSR_IA32_XSS:
		return val ? -EINVAL : 0;	/* XSAVES is hidden in CPUID */
	default:
		return -EINVAL;
	}
}

int vmx_handle_rdmsr(struct vtx_vcpu *vcpu)
{
	unsigned long *regs = vcpu->vmx.regs;
	u64 val;

	if (vmx_get_msr(vcpu, (u32)regs[VMX_RCX], &val)) {
		vmx_inject_exception(vcpu, X86_TRAP_GP, true, 0);
		return 1;
	}
	regs[VMX_RAX] = (u32)val;
	regs[VMX_RDX] = val >> 32;
	vmx_skip_insn(vcpu);
	return 1;
}

int vmx_handle_wrmsr(struct vtx_vcpu *vcpu)
{
	unsigned long *regs = vcpu->vmx.regs;
	u64 val = ((u64)(u32)regs[VMX_RDX] << 32) | (u32)regs[VMX_RAX];

	if (vmx_set_msr(vcpu, (u32)regs[VMX_RCX], val)) {
		vmx_inject_exception(vcpu, X86_TRAP_GP, true, 0);
		return 1;
	}
	vmx_skip_insn(vcpu);
	return 1;
}
