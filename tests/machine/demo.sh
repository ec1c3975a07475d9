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
