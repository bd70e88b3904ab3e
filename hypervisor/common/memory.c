/*
 * memory_op (hypercall 12): a domain's memory reservation, as Xen 4.17's
 * do_memory_op does it for PV guests. The x86 sub-ops (memory maps, the
 * M2P's location) are in arch/x86/mm/memory.c; the pure argument rules
 * are in memop.c.
 *
 * The reservation sub-ops (increase, decrease, populate) never return an
 * error: they return how many extents were handled, and a bad argument,
 * an unknown domain or a missing right simply means none. A long list is
 * preempted between extents and resumed through a continuation that
 * carries the count in cmd's bits above MEMOP_EXTENT_SHIFT, so the guest
 * sees one call with one result.
 *
 * Memory is bounded by the domain's max_pages (domain_alloc_pages) and
 * comes zeroed; frames given back stay the domain's until nothing refers
 * to them any more (see arch/x86/mm/reservation.c), and are scrubbed
 * when they really go (mm/frames.c).
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
#include <mica/page_alloc.h>
#include <public/memory.h>

struct memop_call
{
    unsigned long cmd, arg, a2, a3;     /* as the guest passed them */
};

/* Xen's rcu_lock_domain_by_any_id: DOMID_SELF or any existing domain. */
static struct domain *memop_domain(domid_t id)
{
    return id == DOMID_SELF ? current->domain : domain_by_id(id);
}

/* Xen's default XSM_TARGET policy: oneself, or a control domain. */
static bool may_act_on(const struct domain *d)
{
    return d == current->domain || current->domain->is_privileged;
}

static struct memop_caller memop_caller(void)
{
    const struct domain *curr = current->domain;

    return (struct memop_caller){ .control = curr->is_privileged,
                                  .hardware = is_hardware_domain(curr) };
}

/* Xen's guest_handle_subrange_okay over the extents still to do. */
static bool list_ok(const struct memop_args *a)
{
    return guest_range_ok(a->list + (uint64_t)a->nr_done * 8,
                          (uint64_t)(a->nr_extents - a->nr_done) * 8);
}

static bool stop_here(struct memop_args *a, unsigned int i)
{
    if ( i == a->nr_done || !hypercall_preempt_check() )
        return false;
    a->preempted = true;
    return true;
}

/*
 * An extent below 2^address_bits. The allocator cannot be asked for
 * that, so a block above the limit is given back and the extent fails,
 * as it would in Xen with no low memory left.
 */
static long alloc_extent(struct domain *d, const struct memop_args *a)
{
    unsigned long n = 1UL << a->extent_order;
    long mfn = domain_alloc_pages(d, a->extent_order);

    if ( mfn < 0 || !a->address_bits ||
         ((mfn + n) << PAGE_SHIFT) - 1 < (1UL << a->address_bits) )
        return mfn;
    for ( unsigned long j = 0; j < n; j++ )
        (void)memop_remove_frame(mfn + j, d->domain_id);
    return -ENOMEM;
}

static void increase_reservation(struct domain *d, struct memop_args *a)
{
    struct memop_caller c = memop_caller();
    unsigned int i;

    if ( (a->list && !list_ok(a)) ||
         !memop_order_ok(XENMEM_increase_reservation, a, &c) )
        return;
    for ( i = a->nr_done; i < a->nr_extents && !stop_here(a, i); i++ )
    {
        long mfn = alloc_extent(d, a);

        if ( mfn < 0 )
            break;
        /* The M2P entries stay invalid: the guest places the frames. */
        if ( a->list && copy_to_guest(a->list + (uint64_t)i * 8, &mfn, 8) )
            break;
    }
    a->nr_done = i;
}

static void populate_physmap(struct domain *d, struct memop_args *a)
{
    struct memop_caller c = memop_caller();
    unsigned int i;

    if ( !list_ok(a) || !memop_order_ok(XENMEM_populate_physmap, a, &c) )
        return;
    for ( i = a->nr_done; i < a->nr_extents && !stop_here(a, i); i++ )
    {
        uint64_t gpfn;
        long mfn;

        if ( copy_from_guest(&gpfn, a->list + (uint64_t)i * 8, 8) )
            break;
        /* PoD is an HVM notion: refused on oneself, a no-op otherwise. */
        if ( a->populate_on_demand )
        {
            if ( d == current->domain )
                break;
            continue;
        }
        mfn = alloc_extent(d, a);
        if ( mfn < 0 )
            break;
        for ( unsigned long j = 0; j < (1UL << a->extent_order); j++ )
        {
            m2p_set(mfn + j, gpfn + j);
            paging_mark_dirty(d, mfn + j);  /* a new frame behind gpfn */
        }
        if ( copy_to_guest(a->list + (uint64_t)i * 8, &mfn, 8) )
            break;
    }
    a->nr_done = i;
}

static void decrease_reservation(struct domain *d, struct memop_args *a)
{
    struct memop_caller c = memop_caller();
    unsigned int i;

    if ( !list_ok(a) ||
         !memop_order_ok(XENMEM_decrease_reservation, a, &c) )
        return;
    for ( i = a->nr_done; i < a->nr_extents && !stop_here(a, i); i++ )
    {
        uint64_t gmfn;

        if ( copy_from_guest(&gmfn, a->list + (uint64_t)i * 8, 8) )
            break;
        /* A failure part-way leaves the frames before it given back. */
        for ( unsigned long j = 0; j < (1UL << a->extent_order); j++ )
            if ( memop_remove_frame(gmfn + j, d->domain_id) )
                goto out;
    }
 out:
    a->nr_done = i;
}

static long reservation_op(unsigned int op, const struct memop_call *call)
{
    unsigned long start = call->cmd >> MEMOP_EXTENT_SHIFT;
    struct memop_caller c = memop_caller();
    struct xen_memory_reservation r;
    struct memop_args a;
    struct domain *d;

    if ( copy_from_guest(&r, call->arg, sizeof(r)) ||
         !memop_decode(op, &r, start, &c, max_frame, &a) )
        return start;
    d = memop_domain(r.domid);
    if ( !d || !may_act_on(d) )
        return start;

    if ( op == XENMEM_increase_reservation )
        increase_reservation(d, &a);
    else if ( op == XENMEM_decrease_reservation )
        decrease_reservation(d, &a);
    else
        populate_physmap(d, &a);

    if ( a.preempted )
    {
        printk(LOG_DEBUG "d%u memory_op %u preempted after %u of %u\n",
               current->domain->domain_id, op, a.nr_done, a.nr_extents);
        return hypercall_create_continuation(
            __HYPERVISOR_memory_op,
            op | ((unsigned long)a.nr_done << MEMOP_EXTENT_SHIFT), call->arg,
            call->a2, call->a3);
    }
    return a.nr_done;
}

/* current_reservation, maximum_reservation, maximum_gpfn. */
static long domain_stat(unsigned int op, unsigned long arg)
{
    struct xen_memory_domain md;
    struct domain *d;
    unsigned long max_pfn;

    if ( copy_from_guest(&md, arg, sizeof(md)) )
        return -EFAULT;
    d = memop_domain(md.domid);
    if ( !d )
        return -ESRCH;
    if ( !may_act_on(d) )
        return -EPERM;
    if ( op == XENMEM_current_reservation )
        return d->tot_pages;
    if ( op == XENMEM_maximum_reservation )
        return d->max_pages;
    /* A PV guest states its pfn count in shared_info; Xen trusts it. */
    max_pfn = ((volatile struct shared_info *)d->shared_info)->arch.max_pfn;
    return (max_pfn ? max_pfn : 1) - 1;
}

/*
 * add_to_physmap and add_to_physmap_batch place pages in a translated
 * guest's physmap; Xen refuses both to PV guests with -EACCES once the
 * arguments are read and the domain found. That includes the
 * shared_info and grant-table spaces: a PV guest maps shared_info from
 * start_info's address and gets its grant frames from
 * GNTTABOP_setup_table, so there is no grant-table hook to add here.
 */
static long add_to_physmap(unsigned long start, unsigned long arg)
{
    struct xen_add_to_physmap xatp;

    if ( start != (uint16_t)start )
        return -EDOM;
    if ( copy_from_guest(&xatp, arg, sizeof(xatp)) )
        return -EFAULT;
    if ( xatp.space == XENMAPSPACE_gmfn_foreign )
        return -ENOSYS;         /* only through the batch form */
    if ( !memop_domain(xatp.domid) )
        return -ESRCH;
    return -EACCES;
}

static long add_to_physmap_batch(unsigned long start, unsigned long arg)
{
    struct xen_add_to_physmap_batch xatpb;

    if ( start != (uint16_t)start )
        return -EDOM;
    if ( copy_from_guest(&xatpb, arg, sizeof(xatpb)) )
        return -EFAULT;
    if ( xatpb.space == XENMAPSPACE_gmfn_range )
        return -EOPNOTSUPP;
    if ( !memop_domain(xatpb.domid) )
        return -ESRCH;
    return -EACCES;
}

/* Only a translated guest has a physmap to remove pages from. */
static long remove_from_physmap(unsigned long arg)
{
    struct xen_remove_from_physmap xrfp;

    if ( copy_from_guest(&xrfp, arg, sizeof(xrfp)) )
        return -EFAULT;
    if ( !memop_domain(xrfp.domid) )
        return -ESRCH;
    return -EACCES;
}

/* The sub-ops without extents refuse a continuation count. */
static long simple_op(unsigned int op, const struct memop_call *call)
{
    unsigned long start = call->cmd >> MEMOP_EXTENT_SHIFT;

    switch ( op )
    {
    case XENMEM_add_to_physmap:
        return add_to_physmap(start, call->arg);
    case XENMEM_add_to_physmap_batch:
        return add_to_physmap_batch(start, call->arg);
    }
    if ( start )
        return -EINVAL;
    switch ( op )
    {
    case XENMEM_exchange:
        return memory_exchange(call->arg);
    case XENMEM_maximum_ram_page:
        return max_frame;
    case XENMEM_remove_from_physmap:
        return remove_from_physmap(call->arg);
    default:
        return domain_stat(op, call->arg);
    }
}

long do_memory_op(unsigned long cmd, unsigned long arg, unsigned long a2,
                  unsigned long a3, unsigned long a4)
{
    const struct memop_call call = { cmd, arg, a2, a3 };
    unsigned int op = cmd & MEMOP_CMD_MASK;

    switch ( op )
    {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        return reservation_op(op, &call);
    case XENMEM_exchange:
    case XENMEM_maximum_ram_page:
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn:
    case XENMEM_add_to_physmap:
    case XENMEM_add_to_physmap_batch:
    case XENMEM_remove_from_physmap:
        return simple_op(op, &call);
    default:
        /* Xen passes the whole cmd: a count makes these unknown. */
        return arch_memory_op(cmd, arg);
    }
}
