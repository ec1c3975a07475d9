// SPDX-License-Identifier: GPL-2.0
/* unit-sources: kmod/vmx/evpick.c */
/*
 * Event selection for VM entry (kmod/vmx/evpick.c): priorities (SDM vol 3A
 * 6.9), interrupt shadows and NMI blocking (vol 3C 24.4.2, 26.3.1.5), and
 * the window exits asked for what has to wait (26.7.5, 26.7.6).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ktypes.h"
#include "vmx/evpick.h"

#define STI	VMX_PICK_BLOCK_STI
#define MOVSS	VMX_PICK_BLOCK_MOV_SS
#define NMIB	VMX_PICK_BLOCK_NMI

struct pick_case {
	const char *what;
	struct vmx_pick_in in;
	u8 inject;
	bool nmi_window, irq_window;
};

static const struct pick_case cases[] = {
	{ "nothing pending", { .rflags_if = true }, VMX_PICK_NONE, false, false },
	{ "interrupt, IF=1", { .irq = true, .rflags_if = true }, VMX_PICK_IRQ, false, false },
	{ "interrupt, IF=0: window", { .irq = true }, VMX_PICK_NONE, false, true },
	{ "interrupt in the STI shadow", { .irq = true, .rflags_if = true, .intr_state = STI },
	  VMX_PICK_NONE, false, true },
	{ "interrupt in the MOV SS shadow",
	  { .irq = true, .rflags_if = true, .intr_state = MOVSS }, VMX_PICK_NONE, false, true },
	{ "interrupt during NMI blocking goes in",
	  { .irq = true, .rflags_if = true, .intr_state = NMIB }, VMX_PICK_IRQ, false, false },
	{ "NMI ignores IF", { .nmi = true }, VMX_PICK_NMI, false, false },
	{ "NMI blocked until IRET", { .nmi = true, .intr_state = NMIB },
	  VMX_PICK_NONE, true, false },
	{ "NMI in the MOV SS shadow", { .nmi = true, .intr_state = MOVSS },
	  VMX_PICK_NONE, true, false },
	{ "NMI in the STI shadow", { .nmi = true, .rflags_if = true, .intr_state = STI },
	  VMX_PICK_NONE, true, false },
	{ "NMI before interrupt", { .nmi = true, .irq = true, .rflags_if = true },
	  VMX_PICK_NMI, false, true },
	{ "exception before NMI and interrupt",
	  { .exc = true, .nmi = true, .irq = true, .rflags_if = true },
	  VMX_PICK_EXC, true, true },
	{ "exception ignores IF and shadows", { .exc = true, .intr_state = STI | NMIB },
	  VMX_PICK_EXC, false, false },
	{ "re-injection first: the exception waits, no window for it",
	  { .busy = true, .exc = true, .rflags_if = true }, VMX_PICK_NONE, false, false },
	{ "re-injection first: interrupt and NMI ask for windows",
	  { .busy = true, .nmi = true, .irq = true, .rflags_if = true },
	  VMX_PICK_NONE, true, true },
	{ "blocked NMI lets the interrupt in",
	  { .nmi = true, .irq = true, .rflags_if = true, .intr_state = NMIB },
	  VMX_PICK_IRQ, true, false },
};

static void test_pick_cases(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pick_case *c = &cases[i];
		struct vmx_pick_out out = { .inject = 0xff, .nmi_window = true, .irq_window = true };

		vmx_event_pick(&c->in, &out);
		if (out.inject != c->inject || out.nmi_window != c->nmi_window ||
		    out.irq_window != c->irq_window)
			fail_msg("%s: inject %u nmi_window %d irq_window %d, want %u %d %d", c->what,
				 out.inject, out.nmi_window, out.irq_window, c->inject,
				 c->nmi_window, c->irq_window);
	}
}

static void test_error_code_vectors(void **state)
{
	static const u8 with[] = { 8, 10, 11, 12, 13, 14, 17, 21 };
	unsigned int v, i, n = 0;

	(void)state;
	for (i = 0; i < sizeof(with); i++)
		assert_true(vmx_exception_has_error_code(with[i]));
	for (v = 0; v < 256; v++)
		n += vmx_exception_has_error_code(v);
	assert_int_equal(n, sizeof(with));	/* none else, none >= 32 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pick_cases),
		cmocka_unit_test(test_error_code_vectors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
