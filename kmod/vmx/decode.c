// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO instruction decoder (SDM vol 2A chapter 2: instruction format,
 * Tables 2-1 to 2-3 for ModRM/SIB, 2.2.1 for REX). Only the MOV family a
 * guest uses for device registers; anything else is reported as
 * undecodable and surfaces as VTX_INTERNAL_EMULATION.
 */
#include "ktypes.h"
#include "vmx/decode.h"

struct decoder {
	const u8 *p;
	size_t len;
	size_t pos;
};

static int next_byte(struct decoder *dc, u8 *b)
{
	if (dc->pos >= dc->len)
		return -ENODATA;
	if (dc->pos >= VMX_INSN_MAX_LEN)
		return -EINVAL;
	*b = dc->p[dc->pos++];
	return 0;
}

/* Little-endian immediate or displacement of @n bytes. */
static int next_bytes(struct decoder *dc, unsigned int n, u64 *val)
{
	u64 v = 0;
	unsigned int i;
	u8 b;
	int ret;

	for (i = 0; i < n; i++) {
		ret = next_byte(dc, &b);
		if (ret)
			return ret;
		v |= (u64)b << (8 * i);
	}
	*val = v;
	return 0;
}

/* Skip SIB and displacement after a memory ModRM; -EINVAL for a register operand. */
static int skip_modrm_mem(struct decoder *dc, u8 modrm, unsigned int addr_size)
{
	unsigned int mod = modrm >> 6, rm = modrm & 7, disp = 0;
	u64 ignored;
	u8 sib;
	int ret;

	if (mod == 3)
		return -EINVAL;
	if (addr_size == 2) {
		/* 16-bit forms: [disp16] at mod 0 rm 6, no SIB. */
		if (mod == 1)
			disp = 1;
		else if (mod == 2 || (mod == 0 && rm == 6))
			disp = 2;
	} else {
		if (rm == 4) {
			ret = next_byte(dc, &sib);
			if (ret)
				return ret;
			if (mod == 0 && (sib & 7) == 5)
				disp = 4;
		}
		if (mod == 0 && rm == 5)
			disp = 4;	/* disp32, RIP-relative in 64-bit mode */
		else if (mod == 1)
			disp = 1;
		else if (mod == 2)
			disp = 4;
	}
	return next_bytes(dc, disp, &ignored);
}

/*
 * ModRM with a memory operand: consume it (and SIB/displacement) and
 * return its reg field extended by REX.R.
 */
static int next_modrm_mem(struct decoder *dc, unsigned int addr_size, u8 rex, u8 *reg)
{
	u8 modrm;
	int ret = next_byte(dc, &modrm);

	if (ret)
		return ret;
	*reg = ((modrm >> 3) & 7) | ((rex & 4) ? 8 : 0);
	return skip_modrm_mem(dc, modrm, addr_size);
}

static u64 sign_extend(u64 v, unsigned int from_bytes)
{
	unsigned int shift = 64 - 8 * from_bytes;

	return from_bytes >= 8 ? v : (u64)((s64)(v << shift) >> shift);
}

int vmx_decode_mmio(const u8 *insn, size_t len, enum vmx_cpu_mode mode,
		    struct vmx_mmio_insn *out)
{
	struct decoder dc = { .p = insn, .len = len };
	unsigned int opsize, addr_size = mode, rex = 0;
	bool opsize_prefix = false, addr_prefix = false;
	u8 op, reg = 0, seg = VMX_SEG_DS;
	u64 imm = 0;
	int ret;

	if (!insn || !out || (mode != VMX_MODE_16 && mode != VMX_MODE_32 && mode != VMX_MODE_64))
		return -EINVAL;
	memset(out, 0, sizeof(*out));

	/* Legacy prefixes in any order; REX only counts right before the opcode. */
	for (;;) {
		ret = next_byte(&dc, &op);
		if (ret)
			return ret;
		if (mode == VMX_MODE_64 && (op & 0xf0) == 0x40) {
			rex = op;
			continue;
		}
		switch (op) {
		case 0x66:
			opsize_prefix = true;
			break;
		case 0x67:
			addr_prefix = true;
			break;
		case 0x26:
		case 0x2e:
		case 0x36:
		case 0x3e:
			seg = (op >> 3) & 3;	/* ES, CS, SS, DS */
			break;
		case 0x64:
		case 0x65:
			seg = VMX_SEG_FS + (op & 1);
			break;
		case 0xf0:	/* LOCK, REPNE, REP: no effect on a MOV */
		case 0xf2:
		case 0xf3:
			break;
		default:
			goto opcode;
		}
		rex = 0;	/* a REX followed by a legacy prefix is ignored */
	}
opcode:
	if (mode == VMX_MODE_64) {
		opsize = (rex & 8) ? 8 : (opsize_prefix ? 2 : 4);
		addr_size = addr_prefix ? 4 : 8;
	} else {
		opsize = (mode == VMX_MODE_32) != opsize_prefix ? 4 : 2;
		addr_size = (mode == VMX_MODE_32) != addr_prefix ? 4 : 2;
	}
	out->addr_size = addr_size;
	out->seg = seg;

	switch (op) {
	case 0x88: case 0x89: case 0x8a: case 0x8b:
		ret = next_modrm_mem(&dc, addr_size, rex, &reg);
		if (ret)
			return ret;
		out->size = (op & 1) ? opsize : 1;
		out->is_write = !(op & 2);
		out->reg = reg;
		break;
	case 0xc6: case 0xc7:
		ret = next_modrm_mem(&dc, addr_size, rex, &reg);
		if (ret)
			return ret;
		if (reg & 7)	/* only /0 is MOV */
			return -EINVAL;
		out->size = (op & 1) ? opsize : 1;
		/* imm16 or imm32; with REX.W the imm32 is sign extended. */
		ret = next_bytes(&dc, out->size > 4 ? 4 : out->size, &imm);
		if (ret)
			return ret;
		out->is_write = 1;
		out->has_imm = 1;
		out->imm = out->size == 8 ? sign_extend(imm, 4) : imm;
		break;
	case 0xa0: case 0xa1: case 0xa2: case 0xa3:
		/* moffs: an address-size offset, accumulator operand. */
		ret = next_bytes(&dc, addr_size, &imm);
		if (ret)
			return ret;
		out->size = (op & 1) ? opsize : 1;
		out->is_write = (op & 2) != 0;
		out->reg = 0;
		break;
	case 0x63:
		/* MOVSXD r, r/m32 (64-bit mode only; elsewhere 0x63 is ARPL). */
		if (mode != VMX_MODE_64)
			return -EINVAL;
		ret = next_modrm_mem(&dc, addr_size, rex, &reg);
		if (ret)
			return ret;
		out->size = opsize == 8 ? 4 : opsize;
		out->dst_size = opsize;
		out->sign_extend = opsize == 8;
		out->reg = reg;
		break;
	case 0x0f:
		ret = next_byte(&dc, &op);
		if (ret)
			return ret;
		if (op != 0xb6 && op != 0xb7 && op != 0xbe && op != 0xbf)
			return -EINVAL;
		ret = next_modrm_mem(&dc, addr_size, rex, &reg);
		if (ret)
			return ret;
		out->size = (op & 1) ? 2 : 1;
		out->dst_size = opsize;
		out->sign_extend = op >= 0xbe;
		out->reg = reg;
		break;
	default:
		return -EINVAL;
	}

	/* Byte registers 4-7 without any REX are AH, CH, DH, BH. */
	if (out->size == 1 && !out->dst_size && !out->has_imm && !rex && out->reg >= 4) {
		out->high_byte = 1;
		out->reg -= 4;
	}
	if (!out->is_write && !out->dst_size)
		out->dst_size = out->size;
	out->len = (u8)dc.pos;
	return 0;
}

static u64 size_mask(unsigned int bytes)
{
	return bytes >= 8 ? ~0ULL : (1ULL << (8 * bytes)) - 1;
}

u64 vmx_mmio_write_value(const struct vmx_mmio_insn *d, u64 reg_value)
{
	if (d->has_imm)
		return d->imm & size_mask(d->size);
	if (d->high_byte)
		return (reg_value >> 8) & 0xff;
	return reg_value & size_mask(d->size);
}

u64 vmx_mmio_read_result(const struct vmx_mmio_insn *d, u64 old_reg, u64 data)
{
	u64 v = data & size_mask(d->size);
	unsigned int dst = d->dst_size ? d->dst_size : d->size;

	if (d->sign_extend)
		v = sign_extend(v, d->size) & size_mask(dst);
	if (d->high_byte)
		return (old_reg & ~0xff00ULL) | (v << 8);
	/* 32-bit destinations zero the upper half (SDM vol 1 3.4.1.1). */
	if (dst >= 4)
		return v;
	return (old_reg & ~size_mask(dst)) | v;
}
