/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hello32.elf entry: vmctl starts it in 32-bit protected mode, paging off,
 * flat segments, ESP = 0x80000.
 */
	.code32
#include "start.inc"
