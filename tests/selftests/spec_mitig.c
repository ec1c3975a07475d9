// SPDX-License-Identifier: GPL-2.0
/*
 * spec_mitig: vtx applies the speculative-execution mitigations the host
 * CPU needs (kmod/vmx/spec*.c, README "CPU bugs"). What the CPU needs is
 * read here the way a user would: /sys/devices/system/cpu/vulnerabilities
 * (anything but "Not affected" is a need) and the /proc/cpuinfo flags that
 * say whether the fix exists (md_clear, flush_l1d, ibpb). vtx's answer is
 * /sys/module/vtx/parameters/mitigations, and its kernel log line. A host
 * booted with mitigations=off (the test machine) needs none by default.
 *
 * Then two one-vCPU VMs take turns on CPU 0 (each turn a few exits) and
 * /sys/module/vtx/parameters/mitigation_counts must move as the set says:
 * VERW and the L1D flush at least once per entry, IBPB at every switch to
 * the other VM. Loaded with verw=0 l1d_flush=0 ibpb=0 none of them may
 * run; with =1 they run even where not needed (IBPB only where the CPU
 * has it: Bochs has none, so there it must not be attempted). A value
 * other than -1, 0, 1 must refuse to load.
 */
#include <sched.h>
#include <stdio.h>
#include <unistd.h>
#include "vm.h"
#include "vtx_util.h"

#define VULN		"/sys/devices/system/cpu/vulnerabilities/"
#define PARAMS		"/sys/module/vtx/parameters/"
#define ROUNDS		8	/* turns per VM */
#define SYNCS		3	/* exits to userspace per turn */

struct counts {
	unsigned long long verw, l1d, ibpb, vm_switch;
};

static char *read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	char *nl;

	buf[0] = '\0';
	if (!f)
		return NULL;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return buf;
}

/* A missing file is a bug this kernel does not know: not affected. */
static bool bug_present(const char *bug)
{
	char path[128], buf[256];

	snprintf(path, sizeof(path), VULN "%s", bug);
	if (!read_line(path, buf, sizeof(buf)))
		return false;
	return strncmp(buf, "Not affected", 12) != 0;
}

static bool cpu_flag(const char *flag)
{
	static char line[8192];
	FILE *f = fopen("/proc/cpuinfo", "r");
	bool found = false;
	char *tok, *save;

	TEST_ASSERT(f, "open /proc/cpuinfo");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5))
			break;
	fclose(f);
	for (tok = strtok_r(line, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save))
		found = found || !strcmp(tok, flag);
	return found;
}

static void print_vulnerabilities(void)
{
	static const char *const bugs[] = {
		"l1tf", "mds", "tsx_async_abort", "mmio_stale_data", "reg_file_data_sampling",
		"spectre_v1", "spectre_v2", "retbleed", "srbds", "vmscape",
	};
	char path[128], buf[256];
	unsigned int i;

	for (i = 0; i < sizeof(bugs) / sizeof(bugs[0]); i++) {
		snprintf(path, sizeof(path), VULN "%s", bugs[i]);
		ksft_print_msg("%s: %s\n", bugs[i],
			       read_line(path, buf, sizeof(buf)) ? buf : "(no such file)");
	}
	ksft_print_msg("cpu flags: md_clear %d flush_l1d %d ibpb %d\n", cpu_flag("md_clear"),
		       cpu_flag("flush_l1d"), cpu_flag("ibpb"));
}

static void add(char *buf, size_t len, const char *name)
{
	size_t n = strlen(buf);

	snprintf(buf + n, len - n, "%s%s", n ? " " : "", name);
}

/* The host booted with mitigations=off (the test machine does). */
static bool host_mitigations_off(void)
{
	char buf[4096];

	read_line("/proc/cmdline", buf, sizeof(buf));
	return strstr(buf, "mitigations=off") != NULL;
}

/*
 * What the module should report, with each parameter at @force (-1, 0, 1).
 * Under mitigations=off nothing is needed (as for KVM); forcing still works.
 */
static void expected(int force, char *buf, size_t len)
{
	bool trust = host_mitigations_off();
	bool verw = !trust && (bug_present("mds") || bug_present("tsx_async_abort") ||
			       bug_present("mmio_stale_data") ||
			       bug_present("reg_file_data_sampling"));
	bool l1tf = !trust && bug_present("l1tf"), v2 = !trust && bug_present("spectre_v2");

	buf[0] = '\0';
	if (force == 1 || (force == -1 && verw))
		add(buf, len, cpu_flag("md_clear") ? "verw" : "verw(no-md-clear-microcode)");
	else if (verw)
		add(buf, len, "verw(off)");
	if (force == 1 || (force == -1 && l1tf))
		add(buf, len, cpu_flag("flush_l1d") ? "l1d-flush" : "l1d-flush(software)");
	else if (l1tf)
		add(buf, len, "l1d-flush(off)");
	if (force == 1 || (force == -1 && v2))
		add(buf, len, cpu_flag("ibpb") ? "ibpb" : "ibpb(unavailable)");
	else if (v2)
		add(buf, len, "ibpb(off)");
	if (trust)
		add(buf, len, "host-mitigations-off");
	if (!buf[0])
		add(buf, len, "none needed");
}

static void read_counts(struct counts *c)
{
	char buf[256];

	TEST_ASSERT(read_line(PARAMS "mitigation_counts", buf, sizeof(buf)),
		    "read " PARAMS "mitigation_counts: %s", strerror(errno));
	TEST_ASSERT(sscanf(buf, "verw %llu l1d_flush %llu ibpb %llu vm_switch %llu",
			   &c->verw, &c->l1d, &c->ibpb, &c->vm_switch) == 4,
		    "mitigation_counts: '%s'", buf);
}

static void guest_code(void)
{
	unsigned int i;

	for (i = 0; ; i++)
		GUEST_SYNC(i);
}

#define CPUIDS		2000

/* Guest cycles per CPUID exit round trip (answered in the interrupts-off fastpath). */
static void cpuid_guest(void)
{
	uint64_t t0 = rdtsc();
	unsigned int i;

	for (i = 0; i < CPUIDS; i++)
		cpuid(0, 0);
	GUEST_SYNC((rdtsc() - t0) / CPUIDS);
	GUEST_DONE();
}

static unsigned long long cycles_per_exit(void)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_create_with_one_vcpu(&vcpu, cpuid_guest);
	struct ucall uc;
	unsigned long long c = 0;

	if (vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC)
		c = uc.args[0];
	vcpu_free(vcpu);
	vm_free(vm);
	return c;
}

/*
 * Two VMs' vCPUs take ROUNDS turns each on CPU 0, SYNCS exits per turn.
 * Returns the counters' growth.
 */
static struct counts run_two_vms(void)
{
	struct test_vcpu *vcpus[2];
	struct test_vm *vms[2];
	struct counts c0, c1, d;
	struct ucall uc;
	unsigned int i, r, s;

	for (i = 0; i < 2; i++) {
		vms[i] = vm_create();
		vcpus[i] = vm_vcpu_add(vms[i], 0, guest_code);
	}
	read_counts(&c0);
	for (r = 0; r < ROUNDS; r++)
		for (i = 0; i < 2; i++)
			for (s = 0; s < SYNCS; s++)
				TEST_ASSERT(vcpu_run_ucall(vcpus[i], &uc) == UCALL_SYNC,
					    "VM %u turn %u: no GUEST_SYNC", i, r);
	read_counts(&c1);
	for (i = 0; i < 2; i++) {
		vcpu_free(vcpus[i]);
		vm_free(vms[i]);
	}
	d.verw = c1.verw - c0.verw;
	d.l1d = c1.l1d - c0.l1d;
	d.ibpb = c1.ibpb - c0.ibpb;
	d.vm_switch = c1.vm_switch - c0.vm_switch;
	ksft_print_msg("%u entries at least: verw +%llu l1d_flush +%llu ibpb +%llu vm_switch +%llu\n",
		       2 * ROUNDS * SYNCS, d.verw, d.l1d, d.ibpb, d.vm_switch);
	return d;
}

static void reload(const char *params)
{
	int ret;

	if (module_loaded("vtx")) {
		ret = module_unload("vtx");
		if (ret)
			ksft_exit_fail_msg("rmmod vtx: %s", strerror(-ret));
	}
	ret = module_load(VTX_MODULE_PATH, params);
	if (ret)
		ksft_exit_fail_msg("insmod vtx %s: %s", params ? params : "", strerror(-ret));
}

/* One configuration: the reported set, then the counters of a run. */
static void check(int force, const char *params)
{
	const unsigned long long entries = 2 * ROUNDS * SYNCS, switches = 2 * ROUNDS - 1;
	char want[256], got[256];
	struct counts d;
	bool on;

	reload(params);
	expected(force, want, sizeof(want));
	read_line(PARAMS "mitigations", got, sizeof(got));
	ksft_test_result(!strcmp(got, want), "%s: reports '%s' (want '%s')",
			 params ? params : "defaults", got, want);

	d = run_two_vms();
	ksft_print_msg("%s: %llu guest TSC cycles per CPUID exit\n", params ? params : "defaults",
		       cycles_per_exit());
	on = strstr(want, "verw") && !strstr(want, "verw(off)");
	ksft_test_result(on ? d.verw >= entries : d.verw == 0,
			 "%s: VERW %s (+%llu over >= %llu entries)", params ? params : "defaults",
			 on ? "before every entry" : "never", d.verw, entries);
	on = strstr(want, "l1d-flush") && !strstr(want, "l1d-flush(off)");
	ksft_test_result(on ? d.l1d >= entries : d.l1d == 0,
			 "%s: L1D flush %s (+%llu)", params ? params : "defaults",
			 on ? "before every entry" : "never", d.l1d);
	on = strstr(want, "ibpb") && !strstr(want, "ibpb(off)") && !strstr(want, "ibpb(unavailable)");
	ksft_test_result(d.vm_switch >= switches && (on ? d.ibpb == d.vm_switch : d.ibpb == 0),
			 "%s: %llu VM switches (>= %llu), IBPB %s (+%llu)",
			 params ? params : "defaults", d.vm_switch, switches,
			 on ? "at each" : "never", d.ibpb);
}

int main(void)
{
	static const char *const bad_line[] = { "l1d_flush", "must be", NULL };
	static char needle[300];
	static const char *const needles[] = { needle, NULL };
	char want[256];
	cpu_set_t set;
	int ret;

	ksft_print_header();
	if (geteuid() != 0)
		ksft_exit_skip("must run as root");
	if (access(VTX_MODULE_PATH, R_OK))
		ksft_exit_skip("%s: %s", VTX_MODULE_PATH, strerror(errno));
	ksft_set_plan(14);
	print_vulnerabilities();
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	TEST_ASSERT(!sched_setaffinity(0, sizeof(set), &set), "pin to CPU 0");

	check(-1, NULL);
	expected(-1, want, sizeof(want));
	snprintf(needle, sizeof(needle), "mitigations: %s", want);
	ret = klog_count("vtx: ", needles);
	ksft_test_result(ret > 0, "the kernel log says 'vtx: %s' (%d lines)", needle, ret);
	check(0, "verw=0 l1d_flush=0 ibpb=0");
	check(1, "verw=1 l1d_flush=1 ibpb=1");

	if (module_loaded("vtx"))
		module_unload("vtx");
	ret = module_load(VTX_MODULE_PATH, "l1d_flush=2");
	ksft_test_result(ret == -EINVAL && klog_count("vtx: ", bad_line) > 0,
			 "l1d_flush=2 refuses to load with EINVAL and says why (%s)",
			 ret ? strerror(-ret) : "loaded");
	if (!ret)
		module_unload("vtx");
	/* Leave vtx loaded as the runner had it. */
	reload(NULL);
	ksft_finished();
}
