/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guests for the tests around a vCPU shutdown (triple fault): one that
 * triple-faults at once, and one that proves a vCPU runs (GUEST_SYNC(42),
 * then GUEST_DONE).
 */
#ifndef VTX_SELFTEST_SHUTDOWN_GUEST_H
#define VTX_SELFTEST_SHUTDOWN_GUEST_H

/* LIDT with limit 0, then UD2: #UD, #DF and #GP cannot be delivered (SDM 6.15). */
void guest_triple_fault(void);
void guest_sync42_done(void);

#endif /* VTX_SELFTEST_SHUTDOWN_GUEST_H */
