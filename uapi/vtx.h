/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vtx user ABI: the one header shared by vtx.ko and its tools.
 *
 * Grouped by the file descriptor an ioctl applies to: /dev/vtx (system),
 * a VM fd (from VTX_CREATE_VM), a vCPU fd (from VTX_CREATE_VCPU), each
 * with the structures its ioctls take.
 *
 * Rules: fixed-size types only, explicit padding, every struct size pinned
 * by a static assert, so that a 32-bit or 64-bit tool and the module agree.
 * The module and its tools are built from one tree: VTX_API_VERSION must
 * match exactly (there are no compatibility paths), so bump it on any
 * incompatible change.
 */
#ifndef _UAPI_VTX_H
#define _UAPI_VTX_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define VTX_API_VERSION		2
#define VTX_DEVICE_PATH		"/dev/vtx"
#define VTX_IOC_MAGIC		0xB5

/* ======== /dev/vtx (system) ======== */

/* Raw VMX capability MSRs IA32_VMX_BASIC (0x480) .. IA32_VMX_VMFUNC (0x491). */
#define VTX_MSR_VMX_FIRST	0x480
#define VTX_NR_VMX_MSRS		18

/* Decoded feature bits in vtx_caps.features. */
#define VTX_FEAT_TRUE_CTLS	(1ULL << 0)  /* IA32_VMX_TRUE_*_CTLS exist */
#define VTX_FEAT_EPT		(1ULL << 1)  /* secondary control "enable EPT" */
#define VTX_FEAT_EPT_4LEVEL	(1ULL << 2)  /* page-walk length 4 */
#define VTX_FEAT_EPT_WB		(1ULL << 3)  /* EPT paging structures may be WB */
#define VTX_FEAT_EPT_2M		(1ULL << 4)  /* 2 MiB EPT pages */
#define VTX_FEAT_EPT_1G		(1ULL << 5)  /* 1 GiB EPT pages */
#define VTX_FEAT_EPT_AD		(1ULL << 6)  /* accessed/dirty flags */
#define VTX_FEAT_INVEPT		(1ULL << 7)
#define VTX_FEAT_INVEPT_SINGLE	(1ULL << 8)
#define VTX_FEAT_INVEPT_ALL	(1ULL << 9)
#define VTX_FEAT_VPID		(1ULL << 10) /* secondary control "enable VPID" */
#define VTX_FEAT_INVVPID	(1ULL << 11)
#define VTX_FEAT_INVVPID_SINGLE	(1ULL << 12)
#define VTX_FEAT_INVVPID_ALL	(1ULL << 13)
#define VTX_FEAT_UNRESTRICTED	(1ULL << 14) /* unrestricted guest */
#define VTX_FEAT_PREEMPT_TIMER	(1ULL << 15)
#define VTX_FEAT_MSR_BITMAP	(1ULL << 16)
#define VTX_FEAT_IO_BITMAP	(1ULL << 17)
#define VTX_FEAT_SECONDARY	(1ULL << 18) /* secondary proc-based controls */
#define VTX_FEAT_TPR_SHADOW	(1ULL << 19)
#define VTX_FEAT_VIRT_APIC	(1ULL << 20) /* virtualize APIC accesses */
#define VTX_FEAT_X2APIC_VIRT	(1ULL << 21)
#define VTX_FEAT_APIC_REG_VIRT	(1ULL << 22)
#define VTX_FEAT_VIRT_INTR	(1ULL << 23) /* virtual-interrupt delivery */
#define VTX_FEAT_POSTED_INTR	(1ULL << 24)
#define VTX_FEAT_XSAVES		(1ULL << 25)
#define VTX_FEAT_RDTSCP		(1ULL << 26)
#define VTX_FEAT_INVPCID	(1ULL << 27)
#define VTX_FEAT_LOAD_EFER	(1ULL << 28) /* entry/exit load IA32_EFER */
#define VTX_FEAT_LOAD_PAT	(1ULL << 29) /* entry/exit load IA32_PAT */
#define VTX_FEAT_WB_VMCS	(1ULL << 30) /* VMCS may be write-back */
#define VTX_FEAT_VMFUNC		(1ULL << 31)
#define VTX_FEAT_NR		32

/*
 * What vtx cannot run without; the module refuses to load when one is
 * missing and names it in the kernel log.
 */
#define VTX_FEAT_REQUIRED	(VTX_FEAT_TRUE_CTLS | VTX_FEAT_EPT | \
				 VTX_FEAT_EPT_4LEVEL | VTX_FEAT_EPT_WB | \
				 VTX_FEAT_INVEPT | VTX_FEAT_INVEPT_SINGLE | \
				 VTX_FEAT_VPID | VTX_FEAT_INVVPID | \
				 VTX_FEAT_INVVPID_SINGLE | VTX_FEAT_UNRESTRICTED | \
				 VTX_FEAT_SECONDARY | VTX_FEAT_MSR_BITMAP | \
				 VTX_FEAT_IO_BITMAP | VTX_FEAT_LOAD_EFER | \
				 VTX_FEAT_LOAD_PAT)

#define VTX_CAPS_VMX_ON		(1U << 0)  /* VMX is on (vtx holds it) */

struct vtx_caps {
	__u32 api_version;
	__u32 flags;		/* VTX_CAPS_* */
	__u32 online_cpus;	/* CPUs online now */
	__u32 vmx_on_cpus;	/* CPUs on which vtx executed VMXON */
	__u32 users;		/* holders of VMX: VMs and VTX_ENABLE_VMX fds */
	__u32 vmcs_revision;	/* IA32_VMX_BASIC[30:0] */
	__u64 features;		/* VTX_FEAT_* */
	__u64 feature_control;	/* IA32_FEATURE_CONTROL (0x3a) */
	__u64 vmx_msr[VTX_NR_VMX_MSRS]; /* [i] = rdmsr(0x480 + i), 0 if absent */
	__u64 reserved[8];
};

#define VTX_GET_API_VERSION	_IO(VTX_IOC_MAGIC, 0x00)	/* returns VTX_API_VERSION */
#define VTX_GET_CAPS		_IOR(VTX_IOC_MAGIC, 0x01, struct vtx_caps)
/* hold VMX on in every CPU until this fd is closed (or VTX_DISABLE_VMX) */
#define VTX_ENABLE_VMX		_IO(VTX_IOC_MAGIC, 0x02)
#define VTX_DISABLE_VMX		_IO(VTX_IOC_MAGIC, 0x03)
#define VTX_CREATE_VM		_IO(VTX_IOC_MAGIC, 0x04)	/* returns a VM fd */

/* ======== VM fd ======== */

/*
 * Where every VM's in-kernel interrupt controllers decode guest-physical
 * accesses, the PC defaults: each vCPU's xAPIC page and the IOAPIC's
 * register window. A VMM keeps RAM away from them and describes them in
 * its firmware tables (ACPI MADT).
 */
#define VTX_LAPIC_GPA		0xfee00000ULL
#define VTX_LAPIC_SIZE		0x1000
#define VTX_IOAPIC_GPA		0xfec00000ULL
#define VTX_IOAPIC_SIZE		0x1000

#define VTX_MAX_MEM_SLOTS	32
#define VTX_MEM_READONLY	(1U << 0)

/* memory_size == 0 deletes the slot; the same slot number replaces it. */
struct vtx_memory_region {
	__u32 slot;
	__u32 flags;		/* VTX_MEM_* */
	__u64 guest_phys_addr;	/* 4 KiB aligned */
	__u64 memory_size;	/* 4 KiB multiple */
	__u64 userspace_addr;	/* 4 KiB aligned */
};

/*
 * VTX_IRQ_LINE drives a line of the in-kernel interrupt controllers (8259
 * pair and IOAPIC; ISA IRQs 0-15 are GSIs 0-15, IRQ 0 is GSI 2 on the
 * IOAPIC as the MADT override says).
 */
struct vtx_irq_level {
	__u32 irq;		/* GSI */
	__u32 level;		/* 0 or 1 */
};

/*
 * EPT counters of a VM since its creation (VTX_GET_EPT_STATS, VM fd), for
 * tests and diagnostics. Each counter is exact; read while vCPUs run they
 * need not be mutually consistent.
 */
struct vtx_ept_stats {
	__u64 violations;	/* EPT violations handled */
	__u64 mmio;		/* ... of those, answered as MMIO (no slot, write to ROM) */
	__u64 maps_4k;		/* 4 KiB leaves installed */
	__u64 maps_2m;		/* 2 MiB leaves installed */
	__u64 pages_pinned;	/* 4 KiB host pages pinned now (a 2 MiB leaf: 512) */
	__u64 unmaps;		/* range unmaps (a slot deleted or replaced) */
	__u64 reserved[10];	/* zero */
};

#define VTX_SET_MEMORY_REGION	_IOW(VTX_IOC_MAGIC, 0x10, struct vtx_memory_region)
#define VTX_CREATE_VCPU		_IO(VTX_IOC_MAGIC, 0x11)	/* arg: vCPU id; returns a vCPU fd */
#define VTX_IRQ_LINE		_IOW(VTX_IOC_MAGIC, 0x12, struct vtx_irq_level)
#define VTX_GET_EPT_STATS	_IOR(VTX_IOC_MAGIC, 0x13, struct vtx_ept_stats)

/* ======== vCPU fd ======== */

/* ---- registers (VTX_GET/SET_REGS, VTX_GET/SET_SREGS) ---- */

struct vtx_regs {
	__u64 rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp;
	__u64 r8, r9, r10, r11, r12, r13, r14, r15;
	__u64 rip, rflags;
};

struct vtx_segment {
	__u64 base;
	__u32 limit;		/* byte granular, as the CPU sees it */
	__u16 selector;
	__u8 type;		/* 4-bit segment type */
	__u8 present, dpl, db, s, l, g, avl;
	__u8 unusable;
	__u8 padding;
};

struct vtx_dtable {
	__u64 base;
	__u16 limit;
	__u16 padding[3];
};

struct vtx_sregs {
	struct vtx_segment cs, ds, es, fs, gs, ss;
	struct vtx_segment tr, ldt;
	struct vtx_dtable gdt, idt;
	__u64 cr0, cr2, cr3, cr4, cr8;
	__u64 efer;
	__u64 apic_base;
};

/* ---- events and multiprocessor state ---- */

/*
 * Events and interrupts. VTX_INTERRUPT queues an external interrupt that is
 * injected when the guest can take it (RFLAGS.IF=1 and no STI/MOV SS
 * blocking: interrupt-window exiting); -EBUSY while one is still queued.
 * VTX_NMI likewise (NMI-window exiting). VTX_INJECT_EXCEPTION delivers an
 * exception on the next entry. VTX_KICK may be called from any thread, also
 * while VTX_RUN runs: that VTX_RUN returns promptly with VTX_EXIT_KICK (if
 * none is running, the next one does). VTX_INTERRUPT and VTX_NMI may also be
 * called from another thread during VTX_RUN (they wake a guest in HLT).
 */
struct vtx_interrupt {
	__u32 vector;		/* 16-255 */
	__u32 padding;
};

struct vtx_exception {
	__u8 vector;		/* 0-31 */
	__u8 has_error_code;
	__u16 padding;
	__u32 error_code;
};

/* A vCPU's multiprocessor state (SDM 8.4: INIT and start-up IPIs). */
enum vtx_mp {
	VTX_MP_RUNNABLE		= 0,
	VTX_MP_WAIT_SIPI	= 1,	/* after INIT; APs start here */
	VTX_MP_HALTED		= 2,	/* HLT with interrupts on: sleeps in the kernel */
};

struct vtx_mp_state {
	__u32 state;		/* enum vtx_mp */
	__u32 sipi_vector;	/* last start-up vector received */
};

/* ---- the shared run page (mmap of a vCPU fd, offset 0, VTX_RUN_SIZE) ---- */

enum vtx_exit_reason {
	VTX_EXIT_NONE		= 0,
	VTX_EXIT_IO		= 1,	/* port I/O for the device model */
	VTX_EXIT_MMIO		= 2,	/* access outside RAM or to read-only RAM */
	VTX_EXIT_HLT		= 3,	/* HLT with RFLAGS.IF=0 (IF=1 sleeps in the kernel) */
	VTX_EXIT_SHUTDOWN	= 4,	/* triple fault: the VM is dead */
	VTX_EXIT_FAIL_ENTRY	= 5,	/* VM entry rejected the guest state */
	VTX_EXIT_INTERNAL_ERROR	= 6,	/* vtx could not handle an exit */
	VTX_EXIT_INTR		= 7,	/* VTX_RUN interrupted (also -EINTR) */
	VTX_EXIT_KICK		= 8,	/* VTX_KICK asked this vCPU to come out */
};

#define VTX_IO_IN		0
#define VTX_IO_OUT		1

/*
 * Why VM entry failed (VTX_EXIT_FAIL_ENTRY): the basic exit reasons of a
 * failed entry (SDM vol 3C 26.8, appendix C). After a VMfail instead,
 * hw_exit_reason is ~0 and the reason is the VM-instruction error number.
 */
#define VTX_ENTRY_FAIL_GUEST_STATE	33	/* invalid guest state */
#define VTX_ENTRY_FAIL_MSR_LOAD		34	/* MSR loading */
#define VTX_ENTRY_FAIL_MCE		41	/* machine-check event */

enum vtx_internal_suberror {
	VTX_INTERNAL_UNHANDLED_EXIT	= 1,	/* data[0] = basic exit reason */
	VTX_INTERNAL_EMULATION		= 2,	/* MMIO instruction not decoded */
	VTX_INTERNAL_DELIVERY_EV	= 3,	/* exit while delivering an event */
};

struct vtx_run {
	__u32 exit_reason;	/* enum vtx_exit_reason */
	__u32 flags;
	__u64 hw_exit_reason;	/* raw VMX basic exit reason, for diagnostics */
	__u64 exit_qualification;
	__u64 guest_rip;
	union {
		/* data at (char *)run + data_offset, count items of size bytes */
		struct {
			__u8 direction;		/* VTX_IO_IN / VTX_IO_OUT */
			__u8 size;		/* 1, 2 or 4 */
			__u16 port;
			__u32 count;		/* > 1 for REP INS/OUTS */
			__u64 data_offset;
		} io;
		/* for a read, vmctl fills data[0..len) before the next VTX_RUN */
		struct {
			__u64 gpa;
			__u8 data[8];
			__u32 len;		/* 1, 2, 4 or 8 */
			__u8 is_write;
			__u8 padding[3];
		} mmio;
		/* hardware_entry_failure_reason: VTX_ENTRY_FAIL_* in bits 15:0 */
		struct {
			__u64 hardware_entry_failure_reason;
			__u64 exit_qualification;
		} fail_entry;
		struct {
			__u32 suberror;		/* enum vtx_internal_suberror */
			__u32 ndata;
			__u64 data[16];
		} internal;
		__u8 padding[256];
	};
};

/* Where REP INS/OUTS data lives in the run page and how much fits. */
#define VTX_RUN_IO_DATA_OFFSET	1024
#define VTX_RUN_IO_DATA_SIZE	2048

/* Size of the mmap-able run page of a vCPU fd. */
#define VTX_RUN_SIZE		4096

#define VTX_RUN			_IO(VTX_IOC_MAGIC, 0x20)
#define VTX_GET_REGS		_IOR(VTX_IOC_MAGIC, 0x21, struct vtx_regs)
#define VTX_SET_REGS		_IOW(VTX_IOC_MAGIC, 0x22, struct vtx_regs)
#define VTX_GET_SREGS		_IOR(VTX_IOC_MAGIC, 0x23, struct vtx_sregs)
#define VTX_SET_SREGS		_IOW(VTX_IOC_MAGIC, 0x24, struct vtx_sregs)
#define VTX_INTERRUPT		_IOW(VTX_IOC_MAGIC, 0x25, struct vtx_interrupt)
#define VTX_NMI			_IO(VTX_IOC_MAGIC, 0x26)
#define VTX_INJECT_EXCEPTION	_IOW(VTX_IOC_MAGIC, 0x27, struct vtx_exception)
#define VTX_KICK		_IO(VTX_IOC_MAGIC, 0x28)
#define VTX_GET_MP_STATE	_IOR(VTX_IOC_MAGIC, 0x29, struct vtx_mp_state)
#define VTX_SET_MP_STATE	_IOW(VTX_IOC_MAGIC, 0x2a, struct vtx_mp_state)

/* ---- size pins: a change here is an ABI break ---- */
_Static_assert(sizeof(struct vtx_caps) == 248, "vtx_caps ABI");
_Static_assert(sizeof(struct vtx_memory_region) == 32, "vtx_memory_region ABI");
_Static_assert(sizeof(struct vtx_regs) == 144, "vtx_regs ABI");
_Static_assert(sizeof(struct vtx_segment) == 24, "vtx_segment ABI");
_Static_assert(sizeof(struct vtx_dtable) == 16, "vtx_dtable ABI");
_Static_assert(sizeof(struct vtx_sregs) == 280, "vtx_sregs ABI");
_Static_assert(sizeof(struct vtx_run) == 288, "vtx_run ABI");
_Static_assert(sizeof(struct vtx_interrupt) == 8, "vtx_interrupt ABI");
_Static_assert(sizeof(struct vtx_exception) == 8, "vtx_exception ABI");
_Static_assert(sizeof(struct vtx_irq_level) == 8, "vtx_irq_level ABI");
_Static_assert(sizeof(struct vtx_mp_state) == 8, "vtx_mp_state ABI");
_Static_assert(sizeof(struct vtx_ept_stats) == 128, "vtx_ept_stats ABI");

#endif /* _UAPI_VTX_H */
