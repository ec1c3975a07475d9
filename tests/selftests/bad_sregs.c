// SPDX-License-Identifier: GPL-2.0
/*
 * bad_sregs: guest state that VM entry rejects (SDM 26.3.1 checks on guest
 * state) is refused cleanly: VTX_SET_SREGS fails with EINVAL, or VTX_RUN
 * reports VTX_EXIT_FAIL_ENTRY (or fails with EINVAL). Never a host crash,
 * never a guest that runs. A good VM works afterwards.
 */
#include "vm.h"
#include "vtx_util.h"

static void guest_code(void)
{
	GUEST_DONE();
}

struct bad_state {
	const char *what;
	void (*apply)(struct vtx_sregs *s);
};

static void cs_unusable(struct vtx_sregs *s) { s->cs.unusable = 1; }
static void pg_without_pe(struct vtx_sregs *s) { s->cr0 &= ~X86_CR0_PE; }
static void lma_without_pae(struct vtx_sregs *s) { s->cr4 &= ~X86_CR4_PAE; }
static void tr_not_busy(struct vtx_sregs *s) { s->tr.type = 0x9; }
static void cs_l_and_db(struct vtx_sregs *s) { s->cs.db = 1; }
static void ss_code(struct vtx_sregs *s) { s->ss.type = 0xb; }
static void efer_lma_off(struct vtx_sregs *s) { s->efer &= ~EFER_LMA; }

static const struct bad_state bad_states[] = {
	{ "CS unusable", cs_unusable },
	{ "CR0.PG without CR0.PE", pg_without_pe },
	{ "long mode without CR4.PAE", lma_without_pae },
	{ "TR not a busy TSS", tr_not_busy },
	{ "64-bit CS with D/B set", cs_l_and_db },
	{ "SS a code segment", ss_code },
	{ "EFER.LMA != CR0.PG && EFER.LME", efer_lma_off },
};
#define NR_BAD	(sizeof(bad_states) / sizeof(bad_states[0]))

static bool try_bad(const struct bad_state *b)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	struct vtx_sregs sregs;
	bool ok;
	int ret;

	vcpu_sregs_get(vcpu, &sregs);
	b->apply(&sregs);
	ret = _vcpu_sregs_set(vcpu, &sregs);
	if (ret) {
		ok = errno == EINVAL;
		ksft_print_msg("%s: VTX_SET_SREGS errno %d\n", b->what, errno);
	} else {
		ret = _vcpu_run(vcpu);
		ok = (ret == 0 && vcpu->run->exit_reason == VTX_EXIT_FAIL_ENTRY) ||
		     (ret == -1 && errno == EINVAL);
		if (ret)
			ksft_print_msg("%s: VTX_RUN errno %d\n", b->what, errno);
		else
			vcpu_print_exit(vcpu);
	}
	vcpu_free(vcpu);
	vm_free(vm);
	return ok;
}

int main(void)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm;
	unsigned int i;

	ksft_print_header();
	ksft_set_plan(NR_BAD + 1);
	for (i = 0; i < NR_BAD; i++)
		ksft_test_result(try_bad(&bad_states[i]), "%s is refused", bad_states[i].what);

	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	ksft_test_result(vcpu_run_to_done(vcpu), "a good VM still runs");
	vcpu_free(vcpu);
	vm_free(vm);
	ksft_finished();
}
