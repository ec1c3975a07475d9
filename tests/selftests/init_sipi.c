// SPDX-License-Identifier: GPL-2.0
/*
 * init_sipi: an AP started the way an OS starts it (SDM Vol. 3 8.4.4.1):
 * vCPU 1 is created in VTX_MP_WAIT_SIPI and its VTX_RUN sleeps; vCPU 0
 * sends INIT (assert, de-assert) and then a start-up IPI with vector 0x10
 * through its xAPIC ICR; vCPU 1 then starts in real mode at CS = 0x1000,
 * IP = 0 (address 0x10000), where the host put a trampoline that OUTs its
 * CS to port 0xe1, writes a flag and halts with IF=0.
 * Also: GET_MP_STATE before and after, SET_MP_STATE with a bad state.
 */
#include <unistd.h>
#include "irq.h"
#include "vcpu_thread.h"
#include "vm.h"
#include "vtx_util.h"

#define SIPI_VECTOR	0x10
#define TRAMPOLINE	(SIPI_VECTOR << 12)
#define AP_PORT		0xe1
#define AP_FLAG		0xbeef

enum { S_INIT_SENT = 1, S_SIPI_SENT };

static const uint8_t trampoline[] = {
	0x8c, 0xc8,			/* mov %cs, %ax */
	0xba, AP_PORT, 0x00,		/* mov $AP_PORT, %dx */
	0xef,				/* out %ax, %dx */
	0x2e, 0xc7, 0x06, 0x00, 0x01,	/* movw $AP_FLAG, %cs:0x100 */
	AP_FLAG & 0xff, AP_FLAG >> 8,
	0xfa,				/* cli */
	0xf4,				/* 1: hlt */
	0xeb, 0xfd,			/* jmp 1b */
};

static void guest_code(void)
{
	xapic_enable();
	xapic_send_ipi(1, LAPIC_DM_INIT | LAPIC_ICR_TRIG_LEVEL | LAPIC_ICR_LEVEL_ASSERT);
	xapic_send_ipi(1, LAPIC_DM_INIT | LAPIC_ICR_TRIG_LEVEL);
	GUEST_SYNC(S_INIT_SENT);
	xapic_send_ipi(1, LAPIC_DM_STARTUP | SIPI_VECTOR);
	GUEST_SYNC2(S_SIPI_SENT, xapic_read(LAPIC_ESR));
	GUEST_DONE();
}

static struct test_vcpu *ap;
static volatile bool sipi_sent;
static struct {
	bool early;		/* the AP came out of VTX_RUN before the SIPI was sent */
	int ret1, ret2;
	struct vtx_run exit1;
	uint16_t out_value;
	uint32_t exit2;
} res;

static void *ap_thread(void *arg)
{
	(void)arg;
	do {
		res.ret1 = _vcpu_run(ap);
	} while (res.ret1 == -1 && errno == EINTR);
	res.early = !sipi_sent;
	res.exit1 = *ap->run;
	if (ap->run->exit_reason == VTX_EXIT_IO && ap->run->io.data_offset < VTX_RUN_SIZE - 2)
		memcpy(&res.out_value, (uint8_t *)ap->run + ap->run->io.data_offset, 2);
	res.ret2 = _vcpu_run(ap);
	res.exit2 = ap->run->exit_reason;
	return NULL;
}

int main(void)
{
	struct test_vcpu *bsp;
	struct vtx_mp_state mp;
	struct vtx_sregs sr;
	struct test_vm *vm;
	struct ucall uc;
	pthread_t thr;
	uint32_t st0, st1;
	int ret, err;
	bool ok;

	ksft_print_header();
	vm = vm_create();
	bsp = vm_vcpu_add(vm, 0, guest_code);
	ap = vm_vcpu_add_ap(vm, 1);
	memcpy(addr_gpa2hva(vm, TRAMPOLINE), trampoline, sizeof(trampoline));
	ksft_set_plan(8);

	st0 = vcpu_mp_state(bsp);
	st1 = vcpu_mp_state(ap);
	ksft_test_result(st0 == VTX_MP_RUNNABLE && st1 == VTX_MP_WAIT_SIPI,
			 "GET_MP_STATE: vCPU 0 %s, new vCPU 1 %s", mp_state_str(st0),
			 mp_state_str(st1));
	ret = _vcpu_mp_state_set(ap, 7);
	err = errno;
	ksft_test_result(ret == -1 && err == EINVAL, "SET_MP_STATE state 7: EINVAL (%d, errno %d)",
			 ret, ret ? err : 0);

	test_watchdog_start(60, "init_sipi (the AP never started?)", NULL);
	TEST_ASSERT(!pthread_create(&thr, NULL, ap_thread, NULL), "pthread_create");
	TEST_ASSERT(vcpu_run_ucall(bsp, &uc) == UCALL_SYNC && uc.args[0] == S_INIT_SENT,
		    "vCPU 0 sends INIT");
	usleep(50000);		/* the AP must go on waiting: INIT is not SIPI */
	sipi_sent = true;
	ok = vcpu_run_ucall(bsp, &uc) == UCALL_SYNC && uc.args[0] == S_SIPI_SENT;
	TEST_ASSERT(ok, "vCPU 0 sends the SIPI");
	ksft_print_msg("vCPU 0 ESR after the IPIs: %#llx\n", (unsigned long long)uc.args[1]);
	pthread_join(thr, NULL);
	test_watchdog_stop();

	ksft_test_result(!res.early, "vCPU 1's VTX_RUN slept through INIT until the SIPI");
	ksft_test_result(res.ret1 == 0 && res.exit1.exit_reason == VTX_EXIT_IO &&
			 res.exit1.io.port == AP_PORT && res.exit1.io.size == 2 &&
			 res.out_value == SIPI_VECTOR << 8,
			 "vCPU 1 ran the trampoline at %#x: OUT %#x to port %#x (exit %s)",
			 TRAMPOLINE, res.out_value, res.exit1.io.port,
			 exit_reason_str(res.exit1.exit_reason));
	ksft_test_result(*(uint16_t *)addr_gpa2hva(vm, TRAMPOLINE + 0x100) == AP_FLAG &&
			 res.ret2 == 0 && res.exit2 == VTX_EXIT_HLT,
			 "vCPU 1 wrote its flag and halted with IF=0 (exit %s)",
			 exit_reason_str(res.exit2));
	vcpu_sregs_get(ap, &sr);
	ksft_test_result(sr.cs.selector == SIPI_VECTOR << 8 && sr.cs.base == TRAMPOLINE &&
			 !(sr.cr0 & X86_CR0_PE),
			 "vCPU 1 is in real mode: CS %#x base %#llx, CR0 %#llx", sr.cs.selector,
			 (unsigned long long)sr.cs.base, (unsigned long long)sr.cr0);
	TEST_ASSERT(!_vcpu_mp_state_get(ap, &mp), "GET_MP_STATE");
	ksft_test_result(mp.state == VTX_MP_RUNNABLE && mp.sipi_vector == SIPI_VECTOR,
			 "GET_MP_STATE after the SIPI: %s, sipi_vector %#x", mp_state_str(mp.state),
			 mp.sipi_vector);
	ksft_test_result(vcpu_run_to_done(bsp), "vCPU 0 finishes");
	vcpu_free(ap);
	vcpu_free(bsp);
	vm_free(vm);
	ksft_finished();
}
