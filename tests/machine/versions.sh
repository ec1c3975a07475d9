#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The one place that resolves which Debian cloud kernel the test machine boots
# and vtx.ko is built against. Never a hard-coded version: the ABI comes from
# the archive's metapackage of the kernel series, so when Debian moves on
# (a new 6.1.0-N, a new 6.12.M), so do we.
#
# The series is the first word of $KSERIES (default 6.1): for series S the
# metapackage is linux-image-S-cloud-amd64 where the archive has one (6.12 on
# Debian 12), else linux-image-cloud-amd64 if that points at S (6.1 on
# Debian 12).
#
#   versions.sh abi    e.g. 6.1.0-57, 6.12.118+deb12
#   versions.sh kver   e.g. 6.1.0-57-cloud-amd64
#   versions.sh kdir   the matching headers tree (if installed)
#   versions.sh pkgs   the packages to fetch/install for that kernel
#   versions.sh series the series itself
set -eu

series=${KSERIES:-6.1}
series=${series%% *}

# The ABI a metapackage depends on: linux-image-<abi>-cloud-amd64.
meta_abi() {
	apt-cache depends "$1" 2>/dev/null |
		sed -n 's/.*Depends: linux-image-\(.*\)-cloud-amd64\(-unsigned\)\{0,1\}$/\1/p' |
		head -n 1
}

abi_from_apt() {
	a=$(meta_abi "linux-image-$series-cloud-amd64")
	[ -n "$a" ] || a=$(meta_abi linux-image-cloud-amd64)
	case $a in "$series".[0-9]*) echo "$a" ;; esac
}

abi_from_disk() {
	# "$series".[0-9]* keeps 6.1 from matching 6.12.
	ls -d /usr/src/linux-headers-"$series".[0-9]*-cloud-amd64 2>/dev/null |
		sed 's|.*/linux-headers-\(.*\)-cloud-amd64|\1|' | sort -V | tail -n 1
}

abi() {
	if [ -n "${VTX_KABI:-}" ]; then echo "$VTX_KABI"; return; fi
	a=$(abi_from_apt)
	[ -n "$a" ] || a=$(abi_from_disk)
	[ -n "$a" ] || { echo "versions.sh: cannot resolve the $series cloud kernel ABI" \
		"(run 'apt-get update' first)" >&2; exit 1; }
	echo "$a"
}

case "${1:-abi}" in
abi)	abi ;;
kver)	a=$(abi); echo "$a-cloud-amd64" ;;
kdir)	a=$(abi); d=/usr/src/linux-headers-$a-cloud-amd64
	[ -d "$d" ] || { echo "versions.sh: $d missing (run tests/machine/deps)" >&2; exit 1; }
	echo "$d" ;;
pkgs)	a=$(abi); echo "linux-image-$a-cloud-amd64 linux-headers-$a-cloud-amd64" ;;
series)	echo "$series" ;;
*)	echo "usage: $0 abi|kver|kdir|pkgs|series" >&2; exit 2 ;;
esac
