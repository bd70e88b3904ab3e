/*
 * The x86 half of domain destruction: drop every reference the domain
 * holds on its own frames, in the order that lets the type system unwind
 * them (see common/domain_kill.c for the whole sequence).
 *
 * First the vCPUs' own references (base pointers, GDT frames, LDT frames
 * mapped so far, a registered vcpu_info frame); then every pin, which
 * releases whole page-table trees, since a validated table's type is only
 * ever held by a pin, a base pointer or a higher table of the same
 * domain; last the allocation reference of every frame. A frame whose
 * count then reaches zero is freed at once (pt_env_free); one still
 * mapped by another domain waits for that mapping. shared_info is the
 * hypervisor's page shared with the guest: it becomes an ordinary frame
 * of the dying domain, counted in tot_pages, and follows the same rule.
 *
 * Finding the frames walks the frame table: there is no per-domain page
 * list yet. The walks and the scrubbing of each freed frame take long for
 * a large domain, so they stop between frames when the hypercall should
 * yield (hypercall_preempt_check) and answer -ERESTART. Where to go on
 * is kept in d->arch: the step, and for the two walks the next frame to
 * look at. Resuming at that frame is sound because a dying domain gains
 * no frames (nothing can allocate to it any more) and a frame behind the
 * cursor was already handled; one it loses meanwhile (another domain
 * unmapping its last reference) is simply not owned when the walk gets
 * there. Each call handles at least one stride of frames before it may
 * stop, so repeated calls always finish.
 */
#include <asm/page_type.h>
#include <asm/pv.h>
#include <mica/domain.h>
#include <mica/hypercall.h>
#include <mica/lib.h>

/* Frames looked at between two preemption checks (a check reads the TSC). */
#define REL_STRIDE 64

enum rel_step
{
    REL_vcpus,                      /* 0: a fresh domain starts here */
    REL_pins,
    REL_allocs,
    REL_shared,
    REL_done,
};

typedef void frame_fn(unsigned long mfn);

static void release_vcpu(struct vcpu *v)
{
    struct arch_vcpu *a = &v->arch;

    pv_destroy_ldt(v);
    a->ldt_ents = 0;
    if ( a->guest_table )
        put_page_and_type(a->guest_table);
    if ( a->guest_table_user )
        put_page_and_type(a->guest_table_user);
    a->guest_table = a->guest_table_user = 0;
    for ( unsigned int i = 0; i < GDT_GUEST_FRAMES; i++ )
    {
        if ( a->gdt_frames[i] )
            put_page_and_type(a->gdt_frames[i]);
        a->gdt_frames[i] = 0;
    }
    a->gdt_ents = 0;
    if ( v->vcpu_info_mfn )
        put_page_and_type(v->vcpu_info_mfn);
    v->vcpu_info_mfn = 0;
    v->vcpu_info = &v->domain->shared_info->vcpu_info[v->vcpu_id];
}

static bool owned_by(unsigned long mfn, const struct domain *d)
{
    const struct page_info *pg = mfn_to_page(mfn);

    return pg->owner == d->domain_id && pg->count &&
           !(pg->flags & PGF_free);
}

static void unpin(unsigned long mfn)
{
    struct page_info *pg = mfn_to_page(mfn);

    if ( pg->type_info & PGT_pinned )
    {
        pg->type_info &= ~PGT_pinned;
        put_page_and_type(mfn);
    }
}

static void drop_allocation_ref(unsigned long mfn)
{
    struct page_info *pg = mfn_to_page(mfn);

    if ( pg->flags & PGF_allocated )
    {
        pg->flags &= ~PGF_allocated;
        put_page(mfn);
    }
}

/*
 * fn on each frame d owns, from the saved cursor to the end of the frame
 * table; -ERESTART, cursor saved, when preempted at a stride boundary.
 */
static int walk_frames(struct domain *d, frame_fn *fn)
{
    unsigned long first = d->arch.rel_mfn;

    for ( unsigned long mfn = first; mfn < max_frame; mfn++ )
    {
        if ( mfn != first && !(mfn % REL_STRIDE) &&
             hypercall_preempt_check() )
        {
            d->arch.rel_mfn = mfn;
            return -ERESTART;
        }
        if ( owned_by(mfn, d) )
            fn(mfn);
    }
    d->arch.rel_mfn = 0;
    return 0;
}

static void release_shared_info(struct domain *d)
{
    unsigned long mfn = d->shared_info_mfn;
    struct page_info *pg = mfn_to_page(mfn);

    pg->flags &= ~PGF_xenheap;
    d->tot_pages++;
    put_page_type(mfn);         /* the writable use it was created with */
    put_page(mfn);
}

int arch_domain_relinquish(struct domain *d)
{
    int rc;

    switch ( d->arch.rel_step )
    {
    case REL_vcpus:
        for ( unsigned int i = 0; i < d->max_vcpus; i++ )
            if ( d->vcpu[i] )
                release_vcpu(d->vcpu[i]);
        d->arch.rel_step = REL_pins;
        /* fallthrough */
    case REL_pins:
        rc = walk_frames(d, unpin);
        if ( rc )
            return rc;
        d->arch.rel_step = REL_allocs;
        /* fallthrough */
    case REL_allocs:
        rc = walk_frames(d, drop_allocation_ref);
        if ( rc )
            return rc;
        d->arch.rel_step = REL_shared;
        /* fallthrough */
    case REL_shared:
        release_shared_info(d);
        d->arch.rel_step = REL_done;
        /* fallthrough */
    default:
        return 0;
    }
}
