/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small library of the multiboot test guests (ELF32, protected
 * mode, paging off; mb_entry.S + mb_lib.c): TAP on COM1, exit through the
 * debug port 0xf4 (0 = all passed -> vmctl exits 1, 1 = a check failed ->
 * vmctl exits 3), an IDT with one stub per vector and C handlers, MSR,
 * CPUID and TSC helpers, and time from the ACPI PM timer (vmctl's port
 * 0x608, 3.579545 MHz), against which the TSC is calibrated so that waits
 * can be bounded in milliseconds of guest time.
 */
#ifndef _GUEST_MB_LIB_H
#define _GUEST_MB_LIB_H

#include "serial.h"

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

#define PM_TIMER_PORT		0x608
#define PM_TIMER_HZ		3579545u
#define DEBUG_EXIT_PORT		0xf4
#define MB_BOOT_MAGIC		0x2badb002	/* EAX at the multiboot entry */

/* Multiboot 0.6.96 section 3.3, up to the memory map. */
struct mb_info {
	u32 flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	u32 syms[4], mmap_length, mmap_addr;
};

#define MB_INFO_MEM		(1u << 0)
#define MB_INFO_CMDLINE		(1u << 2)
#define MB_INFO_MODS		(1u << 3)
#define MB_INFO_MMAP		(1u << 6)

/* What isr_common pushed (pushal order reversed) and the CPU's frame. */
struct isr_frame {
	u32 edi, esi, ebp, esp0, ebx, edx, ecx, eax;
	u32 vector, error;
	u32 eip, cs, eflags;
};

typedef void (*isr_handler)(struct isr_frame *f);

static inline void outw(u16 port, u16 v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(u16 port, u32 v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline u32 inl(u16 port)
{
	u32 v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (u64)hi << 32 | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (u64)hi << 32 | lo;
}

static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static inline void cpu_relax(void)
{
	asm volatile("pause" ::: "memory");
}

static inline void irq_enable(void)
{
	asm volatile("sti" ::: "memory");
}

static inline void irq_disable(void)
{
	asm volatile("cli" ::: "memory");
}

/* STI's one-instruction shadow makes "sti; hlt" race free (SDM 6.8.3). */
static inline void safe_halt(void)
{
	asm volatile("sti; hlt" ::: "memory");
}

static inline u32 atomic_inc(volatile u32 *p)
{
	return __atomic_add_fetch(p, 1, __ATOMIC_SEQ_CST);
}

static inline u32 read_once(const volatile u32 *p)
{
	return *p;
}

/* Output (the BSP prints; APs only write memory). */
void put_dec(u32 v);
void put_hex(u32 v);
void print(const char *s);
/* "ok N - what" / "not ok N - what"; returns @ok. */
int check(int ok, const char *what);
/* "ok N - what # SKIP why" */
void skip(const char *what, const char *why);
/* Print the plan, write the verdict to the exit port; does not return. */
__attribute__((noreturn)) void tap_done(void);
/* A "Bail out!" line and the fail status; does not return. */
__attribute__((noreturn)) void tap_bail(const char *why);

/* Freestanding string and byte helpers. */
int mem_eq(const void *a, const void *b, u32 n);
u32 str_len(const char *s);
/* The 8-bit sum of @len bytes: 0 for a valid ACPI table. */
u8 checksum(const void *p, u32 len);
/* The ACPI RSDP in the BIOS area 0xe0000-0xfffff (first 20 bytes summing to 0), or 0. */
const u8 *acpi_find_rsdp(void);

/* mb_entry.S: one stub per vector. smp_tramp.S: the AP start-up code. */
extern const u32 isr_stub_table[256];
extern const u8 tramp_start[], tramp_end[];

/* The IDT (interrupt gates, kernel CS) on this CPU; idt_init() builds it once. */
void idt_init(void);
void idt_load(void);
/* Handlers; a vector without one is a test failure (see isr_dispatch). */
void isr_set(u8 vector, isr_handler h);
void isr_dispatch(struct isr_frame *f);
/* Unexpected vectors taken (any CPU), and the last one. */
extern volatile u32 isr_unexpected, isr_unexpected_vector, isr_unexpected_eip;

/* Guest time: the PM timer, and the TSC calibrated against it. */
u32 pm_timer(void);
void delay_ms(u32 ms);
void tsc_calibrate(void);
extern u64 tsc_per_ms;
/* Spin (interrupt flag as it is) until *p >= want or @ms pass: 1 if reached. */
int wait_count(const volatile u32 *p, u32 want, u32 ms);
/* Same, but in HLT with IF=1 between checks (something must wake us). */
int halt_count(const volatile u32 *p, u32 want, u32 ms);

#endif /* _GUEST_MB_LIB_H */
