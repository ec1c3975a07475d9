# SPDX-License-Identifier: GPL-2.0
# `make lint`: checkpatch.pl --no-tree (from Debian's linux-source-6.1) on
# every source file, then sparse on vtx.ko; fails on any finding. See
# tests/lint/lint.sh for the ignored checkpatch types and why.
.PHONY: lint
lint:
	$(TOP)/tests/lint/lint.sh
