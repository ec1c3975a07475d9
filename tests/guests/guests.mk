# SPDX-License-Identifier: GPL-2.0
# Test guests, built with the host toolchain (no cross tools):
#   hello16.img  real-mode boot sector (flat binary, 512 bytes)
#   hello32.elf  ELF32, 32-bit protected mode, C + asm
#   hello64.elf  ELF64, long mode, C + asm
# Each prints "Hello from ..." on COM1 and halts with interrupts off.
# Multiboot guests (ELF32 on mb_entry.S + mb_lib.c; TAP on COM1, exit
# port 0xf4 = 0 when all pass, so vmctl exits 1; 3 on a failure):
#   mb_hello.elf    PC platform checks; mb_hello.mod is its test module
#   apic_timer.elf  LAPIC timer modes, EOI, x2APIC, self IPIs (--cpus 1)
#   pit_irq.elf     8259 + 8254 IRQ0, port 0x61, RTC, COM1 IRQ4 (--cpus 1)
#   smp_ipi.elf     MADT, INIT/SIPI to every AP, fixed IPIs (--cpus 4);
#                   --append "sipi=0": trampoline at 0, SIPI vector 0
#   ioapic_irq.elf  IOAPIC edge/level lines raised through pc-testdev ports
#                   0x2000 + n (--testdev), remote IRR, EOI, coalescing
#   mb_low.elf      code linked at 0x8000 (guest_low.ld), command line
#                   "IMAGE APPEND" as argv, 128 MiB default RAM
# -fno-delete-null-pointer-checks: physical address 0 is memory to guests.

GUEST_DIR := $(TOP)/tests/guests
GUEST_OUT := $(O)/guests
GUEST_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -ffreestanding -nostdlib -fno-pic -fno-pie \
		-static -fno-stack-protector -fno-asynchronous-unwind-tables \
		-mgeneral-regs-only -fcf-protection=none -fno-delete-null-pointer-checks \
		-I$(TOP)/kmod
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
		 -Wl,-T,$(GUEST_DIR)/guest.ld

guests: $(GUEST_OUT)/hello16.img $(GUEST_OUT)/hello32.elf $(GUEST_OUT)/hello64.elf \
	$(GUEST_OUT)/mb_hello.elf $(GUEST_OUT)/mb_hello.mod \
	$(GUEST_OUT)/apic_timer.elf $(GUEST_OUT)/pit_irq.elf $(GUEST_OUT)/smp_ipi.elf \
	$(GUEST_OUT)/ioapic_irq.elf $(GUEST_OUT)/mb_low.elf

$(GUEST_OUT)/hello16.img: $(GUEST_DIR)/hello16.S
	@mkdir -p $(dir $@) $(O)/guests-obj
	$(CC) -m32 -c -o $(O)/guests-obj/hello16.o $<
	ld -m elf_i386 -Ttext=0x7c00 -e _start --oformat binary -o $@ $(O)/guests-obj/hello16.o
	@test $$(stat -c %s $@) -eq 512 || { echo "hello16.img is not 512 bytes" >&2; exit 1; }

$(GUEST_OUT)/hello32.elf: $(GUEST_DIR)/start32.S $(GUEST_DIR)/start.inc $(GUEST_DIR)/hello.c \
			  $(GUEST_DIR)/serial.h $(GUEST_DIR)/guest.ld
	@mkdir -p $(dir $@)
	$(CC) -m32 $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(filter %.S %.c,$^)

$(GUEST_OUT)/hello64.elf: $(GUEST_DIR)/start64.S $(GUEST_DIR)/start.inc $(GUEST_DIR)/hello.c \
			  $(GUEST_DIR)/serial.h $(GUEST_DIR)/guest.ld
	@mkdir -p $(dir $@)
	$(CC) -m64 -mno-red-zone $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(filter %.S %.c,$^)

# Content mb_hello.c expects (MOD_CONTENT).
$(GUEST_OUT)/mb_hello.mod: $(GUEST_DIR)/guests.mk
	@mkdir -p $(dir $@)
	printf 'vtx multiboot module\n' > $@

MB_LIB := $(GUEST_DIR)/mb_entry.S $(GUEST_DIR)/mb_lib.c
MB_LIB_DEPS := $(MB_LIB) $(GUEST_DIR)/mb_lib.h $(GUEST_DIR)/apic.h $(GUEST_DIR)/serial.h \
	       $(GUEST_DIR)/guest.ld

$(GUEST_OUT)/mb_hello.elf: $(GUEST_DIR)/mb_hello.c $(MB_LIB_DEPS)
$(GUEST_OUT)/apic_timer.elf: $(GUEST_DIR)/apic_timer.c $(MB_LIB_DEPS)
$(GUEST_OUT)/pit_irq.elf: $(GUEST_DIR)/pit_irq.c $(MB_LIB_DEPS)
$(GUEST_OUT)/smp_ipi.elf: $(GUEST_DIR)/smp_ipi.c $(GUEST_DIR)/smp_tramp.S $(MB_LIB_DEPS)
$(GUEST_OUT)/ioapic_irq.elf: $(GUEST_DIR)/ioapic_irq.c $(MB_LIB_DEPS)
$(GUEST_OUT)/mb_low.elf: $(GUEST_DIR)/mb_low.c $(MB_LIB_DEPS) $(GUEST_DIR)/guest_low.ld

# mb_entry.S first: its multiboot header must be in the first 8 KiB.
$(GUEST_OUT)/mb_hello.elf $(GUEST_OUT)/apic_timer.elf $(GUEST_OUT)/pit_irq.elf \
$(GUEST_OUT)/smp_ipi.elf $(GUEST_OUT)/ioapic_irq.elf:
	@mkdir -p $(dir $@)
	$(CC) -m32 $(GUEST_CFLAGS) -fno-tree-loop-distribute-patterns $(GUEST_LDFLAGS) -o $@ \
		$(GUEST_DIR)/mb_entry.S $(filter-out %/mb_entry.S,$(filter %.S %.c,$^))
	@off=$$(od -An -tx4 -w4 -v -N 8192 $@ | grep -n -m1 ' 1badb002' | cut -d: -f1); \
		test -n "$$off" || { echo "$@: no multiboot header in 8 KiB" >&2; exit 1; }

# The same, linked low (guest_low.ld instead of guest.ld).
$(GUEST_OUT)/mb_low.elf:
	@mkdir -p $(dir $@)
	$(CC) -m32 $(GUEST_CFLAGS) -fno-tree-loop-distribute-patterns \
		$(subst guest.ld,guest_low.ld,$(GUEST_LDFLAGS)) -o $@ \
		$(GUEST_DIR)/mb_entry.S $(filter-out %/mb_entry.S,$(filter %.S %.c,$^))
	@off=$$(od -An -tx4 -w4 -v -N 8192 $@ | grep -n -m1 ' 1badb002' | cut -d: -f1); \
		test -n "$$off" || { echo "$@: no multiboot header in 8 KiB" >&2; exit 1; }
