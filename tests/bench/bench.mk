# SPDX-License-Identifier: GPL-2.0
# The exit-cost benchmark binary, static (it runs in the busybox initramfs).
BENCH_SRCS := $(addprefix tests/bench/,bench.c bench_vtx.c bench_kvm.c guest.S native.S)

$(O)/bench/vtxbench: $(BENCH_SRCS) tests/bench/bench.h tests/bench/compute.inc uapi/vtx.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Itests/bench -static -o $@ $(BENCH_SRCS)

benchbin: $(O)/bench/vtxbench
