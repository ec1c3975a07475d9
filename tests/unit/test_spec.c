// SPDX-License-Identifier: GPL-2.0
/* unit-sources: kmod/vmx/spec.c */
/*
 * The speculative-execution mitigation policy (kmod/vmx/spec.c): host bug
 * and feature bits plus the verw= / l1d_flush= / ibpb= parameters to the
 * set vtx applies, and the names its log line and sysfs file show; and
 * the userspace build of the array_index_nospec() clamp.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ktypes.h"
#include "vmx/spec.h"

static const struct vtx_spec_params autop = { -1, -1, -1 };

/* A Skylake with current microcode: every bug, every fix. */
static const struct vtx_spec_host skylake = {
	.bug_l1tf = true, .bug_mds = true, .bug_taa = true, .bug_mmio = true,
	.bug_spectre_v2 = true, .has_md_clear = true, .has_flush_l1d = true,
	.has_ibpb = true,
};

static int policy(const struct vtx_spec_host *h, const struct vtx_spec_params *p)
{
	const char *bad = NULL;
	int m = vtx_spec_policy(h, p, &bad);

	assert_true(m >= 0);
	assert_null(bad);
	return m;
}

static const char *describe(u32 mask)
{
	static char buf[160];

	assert_true(vtx_spec_describe(mask, buf, sizeof(buf)) < sizeof(buf));
	return buf;
}

static void test_all_bugs_all_fixes(void **state)
{
	int m = policy(&skylake, &autop);

	(void)state;
	assert_int_equal(m, VTX_SPEC_VERW | VTX_SPEC_L1D_MSR | VTX_SPEC_IBPB);
	assert_string_equal(describe(m), "verw l1d-flush ibpb");
}

static void test_not_affected(void **state)
{
	const struct vtx_spec_host h = {
		.has_md_clear = true, .has_flush_l1d = true, .has_ibpb = true,
	};

	(void)state;
	assert_int_equal(policy(&h, &autop), 0);
	assert_string_equal(describe(0), "none needed");
}

/* Each of the four buffer-sampling bugs alone asks for VERW, nothing else does. */
static void test_each_bug_alone(void **state)
{
	static const size_t off[] = {
		offsetof(struct vtx_spec_host, bug_mds),
		offsetof(struct vtx_spec_host, bug_taa),
		offsetof(struct vtx_spec_host, bug_mmio),
		offsetof(struct vtx_spec_host, bug_rfds),
	};
	struct vtx_spec_host h;
	unsigned int i;

	(void)state;
	for (i = 0; i < 4; i++) {
		memset(&h, 0, sizeof(h));
		h.has_md_clear = h.has_flush_l1d = h.has_ibpb = true;
		*(bool *)((char *)&h + off[i]) = true;
		assert_int_equal(policy(&h, &autop), VTX_SPEC_VERW);
	}
	memset(&h, 0, sizeof(h));
	h.bug_l1tf = h.has_flush_l1d = true;
	assert_int_equal(policy(&h, &autop), VTX_SPEC_L1D_MSR);
	memset(&h, 0, sizeof(h));
	h.bug_spectre_v2 = h.has_ibpb = true;
	assert_int_equal(policy(&h, &autop), VTX_SPEC_IBPB);
}

/* Old microcode: software L1D flush, VERW that clears nothing, no IBPB; all said so. */
static void test_missing_features(void **state)
{
	struct vtx_spec_host h = skylake;
	int m;

	(void)state;
	h.has_md_clear = h.has_flush_l1d = h.has_ibpb = false;
	m = policy(&h, &autop);
	assert_int_equal(m, VTX_SPEC_VERW | VTX_SPEC_VERW_NO_UCODE | VTX_SPEC_L1D_SW |
			 VTX_SPEC_IBPB_NONE);
	assert_string_equal(describe(m),
			    "verw(no-md-clear-microcode) l1d-flush(software) ibpb(unavailable)");
}

static void test_forced_off(void **state)
{
	const struct vtx_spec_params off = { 0, 0, 0 };
	int m = policy(&skylake, &off);

	(void)state;
	assert_int_equal(m, VTX_SPEC_VERW_OFF | VTX_SPEC_L1D_OFF | VTX_SPEC_IBPB_OFF);
	assert_int_equal(m & (VTX_SPEC_VERW | VTX_SPEC_L1D | VTX_SPEC_IBPB), 0);
	assert_string_equal(describe(m), "verw(off) l1d-flush(off) ibpb(off)");
}

/* Forced on where not needed; IBPB still never without the CPU feature. */
static void test_forced_on(void **state)
{
	const struct vtx_spec_params on = { 1, 1, 1 };
	struct vtx_spec_host h = { .has_md_clear = true };

	(void)state;
	assert_int_equal(policy(&h, &on), VTX_SPEC_VERW | VTX_SPEC_L1D_SW | VTX_SPEC_IBPB_NONE);
	h.has_flush_l1d = h.has_ibpb = true;
	assert_int_equal(policy(&h, &on), VTX_SPEC_VERW | VTX_SPEC_L1D_MSR | VTX_SPEC_IBPB);
}

/* mitigations=off on the host: none by default, as KVM; forcing one still works. */
static void test_host_mitigations_off(void **state)
{
	const struct vtx_spec_params on = { 1, 1, 1 }, off = { 0, 0, 0 };
	struct vtx_spec_host h = skylake;
	int m;

	(void)state;
	h.mitigations_off = true;
	m = policy(&h, &autop);
	assert_int_equal(m, VTX_SPEC_HOST_OFF);
	assert_string_equal(describe(m), "host-mitigations-off");
	assert_int_equal(policy(&h, &off), VTX_SPEC_HOST_OFF);	/* no "(off)": not needed */
	m = policy(&h, &on);
	assert_int_equal(m, VTX_SPEC_VERW | VTX_SPEC_L1D_MSR | VTX_SPEC_IBPB | VTX_SPEC_HOST_OFF);
	assert_string_equal(describe(m), "verw l1d-flush ibpb host-mitigations-off");
}

static void test_bad_param(void **state)
{
	static const struct vtx_spec_params bad[] = { { 2, -1, -1 }, { -1, -2, -1 }, { -1, -1, 7 } };
	static const char *const names[] = { "verw", "l1d_flush", "ibpb" };
	unsigned int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		const char *which = NULL;

		assert_int_equal(vtx_spec_policy(&skylake, &bad[i], &which), -EINVAL);
		assert_string_equal(which, names[i]);
	}
}

/* A short buffer ends at a whole name; the return value is the full length. */
static void test_describe_truncates(void **state)
{
	u32 m = VTX_SPEC_VERW | VTX_SPEC_L1D_MSR | VTX_SPEC_IBPB;
	char buf[16];

	(void)state;
	assert_int_equal(vtx_spec_describe(m, buf, sizeof(buf)), strlen("verw l1d-flush ibpb"));
	assert_string_equal(buf, "verw l1d-flush");
	assert_int_equal(vtx_spec_describe(m, buf, 4), strlen("verw l1d-flush ibpb"));
	assert_string_equal(buf, "");
	assert_int_equal(vtx_spec_describe(m, NULL, 0), strlen("verw l1d-flush ibpb"));
}

/*
 * The Spectre v1 clamp the irq devices, CPUID and MSR code use on
 * guest-chosen indexes: in userspace ktypes.h's copy of the kernel's
 * generic array_index_nospec() (index if below size, else 0, no branch).
 */
static void test_index_clamp(void **state)
{
	int neg = -1;

	(void)state;
	assert_int_equal(array_index_nospec(0u, 24u), 0);
	assert_int_equal(array_index_nospec(23u, 24u), 23);
	assert_int_equal(array_index_nospec(24u, 24u), 0);
	assert_int_equal(array_index_nospec(0xffffffffu, 24u), 0);
	assert_int_equal(array_index_nospec(neg, 8), 0);
	assert_int_equal(array_index_nospec((u16)0xffff, 70), 0);
	assert_int_equal(array_index_nospec((u16)69, 70), 69);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_bugs_all_fixes),
		cmocka_unit_test(test_not_affected),
		cmocka_unit_test(test_each_bug_alone),
		cmocka_unit_test(test_missing_features),
		cmocka_unit_test(test_forced_off),
		cmocka_unit_test(test_forced_on),
		cmocka_unit_test(test_host_mitigations_off),
		cmocka_unit_test(test_bad_param),
		cmocka_unit_test(test_describe_truncates),
		cmocka_unit_test(test_index_clamp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
