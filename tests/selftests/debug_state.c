// SPDX-License-Identifier: GPL-2.0
/*
 * debug_state: host state a VM exit does not restore, and debug state the
 * guest must not share with the host (SDM vol 3C 27.5.1-27.5.2, 26.3.2.1).
 *  - LDTR: the exit leaves it unusable; a process with an LDT
 *    (modify_ldt) must still load an LDT selector after VTX_RUN.
 *  - DR7: a hardware breakpoint of the host thread (perf_event_open on a
 *    global that the guest has at the same address) must not fire in the
 *    guest (entry loads the guest's DR7: load debug controls), and must
 *    still work in the host afterwards.
 *  - MOV DR: the guest reads its own DR7 (0x400); with DR7.GD set the next
 *    MOV DR raises #DB with DR6.BD set and GD cleared (SDM vol 3B 17.2.4).
 *  - IA32_DEBUGCTL is cleared by the exit and restored by vtx; Bochs has
 *    no DEBUGCTL (reads 0), so that is a skip here.
 */
#include <asm/ldt.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "vm.h"
#include "vm_test.h"
#include "vtx_util.h"

#define LDT_SEL		((0 << 3) | 4 | 3)	/* LDT entry 0, TI = 1, RPL 3 */
#define DR7_GD		(1ull << 13)
#define DR6_BD		(1ull << 13)

static volatile uint64_t bp_var;
static uint64_t guest_db;
static sigjmp_buf segv_jmp;

static void guest_db_handler(struct ex_regs *regs)
{
	(void)regs;
	guest_db++;
}

static uint8_t get_dr0_safe(uint64_t *v)
{
	register uint64_t vec asm("r9");
	uint64_t val = 0;

	asm volatile(GUEST_ASM_SAFE_PROLOGUE "mov %%dr0, %[val]" GUEST_ASM_SAFE_EPILOGUE
		     : "=&r"(vec), [val] "+r"(val) : : "r10", "r11", "memory");
	*v = val;
	return (uint8_t)vec;
}

static void guest_code(void)
{
	uint64_t dr7, dr6, v;

	bp_var = 1;			/* the host's breakpoint address */
	GUEST_SYNC(READ_ONCE(guest_db));
	asm volatile("mov %%dr7, %0" : "=r"(dr7));
	GUEST_ASSERT_EQ(dr7, 0x400);
	asm volatile("mov %0, %%dr7" : : "r"(0x400 | DR7_GD));
	GUEST_ASSERT_EQ(get_dr0_safe(&v), DB_VECTOR);
	asm volatile("mov %%dr6, %0" : "=r"(dr6));
	asm volatile("mov %%dr7, %0" : "=r"(dr7));
	GUEST_ASSERT(dr6 & DR6_BD);
	GUEST_ASSERT_EQ(dr7 & DR7_GD, 0);
	GUEST_SYNC(0);
	GUEST_DONE();
}

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(segv_jmp, 1);
}

/* Load ES with the LDT selector and back: true if that worked. */
static bool ldt_selector_loads(void)
{
	struct sigaction sa = { .sa_handler = on_segv }, old;
	uint16_t es;
	bool ok = false;

	asm volatile("mov %%es, %0" : "=r"(es));
	sigaction(SIGSEGV, &sa, &old);
	if (!sigsetjmp(segv_jmp, 1)) {
		asm volatile("mov %0, %%es" : : "r"((uint16_t)LDT_SEL));
		ok = true;
	}
	asm volatile("mov %0, %%es" : : "r"(es));
	sigaction(SIGSEGV, &old, NULL);
	return ok;
}

int main(void)
{
	struct user_desc desc = {
		.entry_number = 0, .base_addr = 0, .limit = 0xfffff, .seg_32bit = 1,
		.contents = 0, .read_exec_only = 0, .limit_in_pages = 1,
		.seg_not_present = 0, .useable = 1,
	};
	struct perf_event_attr attr = {
		.type = PERF_TYPE_BREAKPOINT, .size = sizeof(attr),
		.bp_type = HW_BREAKPOINT_W, .bp_len = HW_BREAKPOINT_LEN_8,
		.exclude_kernel = 1, .exclude_hv = 1,
	};
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_test_start(&vcpu, guest_code, 6);
	uint64_t hits = 0;
	struct ucall uc;
	bool ldt_before;
	int bp_fd;

	vm_install_exception_handler(vm, DB_VECTOR, guest_db_handler);
	TEST_ASSERT(!syscall(SYS_modify_ldt, 1, &desc, sizeof(desc)), "modify_ldt");
	ldt_before = ldt_selector_loads();
	attr.bp_addr = (uintptr_t)&bp_var;
	bp_fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	if (bp_fd < 0)
		ksft_print_msg("perf_event_open(breakpoint): %s\n", strerror(errno));

	TEST_ASSERT(vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC, "guest sync");
	ksft_test_result(ldt_before && ldt_selector_loads(),
			 "LDT selector %#x loads before and after VTX_RUN (LDTR restored)",
			 LDT_SEL);
	if (bp_fd < 0) {
		ksft_test_result_skip("no hardware breakpoint for the host", "host DR7 in the guest");
		ksft_test_result_skip("no hardware breakpoint for the host", "host breakpoint after");
	} else {
		ksft_test_result(uc.args[0] == 0,
				 "host breakpoint on %p did not fire in the guest (%llu #DB)",
				 (void *)&bp_var, (unsigned long long)uc.args[0]);
		bp_var = 2;
		TEST_ASSERT(read(bp_fd, &hits, sizeof(hits)) == sizeof(hits), "read breakpoint");
		ksft_test_result(hits >= 1, "host breakpoint still fires in the host (%llu)",
				 (unsigned long long)hits);
	}
	ksft_test_result(vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC && uc.args[0] == 0,
			 "guest DR7 reads 0x400; DR7.GD: MOV DR -> #DB, DR6.BD set, GD cleared");
	ksft_test_result_skip("Bochs has no IA32_DEBUGCTL (reads 0)",
			      "IA32_DEBUGCTL restored after the exit");
	ksft_test_result(vcpu_run_ucall(vcpu, &uc) == UCALL_DONE, "guest done");
	if (bp_fd >= 0)
		close(bp_fd);
	vm_test_finish(vm, vcpu);
}
