/*
 * The first slice of the PV MMU, enough for the execution model:
 *
 * - mmuext_op: MMUEXT_NEW_USER_BASEPTR with a frame that is already a
 *   validated L4 table of the caller (such as its bootstrap L4). Every
 *   other command answers -ENOSYS until the page-type work lands.
 * - update_va_mapping: rewrite one L1 entry that the caller's current
 *   page tables use for a virtual address. The new entry may map only a
 *   frame the caller owns, never with PSE or cache-attribute bits, and
 *   writable only if the frame is not a page table or descriptor table;
 *   the writable type reference moves from the old frame to the new one,
 *   so a frame with live writable mappings can never become a table.
 */
#include <asm/current.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/lib.h>
#include <mica/page.h>
#include <public/xen.h>

static int new_user_baseptr(struct vcpu *v, unsigned long mfn)
{
    struct page_info *pg;
    unsigned long old = v->arch.guest_table_user;

    if ( mfn )
    {
        if ( !mfn_valid(mfn) )
            return -EINVAL;
        pg = mfn_to_page(mfn);
        if ( pg->owner != v->domain->domain_id ||
             (pg->type_info & PGT_type_mask) != PGT_l4 ||
             !(pg->type_info & PGT_validated) ||
             !(pg->type_info & PGT_count_mask) )
            return -EINVAL;
        pg->type_info++;
    }
    v->arch.guest_table_user = mfn;
    if ( old )
        mfn_to_page(old)->type_info--;
    return 0;
}

long do_mmuext_op(unsigned long uops, unsigned long count,
                  unsigned long pdone, unsigned long foreigndom,
                  unsigned long a5)
{
    struct mmuext_op op;
    unsigned long done;
    long rc = 0;

    for ( done = 0; done < count; done++ )
    {
        if ( copy_from_guest(&op, uops + done * sizeof(op), sizeof(op)) )
        {
            rc = -EFAULT;
            break;
        }
        switch ( op.cmd )
        {
        case MMUEXT_NEW_USER_BASEPTR:
            rc = new_user_baseptr(current, op.arg1.mfn);
            break;
        default:
            rc = -ENOSYS;
            break;
        }
        if ( rc )
            break;
    }
    if ( pdone && copy_to_guest(pdone, &done, sizeof(done)) )
        return -EFAULT;
    return rc;
}

#define L1_ALLOWED (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | \
                    _PAGE_DIRTY | _PAGE_GLOBAL | _PAGE_AVAIL | \
                    _PAGE_GUEST_KERNEL | (0x3ffUL << 52) | _PAGE_NX)

/* The L1 entry the current page tables use for va, or NULL. */
static pte_t *find_l1e(struct vcpu *v, uint64_t va, unsigned long *l1mfn)
{
    unsigned long mfn = v->arch.kernel_mode ? v->arch.guest_table
                                            : v->arch.guest_table_user;
    static const unsigned int shifts[] = { L4_SHIFT, L3_SHIFT, L2_SHIFT };
    pte_t e;

    for ( unsigned int i = 0; i < ARRAY_SIZE(shifts); i++ )
    {
        e = ((pte_t *)mfn_to_virt(mfn))[(va >> shifts[i]) & 511];
        if ( !(e & _PAGE_PRESENT) || (e & _PAGE_PSE) ||
             !mfn_valid(pte_mfn(e)) )
            return NULL;
        mfn = pte_mfn(e);
    }
    if ( (mfn_to_page(mfn)->type_info & PGT_type_mask) != PGT_l1 ||
         mfn_to_page(mfn)->owner != v->domain->domain_id )
        return NULL;
    *l1mfn = mfn;
    return (pte_t *)mfn_to_virt(mfn) + l1_index(va);
}

static bool take_writable(struct page_info *pg)
{
    uint64_t t = pg->type_info;

    if ( (t & PGT_count_mask) && (t & PGT_type_mask) != PGT_writable )
        return false;
    pg->type_info = PGT_writable | ((t & PGT_count_mask) + 1);
    return true;
}

static void put_writable(struct page_info *pg)
{
    if ( (pg->type_info & PGT_type_mask) == PGT_writable &&
         !(--pg->type_info & PGT_count_mask) )
        pg->type_info = PGT_none;
}

/* Validate the new entry and take its references; 0 or -EINVAL. */
static int get_l1e(struct domain *d, pte_t e)
{
    struct page_info *pg;

    if ( !(e & _PAGE_PRESENT) )
        return 0;
    if ( (e & ~(PTE_ADDR_MASK | L1_ALLOWED)) || !mfn_valid(pte_mfn(e)) )
        return -EINVAL;
    pg = mfn_to_page(pte_mfn(e));
    if ( pg->owner != d->domain_id )
        return -EINVAL;
    if ( (e & _PAGE_RW) && !take_writable(pg) )
        return -EINVAL;
    return 0;
}

static void put_l1e(pte_t e)
{
    if ( (e & _PAGE_PRESENT) && (e & _PAGE_RW) && mfn_valid(pte_mfn(e)) )
        put_writable(mfn_to_page(pte_mfn(e)));
}

/* What the hardware must see for a guest L1 entry (guest kernel is ring 3). */
static pte_t adjust_l1e(pte_t e)
{
    if ( !(e & _PAGE_PRESENT) )
        return e;
    if ( !(e & _PAGE_USER) )
        e |= _PAGE_USER | _PAGE_GUEST_KERNEL;
    return e & ~_PAGE_GLOBAL;
}

long do_update_va_mapping(unsigned long va, unsigned long val,
                          unsigned long flags, unsigned long a4,
                          unsigned long a5)
{
    struct vcpu *v = current;
    unsigned long l1mfn;
    pte_t *l1e, nl1e = val, ol1e;

    if ( !guest_range_ok(va, 1) )
        return -EINVAL;
    l1e = find_l1e(v, va, &l1mfn);
    if ( !l1e )
        return -EINVAL;
    if ( get_l1e(v->domain, nl1e) )
        return -EINVAL;
    ol1e = *l1e;
    *l1e = adjust_l1e(nl1e);
    put_l1e(ol1e);
    switch ( flags & UVMF_FLUSHTYPE_MASK )
    {
    case UVMF_TLB_FLUSH:
        flush_tlb_local();
        break;
    default:
        invlpg(va);     /* our own stale entry must go in any case */
        break;
    }
    return 0;
}
