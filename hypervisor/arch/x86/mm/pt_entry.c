/*
 * The rules for one page-table entry of a 64-bit PV guest (Xen 4.17's).
 *
 * - Non-present entries are not checked: the hardware ignores them.
 * - Flags: present, RW, user, accessed, dirty, the available bits and NX
 *   at every level; at L1 also global, and the cache attributes only for
 *   a domain allowed I/O. Superpages (PSE) never: PV guests map 4 KiB.
 *   Bit 62 at L1 is kept for grant mappings.
 * - L1: the frame belongs to the domain the caller named (itself, or a
 *   foreign one for a privileged caller); a writable mapping takes a
 *   writable type reference, so it fails on a page-table frame. Frames
 *   outside RAM or owned by DOMID_IO are I/O: only for domains allowed
 *   I/O and only below the CPU's physical address width (what Xen
 *   grants dom0), never reference counted, and forced uncacheable.
 * - L2-L4: the frame belongs to the table's owner and takes the next
 *   lower table type (validating it if it is new).
 * - Linear entries: an L2/L3/L4 entry may point at a table of its own
 *   level only read-only (a guest must not write entries behind our
 *   back through such a window). Pointing at its own table costs
 *   nothing; pointing at another needs that one validated already, and
 *   a table that has linear entries may not itself be the target of one
 *   (and vice versa), so linear references never chain or loop
 *   (page_info.linear_pt counts both directions).
 * - The hypervisor's L4 slots are the hypervisor's: callers skip them.
 *
 * Entries are rewritten on the way in the way Xen does, because the
 * guest kernel runs in ring 3: every present entry gets _PAGE_USER, and
 * an L1 entry that was meant for the kernel alone is marked with bit 52
 * so the guest can tell. Global is dropped: the user and kernel halves
 * of a guest share one address space, and a CR3 write must clear both.
 */
#include <asm/page_type.h>

#define DOMID_IO_OWNER PAGE_OWNER_IO

static pte_t disallowed_flags(unsigned int level, pt_domid_t owner)
{
    pte_t allowed = PTE_BASE_ALLOWED;

    if ( level == 1 )
    {
        allowed = (allowed & ~PTE_GNTTAB) | _PAGE_GLOBAL;
        if ( pt_env_io_ok(owner) )
            allowed |= PTE_CACHE_ATTRS;
    }
    return ~(allowed | PTE_ADDR_MASK);
}

int pt_check_flags(unsigned int level, pte_t e, unsigned long table)
{
    pte_t bad;

    if ( !(e & _PAGE_PRESENT) )
        return 0;
    bad = e & disallowed_flags(level, mfn_to_page(table)->owner);
    if ( bad )
    {
        printk(LOG_DEBUG "L%u entry %016lx: bad flags %016lx\n", level, e,
               bad);
        return -EINVAL;
    }
    return 0;
}

static bool is_io_frame(unsigned long mfn)
{
    return !mfn_valid(mfn) || mfn_to_page(mfn)->owner == PAGE_OWNER_IO;
}

/* Returns the cache-attribute bits to flip to make the mapping UC. */
static int get_io_l1e(pte_t e, const struct pt_ctx *ctx)
{
    pt_domid_t pg_owner = ctx->pg_owner;

    if ( pg_owner == DOMID_IO_OWNER )
        pg_owner = ctx->owner;
    if ( !pt_env_io_ok(pg_owner) || !pt_env_io_ok(ctx->owner) ||
         !pt_env_mmio_frame(pte_mfn(e)) )
        return pte_mfn(e) == (PTE_ADDR_MASK >> PAGE_SHIFT) ? -EINVAL
                                                           : -EPERM;
    switch ( e & PTE_CACHE_ATTRS )
    {
    case 0:                             /* write-back */
        return _PAGE_PWT | _PAGE_PCD;
    case _PAGE_PWT:                     /* write-through */
        return _PAGE_PCD;
    case _PAGE_PWT | _PAGE_PAT:         /* write-protect */
        return _PAGE_PCD | _PAGE_PAT;
    default:                            /* already uncacheable-ish */
        return 0;
    }
}

static int get_l1e(pte_t e, const struct pt_ctx *ctx)
{
    unsigned long mfn = pte_mfn(e);

    if ( is_io_frame(mfn) )
        return get_io_l1e(e, ctx);
    if ( !get_page(mfn, ctx->pg_owner) )
    {
        printk(LOG_DEBUG "d%u: cannot map mfn %lx owned by %#x\n",
               ctx->owner, mfn, mfn_to_page(mfn)->owner);
        return -EINVAL;
    }
    if ( (e & _PAGE_RW) && get_page_type(mfn, PGT_writable) )
    {
        printk(LOG_DEBUG "d%u: mfn %lx is in use as %#lx, not writable\n",
               ctx->owner, mfn, mfn_to_page(mfn)->type_info >> 59);
        put_page(mfn);
        return -EINVAL;
    }
    if ( (e & _PAGE_RW) && mfn_to_page(mfn)->owner != ctx->owner )
        pt_env_mark_dirty(mfn);     /* the owner cannot see these stores */
    return 0;
}

/* A same-level entry: read-only, and no chains (see the top of file). */
static int get_linear(unsigned int level, pte_t e, unsigned long table,
                      pt_domid_t owner)
{
    unsigned long mfn = pte_mfn(e);
    struct page_info *pg = mfn_to_page(table), *tpg;
    uint64_t t;

    if ( e & _PAGE_RW )
        return -EINVAL;
    if ( mfn == table )
        return 0;
    if ( pg->linear_pt < 0 || pg->linear_pt == INT16_MAX )
        return -EINVAL;
    if ( !get_page(mfn, owner) )
        return -EINVAL;
    tpg = mfn_to_page(mfn);
    t = tpg->type_info;
    if ( tpg->linear_pt > 0 || tpg->linear_pt == INT16_MIN ||
         (t & (PGT_type_mask | PGT_validated)) !=
             (pgt_of_level(level) | PGT_validated) ||
         !(t & PGT_count_mask) || (t & PGT_count_mask) == PGT_count_mask )
    {
        put_page(mfn);
        return -EINVAL;
    }
    tpg->type_info = t + 1;
    tpg->linear_pt--;
    pg->linear_pt++;
    return 0;
}

int pt_get_entry(unsigned int level, pte_t e, unsigned long table,
                 const struct pt_ctx *ctx)
{
    int rc;

    if ( !(e & _PAGE_PRESENT) )
        return 0;
    rc = pt_check_flags(level, e, table);
    if ( rc )
        return rc;
    if ( level == 1 )
        return get_l1e(e, ctx);
    rc = get_page_and_type(pte_mfn(e), ctx->owner, pgt_of_level(level - 1));
    if ( rc == -EINVAL )
        rc = get_linear(level, e, table, ctx->owner);
    return rc;
}

void pt_put_entry(unsigned int level, pte_t e, unsigned long table)
{
    unsigned long mfn = pte_mfn(e);
    struct page_info *tpg;

    if ( !(e & _PAGE_PRESENT) )
        return;
    if ( level == 1 )
    {
        if ( is_io_frame(mfn) )
            return;
        if ( e & _PAGE_RW )
        {
            if ( mfn_to_page(mfn)->owner != mfn_to_page(table)->owner )
                pt_env_mark_dirty(mfn);     /* stores through it unseen */
            put_page_type(mfn);
        }
        else if ( (mfn_to_page(mfn)->type_info & PGT_type_mask) ==
                      PGT_seg_desc &&
                  (mfn_to_page(mfn)->type_info & PGT_count_mask) &&
                  mfn_to_page(mfn)->owner == mfn_to_page(table)->owner )
            /* Rare: the LDT may have used this mapping, forget them all. */
            pt_env_desc_unmapped(mfn_to_page(table)->owner);
        put_page(mfn);
        return;
    }
    if ( mfn == table )
        return;                         /* linear to itself: no refs */
    tpg = mfn_to_page(mfn);
    if ( pgt_level(tpg->type_info) == level )
    {
        mfn_to_page(table)->linear_pt--;
        tpg->linear_pt++;
    }
    put_page_and_type(mfn);
}

pte_t pt_adjust_entry(unsigned int level, pte_t e)
{
    if ( !(e & _PAGE_PRESENT) )
        return e;
    switch ( level )
    {
    case 1:
        if ( !(e & _PAGE_USER) )
            e |= _PAGE_USER | _PAGE_GUEST_KERNEL;
        return e & ~_PAGE_GLOBAL;
    case 4:
        return e | _PAGE_USER | _PAGE_ACCESSED;
    default:
        return e | _PAGE_USER;
    }
}
