/*
 * A simulated machine for the page-type suites: a small frame table with
 * real 4 KiB frame contents, a few domains (PT_SIM_PRIV may do I/O), and
 * the pt_env_* hooks that page_type.c and pt_entry.c call.
 */
#ifndef MICA_TEST_PT_SIM_H
#define MICA_TEST_PT_SIM_H

#include <asm/page_type.h>

#define PT_SIM_FRAMES   96
#define PT_SIM_PRIV     0       /* the privileged domain */
#define PT_SIM_XEN_MFN  1       /* a hypervisor frame */
#define PT_SIM_IO_MFN   2       /* a frame owned by DOMID_IO */
#define PT_SIM_LD_MARK  (1UL << 59) /* pt_env_track_l1's mark */

struct pt_sim
{
    unsigned long freed;        /* frames handed back by pt_env_free */
    unsigned long flushes;      /* pt_env_flush calls */
    int desc_rc;                /* what pt_env_validate_desc answers */
    unsigned long dirtied;      /* pt_env_mark_dirty calls */
    unsigned long last_dirty;   /* the frame of the last one */
    unsigned int desc_unmapped; /* pt_env_desc_unmapped calls */
    unsigned int tracked;       /* 1 + the domain whose writable L1
                                   entries get PT_SIM_LD_MARK; 0: none */
};

extern struct pt_sim sim;

/* Fresh machine: frames 0-2 special, the rest free. */
void pt_sim_reset(void);

/* Give a free frame to domain d (one allocation reference); 0 if none. */
unsigned long pt_sim_alloc(pt_domid_t d);

/* Drop the allocation reference the way a decrease_reservation would. */
void pt_sim_release(unsigned long mfn);

pte_t *pt_sim_frame(unsigned long mfn);

/* An entry mapping mfn with the given flags. */
static inline pte_t pte(unsigned long mfn, pte_t flags)
{
    return mfn_pte(mfn, flags);
}

#define P   _PAGE_PRESENT
#define RW  _PAGE_RW

static inline uint64_t type_of(unsigned long mfn)
{
    return mfn_to_page(mfn)->type_info & PGT_type_mask;
}

static inline uint64_t tcount(unsigned long mfn)
{
    return mfn_to_page(mfn)->type_info & PGT_count_mask;
}

static inline uint32_t gcount(unsigned long mfn)
{
    return mfn_to_page(mfn)->count;
}

#endif /* MICA_TEST_PT_SIM_H */
