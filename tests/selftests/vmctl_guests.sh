#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vmctl end to end: the guests of tests/guests and a few hand-made boot
# sectors, run under vtx; their serial output and vmctl's documented exit
# statuses are asserted.
G=/vtx/guests
T=/tmp/vmctl_guests
mkdir -p $T
n=0 fail=0

ok() {	# ok COND-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}

# run_guest WANT_STATUS WANT_TEXT DESCRIPTION -- vmctl run args...
run_guest() {
	want=$1 text=$2 desc=$3
	shift 4
	vmctl run --timeout 60 "$@" >$T/out 2>$T/err </dev/null
	got=$?
	sed 's/^/# /' $T/out $T/err | tail -n 30
	[ "$got" = "$want" ]; ok $? "$desc: exit status $got (want $want)"
	if [ -n "$text" ]; then
		grep -q "$text" $T/out; ok $? "$desc: prints '$text'"
	fi
}

# A boot sector from hex bytes, padded to 512 with the 0x55aa signature.
bootsect() {
	printf "$1" >$T/$2
	dd if=/dev/zero bs=1 count=$((510 - $(wc -c <$T/$2))) 2>/dev/null >>$T/$2
	printf '\125\252' >>$T/$2
}

echo "TAP version 13"
run_guest 0 "Hello from real mode" "hello16 boot sector" -- $G/hello16.img
run_guest 0 "Hello from protected mode" "hello32 ELF32" -- $G/hello32.elf
run_guest 0 "Hello from long mode" "hello64 ELF64" -- $G/hello64.elf
run_guest 1 "^1\.\.25" "multiboot guest (all checks pass -> exit port 0 -> status 1)" -- \
	--mem 64M --cpus 2 --append "mb_hello mem=64 cpus=2" \
	--module $G/mb_hello.mod,mb_hello.mod $G/mb_hello.elf
! grep -q '^not ok' $T/out; ok $? "multiboot guest: no failed check"
# Linked at 0x8000, no --mem (128 MiB), argv[0] = the image before --append
run_guest 1 "^1\.\.9" "multiboot guest linked at 0x8000" -- \
	--append "first second=2" $G/mb_low.elf
! grep -q '^not ok' $T/out; ok $? "multiboot guest at 0x8000: no failed check"

# mov al, 0x21; out 0xf4, al -> (0x21 << 1) | 1 = 67
bootsect '\260\041\346\364\364' exit8.img
run_guest 67 "" "1-byte write 0x21 to exit port 0xf4" -- $T/exit8.img
# mov eax, 5; mov dx, 0xf4; out dx, eax -> 11
bootsect '\146\270\005\000\000\000\272\364\000\146\357\364' exit32.img
run_guest 11 "" "4-byte write 5 to exit port 0xf4" -- $T/exit32.img
# lidt [limit 0]; int3: #GP, #DF, then a triple fault -> status 2
bootsect '\017\001\036\012\174\314\364\000\000\000\000\000\000\000\000\000' tf.img
run_guest 2 "" "triple fault" -- $T/tf.img
grep -q -i "triple fault" $T/err; ok $? "triple fault: one clear line on stderr"
# jmp $ forever, after other VMs ran in this boot: --timeout ends it (124)
bootsect '\353\376' spin.img
run_guest 124 "" "spinning guest ended by --timeout 3" -- --timeout 3 $T/spin.img
# Bad images: missing, too big for --mem, truncated ELF -> status 4
run_guest 4 "" "missing image" -- $T/does-not-exist.img
dd if=/dev/zero of=$T/big.img bs=1M count=3 2>/dev/null
run_guest 4 "" "image larger than --mem" -- --mem 2M $T/big.img
printf '\177ELF\002\001\001' >$T/trunc.elf
run_guest 4 "" "truncated ELF" -- $T/trunc.elf
# Usage errors are 64 (EX_USAGE), distinct from every guest status.
run_guest 64 "" "unknown option" -- --no-such-option $T/spin.img
run_guest 64 "" "no image" --
vmctl bogus >/dev/null 2>&1
got=$?
[ "$got" = 64 ]; ok $? "unknown command: exit status $got (want 64)"
vmctl --version >$T/out 2>&1
got=$?
sed 's/^/# /' $T/out
[ "$got" = 0 ] && grep -q '^vmctl [0-9].* (vtx API [0-9]*)$' $T/out
ok $? "vmctl --version: status $got, prints 'vmctl VERSION (vtx API N)'"
echo "1..$n"
exit $fail
