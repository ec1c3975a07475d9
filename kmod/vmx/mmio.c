// SPDX-License-Identifier: GPL-2.0
/*
 * EPT violations (SDM vol 3C 28.3.3.2, exit qualification Table 27-7):
 * guest RAM is mapped on first touch by kmod/ept/; an access outside RAM
 * (or a write to a read-only slot) is MMIO. vtx decodes the guest's
 * instruction (decode.c), hands the access to userspace and, for a read,
 * finishes the instruction on the next VTX_RUN.
 */
#include <linux/kernel.h>

#include "vmx/internal.h"
#include "irq/irqchip.h"

#define EPT_QUAL_WRITE		BIT(1)
#define EPT_QUAL_FETCH		BIT(2)
#define EPT_QUAL_GLA_VALID	BIT(7)
#define EPT_QUAL_GLA_FINAL	BIT(8)	/* the access itself, not a page walk */

/* Fetch up to 15 instruction bytes at CS:RIP; fewer at the end of mapped memory. */
static int vmx_fetch_insn(struct vtx_vcpu *vcpu, u8 *buf, size_t *len)
{
	u64 rip = vmcs_read(GUEST_RIP), lin;
	size_t first;

	if (vmx_cpu_mode(vcpu) != VMX_MODE_64)
		rip = (u32)rip;
	lin = vmx_seg_base(vcpu, VMX_SEG_CS) + rip;
	if (vmx_cpu_mode(vcpu) != VMX_MODE_64)
		lin = (u32)lin;
	first = min_t(size_t, VMX_INSN_MAX_LEN, PAGE_SIZE - (lin & (PAGE_SIZE - 1)));
	if (vmx_fetch_guest_virt(vcpu, lin, buf, first))
		return -EFAULT;
	*len = first;
	if (first < VMX_INSN_MAX_LEN &&
	    !vmx_fetch_guest_virt(vcpu, lin + first, buf + first, VMX_INSN_MAX_LEN - first))
		*len = VMX_INSN_MAX_LEN;
	return 0;
}

static int vmx_mmio_emulation_failed(struct vtx_vcpu *vcpu, u64 gpa, const u8 *insn,
				     size_t len)
{
	u64 data[3] = { gpa, 0, 0 };

	memcpy(&data[1], insn, min_t(size_t, len, 2 * sizeof(u64)));
	return vmx_exit_internal(vcpu, VTX_INTERNAL_EMULATION, 3, data);
}

/*
 * Complete a decoded access in the kernel if the irqchip takes it. True if
 * done (the guest goes on without a trip to userspace), false if the
 * address is not the irqchip's.
 */
static bool vmx_mmio_in_kernel(struct vtx_vcpu *vcpu, u64 gpa, const struct vmx_mmio_insn *d)
{
	u64 val = 0;

	if (d->is_write)
		val = vmx_mmio_write_value(d, vmx_reg_read(vcpu, d->reg));
	if (irqchip_mmio(vcpu, gpa, d->is_write, d->size, &val) != IRQCHIP_HANDLED)
		return false;
	if (d->is_write) {
		/* EOI, TPR, ICR, an IOAPIC unmask: what is deliverable may have changed. */
		vmx_events_recheck(vcpu);
	} else {
		val &= d->size == 8 ? ~0ULL : BIT_ULL(8 * d->size) - 1;
		vmx_reg_write(vcpu, d->reg, vmx_mmio_read_result(d, vmx_reg_read(vcpu, d->reg),
								 val));
	}
	vmx_advance_rip(vcpu, d->len);
	return true;
}

int vmx_handle_ept_violation(struct vtx_vcpu *vcpu)
{
	struct vtx_run *run = vcpu->run;
	u64 q = vmcs_read(EXIT_QUALIFICATION);
	u64 gpa = vmcs_read(GUEST_PHYSICAL_ADDRESS);
	u8 insn[VMX_INSN_MAX_LEN] = { 0 };
	struct vmx_mmio_insn d;
	size_t len = 0;
	u64 val;
	int ret;

	ret = ept_handle_violation(vcpu, gpa, q & EPT_QUAL_WRITE);
	if (ret < 0)
		return ret;
	if (ret == EPT_MAPPED)
		return VMX_RESUME;

	/* MMIO. Not while delivering an event, fetching code or walking page tables. */
	if (vmcs_read32(IDT_VECTORING_INFO_FIELD) & VECTORING_INFO_VALID_MASK) {
		u64 data[3] = { run->hw_exit_reason, q, vmcs_read32(IDT_VECTORING_INFO_FIELD) };

		vmcs_write(VM_ENTRY_INTR_INFO_FIELD, 0);
		return vmx_exit_internal(vcpu, VTX_INTERNAL_DELIVERY_EV, 3, data);
	}
	if ((q & EPT_QUAL_FETCH) || ((q & EPT_QUAL_GLA_VALID) && !(q & EPT_QUAL_GLA_FINAL)))
		return vmx_mmio_emulation_failed(vcpu, gpa, insn, 0);
	if (vmx_fetch_insn(vcpu, insn, &len) ||
	    vmx_decode_mmio(insn, len, vmx_cpu_mode(vcpu), &d) ||
	    !!d.is_write != !!(q & EPT_QUAL_WRITE))
		return vmx_mmio_emulation_failed(vcpu, gpa, insn, len);
	if (irqchip_owns_gpa(gpa) && vmx_mmio_in_kernel(vcpu, gpa, &d))
		return VMX_RESUME;

	run->exit_reason = VTX_EXIT_MMIO;
	run->mmio.gpa = gpa;
	run->mmio.len = d.size;
	run->mmio.is_write = d.is_write;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
	if (d.is_write) {
		val = vmx_mmio_write_value(&d, vmx_reg_read(vcpu, d.reg));
		memcpy(run->mmio.data, &val, d.size);
		vmx_advance_rip(vcpu, d.len);
		return VMX_TO_USER;
	}
	vcpu->vmx.pending = (struct vmx_pending){
		.kind = VMX_PENDING_MMIO_READ, .size = d.size, .reg = d.reg,
		.sign_extend = d.sign_extend, .dst_size = d.dst_size,
		.high_byte = d.high_byte, .insn_len = d.len,
	};
	return VMX_TO_USER;
}

/* Next VTX_RUN after an MMIO read: run->mmio.data holds the value read. */
int vmx_complete_mmio(struct vtx_vcpu *vcpu)
{
	struct vmx_pending *p = &vcpu->vmx.pending;
	struct vmx_mmio_insn d = {
		.size = p->size, .reg = p->reg, .high_byte = p->high_byte,
		.dst_size = p->dst_size, .sign_extend = p->sign_extend,
	};
	u64 data = 0;

	p->kind = VMX_PENDING_NONE;
	memcpy(&data, vcpu->run->mmio.data, d.size);
	vmx_reg_write(vcpu, d.reg, vmx_mmio_read_result(&d, vmx_reg_read(vcpu, d.reg), data));
	vmx_advance_rip(vcpu, p->insn_len);
	return 0;
}
