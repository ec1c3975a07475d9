/* SPDX-License-Identifier: GPL-2.0 */
/* vmctl command-line parsing: pure functions, unit-tested. */
#ifndef _VMCTL_ARGS_H
#define _VMCTL_ARGS_H

#include "vmctl.h"

#define VMCTL_MEM_DEFAULT	(128ULL << 20)	/* as QEMU: test kernels assume it */
#define VMCTL_MEM_MIN		(1ULL << 20)	/* room for the boot area */
#define VMCTL_MEM_MAX		(64ULL << 30)	/* boot page tables cover 64 GiB */
#define VMCTL_TIMEOUT_MAX	(24U * 3600)
#define VMCTL_CPUS_MAX		16
#define VMCTL_MODULES_MAX	16

enum vmctl_serial {
	VMCTL_SERIAL_STDIO,
	VMCTL_SERIAL_FILE,
};

struct vmctl_run_opts {
	const char *image;
	u64 mem_size;
	enum vmctl_serial serial;
	const char *serial_path;	/* for VMCTL_SERIAL_FILE */
	unsigned int timeout_s;		/* 0: none */
	bool has_load_addr;
	u64 load_addr;
	bool has_entry;
	u64 entry;
	unsigned int cpus;
	const char *append;		/* multiboot/Linux command line, NULL: none */
	const char *initrd;		/* Linux initial ramdisk, NULL: none */
	/* --module FILE[,STRING]: @path malloc()ed; @string NULL means FILE. */
	struct vmctl_module_opt {
		char *path;
		const char *string;
	} modules[VMCTL_MODULES_MAX];
	unsigned int nr_modules;
	bool testdev;			/* QEMU's pc-testdev (testdev.h) */
};

struct vmctl_info_opts {
	bool json;
};

int args_parse_u64(const char *s, u64 *out);
int args_parse_size(const char *s, u64 *out);
int args_parse_run(int argc, char **argv, struct vmctl_run_opts *o, FILE *err);
/* Free what args_parse_run() allocated (module paths). */
void args_free_run(struct vmctl_run_opts *o);
int args_parse_info(int argc, char **argv, struct vmctl_info_opts *o, FILE *err);

#endif /* _VMCTL_ARGS_H */
