// SPDX-License-Identifier: GPL-2.0
/* unit-sources: kmod/vmx/caps.c */
/*
 * VMX capability decoding (kmod/vmx/caps.c) against known MSR sets.
 *
 * "bochs": IA32_VMX_BASIC and IA32_VMX_EPT_VPID_CAP are the values measured
 * in the Bochs test machine (see /work/shared/notes/bochs.md); the control
 * MSRs are those of a Skylake client, which the Bochs corei7_skylake_x model
 * follows. Expected bits are derived by hand from SDM Appendix A below.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include "ktypes.h"
#include "uapi/vtx.h"
#include "vmx/caps.h"

static void bochs_msrs(u64 m[VTX_NR_VMX_MSRS])
{
	memset(m, 0, sizeof(u64) * VTX_NR_VMX_MSRS);
	m[VMX_MSR_BASIC]	  = 0x00d810000000002bULL;
	m[VMX_MSR_PINBASED]	  = 0x0000007f00000016ULL;
	m[VMX_MSR_PROCBASED]	  = 0xfff9fffe0401e172ULL;
	m[VMX_MSR_EXIT]		  = 0x01ffffff00036dffULL;
	m[VMX_MSR_ENTRY]	  = 0x0003ffff000011ffULL;
	m[VMX_MSR_MISC]		  = 0x000000007004c1e7ULL;
	m[VMX_MSR_CR0_FIXED0]	  = 0x0000000080000021ULL;
	m[VMX_MSR_CR0_FIXED1]	  = 0x00000000ffffffffULL;
	m[VMX_MSR_CR4_FIXED0]	  = 0x0000000000002000ULL;
	m[VMX_MSR_CR4_FIXED1]	  = 0x00000000003727ffULL;
	m[VMX_MSR_VMCS_ENUM]	  = 0x000000000000002eULL;
	m[VMX_MSR_PROCBASED2]	  = 0x001ffcff00000000ULL;
	m[VMX_MSR_EPT_VPID_CAP]	  = 0x00000f0106334141ULL;
	m[VMX_MSR_TRUE_PINBASED]  = 0x0000007f00000016ULL;
	m[VMX_MSR_TRUE_PROCBASED] = 0xfff9fffe04006172ULL;
	m[VMX_MSR_TRUE_EXIT]	  = 0x01ffffff00036dfbULL;
	m[VMX_MSR_TRUE_ENTRY]	  = 0x0003ffff000011fbULL;
	m[VMX_MSR_VMFUNC]	  = 0x0000000000000001ULL;
}

/* Every feature of the bochs set, bit by bit from the values above. */
#define BOCHS_FEATURES							\
	(VTX_FEAT_TRUE_CTLS | VTX_FEAT_WB_VMCS |			\
	 VTX_FEAT_PREEMPT_TIMER |					\
	 VTX_FEAT_TPR_SHADOW | VTX_FEAT_IO_BITMAP | VTX_FEAT_MSR_BITMAP |	\
	 VTX_FEAT_SECONDARY |						\
	 VTX_FEAT_VIRT_APIC | VTX_FEAT_EPT | VTX_FEAT_RDTSCP |		\
	 VTX_FEAT_X2APIC_VIRT | VTX_FEAT_VPID | VTX_FEAT_UNRESTRICTED |	\
	 VTX_FEAT_INVPCID | VTX_FEAT_VMFUNC | VTX_FEAT_XSAVES |		\
	 VTX_FEAT_EPT_4LEVEL | VTX_FEAT_EPT_WB | VTX_FEAT_EPT_2M |	\
	 VTX_FEAT_EPT_1G | VTX_FEAT_INVEPT | VTX_FEAT_EPT_AD |		\
	 VTX_FEAT_INVEPT_SINGLE | VTX_FEAT_INVEPT_ALL |			\
	 VTX_FEAT_INVVPID | VTX_FEAT_INVVPID_SINGLE | VTX_FEAT_INVVPID_ALL | \
	 VTX_FEAT_LOAD_EFER | VTX_FEAT_LOAD_PAT)

#define EPT_FEATURES							\
	(VTX_FEAT_EPT | VTX_FEAT_EPT_4LEVEL | VTX_FEAT_EPT_WB |		\
	 VTX_FEAT_EPT_2M | VTX_FEAT_EPT_1G | VTX_FEAT_EPT_AD |		\
	 VTX_FEAT_INVEPT | VTX_FEAT_INVEPT_SINGLE | VTX_FEAT_INVEPT_ALL)

#define VPID_FEATURES							\
	(VTX_FEAT_VPID | VTX_FEAT_INVVPID | VTX_FEAT_INVVPID_SINGLE |	\
	 VTX_FEAT_INVVPID_ALL)

static void test_bochs_decode(void **state)
{
	u64 m[VTX_NR_VMX_MSRS];
	u64 feat;

	(void)state;
	bochs_msrs(m);
	feat = vmx_caps_decode(m);
	assert_int_equal(feat, BOCHS_FEATURES);
	/* vtx loads on the test machine */
	assert_int_equal(VTX_FEAT_REQUIRED & ~feat, 0);
	/* absent on this CPU: APIC-register virt, virtual-interrupt delivery, posted intr */
	assert_false(feat & (VTX_FEAT_APIC_REG_VIRT | VTX_FEAT_VIRT_INTR | VTX_FEAT_POSTED_INTR));
	assert_int_equal(m[VMX_MSR_BASIC] & VTX_BASIC_REVISION_MASK, 0x2b);
	assert_int_equal(VTX_BASIC_REGION_SIZE(m[VMX_MSR_BASIC]), 4096);
	assert_int_equal(VTX_BASIC_MEMTYPE(m[VMX_MSR_BASIC]), VTX_MEMTYPE_WB);
}

static void test_bochs_msr_exists(void **state)
{
	u64 m[VTX_NR_VMX_MSRS];
	unsigned int i;

	(void)state;
	bochs_msrs(m);
	for (i = 0; i < VTX_NR_VMX_MSRS; i++)
		assert_true(vmx_caps_msr_exists(m, i));
	assert_false(vmx_caps_msr_exists(m, VTX_NR_VMX_MSRS));

	/* no "enable VM functions": no IA32_VMX_VMFUNC (A.11) */
	m[VMX_MSR_PROCBASED2] &= ~(1ULL << (32 + 13));
	assert_false(vmx_caps_msr_exists(m, VMX_MSR_VMFUNC));
	/* EPT_VPID_CAP needs EPT or VPID (A.10) */
	m[VMX_MSR_PROCBASED2] &= ~(1ULL << (32 + 1));
	assert_true(vmx_caps_msr_exists(m, VMX_MSR_EPT_VPID_CAP));
	m[VMX_MSR_PROCBASED2] &= ~(1ULL << (32 + 5));
	assert_false(vmx_caps_msr_exists(m, VMX_MSR_EPT_VPID_CAP));
	/* no bit 55: no TRUE_* MSRs (A.1) */
	m[VMX_MSR_BASIC] &= ~VTX_BASIC_TRUE_CTLS;
	for (i = VMX_MSR_TRUE_PINBASED; i <= VMX_MSR_TRUE_ENTRY; i++)
		assert_false(vmx_caps_msr_exists(m, i));
	assert_true(vmx_caps_msr_exists(m, VMX_MSR_VMCS_ENUM));
}

/* A fake rdmsr over a table; reading an MSR marked absent is a #GP. */
static u64 fake_msr[VTX_NR_VMX_MSRS];
static bool fake_absent[VTX_NR_VMX_MSRS];
static unsigned int fake_reads, fake_gp;

static int fake_rdmsr(u32 index, u64 *value)
{
	unsigned int i = index - VTX_MSR_VMX_FIRST;

	assert_true(i < VTX_NR_VMX_MSRS);
	fake_reads++;
	if (fake_absent[i]) {
		fake_gp++;
		return -EIO;
	}
	*value = fake_msr[i];
	return 0;
}

/* The probe's read order must see each MSR's precondition before the MSR. */
static void test_read_in_order(void **state)
{
	u64 m[VTX_NR_VMX_MSRS];
	unsigned int i;

	(void)state;
	bochs_msrs(fake_msr);
	memset(fake_absent, 0, sizeof(fake_absent));
	fake_reads = fake_gp = 0;
	memset(m, 0xa5, sizeof(m));
	vmx_caps_read(m, fake_rdmsr);
	assert_int_equal(fake_reads, VTX_NR_VMX_MSRS);
	for (i = 0; i < VTX_NR_VMX_MSRS; i++)
		assert_int_equal(m[i], fake_msr[i]);
	assert_int_equal(vmx_caps_decode(m), BOCHS_FEATURES);

	/* no secondary controls: 0x48b, 0x48c and 0x491 would #GP and must not be read */
	fake_msr[VMX_MSR_PROCBASED] &= ~(1ULL << 63);
	fake_msr[VMX_MSR_TRUE_PROCBASED] &= ~(1ULL << 63);
	fake_absent[VMX_MSR_PROCBASED2] = true;
	fake_absent[VMX_MSR_EPT_VPID_CAP] = true;
	fake_absent[VMX_MSR_VMFUNC] = true;
	fake_reads = fake_gp = 0;
	vmx_caps_read(m, fake_rdmsr);
	assert_int_equal(fake_gp, 0);
	assert_int_equal(fake_reads, VTX_NR_VMX_MSRS - 3);
	assert_int_equal(m[VMX_MSR_PROCBASED2] | m[VMX_MSR_EPT_VPID_CAP] | m[VMX_MSR_VMFUNC], 0);
	assert_int_equal(m[VMX_MSR_TRUE_ENTRY], fake_msr[VMX_MSR_TRUE_ENTRY]);

	/* a read that faults anyway leaves 0, not garbage */
	bochs_msrs(fake_msr);
	memset(fake_absent, 0, sizeof(fake_absent));
	fake_absent[VMX_MSR_VMCS_ENUM] = true;
	memset(m, 0xa5, sizeof(m));
	vmx_caps_read(m, fake_rdmsr);
	assert_int_equal(m[VMX_MSR_VMCS_ENUM], 0);
}

/* Each IA32_VMX_EPT_VPID_CAP bit (SDM A.10) maps to exactly its feature. */
static void test_ept_vpid_cap_bits(void **state)
{
	static const struct { unsigned int bit; u64 feat; } bits[] = {
		{ 6, VTX_FEAT_EPT_4LEVEL },	{ 14, VTX_FEAT_EPT_WB },
		{ 16, VTX_FEAT_EPT_2M },	{ 17, VTX_FEAT_EPT_1G },
		{ 20, VTX_FEAT_INVEPT },	{ 21, VTX_FEAT_EPT_AD },
		{ 25, VTX_FEAT_INVEPT_SINGLE },	{ 26, VTX_FEAT_INVEPT_ALL },
		{ 32, VTX_FEAT_INVVPID },	{ 41, VTX_FEAT_INVVPID_SINGLE },
		{ 42, VTX_FEAT_INVVPID_ALL },
		/* bits with no vtx feature: execute-only, UC, individual-address INVVPID */
		{ 0, 0 }, { 8, 0 }, { 40, 0 }, { 43, 0 },
	};
	u64 m[VTX_NR_VMX_MSRS];
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		bochs_msrs(m);
		assert_true(m[VMX_MSR_EPT_VPID_CAP] & (1ULL << bits[i].bit));
		m[VMX_MSR_EPT_VPID_CAP] &= ~(1ULL << bits[i].bit);
		assert_int_equal(vmx_caps_decode(m), BOCHS_FEATURES & ~bits[i].feat);
	}
}

/* A CPU with VT-x but neither EPT nor unrestricted guest (pre-Westmere style). */
static void test_no_ept_no_unrestricted(void **state)
{
	u64 m[VTX_NR_VMX_MSRS];
	u64 feat, missing;

	(void)state;
	bochs_msrs(m);
	/* secondary allowed-1: clear enable EPT (1) and unrestricted guest (7) */
	m[VMX_MSR_PROCBASED2] &= ~((1ULL << (32 + 1)) | (1ULL << (32 + 7)));
	/* the EPT half of EPT_VPID_CAP must now be ignored although it is non-zero */
	feat = vmx_caps_decode(m);
	assert_int_equal(feat & EPT_FEATURES, 0);
	assert_false(feat & VTX_FEAT_UNRESTRICTED);
	assert_int_equal(feat & VPID_FEATURES, VPID_FEATURES);
	missing = VTX_FEAT_REQUIRED & ~feat;
	assert_int_equal(missing, VTX_FEAT_EPT | VTX_FEAT_EPT_4LEVEL | VTX_FEAT_EPT_WB |
			 VTX_FEAT_INVEPT | VTX_FEAT_INVEPT_SINGLE | VTX_FEAT_UNRESTRICTED);
	assert_int_equal(feat, BOCHS_FEATURES & ~EPT_FEATURES & ~VTX_FEAT_UNRESTRICTED);
}

/* "Activate secondary controls" not allowed: IA32_VMX_PROCBASED_CTLS2 is not to be trusted. */
static void test_no_secondary(void **state)
{
	u64 m[VTX_NR_VMX_MSRS];
	u64 feat;

	(void)state;
	bochs_msrs(m);
	m[VMX_MSR_PROCBASED] &= ~(1ULL << 63);
	m[VMX_MSR_TRUE_PROCBASED] &= ~(1ULL << 63);
	/* garbage where the absent MSR would be: must not count */
	m[VMX_MSR_PROCBASED2] = ~0ULL;
	feat = vmx_caps_decode(m);
	assert_false(feat & VTX_FEAT_SECONDARY);
	assert_int_equal(feat & (EPT_FEATURES | VPID_FEATURES | VTX_FEAT_UNRESTRICTED |
				 VTX_FEAT_VIRT_APIC | VTX_FEAT_RDTSCP | VTX_FEAT_X2APIC_VIRT |
				 VTX_FEAT_APIC_REG_VIRT | VTX_FEAT_VIRT_INTR |
				 VTX_FEAT_INVPCID | VTX_FEAT_VMFUNC | VTX_FEAT_XSAVES), 0);
	/* primary controls still decode */
	assert_int_equal(feat & (VTX_FEAT_MSR_BITMAP | VTX_FEAT_IO_BITMAP | VTX_FEAT_TPR_SHADOW),
			 VTX_FEAT_MSR_BITMAP | VTX_FEAT_IO_BITMAP | VTX_FEAT_TPR_SHADOW);
	assert_false(vmx_caps_msr_exists(m, VMX_MSR_PROCBASED2));
	assert_false(vmx_caps_msr_exists(m, VMX_MSR_EPT_VPID_CAP));
	assert_false(vmx_caps_msr_exists(m, VMX_MSR_VMFUNC));
}

/* With IA32_VMX_BASIC[55] the TRUE_* MSRs rule; without it the legacy ones (A.3.1). */
static void test_true_ctls_preferred(void **state)
{
	u64 m[VTX_NR_VMX_MSRS];

	(void)state;
	bochs_msrs(m);
	/* legacy says "load IA32_EFER" on exit, true says no */
	m[VMX_MSR_TRUE_EXIT] &= ~(1ULL << (32 + 21));
	assert_false(vmx_caps_decode(m) & VTX_FEAT_LOAD_EFER);
	/* without bit 55 the true MSRs are ignored */
	m[VMX_MSR_BASIC] &= ~VTX_BASIC_TRUE_CTLS;
	assert_true(vmx_caps_decode(m) & VTX_FEAT_LOAD_EFER);
	assert_false(vmx_caps_decode(m) & VTX_FEAT_TRUE_CTLS);
	m[VMX_MSR_PINBASED] &= ~(1ULL << (32 + 6));
	assert_false(vmx_caps_decode(m) & VTX_FEAT_PREEMPT_TIMER);
}

/* LOAD_EFER/LOAD_PAT need the exit (A.4) and the entry (A.5) side. */
static void test_load_efer_pat_both_sides(void **state)
{
	u64 m[VTX_NR_VMX_MSRS];
	u64 feat;

	(void)state;
	bochs_msrs(m);
	m[VMX_MSR_TRUE_ENTRY] &= ~(1ULL << (32 + 15));	/* entry: load IA32_EFER */
	feat = vmx_caps_decode(m);
	assert_false(feat & VTX_FEAT_LOAD_EFER);
	assert_true(feat & VTX_FEAT_LOAD_PAT);
	m[VMX_MSR_TRUE_EXIT] &= ~(1ULL << (32 + 19));	/* exit: load IA32_PAT */
	assert_false(vmx_caps_decode(m) & VTX_FEAT_LOAD_PAT);
}

static void test_memtype_and_empty(void **state)
{
	u64 m[VTX_NR_VMX_MSRS];

	(void)state;
	bochs_msrs(m);
	/* memory type UC (0) in bits 53:50 */
	m[VMX_MSR_BASIC] &= ~(0xfULL << 50);
	assert_false(vmx_caps_decode(m) & VTX_FEAT_WB_VMCS);
	memset(m, 0, sizeof(m));
	assert_int_equal(vmx_caps_decode(m), 0);
}

static void test_cr_fixed(void **state)
{
	u64 m[VTX_NR_VMX_MSRS];

	(void)state;
	bochs_msrs(m);
	/* PE|NE|PG|WP|ET: a normal Linux CR0 */
	assert_true(vmx_cr_fixed_ok(0x80050033, m[VMX_MSR_CR0_FIXED0], m[VMX_MSR_CR0_FIXED1]));
	/* NE (bit 5) clear violates FIXED0 */
	assert_false(vmx_cr_fixed_ok(0x80050013, m[VMX_MSR_CR0_FIXED0], m[VMX_MSR_CR0_FIXED1]));
	/* CR4 without VMXE (bit 13) is not allowed in VMX operation */
	assert_false(vmx_cr_fixed_ok(0x3606f0, m[VMX_MSR_CR4_FIXED0], m[VMX_MSR_CR4_FIXED1]));
	assert_true(vmx_cr_fixed_ok(0x3626f0, m[VMX_MSR_CR4_FIXED0], m[VMX_MSR_CR4_FIXED1]));
	/* a bit outside FIXED1 (CR4 bit 22, PKS) */
	assert_false(vmx_cr_fixed_ok(0x7626f0, m[VMX_MSR_CR4_FIXED0], m[VMX_MSR_CR4_FIXED1]));
}

static void test_feature_names(void **state)
{
	char buf[64];
	unsigned int i, j;
	size_t need;

	(void)state;
	for (i = 0; i < VTX_FEAT_NR; i++) {
		assert_non_null(vtx_feature_names[i]);
		assert_true(strlen(vtx_feature_names[i]) > 0);
		for (j = 0; j < i; j++)
			assert_string_not_equal(vtx_feature_names[i], vtx_feature_names[j]);
	}
	need = vmx_caps_names(VTX_FEAT_EPT | VTX_FEAT_UNRESTRICTED, buf, sizeof(buf));
	assert_string_equal(buf, "ept unrestricted-guest");
	assert_int_equal(need, strlen("ept unrestricted-guest"));
	need = vmx_caps_names(0, buf, sizeof(buf));
	assert_string_equal(buf, "");
	assert_int_equal(need, 0);
	/* truncation keeps whole names and reports the full length */
	need = vmx_caps_names(VTX_FEAT_EPT | VTX_FEAT_UNRESTRICTED | VTX_FEAT_VPID, buf, 12);
	assert_string_equal(buf, "ept vpid");
	assert_int_equal(need, strlen("ept vpid unrestricted-guest"));
	/* the whole required set fits a log line buffer sized by the first call */
	need = vmx_caps_names(VTX_FEAT_REQUIRED, NULL, 0);
	{
		char big[need + 1];

		assert_int_equal(vmx_caps_names(VTX_FEAT_REQUIRED, big, sizeof(big)), need);
		assert_int_equal(strlen(big), need);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bochs_decode),
		cmocka_unit_test(test_bochs_msr_exists),
		cmocka_unit_test(test_read_in_order),
		cmocka_unit_test(test_ept_vpid_cap_bits),
		cmocka_unit_test(test_no_ept_no_unrestricted),
		cmocka_unit_test(test_no_secondary),
		cmocka_unit_test(test_true_ctls_preferred),
		cmocka_unit_test(test_load_efer_pat_both_sides),
		cmocka_unit_test(test_memtype_and_empty),
		cmocka_unit_test(test_cr_fixed),
		cmocka_unit_test(test_feature_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
