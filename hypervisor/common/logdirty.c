/*
 * Log-dirty mode for PV domains: which frames changed since the
 * toolstack last looked.
 *
 * Stores by the domain itself. Xen runs a log-dirty PV domain on shadow
 * page tables; Mica keeps the guest's own tables and, where the CPU has
 * protection keys, marks every writable mapping of the domain's RAM
 * "clean" with a key the domain may not write through
 * (arch/x86/mm/logdirty_pk.c). The first store through a mapping faults
 * into the hypervisor, which records the frame, drops the mark and lets
 * the store run; a clean puts the marks back. Only frames actually
 * written are reported, so pre-copy migration converges.
 *
 * Stores by anyone else are recorded where they happen: entries the
 * hypervisor rewrites in page tables (validation, mmu_update, emulated
 * PTE writes), hypercall pages, descriptors, pages cleared or copied by
 * MMUEXT ops, grant copies, frames given new pfns, and frames another
 * domain maps writable (at map and at unmap, since their stores are out
 * of sight in between). The few frames the hypervisor keeps writing
 * through its own mapping (vcpu_info, console ring, pirq EOI bitmap)
 * are reported in every round.
 *
 * Without protection keys (or with `logdirty=coarse`), tracking is
 * coarse but still sound: a frame can only change while something holds
 * a writable use of it, so every frame that takes its first writable
 * reference is recorded, and at each clean every frame still writable is
 * recorded again for the next round. Linux keeps most of its memory
 * mapped writable, so such a round reports nearly everything.
 *
 * A clean puts the marks back on every writable entry, a walk over the
 * frame table that can take long: it runs with the domain paused (a
 * store between the bitmap's reset and its page's new mark would be
 * lost) and in steps, continued through hypercall continuations; the
 * domain runs again when the walk ends. Enable walks the same way;
 * disable removes the marks without pausing.
 *
 * Bits are indexed by pfn through the machine-to-phys table.
 */
#include <asm/current.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <mica/domain.h>
#include <mica/guest_access.h>
#include <mica/lib.h>
#include <mica/logdirty.h>
#include <mica/page_alloc.h>
#include <mica/sched.h>
#include <public/domctl.h>

struct logdirty
{
    struct ld_bitmap bm;
    long words_mfn;
    unsigned int order;
    bool precise;               /* stores seen through protection keys */
};

/* A frame-table walk in progress, carried across continuations. */
struct ld_walker
{
    bool active;
    uint32_t op;                /* the sub-op that started it */
    domid_t caller;             /* only it may continue it */
    enum ld_walk how;
    unsigned long next;         /* next frame to visit */
    bool paused;                /* the domain waits for the walk's end */
    uint32_t dirty, overflow;   /* a clean's answer, given at the end */
};

static struct logdirty state[CONFIG_MAX_DOMAINS];
static struct ld_walker walkers[CONFIG_MAX_DOMAINS];

void paging_mark_dirty(struct domain *d, unsigned long mfn)
{
    if ( d->logdirty )
        ld_mark(&d->logdirty->bm, m2p_get(mfn));
}

bool logdirty_precise(const struct domain *d)
{
    return d->logdirty && d->logdirty->precise;
}

/* Frames the hypervisor writes through its own mapping, at any time. */
static void mark_hypervisor_written(struct domain *d)
{
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] && d->vcpu[i]->vcpu_info_mfn )
            paging_mark_dirty(d, d->vcpu[i]->vcpu_info_mfn);
    if ( d->console.mfn )
        paging_mark_dirty(d, d->console.mfn);
    logdirty_mark_arch_frames(d);
}

static void pause_all(struct domain *d, bool pause)
{
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
        {
            if ( pause )
                vcpu_pause(d->vcpu[i]);
            else
                vcpu_unpause(d->vcpu[i]);
        }
}

static long walk_run(struct domain *d, struct mica_domctl_logdirty *op)
{
    struct ld_walker *w = &walkers[d->domain_id];

    w->next = logdirty_walk(d, w->next, w->how);
    if ( w->next < max_frame )
        return -ERESTART;
    if ( w->paused )
        pause_all(d, false);
    op->dirty_count = w->dirty;
    op->overflow = w->overflow;
    memset(w, 0, sizeof(*w));
    return 0;
}

static long walk_start(struct domain *d, struct mica_domctl_logdirty *op,
                       enum ld_walk how, bool pause)
{
    struct ld_walker *w = &walkers[d->domain_id];

    w->active = true;
    w->op = op->op;
    w->caller = current->domain->domain_id;
    w->how = how;
    w->next = 0;
    w->paused = pause;
    if ( pause )
        pause_all(d, true);
    return walk_run(d, op);
}

/* Marks on (precise) or the writable set recorded (coarse). */
static long protect(struct domain *d, struct mica_domctl_logdirty *op)
{
    bool precise = d->logdirty->precise;

    mark_hypervisor_written(d);
    return walk_start(d, op, precise ? LD_PROTECT : LD_MARK_WRITABLE,
                      precise);
}

static unsigned int order_for_bytes(size_t bytes)
{
    unsigned int order = 0;

    while ( ((size_t)PAGE_SIZE << order) < bytes )
        order++;
    return order;
}

static long enable(struct domain *d, struct mica_domctl_logdirty *op)
{
    struct logdirty *ld = &state[d->domain_id];
    long mfn;

    if ( d->logdirty )
        return -EBUSY;
    if ( !op->nr_pfns || op->nr_pfns > MICA_LOGDIRTY_MAX_PFNS )
        return -EINVAL;
    ld->order = order_for_bytes(ld_bytes(op->nr_pfns));
    mfn = page_alloc(ld->order, PAGE_OWNER_XEN);
    if ( mfn < 0 )
        return -ENOMEM;
    ld->words_mfn = mfn;
    ld_init(&ld->bm, mfn_to_virt(mfn), op->nr_pfns);
    ld->precise = logdirty_has_pk();
    d->logdirty = ld;
    return protect(d, op);
}

static void release(struct domain *d)
{
    struct logdirty *ld = d->logdirty;

    d->logdirty = NULL;
    page_free(ld->words_mfn, ld->order);
    memset(ld, 0, sizeof(*ld));
}

/* Destruction: no walk, the domain's tables are going anyway. */
void logdirty_disable(struct domain *d)
{
    memset(&walkers[d->domain_id], 0, sizeof(walkers[0]));
    if ( d->logdirty )
        release(d);
}

static long disable(struct domain *d, struct mica_domctl_logdirty *op)
{
    bool precise;

    if ( !d->logdirty )
        return 0;
    precise = d->logdirty->precise;
    release(d);
    op->dirty_count = op->overflow = 0;
    return precise ? walk_start(d, op, LD_UNPROTECT, false) : 0;
}

static long read_bitmap(struct domain *d, struct mica_domctl_logdirty *op,
                        bool clean)
{
    struct ld_bitmap *bm;

    if ( !d->logdirty )
        return -EINVAL;
    bm = &d->logdirty->bm;
    if ( copy_to_guest(op->bitmap, bm->words, ld_copy_bytes(bm, op->nr_pfns)) )
        return -EFAULT;
    op->dirty_count = bm->dirty;
    op->overflow = bm->overflow;
    if ( !clean )
        return 0;
    walkers[d->domain_id].dirty = bm->dirty;
    walkers[d->domain_id].overflow = bm->overflow;
    ld_clear(bm);
    return protect(d, op);
}

long logdirty_domctl(struct domain *d, struct mica_domctl_logdirty *op)
{
    const struct ld_walker *w = &walkers[d->domain_id];

    if ( w->active )
    {
        /* Only the caller that started a walk continues it. */
        if ( w->op != op->op || w->caller != current->domain->domain_id )
            return -EBUSY;
        return walk_run(d, op);
    }
    switch ( op->op )
    {
    case MICA_LOGDIRTY_enable:
        return enable(d, op);
    case MICA_LOGDIRTY_disable:
        return disable(d, op);
    case MICA_LOGDIRTY_clean:
        return read_bitmap(d, op, true);
    case MICA_LOGDIRTY_peek:
        return read_bitmap(d, op, false);
    default:
        return -EINVAL;
    }
}
