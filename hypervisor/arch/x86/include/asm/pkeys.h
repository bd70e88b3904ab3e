/*
 * Protection keys (PKU), used by log-dirty mode to catch a guest's first
 * store to each page without the guest seeing a read-only PTE.
 *
 * A PTE's bits 59-62 name one of 16 keys and PKRU holds two bits per key
 * (bit 2k: access disable, bit 2k+1: write disable). The keys apply to
 * user-mode addresses, which is every guest mapping (the guest kernel
 * runs in ring 3 and all its entries carry _PAGE_USER), and with CR0.WP
 * also to the hypervisor's own stores to guest addresses. Mica uses bit
 * 59 alone as its mark: PKRU_LOGDIRTY write-disables every odd key, so
 * whatever the guest keeps in bits 60-62 does not matter.
 */
#ifndef ASM_PKEYS_H
#define ASM_PKEYS_H

#include <stdint.h>
#include <asm/page.h>

#define X86_CR4_PKE     (1UL << 22)
#define CPUID7_ECX_PKU  (1u << 3)

#define PTE_LD_CLEAN    (1UL << 59)     /* log-dirty: not written yet */
#define PKRU_LOGDIRTY   0x88888888u     /* WD for keys 1, 3, ... 15 */

static inline void wrpkru(uint32_t v)
{
    asm volatile ( "wrpkru" :: "a" (v), "c" (0), "d" (0) : "memory" );
}

#endif /* ASM_PKEYS_H */
