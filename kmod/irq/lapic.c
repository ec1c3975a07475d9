// SPDX-License-Identifier: GPL-2.0
/*
 * Local APIC model: registers, priority, EOI, IPIs and IA32_APIC_BASE.
 * The timer lives in lapic_timer.c, IPI messages in lapic_ipi.c. SDM references are
 * to vol 3A ch. 11.
 */
#include "ktypes.h"
#include "irq/lapic.h"

/* Who may access a register (index = offset >> 4), table-driven so the
 * xAPIC "reserved" and x2APIC #GP rules (SDM table 11-6) live in one place.
 */
#define RX	BIT(0)	/* xAPIC readable */
#define WX	BIT(1)	/* xAPIC writable (a write has an effect) */
#define R2	BIT(2)	/* x2APIC RDMSR allowed */
#define W2	BIT(3)	/* x2APIC WRMSR allowed */
#define RW	(RX | WX | R2 | W2)
#define LAPIC_NREGS	64	/* 0x000-0x3f0 / 0x800-0x83f */

static const u8 lapic_access[LAPIC_NREGS] = {
	[LAPIC_ID >> 4]		= RX | WX | R2,
	[LAPIC_VER >> 4]	= RX | R2,
	[LAPIC_TPR >> 4]	= RW,
	[LAPIC_APR >> 4]	= RX,
	[LAPIC_PPR >> 4]	= RX | R2,
	[LAPIC_EOI >> 4]	= RX | WX | W2,
	[LAPIC_RRD >> 4]	= RX,
	[LAPIC_LDR >> 4]	= RX | WX | R2,
	[LAPIC_DFR >> 4]	= RX | WX,
	[LAPIC_SVR >> 4]	= RW,
	[0x10 ... 0x27]		= RX | R2,	/* ISR, TMR, IRR */
	[LAPIC_ESR >> 4]	= RW,
	[LAPIC_ICR_LO >> 4]	= RW,
	[LAPIC_ICR_HI >> 4]	= RX | WX,
	[0x32 ... 0x37]		= RW,		/* LVT timer .. error */
	[LAPIC_TMICT >> 4]	= RW,
	[LAPIC_TMCCT >> 4]	= RX | R2,
	[LAPIC_TDCR >> 4]	= RW,
	[LAPIC_SELF_IPI >> 4]	= W2,
};

/* Writable bits of each LVT (SDM figure 11-8); delivery status and remote IRR are read-only. */
static const u32 lapic_lvt_writable[LAPIC_LVT_COUNT] = {
	0x000600ff | LAPIC_LVT_MASKED,		/* timer: vector, mode 18:17 */
	0x000007ff | LAPIC_LVT_MASKED,		/* thermal: vector, delivery mode */
	0x000007ff | LAPIC_LVT_MASKED,		/* perf */
	0x0000a7ff | LAPIC_LVT_MASKED,		/* LINT0: + polarity, trigger mode */
	0x0000a7ff | LAPIC_LVT_MASKED,		/* LINT1 */
	0x000000ff | LAPIC_LVT_MASKED,		/* error */
};

#define LAPIC_ICR_LO_WRITABLE	0x000ccfffu	/* vector..dest mode, level, trigger, shorthand */

bool lapic_enabled(const struct lapic *l)
{
	return l->apic_base & LAPIC_BASE_EN;
}

bool lapic_x2apic_mode(const struct lapic *l)
{
	return (l->apic_base & (LAPIC_BASE_EN | LAPIC_BASE_EXTD)) ==
	       (LAPIC_BASE_EN | LAPIC_BASE_EXTD);
}

static bool lapic_sw_enabled(const struct lapic *l)
{
	return l->svr & LAPIC_SVR_ENABLE;
}

/*
 * Word of a 256-bit IRR/ISR/TMR. Vectors come from the guest (ICR, self
 * IPI, IOAPIC entries) and the VMM; callers check 0..255, and the clamp
 * keeps a mispredicted check from reading or writing past the array
 * (Spectre v1).
 */
static unsigned int lapic_word(int vector)
{
	return array_index_nospec((unsigned int)vector, 256u) >> 5;
}

bool lapic_test(const u32 *bits, int vector)
{
	return bits[lapic_word(vector)] & BIT(vector & 31);
}

static void lapic_set(u32 *bits, int vector)
{
	bits[lapic_word(vector)] |= BIT(vector & 31);
}

static void lapic_clear(u32 *bits, int vector)
{
	bits[lapic_word(vector)] &= ~BIT(vector & 31);
}

/* Highest set vector of a 256-bit IRR/ISR/TMR, or -1. */
static int lapic_highest(const u32 *bits)
{
	int i;

	for (i = 7; i >= 0; i--)
		if (bits[i])
			return i * 32 + 31 - __builtin_clz(bits[i]);
	return -1;
}

/* x2APIC logical ID is derived from the x2APIC ID (SDM 11.12.10.2). */
u32 lapic_x2apic_ldr(const struct lapic *l)
{
	return ((l->id >> 4) << 16) | BIT(l->id & 0xf);
}

/* Power-up state, also the state after INIT and after a hardware disable (SDM 11.4.7.1);
 * the APIC ID and IA32_APIC_BASE are kept.
 */
void lapic_reset_regs(struct lapic *l)
{
	int i;

	l->tpr = 0;
	l->ldr = 0;
	l->dfr = 0xffffffff;
	l->svr = 0xff;
	memset(l->isr, 0, sizeof(l->isr));
	memset(l->tmr, 0, sizeof(l->tmr));
	memset(l->irr, 0, sizeof(l->irr));
	l->esr = 0;
	l->esr_pending = 0;
	for (i = 0; i < LAPIC_LVT_COUNT; i++)
		l->lvt[i] = LAPIC_LVT_MASKED;
	l->icr_lo = 0;
	l->icr_hi = 0;
	lapic_timer_reset(l);
}

void lapic_init(struct lapic *l, const struct lapic_config *cfg)
{
	memset(l, 0, sizeof(*l));
	l->cfg = *cfg;
	if (!l->cfg.bus_cycle_ns)
		l->cfg.bus_cycle_ns = 1;
	if (!l->cfg.phys_addr_bits || l->cfg.phys_addr_bits > 52)
		l->cfg.phys_addr_bits = 52;
	l->apic_base = LAPIC_BASE_DEFAULT | LAPIC_BASE_EN | (cfg->bsp ? LAPIC_BASE_BSP : 0);
	l->id = cfg->apic_id;
	lapic_reset_regs(l);
	/* An AP sits in wait-for-SIPI after reset until the BSP starts it (SDM 9.4). */
	l->sipi_wait = !cfg->bsp;
}

/* Errors are latched into ESR only by the next ESR write (SDM 11.5.3). */
void lapic_error(struct lapic *l, u32 bits)
{
	u32 lvt = l->lvt[5];

	l->esr_pending |= bits;
	if (!(lvt & LAPIC_LVT_MASKED) && (lvt & 0xff) >= 16)
		lapic_set_irq(l, lvt & 0xff, false);
}

void lapic_set_irq(struct lapic *l, int vector, bool level_trig)
{
	if (!lapic_enabled(l) || vector < 0 || vector > 255)
		return;
	/* Vectors 0-15 are reserved for exceptions (SDM 11.5.2). */
	if (vector < 16) {
		lapic_error(l, LAPIC_ESR_RECV_ILLEGAL);
		return;
	}
	/* A software-disabled APIC drops fixed interrupts (as KVM does; SDM 11.4.7.2). */
	if (!lapic_sw_enabled(l))
		return;
	lapic_set(l->irr, vector);
	if (level_trig)
		lapic_set(l->tmr, vector);
	else
		lapic_clear(l->tmr, vector);
}

/* SDM 11.8.3.1: PPR = TPR if TPR[7:4] >= ISRV[7:4], else ISRV[7:4] << 4. */
u32 lapic_ppr(const struct lapic *l)
{
	int isrv = lapic_highest(l->isr);
	u32 isr_class = isrv < 0 ? 0 : (u32)isrv & 0xf0;

	if ((l->tpr & 0xf0) >= isr_class)
		return l->tpr & 0xff;
	return isr_class;
}

/* SDM 11.8.3: the highest IRR vector is delivered only if its class beats PPR's class. */
int lapic_pending_vector(const struct lapic *l)
{
	int v;

	if (!lapic_enabled(l))
		return -1;
	v = lapic_highest(l->irr);
	if (v < 0 || ((u32)v & 0xf0) <= (lapic_ppr(l) & 0xf0))
		return -1;
	return v;
}

void lapic_ack(struct lapic *l, int vector)
{
	if (vector < 16 || vector > 255)
		return;
	lapic_clear(l->irr, vector);
	lapic_set(l->isr, vector);
}

u32 lapic_get_tpr(const struct lapic *l)
{
	return l->tpr;
}

void lapic_set_tpr(struct lapic *l, u32 tpr)
{
	l->tpr = tpr & 0xff;
}

/* EOI retires the highest in-service vector; a level-triggered one is forwarded to the
 * IOAPIC(s) as an EOI message (SDM 11.8.5).
 */
static void lapic_eoi(struct lapic *l)
{
	int v = lapic_highest(l->isr);

	if (v < 0)
		return;
	lapic_clear(l->isr, v);
	if (lapic_test(l->tmr, v) && l->cfg.eoi)
		l->cfg.eoi(l->cfg.ctx, v);
}

static void lapic_write_svr(struct lapic *l, u32 val)
{
	int i;

	/* Bit 12 (EOI-broadcast suppression) is reserved: version bit 24 is clear. */
	l->svr = val & 0x3ff;
	/* Software disable masks every LVT (SDM 11.4.7.2). */
	if (!lapic_sw_enabled(l))
		for (i = 0; i < LAPIC_LVT_COUNT; i++)
			l->lvt[i] |= LAPIC_LVT_MASKED;
}

static void lapic_write_lvt(struct lapic *l, int idx, u32 val)
{
	u32 mask;

	/* Guest-chosen register offsets index tables: clamp them (Spectre v1). */
	idx = array_index_nospec(idx, LAPIC_LVT_COUNT);
	mask = lapic_lvt_writable[idx];

	/* TSC-deadline mode exists only if the host gave a TSC rate. */
	if (idx == 0 && !l->cfg.tsc_khz)
		mask &= ~BIT(18);
	val &= mask;
	/* While software-disabled the mask bit cannot be cleared (SDM 11.4.7.2). */
	if (!lapic_sw_enabled(l))
		val |= LAPIC_LVT_MASKED;
	if (idx == 0)
		lapic_timer_write_lvt(l, val);
	else
		l->lvt[idx] = val;
}

static int lapic_reg_read(struct lapic *l, u32 reg, u32 *val)
{
	bool x2 = lapic_x2apic_mode(l);

	switch (reg) {
	case LAPIC_ID:
		*val = x2 ? l->id : l->id << 24;
		break;
	case LAPIC_VER:
		*val = LAPIC_VERSION;
		break;
	case LAPIC_TPR:
		*val = l->tpr;
		break;
	case LAPIC_PPR:
		*val = lapic_ppr(l);
		break;
	case LAPIC_LDR:
		*val = x2 ? lapic_x2apic_ldr(l) : l->ldr;
		break;
	case LAPIC_DFR:
		*val = l->dfr;
		break;
	case LAPIC_SVR:
		*val = l->svr;
		break;
	case LAPIC_ISR ... LAPIC_ISR + 0x70:
		*val = l->isr[array_index_nospec((reg - LAPIC_ISR) >> 4, 8)];
		break;
	case LAPIC_TMR ... LAPIC_TMR + 0x70:
		*val = l->tmr[array_index_nospec((reg - LAPIC_TMR) >> 4, 8)];
		break;
	case LAPIC_IRR ... LAPIC_IRR + 0x70:
		*val = l->irr[array_index_nospec((reg - LAPIC_IRR) >> 4, 8)];
		break;
	case LAPIC_ESR:
		*val = l->esr;
		break;
	case LAPIC_ICR_LO:
		*val = l->icr_lo;	/* delivery status always idle: IPIs are sent at once */
		break;
	case LAPIC_ICR_HI:
		*val = l->icr_hi;
		break;
	case LAPIC_LVT_TIMER ... LAPIC_LVT_ERR:
		*val = l->lvt[array_index_nospec((reg - LAPIC_LVT_TIMER) >> 4, LAPIC_LVT_COUNT)];
		break;
	case LAPIC_TMICT:
		*val = l->tmict;
		break;
	case LAPIC_TMCCT:
		*val = lapic_timer_current(l);
		break;
	case LAPIC_TDCR:
		*val = l->tdcr;
		break;
	default:		/* APR, EOI, RRD read as 0 */
		*val = 0;
		break;
	}
	return 0;
}

/* Only registers the access table allows reach here. -1: #GP (x2APIC reserved bits). */
static int lapic_reg_write(struct lapic *l, u32 reg, u32 val)
{
	bool x2 = lapic_x2apic_mode(l);

	switch (reg) {
	case LAPIC_ID:
		l->id = val >> 24;
		break;
	case LAPIC_TPR:
		l->tpr = val & 0xff;
		break;
	case LAPIC_EOI:
		if (x2 && val)
			return -1;
		lapic_eoi(l);
		break;
	case LAPIC_LDR:
		l->ldr = val & 0xff000000;
		break;
	case LAPIC_DFR:
		l->dfr = val | 0x0fffffff;
		break;
	case LAPIC_SVR:
		lapic_write_svr(l, val);
		break;
	case LAPIC_ESR:
		/* Only zero may be written in x2APIC mode (SDM 11.5.3). */
		if (x2 && val)
			return -1;
		l->esr = l->esr_pending;
		l->esr_pending = 0;
		break;
	case LAPIC_ICR_LO:
		l->icr_lo = val & LAPIC_ICR_LO_WRITABLE;
		lapic_send_icr(l, l->icr_lo, l->icr_hi >> 24);
		break;
	case LAPIC_ICR_HI:
		l->icr_hi = val & 0xff000000;
		break;
	case LAPIC_LVT_TIMER ... LAPIC_LVT_ERR:
		lapic_write_lvt(l, (reg - LAPIC_LVT_TIMER) >> 4, val);
		break;
	case LAPIC_TMICT:
		lapic_timer_write_tmict(l, val);
		break;
	case LAPIC_TDCR:
		lapic_timer_write_tdcr(l, val);
		break;
	case LAPIC_SELF_IPI:
		if (val & ~0xffu)
			return -1;
		lapic_send_icr(l, val | (LAPIC_SH_SELF << LAPIC_ICR_SH_SHIFT), 0);
		break;
	default:		/* read-only in xAPIC: ignored */
		break;
	}
	return 0;
}

/* xAPIC registers sit on 16-byte boundaries (SDM 11.4.1); the other dwords are reserved. */
static bool lapic_mmio_reg(struct lapic *l, u32 offset, u8 need)
{
	u32 idx;

	if (offset >= 0x400 || (offset & 0xf))
		return false;
	idx = array_index_nospec(offset >> 4, LAPIC_NREGS);
	if (!(lapic_access[idx] & (RX | WX))) {
		lapic_error(l, LAPIC_ESR_ILLEGAL_REG);
		return false;
	}
	return lapic_access[idx] & need;
}

int lapic_mmio_read(struct lapic *l, u32 offset, u32 *val)
{
	*val = 0;
	if (!lapic_enabled(l) || lapic_x2apic_mode(l))
		return -1;
	if (lapic_mmio_reg(l, offset, RX))
		lapic_reg_read(l, offset, val);
	return 0;
}

int lapic_mmio_write(struct lapic *l, u32 offset, u32 val)
{
	if (!lapic_enabled(l) || lapic_x2apic_mode(l))
		return -1;
	if (lapic_mmio_reg(l, offset, WX))
		lapic_reg_write(l, offset, val);
	return 0;
}

/* SDM 11.12.5: legal IA32_APIC_BASE transitions, figure 11-27. */
static int lapic_set_base(struct lapic *l, u64 val)
{
	u64 reserved = 0x2ffULL | ~((1ULL << l->cfg.phys_addr_bits) - 1);
	bool old_en = lapic_enabled(l), old_x2 = lapic_x2apic_mode(l);
	bool en = val & LAPIC_BASE_EN, x2 = val & LAPIC_BASE_EXTD;

	if (val & reserved)
		return -1;
	if (x2 && !en)			/* EXTD without EN is invalid */
		return -1;
	if (old_x2 && en && !x2)	/* x2APIC -> xAPIC must go through disabled */
		return -1;
	if (!old_en && x2)		/* disabled -> x2APIC must go through xAPIC */
		return -1;

	l->apic_base = val;
	if (old_en && !en) {
		lapic_reset_regs(l);
	} else if (!old_en && en) {
		/* Re-enabled: power-up state with the initial APIC ID. */
		l->id = l->cfg.apic_id;
		lapic_reset_regs(l);
	} else if (!old_x2 && x2) {
		/* xAPIC -> x2APIC: ID becomes the 32-bit initial ID; LDR is derived. */
		l->id = l->cfg.apic_id;
	}
	return 0;
}

/* Index into lapic_access of an x2APIC MSR, or -1 (0x840-0x8ff are all reserved). */
static int lapic_x2apic_index(const struct lapic *l, u32 msr, u8 need)
{
	u32 idx = msr - LAPIC_MSR_X2APIC_FIRST;

	/* x2APIC MSRs #GP unless in x2APIC mode (SDM 11.12.1.2). */
	if (msr < LAPIC_MSR_X2APIC_FIRST || idx >= LAPIC_NREGS || !lapic_x2apic_mode(l))
		return -1;
	idx = array_index_nospec(idx, LAPIC_NREGS);
	return lapic_access[idx] & need ? (int)idx : -1;
}

bool lapic_owns_msr(u32 msr)
{
	return msr == LAPIC_MSR_APICBASE || msr == LAPIC_MSR_TSC_DEADLINE ||
	       (msr >= LAPIC_MSR_X2APIC_FIRST && msr <= LAPIC_MSR_X2APIC_LAST);
}

int lapic_msr_read(struct lapic *l, u32 msr, u64 *val)
{
	int idx;
	u32 v;

	*val = 0;
	if (msr == LAPIC_MSR_APICBASE) {
		*val = l->apic_base;
		return 0;
	}
	if (msr == LAPIC_MSR_TSC_DEADLINE) {
		*val = lapic_tsc_deadline_read(l);
		return 0;
	}
	idx = lapic_x2apic_index(l, msr, R2);
	if (idx < 0)
		return -1;
	if (idx == LAPIC_ICR_LO >> 4) {
		*val = (u64)l->icr_hi << 32 | l->icr_lo;
		return 0;
	}
	lapic_reg_read(l, (u32)idx << 4, &v);
	*val = v;
	return 0;
}

int lapic_msr_write(struct lapic *l, u32 msr, u64 val)
{
	int idx;

	if (msr == LAPIC_MSR_APICBASE)
		return lapic_set_base(l, val);
	if (msr == LAPIC_MSR_TSC_DEADLINE) {
		lapic_tsc_deadline_write(l, val);
		return 0;
	}
	idx = lapic_x2apic_index(l, msr, W2);
	if (idx < 0)
		return -1;
	/* x2APIC ICR is one 64-bit register; the write sends (SDM 11.12.9). */
	if (idx == LAPIC_ICR_LO >> 4) {
		l->icr_hi = val >> 32;
		l->icr_lo = (u32)val & LAPIC_ICR_LO_WRITABLE;
		lapic_send_icr(l, l->icr_lo, l->icr_hi);
		return 0;
	}
	/* All other x2APIC registers are 32 bits: bits 63:32 are reserved. */
	if (val >> 32)
		return -1;
	return lapic_reg_write(l, (u32)idx << 4, (u32)val);
}
