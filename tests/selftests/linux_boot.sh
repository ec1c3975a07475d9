#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# An unmodified Linux guest: the test machine's own Debian cloud kernel
# (bzImage, 64-bit boot protocol) and a busybox initramfs whose /init
# (tests/guests/linux/init) reports the CPUs Linux found and any ACPI or
# kernel complaint in its dmesg, then powers off through ACPI S5.
L=/vtx/linux
T=/tmp/linux_boot
mkdir -p $T
n=0

ok() {	# ok COND-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

uptime_cs() {	# the test machine's uptime in centiseconds
	sed 's/^\([0-9]*\)\.\([0-9]*\) .*/\1\2/' /proc/uptime
}

# boot CPUS: Linux on CPUS vCPUs, to its poweroff
boot() {
	cpus=$1
	t0=$(uptime_cs)
	vmctl run --kernel $L/vmlinuz --initrd $L/initrd.gz --cpus "$cpus" --timeout 600 \
		--append "console=ttyS0 loglevel=4 mitigations=off panic=-1" \
		>$T/out 2>$T/err </dev/null
	st=$?
	t1=$(uptime_cs)
	sed 's/^/# /' $T/out $T/err | tail -n 25
	echo "# $cpus vCPU(s): vmctl status $st after $(((t1 - t0) / 100)).$(((t1 - t0) % 100 / 10)) s (test machine time)"
	[ "$st" = 0 ]; ok $? "$cpus vCPU(s): guest powers off through ACPI S5, vmctl exits 0"
	grep -q "reboot: Power down" $T/out; ok $? "$cpus vCPU(s): Linux found the ACPI poweroff (no 'System halted')"
	grep -q "vtx-l2: Linux .* up, $cpus CPU(s)" $T/out
	ok $? "$cpus vCPU(s): /init runs and /proc/cpuinfo shows $cpus CPU(s)"
	grep -q "vtx-l2: cmdline: console=ttyS0 loglevel=4" $T/out; ok $? "$cpus vCPU(s): command line arrives"
	! grep -q "vtx-l2: dmesg:" $T/out; ok $? "$cpus vCPU(s): no ACPI error, firmware bug, BUG or WARNING in the guest's dmesg"
	! grep -q "unclaimed I/O port" $T/err; ok $? "$cpus vCPU(s): Linux touches no I/O port the platform does not know"
}

echo "TAP version 13"
echo "1..12"
boot 1
boot 2
