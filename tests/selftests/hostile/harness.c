// SPDX-License-Identifier: GPL-2.0
/*
 * The hostile suite's host harness (see hostile.h): the deadline reaper,
 * running hostile vCPUs, answering their device exits.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>
#include "hostile.h"
#include "vcpu_thread.h"

static pthread_mutex_t h_lock = PTHREAD_MUTEX_INITIALIZER;
static struct hostile *h_cur;	/* the behaviour the reaper watches */
static pthread_t reaper;
static volatile bool reaper_stop;
static uint64_t kicks;

bool h_say(struct hostile *h, bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(h->msg, sizeof(h->msg), fmt, ap);
	va_end(ap);
	return ok;
}

/* Every 5 ms: past the deadline, kick each vCPU of the current behaviour. */
static void *reaper_main(void *arg)
{
	unsigned int i;

	(void)arg;
	while (!reaper_stop) {
		usleep(5000);
		pthread_mutex_lock(&h_lock);
		if (h_cur && now_ns() > h_cur->deadline_ns) {
			for (i = 0; i < h_cur->nr_vcpus; i++) {
				_vcpu_kick(h_cur->vcpus[i]);
				kicks++;
			}
		}
		pthread_mutex_unlock(&h_lock);
	}
	return NULL;
}

void h_reaper_start(void)
{
	TEST_ASSERT(!pthread_create(&reaper, NULL, reaper_main, NULL), "reaper thread");
}

uint64_t h_reaper_stop(void)
{
	reaper_stop = true;
	pthread_join(reaper, NULL);
	return kicks;
}

void h_begin(struct hostile *h, unsigned int window_ms)
{
	memset(h, 0, sizeof(*h));
	h->window_ms = window_ms;
	h->deadline_ns = now_ns() + window_ms * 1000000ull;
	pthread_mutex_lock(&h_lock);
	h_cur = h;
	pthread_mutex_unlock(&h_lock);
}

void h_end(struct hostile *h)
{
	(void)h;
	pthread_mutex_lock(&h_lock);
	h_cur = NULL;
	pthread_mutex_unlock(&h_lock);
}

bool h_expired(struct hostile *h)
{
	return now_ns() > h->deadline_ns;
}

static void h_register(struct hostile *h, struct test_vcpu *vcpu)
{
	TEST_ASSERT(h->nr_vcpus < H_MAX_VCPUS, "too many hostile vCPUs");
	pthread_mutex_lock(&h_lock);
	h->vcpus[h->nr_vcpus++] = vcpu;
	pthread_mutex_unlock(&h_lock);
}

struct test_vcpu *h_vcpu_add(struct hostile *h, struct test_vm *vm, uint32_t id,
			     void *guest_code)
{
	struct test_vcpu *vcpu = guest_code ? vm_vcpu_add(vm, id, guest_code) :
				 vm_vcpu_add_ap(vm, id);

	h_register(h, vcpu);
	return vcpu;
}

struct test_vm *h_vm_create(struct hostile *h, struct test_vcpu **vcpu, void *guest_code)
{
	struct test_vm *vm = vm_create();

	*vcpu = h_vcpu_add(h, vm, 0, guest_code);
	return vm;
}

void h_vm_free(struct hostile *h, struct test_vm *vm)
{
	unsigned int i, n;

	pthread_mutex_lock(&h_lock);
	n = h->nr_vcpus;
	h->nr_vcpus = 0;
	pthread_mutex_unlock(&h_lock);
	for (i = 0; i < n; i++)
		vcpu_free(h->vcpus[i]);
	vm_free(vm);
}

int h_run(struct test_vcpu *vcpu)
{
	int ret;

	do {
		ret = _vcpu_run(vcpu);
	} while (ret == -1 && errno == EINTR);
	return ret;
}

bool h_bad_exit(struct hostile *h, struct test_vcpu *vcpu, const char *expected)
{
	struct vtx_run *run = vcpu->run;

	return h_say(h, false, "expected %s, got exit %s (hw %llu, qual %#llx, rip %#llx, data0 %#llx)",
		     expected, exit_reason_str(run->exit_reason),
		     (unsigned long long)run->hw_exit_reason,
		     (unsigned long long)run->exit_qualification,
		     (unsigned long long)run->guest_rip,
		     (unsigned long long)run->internal.data[0]);
}

uint64_t h_ucall(struct hostile *h, struct test_vcpu *vcpu, struct ucall *uc)
{
	struct vtx_run *run = vcpu->run;
	uint64_t cmd;

	for (;;) {
		if (h_run(vcpu))
			return UCALL_NONE;
		cmd = get_ucall(vcpu, uc);
		if (cmd == UCALL_ASSERT) {
			h_say(h, false, "guest assertion %s:%llu: %s (%#llx vs %#llx)",
			      (const char *)(uintptr_t)uc->args[1],
			      (unsigned long long)uc->args[2],
			      (const char *)(uintptr_t)uc->args[0],
			      (unsigned long long)uc->args[3], (unsigned long long)uc->args[4]);
			return cmd;
		}
		if (cmd == UCALL_UNHANDLED) {
			h_say(h, false, "unexpected guest exception %llu at rip %#llx",
			      (unsigned long long)uc->args[0], (unsigned long long)uc->args[1]);
			return cmd;
		}
		if (cmd != UCALL_NONE)
			return cmd;
		if (run->exit_reason == VTX_EXIT_IO) {
			h->io_exits++;
			if (run->io.direction == VTX_IO_IN)
				memset((uint8_t *)run + run->io.data_offset, 0xff,
				       (size_t)run->io.count * run->io.size);
			continue;
		}
		if (run->exit_reason == VTX_EXIT_MMIO) {
			h->mmio_exits++;
			if (!run->mmio.is_write)
				memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
			continue;
		}
		return UCALL_NONE;
	}
}

void h_linger(struct hostile *h)
{
	uint64_t linger = now_ns() + H_LINGER_MS * 1000000ull;

	if (linger < h->deadline_ns)
		WRITE_ONCE(h->deadline_ns, linger);
}

bool h_run_until_kick(struct hostile *h, struct test_vcpu *vcpu)
{
	struct ucall uc;

	while (h_ucall(h, vcpu, &uc) != UCALL_NONE)
		;
	return vcpu->run->exit_reason == VTX_EXIT_KICK;
}

bool h_done_then_kick(struct hostile *h, struct test_vcpu *vcpu, uint64_t *detail)
{
	struct ucall uc;
	uint64_t cmd = h_ucall(h, vcpu, &uc);
	char saved[sizeof(h->msg)];

	if (cmd == UCALL_NONE)
		return h_bad_exit(h, vcpu, "the guest's report");
	if (cmd != UCALL_SYNC || uc.args[0] != H_DONE) {
		if (cmd == UCALL_SYNC)
			h_say(h, false, "guest sent SYNC %#llx", (unsigned long long)uc.args[0]);
		return false;
	}
	if (detail)
		*detail = uc.args[1];
	memcpy(saved, h->msg, sizeof(saved));
	h_linger(h);
	if (!h_run_until_kick(h, vcpu))
		return h_bad_exit(h, vcpu, "VTX_EXIT_KICK at the deadline");
	memcpy(h->msg, saved, sizeof(saved));
	return true;
}

uint64_t h_retry(struct hostile *h, struct test_vcpu *vcpu)
{
	uint64_t n = 0;

	h_linger(h);
	while (!h_expired(h)) {
		h_run(vcpu);
		n++;
	}
	return n;
}

bool h_run_guest(struct hostile *h, void *guest_code, uint64_t *detail)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = h_vm_create(h, &vcpu, guest_code);
	bool ok = h_done_then_kick(h, vcpu, detail);

	h_vm_free(h, vm);
	return ok;
}

static void *h_thread_main(void *arg)
{
	struct h_thread *t = arg;

	uint32_t reason;

	for (;;) {
		t->last_cmd = h_ucall(t->h, t->vcpu, &t->uc);
		t->runs++;
		if (t->last_cmd == UCALL_ASSERT || t->last_cmd == UCALL_UNHANDLED)
			break;
		if (t->last_cmd != UCALL_NONE)
			continue;
		reason = t->vcpu->run->exit_reason;
		if (reason == VTX_EXIT_KICK && h_expired(t->h))
			break;
		if (reason != VTX_EXIT_KICK && reason != VTX_EXIT_HLT)
			break;
	}
	return NULL;
}

void h_thread_start(struct h_thread *t, struct hostile *h, struct test_vcpu *vcpu)
{
	t->h = h;
	t->vcpu = vcpu;
	t->runs = 0;
	t->last_cmd = UCALL_NONE;
	TEST_ASSERT(!pthread_create(&t->thread, NULL, h_thread_main, t), "hostile vCPU thread");
}

void h_thread_join(struct h_thread *t)
{
	pthread_join(t->thread, NULL);
}

/* Guest: report, then keep the host CPU busy with IF=0 until kicked. */
void h_guest_done(uint64_t detail)
{
	GUEST_SYNC2(H_DONE, detail);
	cli();
	for (;;)
		asm volatile("pause" : : : "memory");
}
