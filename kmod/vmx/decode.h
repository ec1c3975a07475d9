/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoder for the instructions a guest uses to touch MMIO: MOV between
 * register and memory, MOV immediate to memory, MOVZX/MOVSX from memory
 * and MOV with a memory offset. Kernel and userspace (tests/unit).
 */
#ifndef _VTX_VMX_DECODE_H
#define _VTX_VMX_DECODE_H

#include "ktypes.h"

#define VMX_INSN_MAX_LEN	15

/* Default operand/address size of the code segment. */
enum vmx_cpu_mode {
	VMX_MODE_16 = 2,	/* real mode, or CS.D = 0 */
	VMX_MODE_32 = 4,	/* CS.D = 1 */
	VMX_MODE_64 = 8,	/* IA-32e mode with CS.L = 1 */
};

/* Segment register numbers as in the SDM's Sreg encoding. */
enum vmx_seg { VMX_SEG_ES, VMX_SEG_CS, VMX_SEG_SS, VMX_SEG_DS, VMX_SEG_FS, VMX_SEG_GS };

struct vmx_mmio_insn {
	u8 len;			/* instruction length in bytes */
	u8 size;		/* memory access size: 1, 2, 4 or 8 */
	u8 is_write;		/* 1: register/immediate -> memory */
	u8 has_imm;		/* write of @imm rather than of register @reg */
	u8 reg;			/* GPR number 0-15 (source or destination) */
	u8 high_byte;		/* @reg is AH/CH/DH/BH: bits 15:8 of GPR reg */
	u8 dst_size;		/* read: destination register width */
	u8 sign_extend;		/* read: MOVSX (else zero extend when wider) */
	u8 seg;			/* enum vmx_seg used for the access */
	u8 addr_size;		/* 2, 4 or 8 */
	u64 imm;		/* immediate, already sign extended to @size */
};

/*
 * Decode @len bytes at @insn in @mode. 0 on success, -EINVAL when the
 * instruction is not one of the supported forms (or has a register
 * operand where memory is needed), -ENODATA when @len is too short.
 */
int vmx_decode_mmio(const u8 *insn, size_t len, enum vmx_cpu_mode mode,
		    struct vmx_mmio_insn *out);

/* The bytes a write stores, taken from the source GPR's value. */
u64 vmx_mmio_write_value(const struct vmx_mmio_insn *d, u64 reg_value);

/* The destination GPR's new value after a read returned @data. */
u64 vmx_mmio_read_result(const struct vmx_mmio_insn *d, u64 old_reg, u64 data);

#endif /* _VTX_VMX_DECODE_H */
