// SPDX-License-Identifier: GPL-2.0
/*
 * Guest CPUID: the host's answers with what vtx does not virtualise taken
 * out, the hypervisor present, and a topology that matches the VM's vCPU
 * count (one core per vCPU, one thread per core, one package). Pure
 * arithmetic, also built in userspace for tests/unit/test_cpuid.c.
 */
#include "ktypes.h"
#include "vmx/cpuid.h"

/* Leaf 1 ECX/EDX (SDM vol 2A CPUID, Table 3-10/3-11). */
#define C1_ECX_DTES64		BIT(2)
#define C1_ECX_MONITOR		BIT(3)
#define C1_ECX_DSCPL		BIT(4)
#define C1_ECX_VMX		BIT(5)
#define C1_ECX_SMX		BIT(6)
#define C1_ECX_EST		BIT(7)
#define C1_ECX_TM2		BIT(8)
#define C1_ECX_XTPR		BIT(14)
#define C1_ECX_PDCM		BIT(15)
#define C1_ECX_FMA		BIT(12)
#define C1_ECX_X2APIC		BIT(21)
#define C1_ECX_TSC_DEADLINE	BIT(24)
#define C1_ECX_XSAVE		BIT(26)
#define C1_ECX_OSXSAVE		BIT(27)
#define C1_ECX_AVX		BIT(28)
#define C1_ECX_F16C		BIT(29)
#define C1_ECX_HYPERVISOR	BIT(31)
#define C1_EDX_APIC		BIT(9)
#define C1_EDX_DS		BIT(21)
#define C1_EDX_ACPI		BIT(22)
#define C1_EDX_HTT		BIT(28)
#define C1_EDX_TM		BIT(29)
#define C1_EDX_PBE		BIT(31)

/* Leaf 7.0: features whose MSRs or machinery vtx does not provide. */
#define C7_EBX_SGX		BIT(2)
#define C7_EBX_TSC_ADJUST	BIT(1)
#define C7_EBX_AVX2		BIT(5)
#define C7_EBX_RDT_M		BIT(12)
#define C7_EBX_MPX		BIT(14)	/* IA32_BNDCFGS, XCR0 bits 3-4 */
#define C7_EBX_RDT_A		BIT(15)
#define C7_EBX_PT		BIT(25)
#define C7_ECX_PKU		BIT(3)	/* guests may not set CR4.PKE (cr.c) */
#define C7_ECX_OSPKE		BIT(4)
#define C7_ECX_WAITPKG		BIT(5)	/* IA32_UMWAIT_CONTROL */
#define C7_ECX_CET_SS		BIT(7)	/* IA32_U_CET/S_CET, PLx_SSP */
#define C7_ECX_TME		BIT(13)	/* IA32_TME_CAPABILITY/ACTIVATE */
#define C7_ECX_PKS		BIT(31)	/* IA32_PKRS */
#define C7_ECX_SGX_LC		BIT(30)
#define C7_EDX_HYBRID		BIT(15)
#define C7_EDX_PCONFIG		BIT(18)
#define C7_EDX_CET_IBT		BIT(20)
#define C7_EDX_IBRS		BIT(26)
#define C7_EDX_STIBP		BIT(27)
#define C7_EDX_L1D_FLUSH	BIT(28)
#define C7_EDX_ARCH_CAP		BIT(29)
#define C7_EDX_CORE_CAP		BIT(30)
#define C7_EDX_SSBD		BIT(31)

/* AVX-512 features (leaf 7.0): usable only with XCR0 bits 7:5 (SDM vol 1 15.2). */
#define C7_EBX_AVX512		(BIT(16) | BIT(17) | BIT(21) | BIT(26) | BIT(27) | BIT(28) | \
				 BIT(30) | BIT(31))
#define C7_ECX_AVX512		(BIT(1) | BIT(6) | BIT(11) | BIT(12) | BIT(14))
#define C7_EDX_AVX512		(BIT(2) | BIT(3) | BIT(8) | BIT(23))

/* XCR0 state components (SDM vol 1 13.1). */
#define XCR0_X87		BIT_ULL(0)
#define XCR0_YMM		BIT_ULL(2)
#define XCR0_MPX		(BIT_ULL(3) | BIT_ULL(4))
#define XCR0_AVX512		(BIT_ULL(5) | BIT_ULL(6) | BIT_ULL(7))

/* Leaf 0xd.1 EAX: XSAVES needs IA32_XSS, which vtx pins to 0; XFD likewise. */
#define CD1_EAX_XSAVES		BIT(3)
#define CD1_EAX_XFD		BIT(4)

static void cpuid_zero(struct vmx_cpuid_regs *r)
{
	r->eax = r->ebx = r->ecx = r->edx = 0;
}

/* Bits needed to number @n things: ceil(log2(n)). */
static u32 cpuid_order(u32 n)
{
	u32 bits = 0;

	while ((1u << bits) < n && bits < 31)
		bits++;
	return bits;
}

static void cpuid_leaf1(const struct vmx_cpuid_ctx *ctx, struct vmx_cpuid_regs *r)
{
	u32 count = ctx->nr_vcpus > 255 ? 255 : ctx->nr_vcpus;

	/* EBX[31:24] initial APIC ID, [23:16] addressable logical CPUs. */
	r->ebx = (r->ebx & 0xffff) | (count << 16) | ((ctx->vcpu_id & 0xff) << 24);
	r->ecx &= ~(C1_ECX_DTES64 | C1_ECX_MONITOR | C1_ECX_DSCPL | C1_ECX_VMX |
		    C1_ECX_SMX | C1_ECX_EST | C1_ECX_TM2 | C1_ECX_XTPR | C1_ECX_PDCM |
		    C1_ECX_X2APIC | C1_ECX_TSC_DEADLINE | C1_ECX_OSXSAVE);
	/* OSXSAVE mirrors the guest's CR4.OSXSAVE, not the host's. */
	if (ctx->guest_osxsave)
		r->ecx |= C1_ECX_OSXSAVE;
	r->ecx |= C1_ECX_HYPERVISOR;
	/* Every VM has the in-kernel LAPIC: x2APIC MSRs and TSC-deadline mode. */
	r->ecx |= C1_ECX_X2APIC | C1_ECX_TSC_DEADLINE;
	r->edx |= C1_EDX_APIC;
	/*
	 * No XSAVE without an XCR0 the guest may set (a host kernel that
	 * turned XSAVE off, cr.c); no VEX instructions without AVX state.
	 */
	if (!(ctx->host_xcr0 & XCR0_X87))
		r->ecx &= ~C1_ECX_XSAVE;
	if (!(ctx->host_xcr0 & XCR0_YMM))
		r->ecx &= ~(C1_ECX_AVX | C1_ECX_FMA | C1_ECX_F16C);
	r->edx &= ~(C1_EDX_DS | C1_EDX_ACPI | C1_EDX_HTT | C1_EDX_TM | C1_EDX_PBE);
	if (ctx->nr_vcpus > 1)
		r->edx |= C1_EDX_HTT;
}

/* Deterministic cache parameters: L1/L2 private, L3 shared by all vCPUs. */
static void cpuid_leaf4(const struct vmx_cpuid_ctx *ctx, struct vmx_cpuid_regs *r)
{
	u32 cores = ctx->nr_vcpus > 64 ? 64 : ctx->nr_vcpus;
	u32 level = (r->eax >> 5) & 7;
	u32 sharing = level >= 3 ? cores - 1 : 0;

	if (!(r->eax & 0x1f))	/* type 0: no more caches */
		return;
	r->eax &= 0x3fff;
	r->eax |= ((cores - 1) << 26) | ((sharing & 0xfff) << 14);
}

static void cpuid_leaf7(const struct vmx_cpuid_ctx *ctx, struct vmx_cpuid_regs *r, u32 subleaf)
{
	if (subleaf != 0) {
		cpuid_zero(r);
		return;
	}
	if (!(ctx->host_xcr0 & XCR0_YMM))
		r->ebx &= ~C7_EBX_AVX2;
	if ((ctx->host_xcr0 & XCR0_AVX512) != XCR0_AVX512) {
		r->ebx &= ~C7_EBX_AVX512;
		r->ecx &= ~C7_ECX_AVX512;
		r->edx &= ~C7_EDX_AVX512;
	}
	/* MPX needs its XSAVE state: Linux 5.6+ hosts no longer enable it. */
	if ((ctx->host_xcr0 & XCR0_MPX) != XCR0_MPX)
		r->ebx &= ~C7_EBX_MPX;
	/*
	 * Features whose MSRs vtx does not implement (msr.c #GPs them), so
	 * hidden as on a CPU without them: TSC_ADJUST, WAITPKG's
	 * UMWAIT_CONTROL, CET's U_CET/S_CET (also needs IA32_XSS), PKS's
	 * PKRS, TME, PCONFIG, and the speculation-control MSRs SPEC_CTRL,
	 * PRED_CMD, FLUSH_CMD, ARCH_CAPABILITIES, CORE_CAPABILITIES.
	 */
	r->ebx &= ~(C7_EBX_SGX | C7_EBX_TSC_ADJUST | C7_EBX_RDT_M | C7_EBX_RDT_A | C7_EBX_PT);
	r->ecx &= ~(C7_ECX_PKU | C7_ECX_OSPKE | C7_ECX_WAITPKG | C7_ECX_SGX_LC |
		    C7_ECX_CET_SS | C7_ECX_TME | C7_ECX_PKS);
	r->edx &= ~(C7_EDX_HYBRID | C7_EDX_IBRS | C7_EDX_STIBP | C7_EDX_L1D_FLUSH |
		    C7_EDX_ARCH_CAP | C7_EDX_CORE_CAP | C7_EDX_SSBD | C7_EDX_PCONFIG |
		    C7_EDX_CET_IBT);
	r->eax = 0;	/* only subleaf 0 exists for the guest */
}

/* Extended topology (SDM vol 2A CPUID leaf 0BH): SMT level, then core level. */
static void cpuid_leafb(const struct vmx_cpuid_ctx *ctx, u32 subleaf, struct vmx_cpuid_regs *r)
{
	r->edx = ctx->vcpu_id;	/* x2APIC ID */
	switch (subleaf) {
	case 0:
		r->eax = 0;
		r->ebx = 1;
		r->ecx = subleaf | (1u << 8);
		break;
	case 1:
		r->eax = cpuid_order(ctx->nr_vcpus);
		r->ebx = ctx->nr_vcpus;
		r->ecx = subleaf | (2u << 8);
		break;
	default:
		r->eax = r->ebx = 0;
		r->ecx = subleaf & 0xff;
		break;
	}
}

/*
 * XSAVE: only features the host enabled in XCR0 can be enabled by the
 * guest (sub-leaf 0 EAX/EDX, the bits XSETBV accepts, cr.c), and only
 * their component sub-leaves are reported. Without any (no host XSAVE,
 * CPUID.1:ECX.XSAVE hidden) the whole leaf reads 0. Sub-leaf 0 EBX/ECX
 * (sizes) are the caller's: vmx_cpuid_xsave_sizes().
 */
static void cpuid_leafd(const struct vmx_cpuid_ctx *ctx, u32 subleaf, struct vmx_cpuid_regs *r)
{
	if (!(ctx->host_xcr0 & XCR0_X87)) {
		cpuid_zero(r);
	} else if (subleaf == 0) {
		r->eax &= (u32)ctx->host_xcr0;
		r->edx &= (u32)(ctx->host_xcr0 >> 32);
	} else if (subleaf == 1) {
		r->eax &= ~(CD1_EAX_XSAVES | CD1_EAX_XFD);
		r->ebx = r->ecx = r->edx = 0;
	} else if (subleaf >= 64 || !(ctx->host_xcr0 & BIT_ULL(subleaf))) {
		cpuid_zero(r);
	}
}

static void cpuid_hypervisor(u32 leaf, struct vmx_cpuid_regs *r)
{
	const char *sig = VTX_CPUID_SIGNATURE;

	cpuid_zero(r);
	if (leaf != VTX_CPUID_BASE)
		return;
	r->eax = VTX_CPUID_MAX_HV_LEAF;
	memcpy(&r->ebx, sig, 4);
	memcpy(&r->ecx, sig + 4, 4);
	memcpy(&r->edx, sig + 8, 4);
}

void vmx_cpuid_filter(const struct vmx_cpuid_ctx *ctx, u32 leaf, u32 subleaf,
		      struct vmx_cpuid_regs *r)
{
	if (leaf >= VTX_CPUID_BASE && leaf <= VTX_CPUID_BASE + 0xff) {
		cpuid_hypervisor(leaf, r);
		return;
	}
	switch (leaf) {
	case 0x1:
		cpuid_leaf1(ctx, r);
		break;
	case 0x4:
		cpuid_leaf4(ctx, r);
		break;
	case 0x7:
		cpuid_leaf7(ctx, r, subleaf);
		break;
	case 0xb:
		cpuid_leafb(ctx, subleaf, r);
		break;
	case 0xd:
		cpuid_leafd(ctx, subleaf, r);
		break;
	case 0x5:	/* MONITOR/MWAIT: exits to #UD */
	case 0x6:	/* thermal and power management MSRs */
	case 0xa:	/* architectural PMU: no PMU for guests */
	case 0xf:	/* resource director technology */
	case 0x10:
	case 0x12:	/* SGX */
	case 0x14:	/* processor trace */
	case 0x1f:	/* v2 topology: leaf 0xb describes it */
		cpuid_zero(r);
		break;
	default:
		break;
	}
}

/*
 * Basic leaves whose answer depends on the subleaf in ECX (SDM vol 2A
 * CPUID: 4, 7, 0BH, 0DH, 0FH, 10H, 12H, 14H, 17H, 18H, 1BH, 1DH, 1EH, 1FH).
 */
#define CPUID_SUBLEAF_BASIC	(BIT(0x4) | BIT(0x7) | BIT(0xb) | BIT(0xd) | BIT(0xf) | \
				 BIT(0x10) | BIT(0x12) | BIT(0x14) | BIT(0x17) | \
				 BIT(0x18) | BIT(0x1b) | BIT(0x1d) | BIT(0x1e) | BIT(0x1f))
/* Extended leaves with subleaves: 8000001DH (cache topology, AMD). */
#define CPUID_SUBLEAF_EXT	BIT(0x1d)

static void cpuid_table_entry(const struct vmx_cpuid_ctx *ctx, vmx_cpuid_host_fn host,
			      u32 leaf, struct vmx_cpuid_regs *r)
{
	host(leaf, 0, r);
	vmx_cpuid_filter(ctx, leaf, 0, r);
}

void vmx_cpuid_table_build(struct vmx_cpuid_table *t, const struct vmx_cpuid_ctx *ctx,
			   vmx_cpuid_host_fn host)
{
	struct vmx_cpuid_ctx c = *ctx;
	u32 i;

	/* Leaf 1 is stored with OSXSAVE clear; vmx_cpuid_lookup() sets it. */
	c.guest_osxsave = false;
	for (i = 0; i < VMX_CPUID_NR_BASIC; i++)
		cpuid_table_entry(&c, host, i, &t->basic[i]);
	for (i = 0; i < VMX_CPUID_NR_EXT; i++)
		cpuid_table_entry(&c, host, VMX_CPUID_EXT_BASE + i, &t->ext[i]);
	cpuid_table_entry(&c, host, VTX_CPUID_BASE, &t->hv);
	t->vcpu_id = ctx->vcpu_id;
	t->host_xcr0 = ctx->host_xcr0;
	t->nr_vcpus = ctx->nr_vcpus;
}

/*
 * Size of an XSAVE area (standard format) for the components in @xcr0
 * (SDM vol 1 13.4, 13.5): the legacy region and the header, 576 bytes,
 * then each component i >= 2 at offset CPUID.(0DH, i).EBX for
 * CPUID.(0DH, i).EAX bytes.
 */
static u32 cpuid_xsave_size(u64 xcr0, vmx_cpuid_host_fn host)
{
	struct vmx_cpuid_regs c;
	u32 size = 576, i;

	for (i = 2; i < 64; i++) {
		if (!(xcr0 & BIT_ULL(i)))
			continue;
		host(0xd, i, &c);
		if (c.ebx + c.eax > size)
			size = c.ebx + c.eax;
	}
	return size;
}

void vmx_cpuid_xsave_sizes(u64 guest_xcr0, u64 allowed, vmx_cpuid_host_fn host,
			   struct vmx_cpuid_regs *r)
{
	if (!(allowed & XCR0_X87))
		return;
	r->ebx = cpuid_xsave_size(guest_xcr0 & allowed, host);
	r->ecx = cpuid_xsave_size(allowed, host);
}

void vmx_cpuid_apply_apic(u32 leaf, bool apic_enabled, struct vmx_cpuid_regs *r)
{
	if (leaf == 1 && !apic_enabled)
		r->edx &= ~C1_EDX_APIC;
}

bool vmx_cpuid_lookup(const struct vmx_cpuid_table *t, u32 leaf, bool guest_osxsave,
		      struct vmx_cpuid_regs *r)
{
	u32 ext = leaf - VMX_CPUID_EXT_BASE;

	if (leaf < VMX_CPUID_NR_BASIC) {
		if (CPUID_SUBLEAF_BASIC & BIT(leaf))
			return false;
		/* Guest-chosen leaf: clamp against speculation past the check (Spectre v1). */
		*r = t->basic[array_index_nospec(leaf, VMX_CPUID_NR_BASIC)];
		if (leaf == 1 && guest_osxsave)
			r->ecx |= C1_ECX_OSXSAVE;
		return true;
	}
	if (ext < VMX_CPUID_NR_EXT) {
		if (CPUID_SUBLEAF_EXT & BIT(ext))
			return false;
		*r = t->ext[array_index_nospec(ext, VMX_CPUID_NR_EXT)];
		return true;
	}
	if (leaf == VTX_CPUID_BASE) {
		*r = t->hv;
		return true;
	}
	return false;
}
