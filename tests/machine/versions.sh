#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The one place that resolves which Debian cloud kernel the test machine boots
# and vtx.ko is built against. Never a hard-coded version: the ABI comes from
# the linux-image-cloud-amd64 metapackage of the configured archive, so when
# Debian moves on, so do we.
#
#   versions.sh abi    e.g. 6.1.0-56
#   versions.sh kver   e.g. 6.1.0-56-cloud-amd64
#   versions.sh kdir   the matching headers tree (if installed)
#   versions.sh pkgs   the packages to fetch/install for that kernel
set -eu

abi_from_apt() {
	apt-cache depends linux-image-cloud-amd64 2>/dev/null |
		sed -n 's/.*Depends: linux-image-\([0-9.]*-[0-9]*\)-cloud-amd64.*/\1/p' | head -n 1
}

abi_from_disk() {
	ls -d /usr/src/linux-headers-*-cloud-amd64 2>/dev/null |
		sed 's|.*/linux-headers-\(.*\)-cloud-amd64|\1|' | sort -V | tail -n 1
}

abi() {
	if [ -n "${VTX_KABI:-}" ]; then echo "$VTX_KABI"; return; fi
	a=$(abi_from_apt)
	[ -n "$a" ] || a=$(abi_from_disk)
	[ -n "$a" ] || { echo "versions.sh: cannot resolve the cloud kernel ABI" \
		"(run 'apt-get update' first)" >&2; exit 1; }
	echo "$a"
}

case "${1:-abi}" in
abi)	abi ;;
kver)	echo "$(abi)-cloud-amd64" ;;
kdir)	d=/usr/src/linux-headers-$(abi)-cloud-amd64
	[ -d "$d" ] || { echo "versions.sh: $d missing (run tests/machine/deps)" >&2; exit 1; }
	echo "$d" ;;
pkgs)	echo "linux-image-$(abi)-cloud-amd64 linux-headers-$(abi)-cloud-amd64" ;;
*)	echo "usage: $0 abi|kver|kdir|pkgs" >&2; exit 2 ;;
esac
