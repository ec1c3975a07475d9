// SPDX-License-Identifier: GPL-2.0
/*
 * Port I/O exits (every port is set in the I/O bitmaps, SDM 24.6.4): the
 * access goes to the userspace device model through the run page.
 * OUT/OUTS complete before returning to userspace; IN/INS complete on the
 * next VTX_RUN, when userspace has put the data in the run page.
 */
#include <linux/kernel.h>
#include <asm/processor-flags.h>

#include "vmx/internal.h"
#include "irq/irqchip.h"

/* Exit qualification for I/O instructions (SDM 27.2.1 Table 27-5). */
#define IO_QUAL_SIZE(q)		(((q) & 7) + 1)
#define IO_QUAL_IN(q)		(((q) >> 3) & 1)
#define IO_QUAL_STRING(q)	(((q) >> 4) & 1)
#define IO_QUAL_REP(q)		(((q) >> 5) & 1)
#define IO_QUAL_PORT(q)		(((q) >> 16) & 0xffff)
/* VM-exit instruction information for INS/OUTS (SDM 27.2.5 Table 27-8). */
#define IO_INFO_ADDR_SIZE(i)	(2u << (((i) >> 7) & 7))

static void *vmx_io_data(struct vtx_vcpu *vcpu)
{
	return (u8 *)vcpu->run + VTX_RUN_IO_DATA_OFFSET;
}

/* IN AL/AX keeps the rest of RAX; IN EAX zero-extends (SDM vol 1 3.4.1.1). */
static void vmx_io_in_to_rax(struct vtx_vcpu *vcpu, u8 size, u32 data)
{
	unsigned long *rax = &vcpu->vmx.regs[VMX_RAX];
	u32 mask = size == 4 ? ~0u : BIT(8 * size) - 1;

	*rax = size == 4 ? data : (*rax & ~(unsigned long)mask) | (data & mask);
}

static unsigned long addr_mask(unsigned int addr_size)
{
	return addr_size == 8 ? ~0UL : (1UL << (8 * addr_size)) - 1;
}

/* Write an address-sized register: 16-bit keeps the upper bits, 32-bit clears them. */
static void reg_write_sized(struct vtx_vcpu *vcpu, unsigned int reg, unsigned long val,
			    unsigned int addr_size)
{
	unsigned long old = vmx_reg_read(vcpu, reg);

	if (addr_size == 2)
		val = (old & ~0xffffUL) | (val & 0xffff);
	else if (addr_size == 4)
		val = (u32)val;
	vmx_reg_write(vcpu, reg, val);
}

static void vmx_io_to_user(struct vtx_vcpu *vcpu, u8 dir, u8 size, u16 port, u32 count)
{
	struct vtx_run *run = vcpu->run;

	run->exit_reason = VTX_EXIT_IO;
	run->io.direction = dir;
	run->io.size = size;
	run->io.port = port;
	run->io.count = count;
	run->io.data_offset = VTX_RUN_IO_DATA_OFFSET;
}

/*
 * After @n items of a string instruction: move RSI/RDI, count RCX down and
 * step over the instruction unless a REP has items left, in which case the
 * guest re-executes it and exits again (SDM vol 2B REP).
 */
static void vmx_string_done(struct vtx_vcpu *vcpu, unsigned int index_reg, u32 n, u8 size,
			    unsigned int addr_size, bool rep, u32 insn_len)
{
	long step = (long)n * size;
	unsigned long rcx;

	if (vmcs_read(GUEST_RFLAGS) & X86_EFLAGS_DF)
		step = -step;
	reg_write_sized(vcpu, index_reg, vmx_reg_read(vcpu, index_reg) + step, addr_size);
	if (rep) {
		rcx = (vmx_reg_read(vcpu, VMX_RCX) & addr_mask(addr_size)) - n;
		reg_write_sized(vcpu, VMX_RCX, rcx, addr_size);
		if (rcx & addr_mask(addr_size))
			return;
	}
	vmx_advance_rip(vcpu, insn_len);
}

static int vmx_handle_string_io(struct vtx_vcpu *vcpu, unsigned long q, u8 size, u16 port)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	unsigned int addr_size = IO_INFO_ADDR_SIZE(vmcs_read32(VMX_INSTRUCTION_INFO));
	u32 insn_len = vmcs_read32(VM_EXIT_INSTRUCTION_LEN);
	u64 gva = vmcs_read(GUEST_LINEAR_ADDRESS);
	bool rep = IO_QUAL_REP(q), down = vmcs_read(GUEST_RFLAGS) & X86_EFLAGS_DF;
	u64 count = 1;
	u32 n;
	int err;

	if (addr_size > 8)
		return vmx_exit_internal(vcpu, VTX_INTERNAL_EMULATION, 1, (u64[]){ q });
	if (rep) {
		count = vmx_reg_read(vcpu, VMX_RCX) & addr_mask(addr_size);
		if (!count) {
			vmx_advance_rip(vcpu, insn_len);
			return VMX_RESUME;
		}
	}
	/* As much as the run page holds; one item at a time going down. */
	n = down ? 1 : (u32)min_t(u64, count, VTX_RUN_IO_DATA_SIZE / size);

	if (IO_QUAL_IN(q)) {
		vmx->pending = (struct vmx_pending){
			.kind = VMX_PENDING_INS, .size = size, .addr_size = addr_size,
			.rep = rep, .count = n, .insn_len = insn_len, .gva = gva,
		};
		vmx_io_to_user(vcpu, VTX_IO_IN, size, port, n);
		return VMX_TO_USER;
	}
	err = vmx_read_guest_virt(vcpu, gva, vmx_io_data(vcpu), (size_t)n * size);
	if (err == VMX_GVA_PF_INJECTED)
		return VMX_RESUME;
	if (err)
		return vmx_exit_internal(vcpu, VTX_INTERNAL_EMULATION, 2, (u64[]){ q, gva });
	vmx_string_done(vcpu, VMX_RSI, n, size, addr_size, rep, insn_len);
	vmx_io_to_user(vcpu, VTX_IO_OUT, size, port, n);
	return VMX_TO_USER;
}

/*
 * PIC, PIT and port 0x61 in the in-kernel irqchip. True if the irqchip
 * completed the access (IN merged into RAX like vmx_complete_io(), the
 * instruction skipped), false if the port is not the irqchip's.
 */
static bool vmx_io_in_kernel(struct vtx_vcpu *vcpu, bool in, u8 size, u16 port)
{
	u32 val = in ? 0 : (u32)vcpu->vmx.regs[VMX_RAX];

	if (irqchip_pio(vcpu, port, in, size, &val) != IRQCHIP_HANDLED)
		return false;
	if (in)
		vmx_io_in_to_rax(vcpu, size, val);
	else
		vmx_events_recheck(vcpu);	/* a PIC EOI or unmask */
	vmx_skip_insn(vcpu);
	return true;
}

int vmx_handle_io(struct vtx_vcpu *vcpu)
{
	unsigned long q = vmcs_read(EXIT_QUALIFICATION);
	u8 size = IO_QUAL_SIZE(q);
	u16 port = IO_QUAL_PORT(q);
	u64 rax;

	if (size != 1 && size != 2 && size != 4)
		return vmx_exit_internal(vcpu, VTX_INTERNAL_EMULATION, 1, (u64[]){ q });
	if (IO_QUAL_STRING(q))
		return vmx_handle_string_io(vcpu, q, size, port);
	if (vmx_io_in_kernel(vcpu, IO_QUAL_IN(q), size, port))
		return VMX_RESUME;

	if (IO_QUAL_IN(q)) {
		vcpu->vmx.pending = (struct vmx_pending){
			.kind = VMX_PENDING_IN, .size = size,
			.insn_len = vmcs_read32(VM_EXIT_INSTRUCTION_LEN),
		};
		vmx_io_to_user(vcpu, VTX_IO_IN, size, port, 1);
		return VMX_TO_USER;
	}
	rax = vcpu->vmx.regs[VMX_RAX];
	memcpy(vmx_io_data(vcpu), &rax, size);
	vmx_skip_insn(vcpu);
	vmx_io_to_user(vcpu, VTX_IO_OUT, size, port, 1);
	return VMX_TO_USER;
}

/* Next VTX_RUN after an IN/INS exit: the data userspace left in the run page. */
int vmx_complete_io(struct vtx_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = &vcpu->vmx;
	struct vmx_pending p = vmx->pending;
	u32 data = 0;
	int err;

	vmx->pending.kind = VMX_PENDING_NONE;
	if (p.kind == VMX_PENDING_IN) {
		memcpy(&data, vmx_io_data(vcpu), p.size);
		vmx_io_in_to_rax(vcpu, p.size, data);
		vmx_advance_rip(vcpu, p.insn_len);
		return 0;
	}
	err = vmx_write_guest_virt(vcpu, p.gva, vmx_io_data(vcpu), (size_t)p.count * p.size);
	if (err == VMX_GVA_PF_INJECTED)
		return 0;	/* the guest retries the INS */
	if (err)
		return err;
	vmx_string_done(vcpu, VMX_RDI, p.count, p.size, p.addr_size, p.rep, p.insn_len);
	return 0;
}
