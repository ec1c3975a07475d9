# SPDX-License-Identifier: GPL-2.0
# vtx selftests: static programs (no libc in the busybox initramfs) run by
# the Bochs VT-x machine from /vtx/selftests; see tests/selftests/suites.
#
# Every tests/selftests/*.c is one program linked with lib/. Programs are
# linked at a fixed address (no PIE) so that the library can load the
# program's own image into guest memory at the same virtual addresses:
# globals and function pointers mean the same in the guest and the host.
# Guest code runs in ring 0 without a TLS segment: no stack protector.

ST_DIR := $(TOP)/tests/selftests
ST_O := $(O)/selftests
ST_CFLAGS := $(USER_CFLAGS) -I$(ST_DIR) -I$(ST_DIR)/lib -fno-stack-protector \
	     -fno-pie -fno-omit-frame-pointer -mno-red-zone -fno-builtin-memcpy \
	     -fno-builtin-memset -fno-builtin-memcmp \
	     -mgeneral-regs-only -fno-tree-loop-distribute-patterns
ST_LDFLAGS := -static -no-pie -Wl,-Ttext-segment=0x400000 -pthread

ST_PROGS := $(patsubst $(ST_DIR)/%.c,$(ST_O)/%,$(wildcard $(ST_DIR)/*.c))
ST_SCRIPTS := $(patsubst $(ST_DIR)/%,$(ST_O)/%,$(wildcard $(ST_DIR)/*.sh))
ST_LIB_SRCS := $(wildcard $(ST_DIR)/lib/*.c $(ST_DIR)/lib/*.S)
# Guest-running tests that can also be built against KVM (see kvm/).
ST_GUEST_TESTS := cpuid msr cr io mmio ept hlt triple_fault bad_sregs signal many_vms \
		  inject lapic_timer ipi irq_line
ST_LIB_OBJS := $(patsubst $(ST_DIR)/lib/%,$(ST_O)/lib/%.o,$(ST_LIB_SRCS))
ST_HDRS := $(wildcard $(ST_DIR)/*.h $(ST_DIR)/lib/*.h) $(TOP)/uapi/vtx.h

.SECONDARY: $(ST_LIB_OBJS)

selftests: $(ST_PROGS) $(ST_SCRIPTS) $(ST_O)/suites

$(ST_O)/lib/%.c.o: $(ST_DIR)/lib/%.c $(ST_HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC      $(patsubst $(O)/%,%,$@)"
	@$(CC) $(ST_CFLAGS) -c $< -o $@

$(ST_O)/lib/%.S.o: $(ST_DIR)/lib/%.S $(ST_HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC      $(patsubst $(O)/%,%,$@)"
	@$(CC) $(ST_CFLAGS) -c $< -o $@

$(ST_O)/%: $(ST_DIR)/%.c $(ST_LIB_OBJS) $(ST_HDRS)
	@mkdir -p $(dir $@)
	@echo "  LD      $(patsubst $(O)/%,%,$@)"
	@$(CC) $(ST_CFLAGS) $< $(ST_LIB_OBJS) $(ST_LDFLAGS) -o $@

# hostile: one program from hostile.c and hostile/*.c (its behaviours).
ST_HOSTILE_SRCS := $(ST_DIR)/hostile.c $(wildcard $(ST_DIR)/hostile/*.c)
$(ST_O)/hostile: $(ST_HOSTILE_SRCS) $(wildcard $(ST_DIR)/hostile/*.h) $(ST_LIB_OBJS) $(ST_HDRS)
	@mkdir -p $(dir $@)
	@echo "  LD      $(patsubst $(O)/%,%,$@)"
	@$(CC) $(ST_CFLAGS) $(ST_HOSTILE_SRCS) $(ST_LIB_OBJS) $(ST_LDFLAGS) -o $@

$(ST_O)/%.sh: $(ST_DIR)/%.sh
	@mkdir -p $(dir $@)
	install -m 0755 $< $@

$(ST_O)/suites: $(ST_DIR)/suites
	@mkdir -p $(dir $@)
	install -m 0644 $< $@

# Development aid, not for the test machine: the guest tests on /dev/kvm
# (lib/backend.h implemented by kvm/backend_kvm.c), to check the library
# and the tests' expectations where KVM exists. vtx-specific results (the
# CPUID signature, VMX hidden, ...) fail there by design.
ST_KVM_O := $(O)/selftests-kvm
ST_KVM_LIB_OBJS := $(filter-out %/backend_vtx.c.o,$(ST_LIB_OBJS)) $(ST_KVM_O)/backend_kvm.o

selftests-kvm: $(addprefix $(ST_KVM_O)/,$(ST_GUEST_TESTS))

$(ST_KVM_O)/backend_kvm.o: $(ST_DIR)/kvm/backend_kvm.c $(ST_HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC      $(patsubst $(O)/%,%,$@)"
	@$(CC) $(ST_CFLAGS) -c $< -o $@

$(ST_KVM_O)/%: $(ST_DIR)/%.c $(ST_KVM_LIB_OBJS) $(ST_HDRS)
	@mkdir -p $(dir $@)
	@echo "  LD      $(patsubst $(O)/%,%,$@)"
	@$(CC) $(ST_CFLAGS) $< $(ST_KVM_LIB_OBJS) $(ST_LDFLAGS) -o $@

.PHONY: selftests-kvm selftests-clean
selftests-clean:
	rm -rf $(ST_O)
