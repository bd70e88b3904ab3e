/*
 * Log-dirty mode for PV domains, without shadow page tables.
 *
 * A PV guest writes its memory through its own page tables, which we
 * validate but do not trap on. Xen tracks plain guest stores by running
 * the domain on shadow page tables while log-dirty is on; Mica instead
 * over-approximates, soundly: a frame can only change while something
 * holds a writable use of it, so a round's dirty set is
 *
 *   every frame that had a writable type reference at any moment of the
 *   round (a writable mapping, the console ring, a vcpu_info frame), plus
 *   every frame the hypervisor changed (page-table entries, validation
 *   rewriting entries, hypercall pages, descriptors, grant copies).
 *
 * The type system reports each frame that takes its first writable
 * reference or has entries rewritten (pt_env_mark_dirty); at every clean
 * the frames still writable are marked again at once for the next round,
 * since they may be written in it. Nothing a guest writes is ever missed;
 * the price is that frames which stay mapped writable (Linux's direct
 * map: most of memory) are reported in every round, so live migration of
 * a Linux guest will not converge until a write-protecting scheme
 * (shadow paging or read-only direct maps) replaces the second half.
 *
 * Bits are indexed by pfn through the machine-to-phys table.
 */
#include <asm/mm.h>
#include <asm/page.h>
#include <mica/domain.h>
#include <mica/guest_access.h>
#include <mica/lib.h>
#include <mica/logdirty.h>
#include <mica/page_alloc.h>
#include <public/domctl.h>

struct logdirty
{
    struct ld_bitmap bm;
    long words_mfn;
    unsigned int order;
};

static struct logdirty state[CONFIG_MAX_DOMAINS];

void paging_mark_dirty(struct domain *d, unsigned long mfn)
{
    if ( d->logdirty )
        ld_mark(&d->logdirty->bm, m2p_get(mfn));
}

/* Frames the domain can write right now: they may change next round. */
static void mark_writable_frames(struct domain *d)
{
    for ( unsigned long mfn = 0; mfn < max_frame; mfn++ )
    {
        const struct page_info *pg = mfn_to_page(mfn);

        if ( pg->owner == d->domain_id && !(pg->flags & PGF_xenheap) &&
             (pg->type_info & PGT_type_mask) == PGT_writable &&
             (pg->type_info & PGT_count_mask) )
            paging_mark_dirty(d, mfn);
    }
}

static unsigned int order_for_bytes(size_t bytes)
{
    unsigned int order = 0;

    while ( ((size_t)PAGE_SIZE << order) < bytes )
        order++;
    return order;
}

static int enable(struct domain *d, uint32_t nr_pfns)
{
    struct logdirty *ld = &state[d->domain_id];
    long mfn;

    if ( d->logdirty )
        return -EBUSY;
    if ( !nr_pfns || nr_pfns > MICA_LOGDIRTY_MAX_PFNS )
        return -EINVAL;
    ld->order = order_for_bytes(ld_bytes(nr_pfns));
    mfn = page_alloc(ld->order, PAGE_OWNER_XEN);
    if ( mfn < 0 )
        return -ENOMEM;
    ld->words_mfn = mfn;
    ld_init(&ld->bm, mfn_to_virt(mfn), nr_pfns);
    d->logdirty = ld;
    mark_writable_frames(d);
    return 0;
}

void logdirty_disable(struct domain *d)
{
    struct logdirty *ld = d->logdirty;

    if ( !ld )
        return;
    d->logdirty = NULL;
    page_free(ld->words_mfn, ld->order);
    memset(ld, 0, sizeof(*ld));
}

static long read_bitmap(struct domain *d, struct mica_domctl_logdirty *op,
                        bool clean)
{
    struct ld_bitmap *bm;

    if ( !d->logdirty )
        return -EINVAL;
    bm = &d->logdirty->bm;
    if ( copy_to_guest(op->bitmap, bm->words, ld_copy_bytes(bm, op->nr_pfns)) )
        return -EFAULT;
    op->dirty_count = bm->dirty;
    op->overflow = bm->overflow;
    if ( clean )
    {
        ld_clear(bm);
        mark_writable_frames(d);
    }
    return 0;
}

long logdirty_domctl(struct domain *d, struct mica_domctl_logdirty *op)
{
    switch ( op->op )
    {
    case MICA_LOGDIRTY_enable:
        return enable(d, op->nr_pfns);
    case MICA_LOGDIRTY_disable:
        logdirty_disable(d);
        return 0;
    case MICA_LOGDIRTY_clean:
        return read_bitmap(d, op, true);
    case MICA_LOGDIRTY_peek:
        return read_bitmap(d, op, false);
    default:
        return -EINVAL;
    }
}
