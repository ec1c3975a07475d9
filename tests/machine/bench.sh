#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench, inside the test machine: vtx and KVM side by side in one boot.
set -e
for m in irqbypass kvm kvm-intel; do
	insmod /vtx/kvm/$m.ko || echo "# bench: insmod $m failed: KVM column will be n/a"
done
# Which hardware assists KVM uses here decides some rows (APICv: no exit on EOI).
p=/sys/module/kvm_intel/parameters
if [ -d $p ]; then
	echo "# kvm-intel: enable_apicv=$(cat $p/enable_apicv)" \
	     "flexpriority=$(cat $p/flexpriority) preemption_timer=$(cat $p/preemption_timer)" \
	     "halt_poll_ns=$(cat /sys/module/kvm/parameters/halt_poll_ns)"
fi
# The vmctl row: vmctl answers the same OUT loop with its 16550 model.
/vtx/bench/vtxbench /bin/vmctl /vtx/bench/scr.img
