/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A guest workload the host can check value by value, for the tests that
 * move or multiply vCPUs (many_vms, cpu_offline): the guest reports round
 * r as GUEST_SYNC2(r, seq_value(seed, r)) for r < nr_rounds, then
 * GUEST_DONE. The value is computed in registers and on the stack, so a
 * vCPU that lost or mixed up state shows as a wrong value; the host calls
 * the same seq_value() to check it.
 *
 *	vcpu_args_set(vcpu, 2, seed, nr_rounds) for a vCPU of seq_guest_code
 */
#ifndef VTX_SELFTEST_SEQ_GUEST_H
#define VTX_SELFTEST_SEQ_GUEST_H

#include <stdint.h>

uint64_t seq_value(uint64_t seed, uint64_t round);
void seq_guest_code(uint64_t seed, uint64_t nr_rounds);

#endif /* VTX_SELFTEST_SEQ_GUEST_H */
