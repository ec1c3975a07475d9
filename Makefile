# SPDX-License-Identifier: GPL-2.0
# vtx: top-level build. `make` builds vtx.ko, vmctl, test guests and
# selftests; `make check` runs unit tests and then the Bochs VT-x machine.

TOP := $(CURDIR)
O := $(TOP)/build
W ?= 1
CC ?= gcc

# Kernel build tree: KDIR=, else the running kernel's, else the Debian
# cloud headers that the test machine boots (resolved in one place).
KDIR ?= $(shell d=/lib/modules/$$(uname -r)/build; [ -d $$d ] && echo $$d || \
	  $(TOP)/tests/machine/versions.sh kdir 2>/dev/null)

USER_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror=implicit-function-declaration \
	       -I$(TOP) -I$(TOP)/kmod -D_GNU_SOURCE

.PHONY: all module vmctl guests selftests unit check machine machine-smp demo bench \
	install clean deps help benchbin

all: module vmctl guests selftests benchbin

help:
	@echo "make            build vtx.ko, vmctl, guests and selftests (W=1)"
	@echo "make check      unit tests, lint (checkpatch + sparse), then every selftest in Bochs"
	@echo "make lint       checkpatch --no-tree and sparse over the kernel and tool sources"
	@echo "make demo       boot the Bochs machine and run guests under vtx"
	@echo "make bench      exit-cost benchmark: vtx vs KVM in one boot"
	@echo "make install    modules_install + vmctl into /usr/local"
	@echo "KDIR=<dir>      kernel build tree (default: running kernel, else Debian cloud headers)"

module:
	@if [ -z "$(KDIR)" ] || [ ! -d "$(KDIR)" ]; then \
		echo "vtx: no kernel build tree: install linux-headers-$$(uname -r)," \
		     "or run 'tests/machine/deps' for the Debian cloud headers, or pass KDIR=" >&2; \
		exit 1; fi
	$(MAKE) -C $(KDIR) M=$(TOP) W=$(W) modules

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
	tests/machine/run --suite all

machine: all
	tests/machine/run --suite all

demo: deps
	$(MAKE) all
	tests/machine/run --demo

bench: deps
	$(MAKE) all
	tests/machine/run --bench

# DESTDIR= stages the install (packages, tests): vtx.ko goes to
# $(DESTDIR)/lib/modules/<KDIR's release>/extra/, vmctl to
# $(DESTDIR)/usr/local/bin/; depmod then runs only for a real install (no
# DESTDIR). A headers package has no signing key (Debian's is not shipped):
# unless CONFIG_MODULE_SIG_KEY exists, vtx.ko is installed unsigned (for
# Secure Boot, dkms signs it with the machine's MOK key).
INSTALL_KVER = $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h)
INSTALL_SIG_KEY = $(shell sed -n 's/^CONFIG_MODULE_SIG_KEY="\(.*\)"/\1/p' $(KDIR)/.config)
install: module vmctl
	$(MAKE) -C $(KDIR) M=$(TOP) INSTALL_MOD_PATH=$(DESTDIR) \
		$(if $(wildcard $(KDIR)/$(INSTALL_SIG_KEY)),,CONFIG_MODULE_SIG_ALL=) modules_install
	install -D -m 0755 $(O)/vmctl $(DESTDIR)/usr/local/bin/vmctl
	$(if $(DESTDIR),,depmod -a $(INSTALL_KVER))

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean 2>/dev/null
	rm -rf $(O)
