// SPDX-License-Identifier: GPL-2.0
/* unit-sources: tools/vmctl/info_fmt.c kmod/vmx/caps.c */
/* `vmctl info` formatting: text lines and a JSON object checked by a parser. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <ctype.h>
#include <cmocka.h>
#include "tools/vmctl/info_fmt.h"
#include "vmx/caps.h"

/* ---- a strict little JSON (RFC 8259) validator ---- */

/* The module's API version as a string, for the expected output. */
#define STR_(x)		#x
#define STR(x)		STR_(x)
#define API_VERSION_STR	STR(VTX_API_VERSION)

static const char *json_value(const char *p, int depth);

static const char *json_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static const char *json_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)p[i]))
						return NULL;
				p += 4;
			} else if (!strchr("\"\\/bfnrt", *p) || !*p) {
				return NULL;
			}
		}
		p++;
	}
	return p + 1;
}

static const char *json_number(const char *p)
{
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (isdigit((unsigned char)*p))
		while (isdigit((unsigned char)*p))
			p++;
	else
		return NULL;
	if (*p == '.') {
		if (!isdigit((unsigned char)*++p))
			return NULL;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return p;
}

static const char *json_container(const char *p, int depth, char close, bool obj)
{
	p = json_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (obj) {
			p = json_string(p);
			if (!p)
				return NULL;
			p = json_ws(p);
			if (*p++ != ':')
				return NULL;
		}
		p = json_value(p, depth + 1);
		if (!p)
			return NULL;
		p = json_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
		p = json_ws(p);
	}
}

static const char *json_value(const char *p, int depth)
{
	if (depth > 16)
		return NULL;
	p = json_ws(p);
	switch (*p) {
	case '{':
		return json_container(p, depth, '}', true);
	case '[':
		return json_container(p, depth, ']', false);
	case '"':
		return json_string(p);
	case 't':
		return strncmp(p, "true", 4) ? NULL : p + 4;
	case 'f':
		return strncmp(p, "false", 5) ? NULL : p + 5;
	case 'n':
		return strncmp(p, "null", 4) ? NULL : p + 4;
	default:
		return json_number(p);
	}
}

static bool json_valid(const char *s)
{
	const char *p = json_value(s, 0);

	return p && *json_ws(p) == '\0';
}

/* ---- fixtures ---- */

/* The Bochs Skylake-X values from /work/shared/notes/bochs.md, plus made-up others. */
static void fill_caps(struct vtx_caps *c)
{
	unsigned int i;

	memset(c, 0, sizeof(*c));
	c->api_version = VTX_API_VERSION;
	c->flags = VTX_CAPS_VMX_ON;
	c->online_cpus = 2;
	c->vmx_on_cpus = 2;
	c->users = 1;
	c->vmcs_revision = 0x2b;
	c->feature_control = 0x5;
	c->features = VTX_FEAT_EPT | VTX_FEAT_VPID | VTX_FEAT_VMFUNC;
	for (i = 0; i < VTX_NR_VMX_MSRS; i++)
		c->vmx_msr[i] = 0x1111111111111111ULL * (i % 15 + 1);
	c->vmx_msr[0] = 0x00d810000000002bULL;
}

static char *capture(void (*fn)(FILE *, const struct vtx_caps *, int),
		     const struct vtx_caps *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, c, c->api_version);
	fclose(f);
	return buf;
}

/* @needle occurs in @out; a failure names it. */
static void assert_has(const char *out, const char *needle)
{
	if (!strstr(out, needle))
		fail_msg("\"%s\" missing from:\n%s", needle, out);
}

/* Each of @needles (NULL-terminated) occurs in @out. */
static void assert_has_all(const char *out, const char *const *needles)
{
	for (; *needles; needles++)
		assert_has(out, *needles);
}

/* Every feature occurs in @out as @fmt of its name and @yes or @no. */
static void assert_has_features(const char *out, const struct vtx_caps *c, const char *fmt,
				const char *yes, const char *no)
{
	char needle[128];
	unsigned int i;

	for (i = 0; i < VTX_FEAT_NR; i++) {
		snprintf(needle, sizeof(needle), fmt, vtx_feature_names[i],
			 (c->features & BIT_ULL(i)) ? yes : no);
		assert_has(out, needle);
	}
}

/* ---- tests ---- */

static void test_validator_rejects(void **state)
{
	(void)state;
	assert_true(json_valid("{\"a\":[1,true,null,\"x\\n\"],\"b\":{}}"));
	assert_false(json_valid("{\"a\":1,}"));
	assert_false(json_valid("{\"a\" 1}"));
	assert_false(json_valid("{\"a\":\"\x01\"}"));
	assert_false(json_valid("{\"a\":01}"));
	assert_false(json_valid("{} x"));
}

static void test_json_valid_and_complete(void **state)
{
	static const char *const needles[] = {
		"\"api_version\":" API_VERSION_STR ",", "\"vmx_on\":true", "\"vmx_on_cpus\":2", "\"users\":1",
		"\"vmcs_revision\":43", "\"feature_control\":\"0x5\"",
		"\"IA32_VMX_BASIC\":\"0x00d810000000002b\"", NULL
	};
	struct vtx_caps c;
	char needle[128];
	char *out;
	unsigned int i;

	(void)state;
	fill_caps(&c);
	out = capture(info_print_json, &c);
	assert_true(json_valid(out));
	assert_has_all(out, needles);
	assert_has_features(out, &c, "\"%s\":%s", "true", "false");
	for (i = 0; i < VTX_NR_VMX_MSRS; i++) {
		snprintf(needle, sizeof(needle), "\"%s\":\"0x%016llx\"", info_msr_name(i),
			 (unsigned long long)c.vmx_msr[i]);
		assert_has(out, needle);
	}
	free(out);
}

static void test_json_vmx_off(void **state)
{
	struct vtx_caps c;
	char *out;

	(void)state;
	fill_caps(&c);
	c.flags = 0;
	c.features = 0;
	out = capture(info_print_json, &c);
	assert_true(json_valid(out));
	assert_non_null(strstr(out, "\"vmx_on\":false"));
	assert_null(strstr(out, ":true"));
	free(out);
}

static void test_json_string_escape(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	info_json_string(f, "a\"b\\c\nd\x01");
	fclose(f);
	assert_string_equal(buf, "\"a\\\"b\\\\c\\nd\\u0001\"");
	assert_true(json_valid(buf));
	free(buf);
}

static void test_text(void **state)
{
	static const char *const needles[] = {
		"api_version: " API_VERSION_STR, "vmx: on\n", "vmx_on_cpus: 2 of 2 online\n",
		"vmcs_revision: 0x2b\n", "feature_control: 0x5 (locked: yes, vmx_outside_smx: yes",
		"0x480 IA32_VMX_BASIC: 0x00d810000000002b\n", "0x491 IA32_VMX_VMFUNC: ", NULL
	};
	struct vtx_caps c;
	char *out;

	(void)state;
	fill_caps(&c);
	out = capture(info_print_text, &c);
	assert_has_all(out, needles);
	assert_has_features(out, &c, "  %s: %s", "yes", "no");
	free(out);
}

static void test_names(void **state)
{
	char buf[16];

	(void)state;
	assert_string_equal(info_msr_name(0), "IA32_VMX_BASIC");
	assert_string_equal(info_msr_name(0xc), "IA32_VMX_EPT_VPID_CAP");
	assert_string_equal(info_msr_name(17), "IA32_VMX_VMFUNC");
	assert_null(info_msr_name(18));
	assert_string_equal(info_feature_name(40, buf, sizeof(buf)), "bit40");
	assert_ptr_equal(info_feature_name(1, buf, sizeof(buf)), vtx_feature_names[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validator_rejects),
		cmocka_unit_test(test_json_valid_and_complete),
		cmocka_unit_test(test_json_vmx_off),
		cmocka_unit_test(test_json_string_escape),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
