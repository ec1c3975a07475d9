// SPDX-License-Identifier: GPL-2.0
/* unit-sources: kmod/irq/i8259.c */
/* i8259A pair + ELCR: ICWs, masking, EOI variants, AEOI, cascade, level lines, spurious, OCW3. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "kmod/irq/i8259.h"

static struct pic pic;
static int out_changes;
static bool out_level;

static void host_output(void *ctx, bool level)
{
	assert_ptr_equal(ctx, &out_changes);
	out_changes++;
	out_level = level;
}

/* The sequence Linux's init_8259A() writes (vectors 0x30 and 0x38). */
static void linux_init(u8 master_icw4, u8 slave_icw4)
{
	pic_io_write(&pic, 0x21, 0xff);
	pic_io_write(&pic, 0xa1, 0xff);
	pic_io_write(&pic, 0x20, 0x11);
	pic_io_write(&pic, 0x21, 0x30);
	pic_io_write(&pic, 0x21, 0x04);
	pic_io_write(&pic, 0x21, master_icw4);
	pic_io_write(&pic, 0xa0, 0x11);
	pic_io_write(&pic, 0xa1, 0x38);
	pic_io_write(&pic, 0xa1, 0x02);
	pic_io_write(&pic, 0xa1, slave_icw4);
	pic_io_write(&pic, 0x21, 0x00);
	pic_io_write(&pic, 0xa1, 0x00);
}

static int setup(void **state)
{
	(void)state;
	out_changes = 0;
	out_level = false;
	pic_init(&pic, host_output, &out_changes);
	return 0;
}

static void pulse(int irq)
{
	assert_int_equal(pic_set_irq(&pic, irq, 1), 0);
	assert_int_equal(pic_set_irq(&pic, irq, 0), 0);
}

static void test_bios_state_and_icw(void **state)
{
	(void)state;
	/* pic_init leaves BIOS state: masked, vectors 0x08/0x70. */
	assert_int_equal(pic_io_read(&pic, 0x21), 0xff);
	assert_int_equal(pic_io_read(&pic, 0xa1), 0xff);
	pulse(1);
	assert_false(pic_output(&pic));
	assert_int_equal(pic_pending_vector(&pic), -1);
	pic_io_write(&pic, 0x21, 0xfd);
	assert_true(pic_output(&pic));
	assert_int_equal(out_changes, 1);
	assert_int_equal(pic_pending_vector(&pic), 0x09);

	/* ICW1 clears IMR and the latched edge request. */
	linux_init(0x01, 0x01);
	assert_int_equal(pic.chip[0].vector_base, 0x30);
	assert_int_equal(pic.chip[1].vector_base, 0x38);
	assert_int_equal(pic.chip[0].icw3, 0x04);
	assert_int_equal(pic.chip[1].icw3, 0x02);
	assert_true(pic.chip[0].x86_mode);
	assert_int_equal(pic.chip[0].init_step, 0);
	assert_false(pic_output(&pic));
	assert_int_equal(out_level, false);
	pulse(0);
	assert_int_equal(pic_ack(&pic), 0x30);
	pic_io_write(&pic, 0x20, PIC_OCW2_EOI);
	pulse(12);
	assert_int_equal(pic_ack(&pic), 0x38 + 4);
}

static void test_icw_single_no_icw4(void **state)
{
	(void)state;
	/* SNGL and no IC4: ICW2 ends the sequence, the next data write is OCW1. */
	pic_io_write(&pic, 0x20, PIC_ICW1 | PIC_ICW1_SNGL);
	pic_io_write(&pic, 0x21, 0x47);		/* low 3 bits ignored */
	assert_int_equal(pic.chip[0].init_step, 0);
	assert_false(pic.chip[0].x86_mode);
	pic_io_write(&pic, 0x21, 0xfe);
	assert_int_equal(pic_io_read(&pic, 0x21), 0xfe);
	pulse(0);
	assert_int_equal(pic_ack(&pic), 0x40);
}

static void test_masking(void **state)
{
	(void)state;
	linux_init(0x01, 0x01);
	pic_io_write(&pic, 0x21, 0x08);		/* mask IRQ3 */
	pulse(3);
	assert_false(pic_output(&pic));
	assert_int_equal(pic_io_read(&pic, 0x20), 0x08);	/* IRR still latched */
	pulse(4);
	assert_int_equal(pic_pending_vector(&pic), 0x34);
	assert_int_equal(pic_ack(&pic), 0x34);
	pic_io_write(&pic, 0x20, PIC_OCW2_EOI);
	assert_false(pic_output(&pic));
	pic_io_write(&pic, 0x21, 0x00);		/* unmask: latched IRQ3 delivered */
	assert_true(pic_output(&pic));
	assert_int_equal(pic_ack(&pic), 0x33);
	/* slave masked through the cascade input */
	pic_io_write(&pic, 0x21, 0x04);
	pulse(9);
	assert_false(pic_output(&pic));
	pic_io_write(&pic, 0x21, 0x00);
	pic_io_write(&pic, 0x20, PIC_OCW2_EOI);
	assert_int_equal(pic_ack(&pic), 0x39);
}

static void test_priority_and_eoi(void **state)
{
	(void)state;
	linux_init(0x01, 0x01);
	pulse(5);
	assert_int_equal(pic_ack(&pic), 0x35);
	pulse(6);			/* lower priority: blocked by IR5 in service */
	assert_false(pic_output(&pic));
	pulse(1);			/* higher priority: nests */
	assert_true(pic_output(&pic));
	assert_int_equal(pic_ack(&pic), 0x31);
	pic_io_write(&pic, 0x20, 0x0b);	/* OCW3: read ISR */
	assert_int_equal(pic_io_read(&pic, 0x20), 0x22);
	/* non-specific EOI clears the highest priority in service: IR1 */
	pic_io_write(&pic, 0x20, PIC_OCW2_EOI);
	assert_int_equal(pic_io_read(&pic, 0x20), 0x20);
	assert_false(pic_output(&pic));
	/* specific EOI of a level not in service changes nothing */
	pic_io_write(&pic, 0x20, PIC_OCW2_SPECIFIC_EOI | 3);
	assert_int_equal(pic_io_read(&pic, 0x20), 0x20);
	pic_io_write(&pic, 0x20, PIC_OCW2_SPECIFIC_EOI | 5);
	assert_int_equal(pic_io_read(&pic, 0x20), 0x00);
	assert_int_equal(pic_ack(&pic), 0x36);
	pic_io_write(&pic, 0x20, PIC_OCW2_NOP);
	assert_int_equal(pic_io_read(&pic, 0x20), 0x40);
}

static void test_rotation(void **state)
{
	(void)state;
	linux_init(0x01, 0x01);
	/* Set priority: IR3 lowest, so IR4 is highest. */
	pic_io_write(&pic, 0x20, PIC_OCW2_SET_PRIORITY | 3);
	pulse(3);
	pulse(4);
	assert_int_equal(pic_ack(&pic), 0x34);
	/* rotate on non-specific EOI: IR4 becomes lowest, IR5 highest */
	pic_io_write(&pic, 0x20, PIC_OCW2_ROTATE_EOI);
	assert_int_equal(pic.chip[0].priority_add, 5);
	pulse(7);
	assert_int_equal(pic_ack(&pic), 0x37);	/* IR7 above IR3 now */
	pic_io_write(&pic, 0x20, PIC_OCW2_ROTATE_SPECIFIC_EOI | 7);
	assert_int_equal(pic.chip[0].priority_add, 0);
	assert_int_equal(pic_ack(&pic), 0x33);
	pic_io_write(&pic, 0x20, PIC_OCW2_EOI);
	assert_int_equal(pic.chip[0].isr, 0);
}

static void test_aeoi(void **state)
{
	(void)state;
	linux_init(PIC_ICW4_8086 | PIC_ICW4_AEOI, 0x01);
	pulse(3);
	assert_int_equal(pic_ack(&pic), 0x33);
	pic_io_write(&pic, 0x20, 0x0b);
	assert_int_equal(pic_io_read(&pic, 0x20), 0x00);	/* nothing in service */
	pulse(4);			/* lower priority is not blocked */
	assert_int_equal(pic_ack(&pic), 0x34);
	/* rotate in AEOI mode */
	pic_io_write(&pic, 0x20, PIC_OCW2_ROTATE_AEOI_SET);
	pulse(2 + 3);
	assert_int_equal(pic_ack(&pic), 0x35);
	assert_int_equal(pic.chip[0].priority_add, 6);
	pic_io_write(&pic, 0x20, PIC_OCW2_ROTATE_AEOI_CLEAR);
	pulse(0);
	assert_int_equal(pic_ack(&pic), 0x30);
	assert_int_equal(pic.chip[0].priority_add, 6);
}

static void test_cascade(void **state)
{
	(void)state;
	linux_init(0x01, 0x01);
	pulse(10);
	assert_true(pic_output(&pic));
	assert_int_equal(pic_io_read(&pic, 0x20), 0x04);	/* master IRR: IR2 */
	assert_int_equal(pic_io_read(&pic, 0xa0), 0x04);	/* slave IRR: IR2 (=10) */
	assert_int_equal(pic_pending_vector(&pic), 0x3a);
	assert_int_equal(pic_ack(&pic), 0x3a);
	assert_false(pic_output(&pic));
	pic_io_write(&pic, 0xa0, 0x0b);
	pic_io_write(&pic, 0x20, 0x0b);
	assert_int_equal(pic_io_read(&pic, 0xa0), 0x04);
	assert_int_equal(pic_io_read(&pic, 0x20), 0x04);
	/* a master IRQ of lower priority than IR2 waits; IRQ1 nests */
	pulse(3);
	assert_false(pic_output(&pic));
	pulse(1);
	assert_int_equal(pic_ack(&pic), 0x31);
	pic_io_write(&pic, 0x20, PIC_OCW2_EOI);
	/* another slave IRQ waits until the master EOIs IR2 */
	pulse(8);
	assert_false(pic_output(&pic));
	pic_io_write(&pic, 0xa0, PIC_OCW2_EOI);
	assert_false(pic_output(&pic));
	pic_io_write(&pic, 0x20, PIC_OCW2_EOI);
	assert_true(pic_output(&pic));
	assert_int_equal(pic_ack(&pic), 0x38);
	pic_io_write(&pic, 0xa0, PIC_OCW2_EOI);
	pic_io_write(&pic, 0x20, PIC_OCW2_EOI);
	assert_int_equal(pic_ack(&pic), 0x33);
}

static void test_cascade_slave_aeoi_keeps_request(void **state)
{
	(void)state;
	linux_init(PIC_ICW4_8086 | PIC_ICW4_AEOI, PIC_ICW4_8086 | PIC_ICW4_AEOI);
	pulse(9);
	pulse(11);
	assert_int_equal(pic_ack(&pic), 0x39);
	/* the slave still requests IR3: master IR2 must raise again */
	assert_true(pic_output(&pic));
	assert_int_equal(pic_ack(&pic), 0x3b);
	assert_false(pic_output(&pic));
}

static void test_elcr_level(void **state)
{
	(void)state;
	linux_init(0x01, 0x01);
	/* IRQ 0, 1, 2, 8, 13 cannot be level triggered */
	pic_io_write(&pic, 0x4d0, 0xff);
	pic_io_write(&pic, 0x4d1, 0xff);
	assert_int_equal(pic_io_read(&pic, 0x4d0), 0xf8);
	assert_int_equal(pic_io_read(&pic, 0x4d1), 0xde);
	pic_io_write(&pic, 0x4d0, 0x20);	/* IRQ5 level */
	pic_io_write(&pic, 0x4d1, 0x08);	/* IRQ11 level */
	assert_int_equal(pic_set_irq(&pic, 5, 1), 0);
	assert_int_equal(pic_ack(&pic), 0x35);
	pic_io_write(&pic, 0x20, PIC_OCW2_EOI);
	/* still asserted: requests again after EOI */
	assert_true(pic_output(&pic));
	assert_int_equal(pic_ack(&pic), 0x35);
	assert_int_equal(pic_set_irq(&pic, 5, 0), 0);	/* device deasserts */
	pic_io_write(&pic, 0x20, PIC_OCW2_EOI);
	assert_false(pic_output(&pic));
	/* level on the slave, through the cascade */
	assert_int_equal(pic_set_irq(&pic, 11, 1), 0);
	assert_int_equal(pic_ack(&pic), 0x3b);
	pic_io_write(&pic, 0xa0, PIC_OCW2_EOI);
	pic_io_write(&pic, 0x20, PIC_OCW2_EOI);
	assert_int_equal(pic_ack(&pic), 0x3b);
	/* deassert before INTA: the request disappears (no latch) */
	pic_io_write(&pic, 0xa0, PIC_OCW2_EOI);
	pic_io_write(&pic, 0x20, PIC_OCW2_EOI);
	assert_true(pic_output(&pic));
	assert_int_equal(pic_set_irq(&pic, 11, 0), 0);
	assert_false(pic_output(&pic));
	/* an edge line holding high does not re-request after EOI */
	assert_int_equal(pic_set_irq(&pic, 4, 1), 0);
	assert_int_equal(pic_ack(&pic), 0x34);
	pic_io_write(&pic, 0x20, PIC_OCW2_EOI);
	assert_false(pic_output(&pic));
	assert_int_equal(pic_set_irq(&pic, 4, 1), 0);	/* no new edge */
	assert_false(pic_output(&pic));
	/* LTIM is ignored: the ELCR decides (PIIX). */
	pic_io_write(&pic, 0x20, PIC_ICW1 | PIC_ICW1_IC4 | PIC_ICW1_LTIM);
	pic_io_write(&pic, 0x21, 0x30);
	pic_io_write(&pic, 0x21, 0x04);
	pic_io_write(&pic, 0x21, 0x01);
	assert_true(pic.chip[0].ltim);
	pulse(3);
	assert_int_equal(pic_ack(&pic), 0x33);
	pic_io_write(&pic, 0x20, PIC_OCW2_EOI);
	assert_false(pic_output(&pic));
}

static void test_icw1_keeps_level_requests(void **state)
{
	(void)state;
	linux_init(0x01, 0x01);
	pic_io_write(&pic, 0x4d0, 0x40);	/* IRQ6 level */
	pic_io_write(&pic, 0x21, 0xff);
	assert_int_equal(pic_set_irq(&pic, 6, 1), 0);
	assert_int_equal(pic_set_irq(&pic, 5, 1), 0);	/* edge, held high */
	/* re-initialization resets edge latches; an asserted level line still requests */
	linux_init(0x01, 0x01);
	assert_int_equal(pic_io_read(&pic, 0x20), 0x40);
	assert_int_equal(pic_ack(&pic), 0x36);
}

static void test_spurious(void **state)
{
	(void)state;
	linux_init(0x01, 0x01);
	assert_int_equal(pic_ack(&pic), 0x37);
	pic_io_write(&pic, 0x20, 0x0b);
	assert_int_equal(pic_io_read(&pic, 0x20), 0x00);	/* no ISR bit for spurious */
	/* slave loses its request between raising IR2 and INTA: IRQ15 */
	pulse(12);
	assert_true(pic_output(&pic));
	pic.chip[1].irr = 0;		/* as if the line glitched away */
	assert_int_equal(pic_pending_vector(&pic), 0x3f);
	assert_int_equal(pic_ack(&pic), 0x3f);
	pic_io_write(&pic, 0xa0, 0x0b);
	assert_int_equal(pic_io_read(&pic, 0xa0), 0x00);
	assert_int_equal(pic_io_read(&pic, 0x20), 0x04);	/* master IR2 in service */
}

static void test_ocw3_poll_and_smm(void **state)
{
	(void)state;
	linux_init(0x01, 0x01);
	pulse(6);
	pulse(3);
	/* OCW3 IRR/ISR select persists across reads */
	pic_io_write(&pic, 0x20, 0x0a);
	assert_int_equal(pic_io_read(&pic, 0x20), 0x48);
	assert_int_equal(pic_io_read(&pic, 0x20), 0x48);
	/* poll: the read acknowledges */
	pic_io_write(&pic, 0x20, 0x0c);
	assert_int_equal(pic_io_read(&pic, 0x20), 0x83);
	pic_io_write(&pic, 0x20, 0x0b);
	assert_int_equal(pic_io_read(&pic, 0x20), 0x08);
	/* special mask mode: masking in-service IR3 lets IR6 through */
	assert_false(pic_output(&pic));
	pic_io_write(&pic, 0x21, 0x08);
	assert_false(pic_output(&pic));
	pic_io_write(&pic, 0x20, 0x68);
	assert_true(pic_output(&pic));
	assert_int_equal(pic_ack(&pic), 0x36);
	pic_io_write(&pic, 0x20, 0x48);		/* clear SMM */
	pic_io_write(&pic, 0x20, 0x0c);
	assert_int_equal(pic_io_read(&pic, 0x20), 0x00);	/* nothing to poll */
	/* unknown ports and bad IRQs */
	assert_int_equal(pic_io_read(&pic, 0x22), 0xff);
	assert_int_equal(pic_set_irq(&pic, 2, 1), -EINVAL);
	assert_int_equal(pic_set_irq(&pic, 16, 1), -EINVAL);
	assert_int_equal(pic_set_irq(&pic, -1, 1), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_bios_state_and_icw, setup),
		cmocka_unit_test_setup(test_icw_single_no_icw4, setup),
		cmocka_unit_test_setup(test_masking, setup),
		cmocka_unit_test_setup(test_priority_and_eoi, setup),
		cmocka_unit_test_setup(test_rotation, setup),
		cmocka_unit_test_setup(test_aeoi, setup),
		cmocka_unit_test_setup(test_cascade, setup),
		cmocka_unit_test_setup(test_cascade_slave_aeoi_keeps_request, setup),
		cmocka_unit_test_setup(test_elcr_level, setup),
		cmocka_unit_test_setup(test_icw1_keeps_level_requests, setup),
		cmocka_unit_test_setup(test_spurious, setup),
		cmocka_unit_test_setup(test_ocw3_poll_and_smm, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
