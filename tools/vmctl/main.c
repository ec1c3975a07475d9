// SPDX-License-Identifier: GPL-2.0
/*
 * vmctl: the vtx userspace VMM. main() only dispatches through the
 * subcommand table; each subcommand lives in its own file.
 */
#include <string.h>
#include "vmctl.h"

struct vmctl_cmd {
	const char *name;
	int (*handler)(int argc, char **argv);
	const char *usage;
	const char *help;
};

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const struct vmctl_cmd vmctl_cmds[] = {
	{ "info", cmd_info, "info [--json]",
	  "show the vtx API version, VMX state, decoded features and raw VMX MSRs" },
	{ "run", cmd_run, "run [options] IMAGE",
	  "run a guest image (boot sector, ELF32, ELF64, multiboot or a Linux bzImage);\n"
	  "    options:\n"
	  "      --kernel FILE          the image, instead of IMAGE (as QEMU spells it)\n"
	  "      --initrd FILE          Linux: the initial ramdisk, placed high in RAM\n"
	  "      --mem SIZE             guest RAM, K/M/G suffixes (default 128M, 1M..64G)\n"
	  "      --serial stdio|file:PATH  COM1 (0x3f8) output (default stdio); input\n"
	  "                             from stdin; on a terminal Ctrl-A x quits (exit 0)\n"
	  "      --timeout SECONDS      stop the guest and exit 124\n"
	  "      --load-addr ADDR       flat images: load here (default 0x7c00)\n"
	  "      --entry ADDR           start here (flat: below 1 MiB, real mode)\n"
	  "      --cpus N               vCPUs, 1..16 (fw_cfg, ACPI MADT); one thread each;\n"
	  "                             APs wait for INIT/SIPI from the guest (SDM 8.4)\n"
	  "      --append STRING        multiboot: the command line after the image name\n"
	  "                             (the kernel gets \"IMAGE STRING\", as from GRUB, QEMU);\n"
	  "                             Linux: the whole command line (default console=ttyS0)\n"
	  "      --module FILE[,STRING] multiboot: a module (repeatable, up to 16), loaded\n"
	  "                             page aligned after the kernel; STRING defaults to FILE\n"
	  "      --testdev              QEMU's pc-testdev: scratch register 0xe0-0xe3 (and\n"
	  "                             bytewise 0xe8-0xeb), flush-page no-op 0xe4, IRQ\n"
	  "                             lines 0x2000-0x2017 (write v to 0x2000+n: GSI n =\n"
	  "                             !!v), 64 KiB MMIO memory at 0xff000000\n"
	  "    flat: real mode, CS:IP = 0:0x7c00, SS:SP = 0:0x7c00, DL = 0x80\n"
	  "    ELF32: protected mode, paging off, flat 4 GiB segments, ESP = 0x80000\n"
	  "    ELF64: long mode, identity-mapped 2 MiB pages over max(RAM, 1 GiB),\n"
	  "           RSP = 0x80000; ELF segments must load at or above 0x80000\n"
	  "    multiboot (header in the first 8 KiB; ELF32/ELF64/a.out kludge, anywhere in\n"
	  "           RAM but 0x500-0x667, 0x10000-0x1ffff, 0xe0000-0xeffff, which vmctl fills):\n"
	  "           protected mode, paging off, EAX = 0x2BADB002, EBX = info at 0x10000\n"
	  "    bzImage (boot protocol 2.12+): 64-bit entry, boot_params at 0x20000, command\n"
	  "           line 0x21000, e820 map as for multiboot, initrd below initrd_addr_max\n"
	  "    devices: COM1 0x3f8, RTC 0x70, fw_cfg 0x510, ACPI PM 0x600 (timer 0x608),\n"
	  "           PCI 0xcf8 (host bridge 00:00.0); ACPI tables at 0xe0000\n"
	  "    port 0xf4: a guest write of v ends the run with exit (v << 1) | 1" },
	{ "help", cmd_help, "help", "this text (also --help, -h)" },
	{ "version", cmd_version, "version", "vmctl's version and the vtx API it speaks (also --version)" },
	{ NULL }
};

static void vmctl_usage(FILE *f)
{
	const struct vmctl_cmd *c;

	fprintf(f, "usage: vmctl COMMAND [options]\n\ncommands:\n");
	for (c = vmctl_cmds; c->name; c++)
		fprintf(f, "  %-22s %s\n", c->usage, c->help);
	fprintf(f,
		"\nexit codes:\n"
		"  %3d  ok: every vCPU halted with interrupts off (nothing can wake it;\n"
		"       a HLT with interrupts on sleeps until an interrupt arrives), ACPI\n"
		"       poweroff (S5), or Ctrl-A x on the console\n"
		"  %3d  guest crashed (triple fault / shutdown)\n"
		"  %3d  VM entry failed or internal error\n"
		"  %3d  bad image (missing, too big for --mem, unknown format)\n"
		"  %3d  /dev/vtx missing or not permitted, API mismatch, ulimit -l too\n"
		"       low for the guest's memory, other host error\n"
		"  %3d  usage error: bad command line (EX_USAGE, sysexits.h)\n"
		"  %3d  --timeout expired (as timeout(1))\n"
		"  odd  (v << 1) | 1 when the guest writes v to the debug exit port 0xf4\n"
		"       (v = 0 gives 1: a test guest's \"all passed\" is status 1)\n",
		VMCTL_EXIT_OK, VMCTL_EXIT_GUEST_CRASH, VMCTL_EXIT_VM_ERROR,
		VMCTL_EXIT_BAD_IMAGE, VMCTL_EXIT_HOST, VMCTL_EXIT_USAGE, VMCTL_EXIT_TIMEOUT);
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	vmctl_usage(stdout);
	return VMCTL_EXIT_OK;
}

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("vmctl %s (vtx API %d)\n", VTX_VERSION, VTX_API_VERSION);
	return VMCTL_EXIT_OK;
}

int main(int argc, char **argv)
{
	const struct vmctl_cmd *c;

	if (argc < 2) {
		vmctl_usage(stderr);
		return VMCTL_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--version"))
		return cmd_version(argc - 1, argv + 1);
	for (c = vmctl_cmds; c->name; c++)
		if (!strcmp(argv[1], c->name))
			return c->handler(argc - 1, argv + 1);
	fprintf(stderr, "vmctl: unknown command '%s' (see 'vmctl --help')\n", argv[1]);
	return VMCTL_EXIT_USAGE;
}
