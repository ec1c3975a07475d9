#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo: show vtx at work inside the VT-x test machine.
set -e
echo "== vmctl info"
vmctl info
