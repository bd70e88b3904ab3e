/*
 * mmuext_op. Only what the PV execution model needs before the page-type
 * system exists: MMUEXT_NEW_USER_BASEPTR with a frame that is already a
 * validated L4 table of the caller (such as its bootstrap L4). Every
 * other command answers -ENOSYS until the memory work lands.
 */
#include <asm/current.h>
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
