#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vtx lint: the kernel's checkpatch.pl (from Debian's linux-source-6.1) on
# every source file, then a W=1 build with sparse (make module C=2) for each
# kernel series in $KSERIES (default 6.1 6.12). Fails on any finding.
# Usage: tests/lint/lint.sh [--checkpatch-only|--sparse-only] [FILE...]
# With FILEs, checkpatch looks at just those (sparse still checks the module).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
lintdir=$top/build/lint
src_tar=/usr/src/linux-source-6.1.tar.xz
make=${MAKE:-make}

do_checkpatch=1 do_sparse=1
case ${1:-} in
--checkpatch-only) do_sparse=0; shift ;;
--sparse-only) do_checkpatch=0; shift ;;
esac

# checkpatch reads spelling.txt and const_structs.checkpatch from its own
# directory: extract the three files once, they only change with the package.
get_checkpatch() {
	[ -x "$lintdir/checkpatch.pl" ] && [ "$lintdir/checkpatch.pl" -nt "$src_tar" ] && return 0
	if [ ! -r "$src_tar" ]; then
		echo "lint: $src_tar missing: apt-get install linux-source-6.1 (or run tests/machine/deps)" >&2
		exit 3
	fi
	mkdir -p "$lintdir"
	echo "lint: extracting checkpatch.pl from $src_tar (once)"
	tar -xJf "$src_tar" -C "$lintdir" --strip-components=2 \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
	touch "$lintdir/checkpatch.pl"
}

# Types ignored, each for a reason; everything else is fixed, not ignored.
# Kernel code (kmod/, uapi/):
#  FILE_PATH_CHANGES  "added/moved files, does MAINTAINERS need updating?": there
#                     is no MAINTAINERS file outside the kernel tree.
IGNORE_KERNEL=FILE_PATH_CHANGES
# Userspace code (vmctl, selftests, bench) additionally, because checkpatch
# assumes kernel headers that userspace does not have:
#  PREFER_DEFINED_ATTRIBUTE_MACRO  __packed/__aligned/__printf come from the
#                     kernel's compiler_attributes.h; libc has no such macros.
#  ARRAY_SIZE         the kernel's macro; userspace has no common definition.
#  VOLATILE           userspace needs volatile for sig_atomic_t flags and for
#                     guest-code MMIO accesses, which have no readl()/writel().
IGNORE_USER=$IGNORE_KERNEL,PREFER_DEFINED_ATTRIBUTE_MACRO,ARRAY_SIZE,VOLATILE

# Known false positives, by type and the offending source line (egrep):
#  SPACING on `_ASM_EXTABLE(1b, %l[label])`: an asm goto label operand passed
#  to the kernel's extable macro (as in arch/x86/include/asm/virtext.h).
#  EMBEDDED_FUNCTION_NAME on an asm statement: an instruction wrapper named
#  after its mnemonic (outb() executes "outb"), not a function name in a message.
ALLOW='SPACING:.*_ASM_EXTABLE\(.*%l\[|EMBEDDED_FUNCTION_NAME:.*\|[[:space:]]*asm( volatile)?\('

kernel_files() {
	find kmod \( -name '*.[ch]' -o -name '*.S' \) ! -name '*.mod.c'
	find uapi -maxdepth 1 -name '*.h'
}

user_files() {
	find tools/vmctl -maxdepth 1 -name '*.[ch]'
	find tests/selftests -name '*.[ch]'
	find tests/bench -maxdepth 1 -name '*.[ch]'
}

# checkpatch IGNORE FILE...: findings as "file:line: TYPE: message | source line"
checkpatch() {
	ign=$1
	shift
	[ $# = 0 ] && return 0
	perl "$lintdir/checkpatch.pl" --no-tree --terse --show-types --max-line-length=100 \
		--ignore "$ign" -q -f "$@" 2>&1 |
	grep -E '^[^ ]+:[0-9]+: (ERROR|WARNING|CHECK):' |
	while IFS= read -r f; do
		file=${f%%:*} rest=${f#*:}
		src=$(sed -n "${rest%%:*}p" "$file")
		printf '%s | %s\n' "$f" "$src"
	done | { grep -v -E "$ALLOW" || true; }
}

fail=0

# CI must run exactly the README's test command: its line in README.md (the
# indented one ending in "make check") must appear verbatim in .ci/run.
readme_cmd=$(sed -n 's/^    \(.*make check\)$/\1/p' README.md | head -n 1)
if [ -z "$readme_cmd" ] || ! grep -qxF "$readme_cmd" .ci/run; then
	echo "lint: .ci/run does not run the README's test command: '$readme_cmd'" >&2
	fail=1
else
	echo "lint: .ci/run runs the README's test command"
fi

if [ "$do_checkpatch" = 1 ]; then
	get_checkpatch
	out=$lintdir/checkpatch.out
	if [ $# != 0 ]; then
		kf=$(for f in "$@"; do case $f in kmod/*|uapi/*) echo "$f" ;; esac; done)
		uf=$(for f in "$@"; do case $f in kmod/*|uapi/*) ;; *) echo "$f" ;; esac; done)
	else
		kf=$(kernel_files | LC_ALL=C sort)
		uf=$(user_files | LC_ALL=C sort)
	fi
	nfiles=$(echo $kf $uf | wc -w)
	# shellcheck disable=SC2086
	{ checkpatch "$IGNORE_KERNEL" $kf; checkpatch "$IGNORE_USER" $uf; } >"$out"
	n=$(wc -l <"$out")
	if [ "$n" != 0 ]; then
		cat "$out"
		echo "lint: checkpatch: $n finding(s) in $nfiles files" >&2
		fail=1
	else
		echo "lint: checkpatch: clean ($nfiles files)"
	fi
fi

if [ "$do_sparse" = 1 ]; then
	if ! command -v sparse >/dev/null; then
		echo "lint: sparse missing: apt-get install sparse" >&2
		exit 3
	fi
	mkdir -p "$lintdir"
	# Every kernel series vtx supports: a from-scratch build (so every W=1
	# warning shows, not only those of files that changed) with C=2 (sparse
	# on every file).
	for s in ${KSERIES:-6.1 6.12}; do
		kdir=$(KSERIES=$s "$top/tests/machine/versions.sh" kdir) || exit 3
		rel=$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$kdir/include/generated/utsrelease.h")
		out=$lintdir/sparse-$rel.out
		find "$top/build/kmod/$rel" -name '*.o' -delete 2>/dev/null || true
		if ! $make --no-print-directory module C=2 KDIR="$kdir" >"$out" 2>&1; then
			cat "$out"
			echo "lint: make module C=2 for $rel failed" >&2
			exit 1
		fi
		n=$(grep -c -E ': (warning|error):' "$out" || true)
		if [ "$n" != 0 ]; then
			grep -E ': (warning|error):' "$out"
			echo "lint: $rel: sparse/compiler (W=1): $n warning(s)" >&2
			fail=1
		else
			echo "lint: $rel: W=1 build and sparse: clean"
		fi
	done
fi

exit $fail
