/* Page-table entry bits and address conversions for x86-64 4-level paging. */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#include <asm/config.h>
#include <mica/env.h>

#define _PAGE_PRESENT  0x001UL
#define _PAGE_RW       0x002UL
#define _PAGE_USER     0x004UL
#define _PAGE_PWT      0x008UL
#define _PAGE_PCD      0x010UL
#define _PAGE_ACCESSED 0x020UL
#define _PAGE_DIRTY    0x040UL
#define _PAGE_PSE      0x080UL
#define _PAGE_PAT      0x080UL
#define _PAGE_GLOBAL   0x100UL
#define _PAGE_AVAIL    0xe00UL
#define _PAGE_GUEST_KERNEL (1UL << 52) /* L1: guest-kernel mapping */
#define _PAGE_NX       (1UL << 63)

#define PADDR_BITS 52
#define PADDR_MASK ((1UL << PADDR_BITS) - 1)
#define PTE_ADDR_MASK (PADDR_MASK & PAGE_MASK)

#define L1_SHIFT 12
#define L2_SHIFT 21
#define L3_SHIFT 30
#define L4_SHIFT 39
#define PT_ENTRIES 512

#define l1_index(va) (((va) >> L1_SHIFT) & 511)
#define l2_index(va) (((va) >> L2_SHIFT) & 511)
#define l3_index(va) (((va) >> L3_SHIFT) & 511)
#define l4_index(va) (((va) >> L4_SHIFT) & 511)

typedef uint64_t pte_t;

static inline unsigned long pte_mfn(pte_t e)
{
    return (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
}

static inline pte_t mfn_pte(unsigned long mfn, unsigned long flags)
{
    return ((pte_t)mfn << PAGE_SHIFT) | flags;
}

/* The direct map covers all RAM; maddr_to_virt is valid for any RAM frame. */
static inline void *maddr_to_virt(uint64_t ma)
{
    return (void *)(DIRECTMAP_START + ma);
}

static inline void *mfn_to_virt(unsigned long mfn)
{
    return maddr_to_virt((uint64_t)mfn << PAGE_SHIFT);
}

static inline uint64_t virt_to_maddr(const void *va)
{
    unsigned long v = (unsigned long)va;

    if ( v >= MICA_VIRT_START && v < MICA_VIRT_START + (1UL << 30) )
        return v - MICA_VIRT_START;
    return v - DIRECTMAP_START;
}

static inline unsigned long virt_to_mfn(const void *va)
{
    return virt_to_maddr(va) >> PAGE_SHIFT;
}

/* Bits 63-47 all equal: an address the CPU accepts. */
static inline bool is_canonical(uint64_t va)
{
    return ((int64_t)va >> 47) == 0 || ((int64_t)va >> 47) == -1;
}

#endif /* ASM_PAGE_H */
