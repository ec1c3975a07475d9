#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench, inside the test machine: vtx and KVM side by side in one boot.
set -e
# KVM on 6.12+ would hold VMX from load on (kvm.enable_virt_at_load=1) and
# lock vtx out; like on 6.1, it then takes VMX only while its VMs exist
# (6.1's kvm ignores the unknown parameter).
for m in irqbypass kvm kvm-intel; do
	args=
	[ $m = kvm ] && args=enable_virt_at_load=0
	insmod /vtx/kvm/$m.ko $args || echo "# bench: insmod $m failed: KVM column will be n/a"
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
