/*
 * A PV guest's LDT (MMUEXT_SET_LDT), mapped on demand as Xen 4.17 does
 * (xen/arch/x86/pv/descriptor-tables.c pv_destroy_ldt, pv/mm.c
 * pv_map_ldt_shadow_page, traps.c handle_ldt_mapping_fault).
 *
 * SET_LDT only records the guest linear address and the number of
 * descriptors; the CPU sees the LDT through the per-CPU LDT window.
 * The first time the CPU reads a descriptor from a page of the window
 * that is not there yet, the #PF comes here: we look up the guest's
 * kernel mapping of that page, give the frame the seg_desc type (its
 * descriptors are validated, and no writable mapping of it may exist
 * while it is in use) and map it into the window. The vCPU keeps those
 * frames (v->arch.ldt_frames) until the LDT changes, its kernel page
 * tables change, or the guest removes a mapping of a descriptor page;
 * then they are released and will be mapped again on the next use.
 *
 * A page that cannot be mapped is the guest's fault: the #PF is
 * reflected with CR2 at the guest address of the descriptor (#GP with
 * the selector if that address is not canonical).
 */
#include <asm/current.h>
#include <asm/desc.h>
#include <asm/page_type.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/traps.h>
#include <mica/guest_access.h>
#include <mica/lib.h>
#include <mica/vcpu_context.h>

#include "mm.h"

#define MAX_LDT_ENTS 8192
#define XEC_TI 4                /* error code: the selector is in the LDT */

_Static_assert(MAX_LDT_ENTS * 8 == LDT_WINDOW_PAGES * PAGE_SIZE,
               "the window holds the largest LDT");

void pv_destroy_ldt(struct vcpu *v)
{
    bool any = false;

    for ( unsigned int i = 0; i < LDT_WINDOW_PAGES; i++ )
    {
        if ( !v->arch.ldt_frames[i] )
            continue;
        put_page_and_type(v->arch.ldt_frames[i]);
        v->arch.ldt_frames[i] = 0;
        any = true;
    }
    if ( any && v == current )
        ldt_window_map(v->arch.ldt_frames);
}

int pv_set_ldt(struct vcpu *v, uint64_t base, unsigned int ents)
{
    if ( !vcpu_ldt_args_ok(base, ents) )
        return -EINVAL;
    if ( !ents )
        base = 0;
    if ( v->arch.ldt_ents != ents || v->arch.ldt_base != base )
    {
        pv_destroy_ldt(v);
        v->arch.ldt_base = base;
        v->arch.ldt_ents = ents;
        ldt_load(ents);
    }
    return 0;
}

/* The page-type code: a mapping of a descriptor page of d went away. */
void pt_env_desc_unmapped(pt_domid_t owner)
{
    struct domain *d = domain_by_id(owner);

    for ( unsigned int i = 0; d && i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            pv_destroy_ldt(d->vcpu[i]);
}

/* Map window page `page` from the guest's kernel tables; true if done. */
static bool map_ldt_page(struct vcpu *v, unsigned int page)
{
    uint64_t linear = v->arch.ldt_base + page * PAGE_SIZE;
    unsigned long l1, mfn;
    pte_t e;

    if ( v->arch.ldt_frames[page] || !guest_range_ok(linear, PAGE_SIZE) )
        return false;
    l1 = pv_find_l1(v, linear);
    if ( !l1 )
        return false;
    e = pt_env_map(l1)[l1_index(linear)];
    mfn = pte_mfn(e);
    if ( !(e & _PAGE_PRESENT) ||
         get_page_and_type(mfn, v->domain->domain_id, PGT_seg_desc) )
        return false;
    v->arch.ldt_frames[page] = mfn;
    ldt_window_map(v->arch.ldt_frames);
    return true;
}

bool pv_ldt_fault(struct cpu_regs *regs, uint64_t cr2, long ec)
{
    struct vcpu *v = current;
    uint64_t offset = cr2 - ldt_window_va();

    if ( !v || cr2 < ldt_window_va() ||
         offset >= LDT_WINDOW_PAGES * PAGE_SIZE )
        return false;
    if ( (offset >> 3) < v->arch.ldt_ents &&
         map_ldt_page(v, offset >> PAGE_SHIFT) )
        return true;            /* the instruction is run again */
    if ( ec < 0 )
        return false;           /* the hypervisor's own fixup decides */

    printk(LOG_DEBUG "d%u: LDT descriptor at %lx: page cannot be mapped\n",
           v->domain->domain_id, v->arch.ldt_base + offset);
    if ( !is_canonical(v->arch.ldt_base + offset) )
    {
        pv_inject_exception(regs, X86_EXC_GP, (offset & ~7UL) | XEC_TI);
        return true;
    }
    v->arch.cr2 = v->arch.ldt_base + offset;
    pv_inject_exception(regs, X86_EXC_PF, ec);
    return true;
}
