/*
 * The x86 half of HYPERVISOR_domctl: the sub-ops that hand out frames,
 * read page types, fill a hypercall page or load a vCPU context. The
 * generic decoding and target checks are done (common/domctl.c); each
 * worker here validates its own arguments before changing anything.
 * Buffers are static: one CPU, and no worker blocks or is preempted.
 */
#include <asm/mm.h>
#include <asm/page_type.h>
#include <asm/pv.h>
#include <mica/domain_page.h>
#include <mica/domctl.h>
#include <mica/guest_access.h>
#include <mica/lib.h>
#include <mica/logdirty.h>
#include <mica/page_alloc.h>
#include <mica/sched.h>
#include <mica/vcpu_context.h>

static uint64_t frames[MAX(MICA_POPULATE_MAX, MICA_PAGEINFO_MAX)];
static uint32_t types[MICA_PAGEINFO_MAX];
static struct mica_vcpu_context ctx;

/* Give back a frame populate just allocated (nobody else refers to it). */
static void unpopulate(unsigned long mfn)
{
    mfn_to_page(mfn)->flags &= ~PGF_allocated;
    put_page(mfn);
}

static long populate(struct domain *d, const struct mica_domctl_populate *p)
{
    uint32_t i;
    long rc = -ENOMEM;

    if ( p->nr > MICA_POPULATE_MAX )
        return -E2BIG;
    if ( !guest_range_ok(p->mfns, (uint64_t)p->nr * sizeof(frames[0])) )
        return -EFAULT;
    if ( d->tot_pages + p->nr > d->max_pages )
        return -ENOMEM;
    for ( i = 0; i < p->nr; i++ )
    {
        long mfn = domain_alloc_pages(d, 0);

        if ( mfn < 0 )
            goto undo;
        frames[i] = mfn;
    }
    rc = -EFAULT;
    if ( copy_to_guest(p->mfns, frames, p->nr * sizeof(frames[0])) )
        goto undo;
    for ( i = 0; i < p->nr; i++ )
    {
        m2p_set(frames[i], p->first_pfn + i);
        paging_mark_dirty(d, frames[i]);
    }
    return 0;

 undo:
    while ( i-- )
        unpopulate(frames[i]);
    return rc;
}

static long pageframeinfo(struct domain *d,
                          const struct mica_domctl_pageframeinfo *p)
{
    if ( p->nr > MICA_PAGEINFO_MAX )
        return -E2BIG;
    if ( copy_from_guest(frames, p->mfns, p->nr * sizeof(frames[0])) )
        return -EFAULT;
    for ( uint32_t i = 0; i < p->nr; i++ )
        types[i] = pageinfo_classify(frames[i], d->domain_id);
    if ( copy_to_guest(p->types, types, p->nr * sizeof(types[0])) )
        return -EFAULT;
    return 0;
}

/* Only an ordinary frame of the domain: never one of its page tables. */
static long hypercall_init(struct domain *d, uint64_t mfn)
{
    if ( !get_page(mfn, d->domain_id) )
        return -EINVAL;
    if ( get_page_type(mfn, PGT_writable) )
    {
        put_page(mfn);
        return -EINVAL;
    }
    pv_fill_hypercall_page(mfn_to_virt(mfn));
    paging_mark_dirty(d, mfn);
    put_page_and_type(mfn);
    return 0;
}

static struct vcpu *target_vcpu(struct domain *d, uint32_t id)
{
    return id < d->max_vcpus ? d->vcpu[id] : NULL;
}

static long set_context(struct domain *d,
                        const struct mica_domctl_vcpucontext *vc)
{
    struct vcpu *v = target_vcpu(d, vc->vcpu);
    int rc;

    if ( !v )
        return -EINVAL;
    if ( copy_from_guest(&ctx, vc->ctxt, sizeof(ctx)) )
        return -EFAULT;
    rc = vcpu_context_check(&ctx);
    if ( !rc )
        rc = arch_set_vcpu_context(v, &ctx);
    if ( rc )
        return rc;
    if ( !v->initialised )
    {
        v->initialised = true;
        vcpu_up(v);                 /* the first context brings it up */
    }
    return 0;
}

static long get_context(struct domain *d,
                        const struct mica_domctl_vcpucontext *vc)
{
    struct vcpu *v = target_vcpu(d, vc->vcpu);

    if ( !v )
        return -EINVAL;
    if ( !v->initialised )
        return -ENODATA;
    arch_get_vcpu_context(v, &ctx);
    return copy_to_guest(vc->ctxt, &ctx, sizeof(ctx)) ? -EFAULT : 0;
}

long arch_do_domctl(struct mica_domctl *op, struct domain *d)
{
    switch ( op->cmd )
    {
    case MICA_DOMCTL_populate:
        return populate(d, &op->u.populate);
    case MICA_DOMCTL_getpageframeinfo:
        return pageframeinfo(d, &op->u.pageframeinfo);
    case MICA_DOMCTL_hypercall_init:
        return hypercall_init(d, op->u.hypercall_init.mfn);
    case MICA_DOMCTL_setvcpucontext:
        return set_context(d, &op->u.vcpucontext);
    case MICA_DOMCTL_getvcpucontext:
        return get_context(d, &op->u.vcpucontext);
    default:
        return -ENOSYS;
    }
}
