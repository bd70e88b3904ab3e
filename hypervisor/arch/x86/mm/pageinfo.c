/*
 * What a frame is used as, in the terms of MICA_DOMCTL_getpageframeinfo:
 * a save/migrate toolstack needs to know which frames are page tables
 * (to rewrite their machine addresses) and which are pinned (to pin them
 * again on the other side). Pure logic over the frame table.
 */
#include <asm/page_type.h>
#include <public/domctl.h>

uint32_t pageinfo_classify(unsigned long mfn, pt_domid_t owner)
{
    const struct page_info *pg;
    uint64_t t;
    uint32_t pinned;

    if ( !mfn_valid(mfn) )
        return MICA_PAGEINFO_invalid;
    pg = mfn_to_page(mfn);
    if ( pg->owner != owner || !pg->count || (pg->flags & PGF_xenheap) )
        return MICA_PAGEINFO_invalid;
    t = pg->type_info;
    if ( !(t & PGT_count_mask) )
        return MICA_PAGEINFO_notab;
    pinned = (t & PGT_pinned) ? MICA_PAGEINFO_pinned : 0;
    if ( pgt_level(t) )
        return pgt_level(t) | pinned;
    return (t & PGT_type_mask) == PGT_seg_desc ? MICA_PAGEINFO_desc
                                               : MICA_PAGEINFO_notab;
}
