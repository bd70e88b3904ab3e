/*
 * Grant tables, version 1: the bookkeeping that needs no page tables.
 *
 * The shared entries belong to the granter, who may rewrite them at any
 * moment, even while we look at them. So an entry's flags and domid are
 * read once as one 32-bit word, checked, and the status bits are set with
 * a compare-and-exchange against exactly what was checked: if the guest
 * changed the word in between, the exchange fails and the checks run
 * again on the new value. A guest that keeps changing it gets
 * GNTST_general_error after five attempts (Xen's bound), not a livelock.
 * The frame number is read once, after the status bits are set.
 *
 * Invariants, for every grant reference r of a table:
 *  - active(r).pin != 0 exactly while some mapping or copy uses r; then
 *    active(r).domid and .mfn say for whom and which frame, and every
 *    pinned use holds one general reference on that frame (taken here,
 *    dropped by whoever unpins);
 *  - while the host-read pin is non-zero, GTF_reading stays set in the
 *    shared entry, and GTF_writing while the host-write pin is non-zero
 *    (a guest may clear them behind our back; we never re-set them, and
 *    the grant stays usable until its last unpin, as in Xen);
 *  - unpinning clears only the bits no remaining use needs.
 * Checks against the shared entry apply when a use starts an access kind
 * (first pin, or first writer); later uses of the same kind only check
 * that the grant is still pinned for the same domain.
 *
 * The maptrack is a growing array of pages of struct gnttab_map with a
 * FIFO free list threaded through the free entries' ref field, so a
 * handle just released is the last to be reused.
 */
#include <mica/grant_table.h>

#define MAPTRACK_END (~0u)
#define CMPXCHG_TRIES 5

union gnttab_combo
{
    uint32_t raw;
    struct
    {
        uint16_t flags;
        domid_t domid;
    };
};

grant_entry_v1_t *gnttab_entry(const struct grant_table *gt, grant_ref_t ref)
{
    return &gt->shared[ref / GNTTAB_ENTRIES_PER_FRAME]
                      [ref % GNTTAB_ENTRIES_PER_FRAME];
}

struct gnttab_active *gnttab_active(const struct grant_table *gt,
                                    grant_ref_t ref)
{
    return &gt->active[ref / GNTTAB_ACTIVE_PER_PAGE]
                      [ref % GNTTAB_ACTIVE_PER_PAGE];
}

static unsigned int active_pages(unsigned int frames)
{
    return frames * GNTTAB_ENTRIES_PER_FRAME / GNTTAB_ACTIVE_PER_PAGE;
}

/* Free frames [from, to) and their active pages: undoes a partial grow. */
static void shrink(struct grant_table *gt, unsigned int from, unsigned int to)
{
    for ( unsigned int i = from; i < to; i++ )
        if ( gt->shared[i] )
        {
            gnttab_env_frame_free(gt->shared[i], gt->shared_mfn[i]);
            gt->shared[i] = NULL;
        }
    for ( unsigned int i = active_pages(from); i < active_pages(to); i++ )
        if ( gt->active[i] )
        {
            gnttab_env_page_free(gt->active[i]);
            gt->active[i] = NULL;
        }
}

int gnttab_grow(struct grant_table *gt, unsigned int nr_frames)
{
    unsigned int old = gt->nr_frames;

    if ( nr_frames > gt->max_frames )
        return -EINVAL;
    if ( nr_frames <= old )
        return 0;
    for ( unsigned int i = active_pages(old); i < active_pages(nr_frames);
          i++ )
        if ( !(gt->active[i] = gnttab_env_page_alloc()) )
            goto fail;
    for ( unsigned int i = old; i < nr_frames; i++ )
        if ( !(gt->shared[i] = gnttab_env_frame_alloc(gt->domid,
                                                      &gt->shared_mfn[i])) )
            goto fail;
    gt->nr_frames = nr_frames;
    return 0;

 fail:
    shrink(gt, old, nr_frames);
    return -ENOMEM;
}

int gnttab_init(struct grant_table *gt, domid_t domid,
                unsigned int max_frames, unsigned int max_maptrack_frames)
{
    if ( max_frames < GNTTAB_INITIAL_FRAMES ||
         max_frames > GNTTAB_MAX_FRAMES ||
         max_maptrack_frames > GNTTAB_MAX_MAPTRACK_FRAMES )
        return -EINVAL;
    gt->domid = domid;
    gt->max_frames = max_frames;
    gt->max_maptrack_frames = max_maptrack_frames;
    gt->free_head = gt->free_tail = MAPTRACK_END;
    return gnttab_grow(gt, GNTTAB_INITIAL_FRAMES);
}

void gnttab_fini(struct grant_table *gt)
{
    shrink(gt, 0, gt->nr_frames);
    gt->nr_frames = 0;
    for ( unsigned int i = 0; i < gt->maptrack_limit / GNTTAB_MAPS_PER_PAGE;
          i++ )
    {
        gnttab_env_page_free(gt->maptrack[i]);
        gt->maptrack[i] = NULL;
    }
    gt->maptrack_limit = 0;
    gt->maps_in_use = 0;
    gt->free_head = gt->free_tail = MAPTRACK_END;
}

bool gnttab_any_pinned(const struct grant_table *gt)
{
    for ( grant_ref_t r = 0; r < gnttab_nr_entries(gt); r++ )
        if ( gnttab_active(gt, r)->pin )
            return true;
    return false;
}

/* ---- Status bits in the shared entry. ---- */

static uint32_t *entry_word(const struct grant_table *gt, grant_ref_t ref)
{
    return (uint32_t *)gnttab_entry(gt, ref);
}

/*
 * Set GTF_reading (and GTF_writing) for a use by ld. Checks the type and
 * domid only if the grant is not pinned yet: a pinned grant stays usable
 * by its user even if the granter revoked it meanwhile.
 */
static int set_status(const struct grant_table *rgt, grant_ref_t ref,
                      const struct gnttab_active *act, domid_t ld,
                      unsigned int how)
{
    bool readonly = how & GNTTAB_PIN_READONLY;
    uint16_t type_mask = GTF_type_mask |
                         ((how & GNTTAB_PIN_MAP) ? GTF_sub_page : 0);
    uint16_t set = GTF_reading | (readonly ? 0 : GTF_writing);
    uint32_t *word = entry_word(rgt, ref);
    union gnttab_combo cur, new;

    cur.raw = __atomic_load_n(word, __ATOMIC_ACQUIRE);
    for ( unsigned int tries = 1; ; tries++ )
    {
        if ( !act->pin && ((cur.flags & type_mask) != GTF_permit_access ||
                           cur.domid != ld) )
            return GNTST_general_error;
        if ( !readonly && (cur.flags & GTF_readonly) )
            return GNTST_general_error;
        new = cur;
        new.flags |= set;
        new.raw = gnttab_env_cmpxchg(word, cur.raw, new.raw);
        if ( new.raw == cur.raw )
            return GNTST_okay;
        if ( tries == CMPXCHG_TRIES )
        {
            printk(LOG_DEBUG "d%u: grant %u unstable\n", rgt->domid, ref);
            return GNTST_general_error;
        }
        cur = new;                  /* what the guest wrote instead */
    }
}

/* Clear the status bits that the remaining pins no longer need. */
static void reduce_status(const struct grant_table *rgt, grant_ref_t ref,
                          const struct gnttab_active *act, bool readonly)
{
    uint16_t clear = act->pin ? 0 : GTF_reading;

    if ( !readonly && !(act->pin & GNTPIN_hstw_mask) )
        clear |= GTF_writing;
    if ( clear )
        __atomic_fetch_and(&gnttab_entry(rgt, ref)->flags,
                           (uint16_t)~clear, __ATOMIC_SEQ_CST);
}

/* ---- Pins. ---- */

/* The first use of a grant: find its frame, with a reference. */
static int first_pin(struct grant_table *rgt, grant_ref_t ref,
                     struct gnttab_active *act, domid_t ld, uint32_t incr)
{
    uint32_t gfn = __atomic_load_n(&gnttab_entry(rgt, ref)->frame,
                                   __ATOMIC_ACQUIRE);
    unsigned long mfn;
    int rc = gnttab_env_get_frame(rgt->domid, gfn, &mfn);

    if ( rc != GNTST_okay )
        return rc;
    act->domid = ld;
    act->mfn = mfn;
    act->pin = incr;
    return GNTST_okay;
}

int gnttab_pin(struct grant_table *rgt, grant_ref_t ref, domid_t ld,
               unsigned int how, unsigned long *mfn)
{
    bool readonly = how & GNTTAB_PIN_READONLY;
    uint32_t incr = readonly ? GNTPIN_hstr_inc : GNTPIN_hstw_inc;
    struct gnttab_active *act;
    int rc;

    if ( ref >= gnttab_nr_entries(rgt) )
        return GNTST_bad_gntref;
    act = gnttab_active(rgt, ref);
    /* In use by someone else, or the counter would overflow (Xen: 128). */
    if ( act->pin && (act->domid != ld || (act->pin & (incr << 7))) )
        return GNTST_general_error;

    if ( !act->pin || (!readonly && !(act->pin & GNTPIN_hstw_mask)) )
    {
        rc = set_status(rgt, ref, act, ld, how);
        if ( rc != GNTST_okay )
            return rc;
        if ( !act->pin )
        {
            rc = first_pin(rgt, ref, act, ld, incr);
            if ( rc != GNTST_okay )
            {
                reduce_status(rgt, ref, act, readonly);
                return rc;
            }
            *mfn = act->mfn;
            return GNTST_okay;
        }
    }
    /* A further use of a pinned grant: its own frame reference. */
    if ( !gnttab_env_get_ref(rgt->domid, act->mfn) )
    {
        reduce_status(rgt, ref, act, readonly);
        return (how & GNTTAB_PIN_MAP) ? GNTST_general_error
                                      : GNTST_bad_domain;
    }
    act->pin += incr;
    *mfn = act->mfn;
    return GNTST_okay;
}

void gnttab_unpin(struct grant_table *rgt, grant_ref_t ref, bool readonly)
{
    struct gnttab_active *act = gnttab_active(rgt, ref);
    uint32_t incr = readonly ? GNTPIN_hstr_inc : GNTPIN_hstw_inc;

    ASSERT(act->pin & (readonly ? GNTPIN_hstr_mask : GNTPIN_hstw_mask));
    act->pin -= incr;
    reduce_status(rgt, ref, act, readonly);
}

/* ---- The maptrack. ---- */

static struct gnttab_map *map_entry(const struct grant_table *gt,
                                    grant_handle_t h)
{
    return &gt->maptrack[h / GNTTAB_MAPS_PER_PAGE][h % GNTTAB_MAPS_PER_PAGE];
}

static void free_list_append(struct grant_table *gt, grant_handle_t h)
{
    map_entry(gt, h)->flags = 0;
    map_entry(gt, h)->ref = MAPTRACK_END;
    if ( gt->free_tail == MAPTRACK_END )
        gt->free_head = h;
    else
        map_entry(gt, gt->free_tail)->ref = h;
    gt->free_tail = h;
}

static bool maptrack_grow(struct grant_table *gt)
{
    unsigned int page = gt->maptrack_limit / GNTTAB_MAPS_PER_PAGE;

    if ( page >= gt->max_maptrack_frames ||
         !(gt->maptrack[page] = gnttab_env_page_alloc()) )
        return false;
    gt->maptrack_limit += GNTTAB_MAPS_PER_PAGE;
    for ( unsigned int i = 0; i < GNTTAB_MAPS_PER_PAGE; i++ )
        free_list_append(gt, page * GNTTAB_MAPS_PER_PAGE + i);
    return true;
}

struct gnttab_map *gnttab_maptrack_get(struct grant_table *lgt,
                                       grant_handle_t *handle)
{
    grant_handle_t h;

    if ( lgt->free_head == MAPTRACK_END && !maptrack_grow(lgt) )
        return NULL;
    h = lgt->free_head;
    lgt->free_head = map_entry(lgt, h)->ref;
    if ( lgt->free_head == MAPTRACK_END )
        lgt->free_tail = MAPTRACK_END;
    lgt->maps_in_use++;
    *handle = h;
    return map_entry(lgt, h);
}

void gnttab_maptrack_put(struct grant_table *lgt, grant_handle_t handle)
{
    ASSERT(handle < lgt->maptrack_limit && lgt->maps_in_use);
    lgt->maps_in_use--;
    free_list_append(lgt, handle);
}

struct gnttab_map *gnttab_maptrack_lookup(const struct grant_table *lgt,
                                          grant_handle_t handle)
{
    struct gnttab_map *m;

    if ( handle >= lgt->maptrack_limit )
        return NULL;
    m = map_entry(lgt, handle);
    return m->flags ? m : NULL;
}

/* ---- Entries as a whole. ---- */

int gnttab_swap(struct grant_table *gt, grant_ref_t a, grant_ref_t b)
{
    grant_entry_v1_t tmp;

    if ( a >= gnttab_nr_entries(gt) || b >= gnttab_nr_entries(gt) )
        return GNTST_bad_gntref;
    if ( a == b )
        return GNTST_okay;
    if ( gnttab_active(gt, a)->pin || gnttab_active(gt, b)->pin )
        return GNTST_eagain;
    tmp = *gnttab_entry(gt, a);
    *gnttab_entry(gt, a) = *gnttab_entry(gt, b);
    *gnttab_entry(gt, b) = tmp;
    return GNTST_okay;
}

/* ---- Copy arguments. ---- */

int gnttab_copy_check(const struct gnttab_copy *op)
{
    if ( op->source.offset + op->len > GNTTAB_PAGE_SIZE ||
         op->dest.offset + op->len > GNTTAB_PAGE_SIZE )
        return GNTST_bad_copy_arg;
    return GNTST_okay;
}
