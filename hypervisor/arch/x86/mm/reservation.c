/*
 * Giving a frame back (decrease_reservation) for a PV guest.
 *
 * A guest frame carries one "allocation" reference from the moment it is
 * given to its owner (PGF_allocated); every mapping, table entry, pin,
 * base pointer and hypervisor use holds one more. Giving the frame back
 * drops only the allocation reference. Whatever else still points at the
 * frame keeps it alive and owned, so nobody else can be handed a frame
 * that this guest can still reach, and it is freed (and scrubbed, see
 * mm/frames.c) by the put_page that drops the last reference. The guest
 * is not told which case it was in: Xen reports success either way.
 *
 * The extra reference taken around the operation guarantees the
 * allocation reference is never the last one dropped here while the page
 * state is being looked at.
 */
#include <asm/page_type.h>
#include <mica/memop.h>

int memop_remove_frame(unsigned long mfn, uint16_t owner)
{
    struct page_info *pg;

    if ( !mfn_valid(mfn) )
        return -EINVAL;
    if ( !get_page(mfn, owner) )
        return -ENXIO;
    pg = mfn_to_page(mfn);
    if ( pg->flags & PGF_allocated )
    {
        pg->flags &= ~PGF_allocated;
        put_page(mfn);
    }
    put_page(mfn);
    return 0;
}

void frame_chain_init(struct frame_chain *c)
{
    c->head = c->tail = INVALID_MFN32;
    c->n = 0;
}

void frame_chain_add(struct frame_chain *c, unsigned long mfn)
{
    mfn_to_page(mfn)->next = INVALID_MFN32;
    if ( c->tail == INVALID_MFN32 )
        c->head = mfn;
    else
        mfn_to_page(c->tail)->next = mfn;
    c->tail = mfn;
    c->n++;
}

unsigned long frame_chain_take(struct frame_chain *c)
{
    unsigned long mfn = c->head;

    if ( mfn == INVALID_MFN32 )
        return INVALID_MFN32;
    c->head = mfn_to_page(mfn)->next;
    mfn_to_page(mfn)->next = INVALID_MFN32;
    if ( c->head == INVALID_MFN32 )
        c->tail = INVALID_MFN32;
    c->n--;
    return mfn;
}

int memop_steal_frame(unsigned long mfn, uint16_t owner,
                      struct frame_chain *stolen)
{
    struct page_info *pg;

    if ( !mfn_valid(mfn) )
        return -EINVAL;
    pg = mfn_to_page(mfn);
    if ( pg->owner != owner || (pg->flags & PGF_xenheap) ||
         !(pg->flags & PGF_allocated) || pg->count != 1 ||
         (pg->type_info & (PGT_count_mask | PGT_pinned)) )
        return -EINVAL;
    pg->flags &= ~PGF_allocated;
    pg->count = 0;
    pg->type_info = PGT_none;
    frame_chain_add(stolen, mfn);
    return 0;
}

void memop_unsteal(struct frame_chain *stolen)
{
    unsigned long mfn;

    while ( (mfn = frame_chain_take(stolen)) != INVALID_MFN32 )
    {
        mfn_to_page(mfn)->flags |= PGF_allocated;
        mfn_to_page(mfn)->count = 1;
    }
}

void memop_free_stolen(struct frame_chain *stolen)
{
    unsigned long mfn;

    while ( (mfn = frame_chain_take(stolen)) != INVALID_MFN32 )
    {
        mfn_to_page(mfn)->count = 1;
        put_page(mfn);
    }
}
