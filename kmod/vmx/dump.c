// SPDX-License-Identifier: GPL-2.0
/*
 * A readable dump of the VMCS when VM entry fails (SDM vol 3C 26.3 lists
 * the guest-state checks, 26.2 the control and host checks), so that the
 * field at fault can be spotted in the kernel log. Logged, never WARNed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>

#include "vmx/internal.h"

struct vmx_dump_field {
	const char *name;
	unsigned long field;
};

#define F(x)	{ #x, x }

static const struct vmx_dump_field vmx_dump_fields[] = {
	F(VM_INSTRUCTION_ERROR), F(VM_EXIT_REASON), F(EXIT_QUALIFICATION),
	F(PIN_BASED_VM_EXEC_CONTROL), F(CPU_BASED_VM_EXEC_CONTROL),
	F(SECONDARY_VM_EXEC_CONTROL), F(VM_EXIT_CONTROLS), F(VM_ENTRY_CONTROLS),
	F(VM_ENTRY_INTR_INFO_FIELD), F(VM_ENTRY_EXCEPTION_ERROR_CODE), F(EPT_POINTER),
	F(VIRTUAL_PROCESSOR_ID),
	F(GUEST_RIP), F(GUEST_RSP), F(GUEST_RFLAGS),
	F(GUEST_CR0), F(CR0_READ_SHADOW), F(GUEST_CR3), F(GUEST_CR4), F(CR4_READ_SHADOW),
	F(GUEST_IA32_EFER), F(GUEST_IA32_PAT), F(GUEST_DR7),
	F(GUEST_CS_SELECTOR), F(GUEST_CS_BASE), F(GUEST_CS_LIMIT), F(GUEST_CS_AR_BYTES),
	F(GUEST_SS_SELECTOR), F(GUEST_SS_BASE), F(GUEST_SS_LIMIT), F(GUEST_SS_AR_BYTES),
	F(GUEST_DS_SELECTOR), F(GUEST_DS_BASE), F(GUEST_DS_LIMIT), F(GUEST_DS_AR_BYTES),
	F(GUEST_ES_SELECTOR), F(GUEST_ES_BASE), F(GUEST_ES_LIMIT), F(GUEST_ES_AR_BYTES),
	F(GUEST_FS_SELECTOR), F(GUEST_FS_BASE), F(GUEST_FS_LIMIT), F(GUEST_FS_AR_BYTES),
	F(GUEST_GS_SELECTOR), F(GUEST_GS_BASE), F(GUEST_GS_LIMIT), F(GUEST_GS_AR_BYTES),
	F(GUEST_TR_SELECTOR), F(GUEST_TR_BASE), F(GUEST_TR_LIMIT), F(GUEST_TR_AR_BYTES),
	F(GUEST_LDTR_SELECTOR), F(GUEST_LDTR_BASE), F(GUEST_LDTR_LIMIT),
	F(GUEST_LDTR_AR_BYTES),
	F(GUEST_GDTR_BASE), F(GUEST_GDTR_LIMIT), F(GUEST_IDTR_BASE), F(GUEST_IDTR_LIMIT),
	F(GUEST_INTERRUPTIBILITY_INFO), F(GUEST_ACTIVITY_STATE),
	F(GUEST_PENDING_DBG_EXCEPTIONS), F(VMCS_LINK_POINTER),
	F(GUEST_PDPTR0), F(GUEST_PDPTR1), F(GUEST_PDPTR2), F(GUEST_PDPTR3),
	F(HOST_CR0), F(HOST_CR3), F(HOST_CR4), F(HOST_RIP), F(HOST_RSP),
	F(HOST_CS_SELECTOR), F(HOST_SS_SELECTOR), F(HOST_TR_SELECTOR),
	F(HOST_FS_BASE), F(HOST_GS_BASE), F(HOST_TR_BASE), F(HOST_GDTR_BASE),
	F(HOST_IDTR_BASE), F(HOST_IA32_EFER), F(HOST_IA32_PAT),
};

/* Userspace can make entries fail at will: a few dumps, not a flood. */
static DEFINE_RATELIMIT_STATE(vmx_dump_ratelimit, 5 * HZ, 2);

void vmx_dump_vmcs(struct vtx_vcpu *vcpu, const char *why)
{
	unsigned int i;

	if (!__ratelimit(&vmx_dump_ratelimit))
		return;
	pr_err("vCPU %u: %s; VMCS:\n", vcpu->id, why);
	for (i = 0; i < ARRAY_SIZE(vmx_dump_fields); i++)
		pr_err("  %-32s 0x%lx\n", vmx_dump_fields[i].name,
		       vmcs_read(vmx_dump_fields[i].field));
}
