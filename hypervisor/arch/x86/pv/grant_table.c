/*
 * Grant tables for x86 PV guests: host mappings (map_grant_ref and
 * unmap_grant_ref with GNTMAP_host_map) and the frames and references
 * that the bookkeeping in common/grant_table.c asks its environment for.
 *
 * A host mapping is an L1 entry with PTE_GNTTAB (bit 62) that only this
 * file writes; get_l1e refuses the bit from guests. The entry holds what
 * an ordinary L1 entry with the same RW bit holds: one general reference
 * on the granted frame and, if writable, one writable type reference,
 * taken here before the entry is written. So the frame can be neither
 * freed nor turned into a page table while mapped, and if the guest
 * overwrites the entry or drops its table (Xen's "implicit unmap"),
 * pt_put_entry releases exactly those references. The grant's pin is the
 * maptrack entry's and goes only with unmap_grant_ref or teardown.
 *
 * host_addr names the entry either as a virtual address in the caller's
 * current page tables, or with GNTMAP_contains_pte as the machine address
 * of the entry itself (Linux's gntdev maps into user page tables that
 * way). Either way the L1 frame must be the caller's and in use as a
 * validated L1 table, as in Xen's create_grant_pv_mapping. Unmap checks
 * the entry still maps the frame with the same access before clearing it.
 */
#include <asm/current.h>
#include <asm/page_type.h>
#include <asm/processor.h>
#include <mica/domain.h>
#include <mica/domain_page.h>
#include <mica/grant_table.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/lib.h>
#include <mica/page_alloc.h>

/* ---- The environment of common/grant_table.c. ---- */

void *gnttab_env_page_alloc(void)
{
    long mfn = page_alloc(0, PAGE_OWNER_XEN);

    if ( mfn < 0 )
        return NULL;
    memset(mfn_to_virt(mfn), 0, PAGE_SIZE);
    return mfn_to_virt(mfn);
}

void gnttab_env_page_free(void *page)
{
    page_free(virt_to_mfn(page), 0);
}

void *gnttab_env_frame_alloc(domid_t domid, unsigned long *mfn)
{
    struct domain *d = domain_by_id(domid);
    long m = d ? page_alloc(0, domid) : -ESRCH;

    if ( m < 0 )
        return NULL;
    memset(mfn_to_virt(m), 0, PAGE_SIZE);
    share_xen_page_with_guest(m, d);
    *mfn = m;
    return mfn_to_virt(m);
}

/* Only once nothing maps it: the caller checked the counts. */
void gnttab_env_frame_free(void *page, unsigned long mfn)
{
    struct page_info *pg = mfn_to_page(mfn);

    ASSERT(pg->count == 1 && (pg->type_info & PGT_count_mask) == 1);
    pg->type_info = PGT_none;
    pg->count = 0;
    pg->flags &= ~PGF_xenheap;
    page_free(mfn, 0);
}

int gnttab_env_get_frame(domid_t domid, unsigned long gfn,
                         unsigned long *mfn)
{
    /* PV: the frame number is a machine frame, owned by the granter. */
    if ( !get_page(gfn, domid) )
        return GNTST_bad_page;
    *mfn = gfn;
    return GNTST_okay;
}

bool gnttab_env_get_ref(domid_t domid, unsigned long mfn)
{
    return get_page(mfn, domid);
}

uint32_t gnttab_env_cmpxchg(uint32_t *word, uint32_t old, uint32_t new)
{
    __atomic_compare_exchange_n(word, &old, new, false, __ATOMIC_SEQ_CST,
                                __ATOMIC_SEQ_CST);
    return old;
}

/* ---- Finding the L1 entry a request names. ---- */

/* The L1 that the current page tables use for va, or 0. */
static unsigned long l1_of_va(unsigned long va)
{
    static const unsigned int shifts[] = { L4_SHIFT, L3_SHIFT, L2_SHIFT };
    unsigned long mfn = current->arch.guest_table;

    if ( !guest_range_ok(va, 1) )
        return 0;
    for ( unsigned int i = 0; i < ARRAY_SIZE(shifts); i++ )
    {
        pte_t e = pt_env_map(mfn)[(va >> shifts[i]) & (PT_ENTRIES - 1)];

        if ( (e & (_PAGE_PRESENT | _PAGE_PSE)) != _PAGE_PRESENT ||
             !mfn_valid(pte_mfn(e)) )
            return 0;
        mfn = pte_mfn(e);
    }
    return mfn;
}

/* Is l1 a validated L1 table that domain d owns? */
static bool is_l1_of(unsigned long l1, const struct domain *d)
{
    const struct page_info *pg;

    if ( !mfn_valid(l1) )
        return false;
    pg = mfn_to_page(l1);
    return pg->owner == d->domain_id && pg->count &&
           (pg->type_info & (PGT_type_mask | PGT_validated)) ==
               (PGT_l1 | PGT_validated) &&
           (pg->type_info & PGT_count_mask);
}

/* The entry host_addr names (see the top of the file), or NULL. */
static pte_t *grant_l1e(uint64_t host_addr, unsigned int flags,
                        uint64_t *maddr)
{
    unsigned long l1;

    if ( flags & GNTMAP_contains_pte )
    {
        if ( host_addr & (sizeof(pte_t) - 1) )
            return NULL;            /* would straddle two entries */
        *maddr = host_addr;
    }
    else
    {
        l1 = l1_of_va(host_addr);
        if ( !l1 )
            return NULL;
        *maddr = (l1 << PAGE_SHIFT) + l1_index(host_addr) * sizeof(pte_t);
    }
    l1 = *maddr >> PAGE_SHIFT;
    if ( !is_l1_of(l1, current->domain) )
        return NULL;
    return pt_env_map(l1) + (*maddr & ~PAGE_MASK) / sizeof(pte_t);
}

/* What map_grant_ref writes (Xen's grant_to_pte_flags, then adjusted). */
static pte_t grant_pte(unsigned long mfn, unsigned int flags)
{
    pte_t e = mfn_pte(mfn, _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY |
                           PTE_GNTTAB | _PAGE_NX);

    if ( flags & GNTMAP_application_map )
        e |= _PAGE_USER;
    if ( !(flags & GNTMAP_readonly) )
        e |= _PAGE_RW;
    /* XENFEAT_gnttab_map_avail_bits: the guest's bits 16-18 go to 9-11. */
    e |= ((pte_t)(flags >> _GNTMAP_guest_avail0) << 9) & _PAGE_AVAIL;
    return pt_adjust_entry(1, e);
}

/*
 * After changing an entry: a virtual address in the current page tables
 * needs only its own translation dropped (other page tables of the guest
 * are loaded with a CR3 write, which flushes it, and guest entries are
 * never global); an entry named by machine address may be in any of
 * them, so the whole TLB goes before the guest runs again.
 */
static void flush_entry(uint64_t host_addr, unsigned int flags)
{
    if ( flags & GNTMAP_contains_pte )
        pt_env_flush();
    else
        invlpg(host_addr);
}

/* Drop what a grant entry held (the entry is already gone). */
static void put_map_refs(unsigned long mfn, bool readonly)
{
    if ( !readonly )
    {
        pt_env_mark_dirty(mfn);     /* as Xen: the mapper may have written */
        put_page_type(mfn);
    }
    put_page(mfn);
}

static int create_mapping(uint64_t host_addr, unsigned long mfn,
                          unsigned int flags, uint64_t *maddr)
{
    pte_t *p = grant_l1e(host_addr, flags, maddr), old;

    if ( !p )
    {
        printk(LOG_DEBUG "d%u: no L1 entry for grant map at %#lx\n",
               current->domain->domain_id, host_addr);
        return GNTST_general_error;
    }
    old = *p;
    *p = grant_pte(mfn, flags);
    if ( old & PTE_GNTTAB )
        printk(LOG_WARN "d%u: grant PTE %016lx implicitly unmapped\n",
               current->domain->domain_id, old);
    pt_put_entry(1, old, *maddr >> PAGE_SHIFT);
    if ( old & _PAGE_PRESENT )
        flush_entry(host_addr, flags);
    return GNTST_okay;
}

/* Clear the entry if it still maps mfn with the map's access. */
static bool entry_matches(pte_t e, unsigned long mfn, unsigned int flags)
{
    pte_t rw = (flags & GNTMAP_readonly) ? 0 : _PAGE_RW;

    return (e & _PAGE_PRESENT) && pte_mfn(e) == mfn &&
           (e & _PAGE_RW) == rw;
}

static int destroy_mapping(uint64_t host_addr, unsigned long mfn,
                           unsigned int flags)
{
    uint64_t maddr;
    pte_t *p = grant_l1e(host_addr, flags, &maddr);

    if ( !p || !entry_matches(*p, mfn, flags) )
    {
        printk(LOG_DEBUG "d%u: %#lx does not map grant frame %#lx\n",
               current->domain->domain_id, host_addr, mfn);
        return GNTST_general_error;
    }
    *p = 0;
    flush_entry(host_addr, flags);
    return GNTST_okay;
}

/* ---- map_grant_ref ---- */

int16_t gnttab_map_one(void *arg)
{
    struct gnttab_map_grant_ref *op = arg;
    struct domain *ld = current->domain, *rd;
    bool ro = op->flags & GNTMAP_readonly;
    struct gnttab_map *m;
    unsigned long mfn;
    uint64_t maddr;
    grant_handle_t handle;
    int rc;

    if ( !(op->flags & (GNTMAP_host_map | GNTMAP_device_map)) )
        return GNTST_bad_gntref;
    if ( op->flags & GNTMAP_device_map )
        return GNTST_general_error;     /* no device mappings: no IOMMU */
    rd = domain_by_id(op->dom);         /* DOMID_SELF is not a name here */
    if ( !rd || !rd->grant_table )
        return GNTST_bad_domain;
    m = gnttab_maptrack_get(ld->grant_table, &handle);
    if ( !m )
        return GNTST_no_space;
    rc = gnttab_pin(rd->grant_table, op->ref, ld->domain_id,
                    GNTTAB_PIN_MAP | (ro ? GNTTAB_PIN_READONLY : 0), &mfn);
    if ( rc != GNTST_okay )
        goto put_handle;
    rc = GNTST_general_error;
    if ( !ro && get_page_type(mfn, PGT_writable) )
        goto unpin;                     /* a page table, say */
    rc = create_mapping(op->host_addr, mfn, op->flags, &maddr);
    if ( rc != GNTST_okay )
        goto put_type;

    m->domid = op->dom;
    m->ref = op->ref;
    m->pte_maddr = maddr;
    m->flags = op->flags;               /* last: makes the entry live */
    op->handle = handle;
    op->dev_bus_addr = (uint64_t)mfn << PAGE_SHIFT;
    return GNTST_okay;

 put_type:
    if ( !ro )
        put_page_type(mfn);
 unpin:
    put_page(mfn);
    gnttab_unpin(rd->grant_table, op->ref, ro);
 put_handle:
    gnttab_maptrack_put(ld->grant_table, handle);
    return rc;
}

/* ---- unmap_grant_ref ---- */

int16_t gnttab_unmap_one(void *arg)
{
    const struct gnttab_unmap_grant_ref *op = arg;
    struct domain *ld = current->domain, *rd;
    struct gnttab_map *m = gnttab_maptrack_lookup(ld->grant_table,
                                                  op->handle);
    bool ro;
    unsigned long mfn;
    int rc;

    if ( !m )
        return GNTST_bad_handle;
    /* A dying granter keeps its table until every map of it is gone. */
    rd = domain_slot(m->domid);
    if ( !rd || !rd->grant_table )
        return GNTST_bad_handle;    /* cannot happen: released handles go */
    if ( m->ref >= gnttab_nr_entries(rd->grant_table) )
        return GNTST_bad_handle;
    /* Xen: without an address, the host mapping is left alone. */
    if ( !op->host_addr )
        return GNTST_okay;
    ro = m->flags & GNTMAP_readonly;
    mfn = gnttab_active(rd->grant_table, m->ref)->mfn;
    rc = destroy_mapping(op->host_addr, mfn, m->flags);
    if ( rc != GNTST_okay )
        return rc;
    /*
     * Unpin before the references go: the last reference to a dying
     * granter's frame releases the granter, grant table included.
     */
    gnttab_unpin(rd->grant_table, m->ref, ro);
    gnttab_maptrack_put(ld->grant_table, op->handle);
    put_map_refs(mfn, ro);
    return GNTST_okay;
}

/* ---- Teardown ---- */

void gnttab_arch_release_map(struct domain *ld, const struct gnttab_map *m,
                             unsigned long mfn)
{
    unsigned long l1 = m->pte_maddr >> PAGE_SHIFT;
    pte_t *p;

    /* Gone already (the guest or page-table teardown released it)? */
    if ( !is_l1_of(l1, ld) )
        return;
    p = pt_env_map(l1) + (m->pte_maddr & ~PAGE_MASK) / sizeof(pte_t);
    if ( !(*p & PTE_GNTTAB) || !entry_matches(*p, mfn, m->flags) )
        return;
    *p = 0;
    pt_env_flush();
    put_map_refs(mfn, m->flags & GNTMAP_readonly);
}
