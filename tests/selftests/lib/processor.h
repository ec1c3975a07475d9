/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 helpers for guest code (ring 0, 64-bit) of the vtx selftests, and the
 * architectural constants the host side uses to build the guest's state.
 */
#ifndef VTX_SELFTEST_PROCESSOR_H
#define VTX_SELFTEST_PROCESSOR_H

#include <stdint.h>

#define X86_CR0_PE	(1ull << 0)
#define X86_CR0_MP	(1ull << 1)
#define X86_CR0_EM	(1ull << 2)
#define X86_CR0_TS	(1ull << 3)
#define X86_CR0_ET	(1ull << 4)
#define X86_CR0_NE	(1ull << 5)
#define X86_CR0_WP	(1ull << 16)
#define X86_CR0_AM	(1ull << 18)
#define X86_CR0_NW	(1ull << 29)
#define X86_CR0_CD	(1ull << 30)
#define X86_CR0_PG	(1ull << 31)

#define X86_CR4_DE	(1ull << 3)
#define X86_CR4_PSE	(1ull << 4)
#define X86_CR4_PAE	(1ull << 5)
#define X86_CR4_PGE	(1ull << 7)
#define X86_CR4_OSFXSR	(1ull << 9)
#define X86_CR4_OSXMMEXCPT (1ull << 10)
#define X86_CR4_VMXE	(1ull << 13)
#define X86_CR4_FSGSBASE (1ull << 16)

#define EFER_SCE	(1ull << 0)
#define EFER_LME	(1ull << 8)
#define EFER_LMA	(1ull << 10)
#define EFER_NX		(1ull << 11)

#define MSR_IA32_TSC		0x10
#define MSR_IA32_APICBASE	0x1b
#define MSR_IA32_FEATURE_CONTROL 0x3a
#define MSR_IA32_SYSENTER_CS	0x174
#define MSR_IA32_CR_PAT		0x277
#define MSR_IA32_VMX_BASIC	0x480
#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_TSC_AUX		0xc0000103

#define DE_VECTOR	0
#define DB_VECTOR	1
#define BP_VECTOR	3
#define UD_VECTOR	6
#define DF_VECTOR	8
#define TS_VECTOR	10
#define NP_VECTOR	11
#define SS_VECTOR	12
#define GP_VECTOR	13
#define PF_VECTOR	14

#define PTE_PRESENT	(1ull << 0)
#define PTE_WRITE	(1ull << 1)
#define PTE_USER	(1ull << 2)
#define PTE_LARGE	(1ull << 7)

/* Saved by lib/exception.S on every guest exception, in this order. */
struct ex_regs {
	uint64_t rax, rcx, rdx, rbx, rbp, rsi, rdi;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	asm volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
		     : "a"(leaf), "c"(subleaf) : "memory");
	return r;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr) : "memory");
	return lo | ((uint64_t)hi << 32);
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
		     : "memory");
}

/*
 * Run one instruction that may fault; an exception skips it and the vector
 * is returned (0: no exception). The exception handler (lib/exception.S ->
 * route_exception) recognises the marker in r9 and the faulting RIP in r10
 * and resumes at the address in r11, like KVM's KVM_ASM_SAFE.
 */
#define GUEST_FIXUP_MAGIC	0xfa17ed0ccc0ffee5

/* The instruction at label 1 may fault; see GUEST_FIXUP_MAGIC. */
#define GUEST_ASM_SAFE_PROLOGUE						\
	"movabs $" __stringify_1(GUEST_FIXUP_MAGIC) ", %%r9\n\t"		\
	"lea 1f(%%rip), %%r10\n\t"						\
	"lea 2f(%%rip), %%r11\n\t"						\
	"1: "
#define GUEST_ASM_SAFE_EPILOGUE "\n\txor %%r9d, %%r9d\n\t2:\n\t"
#define __stringify_2(x)	#x
#define __stringify_1(x)	__stringify_2(x)

/*
 * Any one instruction that may fault, with input operands only (it must
 * not change a register the compiler knows): its vector, or 0. The
 * inputs are %1, %2, ... (%0 is the vector).
 */
#define GUEST_INSN_SAFE(insn, ...) ({						\
	register uint64_t __vec asm("r9");					\
	asm volatile(GUEST_ASM_SAFE_PROLOGUE insn GUEST_ASM_SAFE_EPILOGUE	\
		     : "=&r"(__vec) : __VA_ARGS__ : "r10", "r11", "memory");	\
	(uint8_t)__vec;								\
})

static inline uint8_t rdmsr_safe(uint32_t msr, uint64_t *val)
{
	register uint64_t vec asm("r9");
	uint32_t lo = 0, hi = 0;

	asm volatile(GUEST_ASM_SAFE_PROLOGUE "rdmsr" GUEST_ASM_SAFE_EPILOGUE
		     : "=&r"(vec), "+a"(lo), "+d"(hi) : "c"(msr) : "r10", "r11", "memory");
	*val = lo | ((uint64_t)hi << 32);
	return (uint8_t)vec;
}

/* MOV to CR4 in the guest: 0 or the exception vector it raised. */
static inline uint8_t set_cr4_safe(uint64_t v)
{
	return GUEST_INSN_SAFE("mov %1, %%cr4", "r"(v));
}

static inline uint8_t wrmsr_safe(uint32_t msr, uint64_t val)
{
	return GUEST_INSN_SAFE("wrmsr", "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32)));
}

static inline uint8_t xsetbv_safe(uint64_t rcx, uint64_t val)
{
	return GUEST_INSN_SAFE("xsetbv", "c"(rcx), "a"((uint32_t)val), "d"((uint32_t)(val >> 32)));
}

static inline uint8_t rdpmc_safe(uint32_t ecx)
{
	register uint64_t vec asm("r9");
	uint32_t lo = 0, hi = 0;

	asm volatile(GUEST_ASM_SAFE_PROLOGUE "rdpmc" GUEST_ASM_SAFE_EPILOGUE
		     : "=&r"(vec), "+a"(lo), "+d"(hi) : "c"(ecx) : "r10", "r11", "memory");
	return (uint8_t)vec;
}

#define DEFINE_CR_ACCESS(n)							\
static inline uint64_t get_cr##n(void)						\
{										\
	uint64_t v;								\
	asm volatile("mov %%cr" #n ", %0" : "=r"(v) : : "memory");		\
	return v;								\
}										\
static inline void set_cr##n(uint64_t v)					\
{										\
	asm volatile("mov %0, %%cr" #n : : "r"(v) : "memory");			\
}
DEFINE_CR_ACCESS(0)
DEFINE_CR_ACCESS(2)
DEFINE_CR_ACCESS(3)
DEFINE_CR_ACCESS(4)
DEFINE_CR_ACCESS(8)

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline void outw(uint16_t port, uint16_t v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline void outl(uint16_t port, uint32_t v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return lo | ((uint64_t)hi << 32);
}

static inline void hlt(void)
{
	asm volatile("hlt" : : : "memory");
}

static inline void cli(void)
{
	asm volatile("cli" : : : "memory");
}

#endif /* VTX_SELFTEST_PROCESSOR_H */
