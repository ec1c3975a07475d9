// SPDX-License-Identifier: GPL-2.0
/* The multiboot test guests' library (see mb_lib.h). */
#include "mb_lib.h"
#include "apic.h"

#define KERNEL_CS		0x08
#define GATE_INTR32		0x8e	/* present, DPL 0, 32-bit interrupt gate */

struct idt_gate {
	u16 off_lo, sel;
	u8 zero, type;
	u16 off_hi;
} __attribute__((packed));

struct idt_desc {
	u16 limit;
	u32 base;
} __attribute__((packed));

static struct idt_gate idt[256] __attribute__((aligned(8)));
static isr_handler handlers[256];
static unsigned int test_nr, test_failed;
static volatile u32 print_lock;
volatile u32 isr_unexpected, isr_unexpected_vector, isr_unexpected_eip;
u64 tsc_per_ms;
int apic_x2;		/* apic.h: the LAPIC is in x2APIC mode */

static void lock_print(void)
{
	while (__atomic_exchange_n(&print_lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
}

static void unlock_print(void)
{
	__atomic_store_n(&print_lock, 0, __ATOMIC_RELEASE);
}

static void put_dec_locked(u32 v)
{
	char buf[11];
	int i = 10;

	buf[i] = 0;
	do {
		buf[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	serial_puts(buf + i);
}

void put_dec(u32 v)
{
	lock_print();
	put_dec_locked(v);
	unlock_print();
}

void put_hex(u32 v)
{
	static const char digits[] = "0123456789abcdef";
	char buf[11];
	int i;

	buf[0] = '0';
	buf[1] = 'x';
	for (i = 0; i < 8; i++)
		buf[2 + i] = digits[(v >> (28 - 4 * i)) & 15];
	buf[10] = 0;
	print(buf);
}

void print(const char *s)
{
	lock_print();
	serial_puts(s);
	unlock_print();
}

int check(int ok, const char *what)
{
	lock_print();
	test_nr++;
	if (!ok) {
		test_failed++;
		serial_puts("not ");
	}
	serial_puts("ok ");
	put_dec_locked(test_nr);
	serial_puts(" - ");
	serial_puts(what);
	serial_puts("\r\n");
	unlock_print();
	return ok;
}

void skip(const char *what, const char *why)
{
	lock_print();
	test_nr++;
	serial_puts("ok ");
	put_dec_locked(test_nr);
	serial_puts(" - ");
	serial_puts(what);
	serial_puts(" # SKIP ");
	serial_puts(why);
	serial_puts("\r\n");
	unlock_print();
}

static void __attribute__((noreturn)) exit_with(u8 status)
{
	irq_disable();
	outb(DEBUG_EXIT_PORT, status);
	for (;;)
		asm volatile("cli; hlt");
}

void tap_done(void)
{
	lock_print();
	serial_puts("1..");
	put_dec_locked(test_nr);
	serial_puts("\r\n");
	unlock_print();
	exit_with(test_failed ? 1 : 0);
}

void tap_bail(const char *why)
{
	lock_print();
	serial_puts("Bail out! ");
	serial_puts(why);
	serial_puts("\r\n");
	unlock_print();
	exit_with(1);
}

void idt_load(void)
{
	struct idt_desc d = { sizeof(idt) - 1, (u32)idt };

	asm volatile("lidt %0" : : "m"(d));
}

void idt_init(void)
{
	unsigned int v;

	for (v = 0; v < 256; v++) {
		idt[v].off_lo = isr_stub_table[v] & 0xffff;
		idt[v].off_hi = isr_stub_table[v] >> 16;
		idt[v].sel = KERNEL_CS;
		idt[v].zero = 0;
		idt[v].type = GATE_INTR32;
	}
	idt_load();
}

void isr_set(u8 vector, isr_handler h)
{
	handlers[vector] = h;
}

/*
 * A vector nobody expects (an exception, or an interrupt the hypervisor
 * should not have delivered) fails the test: on the BSP at once, on an AP
 * it is recorded for the BSP's final check and the AP stops.
 */
void isr_dispatch(struct isr_frame *f)
{
	if (handlers[f->vector]) {
		handlers[f->vector](f);
		return;
	}
	atomic_inc(&isr_unexpected);
	isr_unexpected_vector = f->vector;
	isr_unexpected_eip = f->eip;
	if (!(rdmsr(0x1b) & (1 << 8))) {	/* IA32_APIC_BASE.BSP clear: an AP */
		for (;;)
			asm volatile("cli; hlt");
	}
	print("# unexpected vector ");
	put_dec(f->vector);
	print(" error ");
	put_hex(f->error);
	print(" at EIP ");
	put_hex(f->eip);
	print("\r\n");
	tap_bail("unexpected interrupt or exception");
}

int mem_eq(const void *a, const void *b, u32 n)
{
	const u8 *x = a, *y = b;

	while (n--)
		if (*x++ != *y++)
			return 0;
	return 1;
}

u32 str_len(const char *s)
{
	u32 n = 0;

	while (s[n])
		n++;
	return n;
}

u8 checksum(const void *p, u32 len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

/* ACPI 6.5 5.2.5.1: the RSDP is on a 16-byte boundary in 0xe0000-0xfffff. */
const u8 *acpi_find_rsdp(void)
{
	u32 a;

	for (a = 0xe0000; a < 0x100000; a += 16)
		if (mem_eq((const void *)a, "RSD PTR ", 8) && !checksum((const void *)a, 20))
			return (const void *)a;
	return 0;
}

u32 pm_timer(void)
{
	return inl(PM_TIMER_PORT);
}

void delay_ms(u32 ms)
{
	u32 t0 = pm_timer(), ticks = ms * (PM_TIMER_HZ / 1000);

	while (pm_timer() - t0 < ticks)
		cpu_relax();
}

/* TSC ticks per millisecond of PM timer time, over 20 ms. */
void tsc_calibrate(void)
{
	u32 t0 = pm_timer(), ticks = 20 * (PM_TIMER_HZ / 1000);
	u64 c0, c1;

	while (pm_timer() == t0)
		cpu_relax();
	t0 = pm_timer();
	c0 = rdtsc();
	while (pm_timer() - t0 < ticks)
		cpu_relax();
	c1 = rdtsc();
	tsc_per_ms = (c1 - c0) / 20;
	if (!tsc_per_ms)
		tsc_per_ms = 1;
}

int wait_count(const volatile u32 *p, u32 want, u32 ms)
{
	u64 end = rdtsc() + ms * tsc_per_ms;

	while (*p < want) {
		if (rdtsc() > end)
			return 0;
		cpu_relax();
	}
	return 1;
}

int halt_count(const volatile u32 *p, u32 want, u32 ms)
{
	u64 end = rdtsc() + ms * tsc_per_ms;
	int ok = 1;

	for (;;) {
		irq_disable();
		if (*p >= want)
			break;
		if (rdtsc() > end) {
			ok = 0;
			break;
		}
		safe_halt();
	}
	irq_enable();
	return ok;
}
