// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile behaviours of the instruction kind: issue 13's holes (XSETBV,
 * CR4.PKE/WRPKRU, XSAVES, CR4.MCE, RDPMC/WBINVD, host debug state and
 * LDTR, IA32_FMASK, CPUID with IF=0, triple fault then reset), VMX
 * instructions, HLT with IF=0 in a loop and triple-fault loops.
 */
#include <asm/ldt.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "hostile.h"
#include "shutdown_guest.h"
#include "vcpu_thread.h"

#define X86_CR4_MCE	(1ull << 6)
#define X86_CR4_PCE	(1ull << 8)
#define X86_CR4_OSXSAVE	(1ull << 18)
#define X86_CR4_PKE	(1ull << 22)
#define XCR0_X87	(1ull << 0)
#define XCR0_SSE	(1ull << 1)
#define XCR0_BNDREGS	(1ull << 3)
#define XCR0_BNDCSR	(1ull << 4)
#define MSR_SYSCALL_MASK 0xc0000084
#define MSR_DEBUGCTL	0x1d9

/* Guest and host alike: a simple behaviour is a guest that asserts and says done. */
static bool run_simple(struct hostile *h, void *guest, const char *what)
{
	uint64_t detail = 0;
	bool ok = h_run_guest(h, guest, &detail);

	if (ok)
		h_say(h, true, "%s%s", what, detail == 1 ? " (host without XSAVE: #UD path)" : "");
	return ok;
}

/* XSETBV: MPX bits 3/4 unequal, reserved bits, x87 clear, ECX != 0. */
static void g_xsetbv(void)
{
	uint64_t good = XCR0_X87 | XCR0_SSE;

	if (!(cpuid(1, 0).ecx & (1u << 26))) {
		/* vtx hides XSAVE when the host runs without it: CR4.OSXSAVE #GP, XSETBV #UD */
		GUEST_ASSERT_EQ(set_cr4_safe(get_cr4() | X86_CR4_OSXSAVE), GP_VECTOR);
		GUEST_ASSERT_EQ(xsetbv_safe(0, good | XCR0_BNDREGS), UD_VECTOR);
		GUEST_ASSERT_EQ(xsetbv_safe(0, good | (1ull << 63)), UD_VECTOR);
		h_guest_done(1);
	}
	set_cr4(get_cr4() | X86_CR4_OSXSAVE);
	GUEST_ASSERT_EQ(xsetbv_safe(0, good | XCR0_BNDREGS), GP_VECTOR);
	GUEST_ASSERT_EQ(xsetbv_safe(0, good | XCR0_BNDCSR), GP_VECTOR);
	GUEST_ASSERT_EQ(xsetbv_safe(0, good | (1ull << 63)), GP_VECTOR);
	GUEST_ASSERT_EQ(xsetbv_safe(0, good | (1ull << 10)), GP_VECTOR);
	GUEST_ASSERT_EQ(xsetbv_safe(0, XCR0_SSE), GP_VECTOR);
	GUEST_ASSERT_EQ(xsetbv_safe(1, good), GP_VECTOR);
	h_guest_done(0);
}

static bool b_xsetbv(struct hostile *h)
{
	return run_simple(h, g_xsetbv, "XSETBV of MPX 3/4 alone, bit 63, bit 10, no x87, ECX=1 -> #GP");
}

/* CR4.PKE -> #GP; WRPKRU/RDPKRU with CR4.PKE clear -> #UD (SDM vol 2B WRPKRU). */
static void g_pke(void)
{
	uint64_t cr4 = get_cr4();

	GUEST_ASSERT_EQ(set_cr4_safe(cr4 | X86_CR4_PKE), GP_VECTOR);
	GUEST_ASSERT_EQ(get_cr4(), cr4);
	GUEST_ASSERT_EQ(GUEST_INSN_SAFE("wrpkru", "a"(0xcu), "c"(0), "d"(0)), UD_VECTOR);
	GUEST_ASSERT_EQ(GUEST_INSN_SAFE("rdpkru", "c"(0)), UD_VECTOR);
	h_guest_done(0);
}

static bool b_pke(struct hostile *h)
{
	return run_simple(h, g_pke, "CR4.PKE -> #GP, WRPKRU/RDPKRU -> #UD");
}

static uint8_t xsave_area[4096] __attribute__((aligned(64)));

/* XSAVES/XRSTORS are not offered (no "enable XSAVES" control): #UD. */
static void g_xsaves(void)
{
	set_cr4_safe(get_cr4() | X86_CR4_OSXSAVE);	/* #GP without host XSAVE */
	GUEST_ASSERT_EQ(GUEST_INSN_SAFE("xsaves (%1)", "r"(xsave_area), "a"(~0u), "d"(~0u)),
			UD_VECTOR);
	GUEST_ASSERT_EQ(GUEST_INSN_SAFE("xrstors (%1)", "r"(xsave_area), "a"(~0u), "d"(~0u)),
			UD_VECTOR);
	h_guest_done(0);
}

static bool b_xsaves(struct hostile *h)
{
	return run_simple(h, g_xsaves, "XSAVES and XRSTORS -> #UD");
}

/* CR4.MCE cleared: the guest sees its value, the real CR4 keeps MCE (GET_SREGS shows 0). */
static void g_cr4_mce(void)
{
	uint64_t cr4 = get_cr4();

	set_cr4(cr4 & ~X86_CR4_MCE);
	GUEST_ASSERT_EQ(get_cr4(), cr4 & ~X86_CR4_MCE);
	set_cr4(get_cr4() | X86_CR4_PCE);
	GUEST_ASSERT_EQ(rdpmc_safe(0), GP_VECTOR);	/* PCE gives no host counters */
	h_guest_done(0);
}

static bool b_cr4_mce(struct hostile *h)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = h_vm_create(h, &vcpu, g_cr4_mce);
	struct vtx_sregs sr;
	bool ok = h_done_then_kick(h, vcpu, NULL);

	vcpu_sregs_get(vcpu, &sr);
	h_vm_free(h, vm);
	if (!ok)
		return false;
	return h_say(h, !(sr.cr4 & X86_CR4_MCE) && (sr.cr4 & X86_CR4_PCE),
		     "CR4.MCE cleared, PCE set: guest CR4 %#llx; RDPMC still #GP",
		     (unsigned long long)sr.cr4);
}

static void g_rdpmc(void)
{
	static const uint32_t ctrs[] = { 0, 1, 7, 1u << 30, (1u << 30) | 2, 1u << 31, ~0u };

	for (unsigned int i = 0; i < ARRAY_SIZE(ctrs); i++)
		GUEST_ASSERT_EQ(rdpmc_safe(ctrs[i]), GP_VECTOR);
	h_guest_done(0);
}

static bool b_rdpmc(struct hostile *h)
{
	return run_simple(h, g_rdpmc, "RDPMC of 7 counter numbers -> #GP");
}

#define WBINVD_LOOPS	3000

static void g_wbinvd(void)
{
	for (int i = 0; i < WBINVD_LOOPS; i++)
		asm volatile("wbinvd; invd" : : : "memory");
	h_guest_done(WBINVD_LOOPS);
}

static bool b_wbinvd(struct hostile *h)
{
	return run_simple(h, g_wbinvd, "3000 x WBINVD + INVD completed (skipped by vtx)");
}

/* Every VMX instruction in the guest: #UD (vtx offers no nested VMX). */
static uint64_t vmx_region[512] __attribute__((aligned(4096)));

static void g_vmx(void)
{
	uint64_t *p = vmx_region, desc[2] = { 0, 0 };

	GUEST_ASSERT_EQ(GUEST_INSN_SAFE("vmxon (%1)", "r"(p)), UD_VECTOR);
	GUEST_ASSERT_EQ(GUEST_INSN_SAFE("vmclear (%1)", "r"(p)), UD_VECTOR);
	GUEST_ASSERT_EQ(GUEST_INSN_SAFE("vmptrld (%1)", "r"(p)), UD_VECTOR);
	GUEST_ASSERT_EQ(GUEST_INSN_SAFE("vmptrst (%1)", "r"(p)), UD_VECTOR);
	GUEST_ASSERT_EQ(GUEST_INSN_SAFE("vmread %%rax, %%rax", "a"(0x4400ul)), UD_VECTOR);
	GUEST_ASSERT_EQ(GUEST_INSN_SAFE("vmwrite %%rax, %%rax", "a"(0x4400ul)), UD_VECTOR);
	GUEST_ASSERT_EQ(GUEST_INSN_SAFE("vmlaunch"), UD_VECTOR);
	GUEST_ASSERT_EQ(GUEST_INSN_SAFE("vmresume"), UD_VECTOR);
	GUEST_ASSERT_EQ(GUEST_INSN_SAFE("invept (%1), %%rax", "r"(desc), "a"(1ul)), UD_VECTOR);
	GUEST_ASSERT_EQ(GUEST_INSN_SAFE("invvpid (%1), %%rax", "r"(desc), "a"(1ul)), UD_VECTOR);
	GUEST_ASSERT_EQ(GUEST_INSN_SAFE("vmfunc", "a"(0), "c"(0)), UD_VECTOR);
	GUEST_ASSERT_EQ(GUEST_INSN_SAFE("vmxoff"), UD_VECTOR);
	GUEST_ASSERT_EQ(cpuid(1, 0).ecx & (1u << 5), 0);	/* VMX hidden */
	h_guest_done(0);
}

static bool b_vmx(struct hostile *h)
{
	return run_simple(h, g_vmx, "VMXON, VMCLEAR, VMPTRLD/ST, VMREAD/WRITE, VMLAUNCH/RESUME, INVEPT, INVVPID, VMFUNC, VMXOFF -> #UD");
}

/* IA32_FMASK bits 63:32, non-canonical LSTAR/KERNEL_GS_BASE, EFER reserved bit: #GP. */
static void g_msr_reserved(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_SYSCALL_MASK, ~0ull), GP_VECTOR);
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_SYSCALL_MASK, 1ull << 32), GP_VECTOR);
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_LSTAR, 0x8000000000000000ull), GP_VECTOR);
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_KERNEL_GS_BASE, 0x0000800000000000ull), GP_VECTOR);
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_EFER, rdmsr(MSR_EFER) | (1ull << 2)), GP_VECTOR);
	GUEST_ASSERT_EQ(rdmsr(MSR_SYSCALL_MASK) >> 32, 0);
	h_guest_done(0);
}

static bool b_msr_reserved(struct hostile *h)
{
	return run_simple(h, g_msr_reserved, "FMASK 63:32, non-canonical LSTAR/KERNEL_GS_BASE, EFER bit 2 -> #GP");
}

/*
 * Host state after exits: the guest arms DR0/DR7 on an address the host
 * uses (the same in both: the image is identity-loaded) and writes
 * DEBUGCTL; the host must take no SIGTRAP touching it afterwards, and its
 * LDT selector must still be valid (LAR sets ZF) after VTX_RUN.
 */
static volatile uint64_t shared_var;
static volatile sig_atomic_t host_traps;
#define LDT_SEL		((0 << 3) | 4 | 3)
#define DR7_L0_W8	(0x400 | 1 | (1ull << 16) | (3ull << 18))

static void g_debug(void)
{
	uint64_t dr7;

	asm volatile("mov %0, %%dr0" : : "r"(&shared_var));
	asm volatile("mov %0, %%dr7" : : "r"(DR7_L0_W8));
	asm volatile("mov %%dr7, %0" : "=r"(dr7));
	GUEST_ASSERT_EQ(dr7, DR7_L0_W8);
	/* MOV to DR7 with bits 63:32 set: #GP (SDM vol 3B 17.2.4) */
	GUEST_ASSERT_EQ(GUEST_INSN_SAFE("mov %1, %%dr7", "r"(1ull << 32)), GP_VECTOR);
	wrmsr_safe(MSR_DEBUGCTL, 3);	/* LBR|BTF; Bochs has no DEBUGCTL */
	h_guest_done(0);
}

static void on_trap(int sig)
{
	(void)sig;
	host_traps++;
}

static bool ldt_ok(void)
{
	uint32_t ar = 0;
	uint8_t zf;

	asm volatile("lar %2, %0; setz %1" : "+r"(ar), "=q"(zf) : "r"((uint32_t)LDT_SEL) : "cc");
	return zf;
}

static bool b_debug(struct hostile *h)
{
	struct user_desc desc = {
		.entry_number = 0, .limit = 0xfffff, .seg_32bit = 1, .limit_in_pages = 1,
		.useable = 1,
	};
	struct sigaction sa = { .sa_handler = on_trap }, old;
	struct test_vcpu *vcpu;
	struct test_vm *vm;
	bool ok, ldt_before, ldt_after;

	TEST_ASSERT(!syscall(SYS_modify_ldt, 1, &desc, sizeof(desc)), "modify_ldt");
	sigaction(SIGTRAP, &sa, &old);
	ldt_before = ldt_ok();
	vm = h_vm_create(h, &vcpu, g_debug);
	ok = h_done_then_kick(h, vcpu, NULL);
	ldt_after = ldt_ok();
	shared_var++;
	h_vm_free(h, vm);
	sigaction(SIGTRAP, &old, NULL);
	if (!ok)
		return false;
	return h_say(h, ldt_before && ldt_after && !host_traps,
		     "guest DR0/DR7 on a host address: %d host SIGTRAP; LDT selector valid before %d after %d; DR7 63:32 -> #GP",
		     (int)host_traps, ldt_before, ldt_after);
}

/* CPUID in a loop with IF=0: only the deadline kick ends VTX_RUN, within a bound. */
static void g_cpuid_loop(void)
{
	cli();
	for (;;)
		cpuid(0, 0);
}

#define KICK_BOUND_NS	3000000000ull

static bool b_cpuid_irqoff(struct hostile *h)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = h_vm_create(h, &vcpu, g_cpuid_loop);
	int ret = h_run(vcpu);
	uint64_t late = now_ns() - h->deadline_ns;
	uint32_t reason = vcpu->run->exit_reason;

	h_vm_free(h, vm);
	return h_say(h, !ret && reason == VTX_EXIT_KICK && late < KICK_BOUND_NS,
		     "one VTX_RUN of CPUID with IF=0 ends with %s %llu ms after the deadline",
		     exit_reason_str(reason), (unsigned long long)late / 1000000);
}

/* HLT with IF=0 in a loop: every HLT is a VTX_EXIT_HLT to userspace, RIP moves on. */
static uint64_t hlts;

static void g_hlt_loop(void)
{
	cli();
	for (;;) {
		hlt();
		WRITE_ONCE(hlts, hlts + 1);
	}
}

static bool b_hlt_loop(struct hostile *h)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = h_vm_create(h, &vcpu, g_hlt_loop);
	uint64_t exits = 0, counted;
	int ret;

	while (!(ret = h_run(vcpu)) && vcpu->run->exit_reason == VTX_EXIT_HLT)
		exits++;
	counted = *(uint64_t *)addr_gva2hva(vm, &hlts);
	ret = !ret && vcpu->run->exit_reason == VTX_EXIT_KICK && exits > 10 &&
	      (counted == exits || counted + 1 == exits);
	h_say(h, ret, "%llu HLT exits (guest counted %llu), then %s",
	      (unsigned long long)exits, (unsigned long long)counted,
	      exit_reason_str(vcpu->run->exit_reason));
	h_vm_free(h, vm);
	return ret;
}

static bool run_shutdown(struct test_vcpu *vcpu)
{
	return !h_run(vcpu) && vcpu->run->exit_reason == VTX_EXIT_SHUTDOWN;
}

/* Triple fault -> SHUTDOWN (and stays); VTX_SET_SREGS revives it (issue 13). */
static bool b_triple_reset(struct hostile *h)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = h_vm_create(h, &vcpu, guest_triple_fault);
	struct vtx_sregs sr;
	struct vtx_regs regs;
	struct ucall uc;
	bool dead, revived;

	vcpu_sregs_get(vcpu, &sr);
	vcpu_regs_get(vcpu, &regs);
	dead = run_shutdown(vcpu) && run_shutdown(vcpu);
	regs.rip = (uintptr_t)guest_sync42_done;
	vcpu_regs_set(vcpu, &regs);
	vcpu_sregs_set(vcpu, &sr);
	revived = h_ucall(h, vcpu, &uc) == UCALL_SYNC && uc.args[0] == 42;
	h_retry(h, vcpu);
	h_vm_free(h, vm);
	return h_say(h, dead && revived,
		     "triple fault: SHUTDOWN twice %d; after SET_SREGS it runs again %d", dead,
		     revived);
}

/* Triple fault, reset, triple fault ... until the deadline. */
static bool b_triple_loop(struct hostile *h)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = h_vm_create(h, &vcpu, guest_triple_fault);
	struct vtx_sregs sr;
	struct vtx_regs regs;
	uint64_t n = 0;
	bool ok = true;

	vcpu_sregs_get(vcpu, &sr);
	vcpu_regs_get(vcpu, &regs);
	while (ok && !h_expired(h)) {
		vcpu_regs_set(vcpu, &regs);
		vcpu_sregs_set(vcpu, &sr);
		ok = run_shutdown(vcpu);
		n += ok;
		/* the deadline's kick may come between h_expired() and VTX_RUN */
		if (!ok && vcpu->run->exit_reason == VTX_EXIT_KICK && h_expired(h))
			ok = true;
	}
	if (!ok)
		h_bad_exit(h, vcpu, "SHUTDOWN");
	h_vm_free(h, vm);
	return ok ? h_say(h, n > 10, "%llu triple faults, each SHUTDOWN, each reset",
			  (unsigned long long)n) : false;
}

const struct hostile_behaviour hostile_cpu[] = {
	{ "xsetbv_forbidden_xcr0", b_xsetbv, H_WINDOW_MS },
	{ "cr4_pke_wrpkru", b_pke, H_WINDOW_MS },
	{ "xsaves_xrstors", b_xsaves, H_WINDOW_MS },
	{ "cr4_mce_clear", b_cr4_mce, H_WINDOW_MS },
	{ "rdpmc", b_rdpmc, H_WINDOW_MS },
	{ "wbinvd_invd_loop", b_wbinvd, H_WINDOW_MS },
	{ "vmx_instructions", b_vmx, H_WINDOW_MS },
	{ "msr_reserved_bits", b_msr_reserved, H_WINDOW_MS },
	{ "host_debug_ldt_state", b_debug, H_WINDOW_MS },
	{ "cpuid_loop_irqoff", b_cpuid_irqoff, H_RUN_MS },
	{ "hlt_irqoff_loop", b_hlt_loop, H_RUN_MS },
	{ "triple_fault_reset", b_triple_reset, H_WINDOW_MS },
	{ "triple_fault_loop", b_triple_loop, H_RUN_MS },
};
const unsigned int hostile_nr_cpu = ARRAY_SIZE(hostile_cpu);
