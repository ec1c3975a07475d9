# SPDX-License-Identifier: GPL-2.0
# The exit-cost benchmark binary, static (it runs in the busybox initramfs).
BENCH_SRCS := $(addprefix tests/bench/,bench.c bench_vtx.c bench_kvm.c guest.S guest_apic.S \
	guest_ipi.S native.S)

$(O)/bench/vtxbench: $(BENCH_SRCS) tests/bench/bench.h tests/bench/compute.inc \
	tests/bench/guest.inc uapi/vtx.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Itests/bench -static -pthread -o $@ $(BENCH_SRCS) -lm

benchbin: $(O)/bench/vtxbench
