/*
 * HYPERVISOR_grant_table_op: the dispatcher, the sub-ops on a table as a
 * whole (setup_table, query_size, the version calls, get_status_frames,
 * swap_grant_ref) and a domain's table from creation to teardown. Host
 * mappings live in arch/x86/pv/grant_table.c, copies in grant_copy.c,
 * the bookkeeping in grant_table.c.
 *
 * Expected behaviour is Xen 4.17's (xen/common/grant_table.c,
 * do_grant_table_op and the gnttab_* sub-op functions): errors in the
 * call itself (bad count, unreadable arguments) are the hypercall's
 * return value; per-item results are GNTST_* in each item's status.
 * Only version 1 exists: Xen configured without version 2 (gnttab=max-ver:1)
 * answers set_version(2) with -ENOSYS, as before set_version existed.
 * transfer, unmap_and_replace and cache_flush are not provided (-ENOSYS;
 * see docs/grant-tables.md).
 */
#include <asm/current.h>
#include <asm/page.h>
#include <mica/domain.h>
#include <mica/grant_table.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/lib.h>
#include <mica/page_alloc.h>
#include <public/xen.h>

/* Xen's GNTTABOP_CONTINUATION_ARG_SHIFT: cmd's upper bits are opaque. */
#define GNTTABOP_CMD_MASK ((1u << 12) - 1)

struct domain *gnttab_domain_any(domid_t id)
{
    return id == DOMID_SELF ? current->domain : domain_by_id(id);
}

/* Xen's XSM_TARGET default: oneself, or a privileged caller. */
static bool may_act_on(const struct domain *d)
{
    return d == current->domain || current->domain->is_privileged;
}

/* Write back one field of the guest's structure. */
static int put_field(unsigned long uop, size_t offset, const void *val,
                     size_t size)
{
    return copy_to_guest(uop + offset, val, size);
}

#define PUT_STATUS(uop, type, op) \
    put_field(uop, offsetof(type, status), &(op).status, sizeof((op).status))

/* The domain a status-answering sub-op names, or the status refusing it. */
static int16_t target_of(domid_t id, struct domain **pd)
{
    struct domain *d = gnttab_domain_any(id);

    if ( !d )
        return GNTST_bad_domain;
    if ( !may_act_on(d) )
        return GNTST_permission_denied;
    *pd = d;
    return GNTST_okay;
}

/* ---- setup_table, query_size ---- */

static int16_t setup_one(struct gnttab_setup_table *op)
{
    struct domain *d;
    struct grant_table *gt;
    int16_t status = target_of(op->dom, &d);

    if ( status != GNTST_okay )
        return status;
    gt = d->grant_table;
    if ( op->nr_frames > gt->max_frames )
        return GNTST_general_error;
    if ( gnttab_grow(gt, op->nr_frames) )
        return GNTST_general_error;
    for ( unsigned int i = 0; i < op->nr_frames; i++ )
    {
        xen_pfn_t mfn = gt->shared_mfn[i];

        if ( copy_to_guest(op->frame_list + i * sizeof(mfn), &mfn,
                           sizeof(mfn)) )
            status = GNTST_bad_virt_addr;
    }
    return status;
}

static long setup_table(unsigned long uop, unsigned int count)
{
    struct gnttab_setup_table op;

    if ( count != 1 )
        return -EINVAL;
    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;
    if ( !guest_range_ok(op.frame_list,
                         (uint64_t)op.nr_frames * sizeof(xen_pfn_t)) )
        return -EFAULT;
    op.status = setup_one(&op);
    return PUT_STATUS(uop, struct gnttab_setup_table, op);
}

static long query_size(unsigned long uop, unsigned int count)
{
    struct gnttab_query_size op;
    struct domain *d;

    if ( count != 1 )
        return -EINVAL;
    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;
    op.status = target_of(op.dom, &d);
    if ( op.status == GNTST_okay )
    {
        op.nr_frames = d->grant_table->nr_frames;
        op.max_nr_frames = d->grant_table->max_frames;
    }
    return copy_to_guest(uop, &op, sizeof(op));
}

/* ---- Versions and status frames ---- */

static long set_version(unsigned long uop)
{
    struct gnttab_set_version op;
    long rc;

    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;
    if ( op.version == 1 )
        rc = 0;
    else
        rc = op.version == 2 ? -ENOSYS : -EINVAL;
    op.version = 1;                     /* OUT: the version in force */
    return copy_to_guest(uop, &op, sizeof(op)) ? -EFAULT : rc;
}

static long get_version(unsigned long uop)
{
    struct gnttab_get_version op;
    struct domain *d;

    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;
    d = gnttab_domain_any(op.dom);
    if ( !d )
        return -ESRCH;
    if ( !may_act_on(d) )
        return -EPERM;
    op.version = 1;
    return put_field(uop, offsetof(struct gnttab_get_version, version),
                     &op.version, sizeof(op.version));
}

/* A version-1 table has no status frames: asking for any fails. */
static long get_status_frames(unsigned long uop, unsigned int count)
{
    struct gnttab_get_status_frames op;
    struct domain *d;

    if ( count != 1 )
        return -EINVAL;
    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;
    if ( !guest_range_ok(op.frame_list, (uint64_t)op.nr_frames * 8) )
        return -EFAULT;
    op.status = target_of(op.dom, &d);
    if ( op.status == GNTST_okay && op.nr_frames )
        op.status = GNTST_general_error;
    return PUT_STATUS(uop, struct gnttab_get_status_frames, op);
}

static int16_t swap_one(void *arg)
{
    struct gnttab_swap_grant_ref *op = arg;

    return gnttab_swap(current->domain->grant_table, op->ref_a, op->ref_b);
}

/* ---- The dispatcher ---- */

/*
 * The batched sub-ops: the item's size, where its status goes, whether
 * the whole item is written back (map also returns a handle and a bus
 * address) or only the status, and the worker for one item.
 */
struct batch_op
{
    size_t size, status_off;
    bool write_all;
    int16_t (*one)(void *op);
};

#define BATCH(type, all, fn) \
    { sizeof(struct type), offsetof(struct type, status), all, fn }

static const struct batch_op batches[] = {
    [GNTTABOP_map_grant_ref] = BATCH(gnttab_map_grant_ref, true,
                                     gnttab_map_one),
    [GNTTABOP_unmap_grant_ref] = BATCH(gnttab_unmap_grant_ref, false,
                                       gnttab_unmap_one),
    [GNTTABOP_copy] = BATCH(gnttab_copy, false, gnttab_copy_one),
    [GNTTABOP_swap_grant_ref] = BATCH(gnttab_swap_grant_ref, false,
                                      swap_one),
};

/* Items done before a preemption (> 0), 0 when all are, or -EFAULT. */
static long run_items(const struct batch_op *b, unsigned long uop,
                      unsigned int count)
{
    uint64_t item[8];
    int16_t status;

    _Static_assert(sizeof(struct gnttab_map_grant_ref) <= sizeof(item) &&
                   sizeof(struct gnttab_unmap_grant_ref) <= sizeof(item) &&
                   sizeof(struct gnttab_copy) <= sizeof(item) &&
                   sizeof(struct gnttab_swap_grant_ref) <= sizeof(item),
                   "every batched item fits the buffer");
    for ( unsigned int i = 0; i < count; i++ )
    {
        unsigned long p = uop + i * b->size;

        if ( i && hypercall_preempt_check() )
            return i;
        if ( copy_from_guest(item, p, b->size) )
            return -EFAULT;
        status = b->one(item);
        memcpy((uint8_t *)item + b->status_off, &status, sizeof(status));
        if ( b->write_all ? copy_to_guest(p, item, b->size)
                          : copy_to_guest(p + b->status_off, &status,
                                          sizeof(status)) )
            return -EFAULT;
    }
    return 0;
}

static long run_batch(unsigned int cmd, unsigned long uop,
                      unsigned int count)
{
    const struct batch_op *b = &batches[cmd];
    long rc;

    if ( !guest_range_ok(uop, (uint64_t)count * b->size) )
        return -EFAULT;
    rc = run_items(b, uop, count);
    if ( rc > 0 )       /* preempted: the guest re-enters with the rest */
        return hypercall_create_continuation(__HYPERVISOR_grant_table_op,
                                             cmd, uop + rc * b->size,
                                             count - rc, 0);
    return rc;
}

long do_grant_table_op(unsigned long cmd_arg, unsigned long uop,
                       unsigned long count_arg, unsigned long a4,
                       unsigned long a5)
{
    unsigned int cmd = cmd_arg, count = count_arg;

    if ( (int)count < 0 )
        return -EINVAL;
    if ( (cmd & ~GNTTABOP_CMD_MASK) &&
         (cmd & GNTTABOP_CMD_MASK) != GNTTABOP_cache_flush )
        return -EINVAL;

    switch ( cmd & GNTTABOP_CMD_MASK )
    {
    case GNTTABOP_map_grant_ref:
    case GNTTABOP_unmap_grant_ref:
    case GNTTABOP_copy:
    case GNTTABOP_swap_grant_ref:
        return run_batch(cmd, uop, count);
    case GNTTABOP_setup_table:
        return setup_table(uop, count);
    case GNTTABOP_query_size:
        return query_size(uop, count);
    case GNTTABOP_set_version:
        return set_version(uop);
    case GNTTABOP_get_version:
        return get_version(uop);
    case GNTTABOP_get_status_frames:
        return get_status_frames(uop, count);
    default:
        /* dump_table (gone from Xen), transfer, unmap_and_replace,
         * cache_flush: not provided. */
        return -ENOSYS;
    }
}

/* ---- A domain's table ---- */

static unsigned int table_order(void)
{
    unsigned int order = 0;

    while ( (PAGE_SIZE << order) < sizeof(struct grant_table) )
        order++;
    return order;
}

int gnttab_domain_create(struct domain *d)
{
    long mfn = page_alloc(table_order(), PAGE_OWNER_XEN);
    struct grant_table *gt;
    int rc;

    if ( mfn < 0 )
        return -ENOMEM;
    gt = mfn_to_virt(mfn);
    memset(gt, 0, sizeof(*gt));
    rc = gnttab_init(gt, d->domain_id, GNTTAB_MAX_FRAMES,
                     GNTTAB_MAX_MAPTRACK_FRAMES);
    if ( rc )
    {
        page_free(mfn, table_order());
        return rc;
    }
    d->grant_table = gt;
    return 0;
}

/* Undo every mapping d holds; see gnttab_domain_destroy. */
static void release_maps(struct domain *d)
{
    struct grant_table *lgt = d->grant_table;

    for ( grant_handle_t h = 0; h < lgt->maptrack_limit && lgt->maps_in_use;
          h++ )
    {
        struct gnttab_map *m = gnttab_maptrack_lookup(lgt, h);
        struct domain *rd;

        if ( !m )
            continue;
        rd = domain_slot(m->domid);     /* the granter may be dying too */
        if ( rd && rd->grant_table &&
             m->ref < gnttab_nr_entries(rd->grant_table) )
        {
            bool ro = m->flags & GNTMAP_readonly;
            unsigned long mfn = gnttab_active(rd->grant_table, m->ref)->mfn;
            struct gnttab_map copy = *m;

            /* Unpin first: dropping the map's references may release rd. */
            gnttab_unpin(rd->grant_table, m->ref, ro);
            gnttab_maptrack_put(lgt, h);
            gnttab_arch_release_map(d, &copy, mfn);
            continue;
        }
        gnttab_maptrack_put(lgt, h);
    }
}

/* Does anything but the sharing itself still reference a table frame? */
static bool frames_in_use(const struct grant_table *gt)
{
    for ( unsigned int i = 0; i < gt->nr_frames; i++ )
    {
        const struct page_info *pg = mfn_to_page(gt->shared_mfn[i]);

        if ( pg->count != 1 || (pg->type_info & PGT_count_mask) != 1 )
            return true;
    }
    return false;
}

int gnttab_domain_destroy(struct domain *d)
{
    struct grant_table *gt = d->grant_table;

    if ( !gt )
        return 0;
    release_maps(d);
    if ( gnttab_any_pinned(gt) || frames_in_use(gt) )
        return -EBUSY;
    gnttab_fini(gt);
    page_free(virt_to_mfn(gt), table_order());
    d->grant_table = NULL;
    return 0;
}

/* Drop ld's handles for maps of rid's grants (their PTEs are gone). */
static void forget_maps_of(struct domain *ld, domid_t rid)
{
    struct grant_table *lgt = ld->grant_table;

    for ( grant_handle_t h = 0; h < lgt->maptrack_limit && lgt->maps_in_use;
          h++ )
    {
        struct gnttab_map *m = gnttab_maptrack_lookup(lgt, h);

        if ( m && m->domid == rid )
            gnttab_maptrack_put(lgt, h);
    }
}

void gnttab_domain_release(struct domain *d)
{
    struct grant_table *gt = d->grant_table;

    if ( !gt )
        return;
    for ( domid_t id = 0; id < CONFIG_MAX_DOMAINS; id++ )
    {
        struct domain *ld = domain_slot(id);

        if ( ld && ld != d && ld->grant_table )
            forget_maps_of(ld, d->domain_id);
    }
    release_maps(d);
    if ( frames_in_use(gt) )
    {
        printk(LOG_ERR "d%u: grant table frames still mapped: leaked\n",
               d->domain_id);
        d->grant_table = NULL;
        return;
    }
    gnttab_fini(gt);
    page_free(virt_to_mfn(gt), table_order());
    d->grant_table = NULL;
}

long gnttab_frame_mfn(struct domain *d, unsigned long idx)
{
    struct grant_table *gt = d->grant_table;

    if ( !gt )
        return -EINVAL;
    if ( idx >= gt->nr_frames && idx < gt->max_frames )
        (void)gnttab_grow(gt, idx + 1);
    if ( idx >= gt->nr_frames )
        return -EINVAL;
    return gt->shared_mfn[idx];
}
