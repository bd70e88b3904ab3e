/*
 * The direct map: all of RAM at DIRECTMAP_START + machine address, so the
 * hypervisor can reach any frame (to zero it, validate a page table in
 * it, copy a grant) without mapping it first.
 *
 * The boot code maps the first 4 GiB with 2 MiB pages through boot_l3,
 * which the identity map and the direct map share. Beyond 4 GiB the
 * direct map gets its own L3 here, a copy of boot_l3's first four
 * entries plus one 1 GiB page per further GiB, so it reaches 512 GiB
 * without taking any memory for tables. A CPU without 1 GiB pages keeps
 * to the first 4 GiB (setup.c then ignores the RAM above).
 */
#include <asm/config.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <mica/lib.h>

extern pte_t idle_l4[PT_ENTRIES];
extern pte_t boot_l3[PT_ENTRIES];

static pte_t directmap_l3[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));

#define GIB (1UL << 30)

static bool has_1g_pages(void)
{
    uint32_t a, b, c, d;

    cpuid_count(0x80000000, 0, &a, &b, &c, &d);
    if ( a < 0x80000001 )
        return false;
    cpuid_count(0x80000001, 0, &a, &b, &c, &d);
    return d & (1u << 26);
}

uint64_t directmap_extend(uint64_t end)
{
    unsigned long gib = (end + GIB - 1) / GIB;

    if ( gib <= 4 )
        return end;
    if ( !has_1g_pages() )
        return 4 * GIB;
    gib = MIN(gib, (unsigned long)PT_ENTRIES);
    for ( unsigned long i = 0; i < gib; i++ )
        directmap_l3[i] = i < 4 ? boot_l3[i]
                                : (i * GIB) | _PAGE_PRESENT | _PAGE_RW |
                                  _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_PSE;
    idle_l4[l4_index(DIRECTMAP_START)] =
        mfn_pte(virt_to_mfn(directmap_l3), _PAGE_PRESENT | _PAGE_RW);
    flush_tlb_local();
    return MIN(end, gib * GIB);
}
