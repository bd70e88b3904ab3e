/*
 * Reference counts and page types.
 *
 * A frame's general count says how many things point at it: its owner's
 * allocation, every L1 entry that maps it, every higher-level entry that
 * uses it as the next table, a pin, a vCPU's base pointer, a GDT slot.
 * When it reaches zero the frame goes back to the environment to be
 * scrubbed and freed, so nothing can point at a frame another domain
 * is given.
 *
 * A frame's type says what it may be used as right now. The type can
 * change only while its count is zero, which yields the invariant the
 * whole PV model rests on: a frame is never at the same time a page table
 * (or descriptor table) and mapped writable, because a writable mapping
 * holds a `writable` type reference and a table use holds an Ln one.
 *
 * Taking the first Ln reference validates the frame: every entry must
 * follow the rules in pt_entry.c, and taking each entry's references may
 * recursively validate lower tables. Dropping the last Ln reference
 * releases what the entries hold, recursively. Tables point only at
 * strictly lower levels, except read-only "linear" entries at the same
 * level, and those may not chain (see pt_entry.c), so the references
 * form no cycles and a domain's tables always unwind to nothing.
 *
 * Every frame that takes a page-table or descriptor type asks for a TLB
 * flush before the guest runs again: a stale writable translation of it,
 * left over from a mapping already removed, must not survive.
 */
#include <asm/page_type.h>

bool get_page(unsigned long mfn, pt_domid_t owner)
{
    struct page_info *pg;

    if ( !mfn_valid(mfn) )
        return false;
    pg = mfn_to_page(mfn);
    if ( pg->owner != owner || pg->count == 0 || pg->count == UINT32_MAX )
        return false;
    pg->count++;
    return true;
}

void put_page(unsigned long mfn)
{
    struct page_info *pg = mfn_to_page(mfn);

    ASSERT(pg->count);
    if ( --pg->count == 0 )
        pt_env_free(mfn);
}

/* The entry as it is stored: Xen's rewriting, then log-dirty's mark. */
static pte_t adjust(unsigned int level, pte_t e, pt_domid_t owner)
{
    e = pt_adjust_entry(level, e);
    return level == 1 && (e & _PAGE_PRESENT) ? pt_env_track_l1(owner, e) : e;
}

/* Check every entry of a table and take the references they need. */
static int validate_table(unsigned long mfn, unsigned int level)
{
    pte_t *pt = pt_env_map(mfn);
    struct pt_ctx ctx = { mfn_to_page(mfn)->owner, mfn_to_page(mfn)->owner };
    unsigned int i;
    int rc = 0;

    for ( i = 0; i < PT_ENTRIES; i++ )
    {
        if ( level == 4 && is_xen_l4_slot(i) )
            continue;
        rc = pt_get_entry(level, pt[i], mfn, &ctx);
        if ( rc < 0 )
            break;
        pt[i] = adjust(level, pt[i] ^ rc, ctx.owner);
        rc = 0;
    }
    if ( rc )
    {
        printk(LOG_DEBUG "mfn %lx: L%u entry %u (%016lx) refused: %d\n",
               mfn, level, i, pt[i], rc);
        while ( i-- )
            if ( !(level == 4 && is_xen_l4_slot(i)) )
                pt_put_entry(level, pt[i], mfn);
        return rc;
    }
    if ( level == 4 )
        pt_env_xen_l4_slots(pt);
    return 0;
}

static void devalidate_table(unsigned long mfn, unsigned int level)
{
    pte_t *pt = pt_env_map(mfn);

    for ( unsigned int i = 0; i < PT_ENTRIES; i++ )
        if ( !(level == 4 && is_xen_l4_slot(i)) )
            pt_put_entry(level, pt[i], mfn);
}

static int validate(unsigned long mfn, uint64_t type)
{
    if ( type == PGT_seg_desc )
        return pt_env_validate_desc(mfn);
    if ( pgt_level(type) )
        return validate_table(mfn, pgt_level(type));
    return 0;
}

int get_page_type(unsigned long mfn, uint64_t type)
{
    struct page_info *pg = mfn_to_page(mfn);
    uint64_t t = pg->type_info;
    int rc;

    if ( t & PGT_count_mask )
    {
        /* In use: only more of the same, and only once it is valid. */
        if ( (t & PGT_type_mask) != type || !(t & PGT_validated) ||
             (t & PGT_count_mask) == PGT_count_mask )
            return -EINVAL;
        pg->type_info = t + 1;
        return 0;
    }

    pg->type_info = type | 1;
    if ( type != PGT_writable )
        pt_env_flush();
    rc = validate(mfn, type);
    if ( rc )
    {
        pg->type_info = PGT_none;
        return rc;
    }
    pg->type_info |= PGT_validated;
    /* Writable from now on, or its entries were just rewritten. */
    if ( type == PGT_writable )
        pt_env_writable_first(mfn);
    else
        pt_env_mark_dirty(mfn);
    return 0;
}

void put_page_type(unsigned long mfn)
{
    struct page_info *pg = mfn_to_page(mfn);
    uint64_t t = pg->type_info;

    ASSERT(t & PGT_count_mask);
    if ( (t & PGT_count_mask) > 1 )
    {
        pg->type_info = t - 1;
        return;
    }
    /* The count stays at one while the entries are released. */
    if ( (t & PGT_validated) && pgt_level(t) )
        devalidate_table(mfn, pgt_level(t));
    pg->type_info = PGT_none;
}

int get_page_and_type(unsigned long mfn, pt_domid_t owner, uint64_t type)
{
    int rc;

    if ( !get_page(mfn, owner) )
        return -EINVAL;
    rc = get_page_type(mfn, type);
    if ( rc )
        put_page(mfn);
    return rc;
}

void put_page_and_type(unsigned long mfn)
{
    put_page_type(mfn);
    put_page(mfn);
}

int pt_pin(unsigned long mfn, pt_domid_t owner, unsigned int level)
{
    int rc;

    if ( level < 1 || level > 4 )
        return -EINVAL;
    rc = get_page_and_type(mfn, owner, pgt_of_level(level));
    if ( rc )
        return rc;
    if ( mfn_to_page(mfn)->type_info & PGT_pinned )
    {
        put_page_and_type(mfn);
        return -EINVAL;     /* pins do not nest */
    }
    mfn_to_page(mfn)->type_info |= PGT_pinned;
    return 0;
}

int pt_unpin(unsigned long mfn, pt_domid_t owner)
{
    struct page_info *pg;

    if ( !get_page(mfn, owner) )
        return -EINVAL;
    pg = mfn_to_page(mfn);
    if ( !(pg->type_info & PGT_pinned) )
    {
        put_page(mfn);
        return -EINVAL;
    }
    pg->type_info &= ~PGT_pinned;
    put_page_and_type(mfn);
    put_page(mfn);
    return 0;
}

/* An entry of a frame that is not (or no longer) a table: plain data. */
static int write_plain(unsigned long table, unsigned int slot, pte_t val)
{
    int rc = get_page_type(table, PGT_writable);

    if ( rc )
        return rc;
    pt_env_map(table)[slot] = val;
    pt_env_mark_dirty(table);
    put_page_type(table);
    return 0;
}

/* Only these may change without new references being taken. */
#define FASTPATH_FLAGS (_PAGE_NX | PTE_AVAIL_HIGH | _PAGE_AVAIL | \
                        _PAGE_GLOBAL | _PAGE_DIRTY | _PAGE_ACCESSED | \
                        _PAGE_USER)

static bool same_references(pte_t old, pte_t new)
{
    return (old & _PAGE_PRESENT) && (new & _PAGE_PRESENT) &&
           !((old ^ new) & ~FASTPATH_FLAGS);
}

int pt_update_entry(unsigned long table, unsigned int slot, pte_t val,
                    const struct pt_ctx *ctx, bool preserve_ad)
{
    unsigned int level = pgt_level(mfn_to_page(table)->type_info);
    pte_t *p = pt_env_map(table) + slot, old = *p;
    int rc;

    if ( !level )
        return write_plain(table, slot, val);
    if ( level > 1 && ctx->pg_owner != ctx->owner )
        return -EINVAL;
    if ( level == 4 && is_xen_l4_slot(slot) )
        return -EINVAL;
    if ( preserve_ad )
        val |= old & (_PAGE_ACCESSED | _PAGE_DIRTY);

    if ( same_references(old, val) )
    {
        /* Same frame, same access: only the flags need checking. */
        rc = pt_check_flags(level, val, table);
        if ( rc )
            return rc;
        *p = adjust(level, val, ctx->owner);
        pt_env_mark_dirty(table);
        return 0;
    }
    rc = pt_get_entry(level, val, table, ctx);
    if ( rc < 0 )
        return rc;
    *p = adjust(level, val ^ rc, ctx->owner);
    pt_put_entry(level, old, table);
    if ( level > 1 )
        pt_env_flush();     /* paging-structure caches may hold the old */
    pt_env_mark_dirty(table);
    return 0;
}
