/* SPDX-License-Identifier: GPL-2.0 */
/*
 * EPT: second-level translation of guest-physical to host-physical
 * addresses, built over userspace-backed memory slots. Owned by kmod/ept/.
 */
#ifndef _VTX_EPT_H
#define _VTX_EPT_H

#include <linux/types.h>

struct vtx_vm;
struct vtx_vcpu;

struct ept {
	u64 *pml4;		/* root table, one page */
	u64 eptp;		/* value for the VMCS EPT pointer field */
};

int ept_init(struct ept *ept);
/* Frees every table and releases every guest page. */
void ept_destroy(struct ept *ept);
/* Drop mappings of [gpa, gpa + size) and flush; used when a slot changes. */
void ept_unmap_range(struct vtx_vm *vm, u64 gpa, u64 size);
/*
 * EPT violation at @gpa: map it from its slot (0), or report that it is
 * MMIO (1: no slot, or a write to a read-only slot); <0 on error.
 */
int ept_handle_violation(struct vtx_vcpu *vcpu, u64 gpa, u64 qual);

/* VPIDs tag each vCPU's TLB entries; 0 is the host's. */
int vpid_alloc(void);
void vpid_free(int vpid);

#endif /* _VTX_EPT_H */
