/*
 * mmuext_op: pins, base pointers, TLB and cache flushes, the LDT, and
 * page clear/copy, batched like mmu_update (see mm.c): stop at the first
 * failure with *done counting what was processed, and resume a preempted
 * batch through a continuation.
 *
 * With one physical CPU every flush scope (local, a vCPU mask, all)
 * comes down to this CPU; a *_MULTI mask is still read, and a bad
 * pointer is refused as Xen refuses it.
 */
#include <asm/current.h>
#include <asm/page_type.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/lib.h>
#include <public/xen.h>

#include "mm.h"

static int new_baseptr(struct vcpu *v, unsigned long mfn)
{
    unsigned long old = v->arch.guest_table;
    int rc;

    if ( mfn == old )
    {
        flush_tlb_local();
        return 0;
    }
    rc = get_page_and_type(mfn, v->domain->domain_id, PGT_l4);
    if ( rc )
        return rc;
    v->arch.guest_table = mfn;
    pv_destroy_ldt(v);      /* its pages were found through the old tables */
    pv_load_cr3(v);
    if ( old )
        put_page_and_type(old);
    return 0;
}

static int new_user_baseptr(struct vcpu *v, unsigned long mfn)
{
    unsigned long old = v->arch.guest_table_user;
    int rc;

    if ( mfn )
    {
        rc = get_page_and_type(mfn, v->domain->domain_id, PGT_l4);
        if ( rc )
            return rc;
    }
    v->arch.guest_table_user = mfn;
    if ( old )
        put_page_and_type(old);
    return 0;
}

/* Xen's argument checks; an LDT with entries is not supported yet. */
static int clear_page(unsigned long mfn, pt_domid_t owner)
{
    if ( get_page_and_type(mfn, owner, PGT_writable) )
        return -EINVAL;
    memset(mfn_to_virt(mfn), 0, PAGE_SIZE);
    pt_env_mark_dirty(mfn);
    put_page_and_type(mfn);
    return 0;
}

static int copy_page(unsigned long dst, unsigned long src, pt_domid_t owner)
{
    if ( !get_page(src, owner) )
        return -EINVAL;
    if ( get_page_and_type(dst, owner, PGT_writable) )
    {
        put_page(src);
        return -EINVAL;
    }
    memcpy(mfn_to_virt(dst), mfn_to_virt(src), PAGE_SIZE);
    pt_env_mark_dirty(dst);
    put_page_and_type(dst);
    put_page(src);
    return 0;
}

static int flush_op(const struct mmuext_op *op)
{
    switch ( op->cmd )
    {
    case MMUEXT_TLB_FLUSH_MULTI:
    case MMUEXT_INVLPG_MULTI:
        if ( pv_read_vcpumask(op->arg2.vcpumask) )
            return -EINVAL;
        break;
    }
    switch ( op->cmd )
    {
    case MMUEXT_TLB_FLUSH_LOCAL:
    case MMUEXT_TLB_FLUSH_MULTI:
    case MMUEXT_TLB_FLUSH_ALL:
        flush_tlb_local();
        break;
    default:
        /* Xen ignores an invlpg of an address no guest can map. */
        if ( is_canonical(op->arg1.linear_addr) )
            invlpg(op->arg1.linear_addr);
        break;
    }
    return 0;
}

/* Operations that only make sense on the caller itself. */
static int own_op(struct vcpu *v, const struct mmuext_op *op)
{
    switch ( op->cmd )
    {
    case MMUEXT_NEW_BASEPTR:
        return new_baseptr(v, op->arg1.mfn);
    case MMUEXT_NEW_USER_BASEPTR:
        return new_user_baseptr(v, op->arg1.mfn);
    case MMUEXT_FLUSH_CACHE:
    case MMUEXT_FLUSH_CACHE_GLOBAL:
        if ( !v->domain->is_privileged )
            return op->cmd == MMUEXT_FLUSH_CACHE ? -EACCES : -EINVAL;
        wbinvd();
        return 0;
    case MMUEXT_SET_LDT:
        return pv_set_ldt(v, op->arg1.linear_addr, op->arg2.nr_ents);
    default:
        return flush_op(op);
    }
}

static int one_op(struct vcpu *v, const struct mmuext_op *op,
                  pt_domid_t pg_owner)
{
    switch ( op->cmd )
    {
    case MMUEXT_PIN_L1_TABLE:
    case MMUEXT_PIN_L2_TABLE:
    case MMUEXT_PIN_L3_TABLE:
    case MMUEXT_PIN_L4_TABLE:
        return pt_pin(op->arg1.mfn, pg_owner,
                      op->cmd - MMUEXT_PIN_L1_TABLE + 1);
    case MMUEXT_UNPIN_TABLE:
        return pt_unpin(op->arg1.mfn, pg_owner);
    case MMUEXT_CLEAR_PAGE:
        return clear_page(op->arg1.mfn, pg_owner);
    case MMUEXT_COPY_PAGE:
        return copy_page(op->arg1.mfn, op->arg2.src_mfn, pg_owner);
    case MMUEXT_MARK_SUPER:
    case MMUEXT_UNMARK_SUPER:
        return -EOPNOTSUPP;
    case MMUEXT_NEW_BASEPTR:
    case MMUEXT_NEW_USER_BASEPTR:
    case MMUEXT_TLB_FLUSH_LOCAL:
    case MMUEXT_INVLPG_LOCAL:
    case MMUEXT_TLB_FLUSH_MULTI:
    case MMUEXT_INVLPG_MULTI:
    case MMUEXT_TLB_FLUSH_ALL:
    case MMUEXT_INVLPG_ALL:
    case MMUEXT_FLUSH_CACHE:
    case MMUEXT_FLUSH_CACHE_GLOBAL:
    case MMUEXT_SET_LDT:
        if ( pg_owner != v->domain->domain_id )
            return -EPERM;
        return own_op(v, op);
    default:
        return -ENOSYS;
    }
}

long do_mmuext_op(unsigned long uops, unsigned long count,
                  unsigned long pdone, unsigned long foreigndom,
                  unsigned long a5)
{
    struct vcpu *v = current;
    unsigned int done = 0, i, n = count;
    struct mmuext_op op;
    long pg_owner, rc = 0;

    if ( n & MMU_UPDATE_PREEMPTED )
    {
        n &= ~MMU_UPDATE_PREEMPTED;
        if ( pdone )
            (void)copy_from_guest(&done, pdone, sizeof(done));
    }
    if ( !guest_range_ok(uops, (uint64_t)n * sizeof(op)) )
        return -EFAULT;
    pg_owner = pv_pg_owner(foreigndom & 0xffff);
    if ( pg_owner < 0 )
        return pg_owner;

    for ( i = 0; i < n; i++ )
    {
        if ( i && hypercall_preempt_check() )
        {
            pv_finish_batch(pdone, done + i, &rc);
            return hypercall_create_continuation(
                __HYPERVISOR_mmuext_op, uops + i * sizeof(op),
                (n - i) | MMU_UPDATE_PREEMPTED, pdone, foreigndom);
        }
        if ( copy_from_guest(&op, uops + i * sizeof(op), sizeof(op)) )
        {
            rc = -EFAULT;
            break;
        }
        rc = one_op(v, &op, pg_owner);
        if ( rc )
            break;
    }
    pv_finish_batch(pdone, done + i, &rc);
    return rc;
}
