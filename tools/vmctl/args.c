// SPDX-License-Identifier: GPL-2.0
/*
 * vmctl option parsing. Table-driven: each option names its handler; both
 * "--opt VALUE" and "--opt=VALUE" are accepted. Returns -EINVAL with one
 * line on @err for anything wrong, and the caller exits VMCTL_EXIT_USAGE.
 */
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "args.h"

/* Decimal or 0x-hex unsigned 64-bit number, nothing trailing. */
int args_parse_u64(const char *s, u64 *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	*out = v;
	return 0;
}

/* A byte count with an optional K/M/G suffix (binary units), e.g. 64M. */
int args_parse_size(const char *s, u64 *out)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -EINVAL;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	default:
		return -EINVAL;
	}
	if (*end && end[1])
		return -EINVAL;
	if (shift && v > (~0ULL >> shift))
		return -ERANGE;
	*out = (u64)v << shift;
	return 0;
}

typedef int (*opt_handler)(void *opts, const char *val, FILE *err);

struct opt_desc {
	const char *name;	/* without the leading "--" */
	bool has_arg;
	opt_handler handler;
};

static int run_opt_mem(void *p, const char *val, FILE *err)
{
	struct vmctl_run_opts *o = p;
	u64 v;

	if (args_parse_size(val, &v)) {
		fprintf(err, "vmctl: --mem: '%s' is not a size (use e.g. 64M, 1G)\n", val);
		return -EINVAL;
	}
	if (v < VMCTL_MEM_MIN || v > VMCTL_MEM_MAX || (v & 0xfff)) {
		fprintf(err, "vmctl: --mem: %s out of range (1M..64G, 4K multiple)\n", val);
		return -EINVAL;
	}
	o->mem_size = v;
	return 0;
}

static int run_opt_serial(void *p, const char *val, FILE *err)
{
	struct vmctl_run_opts *o = p;

	if (!strcmp(val, "stdio")) {
		o->serial = VMCTL_SERIAL_STDIO;
		o->serial_path = NULL;
		return 0;
	}
	if (!strncmp(val, "file:", 5) && val[5]) {
		o->serial = VMCTL_SERIAL_FILE;
		o->serial_path = val + 5;
		return 0;
	}
	fprintf(err, "vmctl: --serial: '%s': use stdio or file:PATH\n", val);
	return -EINVAL;
}

static int run_opt_timeout(void *p, const char *val, FILE *err)
{
	struct vmctl_run_opts *o = p;
	u64 v;

	if (args_parse_u64(val, &v) || v == 0 || v > VMCTL_TIMEOUT_MAX) {
		fprintf(err, "vmctl: --timeout: '%s': seconds, 1..%u\n", val,
			VMCTL_TIMEOUT_MAX);
		return -EINVAL;
	}
	o->timeout_s = v;
	return 0;
}

static int run_opt_addr(u64 *dst, bool *has, const char *name, const char *val, FILE *err)
{
	if (args_parse_u64(val, dst)) {
		fprintf(err, "vmctl: --%s: '%s' is not an address\n", name, val);
		return -EINVAL;
	}
	*has = true;
	return 0;
}

static int run_opt_load_addr(void *p, const char *val, FILE *err)
{
	struct vmctl_run_opts *o = p;

	return run_opt_addr(&o->load_addr, &o->has_load_addr, "load-addr", val, err);
}

static int run_opt_entry(void *p, const char *val, FILE *err)
{
	struct vmctl_run_opts *o = p;

	return run_opt_addr(&o->entry, &o->has_entry, "entry", val, err);
}

static int run_opt_cpus(void *p, const char *val, FILE *err)
{
	struct vmctl_run_opts *o = p;
	u64 v;

	if (args_parse_u64(val, &v) || v < 1 || v > VMCTL_CPUS_MAX) {
		fprintf(err, "vmctl: --cpus: '%s': a number of vCPUs, 1..%u\n", val,
			VMCTL_CPUS_MAX);
		return -EINVAL;
	}
	o->cpus = v;
	return 0;
}

static int run_opt_append(void *p, const char *val, FILE *err)
{
	struct vmctl_run_opts *o = p;

	(void)err;
	o->append = val;
	return 0;
}

/* --kernel FILE: the image, as QEMU spells it (instead of the positional IMAGE). */
static int run_opt_kernel(void *p, const char *val, FILE *err)
{
	struct vmctl_run_opts *o = p;

	if (o->image) {
		fprintf(err, "vmctl: --kernel: given twice\n");
		return -EINVAL;
	}
	o->image = val;
	return 0;
}

static int run_opt_initrd(void *p, const char *val, FILE *err)
{
	struct vmctl_run_opts *o = p;

	(void)err;
	o->initrd = val;
	return 0;
}

static int run_opt_testdev(void *p, const char *val, FILE *err)
{
	struct vmctl_run_opts *o = p;

	(void)val;
	(void)err;
	o->testdev = true;
	return 0;
}

/* FILE[,STRING]: the first comma ends the file name. */
static int run_opt_module(void *p, const char *val, FILE *err)
{
	struct vmctl_run_opts *o = p;
	struct vmctl_module_opt *m;
	const char *comma = strchr(val, ',');
	size_t len = comma ? (size_t)(comma - val) : strlen(val);

	if (o->nr_modules == VMCTL_MODULES_MAX) {
		fprintf(err, "vmctl: --module: at most %u modules\n", VMCTL_MODULES_MAX);
		return -EINVAL;
	}
	if (!len) {
		fprintf(err, "vmctl: --module: '%s': use FILE or FILE,STRING\n", val);
		return -EINVAL;
	}
	m = &o->modules[o->nr_modules];
	m->path = strndup(val, len);
	if (!m->path) {
		fprintf(err, "vmctl: --module: out of memory\n");
		return -ENOMEM;
	}
	m->string = comma ? comma + 1 : NULL;
	o->nr_modules++;
	return 0;
}

static const struct opt_desc run_opts[] = {
	{ "mem",	true, run_opt_mem },
	{ "serial",	true, run_opt_serial },
	{ "timeout",	true, run_opt_timeout },
	{ "load-addr",	true, run_opt_load_addr },
	{ "entry",	true, run_opt_entry },
	{ "cpus",	true, run_opt_cpus },
	{ "append",	true, run_opt_append },
	{ "module",	true, run_opt_module },
	{ "kernel",	true, run_opt_kernel },
	{ "initrd",	true, run_opt_initrd },
	{ "testdev",	false, run_opt_testdev },
	{ NULL }
};

static int info_opt_json(void *p, const char *val, FILE *err)
{
	struct vmctl_info_opts *o = p;

	(void)val;
	(void)err;
	o->json = true;
	return 0;
}

static const struct opt_desc info_opts[] = {
	{ "json",	false, info_opt_json },
	{ NULL }
};

/*
 * Walk argv[1..]: options from @table, and at most @max_pos positional
 * arguments stored in @pos. "--" ends the options.
 */
static int args_walk(int argc, char **argv, const struct opt_desc *table, void *opts,
		     const char **pos, int max_pos, int *npos, FILE *err)
{
	bool only_pos = false;
	int i;

	*npos = 0;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct opt_desc *d;
		const char *val = NULL;
		size_t len;
		int ret;

		if (only_pos || a[0] != '-' || !strcmp(a, "-")) {
			if (*npos >= max_pos) {
				fprintf(err, "vmctl: unexpected argument '%s'\n", a);
				return -EINVAL;
			}
			pos[(*npos)++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_pos = true;
			continue;
		}
		if (a[1] != '-') {
			fprintf(err, "vmctl: unknown option '%s'\n", a);
			return -EINVAL;
		}
		a += 2;
		len = strcspn(a, "=");
		for (d = table; d->name; d++)
			if (strlen(d->name) == len && !strncmp(d->name, a, len))
				break;
		if (!d->name) {
			fprintf(err, "vmctl: unknown option '--%.*s'\n", (int)len, a);
			return -EINVAL;
		}
		if (a[len] == '=') {
			if (!d->has_arg) {
				fprintf(err, "vmctl: option '--%s' takes no value\n", d->name);
				return -EINVAL;
			}
			val = a + len + 1;
		} else if (d->has_arg) {
			if (i + 1 >= argc) {
				fprintf(err, "vmctl: option '--%s' needs a value\n", d->name);
				return -EINVAL;
			}
			val = argv[++i];
		}
		ret = d->handler(opts, val, err);
		if (ret)
			return ret;
	}
	return 0;
}

/* argv[0] is the subcommand name ("run"). */
int args_parse_run(int argc, char **argv, struct vmctl_run_opts *o, FILE *err)
{
	const char *pos[1];
	int npos, ret;

	memset(o, 0, sizeof(*o));
	o->mem_size = VMCTL_MEM_DEFAULT;
	o->serial = VMCTL_SERIAL_STDIO;
	o->cpus = 1;
	ret = args_walk(argc, argv, run_opts, o, pos, 1, &npos, err);
	if (!ret && npos + !!o->image != 1) {
		fprintf(err, npos ? "vmctl: run: an IMAGE and --kernel: give one\n" :
			"vmctl: run: missing guest image (vmctl run [options] IMAGE)\n");
		ret = -EINVAL;
	}
	if (ret) {
		args_free_run(o);
		return ret;
	}
	if (npos)
		o->image = pos[0];
	return 0;
}

void args_free_run(struct vmctl_run_opts *o)
{
	unsigned int i;

	for (i = 0; i < o->nr_modules; i++) {
		free(o->modules[i].path);
		o->modules[i].path = NULL;
	}
	o->nr_modules = 0;
}

int args_parse_info(int argc, char **argv, struct vmctl_info_opts *o, FILE *err)
{
	const char *pos[1];
	int npos;

	memset(o, 0, sizeof(*o));
	return args_walk(argc, argv, info_opts, o, pos, 0, &npos, err);
}
