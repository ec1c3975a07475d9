// SPDX-License-Identifier: GPL-2.0
/*
 * `vmctl info` formatting of struct vtx_caps, as text and as one JSON
 * object. Feature names come from kmod/vmx/caps.c (vtx_feature_names[]), so
 * the module's log and vmctl use the same words.
 */
#include <stdio.h>
#include "info_fmt.h"
#include "vmx/caps.h"

/* SDM Vol. 3D Appendix A; index = MSR - 0x480. */
static const char *const info_msr_names[VTX_NR_VMX_MSRS] = {
	"IA32_VMX_BASIC",
	"IA32_VMX_PINBASED_CTLS",
	"IA32_VMX_PROCBASED_CTLS",
	"IA32_VMX_EXIT_CTLS",
	"IA32_VMX_ENTRY_CTLS",
	"IA32_VMX_MISC",
	"IA32_VMX_CR0_FIXED0",
	"IA32_VMX_CR0_FIXED1",
	"IA32_VMX_CR4_FIXED0",
	"IA32_VMX_CR4_FIXED1",
	"IA32_VMX_VMCS_ENUM",
	"IA32_VMX_PROCBASED_CTLS2",
	"IA32_VMX_EPT_VPID_CAP",
	"IA32_VMX_TRUE_PINBASED_CTLS",
	"IA32_VMX_TRUE_PROCBASED_CTLS",
	"IA32_VMX_TRUE_EXIT_CTLS",
	"IA32_VMX_TRUE_ENTRY_CTLS",
	"IA32_VMX_VMFUNC",
};

/* IA32_FEATURE_CONTROL bits (SDM Vol. 4, MSR 0x3a). */
#define FC_LOCKED		BIT_ULL(0)
#define FC_VMX_IN_SMX		BIT_ULL(1)
#define FC_VMX_OUTSIDE_SMX	BIT_ULL(2)

const char *info_msr_name(unsigned int idx)
{
	return idx < VTX_NR_VMX_MSRS ? info_msr_names[idx] : NULL;
}

const char *info_feature_name(unsigned int bit, char *buf, size_t len)
{
	if (bit < VTX_FEAT_NR && vtx_feature_names[bit])
		return vtx_feature_names[bit];
	snprintf(buf, len, "bit%u", bit);
	return buf;
}

/* A JSON string literal, escaped per RFC 8259 section 7. */
void info_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

void info_print_text(FILE *f, const struct vtx_caps *caps, int api_version)
{
	u64 fc = caps->feature_control;
	char buf[16];
	unsigned int i;

	fprintf(f, "api_version: %d (vmctl: %d)\n", api_version, VTX_API_VERSION);
	fprintf(f, "vmx: %s\n", (caps->flags & VTX_CAPS_VMX_ON) ? "on" : "off");
	fprintf(f, "vmx_on_cpus: %u of %u online\n", caps->vmx_on_cpus, caps->online_cpus);
	fprintf(f, "users: %u\n", caps->users);
	fprintf(f, "vmcs_revision: 0x%x\n", caps->vmcs_revision);
	fprintf(f, "feature_control: 0x%llx (locked: %s, vmx_outside_smx: %s, vmx_in_smx: %s)\n",
		(unsigned long long)fc, yes_no(fc & FC_LOCKED),
		yes_no(fc & FC_VMX_OUTSIDE_SMX), yes_no(fc & FC_VMX_IN_SMX));
	fprintf(f, "features: 0x%llx\n", (unsigned long long)caps->features);
	for (i = 0; i < VTX_FEAT_NR; i++)
		fprintf(f, "  %s: %s%s\n", info_feature_name(i, buf, sizeof(buf)),
			yes_no(caps->features & BIT_ULL(i)),
			(VTX_FEAT_REQUIRED & BIT_ULL(i)) ? " (required)" : "");
	fprintf(f, "vmx_msrs:\n");
	for (i = 0; i < VTX_NR_VMX_MSRS; i++)
		fprintf(f, "  0x%x %s: 0x%016llx\n", VTX_MSR_VMX_FIRST + i, info_msr_names[i],
			(unsigned long long)caps->vmx_msr[i]);
}

void info_print_json(FILE *f, const struct vtx_caps *caps, int api_version)
{
	char buf[16];
	unsigned int i;

	fprintf(f, "{\"api_version\":%d,\"vmctl_api_version\":%d,", api_version,
		VTX_API_VERSION);
	fprintf(f, "\"vmx_on\":%s,", (caps->flags & VTX_CAPS_VMX_ON) ? "true" : "false");
	fprintf(f, "\"vmx_on_cpus\":%u,\"online_cpus\":%u,\"users\":%u,", caps->vmx_on_cpus,
		caps->online_cpus, caps->users);
	fprintf(f, "\"vmcs_revision\":%u,", caps->vmcs_revision);
	/* 64-bit values as hex strings: JSON numbers lose precision above 2^53. */
	fprintf(f, "\"feature_control\":\"0x%llx\",",
		(unsigned long long)caps->feature_control);
	fprintf(f, "\"features_raw\":\"0x%llx\",\"features\":{",
		(unsigned long long)caps->features);
	for (i = 0; i < VTX_FEAT_NR; i++) {
		if (i)
			fputc(',', f);
		info_json_string(f, info_feature_name(i, buf, sizeof(buf)));
		fprintf(f, ":%s", (caps->features & BIT_ULL(i)) ? "true" : "false");
	}
	fputs("},\"vmx_msrs\":{", f);
	for (i = 0; i < VTX_NR_VMX_MSRS; i++) {
		if (i)
			fputc(',', f);
		info_json_string(f, info_msr_names[i]);
		fprintf(f, ":\"0x%016llx\"", (unsigned long long)caps->vmx_msr[i]);
	}
	fputs("}}\n", f);
}
