/*
 * The x86 half of domain destruction: drop every reference the domain
 * holds on its own frames, in the order that lets the type system unwind
 * them (see common/domain_kill.c for the whole sequence).
 *
 * First the vCPUs' own references (base pointers, GDT frames, LDT frames
 * mapped so far, a registered vcpu_info frame); then every pin, which releases whole
 * page-table trees, since a validated table's type is only ever held by
 * a pin, a base pointer or a higher table of the same domain; last the
 * allocation reference of every frame. A frame whose count then reaches
 * zero is freed at once (pt_env_free); one still mapped by another
 * domain waits for that mapping. shared_info is the hypervisor's page
 * shared with the guest: it becomes an ordinary frame of the dying
 * domain, counted in tot_pages, and follows the same rule.
 *
 * Finding the frames walks the frame table: there is no per-domain page
 * list yet, and the walk costs a few milliseconds per GiB of RAM.
 */
#include <asm/page_type.h>
#include <asm/pv.h>
#include <mica/domain.h>
#include <mica/lib.h>

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

static void unpin_all(struct domain *d)
{
    for ( unsigned long mfn = 0; mfn < max_frame; mfn++ )
    {
        struct page_info *pg = mfn_to_page(mfn);

        if ( owned_by(mfn, d) && (pg->type_info & PGT_pinned) )
        {
            pg->type_info &= ~PGT_pinned;
            put_page_and_type(mfn);
        }
    }
}

static void drop_allocation_refs(struct domain *d)
{
    for ( unsigned long mfn = 0; mfn < max_frame; mfn++ )
    {
        struct page_info *pg = mfn_to_page(mfn);

        if ( owned_by(mfn, d) && (pg->flags & PGF_allocated) )
        {
            pg->flags &= ~PGF_allocated;
            put_page(mfn);
        }
    }
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

void arch_domain_relinquish(struct domain *d)
{
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            release_vcpu(d->vcpu[i]);
    unpin_all(d);
    drop_allocation_refs(d);
    release_shared_info(d);
}
