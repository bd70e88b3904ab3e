/*
 * The x86 half of log-dirty mode: protection keys and the frame walks.
 *
 * With PKU, a tracked domain runs with PKRU_LOGDIRTY, and each writable
 * L1 entry of its own RAM carries PTE_LD_CLEAN until the first store
 * through it. That store (the guest's, or ours through a guest address
 * in a hypercall) faults with PFEC_PK; logdirty_pk_fault() clears the
 * mark, records the frame and lets the store run again. The PTE stays
 * writable in the guest's eyes throughout: a PV guest reads its own
 * page tables, and a read-only PTE would mislead it (Linux would, for
 * one, skip write-protecting a page it then shares copy-on-write).
 *
 * Without PKU, log-dirty falls back to the coarse rule of
 * LD_MARK_WRITABLE (common/logdirty.c explains it).
 */
#include <asm/mm.h>
#include <asm/page_type.h>
#include <asm/pkeys.h>
#include <asm/processor.h>
#include <asm/traps.h>
#include <mica/domain.h>
#include <mica/hypercall.h>
#include <mica/lib.h>
#include <mica/logdirty.h>

static bool pk_usable;

void logdirty_cpu_init(bool allowed)
{
    uint32_t a, b, c, d;

    cpuid_count(7, 0, &a, &b, &c, &d);
    if ( !(c & CPUID7_ECX_PKU) || !allowed )
    {
        printk("log-dirty: %s, coarse tracking (writable frames)\n",
               allowed ? "no protection keys" : "protection keys disabled");
        return;
    }
    write_cr4(read_cr4() | X86_CR4_PKE);
    wrpkru(0);
    pk_usable = true;
    printk("log-dirty: protection keys, stores tracked per page\n");
}

bool logdirty_has_pk(void)
{
    return pk_usable;
}

/*
 * At every switch to v: the rights its domain's tracking needs. Also for
 * untracked domains, since WRPKRU is unprivileged: what one guest put
 * there must not reach the next.
 */
void logdirty_load(const struct vcpu *v)
{
    if ( pk_usable )
        wrpkru(logdirty_precise(v->domain) ? PKRU_LOGDIRTY : 0);
}

void logdirty_mark_arch_frames(struct domain *d)
{
    if ( d->arch.pirq_eoi_mfn )
        paging_mark_dirty(d, d->arch.pirq_eoi_mfn);
}

/* The L1 entry the current page tables use for va, if it is a guest's. */
static pte_t *guest_l1e(unsigned long va)
{
    unsigned long mfn = (read_cr3() & PTE_ADDR_MASK) >> PAGE_SHIFT;
    static const unsigned int shifts[] = { L4_SHIFT, L3_SHIFT, L2_SHIFT };

    for ( unsigned int i = 0; i < ARRAY_SIZE(shifts); i++ )
    {
        pte_t e = ((pte_t *)mfn_to_virt(mfn))[(va >> shifts[i]) & 511];

        if ( !(e & _PAGE_PRESENT) || (e & _PAGE_PSE) ||
             !mfn_valid(pte_mfn(e)) )
            return NULL;
        mfn = pte_mfn(e);
    }
    if ( (mfn_to_page(mfn)->type_info & PGT_type_mask) != PGT_l1 )
        return NULL;
    return (pte_t *)mfn_to_virt(mfn) + l1_index(va);
}

/*
 * A store refused by our key. The mark goes and the store runs again:
 * through a writable entry it now succeeds and the frame is recorded;
 * through a read-only one (the guest copied a marked entry without RW,
 * or wrote one back after the walk marked it) it faults again without
 * the key bit, and that fault is the guest's.
 */
bool logdirty_pk_fault(unsigned long va, unsigned long ec)
{
    const unsigned long need = PFEC_PK | PFEC_WRITE | PFEC_PRESENT;
    pte_t *p, e;

    if ( !pk_usable || (ec & need) != need || !(p = guest_l1e(va)) )
        return false;
    e = *p;
    if ( (e & (_PAGE_PRESENT | PTE_LD_CLEAN)) !=
         (_PAGE_PRESENT | PTE_LD_CLEAN) )
        return false;
    *p = e & ~PTE_LD_CLEAN;
    invlpg(va);
    if ( (e & _PAGE_RW) && mfn_valid(pte_mfn(e)) )
        pt_env_mark_dirty(pte_mfn(e));
    return true;
}

static void walk_l1(pte_t *pt, pt_domid_t owner, enum ld_walk how)
{
    for ( unsigned int i = 0; i < PT_ENTRIES; i++ )
    {
        if ( !(pt[i] & _PAGE_PRESENT) )
            continue;
        pt[i] = how == LD_PROTECT ? pt_env_track_l1(owner, pt[i])
                                  : pt[i] & ~PTE_LD_CLEAN;
    }
}

static void walk_one(struct domain *d, unsigned long mfn, enum ld_walk how)
{
    const struct page_info *pg = mfn_to_page(mfn);
    uint64_t type = pg->type_info & PGT_type_mask;

    if ( pg->owner != d->domain_id || (pg->flags & PGF_xenheap) ||
         !(pg->type_info & PGT_count_mask) )
        return;
    if ( how == LD_MARK_WRITABLE )
    {
        if ( type == PGT_writable )
            paging_mark_dirty(d, mfn);
    }
    else if ( type == PGT_l1 && (pg->type_info & PGT_validated) )
        walk_l1(mfn_to_virt(mfn), d->domain_id, how);
}

/* Frames [mfn, max_frame) of d, until a preemption point: where it got. */
unsigned long logdirty_walk(struct domain *d, unsigned long mfn,
                            enum ld_walk how)
{
    for ( unsigned long start = mfn; mfn < max_frame; mfn++ )
    {
        if ( mfn != start && !(mfn % 1024) && hypercall_preempt_check() )
            return mfn;
        walk_one(d, mfn, how);
    }
    flush_tlb_local();
    return mfn;
}
