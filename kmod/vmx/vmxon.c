// SPDX-License-Identifier: GPL-2.0
/*
 * VMX operation on every online CPU, held while anybody needs it.
 *
 * vmx_get()/vmx_put() count users (VMs and VTX_ENABLE_VMX fds). The first user
 * registers a CPU hotplug state, whose "online" callback runs VMXON on every
 * online CPU now and on every CPU that comes online later; the last user
 * removes the state, whose "offline" callback runs VMXOFF everywhere. If any
 * CPU fails, cpuhp rolls back the CPUs already done, so VMX is either on
 * everywhere or nowhere.
 *
 * Before VMXOFF on a CPU, every VMCS still active there is VMCLEARed (the
 * per-CPU lists that vmx_vmcs_track() keeps): when the CPU goes offline, at
 * reboot/halt/power-off/kexec (reboot notifier) and on the crash/emergency
 * reboot paths (the kernel's emergency virtualization callback). VMX must be
 * off then because a CPU in VMX root operation ignores INIT (SDM 23.8), which the
 * next kernel or the firmware uses to start the other CPUs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/percpu.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/reboot.h>
#include <linux/irqflags.h>
#include <asm/io.h>
#include <linux/mutex.h>
#include <asm/msr.h>
#include <asm/reboot.h>
#include <asm/tlbflush.h>
#include <asm/special_insns.h>
#include <asm/asm.h>
#include "vtx.h"
#include "vmx/caps.h"
#include "vmx/vmcs.h"

static DEFINE_MUTEX(vmx_lock);		/* users, vmx_cpuhp_state, page lifetime */
static u32 vmx_nr_users;
static int vmx_cpuhp_state;		/* dynamic cpuhp state while users > 0 */
static struct cpumask vmx_on_mask;	/* CPUs that executed VMXON */
static atomic_t vmx_busy_logged;	/* one "in use by another hypervisor" per vmx_get() */
static DEFINE_PER_CPU(struct page *, vmx_region);	/* VMXON region, SDM 24.11.5 */
/* struct vmx_vmcs_track.node of the VMCSs active on the CPU; changed with IRQs off there. */
static DEFINE_PER_CPU(struct list_head, vmx_loaded_vmcss);
/* Reboot notifier or emergency callback ran: no VMXON, no VM entry any more. */
bool vmx_rebooting;
static bool vmx_emergency_cb;		/* our emergency callback is registered */

/* SDM 30.3 VMXON: CF=1 VMfailInvalid, ZF=1 VMfailValid; a fault means a #GP/#UD. */
static int vmx_vmxon(u64 pa)
{
	asm goto("1: vmxon %[pa]\n\t"
		 "jbe %l[fail]\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : [pa] "m" (pa) : "cc", "memory" : fail, fault);
	return 0;
fail:
	return -EBUSY;
fault:
	return -EIO;
}

static void vmx_vmxoff(void)
{
	asm goto("1: vmxoff\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : : "cc", "memory" : fault);
	return;
fault:
	/* Only if VMX was not on: nothing to undo but CR4.VMXE. */
	pr_warn_once("VMXOFF faulted on CPU %d\n", smp_processor_id());
}

void vmx_vmcs_track_init(struct vmx_vmcs_track *t, void *vmcs, int *cpu, bool *launched)
{
	INIT_LIST_HEAD(&t->node);
	t->tracked_cpu = -1;
	t->vmcs = vmcs;
	t->cpu = cpu;
	t->launched = launched;
}

void vmx_vmcs_track(struct vmx_vmcs_track *t)
{
	int cpu = smp_processor_id();
	unsigned long flags;

	local_irq_save(flags);
	/* Active on another CPU without a VMCLEAR there first breaks SDM 24.11.1. */
	if (!WARN_ON_ONCE(t->tracked_cpu >= 0 && t->tracked_cpu != cpu) &&
	    t->tracked_cpu < 0) {
		list_add(&t->node, this_cpu_ptr(&vmx_loaded_vmcss));
		t->tracked_cpu = cpu;
	}
	local_irq_restore(flags);
}

/* IRQs off, on the VMCS's CPU. */
static void __vmx_vmcs_clear(struct vmx_vmcs_track *t)
{
	/* SDM 30.3; a fault (VMX already off: emergency) leaves nothing to flush. */
	vmcs_clear(__pa(t->vmcs));
	list_del_init(&t->node);
	t->tracked_cpu = -1;
	WRITE_ONCE(*t->launched, false);
	WRITE_ONCE(*t->cpu, -1);
}

void vmx_vmcs_clear(struct vmx_vmcs_track *t)
{
	unsigned long flags;

	local_irq_save(flags);
	if (t->tracked_cpu == smp_processor_id())
		__vmx_vmcs_clear(t);
	local_irq_restore(flags);
}

/*
 * Leave VMX operation on this CPU, IRQs off: VMCLEAR what is active here,
 * then VMXOFF. @any: also if some other hypervisor set CR4.VMXE (emergency).
 */
static void vmx_off_local(bool any)
{
	int cpu = smp_processor_id();
	struct list_head *head = per_cpu_ptr(&vmx_loaded_vmcss, cpu);
	struct vmx_vmcs_track *t, *tmp;
	bool ours = cpumask_test_cpu(cpu, &vmx_on_mask);

	list_for_each_entry_safe(t, tmp, head, node)
		__vmx_vmcs_clear(t);
	if (ours || (any && (__read_cr4() & X86_CR4_VMXE))) {
		vmx_vmxoff();
		cr4_clear_bits(X86_CR4_VMXE);
	}
	cpumask_clear_cpu(cpu, &vmx_on_mask);
}

/*
 * SDM 23.8 "Restrictions on VMX operation": CR0 and CR4 must match the
 * IA32_VMX_CR*_FIXED* MSRs (A.7, A.8) in VMX operation, checked after
 * CR4.VMXE is set since VMXE is one of the fixed-1 CR4 bits.
 */
static bool vmx_host_crs_ok(void)
{
	const u64 *msr = vtx_host_caps.vmx_msr;

	return vmx_cr_fixed_ok(read_cr0(), msr[VMX_MSR_CR0_FIXED0], msr[VMX_MSR_CR0_FIXED1]) &&
	       vmx_cr_fixed_ok(__read_cr4(), msr[VMX_MSR_CR4_FIXED0], msr[VMX_MSR_CR4_FIXED1]);
}

/* cpuhp "online" callback: runs on @cpu, in its hotplug thread (may sleep). */
static int vmx_cpu_online(unsigned int cpu)
{
	struct page *page = per_cpu(vmx_region, cpu);
	u64 fc;
	int err;

	if (!page) {
		page = alloc_pages_node(cpu_to_node(cpu), GFP_KERNEL | __GFP_ZERO, 0);
		if (!page)
			return -ENOMEM;
		/* SDM 24.11.5: the region starts with the VMCS revision identifier. */
		*(u32 *)page_address(page) = vtx_host_caps.vmcs_revision;
		per_cpu(vmx_region, cpu) = page;
	}

	/* Shutting down: VMX stays off; a VM on this CPU fails VMPTRLD. */
	if (READ_ONCE(vmx_rebooting))
		return 0;

	/* A CPU hotplugged after load has not been through vmx_probe(). */
	err = vmx_feature_control_enable(&fc);
	if (err) {
		pr_err("CPU %u: VMX disabled by firmware (IA32_FEATURE_CONTROL=%#llx)\n", cpu, fc);
		return -ENODEV;
	}

	/* CR4.VMXE already set: some other hypervisor did VMXON on this CPU. */
	if (__read_cr4() & X86_CR4_VMXE) {
		if (!atomic_xchg(&vmx_busy_logged, 1))
			pr_err("VMX is in use by another hypervisor (kvm_intel with a running VM? VirtualBox? VMware?) on CPU %u: stop its VMs or rmmod kvm_intel, or boot 6.12+ kernels with kvm.enable_virt_at_load=0\n",
			       cpu);
		return -EBUSY;
	}

	cr4_set_bits(X86_CR4_VMXE);
	if (!vmx_host_crs_ok()) {
		cr4_clear_bits(X86_CR4_VMXE);
		pr_err("CPU %u: CR0=%#lx CR4=%#lx violate the VMX fixed bits (SDM 23.8)\n",
		       cpu, read_cr0(), __read_cr4());
		return -EIO;
	}
	err = vmx_vmxon(page_to_phys(page));
	if (err) {
		cr4_clear_bits(X86_CR4_VMXE);
		pr_err("CPU %u: VMXON failed (%s)\n", cpu,
		       err == -EBUSY ? "VMfail: already in VMX operation?" : "fault");
		return -EBUSY;
	}
	/*
	 * SDM 28.3.3 (invalidating cached translation information): mappings
	 * cached under an EPTP or VPID may survive VMXOFF and VMXON; drop
	 * whatever an earlier user (or an earlier vtx) left behind.
	 */
	ept_flush_all_local();
	vpid_flush_all_local();
	cpumask_set_cpu(cpu, &vmx_on_mask);
	return 0;
}

/* cpuhp "offline" callback: also the rollback of a failed online and the last vmx_put(). */
static int vmx_cpu_offline(unsigned int cpu)
{
	if (!cpumask_test_cpu(cpu, &vmx_on_mask))
		return 0;
	/*
	 * A vCPU whose VMCS is active here gets it VMCLEARed; its owner sees
	 * cpu == -1 and reloads it with VMPTRLD + VMLAUNCH wherever it runs next.
	 */
	local_irq_disable();
	vmx_off_local(false);
	local_irq_enable();
	return 0;
}

static void vmx_free_regions(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct page *page = per_cpu(vmx_region, cpu);

		if (page) {
			__free_page(page);
			per_cpu(vmx_region, cpu) = NULL;
		}
	}
}

/*
 * The kernel's crash/emergency-reboot hook (NMI or IRQs off, on every CPU).
 * A vCPU thread may be in guest mode or between two VMX instructions on
 * another CPU. That is safe: those CPUs run this from the crash/shootdown
 * NMI (the NMI exits the guest first, SDM 25.2) and then stop for good,
 * never returning to the vCPU code; and if one did, every VMX instruction
 * wrapper has an exception fixup (vmcs.h), which vmx_rebooting keeps
 * silent, and the run loop refuses the next entry. A plain store is NMI-safe.
 */
static void vmx_emergency_disable(void)
{
	WRITE_ONCE(vmx_rebooting, true);
	vmx_off_local(true);
}

/*
 * 6.1 has one emergency callback slot (registering a second one WARNs) and
 * kvm_intel takes it from its load to its unload. Its callback VMXOFFs
 * whatever turned VMX on, vtx's VMX too, so vtx only needs the slot when
 * KVM is not loaded. Known gap: loading kvm_intel while vtx holds the slot
 * makes kvm_intel WARN once and run without its callback until vtx lets go.
 */
static void vmx_emergency_register(void)
{
	if (__symbol_get("kvm_rebooting")) {
		__symbol_put("kvm_rebooting");
		return;
	}
	cpu_emergency_register_virt_callback(vmx_emergency_disable);
	vmx_emergency_cb = true;
}

static void vmx_emergency_unregister(void)
{
	if (vmx_emergency_cb)
		cpu_emergency_unregister_virt_callback(vmx_emergency_disable);
	vmx_emergency_cb = false;
}

int vmx_get(void)
{
	int ret;

	mutex_lock(&vmx_lock);
	if (vmx_rebooting) {
		mutex_unlock(&vmx_lock);
		return -ESHUTDOWN;
	}
	if (vmx_nr_users) {
		vmx_nr_users++;
		mutex_unlock(&vmx_lock);
		return 0;
	}
	atomic_set(&vmx_busy_logged, 0);
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "vtx/vmx:online",
				vmx_cpu_online, vmx_cpu_offline);
	if (ret < 0) {
		/* cpuhp already ran vmx_cpu_offline() on the CPUs that succeeded. */
		vmx_free_regions();
		mutex_unlock(&vmx_lock);
		return ret;	/* -EBUSY: other hypervisor; -ENOMEM; -ENODEV; -EIO */
	}
	vmx_cpuhp_state = ret;
	vmx_nr_users = 1;
	vmx_emergency_register();
	mutex_unlock(&vmx_lock);
	return 0;
}

void vmx_put(void)
{
	mutex_lock(&vmx_lock);
	if (WARN_ON_ONCE(!vmx_nr_users)) {
		mutex_unlock(&vmx_lock);
		return;
	}
	if (--vmx_nr_users == 0) {
		vmx_emergency_unregister();
		cpuhp_remove_state(vmx_cpuhp_state);
		vmx_cpuhp_state = 0;
		vmx_free_regions();
	}
	mutex_unlock(&vmx_lock);
}

u32 vmx_on_cpus(void)
{
	return cpumask_weight(&vmx_on_mask);
}

u32 vmx_users(void)
{
	return READ_ONCE(vmx_nr_users);
}

/*
 * Not on_each_cpu(): an online CPU may not be in VMX operation yet (being
 * hotplugged, before vmx_cpu_online(); it flushes everything after its
 * VMXON) or any more (going offline, after vmx_cpu_offline()), and there
 * INVEPT/INVVPID raise #UD.
 */
void vmx_on_each_vmx_cpu(void (*func)(void *info), void *info)
{
	on_each_cpu_mask(&vmx_on_mask, func, info, true);
}

/*
 * For an IPI handler on this CPU: the bit is set only after VMXON and is
 * cleared with VMXOFF in one IRQs-off section (vmx_off_local()).
 */
bool vmx_this_cpu_on(void)
{
	return cpumask_test_cpu(smp_processor_id(), &vmx_on_mask);
}

/*
 * A VMX instruction faulted (exception fixup in vmcs.h). After the reboot
 * notifier or the emergency callback that is expected: VMX went off under
 * a vCPU thread between two VMX instructions. The caller gets a failure
 * (VMREAD reads 0) and the run loop then refuses to enter (-ESHUTDOWN).
 */
void vmx_insn_fault(const char *insn)
{
	if (READ_ONCE(vmx_rebooting))
		return;
	WARN_ONCE(1, "%s faulted on CPU %d with VMX supposed to be on\n", insn,
		  raw_smp_processor_id());
}

struct vmx_reboot_count {
	atomic_t cpus;		/* CPUs that were in VMX operation */
	atomic_t vmcss;		/* VMCSs active on them (loaded vCPUs) */
};

static void vmx_reboot_ipi(void *arg)
{
	struct vmx_reboot_count *n = arg;
	struct vmx_vmcs_track *t;

	if (!vmx_this_cpu_on())
		return;
	list_for_each_entry(t, this_cpu_ptr(&vmx_loaded_vmcss), node)
		atomic_inc(&n->vmcss);
	atomic_inc(&n->cpus);
	vmx_off_local(false);
}

/*
 * Reboot, halt, power-off and kexec (kernel_restart_prepare() and friends)
 * call this in process context before the CPUs stop. Userspace may still
 * run (reboot(2) with -f kills nobody), so vCPU threads may be in guest
 * mode. vmx_rebooting goes first: from then on the run loop refuses to
 * enter (it checks with interrupts off, so it cannot miss this CPU's IPI,
 * run.c). The IPI then kicks every guest out (external-interrupt exit)
 * and turns VMX off with IRQs off on each CPU. A vCPU thread interrupted
 * between two VMX instructions faults on the next one; the exception
 * fixups make that a silent failure (vmx_insn_fault()), and its VTX_RUN
 * returns -ESHUTDOWN. No VMXON happens afterwards (vmx_get(): -ESHUTDOWN).
 */
static int vmx_reboot(struct notifier_block *nb, unsigned long code, void *unused)
{
	struct vmx_reboot_count n = { ATOMIC_INIT(0), ATOMIC_INIT(0) };

	mutex_lock(&vmx_lock);
	WRITE_ONCE(vmx_rebooting, true);
	if (vmx_nr_users) {
		on_each_cpu(vmx_reboot_ipi, &n, 1);
		pr_info("reboot: %s with %u user(s): kicked vCPUs out of guest mode, cleared %d active VMCS(s), VMX off on %d CPU(s)\n",
			code == SYS_RESTART ? "restart" : code == SYS_HALT ? "halt" : "power-off",
			vmx_nr_users, atomic_read(&n.vmcss), atomic_read(&n.cpus));
	}
	mutex_unlock(&vmx_lock);
	return NOTIFY_DONE;
}

static struct notifier_block vmx_reboot_nb = {
	.notifier_call = vmx_reboot,
};

int vmx_shutdown_init(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		INIT_LIST_HEAD(per_cpu_ptr(&vmx_loaded_vmcss, cpu));
	return register_reboot_notifier(&vmx_reboot_nb);
}

/*
 * Not under vmx_lock: the notifier chain's lock is held around vmx_reboot(),
 * which takes vmx_lock.
 */
void vmx_shutdown_exit(void)
{
	unregister_reboot_notifier(&vmx_reboot_nb);
}
