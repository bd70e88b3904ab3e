/*
 * The PV MMU hypercalls that change page-table entries: mmu_update,
 * update_va_mapping and update_va_mapping_otherdomain. The rules for
 * what an entry may contain live in arch/x86/mm (page_type.c and
 * pt_entry.c); this file decodes the guest's requests, finds the table
 * entry they name, and handles batching, partial completion and
 * preemption the way Xen 4.17 does:
 *
 * - a batch stops at the first failing item; the items before it stay
 *   applied and *done says how many were processed;
 * - a long batch may be preempted between items: the guest re-enters with
 *   the rest of the batch and MMU_UPDATE_PREEMPTED set in the count, and
 *   *done accumulates across the pieces.
 */
#include <asm/current.h>
#include <asm/mm.h>
#include <asm/page_type.h>
#include <asm/processor.h>
#include <mica/domain_page.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/lib.h>
#include <public/xen.h>

#include "mm.h"

long pv_pg_owner(unsigned long foreigndom)
{
    struct domain *curr = current->domain;
    domid_t id = foreigndom;

    if ( id == DOMID_SELF )
        return curr->domain_id;
    if ( id == curr->domain_id )
        return -ESRCH;          /* Xen: name yourself as DOMID_SELF */
    if ( id != DOMID_IO && !domain_by_id(id) )
        return -ESRCH;
    if ( !curr->is_privileged )
        return -EPERM;
    return id == DOMID_IO ? PAGE_OWNER_IO : id;
}

int pv_read_vcpumask(unsigned long ptr)
{
    uint64_t word;

    /* One word covers every vCPU we support; a bad pointer is an error. */
    _Static_assert(MAX_VCPUS <= 64, "vCPU mask fits one word");
    return copy_from_guest(&word, ptr, sizeof(word));
}

bool pv_finish_batch(unsigned long pdone, unsigned int done, long *rc)
{
    if ( pdone && copy_to_guest(pdone, &done, sizeof(done)) )
    {
        *rc = -EFAULT;
        return false;
    }
    return true;
}

/* An entry of a table the caller (or the named pt owner) owns. */
static int normal_update(const struct mmu_update *req,
                         const struct pt_ctx *ctx, unsigned int cmd)
{
    unsigned long mfn = req->ptr >> PAGE_SHIFT;
    unsigned int slot = (req->ptr & ~PAGE_MASK) / sizeof(pte_t);
    int rc;

    if ( !get_page(mfn, ctx->owner) )
        return -EINVAL;
    rc = pt_update_entry(mfn, slot, req->val, ctx,
                         cmd == MMU_PT_UPDATE_PRESERVE_AD);
    put_page(mfn);
    return rc;
}

static int machphys_update(const struct mmu_update *req,
                           const struct pt_ctx *ctx)
{
    unsigned long mfn = req->ptr >> PAGE_SHIFT;

    if ( ctx->owner != current->domain->domain_id )
        return -EPERM;
    if ( !get_page(mfn, ctx->pg_owner) )
        return -EINVAL;
    m2p_set(mfn, req->val);
    pt_env_mark_dirty(mfn);         /* as Xen: the pfn has new contents */
    put_page(mfn);
    return 0;
}

static int one_update(unsigned long ureqs, unsigned int i,
                      const struct pt_ctx *ctx)
{
    struct mmu_update req;
    unsigned int cmd;

    if ( copy_from_guest(&req, ureqs + i * sizeof(req), sizeof(req)) )
        return -EFAULT;
    cmd = req.ptr & (sizeof(pte_t) - 1);
    req.ptr -= cmd;
    switch ( cmd )
    {
    case MMU_NORMAL_PT_UPDATE:
    case MMU_PT_UPDATE_PRESERVE_AD:
    case MMU_PT_UPDATE_NO_TRANSLATE:
        return normal_update(&req, ctx, cmd);
    case MMU_MACHPHYS_UPDATE:
        return machphys_update(&req, ctx);
    default:
        return -ENOSYS;
    }
}

/* foreigndom's top half names the tables' owner (plus one), if not us. */
static long pt_owner_of(unsigned long foreigndom)
{
    struct domain *curr = current->domain;
    unsigned int pt_dom = (foreigndom >> 16) & 0xffff;

    if ( pt_dom == 0 || pt_dom - 1 == curr->domain_id )
        return curr->domain_id;
    if ( !domain_by_id(pt_dom - 1) )
        return -ESRCH;
    return curr->is_privileged ? (long)(pt_dom - 1) : -EPERM;
}

long do_mmu_update(unsigned long ureqs, unsigned long count,
                   unsigned long pdone, unsigned long foreigndom,
                   unsigned long a5)
{
    unsigned int done = 0, i, n = count;
    struct pt_ctx ctx;
    long owner, pg_owner, rc = 0;

    if ( n & MMU_UPDATE_PREEMPTED )
    {
        n &= ~MMU_UPDATE_PREEMPTED;
        if ( pdone )
            (void)copy_from_guest(&done, pdone, sizeof(done));
    }
    if ( !guest_range_ok(ureqs, (uint64_t)n * sizeof(struct mmu_update)) )
        return -EFAULT;
    owner = pt_owner_of(foreigndom);
    if ( owner < 0 )
        return owner;
    pg_owner = pv_pg_owner(foreigndom & 0xffff);
    if ( pg_owner < 0 )
        return pg_owner;
    ctx.owner = owner;
    ctx.pg_owner = pg_owner;

    for ( i = 0; i < n; i++ )
    {
        if ( i && hypercall_preempt_check() )
        {
            pv_finish_batch(pdone, done + i, &rc);
            return hypercall_create_continuation(
                __HYPERVISOR_mmu_update, ureqs + i * sizeof(struct mmu_update),
                (n - i) | MMU_UPDATE_PREEMPTED, pdone, foreigndom);
        }
        rc = one_update(ureqs, i, &ctx);
        if ( rc )
            break;
    }
    pv_finish_batch(pdone, done + i, &rc);
    return rc;
}

unsigned long pv_find_l1(const struct vcpu *v, unsigned long va)
{
    unsigned long mfn = v->arch.guest_table;
    static const unsigned int shifts[] = { L4_SHIFT, L3_SHIFT, L2_SHIFT };

    for ( unsigned int i = 0; i < ARRAY_SIZE(shifts); i++ )
    {
        pte_t e = pt_env_map(mfn)[(va >> shifts[i]) & (PT_ENTRIES - 1)];

        if ( !(e & _PAGE_PRESENT) || !mfn_valid(pte_mfn(e)) )
            return 0;
        mfn = pte_mfn(e);
    }
    return mfn;
}

static int flush_after_update(unsigned long va, unsigned long flags)
{
    unsigned long bmap = flags & ~UVMF_FLUSHTYPE_MASK;

    if ( (flags & UVMF_FLUSHTYPE_MASK) == UVMF_NONE )
        return 0;
    if ( bmap != UVMF_LOCAL && bmap != UVMF_ALL && pv_read_vcpumask(bmap) )
        return -EFAULT;
    /* One CPU: every mask means this one. */
    if ( (flags & UVMF_FLUSHTYPE_MASK) == UVMF_TLB_FLUSH )
        flush_tlb_local();
    else
        invlpg(va);
    return 0;
}

static long update_va_mapping(unsigned long va, pte_t val,
                              unsigned long flags, pt_domid_t pg_owner)
{
    struct vcpu *v = current;
    struct pt_ctx ctx = { v->domain->domain_id, pg_owner };
    unsigned long l1;
    int rc;

    if ( !guest_range_ok(va, 1) )
        return -EINVAL;
    l1 = pv_find_l1(v, va);
    if ( !l1 || !get_page(l1, ctx.owner) )
        return -EINVAL;
    if ( pgt_level(mfn_to_page(l1)->type_info) != 1 )
        rc = -EINVAL;
    else
        rc = pt_update_entry(l1, l1_index(va), val, &ctx, false);
    put_page(l1);
    return rc ? rc : flush_after_update(va, flags);
}

long do_update_va_mapping(unsigned long va, unsigned long val,
                          unsigned long flags, unsigned long a4,
                          unsigned long a5)
{
    return update_va_mapping(va, val, flags, current->domain->domain_id);
}

long do_update_va_mapping_otherdomain(unsigned long va, unsigned long val,
                                      unsigned long flags,
                                      unsigned long domid, unsigned long a5)
{
    long pg_owner = pv_pg_owner(domid);

    if ( pg_owner < 0 )
        return pg_owner;
    return update_va_mapping(va, val, flags, pg_owner);
}
