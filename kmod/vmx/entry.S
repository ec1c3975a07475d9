/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The world switch: VMLAUNCH/VMRESUME into the guest and the VM-exit
 * landing point (SDM vol 3C 26 "VM entries", 27 "VM exits").
 *
 * VM entry loads the guest's RIP/RSP/RFLAGS, segments and control
 * registers from the VMCS, but not its general-purpose registers or CR2:
 * those are loaded here from struct vmx_vcpu and saved back on exit.
 * VM exit resumes at the VMCS host RIP (vmx_vmexit) with the host RSP
 * written below, everything else in the host GPRs undefined.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/unwind_hints.h>
#include <asm/nospec-branch.h>
#include <asm/segment.h>

#include "vmx/entry.h"

/* struct vmx_vcpu layout, asserted in run.c. */
#define VMX_REG(n)	((n) * 8)
#define VMX_CR2		(16 * 8)

#define WORD_SIZE	8
#define VMCS_HOST_RSP	0x6c14	/* SDM vol 3D B.4.4 */

	.text

/*
 * VERW's operand: any valid writable data selector. With MD_CLEAR
 * microcode VERW also overwrites the CPU buffers (store, fill, load ports)
 * whatever the selector check says.
 */
	.pushsection .rodata
	.balign 2
.Lverw_sel:
	.word __KERNEL_DS
	.popsection

/*
 * int vmx_vcpu_enter(struct vmx_vcpu *vmx, unsigned int flags)
 *
 * @flags: VMX_ENTER_RESUME (VMRESUME, else VMLAUNCH), VMX_ENTER_VERW
 * (clear CPU buffers right before entering, vmx/spec_host.c).
 * Returns 0 after a VM exit, 1 if VMLAUNCH/VMRESUME failed (VMfail: the
 * guest never ran, the VM-instruction error field says why).
 * Called with interrupts disabled and the vCPU's VMCS current.
 */
SYM_FUNC_START(vmx_vcpu_enter)
	push %rbp
	mov %rsp, %rbp
	push %r15
	push %r14
	push %r13
	push %r12
	push %rbx
	/* @flags, read after the guest GPRs are loaded. */
	push %rsi
	/* @vmx, for saving guest registers after the exit. */
	push %rdi

	/* The exit lands with this RSP (SDM 27.5.1). */
	mov $VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax
	jbe .Lvmfail

	/* Guest CR2; writing CR2 is slow, so only when it differs. */
	mov VMX_CR2(%rdi), %rax
	mov %cr2, %rdx
	cmp %rax, %rdx
	je 1f
	mov %rax, %cr2
1:
	/* Guest GPRs. RDI (the base) goes last. */
	mov VMX_REG(0)(%rdi), %rax
	mov VMX_REG(1)(%rdi), %rcx
	mov VMX_REG(2)(%rdi), %rdx
	mov VMX_REG(3)(%rdi), %rbx
	mov VMX_REG(5)(%rdi), %rbp
	mov VMX_REG(6)(%rdi), %rsi
	mov VMX_REG(8)(%rdi), %r8
	mov VMX_REG(9)(%rdi), %r9
	mov VMX_REG(10)(%rdi), %r10
	mov VMX_REG(11)(%rdi), %r11
	mov VMX_REG(12)(%rdi), %r12
	mov VMX_REG(13)(%rdi), %r13
	mov VMX_REG(14)(%rdi), %r14
	mov VMX_REG(15)(%rdi), %r15
	mov VMX_REG(7)(%rdi), %rdi

	/*
	 * CF: VMRESUME, else the first entry since VMCLEAR needs VMLAUNCH
	 * (SDM 24.11.3). ZF=0: clear CPU buffers. BT leaves ZF alone and
	 * VERW changes only ZF, so both survive until the branches. VERW is
	 * the last instruction that touches memory before the guest runs
	 * (MDS, TAA, MMIO stale data: the guest must find no host data in
	 * the buffers), as in KVM's vmenter.S.
	 */
	testl $VMX_ENTER_VERW, WORD_SIZE(%rsp)
	btl $VMX_ENTER_RESUME_BIT, WORD_SIZE(%rsp)
	jz 2f
	verw .Lverw_sel(%rip)
2:
	/*
	 * A successful entry continues at vmx_vmexit (host RIP), not after
	 * the instruction: tell objtool to carry the stack state there.
	 */
	UNWIND_HINT_SAVE
	jnc .Lvmlaunch

	vmresume
	jmp .Lvmfail

.Lvmlaunch:
	vmlaunch
	jmp .Lvmfail

SYM_INNER_LABEL(vmx_vmexit, SYM_L_GLOBAL)
	UNWIND_HINT_RESTORE
	ENDBR

	/* Guest RAX to the stack, @vmx from the stack. */
	push %rax
	mov WORD_SIZE(%rsp), %rax
	pop VMX_REG(0)(%rax)
	mov %rcx, VMX_REG(1)(%rax)
	mov %rdx, VMX_REG(2)(%rax)
	mov %rbx, VMX_REG(3)(%rax)
	mov %rbp, VMX_REG(5)(%rax)
	mov %rsi, VMX_REG(6)(%rax)
	mov %rdi, VMX_REG(7)(%rax)
	mov %r8, VMX_REG(8)(%rax)
	mov %r9, VMX_REG(9)(%rax)
	mov %r10, VMX_REG(10)(%rax)
	mov %r11, VMX_REG(11)(%rax)
	mov %r12, VMX_REG(12)(%rax)
	mov %r13, VMX_REG(13)(%rax)
	mov %r14, VMX_REG(14)(%rax)
	mov %r15, VMX_REG(15)(%rax)
	mov %cr2, %rcx
	mov %rcx, VMX_CR2(%rax)

	/* The guest may have poisoned the return stack buffer. */
	FILL_RETURN_BUFFER %rcx, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT,\
			   X86_FEATURE_RSB_VMEXIT_LITE

	xor %ebx, %ebx

.Lout:
	/* Leave no guest value in caller-saved registers. */
	xor %ecx, %ecx
	xor %edx, %edx
	xor %esi, %esi
	xor %edi, %edi
	xor %r8d, %r8d
	xor %r9d, %r9d
	xor %r10d, %r10d
	xor %r11d, %r11d

	mov %ebx, %eax
	add $2 * WORD_SIZE, %rsp	/* @vmx, @flags */
	pop %rbx
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	pop %rbp
	RET

.Lvmfail:
	/* VMfail (or the HOST_RSP write failed): nothing of the guest ran. */
	mov $1, %ebx
	jmp .Lout
SYM_FUNC_END(vmx_vcpu_enter)
