# SPDX-License-Identifier: GPL-2.0
# The exit-cost benchmark binary, static (it runs in the busybox initramfs).
BENCH_SRCS := $(addprefix tests/bench/,bench.c bench_vtx.c bench_kvm.c guest.S guest_apic.S \
	guest_ipi.S native.S)

$(O)/bench/vtxbench: $(BENCH_SRCS) tests/bench/bench.h tests/bench/compute.inc \
	tests/bench/guest.inc uapi/vtx.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Itests/bench -static -pthread -o $@ $(BENCH_SRCS) -lm

benchbin: $(O)/bench/vtxbench

# The same OUT loop as a boot sector for `vmctl run`: the port exit answered
# by vmctl's 16550 model (bench.c runs it beside the bench client's row).
$(O)/bench/scr.img: tests/bench/vmctl_scr.S
	@mkdir -p $(dir $@) $(O)/bench-obj
	$(CC) -m32 -c -o $(O)/bench-obj/vmctl_scr.o $<
	ld -m elf_i386 -Ttext=0x7c00 -e _start --oformat binary -o $@ $(O)/bench-obj/vmctl_scr.o
	@test $$(stat -c %s $@) -eq 512 || { echo "scr.img is not 512 bytes" >&2; exit 1; }

benchbin: $(O)/bench/scr.img

# make bench-dispatch: userspace instructions per OUT exit, vmctl's loop vs
# the bench client's, by callgrind on this host (tests/bench/dispatch.c).
DISPATCH_SRCS := tests/bench/dispatch.c tests/bench/bench_vtx.c $(filter-out \
	%/main.c %/run.c %/vcpus.c,$(wildcard tools/vmctl/*.c)) kmod/vmx/caps.c

$(O)/bench-obj/dispatch: $(DISPATCH_SRCS) $(wildcard tools/vmctl/*.h) tests/bench/bench.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Itests/bench -static -Wl,--wrap=ioctl,--wrap=open,--wrap=mmap \
		-o $@ $(DISPATCH_SRCS)

.PHONY: bench-dispatch
bench-dispatch: $(O)/bench-obj/dispatch
	@for who in client vmctl; do \
		a=$$(valgrind --tool=callgrind --callgrind-out-file=/dev/null $< $$who 1000 2>&1 | \
		     sed -n 's/.*refs: *//p' | tr -d ,); \
		b=$$(valgrind --tool=callgrind --callgrind-out-file=/dev/null $< $$who 11000 2>&1 | \
		     sed -n 's/.*refs: *//p' | tr -d ,); \
		echo "$$who: $$(( (b - a) / 10000 )) instructions per OUT exit (callgrind)"; \
	done
