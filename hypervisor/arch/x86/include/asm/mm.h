/*
 * The hypervisor's memory-management entry points outside the page-type
 * code: the machine-to-phys table and the deferred TLB flush.
 */
#ifndef ASM_MM_H
#define ASM_MM_H

#include <asm/config.h>
#include <mica/env.h>

/* M2P entries for frames that are no guest's RAM (Xen's value). */
#define INVALID_M2P_ENTRY (~0UL)

/*
 * Build the machine-to-phys table (one 8-byte entry per frame, all
 * invalid) and map it read-only for guests at M2P_VIRT_START through the
 * hypervisor's L4 slot 256, which every guest L4 shares.
 */
void m2p_init(void);

/* The table's first frame; it is machine-contiguous, in 2 MiB pieces. */
unsigned long m2p_base_mfn(void);

/* Record the pseudo-physical frame that machine frame mfn holds. */
void m2p_set(unsigned long mfn, unsigned long pfn);
/* The pfn recorded for mfn, or INVALID_M2P_ENTRY. */
unsigned long m2p_get(unsigned long mfn);

/*
 * Extend the direct map to cover RAM up to machine address `end` (boot
 * maps the first 4 GiB). Returns how far it now reaches, which is less
 * than `end` without 1 GiB pages or beyond 512 GiB.
 */
uint64_t directmap_extend(uint64_t end);

/* On the way back to a guest: do the TLB flush the type code asked for. */
void pt_flush_if_pending(void);

#endif /* ASM_MM_H */
