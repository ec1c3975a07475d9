# SPDX-License-Identifier: GPL-2.0
# vtx: top-level build. `make` builds vtx.ko, vmctl, test guests and
# selftests; `make check` runs unit tests and then the Bochs VT-x machine.

TOP := $(CURDIR)
O := $(TOP)/build
W ?= 1
CC ?= gcc

# The kernel series the test machine proves vtx on (Debian cloud kernels,
# exact versions resolved from the archive by tests/machine/versions.sh).
# `make check` runs the full suite on the first and the 1-CPU boot on the
# others; `make check KSERIES=6.12` runs the full suite on 6.12 alone.
KSERIES ?= 6.1 6.12
export KSERIES

# Kernel build tree: KDIR=, else the running kernel's, else the Debian
# cloud headers of the first series in KSERIES.
KDIR ?= $(shell d=/lib/modules/$$(uname -r)/build; [ -d $$d ] && echo $$d || \
	  KSERIES=$(firstword $(KSERIES)) $(TOP)/tests/machine/versions.sh kdir 2>/dev/null)
# Each kernel gets its own build directory (a tree of symlinks to the
# sources), so modules for several kernels coexist: build/kmod/<release>/.
KREL = $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h)
MODDIR = $(O)/kmod/$(KREL)

VTX_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(TOP)/dkms.conf)

USER_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror=implicit-function-declaration \
	       -I$(TOP) -I$(TOP)/kmod -D_GNU_SOURCE -DVTX_VERSION='"$(VTX_VERSION)"'

.PHONY: all module vmctl guests selftests unit check machine demo bench shell \
	install clean deps help benchbin lint

all: module vmctl guests selftests benchbin

help:
	@echo "make            build everything below (module, vmctl, guests, selftests, bench)"
	@echo "make module     vtx.ko for KDIR, in build/kmod/<release>/ (W=1), copied to ./vtx.ko"
	@echo "make vmctl      build/vmctl, the userspace VMM (static)"
	@echo "make guests     test guests from source, in build/guests/"
	@echo "make selftests  KVM-selftest-style programs, in build/selftests/"
	@echo "make unit       cmocka unit tests (userspace and hardware-free kernel logic)"
	@echo "make lint       checkpatch --no-tree, then sparse + W=1 on vtx.ko for each KSERIES"
	@echo "make check      deps, unit, lint, then the selftests in the Bochs machine:"
	@echo "                full suite on the first KSERIES, the 1-CPU boot on the others"
	@echo "make machine    only the Bochs selftest boots of 'make check' (no deps/unit/lint)"
	@echo "make demo       boot the Bochs machine and run guests under vtx"
	@echo "make bench      exit-cost benchmark: vtx vs KVM in one boot"
	@echo "make shell      interactive busybox shell in the Bochs machine (vtx.ko, vmctl inside)"
	@echo "make deps       install the Debian packages all of this needs (sudo if not root)"
	@echo "make install    modules_install + vmctl into /usr/local (DESTDIR= to stage)"
	@echo "make clean      remove build/ and vtx.ko"
	@echo "KDIR=<dir>      kernel build tree (default: running kernel, else Debian cloud headers)"
	@echo "KSERIES='6.1 6.12'  Debian cloud kernel series the test machine boots (first = full suite)"

module:
	@if [ -z "$(KDIR)" ] || [ ! -d "$(KDIR)" ]; then \
		echo "vtx: no kernel build tree: install linux-headers-$$(uname -r)," \
		     "or run 'tests/machine/deps' for the Debian cloud headers, or pass KDIR=" >&2; \
		exit 1; fi
	@mkdir -p $(MODDIR)
	@find $(MODDIR) -type l -delete
	@cd $(TOP) && find Kbuild kmod uapi -type f \( -name '*.[chS]' -o -name Kbuild \) | \
		while read -r f; do mkdir -p "$$(dirname "$(MODDIR)/$$f")"; ln -s "$(TOP)/$$f" "$(MODDIR)/$$f"; done
	$(MAKE) -C $(KDIR) M=$(MODDIR) W=$(W) modules
	@cp $(MODDIR)/vtx.ko $(TOP)/vtx.ko

include tools/vmctl/vmctl.mk
include tests/unit/unit.mk
include tests/selftests/selftests.mk
include tests/guests/guests.mk
include tests/bench/bench.mk
include tests/lint/lint.mk

deps:
	tests/machine/deps

check: deps
	$(MAKE) unit
	$(MAKE) lint
	$(MAKE) all
	tests/machine/check

machine: all
	tests/machine/check

shell: all
	tests/machine/run --shell --kseries $(firstword $(KSERIES))

demo: deps
	$(MAKE) all
	tests/machine/run --demo --kseries $(firstword $(KSERIES))

bench: deps
	$(MAKE) all
	tests/machine/run --bench --kseries $(firstword $(KSERIES))

# DESTDIR= stages the install (packages, tests): vtx.ko goes to
# $(DESTDIR)/lib/modules/<KDIR's release>/extra/, vmctl to
# $(DESTDIR)/usr/local/bin/; depmod then runs only for a real install (no
# DESTDIR). A headers package has no signing key (Debian's is not shipped):
# unless CONFIG_MODULE_SIG_KEY exists, vtx.ko is installed unsigned (for
# Secure Boot, dkms signs it with the machine's MOK key).
INSTALL_SIG_KEY = $(shell sed -n 's/^CONFIG_MODULE_SIG_KEY="\(.*\)"/\1/p' $(KDIR)/.config)
install: module vmctl
	$(MAKE) -C $(KDIR) M=$(MODDIR) INSTALL_MOD_PATH=$(DESTDIR) \
		$(if $(wildcard $(KDIR)/$(INSTALL_SIG_KEY)),,CONFIG_MODULE_SIG_ALL=) modules_install
	install -D -m 0755 $(O)/vmctl $(DESTDIR)/usr/local/bin/vmctl
	$(if $(DESTDIR),,depmod -a $(KREL))

clean:
	rm -rf $(O) $(TOP)/vtx.ko
