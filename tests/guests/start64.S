/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hello64.elf entry: vmctl starts it in 64-bit long mode on identity page
 * tables, RSP = 0x80000 (16-byte aligned).
 */
	.code64
#include "start.inc"
