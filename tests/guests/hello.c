// SPDX-License-Identifier: GPL-2.0
/*
 * C part of hello32.elf and hello64.elf: print on COM1, and prove the
 * loader zeroed .bss and copied .data before anyone looked.
 */
#include "serial.h"

#ifdef __x86_64__
#define HELLO_MSG	"Hello from long mode\r\n"
#else
#define HELLO_MSG	"Hello from protected mode\r\n"
#endif

static volatile unsigned int bss_word;
static volatile unsigned int data_word = 0x1234abcd;

void guest_main(void)
{
	if (bss_word != 0 || data_word != 0x1234abcd)
		serial_puts("loader error: .bss or .data wrong\r\n");
	serial_puts(HELLO_MSG);
}
