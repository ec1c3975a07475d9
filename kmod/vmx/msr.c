// SPDX-License-Identifier: GPL-2.0
/*
 * Guest MSRs. The MSR bitmap (SDM vol 3C 24.6.9) passes through the MSRs
 * the VMCS switches by itself (FS/GS base, SYSENTER_*: SDM 26.3.2.1, 27.3.1)
 * and KERNEL_GS_BASE. TSC_AUX is readable in place but its writes exit;
 * STAR, LSTAR, CSTAR and SFMASK exit on reads and writes. So vtx always
 * knows the guest's values of these five ("swap" MSRs).
 *
 * The kernel uses none of them while it runs (they serve SYSCALL, SWAPGS
 * and RDTSCP/RDPID in user mode; the kernel's paranoid entry finds its
 * per-CPU base without RDPID since Linux 5.9 for this reason). So run.c
 * loads the guest's values once per VTX_RUN and puts the host's back only
 * before returning to user mode or being scheduled out, like KVM's
 * user-return MSRs, and only those that differ. The SYSCALL MSRs are not
 * loaded at all unless the guest can execute SYSCALL (KVM does the same):
 * reads exit so the guest still sees its own values.
 */
#include <linux/kernel.h>
#include <asm/msr.h>
#include <asm/cpufeature.h>
#include <asm/traps.h>
#include <asm/apicdef.h>

#include "vmx/internal.h"
#include "vmx/checks.h"
#include "irq/irqchip.h"

/* Bitmap quarters (SDM 24.6.9): read-low, read-high, write-low, write-high. */
#define BITMAP_READ_LOW		0
#define BITMAP_READ_HIGH	1024
#define BITMAP_WRITE_LOW	2048
#define BITMAP_WRITE_HIGH	3072

#define MTRR_CAP_NONE		0	/* no fixed/variable ranges, no WC */
#define MTRR_DEF_TYPE_VALID	(0xffULL | BIT_ULL(10) | BIT_ULL(11))

/*
 * IA32_MISC_ENABLE (SDM vol 4 Table 2-2, architectural since family 0FH).
 * Fast strings (bit 0) is the guest's to clear and set (Linux drops ERMS
 * when it is clear). BTS and PEBS unavailable (11, 12) read 1 and EMON (7)
 * reads 0: no DS area and no PMU (CPUID.1:EDX.DS hidden); writes leave
 * them. Every other bit is 0 and #GP when set, as on a CPU without the
 * feature behind it: EIST (16, CPUID.1:ECX.EST hidden), MONITOR FSM (18,
 * CPUID.1:ECX.MONITOR hidden), xTPR disable (23, xTPR hidden), limit CPUID
 * maxval (22: vtx does not cut the basic range) and XD disable (34: NX
 * stays advertised). Linux only clears 22 and 34, when they are set.
 */
#define MISC_ENABLE_RW		MSR_IA32_MISC_ENABLE_FAST_STRING
#define MISC_ENABLE_RO		(MSR_IA32_MISC_ENABLE_BTS_UNAVAIL | \
				 MSR_IA32_MISC_ENABLE_PEBS_UNAVAIL)

/*
 * IA32_BIOS_SIGN_ID (0x8b): microcode revision in bits 63:32, read after a
 * WRMSR of 0 and a CPUID (SDM vol 3A 10.11.7.1). Linux does exactly that,
 * with unchecked WRMSR/RDMSR, on every family 6 CPU. The guest sees a
 * fixed revision, not the host's (like KVM); its writes are ignored.
 */
#define VMX_UCODE_REV		(1ULL << 32)

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
	memset(bitmap, 0xff, PAGE_SIZE);
	bitmap_allow(bitmap, MSR_FS_BASE, true, true);
	bitmap_allow(bitmap, MSR_GS_BASE, true, true);
	bitmap_allow(bitmap, MSR_KERNEL_GS_BASE, true, true);
	bitmap_allow(bitmap, MSR_IA32_SYSENTER_CS, true, true);
	bitmap_allow(bitmap, MSR_IA32_SYSENTER_ESP, true, true);
	bitmap_allow(bitmap, MSR_IA32_SYSENTER_EIP, true, true);
	/* Loaded whenever it differs from the host's, so its reads are exact. */
	if (vmx_has_tsc_aux())
		bitmap_allow(bitmap, MSR_TSC_AUX, true, false);
}

/*
 * SYSCALL/SYSRET, the only users of STAR/LSTAR/CSTAR/SFMASK, #UD unless
 * EFER.SCE is set and (on Intel) the CPU is in 64-bit mode (SDM vol 2B
 * SYSCALL): without IA-32e mode active they cannot matter to the guest.
 */
static bool vmx_syscall_msrs_used(u64 efer)
{
	return (efer & (EFER_SCE | EFER_LMA)) == (EFER_SCE | EFER_LMA);
}

/*
 * Preemption off, guest state not loaded: save the host's values of what
 * the guest uses and load the guest's where they differ. The host values
 * are read here each time, not cached: they are whatever the CPU holds
 * now (e.g. KVM's guest values pending its own user-return restore).
 */
void vmx_msrs_enter(struct vmx_vcpu *vmx)
{
	bool syscall = vmx_syscall_msrs_used(vmcs_read(GUEST_IA32_EFER));
	u8 loaded = 0;
	int i;

	rdmsrl(MSR_KERNEL_GS_BASE, vmx->host.kernel_gs_base);
	if (vmx->kernel_gs_base != vmx->host.kernel_gs_base)
		wrmsrl(MSR_KERNEL_GS_BASE, vmx->kernel_gs_base);
	for (i = 0; i < VMX_NR_SWAP_MSRS; i++) {
		if (i == VMX_SWAP_TSC_AUX ? !vmx_has_tsc_aux() : !syscall)
			continue;
		rdmsrl(vmx_swap_msr_index[i], vmx->host_swap_msr[i]);
		if (vmx->swap_msr[i] != vmx->host_swap_msr[i]) {
			wrmsrl(vmx_swap_msr_index[i], vmx->swap_msr[i]);
			loaded |= BIT(i);
		}
	}
	vmx->swap_loaded = loaded;
}

/*
 * Preemption off: the guest's KERNEL_GS_BASE saved (SWAPGS and WRMSR
 * change it in place), the host's values back.
 */
void vmx_msrs_exit(struct vmx_vcpu *vmx)
{
	u8 loaded = vmx->swap_loaded;
	int i;

	rdmsrl(MSR_KERNEL_GS_BASE, vmx->kernel_gs_base);
	if (vmx->kernel_gs_base != vmx->host.kernel_gs_base)
		wrmsrl(MSR_KERNEL_GS_BASE, vmx->host.kernel_gs_base);
	for (i = 0; loaded; i++, loaded >>= 1)
		if (loaded & 1)
			wrmsrl(vmx_swap_msr_index[i], vmx->host_swap_msr[i]);
	vmx->swap_loaded = 0;
}

/* EFER is about to change from @old to @new: reload the swap MSRs if their use does. */
void vmx_msrs_efer_changed(struct vmx_vcpu *vmx, u64 old, u64 new)
{
	if (vmx_syscall_msrs_used(old) != vmx_syscall_msrs_used(new))
		vmx_put_guest_state(vmx);
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

/* 0 and *val, or -EINVAL for #GP. */
static int vmx_get_msr(struct vtx_vcpu *vcpu, u32 msr, u64 *val)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	int slot = vmx_swap_slot(msr), r;

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
	case MSR_IA32_MISC_ENABLE:
		*val = vmx->misc_enable;
		break;
	case MSR_IA32_UCODE_REV:
		*val = VMX_UCODE_REV;
		break;
	case MSR_MTRRcap:
		*val = MTRR_CAP_NONE;
		break;
	case MSR_MTRRdefType:
		*val = vmx->mtrr_def_type;
		break;
	default:
		r = vmx_mce_get(&vmx->mce, msr, val);
		return r ? -EINVAL : 0;
	}
	return 0;
}

static int vmx_set_msr(struct vtx_vcpu *vcpu, u32 msr, u64 val)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	int slot = vmx_swap_slot(msr);

	if (slot >= 0) {
		/* Loaded with wrmsrl() at the next entry: never a value the CPU refuses. */
		if (!vmx_guest_msr_valid(msr, val))
			return -EINVAL;
		/* The next entry loads it (rare: guests set these once at boot). */
		vmx_put_guest_state(vmx);
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
		/*
		 * The LAPIC's TSC-deadline timer assumes guest TSC == host TSC
		 * (irqchip_lapic.c): after this write its deadlines are off by
		 * the new offset. Guests that write the TSC do so at boot.
		 */
		vmcs_write(TSC_OFFSET, val - rdtsc());
		return 0;
	case MSR_IA32_MISC_ENABLE:
		if (val & ~(MISC_ENABLE_RW | MISC_ENABLE_RO))
			return -EINVAL;
		vmx->misc_enable = (val & MISC_ENABLE_RW) | MISC_ENABLE_RO;
		return 0;
	case MSR_IA32_UCODE_REV:
		return 0;
	case MSR_MTRRdefType:
		if ((val & ~MTRR_DEF_TYPE_VALID) || (val & 0xff) == 2 || (val & 0xff) == 3 ||
		    (val & 0xff) > 6)
			return -EINVAL;
		vmx->mtrr_def_type = val;
		return 0;
	/*
	 * IA32_XSS exists only with CPUID.(0DH,1):EAX[3] XSAVES (SDM vol 4
	 * Table 2-2), which cpuid.c hides: #GP like such a CPU.
	 */
	default:
		return vmx_mce_set(&vmx->mce, msr, val) ? -EINVAL : 0;
	}
}

/*
 * The in-kernel LAPIC owns its MSRs (IA32_APIC_BASE, IA32_TSC_DEADLINE,
 * the x2APIC range); the others are vmx_get_msr/vmx_set_msr's.
 */
static enum irqchip_access vmx_msr_irqchip(struct vtx_vcpu *vcpu, u32 msr, bool write,
					   u64 *val)
{
	enum irqchip_access r = irqchip_msr(vcpu, msr, write, val);

	/* An EOI or TPR write may let a lower-priority interrupt through. */
	if (r == IRQCHIP_HANDLED && write)
		vmx_events_recheck(vcpu);
	return r;
}


int vmx_handle_rdmsr(struct vtx_vcpu *vcpu)
{
	unsigned long *regs = vcpu->vmx.regs;
	u32 msr = (u32)regs[VMX_RCX];
	u64 val;
	enum irqchip_access a = vmx_msr_irqchip(vcpu, msr, false, &val);
	int r = a == IRQCHIP_HANDLED ? 0 : -EINVAL;

	if (a == IRQCHIP_NOT_MINE)
		r = vmx_get_msr(vcpu, msr, &val);
	if (r) {
		vmx_inject_exception(vcpu, X86_TRAP_GP, true, 0);
		return VMX_RESUME;
	}
	regs[VMX_RAX] = (u32)val;
	regs[VMX_RDX] = val >> 32;
	vmx_skip_insn(vcpu);
	return VMX_RESUME;
}

int vmx_handle_wrmsr(struct vtx_vcpu *vcpu)
{
	unsigned long *regs = vcpu->vmx.regs;
	u64 val = ((u64)(u32)regs[VMX_RDX] << 32) | (u32)regs[VMX_RAX];
	u32 msr = (u32)regs[VMX_RCX];
	enum irqchip_access a = vmx_msr_irqchip(vcpu, msr, true, &val);
	int r = a == IRQCHIP_HANDLED ? 0 : -EINVAL;

	if (a == IRQCHIP_NOT_MINE)
		r = vmx_set_msr(vcpu, msr, val);
	if (r) {
		vmx_inject_exception(vcpu, X86_TRAP_GP, true, 0);
		return VMX_RESUME;
	}
	vmx_skip_insn(vcpu);
	return VMX_RESUME;
}
