#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench, inside the test machine: vtx and KVM side by side in one boot.
set -e
for m in irqbypass kvm kvm-intel; do
	insmod /vtx/kvm/$m.ko || echo "# bench: insmod $m failed: KVM column will be n/a"
done
/vtx/bench/vtxbench
