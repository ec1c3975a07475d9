#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make stress`, inside the test machine (booted with slub_debug=FZPU and
# page_poison=1, so memory corruption becomes a kernel complaint): the long
# runs of the hostile-caller tests. The runner loads vtx.ko before and
# checks after that it unloads and that dmesg has no new complaint.
#   fuzz CALLS SEED THREADS         >= 100,000 fuzzed calls over 4 seeds
#   kill_sweep KILLS SEED           >= 100 SIGKILLs of vmctl at random moments
#   hostile ROUNDS                  every hostile-guest behaviour, 3 times
cd /vtx/selftests || exit 1
fail=0
for seed in 11 12 13 14; do
	./fuzz 25000 $seed 4 || fail=1
done
./kill_sweep 120 7 || fail=1
./hostile 3 || fail=1
exit $fail
