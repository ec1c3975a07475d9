#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo: show vtx at work inside the VT-x test machine: its capabilities,
# then the three hello guests (real mode, 32-bit and 64-bit ELF) under vmctl.
set -e
echo "== vmctl info"
vmctl info
for g in hello16.img hello32.elf hello64.elf; do
	echo "== vmctl run /vtx/guests/$g"
	vmctl run --timeout 20 "/vtx/guests/$g"
	echo "== $g: vmctl exited $?"
done
echo "== vmctl run (multiboot kernel with a module, fw_cfg, PCI, ACPI, RTC checks)"
vmctl run --timeout 60 --mem 64M --append "mb_hello mem=64 cpus=1" \
	--module /vtx/guests/mb_hello.mod,mb_hello.mod /vtx/guests/mb_hello.elf || st=$?
echo "== mb_hello.elf: vmctl exited ${st:-0} (1 = the guest wrote 0 to the exit port: all passed)"
[ "${st:-0}" = 1 ]
echo "== vmctl run --cpus 4 (INIT/SIPI start-up of 3 APs, IPIs between vCPUs)"
st=0
vmctl run --timeout 120 --cpus 4 /vtx/guests/smp_ipi.elf || st=$?
echo "== smp_ipi.elf: vmctl exited $st (1 = all passed)"
[ "$st" = 1 ]
