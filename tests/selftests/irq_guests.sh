#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Multiboot guests of our own that exercise interrupts, timers and SMP
# through vmctl: LAPIC timer modes, x2APIC and self-IPIs; the 8259 + 8254 PIT
# and port 0x61; INIT/SIPI start-up (vector 0x08 and vector 0, trampoline
# at physical 0) and IPIs across vCPUs; IOAPIC edge and level interrupts
# raised through QEMU's pc-testdev IRQ ports (--testdev). Each guest prints
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

# guest NAME CPUS [VMCTL-ARGS...]: run it (extra vmctl run options before the
# image), then assert the status and that no check failed
guest() {
	name=$1 cpus=$2
	shift 2
	what="$name with $cpus vCPU(s)${1:+ $*}"
	vmctl run --timeout 180 --cpus "$cpus" "$@" "$G/$name" >$T/out 2>$T/err </dev/null
	st=$?
	sed 's/^/# /' $T/out $T/err | tail -n 60
	[ "$st" = 1 ]; ok $? "$what: exit status $st (want 1: all checks passed)"
	grep -q '^ok ' $T/out && ! grep -q '^not ok' $T/out
	ok $? "$what: checks reported, none failed"
}

echo "TAP version 13"
guest apic_timer.elf 1
guest pit_irq.elf 1
guest ioapic_irq.elf 1 --testdev
guest apic_timer.elf 2
guest smp_ipi.elf 2
guest smp_ipi.elf 4
# The platform contract: external kernels start APs with INIT + SIPI vector 0.
guest smp_ipi.elf 4 --append sipi=0
echo "1..$n"
exit $fail
