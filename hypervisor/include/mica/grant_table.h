/*
 * Grant tables, version 1 (see docs/grant-tables.md).
 *
 * Each domain has a struct grant_table with three parts:
 *
 *  - shared frames: the guest-visible array of grant_entry_v1, which the
 *    granter writes at any time; the hypervisor only reads an entry once
 *    per decision and changes its status bits with cmpxchg;
 *  - active entries, one per grant reference, private: how many host
 *    mappings (and copies in flight) use the grant, read-only and
 *    writable (the pin), for whom, and which machine frame;
 *  - the maptrack: this domain's mappings of grants (its own or other
 *    domains'), indexed by the handle map_grant_ref returns.
 *
 * The first half of this header is pure bookkeeping (common/grant_table.c)
 * that builds on the host for the unit tests; it reaches the hypervisor
 * only through the gnttab_env_* hooks. The second half is the hypervisor
 * glue: the hypercall and the domain life-cycle hooks.
 *
 * One CPU, no preemption inside a call: nothing here takes locks. SMP
 * needs the grant table lock of Xen's design (docs/grant-tables.md).
 */
#ifndef MICA_GRANT_TABLE_H
#define MICA_GRANT_TABLE_H

#include <mica/env.h>
#include <public/grant_table.h>

#define GNTTAB_PAGE_SIZE            4096
/* Xen 4.17's defaults (gnttab_max_frames, gnttab_max_maptrack_frames). */
#define GNTTAB_MAX_FRAMES           64
#define GNTTAB_MAX_MAPTRACK_FRAMES  1024
#define GNTTAB_INITIAL_FRAMES       1   /* Xen's INITIAL_NR_GRANT_FRAMES */

#define GNTTAB_ENTRIES_PER_FRAME \
    (GNTTAB_PAGE_SIZE / sizeof(grant_entry_v1_t))

/*
 * Pin counts, Xen's layout: one byte per kind of use. Only host mappings
 * (and copies, which count as host uses while they run) exist here; the
 * device-mapping bytes stay zero.
 */
#define GNTPIN_hstw_inc     (1u << 0)
#define GNTPIN_hstw_mask    (0xffu << 0)
#define GNTPIN_hstr_inc     (1u << 8)
#define GNTPIN_hstr_mask    (0xffu << 8)

struct gnttab_active
{
    uint32_t pin;                   /* GNTPIN_*; 0: not in use */
    domid_t domid;                  /* the user while pinned */
    uint16_t pad;
    unsigned long mfn;              /* the granted frame while pinned */
};
#define GNTTAB_ACTIVE_PER_PAGE \
    (GNTTAB_PAGE_SIZE / sizeof(struct gnttab_active))
#define GNTTAB_MAX_ACTIVE_PAGES \
    (GNTTAB_MAX_FRAMES * GNTTAB_ENTRIES_PER_FRAME / GNTTAB_ACTIVE_PER_PAGE)

/* A maptrack entry: one mapping this domain holds. */
struct gnttab_map
{
    uint16_t flags;                 /* GNTMAP_* of the mapping; 0: free */
    domid_t domid;                  /* the granter */
    grant_ref_t ref;                /* the grant; while free, next free */
    uint64_t pte_maddr;             /* the L1 entry the map wrote */
};
#define GNTTAB_MAPS_PER_PAGE (GNTTAB_PAGE_SIZE / sizeof(struct gnttab_map))

struct grant_table
{
    domid_t domid;
    unsigned int nr_frames, max_frames;
    unsigned int maptrack_limit;    /* handles below this exist */
    unsigned int max_maptrack_frames;
    unsigned int maps_in_use;
    grant_handle_t free_head, free_tail;    /* FIFO of free handles */
    grant_entry_v1_t *shared[GNTTAB_MAX_FRAMES];
    unsigned long shared_mfn[GNTTAB_MAX_FRAMES];
    struct gnttab_active *active[GNTTAB_MAX_ACTIVE_PAGES];
    struct gnttab_map *maptrack[GNTTAB_MAX_MAPTRACK_FRAMES];
};

/* ---- Pure bookkeeping (common/grant_table.c). ---- */

/*
 * Set up a zeroed `gt` for domain `domid`, with GNTTAB_INITIAL_FRAMES
 * shared frames. 0, -EINVAL (limits), or -ENOMEM (nothing left held).
 */
int gnttab_init(struct grant_table *gt, domid_t domid,
                unsigned int max_frames, unsigned int max_maptrack_frames);
/* Free every page `gt` holds. The caller checked nothing uses them. */
void gnttab_fini(struct grant_table *gt);
/* Grow to nr_frames (no-op if already there): 0, -EINVAL, -ENOMEM. */
int gnttab_grow(struct grant_table *gt, unsigned int nr_frames);

static inline unsigned int gnttab_nr_entries(const struct grant_table *gt)
{
    return gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME;
}

/* Entry and active entry of a reference below gnttab_nr_entries(). */
grant_entry_v1_t *gnttab_entry(const struct grant_table *gt,
                               grant_ref_t ref);
struct gnttab_active *gnttab_active(const struct grant_table *gt,
                                    grant_ref_t ref);
/* Is any grant of gt pinned (mapped or being copied by anyone)? */
bool gnttab_any_pinned(const struct grant_table *gt);

/*
 * Pin grant `ref` of `rgt` for domain `ld`: check the shared entry
 * (permit_access for ld, not read-only if writing; with GNTTAB_PIN_MAP
 * also no sub-page flag), set GTF_reading (and GTF_writing) in it, and
 * count the use. On GNTST_okay *mfn is the frame and one general
 * reference on it is held for the caller; otherwise nothing changed.
 */
#define GNTTAB_PIN_READONLY 1u
#define GNTTAB_PIN_MAP      2u
int gnttab_pin(struct grant_table *rgt, grant_ref_t ref, domid_t ld,
               unsigned int how, unsigned long *mfn);
/* Undo one pin (not the frame reference), clearing unused status bits. */
void gnttab_unpin(struct grant_table *rgt, grant_ref_t ref, bool readonly);

/*
 * The maptrack. gnttab_maptrack_get takes a free handle (growing the
 * maptrack by a page if needed) and returns its entry, or NULL when none
 * is left; the caller fills the entry, flags last, or puts the handle
 * back. gnttab_maptrack_lookup returns a live entry or NULL for a handle
 * that is out of range or free.
 */
struct gnttab_map *gnttab_maptrack_get(struct grant_table *lgt,
                                       grant_handle_t *handle);
void gnttab_maptrack_put(struct grant_table *lgt, grant_handle_t handle);
struct gnttab_map *gnttab_maptrack_lookup(const struct grant_table *lgt,
                                          grant_handle_t handle);

/* swap_grant_ref: exchange two entries that nobody uses. */
int gnttab_swap(struct grant_table *gt, grant_ref_t a, grant_ref_t b);

/* GNTST_bad_copy_arg if either range of a copy crosses its frame's end. */
int gnttab_copy_check(const struct gnttab_copy *op);

/* ---- Provided by the environment. ---- */

/* A zeroed page for private bookkeeping, or NULL. */
void *gnttab_env_page_alloc(void);
void gnttab_env_page_free(void *page);
/* A zeroed page domain `domid` may map writable (a table frame). */
void *gnttab_env_frame_alloc(domid_t domid, unsigned long *mfn);
void gnttab_env_frame_free(void *page, unsigned long mfn);
/*
 * The frame `domid` names as gfn (for PV, a machine frame it owns), with
 * a general reference taken: GNTST_okay or GNTST_bad_page.
 */
int gnttab_env_get_frame(domid_t domid, unsigned long gfn,
                         unsigned long *mfn);
/* One more general reference on mfn, if domid still owns it. */
bool gnttab_env_get_ref(domid_t domid, unsigned long mfn);
/* Compare-and-exchange on a shared entry's flags and domid; the old. */
uint32_t gnttab_env_cmpxchg(uint32_t *word, uint32_t old, uint32_t new);

/* ---- The hypervisor glue. ---- */

struct domain;

long do_grant_table_op(unsigned long cmd, unsigned long uop,
                       unsigned long count, unsigned long a4,
                       unsigned long a5);

/* Called by domain_create: the domain's table with one frame. */
int gnttab_domain_create(struct domain *d);

/*
 * Teardown for a dying domain: undo every mapping d holds (clearing the
 * L1 entry if its page tables still have it, and dropping the frame
 * references and the granter's pin), then free d's table. Returns 0 once
 * the table is gone, or -EBUSY while other domains still have d's grants
 * mapped, or something still maps d's table frames: call it again later
 * (d's frames stay allocated until then anyway, as under Xen, whose
 * dying domain lingers as a zombie). Call it after d's vCPUs have
 * stopped; best after its page tables are released.
 */
int gnttab_domain_destroy(struct domain *d);

/*
 * d is being released: nothing maps its frames any more, so a map of
 * one of its grants that another domain still tracks was implicitly
 * unmapped (its PTE overwritten). Forget those handles, then free d's
 * table whatever its pins say. Only a foreign mapping of the table
 * frames themselves keeps it (then it is leaked, and said so).
 */
void gnttab_domain_release(struct domain *d);

/*
 * The machine frame of d's table frame idx, growing the table up to idx
 * if allowed (Xen's gnttab_map_frame, for XENMAPSPACE_grant_table and
 * XENMEM_resource_grant_table). The mfn, or -EINVAL.
 */
long gnttab_frame_mfn(struct domain *d, unsigned long idx);

/* The domain a grant op names: DOMID_SELF is the caller. NULL: none. */
struct domain *gnttab_domain_any(domid_t id);

/*
 * One item of a batched sub-op (in their own files): reads its input from
 * *op, fills in its outputs there and returns its GNTST_* status.
 */
int16_t gnttab_map_one(void *op);       /* struct gnttab_map_grant_ref */
int16_t gnttab_unmap_one(void *op);     /* struct gnttab_unmap_grant_ref */
int16_t gnttab_copy_one(void *op);      /* struct gnttab_copy */
/* arch: undo a mapping at teardown if its L1 entry is still there. */
void gnttab_arch_release_map(struct domain *ld, const struct gnttab_map *m,
                             unsigned long mfn);

#endif /* MICA_GRANT_TABLE_H */
