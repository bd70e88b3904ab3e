/*
 * XENMEM_exchange: trade frames for others of another extent order,
 * typically 2^n scattered frames for one machine-contiguous extent below
 * some address (Linux's dom0 does this for its swiotlb-xen bounce
 * buffers). Semantics of Xen 4.17's memory_exchange:
 *
 * The work goes in chunks, each the larger of one input and one output
 * extent. A chunk is all or nothing: its input frames are taken away
 * (only frames nothing else refers to: no mapping, no type, no pin), the
 * output extents allocated, and only then are the inputs freed and the
 * outputs given to the guest. nr_exchanged counts the input extents of
 * the chunks that completed, and is written back whatever happens once
 * the arguments have been read; a long exchange is preempted between
 * chunks and resumed from it. The domain's tot_pages does not change.
 */
#include <asm/current.h>
#include <asm/mm.h>
#include <mica/domain.h>
#include <mica/domain_page.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/lib.h>
#include <mica/logdirty.h>
#include <mica/memop.h>
#include <public/memory.h>

struct exchange
{
    struct xen_memory_exchange x;
    unsigned long arg;              /* the guest's struct */
    struct domain *d;
    unsigned int in_chunk, out_chunk;  /* orders: extents per chunk */
    struct frame_chain in;          /* input frames stolen so far */
    struct frame_chain out;         /* first frames of output extents */
};

/* Xen's guest_handle_subrange_okay(list, first, last) for xen_pfn_t. */
static bool subrange_ok(uint64_t list, unsigned long first,
                        unsigned long last)
{
    unsigned long count = last - first + 1;

    return count && count < (1UL << 48) && first < (1UL << 48) &&
           guest_range_ok(list + first * 8, count * 8);
}

static int write_nr_exchanged(const struct exchange *e)
{
    return copy_to_guest(e->arg + offsetof(struct xen_memory_exchange,
                                           nr_exchanged),
                         &e->x.nr_exchanged, sizeof(e->x.nr_exchanged));
}

/* Steps 2-7 of Xen's checks; 1 means "nothing to do". */
static int check_args(struct exchange *e)
{
    const struct xen_memory_reservation *in = &e->x.in, *out = &e->x.out;
    struct memop_caller c = { current->domain->is_privileged,
                              is_hardware_domain(current->domain) };
    struct memop_args probe = { .extent_order = MAX(in->extent_order,
                                                    out->extent_order) };

    if ( !memop_order_ok(XENMEM_exchange, &probe, &c) )
        return -EPERM;
    if ( e->x.nr_exchanged > in->nr_extents || in->domid != out->domid ||
         (~0UL >> in->extent_order) < in->nr_extents ||
         (~0UL >> out->extent_order) < out->nr_extents ||
         (in->nr_extents << in->extent_order) !=
         (out->nr_extents << out->extent_order) )
        return -EINVAL;
    if ( e->x.nr_exchanged == in->nr_extents )
        return 1;
    if ( !subrange_ok(in->extent_start, e->x.nr_exchanged,
                      in->nr_extents - 1) )
        return -EFAULT;
    if ( in->extent_order <= out->extent_order )
    {
        e->in_chunk = out->extent_order - in->extent_order;
        e->out_chunk = 0;
        if ( !subrange_ok(out->extent_start,
                          e->x.nr_exchanged >> e->in_chunk,
                          out->nr_extents - 1) )
            return -EFAULT;
    }
    else
    {
        e->in_chunk = 0;
        e->out_chunk = in->extent_order - out->extent_order;
        if ( !subrange_ok(out->extent_start,
                          e->x.nr_exchanged << e->out_chunk,
                          out->nr_extents - 1) )
            return -EFAULT;
    }
    return memop_node_ok(out->mem_flags, &c) ? 0 : -EINVAL;
}

static void free_outputs(struct exchange *e)
{
    unsigned long n = 1UL << e->x.out.extent_order, mfn;

    while ( (mfn = frame_chain_take(&e->out)) != INVALID_MFN32 )
        for ( unsigned long j = 0; j < n; j++ )
            (void)memop_remove_frame(mfn + j, e->d->domain_id);
}

/* Take every input frame of chunk i. */
static int steal_inputs(struct exchange *e, unsigned long i)
{
    unsigned long per = 1UL << e->x.in.extent_order;

    for ( unsigned long j = 0; j < (1UL << e->in_chunk); j++ )
    {
        uint64_t gmfn;
        unsigned long idx = (i << e->in_chunk) + j;

        if ( copy_from_guest(&gmfn, e->x.in.extent_start + idx * 8, 8) )
            return -EFAULT;
        for ( unsigned long k = 0; k < per; k++ )
        {
            int rc = memop_steal_frame(gmfn + k, e->d->domain_id, &e->in);

            if ( rc )
                return rc;
        }
    }
    return 0;
}

/*
 * The outputs of a chunk, charged to the domain in place of the stolen
 * inputs (which still count until freed). An extent above the address
 * limit cannot be helped: the allocator takes no limit.
 */
static int alloc_outputs(struct exchange *e)
{
    unsigned int bits = XENMEMF_get_address_bits(e->x.out.mem_flags);
    unsigned int order = e->x.out.extent_order;
    int rc = 0;

    e->d->tot_pages -= e->in.n;
    for ( unsigned long j = 0; j < (1UL << e->out_chunk); j++ )
    {
        long mfn = domain_alloc_pages(e->d, order);

        if ( mfn >= 0 )
            frame_chain_add(&e->out, mfn);
        if ( mfn < 0 || (bits && bits < 64 &&
                         ((mfn + (1UL << order)) << PAGE_SHIFT) - 1 >=
                         (1UL << bits)) )
        {
            rc = -ENOMEM;
            break;
        }
    }
    e->d->tot_pages += e->in.n;
    return rc;
}

/* Past the point of no return: free the inputs, hand out the outputs. */
static int finish_chunk(struct exchange *e, unsigned long i)
{
    unsigned long per = 1UL << e->x.out.extent_order, mfn;
    unsigned long idx = i << e->out_chunk;
    int rc = 0;

    memop_free_stolen(&e->in);
    for ( ; (mfn = frame_chain_take(&e->out)) != INVALID_MFN32; idx++ )
    {
        uint64_t gpfn, m = mfn;

        if ( copy_from_guest(&gpfn, e->x.out.extent_start + idx * 8, 8) )
        {
            rc = -EFAULT;
            continue;
        }
        for ( unsigned long k = 0; k < per; k++ )
        {
            m2p_set(mfn + k, gpfn + k);
            paging_mark_dirty(e->d, mfn + k);
        }
        if ( copy_to_guest(e->x.out.extent_start + idx * 8, &m, 8) )
            rc = -EFAULT;
    }
    return rc;
}

static int exchange_chunk(struct exchange *e, unsigned long i)
{
    int rc = steal_inputs(e, i);

    if ( !rc )
        rc = alloc_outputs(e);
    if ( rc )
    {
        free_outputs(e);
        memop_unsteal(&e->in);
        return rc;
    }
    return finish_chunk(e, i);
}

static long run_chunks(struct exchange *e)
{
    unsigned long first = e->x.nr_exchanged >> e->in_chunk;
    unsigned long end = e->x.in.nr_extents >> e->in_chunk;

    for ( unsigned long i = first; i < end; i++ )
    {
        int rc;

        if ( i != first && hypercall_preempt_check() )
        {
            e->x.nr_exchanged = i << e->in_chunk;
            if ( write_nr_exchanged(e) )
                return -EFAULT;
            return hypercall_create_continuation(__HYPERVISOR_memory_op,
                                                 XENMEM_exchange, e->arg,
                                                 0, 0);
        }
        rc = exchange_chunk(e, i);
        if ( rc )
        {
            e->x.nr_exchanged = i << e->in_chunk;
            return write_nr_exchanged(e) ? -EFAULT : rc;
        }
    }
    e->x.nr_exchanged = e->x.in.nr_extents;
    return write_nr_exchanged(e) ? -EFAULT : 0;
}

long memory_exchange(unsigned long arg)
{
    static struct exchange e;
    domid_t id;
    int rc;

    memset(&e, 0, sizeof(e));
    e.arg = arg;
    frame_chain_init(&e.in);
    frame_chain_init(&e.out);
    if ( copy_from_guest(&e.x, arg, sizeof(e.x)) )
        return -EFAULT;
    rc = check_args(&e);
    if ( rc == 1 )
        return 0;
    id = e.x.in.domid;
    if ( !rc )
    {
        e.d = id == DOMID_SELF ? current->domain : domain_by_id(id);
        if ( !e.d )
            rc = -ESRCH;
        else if ( e.d != current->domain && !current->domain->is_privileged )
            rc = -EPERM;
    }
    if ( rc )
        return write_nr_exchanged(&e) ? -EFAULT : rc;
    return run_chunks(&e);
}
