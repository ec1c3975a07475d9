/* SPDX-License-Identifier: GPL-2.0 */
/* `vmctl info` output formatting: pure, unit-tested (test_vmctl_info.c). */
#ifndef _VMCTL_INFO_FMT_H
#define _VMCTL_INFO_FMT_H

#include "vmctl.h"

/* Name of capability MSR 0x480 + @idx ("IA32_VMX_BASIC"...), NULL if out of range. */
const char *info_msr_name(unsigned int idx);
/* Name of VTX_FEAT_* bit @bit; never NULL ("bitN" for an unnamed bit). */
const char *info_feature_name(unsigned int bit, char *buf, size_t len);

void info_json_string(FILE *f, const char *s);
void info_print_text(FILE *f, const struct vtx_caps *caps, int api_version);
void info_print_json(FILE *f, const struct vtx_caps *caps, int api_version);

#endif /* _VMCTL_INFO_FMT_H */
