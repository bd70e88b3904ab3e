/*
 * The machine-to-phys table: for every machine frame, the pseudo-physical
 * frame number its owner uses for it (or INVALID_M2P_ENTRY). Guests read
 * it directly at M2P_VIRT_START (Linux's mfn_to_pfn does), so it lives in
 * the hypervisor's L4 slot 256, which is copied into every guest L4, and
 * is mapped read-only there; only the hypervisor writes it, through the
 * direct map, when it builds a domain or a guest asks with
 * MMU_MACHPHYS_UPDATE for a frame it owns.
 */
#include <asm/mm.h>
#include <asm/page.h>
#include <mica/lib.h>
#include <mica/page.h>
#include <mica/page_alloc.h>

#define M2P_LEAF (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX)
#define M2P_UPPER (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)

extern pte_t idle_l4[PT_ENTRIES];

#define M2P_EXTENT_ORDER 9

static unsigned long *m2p;
static unsigned long m2p_base;
static unsigned long m2p_pages;

static unsigned int order_for(unsigned long pages)
{
    unsigned int order = 0;

    while ( (1UL << order) < pages )
        order++;
    return order;
}

static pte_t *alloc_table(void)
{
    long mfn = page_alloc(0, PAGE_OWNER_XEN);

    if ( mfn < 0 )
        panic("m2p: no memory for its page tables");
    memset(mfn_to_virt(mfn), 0, PAGE_SIZE);
    return mfn_to_virt(mfn);
}

void m2p_init(void)
{
    unsigned long nr_l1;
    pte_t *l3, *l2;
    long base;

    m2p_pages = ROUNDUP(max_frame * sizeof(*m2p), PAGE_SIZE) >> PAGE_SHIFT;
    nr_l1 = (m2p_pages + PT_ENTRIES - 1) / PT_ENTRIES;
    if ( nr_l1 > PT_ENTRIES )
        panic("m2p: %lu frames need more than 1 GiB of table", max_frame);
    /* Whole 2 MiB extents, as XENMEM_machphys_mfn_list reports them. */
    base = page_alloc(MAX(order_for(m2p_pages), M2P_EXTENT_ORDER),
                      PAGE_OWNER_XEN);
    if ( base < 0 )
        panic("m2p: no memory for %lu pages of table", m2p_pages);
    m2p = mfn_to_virt(base);
    m2p_base = base;
    memset(m2p, 0xff, m2p_pages << PAGE_SHIFT);

    l3 = alloc_table();
    l2 = alloc_table();
    for ( unsigned long i = 0; i < nr_l1; i++ )
    {
        pte_t *l1 = alloc_table();

        for ( unsigned long j = 0; j < PT_ENTRIES; j++ )
            if ( i * PT_ENTRIES + j < m2p_pages )
                l1[j] = mfn_pte(base + i * PT_ENTRIES + j, M2P_LEAF);
        l2[l2_index(M2P_VIRT_START) + i] = mfn_pte(virt_to_mfn(l1),
                                                   M2P_UPPER);
    }
    l3[l3_index(M2P_VIRT_START)] = mfn_pte(virt_to_mfn(l2), M2P_UPPER);
    idle_l4[l4_index(M2P_VIRT_START)] = mfn_pte(virt_to_mfn(l3), M2P_UPPER);
    printk("m2p: %lu KiB at %016lx\n", m2p_pages * 4, M2P_VIRT_START);
}

unsigned long m2p_base_mfn(void)
{
    return m2p_base;
}

void m2p_set(unsigned long mfn, unsigned long pfn)
{
    if ( mfn < max_frame )
        m2p[mfn] = pfn;
}

unsigned long m2p_get(unsigned long mfn)
{
    return mfn < max_frame ? m2p[mfn] : INVALID_M2P_ENTRY;
}
