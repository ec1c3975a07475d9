// SPDX-License-Identifier: GPL-2.0
/* unit-sources: kmod/vmx/cpuid.c */
/*
 * Guest CPUID filtering (kmod/vmx/cpuid.c): host answers in, guest answers
 * out. Host values below are a Skylake-X's (bit meanings: SDM vol 2A CPUID).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ktypes.h"
#include "vmx/cpuid.h"

static const struct vmx_cpuid_ctx ctx4 = {
	.vcpu_id = 2, .nr_vcpus = 4, .host_xcr0 = 0x7, .guest_osxsave = false,
};

static struct vmx_cpuid_regs filter(const struct vmx_cpuid_ctx *ctx, u32 leaf, u32 sub,
				    u32 a, u32 b, u32 c, u32 d)
{
	struct vmx_cpuid_regs r = { a, b, c, d };

	vmx_cpuid_filter(ctx, leaf, sub, &r);
	return r;
}

/* One filter call on ctx4 and the output registers it must give. */
struct cpuid_case {
	const char *what;
	u32 leaf, sub;
	struct vmx_cpuid_regs in, want;
	unsigned int check;	/* CHK_*: the registers compared with @want */
};

#define CHK_EAX		BIT(0)
#define CHK_EBX		BIT(1)
#define CHK_ECX		BIT(2)
#define CHK_EDX		BIT(3)
#define CHK_ALL		(CHK_EAX | CHK_EBX | CHK_ECX | CHK_EDX)

static void check_cases(const struct cpuid_case *cases, unsigned int n)
{
	unsigned int i, reg;

	for (i = 0; i < n; i++) {
		const struct cpuid_case *k = &cases[i];
		struct vmx_cpuid_regs r = filter(&ctx4, k->leaf, k->sub, k->in.eax, k->in.ebx,
						 k->in.ecx, k->in.edx);
		const u32 got[4] = { r.eax, r.ebx, r.ecx, r.edx };
		const u32 want[4] = { k->want.eax, k->want.ebx, k->want.ecx, k->want.edx };

		for (reg = 0; reg < 4; reg++) {
			if ((k->check & BIT(reg)) && got[reg] != want[reg])
				fail_msg("%s: leaf %#x.%u e%cx = %#x, want %#x", k->what, k->leaf,
					 k->sub, "abcd"[reg], got[reg], want[reg]);
		}
	}
}
#define CHECK_CASES(cases)	check_cases(cases, sizeof(cases) / sizeof((cases)[0]))

static void test_leaf1(void **state)
{
	/* Skylake-X: VMX, SMX, MONITOR, PDCM, x2APIC, TSC-deadline, OSXSAVE all set. */
	struct vmx_cpuid_regs r = filter(&ctx4, 1, 0, 0x50654, 0x3f400800, 0x7ffefbff,
					 0xbfebfbff);

	(void)state;
	assert_int_equal(r.eax, 0x50654);
	assert_int_equal(r.ebx & 0xffff, 0x0800);		/* CLFLUSH size kept */
	assert_int_equal((r.ebx >> 16) & 0xff, 4);		/* logical CPUs = vCPUs */
	assert_int_equal(r.ebx >> 24, 2);			/* APIC ID = vCPU id */
	assert_false(r.ecx & BIT(5));				/* VMX hidden */
	assert_false(r.ecx & BIT(3));				/* MONITOR hidden */
	assert_true(r.ecx & BIT(21));				/* x2APIC: the LAPIC model's */
	assert_true(r.ecx & BIT(24));				/* TSC deadline: the model's */
	assert_false(r.ecx & BIT(27));				/* guest CR4.OSXSAVE = 0 */
	assert_true(r.ecx & BIT(31));				/* hypervisor present */
	assert_true(r.ecx & BIT(26));				/* XSAVE kept */
	assert_true(r.ecx & BIT(0));				/* SSE3 kept */
	assert_true(r.edx & BIT(28));				/* HTT: > 1 vCPU */
	assert_true(r.edx & BIT(0));				/* FPU kept */
}

static void test_leaf1_single_vcpu_osxsave(void **state)
{
	struct vmx_cpuid_ctx ctx = { .vcpu_id = 0, .nr_vcpus = 1, .guest_osxsave = true };
	struct vmx_cpuid_regs r = filter(&ctx, 1, 0, 0x50654, 0x3f400800, 0x7ffefbff,
					 0xbfebfbff);

	(void)state;
	assert_int_equal((r.ebx >> 16) & 0xff, 1);
	assert_int_equal(r.ebx >> 24, 0);
	assert_false(r.edx & BIT(28));
	assert_true(r.ecx & BIT(27));
}

/* APIC, x2APIC and TSC-deadline are the in-kernel LAPIC model's (every VM has one). */
static void test_leaf1_irqchip(void **state)
{
	struct vmx_cpuid_ctx ctx = ctx4;
	struct vmx_cpuid_regs r;

	(void)state;
	/* A host answer without them: the bits come from the model, not the host. */
	r = filter(&ctx, 1, 0, 0x50654, 0x3f400800, 0x7ffefbff & ~(BIT(21) | BIT(24)),
		   0xbfebfbff & ~BIT(9));
	assert_true(r.ecx & BIT(21));				/* x2APIC */
	assert_true(r.ecx & BIT(24));				/* TSC deadline */
	assert_true(r.edx & BIT(9));				/* APIC */
	assert_int_equal(r.ebx >> 24, 2);			/* APIC ID = vCPU id */
	assert_false(r.ecx & BIT(5));				/* VMX still hidden */
	r = filter(&ctx, 0xb, 0, 0, 0, 0, 0);
	assert_int_equal(r.edx, 2);				/* x2APIC ID = vCPU id */
}

static void test_hypervisor_leaves(void **state)
{
	struct vmx_cpuid_regs r = filter(&ctx4, 0x40000000, 0, 1, 2, 3, 4);
	char sig[13] = { 0 };

	(void)state;
	assert_int_equal(r.eax, 0x40000000);
	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	assert_string_equal(sig, "vtxvtxvtxvtx");
	r = filter(&ctx4, 0x40000001, 0, 1, 2, 3, 4);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
}

static void test_hidden_leaves(void **state)
{
	static const u32 leaves[] = { 0x5, 0x6, 0xa, 0x14 };
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		struct vmx_cpuid_regs r = filter(&ctx4, leaves[i], 0, 0x7300403, 1, 2, 3);

		assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	}
}

static void test_leaf4_topology(void **state)
{
	/* L1d: level 1 type 1, host says 28 cores, 2 threads share it. */
	struct vmx_cpuid_regs r = filter(&ctx4, 4, 0, 0x6c004121, 0x1c0003f, 0x3f, 0);

	(void)state;
	assert_int_equal(r.eax >> 26, 3);		/* 4 cores - 1 */
	assert_int_equal((r.eax >> 14) & 0xfff, 0);	/* private cache */
	assert_int_equal(r.eax & 0x3fff, 0x0121);
	assert_int_equal(r.ebx, 0x1c0003f);
	/* L3: level 3, shared by every vCPU. */
	r = filter(&ctx4, 4, 3, 0x6c03c163, 0x280003f, 0xbfff, 4);
	assert_int_equal((r.eax >> 14) & 0xfff, 3);
	assert_int_equal(r.eax >> 26, 3);
	/* Type 0 terminates the list and stays all zero. */
	r = filter(&ctx4, 4, 4, 0, 0, 0, 0);
	assert_int_equal(r.eax, 0);
}

static void test_leafb_topology(void **state)
{
	static const struct cpuid_case cases[] = {
		{ "SMT level", 0xb, 0, { 1, 2, 0x100, 44 }, { 0, 1, 0x100, 2 }, CHK_ALL },
		{ "core level: 4 vCPUs need 2 ID bits", 0xb, 1, { 6, 56, 0x201, 44 },
		  { 2, 4, 0x201, 2 }, CHK_ALL },
		{ "invalid level", 0xb, 2, { 0, 0, 2, 44 }, { 0, 0, 2, 0 },
		  CHK_EAX | CHK_EBX | CHK_ECX },
	};

	(void)state;
	CHECK_CASES(cases);
}

static void test_leafb_odd_count(void **state)
{
	struct vmx_cpuid_ctx ctx = { .vcpu_id = 4, .nr_vcpus = 5 };
	struct vmx_cpuid_regs r = filter(&ctx, 0xb, 1, 0, 0, 0, 0);

	(void)state;
	assert_int_equal(r.eax, 3);
	assert_int_equal(r.ebx, 5);
	assert_int_equal(r.edx, 4);
}

static void test_leaf7(void **state)
{
	/* EBX with TSC_ADJUST(1), SGX(2), PT(25); EDX with ARCH_CAP(29), SSBD(31). */
	struct vmx_cpuid_regs r = filter(&ctx4, 7, 0, 0, 0xd39ffffb | BIT(2) | BIT(25),
					 BIT(5) | BIT(4) | BIT(3) | BIT(2), 0xbc000400);

	(void)state;
	assert_false(r.ebx & (BIT(1) | BIT(2) | BIT(25)));
	assert_true(r.ebx & BIT(0));			/* FSGSBASE kept */
	assert_false(r.ecx & (BIT(3) | BIT(4) | BIT(5)));	/* PKU, OSPKE, WAITPKG */
	assert_true(r.ecx & BIT(2));			/* UMIP kept */
	assert_false(r.edx & (BIT(26) | BIT(29) | BIT(31)));
	assert_true(r.edx & BIT(10));			/* MD_CLEAR kept */
	r = filter(&ctx4, 7, 1, 1, 1, 1, 1);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
}

/*
 * MSR audit (msr.c): leaf 7 features whose MSRs vtx does not implement are
 * hidden: MPX (IA32_BNDCFGS) unless the host enabled its XCR0 bits, CET
 * (U_CET/S_CET), PKS (PKRS), TME, PCONFIG, WAITPKG (UMWAIT_CONTROL).
 */
static void test_leaf7_msr_features(void **state)
{
	struct vmx_cpuid_ctx mpx = ctx4;
	struct vmx_cpuid_regs r;

	(void)state;
	r = filter(&ctx4, 7, 0, 0, BIT(14) | BIT(0), BIT(5) | BIT(7) | BIT(13) | BIT(31) | BIT(2),
		   BIT(18) | BIT(20) | BIT(10));
	assert_int_equal(r.ebx, BIT(0));		/* MPX gone, FSGSBASE kept */
	assert_int_equal(r.ecx, BIT(2));		/* UMIP kept */
	assert_int_equal(r.edx, BIT(10));		/* MD_CLEAR kept */
	mpx.host_xcr0 = 0x1f;				/* BNDREGS | BNDCSR enabled */
	r = filter(&mpx, 7, 0, 0, BIT(14), 0, 0);
	assert_int_equal(r.ebx, BIT(14));
	mpx.host_xcr0 = 0xf;				/* BNDREGS only: not usable */
	r = filter(&mpx, 7, 0, 0, BIT(14), 0, 0);
	assert_int_equal(r.ebx, 0);
}

/* XSAVE, AVX and AVX-512 are offered only with the XCR0 bits they need. */
static void test_xsave_follows_host_xcr0(void **state)
{
	struct vmx_cpuid_ctx none = ctx4, avx512 = ctx4;
	struct vmx_cpuid_regs r;

	(void)state;
	none.host_xcr0 = 0;		/* host kernel without XSAVE */
	avx512.host_xcr0 = 0xe7;
	/* Leaf 1 ECX: FMA(12), XSAVE(26), AVX(28), F16C(29); SSE4.2(20) stays. */
	r = filter(&none, 1, 0, 0, 0, BIT(12) | BIT(20) | BIT(26) | BIT(28) | BIT(29), 0);
	assert_int_equal(r.ecx & (BIT(12) | BIT(26) | BIT(28) | BIT(29)), 0);
	assert_true(r.ecx & BIT(20));
	r = filter(&ctx4, 1, 0, 0, 0, BIT(12) | BIT(26) | BIT(28) | BIT(29), 0);
	assert_int_equal(r.ecx & (BIT(12) | BIT(26) | BIT(28) | BIT(29)),
			 BIT(12) | BIT(26) | BIT(28) | BIT(29));
	/* Leaf 7: AVX2(EBX 5) needs YMM; AVX512F(EBX 16), VBMI(ECX 1) need 7:5. */
	r = filter(&none, 7, 0, 0, BIT(5) | BIT(16), BIT(1), 0);
	assert_int_equal(r.ebx & (BIT(5) | BIT(16)), 0);
	assert_int_equal(r.ecx & BIT(1), 0);
	r = filter(&ctx4, 7, 0, 0, BIT(5) | BIT(16), BIT(1), 0);
	assert_int_equal(r.ebx & (BIT(5) | BIT(16)), BIT(5));
	assert_int_equal(r.ecx & BIT(1), 0);
	r = filter(&avx512, 7, 0, 0, BIT(5) | BIT(16), BIT(1), 0);
	assert_int_equal(r.ebx & (BIT(5) | BIT(16)), BIT(5) | BIT(16));
	assert_true(r.ecx & BIT(1));
}

/* The host's leaf 0xd component sub-leaves (EAX size, EBX offset) on Skylake-X. */
static void fake_xsave_host(u32 leaf, u32 sub, struct vmx_cpuid_regs *r)
{
	static const u32 comp[10][2] = {
		[2] = { 256, 576 }, [5] = { 64, 1088 }, [6] = { 512, 1152 },
		[7] = { 1024, 1664 }, [9] = { 8, 2688 },
	};

	*r = (struct vmx_cpuid_regs){ 0 };
	if (leaf == 0xd && sub < 10) {
		r->eax = comp[sub][0];
		r->ebx = comp[sub][1];
	}
}

static void test_leafd_xcr0(void **state)
{
	/* Host supports x87|SSE|AVX|AVX-512 (0xe7) and enabled only 0x7. */
	static const struct cpuid_case cases[] = {
		{ "XCR0 bits: the host-enabled ones", 0xd, 0, { 0xe7, 0x340, 0xa88, 0 },
		  { 0x7, 0, 0, 0 }, CHK_EAX | CHK_EDX },
		{ "XSAVES (bit 3) hidden", 0xd, 1, { 0xf, 0x100, 0x100, 1 }, { 0x7, 0, 0, 0 },
		  CHK_EAX | CHK_ECX | CHK_EDX },
		{ "AVX state: enabled", 0xd, 2, { 0x100, 0x240, 0, 0 }, { 0x100, 0, 0, 0 },
		  CHK_EAX },
		{ "opmask state: not enabled", 0xd, 5, { 0x40, 0x440, 0, 0 }, { 0, 0, 0, 0 },
		  CHK_EAX | CHK_EBX },
	};

	(void)state;
	CHECK_CASES(cases);
}

/* Host without XSAVE: leaf 0xd reads 0 in every sub-leaf. */
static void test_leafd_no_xsave(void **state)
{
	struct vmx_cpuid_ctx none = ctx4;
	struct vmx_cpuid_regs r;
	u32 sub;

	(void)state;
	none.host_xcr0 = 0;
	for (sub = 0; sub < 4; sub++) {
		r = filter(&none, 0xd, sub, 0xe7, 0x340, 0xa88, 1);
		assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	}
	r = (struct vmx_cpuid_regs){ 0, 0x1234, 0x5678, 0 };
	vmx_cpuid_xsave_sizes(1, 0, fake_xsave_host, &r);
	assert_int_equal(r.ebx, 0x1234);
	assert_int_equal(r.ecx, 0x5678);
}

/*
 * Sizes from the components: AVX (2) 256 bytes at 576, opmask (5) 64 at
 * 1088, ZMM_Hi256 (6) 512 at 1152, Hi16_ZMM (7) 1024 at 1664, PKRU (9) 8
 * at 2688 (SDM vol 1 13.2; Skylake-X offsets).
 */
static void test_leafd_sizes(void **state)
{
	struct vmx_cpuid_regs r = { 0x7, 0, 0, 0 };

	(void)state;
	vmx_cpuid_xsave_sizes(0x1, 0x7, fake_xsave_host, &r);
	assert_int_equal(r.ebx, 576);		/* x87 only: legacy area + header */
	assert_int_equal(r.ecx, 832);		/* up to AVX */
	vmx_cpuid_xsave_sizes(0x7, 0x7, fake_xsave_host, &r);
	assert_int_equal(r.ebx, 832);
	vmx_cpuid_xsave_sizes(0x7, 0xe7, fake_xsave_host, &r);
	assert_int_equal(r.ebx, 832);
	assert_int_equal(r.ecx, 2688);		/* up to Hi16_ZMM, not the host's PKRU */
	/* a guest XCR0 bit outside @allowed counts for nothing */
	vmx_cpuid_xsave_sizes(0x207, 0x7, fake_xsave_host, &r);
	assert_int_equal(r.ebx, 832);
	assert_int_equal(r.eax, 0x7);		/* EAX/EDX are the filter's */
}

static void test_other_leaves_pass(void **state)
{
	static const struct cpuid_case cases[] = {
		{ "extended features", 0x80000001, 0, { 0, 0, 0x121, 0x2c100800 },
		  { 0, 0, 0x121, 0x2c100800 }, CHK_ECX | CHK_EDX },
		{ "max leaf and vendor", 0, 0, { 0x16, 0x756e6547, 0x6c65746e, 0x49656e69 },
		  { 0x16, 0x756e6547, 0, 0 }, CHK_EAX | CHK_EBX },
	};

	(void)state;
	CHECK_CASES(cases);
}

/* A fake host: every register names its leaf, plus Skylake-X leaf 1. */
static void fake_host(u32 leaf, u32 sub, struct vmx_cpuid_regs *r)
{
	if (leaf == 1) {
		*r = (struct vmx_cpuid_regs){ 0x50654, 0x3f400800, 0x7ffefbff, 0xbfebfbff };
		return;
	}
	*r = (struct vmx_cpuid_regs){ leaf ^ 0xa0000000u, leaf ^ 0xb0000000u,
				      leaf ^ 0xc0000000u, (leaf ^ 0xd0000000u) + sub };
}

static void assert_regs_equal(const struct vmx_cpuid_regs *a, const struct vmx_cpuid_regs *b,
			      u32 leaf)
{
	if (a->eax != b->eax || a->ebx != b->ebx || a->ecx != b->ecx || a->edx != b->edx)
		fail_msg("leaf %#x: table %#x %#x %#x %#x, filter %#x %#x %#x %#x", leaf,
			 a->eax, a->ebx, a->ecx, a->edx, b->eax, b->ebx, b->ecx, b->edx);
}

/* Every leaf the table answers equals host + filter; subleaf leaves miss. */
static void test_table_matches_filter(void **state)
{
	static const u32 subleaf_leaves[] = { 4, 7, 0xb, 0xd, 0xf, 0x10, 0x12, 0x14, 0x1f,
					       0x8000001d };
	static const u32 missing[] = { 0x20, 0x40000001, 0x400000ff, 0x80000020, 0xc0000000 };
	struct vmx_cpuid_table t = { 0 };
	struct vmx_cpuid_regs got, want;
	u32 i, leaf, hits = 0;

	(void)state;
	assert_false(vmx_cpuid_table_valid(&t, ctx4.nr_vcpus, ctx4.host_xcr0));
	vmx_cpuid_table_build(&t, &ctx4, fake_host);
	assert_true(vmx_cpuid_table_valid(&t, ctx4.nr_vcpus, ctx4.host_xcr0));
	assert_false(vmx_cpuid_table_valid(&t, ctx4.nr_vcpus + 1, ctx4.host_xcr0));
	assert_false(vmx_cpuid_table_valid(&t, ctx4.nr_vcpus, ctx4.host_xcr0 | 0x18));

	for (i = 0; i < 2 * VMX_CPUID_NR_BASIC + 1; i++) {
		leaf = i < VMX_CPUID_NR_BASIC ? i :
		       i < 2 * VMX_CPUID_NR_BASIC ? VMX_CPUID_EXT_BASE + i - VMX_CPUID_NR_BASIC :
		       VTX_CPUID_BASE;
		if (!vmx_cpuid_lookup(&t, leaf, false, &got))
			continue;
		hits++;
		fake_host(leaf, 0, &want);
		vmx_cpuid_filter(&ctx4, leaf, 0, &want);
		assert_regs_equal(&got, &want, leaf);
	}
	/* 14 basic and one extended leaf take subleaves; the hypervisor base is in. */
	assert_int_equal(hits, VMX_CPUID_NR_BASIC - 14 + VMX_CPUID_NR_EXT - 1 + 1);
	for (i = 0; i < sizeof(subleaf_leaves) / sizeof(subleaf_leaves[0]); i++)
		assert_false(vmx_cpuid_lookup(&t, subleaf_leaves[i], false, &got));
	for (i = 0; i < sizeof(missing) / sizeof(missing[0]); i++)
		assert_false(vmx_cpuid_lookup(&t, missing[i], false, &got));
}

/* Leaf 1 OSXSAVE follows the guest's CR4 at lookup, whatever the build ctx said. */
static void test_table_osxsave(void **state)
{
	struct vmx_cpuid_ctx ctx = ctx4;
	struct vmx_cpuid_table t = { 0 };
	struct vmx_cpuid_regs r;

	(void)state;
	ctx.guest_osxsave = true;
	vmx_cpuid_table_build(&t, &ctx, fake_host);
	assert_true(vmx_cpuid_lookup(&t, 1, false, &r));
	assert_false(r.ecx & BIT(27));
	assert_int_equal(r.ebx >> 24, 2);
	assert_true(vmx_cpuid_lookup(&t, 1, true, &r));
	assert_true(r.ecx & BIT(27));
	assert_true(r.ecx & BIT(31));
	/* Only leaf 1 carries OSXSAVE. */
	assert_true(vmx_cpuid_lookup(&t, 0x80000001, true, &r));
	assert_int_equal(r.ecx, 0x80000001u ^ 0xc0000000u);
	assert_true(vmx_cpuid_lookup(&t, VTX_CPUID_BASE, true, &r));
	assert_int_equal(r.eax, VTX_CPUID_MAX_HV_LEAF);
}

/* CPUID.1:EDX.APIC follows IA32_APIC_BASE.EN (SDM vol 3A 11.4.3); only leaf 1. */
static void test_apic_follows_base_en(void **state)
{
	struct vmx_cpuid_table t = { 0 };
	struct vmx_cpuid_regs r, other;

	(void)state;
	vmx_cpuid_table_build(&t, &ctx4, fake_host);
	assert_true(vmx_cpuid_lookup(&t, 1, false, &r));
	assert_true(r.edx & BIT(9));
	vmx_cpuid_apply_apic(1, true, &r);
	assert_true(r.edx & BIT(9));
	other = r;
	vmx_cpuid_apply_apic(1, false, &r);
	assert_int_equal(r.edx, other.edx & ~BIT(9));
	assert_int_equal(r.ecx, other.ecx);
	assert_true(vmx_cpuid_lookup(&t, 0x80000001, false, &r));
	other = r;
	vmx_cpuid_apply_apic(0x80000001, false, &r);
	assert_memory_equal(&r, &other, sizeof(r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leaf1),
		cmocka_unit_test(test_leaf1_single_vcpu_osxsave),
		cmocka_unit_test(test_leaf1_irqchip),
		cmocka_unit_test(test_hypervisor_leaves),
		cmocka_unit_test(test_hidden_leaves),
		cmocka_unit_test(test_leaf4_topology),
		cmocka_unit_test(test_leafb_topology),
		cmocka_unit_test(test_leafb_odd_count),
		cmocka_unit_test(test_leaf7),
		cmocka_unit_test(test_leaf7_msr_features),
		cmocka_unit_test(test_leafd_xcr0),
		cmocka_unit_test(test_leafd_no_xsave),
		cmocka_unit_test(test_leafd_sizes),
		cmocka_unit_test(test_xsave_follows_host_xcr0),
		cmocka_unit_test(test_other_leaves_pass),
		cmocka_unit_test(test_table_matches_filter),
		cmocka_unit_test(test_table_osxsave),
		cmocka_unit_test(test_apic_follows_base_en),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
