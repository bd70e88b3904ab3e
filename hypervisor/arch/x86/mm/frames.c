/*
 * The hypervisor's side of the page-type code: where frame contents live
 * (the direct map), what happens to a frame whose last reference goes
 * (back to the allocator, off its owner's account), which domains may
 * map I/O, and the deferred TLB flush. Also a domain's frame allocation,
 * which hands out the allocation reference.
 */
#include <asm/mm.h>
#include <asm/page_type.h>
#include <asm/pkeys.h>
#include <asm/processor.h>
#include <mica/domain_page.h>
#include <mica/lib.h>
#include <mica/logdirty.h>
#include <mica/page_alloc.h>

extern pte_t idle_l4[PT_ENTRIES];

static bool flush_pending;

pte_t *pt_env_map(unsigned long mfn)
{
    return mfn_to_virt(mfn);
}

/*
 * The last reference to a domain's frame is gone. A dying domain's slot
 * is released with its last frame: until then a frame it owned may still
 * be mapped elsewhere, and its id must not be handed to a new domain
 * whose frames get_page() could then confuse with these. Not before the
 * kill is complete (DOMDYING_dead): the kill itself, perhaps between two
 * of its continuations, still uses the slot.
 */
void pt_env_free(unsigned long mfn)
{
    struct page_info *pg = mfn_to_page(mfn);
    struct domain *d = domain_slot(pg->owner);

    ASSERT(!(pg->flags & PGF_xenheap));
    /* A stale TLB entry must not reach the frame's next owner. */
    pt_env_flush();
    m2p_set(mfn, INVALID_M2P_ENTRY);
    if ( d )
        d->tot_pages--;
    /*
     * Scrubbed here, not only when a domain is next given it: whatever
     * takes the frame from the allocator (the hypervisor's own tables,
     * a page it shares) never sees what the guest left in it.
     */
    memset(mfn_to_virt(mfn), 0, PAGE_SIZE);
    if ( page_free(mfn, 0) )
        panic("frame %lx: freeing its last reference failed", mfn);
    if ( d && d->is_dying == DOMDYING_dead && !d->tot_pages )
        domain_release(d);
}

void pt_env_mark_dirty(unsigned long mfn)
{
    struct domain *d = domain_by_id(mfn_to_page(mfn)->owner);

    if ( d && d->logdirty )
        paging_mark_dirty(d, mfn);
}

void pt_env_writable_first(unsigned long mfn)
{
    struct domain *d = domain_by_id(mfn_to_page(mfn)->owner);

    if ( d && d->logdirty && !logdirty_precise(d) )
        paging_mark_dirty(d, mfn);
}

/*
 * While log-dirty mode sees stores (logdirty_precise), every writable
 * mapping of one of the domain's own RAM frames carries PTE_LD_CLEAN
 * until the first store through it. No other entry may carry it: not a
 * mapping it could not account for (I/O, a hypervisor frame, another
 * domain's frame), and not a read-only one, where the CPU may report a
 * write as a protection-key fault and the guest would take that for a
 * real one (Linux then sends SIGSEGV instead of breaking copy-on-write;
 * its fork copies a marked entry read-only into the child).
 */
pte_t pt_env_track_l1(pt_domid_t owner, pte_t e)
{
    struct domain *d = domain_by_id(owner);
    unsigned long mfn = pte_mfn(e);

    if ( !d || !logdirty_precise(d) )
        return e;
    if ( !(e & _PAGE_RW) || !mfn_valid(mfn) ||
         mfn_to_page(mfn)->owner != owner ||
         (mfn_to_page(mfn)->flags & PGF_xenheap) )
        return e & ~PTE_LD_CLEAN;
    return e | PTE_LD_CLEAN;
}

void pt_env_flush(void)
{
    flush_pending = true;
}

/* Called on every return to a guest: apply a flush the type code asked. */
void pt_flush_if_pending(void)
{
    if ( flush_pending )
    {
        flush_pending = false;
        flush_tlb_local();
    }
}

bool pt_env_io_ok(pt_domid_t id)
{
    struct domain *d = domain_by_id(id);

    return d && d->is_privileged;
}

/* Xen's dom0 may map I/O frames below the CPU's physical address width. */
bool pt_env_mmio_frame(unsigned long mfn)
{
    static unsigned int paddr_bits;
    uint32_t a, b, c, d;

    if ( !paddr_bits )
    {
        cpuid_count(0x80000008, 0, &a, &b, &c, &d);
        paddr_bits = a & 0xff;
        if ( paddr_bits < 36 )      /* no such leaf: the 64-bit minimum */
            paddr_bits = 36;
    }
    return mfn < (1UL << (paddr_bits - PAGE_SHIFT));
}

void pt_env_xen_l4_slots(pte_t *l4)
{
    for ( unsigned int s = HYPERVISOR_SLOT_FIRST; s <= HYPERVISOR_SLOT_LAST;
          s++ )
        l4[s] = idle_l4[s];
}

long domain_alloc_pages(struct domain *d, unsigned int order)
{
    unsigned long n = 1UL << order;
    long mfn;

    if ( d->tot_pages + n > d->max_pages )
        return -ENOMEM;
    mfn = page_alloc(order, d->domain_id);
    if ( mfn < 0 )
        return mfn;
    for ( unsigned long i = 0; i < n; i++ )
    {
        struct page_info *pg = mfn_to_page(mfn + i);

        memset(mfn_to_virt(mfn + i), 0, PAGE_SIZE);
        pg->count = 1;
        pg->flags |= PGF_allocated;
    }
    d->tot_pages += n;
    return mfn;
}

void share_xen_page_with_guest(unsigned long mfn, struct domain *d)
{
    struct page_info *pg = mfn_to_page(mfn);

    pg->owner = d->domain_id;
    pg->count = 1;
    pg->flags |= PGF_xenheap;
    /* We write it through the direct map: it may never become a table. */
    pg->type_info = PGT_writable | PGT_validated | 1;
}
