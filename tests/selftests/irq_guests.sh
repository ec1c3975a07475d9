#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Multiboot guests of our own that exercise interrupts, timers and SMP
# through vmctl: LAPIC timer modes, x2APIC and self-IPIs; the 8259 + 8254 PIT
# and port 0x61; INIT/SIPI start-up and IPIs across vCPUs. Each guest prints
# TAP on COM1 and writes 0 to the exit port when every check passed, so vmctl
# exits (0 << 1) | 1 = 1; any failed check gives 3.
G=/vtx/guests
T=/tmp/irq_guests
mkdir -p $T
n=0 fail=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}

# guest NAME CPUS: run it, then assert the status and that no check failed
guest() {
	vmctl run --timeout 180 --cpus "$2" "$G/$1" >$T/out 2>$T/err </dev/null
	st=$?
	sed 's/^/# /' $T/out $T/err | tail -n 60
	[ "$st" = 1 ]; ok $? "$1 with $2 vCPU(s): exit status $st (want 1: all checks passed)"
	grep -q '^ok ' $T/out && ! grep -q '^not ok' $T/out
	ok $? "$1 with $2 vCPU(s): checks reported, none failed"
}

echo "TAP version 13"
guest apic_timer.elf 1
guest pit_irq.elf 1
guest apic_timer.elf 2
guest smp_ipi.elf 2
guest smp_ipi.elf 4
echo "1..$n"
exit $fail
