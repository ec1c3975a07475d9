// SPDX-License-Identifier: GPL-2.0
/*
 * msr_audit: every architectural MSR that the guest's CPUID implies either
 * works as on hardware or its feature is hidden and the MSR raises #GP
 * (security issue 9 item 2; kmod/vmx/msr.c, kmod/vmx/cpuid.c). The guest
 * reads its own CPUID, so the checks follow whatever vtx advertises.
 */
#include "vm.h"
#include "vm_test.h"
#include "vtx_util.h"

#define MSR_IA32_TSC_ADJUST	0x3b
#define MSR_IA32_SPEC_CTRL	0x48
#define MSR_IA32_PRED_CMD	0x49
#define MSR_IA32_UCODE_REV	0x8b
#define MSR_IA32_PERF_CAP	0x345
#define MSR_IA32_ARCH_CAP	0x10a
#define MSR_IA32_FLUSH_CMD	0x10b
#define MSR_IA32_UMWAIT_CONTROL	0xe1
#define MSR_IA32_MPERF		0xe7
#define MSR_IA32_APERF		0xe8
#define MSR_IA32_PERF_CTL	0x199
#define MSR_IA32_MISC_ENABLE	0x1a0
#define MSR_IA32_ENERGY_PERF_BIAS 0x1b0
#define MSR_IA32_BNDCFGS	0xd90
#define MSR_IA32_XSS		0xda0
#define MSR_IA32_U_CET		0x6a0
#define MSR_IA32_S_CET		0x6a2
#define MSR_IA32_PKRS		0x6e1
#define MSR_MTRR_CAP		0xfe
#define MSR_MTRR_PHYSBASE0	0x200
#define MSR_MTRR_FIX64K		0x250
#define MSR_MTRR_DEF_TYPE	0x2ff

#define MISC_FAST_STRING	(1ull << 0)
#define MISC_RESET		(MISC_FAST_STRING | (1ull << 11) | (1ull << 12))
#define PAT_RESET		0x0007040600070406ull

enum reg { EAX, EBX, ECX, EDX };

/* An MSR and the CPUID bit that says it exists (SDM vol 4 Table 2-2). */
struct msr_feature {
	uint32_t msr, leaf, subleaf;
	enum reg reg;
	uint8_t bit;
};

static const struct msr_feature features[] = {
	{ MSR_IA32_TSC_ADJUST, 7, 0, EBX, 1 },
	{ MSR_IA32_SPEC_CTRL, 7, 0, EDX, 26 },		/* IBRS/IBPB */
	{ MSR_IA32_PRED_CMD, 7, 0, EDX, 26 },
	{ MSR_IA32_FLUSH_CMD, 7, 0, EDX, 28 },		/* L1D_FLUSH */
	{ MSR_IA32_ARCH_CAP, 7, 0, EDX, 29 },
	{ MSR_IA32_UMWAIT_CONTROL, 7, 0, ECX, 5 },	/* WAITPKG */
	{ MSR_IA32_BNDCFGS, 7, 0, EBX, 14 },		/* MPX */
	{ MSR_IA32_U_CET, 7, 0, ECX, 7 },		/* CET_SS */
	{ MSR_IA32_S_CET, 7, 0, ECX, 7 },
	{ MSR_IA32_PKRS, 7, 0, ECX, 31 },		/* PKS */
	{ MSR_IA32_MPERF, 6, 0, ECX, 0 },		/* APERF/MPERF */
	{ MSR_IA32_APERF, 6, 0, ECX, 0 },
	{ MSR_IA32_ENERGY_PERF_BIAS, 6, 0, ECX, 3 },
	{ MSR_IA32_PERF_CAP, 1, 0, ECX, 15 },		/* PDCM */
	{ MSR_IA32_PERF_CTL, 1, 0, ECX, 7 },		/* EIST */
	{ MSR_IA32_FEATURE_CONTROL, 1, 0, ECX, 5 },	/* VMX (SMX hidden too) */
	{ MSR_IA32_XSS, 0xd, 1, EAX, 3 },		/* XSAVES */
	{ MSR_TSC_AUX, 0x80000001, 0, EDX, 27 },	/* RDTSCP */
};
#define NR_FEATURES	(sizeof(features) / sizeof(features[0]))

static const char *const stages[] = {
	"IA32_MISC_ENABLE reads its reset value (fast strings, BTS/PEBS unavailable)",
	"MISC_ENABLE: fast strings R/W, BTS/PEBS read-only, EIST/MONITOR/limit-CPUID/xTPR/XD-disable/reserved bits #GP",
	"IA32_BIOS_SIGN_ID: WRMSR 0, CPUID, RDMSR gives a revision in EDX",
	"each feature MSR exists exactly when its CPUID bit is advertised (18 MSRs)",
	"MTRRs (CPUID.1:EDX.MTRR): MTRRcap has no ranges, def type R/W with #GP on reserved bits, absent ranges #GP",
	"IA32_PAT reads its reset value",
	"IA32_TSC_AUX (RDTSCP advertised): RDTSCP returns what WRMSR wrote",
};
#define NR_STAGES	(sizeof(stages) / sizeof(stages[0]))

static uint32_t cpuid_reg(uint32_t leaf, uint32_t subleaf, enum reg reg)
{
	struct cpuid_regs r = cpuid(leaf, subleaf);

	return reg == EAX ? r.eax : reg == EBX ? r.ebx : reg == ECX ? r.ecx : r.edx;
}

static bool advertised(const struct msr_feature *f)
{
	if (cpuid(f->leaf & 0x80000000u, 0).eax < f->leaf)
		return false;
	return cpuid_reg(f->leaf, f->subleaf, f->reg) & (1u << f->bit);
}

/* 0, or the MSR number with bit 32 set for "should exist" / 33 for "should #GP". */
static uint64_t check_feature(const struct msr_feature *f)
{
	uint64_t val;

	if (advertised(f))
		return rdmsr_safe(f->msr, &val) ? f->msr | 1ull << 32 : 0;
	if (rdmsr_safe(f->msr, &val) != GP_VECTOR || wrmsr_safe(f->msr, 0) != GP_VECTOR)
		return f->msr | 1ull << 33;
	return 0;
}

static uint64_t rdtscp_aux(void)
{
	uint32_t lo, hi, aux;

	asm volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
	return aux;
}

static void guest_code(void)
{
	uint64_t misc = rdmsr(MSR_IA32_MISC_ENABLE), val = ~0ull;
	uint32_t c1ecx = cpuid(1, 0).ecx, i;
	static const uint8_t gp_bits[] = { 3, 7, 16, 18, 22, 23, 34, 63 };

	GUEST_ASSERT_EQ(misc, MISC_RESET);
	GUEST_SYNC(0);

	/* The bits below are tied to features vtx hides: check they are hidden. */
	GUEST_ASSERT_EQ(c1ecx & ((1u << 7) | (1u << 3) | (1u << 14)), 0);
	wrmsr(MSR_IA32_MISC_ENABLE, misc & ~MISC_FAST_STRING);
	GUEST_ASSERT_EQ(rdmsr(MSR_IA32_MISC_ENABLE), misc & ~MISC_FAST_STRING);
	wrmsr(MSR_IA32_MISC_ENABLE, MISC_FAST_STRING);	/* RO bits: writes leave them */
	GUEST_ASSERT_EQ(rdmsr(MSR_IA32_MISC_ENABLE), MISC_RESET);
	for (i = 0; i < sizeof(gp_bits); i++) {
		GUEST_ASSERT_EQ(wrmsr_safe(MSR_IA32_MISC_ENABLE, MISC_RESET | 1ull << gp_bits[i]),
				GP_VECTOR);
		GUEST_ASSERT_EQ(rdmsr(MSR_IA32_MISC_ENABLE), MISC_RESET);
	}
	GUEST_SYNC(1);

	/* SDM vol 3A 10.11.7.1, Linux's intel_get_microcode_revision(). */
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_IA32_UCODE_REV, 0), 0);
	cpuid(1, 0);
	GUEST_ASSERT_EQ(rdmsr_safe(MSR_IA32_UCODE_REV, &val), 0);
	GUEST_ASSERT(val >> 32);
	GUEST_SYNC(2);

	for (i = 0; i < NR_FEATURES; i++)
		GUEST_ASSERT_EQ(check_feature(&features[i]), 0);
	GUEST_SYNC(3);

	GUEST_ASSERT(cpuid(1, 0).edx & (1u << 12));	/* MTRR advertised */
	GUEST_ASSERT_EQ(rdmsr(MSR_MTRR_CAP) & 0x5ff, 0);	/* VCNT 0, no FIX, no WC */
	wrmsr(MSR_MTRR_DEF_TYPE, (1ull << 11) | 6);	/* E, WB */
	GUEST_ASSERT_EQ(rdmsr(MSR_MTRR_DEF_TYPE), (1ull << 11) | 6);
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_MTRR_DEF_TYPE, 1ull << 12), GP_VECTOR);
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_MTRR_DEF_TYPE, 2), GP_VECTOR);	/* reserved type */
	GUEST_ASSERT_EQ(rdmsr(MSR_MTRR_DEF_TYPE), (1ull << 11) | 6);
	GUEST_ASSERT_EQ(rdmsr_safe(MSR_MTRR_PHYSBASE0, &val), GP_VECTOR);
	GUEST_ASSERT_EQ(rdmsr_safe(MSR_MTRR_FIX64K, &val), GP_VECTOR);
	GUEST_SYNC(4);

	GUEST_ASSERT_EQ(rdmsr(MSR_IA32_CR_PAT), PAT_RESET);
	GUEST_SYNC(5);

	if (cpuid(0x80000001, 0).edx & (1u << 27)) {
		wrmsr(MSR_TSC_AUX, 0x1234);
		GUEST_ASSERT_EQ(rdtscp_aux(), 0x1234);
		GUEST_ASSERT_EQ(rdmsr(MSR_TSC_AUX), 0x1234);
	}
	GUEST_SYNC(6);
	GUEST_DONE();
}

int main(void)
{
	vm_test_named_stages(guest_code, stages, NR_STAGES);
}
