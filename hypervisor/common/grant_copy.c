/*
 * GNTTABOP_copy: the hypervisor copies bytes between two frames, each
 * named either by a grant reference of some domain or, for the caller's
 * own memory only (DOMID_SELF), by frame number.
 *
 * Order of checks, and so which GNTST_* a bad item gets, follows Xen
 * 4.17's gnttab_copy_one: the source's domain (permission_denied for a
 * frame of another domain, bad_domain), then the destination's; then the
 * source is claimed (grant pinned for reading, or the frame referenced),
 * then the destination (pinned for writing and given a writable type
 * reference, so it cannot be a page table); only then the offsets and
 * length (bad_copy_arg). Everything claimed is released before the next
 * item; Xen keeps a frame claimed across consecutive items naming it,
 * which only saves time.
 */
#include <asm/current.h>
#include <asm/page_type.h>
#include <mica/domain.h>
#include <mica/grant_table.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/lib.h>

struct copy_buf
{
    struct domain *d;
    unsigned long mfn;
    grant_ref_t ref;
    bool readonly;
    bool have_ref, have_pin, have_type;
};

static int find_domain(domid_t domid, bool is_gref, struct copy_buf *b)
{
    if ( domid != DOMID_SELF && !is_gref )
        return GNTST_permission_denied;
    b->d = gnttab_domain_any(domid);
    return b->d && b->d->grant_table ? GNTST_okay : GNTST_bad_domain;
}

static int claim(const struct gnttab_copy_ptr *p, bool is_gref,
                 struct copy_buf *b)
{
    int rc;

    if ( is_gref )
    {
        rc = gnttab_pin(b->d->grant_table, p->u.ref,
                        current->domain->domain_id,
                        b->readonly ? GNTTAB_PIN_READONLY : 0, &b->mfn);
        if ( rc != GNTST_okay )
            return rc;
        b->ref = p->u.ref;
        b->have_pin = true;
    }
    else
    {
        if ( !get_page(p->u.gmfn, b->d->domain_id) )
            return GNTST_bad_page;
        b->mfn = p->u.gmfn;
    }
    b->have_ref = true;
    if ( !b->readonly )
    {
        if ( get_page_type(b->mfn, PGT_writable) )
            return GNTST_general_error;
        b->have_type = true;
    }
    return GNTST_okay;
}

static void release(struct copy_buf *b)
{
    if ( b->have_pin )
        gnttab_unpin(b->d->grant_table, b->ref, b->readonly);
    if ( b->have_type )
        put_page_type(b->mfn);
    if ( b->have_ref )
        put_page(b->mfn);
}

int16_t gnttab_copy_one(void *arg)
{
    const struct gnttab_copy *op = arg;
    bool src_gref = op->flags & GNTCOPY_source_gref;
    bool dst_gref = op->flags & GNTCOPY_dest_gref;
    struct copy_buf src = { .readonly = true }, dst = { .readonly = false };
    int rc;

    rc = find_domain(op->source.domid, src_gref, &src);
    if ( rc == GNTST_okay )
        rc = find_domain(op->dest.domid, dst_gref, &dst);
    if ( rc != GNTST_okay )
        return rc;
    rc = claim(&op->source, src_gref, &src);
    if ( rc == GNTST_okay )
        rc = claim(&op->dest, dst_gref, &dst);
    if ( rc == GNTST_okay )
        rc = gnttab_copy_check(op);
    if ( rc == GNTST_okay )
    {
        memcpy((uint8_t *)mfn_to_virt(dst.mfn) + op->dest.offset,
               (const uint8_t *)mfn_to_virt(src.mfn) + op->source.offset,
               op->len);
        pt_env_mark_dirty(dst.mfn);     /* for log-dirty tracking */
    }
    release(&dst);
    release(&src);
    return rc;
}

