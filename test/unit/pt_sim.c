/* The simulated machine behind the page-type suites (see pt_sim.h). */
#include <stdlib.h>
#include <string.h>

#include "pt_sim.h"

struct pt_sim sim;

static struct page_info frames[PT_SIM_FRAMES];
static pte_t memory[PT_SIM_FRAMES][PT_ENTRIES];

void pt_sim_reset(void)
{
    memset(&sim, 0, sizeof(sim));
    memset(frames, 0, sizeof(frames));
    memset(memory, 0, sizeof(memory));
    frame_table = frames;
    max_frame = PT_SIM_FRAMES;
    for ( unsigned long i = 0; i < PT_SIM_FRAMES; i++ )
        frames[i].owner = PAGE_OWNER_NONE;
    frames[PT_SIM_XEN_MFN].owner = PAGE_OWNER_XEN;
    frames[PT_SIM_XEN_MFN].count = 1;
    frames[PT_SIM_IO_MFN].owner = PAGE_OWNER_IO;
    frames[PT_SIM_IO_MFN].count = 1;
    frames[0].owner = PAGE_OWNER_XEN;
    frames[0].count = 1;
}

unsigned long pt_sim_alloc(pt_domid_t d)
{
    for ( unsigned long i = 3; i < PT_SIM_FRAMES; i++ )
        if ( frames[i].owner == PAGE_OWNER_NONE )
        {
            frames[i].owner = d;
            frames[i].count = 1;
            frames[i].type_info = PGT_none;
            return i;
        }
    return 0;
}

void pt_sim_release(unsigned long mfn)
{
    put_page(mfn);
}

pte_t *pt_sim_frame(unsigned long mfn)
{
    return memory[mfn];
}

pte_t *pt_env_map(unsigned long mfn)
{
    if ( mfn >= PT_SIM_FRAMES )
        abort();
    return memory[mfn];
}

void pt_env_free(unsigned long mfn)
{
    struct page_info *pg = &frames[mfn];

    /* Freed while still typed or linked: a bug in the code under test. */
    if ( pg->type_info != PGT_none || pg->linear_pt != 0 )
        abort();
    memset(memory[mfn], 0, sizeof(memory[mfn]));
    pg->owner = PAGE_OWNER_NONE;
    sim.freed++;
}

void pt_env_mark_dirty(unsigned long mfn)
{
    sim.dirtied++;
    sim.last_dirty = mfn;
}

void pt_env_writable_first(unsigned long mfn)
{
    pt_env_mark_dirty(mfn);
}

/* Domain sim.tracked (if set) gets log-dirty's mark on writable entries. */
pte_t pt_env_track_l1(pt_domid_t owner, pte_t e)
{
    if ( sim.tracked && owner == sim.tracked - 1 && (e & _PAGE_RW) )
        return e | PT_SIM_LD_MARK;
    return e;
}

void pt_env_flush(void)
{
    sim.flushes++;
}

bool pt_env_io_ok(pt_domid_t d)
{
    return d == PT_SIM_PRIV;
}

/* No LDTs in the simulation; count the calls. */
void pt_env_desc_unmapped(pt_domid_t d __attribute__((unused)))
{
    sim.desc_unmapped++;
}

/* The simulated machine has a 40-bit physical address space. */
bool pt_env_mmio_frame(unsigned long mfn)
{
    return mfn < (1UL << 28);
}

int pt_env_validate_desc(unsigned long mfn __attribute__((unused)))
{
    return sim.desc_rc;
}

void pt_env_xen_l4_slots(pte_t *l4)
{
    for ( unsigned int s = HYPERVISOR_SLOT_FIRST; s <= HYPERVISOR_SLOT_LAST;
          s++ )
        l4[s] = pte(PT_SIM_XEN_MFN, P | RW);
}
