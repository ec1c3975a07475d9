/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model of the PC/AT pair of Intel 8259A programmable interrupt controllers
 * plus the PIIX/ICH edge/level control registers (ELCR). Pure C: it includes
 * only "ktypes.h", so it builds in vtx.ko and in userspace (vmctl, cmocka).
 *
 * Wiring (fixed, as on every PC): master at 0x20/0x21, slave at 0xa0/0xa1,
 * slave INT output into master IR2, ELCR at 0x4d0 (IRQ 0-7) and 0x4d1
 * (IRQ 8-15). IRQ 0, 1, 2, 8 and 13 are always edge triggered.
 *
 * The host drives input lines with pic_set_irq(), forwards port I/O with
 * pic_io_read()/pic_io_write(), watches the INT output (callback and
 * pic_output()) and performs the INTA cycle with pic_ack() when it injects
 * the interrupt into the vCPU. Not thread-safe: the host serialises calls.
 */
#ifndef _VTX_I8259_H
#define _VTX_I8259_H

#include "ktypes.h"

#define PIC_MASTER_CMD		0x20
#define PIC_MASTER_DATA		0x21
#define PIC_SLAVE_CMD		0xa0
#define PIC_SLAVE_DATA		0xa1
#define PIC_ELCR_MASTER		0x4d0
#define PIC_ELCR_SLAVE		0x4d1

#define PIC_NR_IRQS		16
#define PIC_CASCADE_IRQ		2

/* Command-port bytes: bit 4 selects ICW1, bit 3 selects OCW3 (else OCW2). */
#define PIC_ICW1		0x10
#define PIC_ICW1_IC4		0x01	/* ICW4 follows */
#define PIC_ICW1_SNGL		0x02	/* single PIC, no ICW3 */
#define PIC_ICW1_LTIM		0x08	/* level mode: ignored, the ELCR rules */
#define PIC_ICW4_8086		0x01
#define PIC_ICW4_AEOI		0x02
#define PIC_ICW4_SFNM		0x10	/* special fully nested mode */
#define PIC_OCW3		0x08
#define PIC_OCW3_RIS		0x01	/* with RR: 1 = read ISR, 0 = read IRR */
#define PIC_OCW3_RR		0x02
#define PIC_OCW3_POLL		0x04
#define PIC_OCW3_SMM		0x20	/* with ESMM: 1 = set, 0 = clear special mask */
#define PIC_OCW3_ESMM		0x40

/* OCW2 commands (bits 7:5 = R SL EOI), 8259A datasheet table "OCW2". */
#define PIC_OCW2_ROTATE_AEOI_CLEAR	0x00
#define PIC_OCW2_EOI			0x20	/* non-specific EOI */
#define PIC_OCW2_NOP			0x40
#define PIC_OCW2_SPECIFIC_EOI		0x60	/* level in bits 2:0 */
#define PIC_OCW2_ROTATE_AEOI_SET	0x80
#define PIC_OCW2_ROTATE_EOI		0xa0	/* rotate on non-specific EOI */
#define PIC_OCW2_SET_PRIORITY		0xc0	/* bits 2:0 = new lowest priority */
#define PIC_OCW2_ROTATE_SPECIFIC_EOI	0xe0

struct pic_chip {
	u8 irr;			/* edge: latched requests; level: follows the line */
	u8 isr;			/* in service */
	u8 imr;			/* mask (OCW1) */
	u8 lines;		/* current input levels, for edge detection */
	u8 elcr;		/* 1 = level triggered (PIIX ELCR) */
	u8 elcr_mask;		/* ELCR bits that may be 1 */
	u8 vector_base;		/* ICW2 & 0xf8 */
	u8 icw3;		/* slave bitmap (master) or cascade id (slave) */
	u8 priority_add;	/* IR number that has the highest priority */
	u8 init_step;		/* 0: operational; 2, 3, 4: next data byte is that ICW */
	bool is_master;
	bool icw4_needed;
	bool single;
	bool ltim;		/* recorded only, see PIC_ICW1_LTIM */
	bool x86_mode;		/* recorded only: MCS-80 vectors are not emulated */
	bool aeoi;
	bool sfnm;
	bool rotate_aeoi;
	bool special_mask;
	bool read_isr;
	bool poll;
};

struct pic {
	struct pic_chip chip[2];	/* [0] master, [1] slave */
	bool output;			/* master INT line */
	void (*set_output)(void *ctx, bool level);
	void *ctx;
};

/*
 * Leaves the pair as a PC BIOS does (there is no BIOS under vmctl): ICWs
 * done, vectors 0x08 and 0x70, 8086 mode, cascade on IR2, every IRQ masked,
 * ELCR all edge. set_output (may be NULL) is called whenever the master INT
 * line changes level.
 */
void pic_init(struct pic *pic, void (*set_output)(void *ctx, bool level), void *ctx);

/*
 * Drives input line irq (0-15, not the internal cascade 2) to level
 * (nonzero = asserted). Edge lines latch a request on 0->1; level lines
 * (ELCR) request while asserted. Returns 0 or -EINVAL.
 */
int pic_set_irq(struct pic *pic, int irq, int level);

/* Master INT line: true when pic_ack() would return a real vector. */
bool pic_output(const struct pic *pic);

/* Vector pic_ack() would return now, or -1 when the INT line is low. */
int pic_pending_vector(const struct pic *pic);

/*
 * INTA cycle: moves the highest-priority request from IRR to ISR (unless
 * AEOI) and returns its vector. With nothing pending it returns the
 * spurious vector of IR7 (master base + 7), or of IR15 (slave base + 7)
 * when the slave lost its request after raising IR2.
 */
int pic_ack(struct pic *pic);

void pic_io_write(struct pic *pic, u16 port, u8 val);
/* Unknown ports read as 0xff. */
u8 pic_io_read(struct pic *pic, u16 port);

#endif /* _VTX_I8259_H */
