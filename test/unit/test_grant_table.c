/*
 * Grant-table bookkeeping: table growth, shared-entry validation and
 * status bits, pin counts, the frame references pins hand out, and the
 * maptrack, driven through the entry points the hypercall glue uses.
 *
 * The environment is a toy machine: FRAMES frames with an owner and a
 * general reference count each, pages from calloc. The compare-and-
 * exchange hook can run a "guest" callback just before it exchanges, which
 * is how the races between a granter rewriting its entry and a map in
 * progress are simulated.
 */
#include <stdlib.h>
#include <string.h>

#include <mica/grant_table.h>

#include "unit.h"

#define FRAMES 16
#define GRANTER 1
#define MAPPER 2
#define OTHER 3

static struct { domid_t owner; unsigned int refs; } frame[FRAMES];
static unsigned int pages_live, frames_live;
static unsigned int alloc_fail_after = ~0u;
static struct grant_table *gt;

/* The racing guest: called before the n-th cmpxchg (1-based). */
static void (*race)(uint32_t *word, unsigned int n);
static unsigned int cmpxchgs;

void *gnttab_env_page_alloc(void)
{
    if ( !alloc_fail_after )
        return NULL;
    alloc_fail_after--;
    pages_live++;
    return calloc(1, GNTTAB_PAGE_SIZE);
}

void gnttab_env_page_free(void *page)
{
    pages_live--;
    free(page);
}

void *gnttab_env_frame_alloc(domid_t domid, unsigned long *mfn)
{
    void *p = gnttab_env_page_alloc();

    if ( p )
    {
        frames_live++;
        *mfn = 0x1000 + frames_live;
    }
    return p;
}

void gnttab_env_frame_free(void *page, unsigned long mfn)
{
    frames_live--;
    gnttab_env_page_free(page);
}

int gnttab_env_get_frame(domid_t domid, unsigned long gfn,
                         unsigned long *mfn)
{
    if ( gfn >= FRAMES || frame[gfn].owner != domid )
        return GNTST_bad_page;
    frame[gfn].refs++;
    *mfn = gfn;
    return GNTST_okay;
}

bool gnttab_env_get_ref(domid_t domid, unsigned long mfn)
{
    if ( mfn >= FRAMES || frame[mfn].owner != domid )
        return false;
    frame[mfn].refs++;
    return true;
}

uint32_t gnttab_env_cmpxchg(uint32_t *word, uint32_t old, uint32_t new)
{
    cmpxchgs++;
    if ( race )
        race(word, cmpxchgs);
    __atomic_compare_exchange_n(word, &old, new, false, __ATOMIC_SEQ_CST,
                                __ATOMIC_SEQ_CST);
    return old;
}

static void setup(void)
{
    memset(frame, 0, sizeof(frame));
    for ( unsigned int i = 0; i < FRAMES; i++ )
        frame[i].owner = i < 8 ? GRANTER : MAPPER;
    race = NULL;
    cmpxchgs = 0;
    alloc_fail_after = ~0u;
    gt = calloc(1, sizeof(*gt));
    ck_assert_int_eq(gnttab_init(gt, GRANTER, 4, 2), 0);
}

static void teardown(void)
{
    gnttab_fini(gt);
    free(gt);
    ck_assert_uint_eq(pages_live, 0);
    ck_assert_uint_eq(frames_live, 0);
}

static void grant(grant_ref_t ref, domid_t to, uint32_t gfn, uint16_t flags)
{
    grant_entry_v1_t *e = gnttab_entry(gt, ref);

    e->domid = to;
    e->frame = gfn;
    e->flags = flags;
}

static uint16_t flags_of(grant_ref_t ref)
{
    return gnttab_entry(gt, ref)->flags;
}

static int pin(grant_ref_t ref, domid_t who, unsigned int how)
{
    unsigned long mfn = ~0ul;

    return gnttab_pin(gt, ref, who, how, &mfn);
}

START_TEST(test_init_and_grow)
{
    struct grant_table *bad = calloc(1, sizeof(*bad));

    ck_assert_uint_eq(gt->nr_frames, 1);
    ck_assert_uint_eq(gnttab_nr_entries(gt), 512);
    ck_assert_uint_eq(frames_live, 1);
    ck_assert_int_eq(gnttab_grow(gt, 3), 0);
    ck_assert_uint_eq(gnttab_nr_entries(gt), 3 * 512);
    ck_assert_int_eq(gnttab_grow(gt, 2), 0);        /* never shrinks */
    ck_assert_uint_eq(gt->nr_frames, 3);
    ck_assert_int_eq(gnttab_grow(gt, 5), -EINVAL);  /* max is 4 */
    ck_assert_uint_eq(gt->nr_frames, 3);
    /* Out of memory halfway: nothing of the attempt stays. */
    alloc_fail_after = 1;
    ck_assert_int_eq(gnttab_grow(gt, 4), -ENOMEM);
    ck_assert_uint_eq(gt->nr_frames, 3);
    ck_assert_uint_eq(frames_live, 3);
    ck_assert_ptr_null(gt->shared[3]);
    alloc_fail_after = ~0u;
    ck_assert_int_eq(gnttab_init(bad, 5, 0, 1), -EINVAL);
    ck_assert_int_eq(gnttab_init(bad, 5, GNTTAB_MAX_FRAMES + 1, 1),
                     -EINVAL);
    ck_assert_int_eq(gnttab_init(bad, 5, 1, GNTTAB_MAX_MAPTRACK_FRAMES + 1),
                     -EINVAL);
    free(bad);
}
END_TEST

START_TEST(test_pin_read_then_write)
{
    unsigned long mfn = 0;

    grant(10, MAPPER, 3, GTF_permit_access);
    ck_assert_int_eq(gnttab_pin(gt, 10, MAPPER, GNTTAB_PIN_MAP |
                                GNTTAB_PIN_READONLY, &mfn), GNTST_okay);
    ck_assert_uint_eq(mfn, 3);
    ck_assert_uint_eq(frame[3].refs, 1);
    ck_assert_uint_eq(flags_of(10), GTF_permit_access | GTF_reading);
    ck_assert_uint_eq(gnttab_active(gt, 10)->pin, GNTPIN_hstr_inc);
    /* A writer joins: GTF_writing too, and its own reference. */
    ck_assert_int_eq(pin(10, MAPPER, GNTTAB_PIN_MAP), GNTST_okay);
    ck_assert_uint_eq(frame[3].refs, 2);
    ck_assert_uint_eq(flags_of(10),
                      GTF_permit_access | GTF_reading | GTF_writing);
    ck_assert(gnttab_any_pinned(gt));
    /* The writer leaves: writing goes, reading stays. */
    gnttab_unpin(gt, 10, false);
    ck_assert_uint_eq(flags_of(10), GTF_permit_access | GTF_reading);
    gnttab_unpin(gt, 10, true);
    ck_assert_uint_eq(flags_of(10), GTF_permit_access);
    ck_assert_uint_eq(gnttab_active(gt, 10)->pin, 0);
    ck_assert(!gnttab_any_pinned(gt));
}
END_TEST

START_TEST(test_pin_refusals)
{
    grant(1, MAPPER, 3, GTF_permit_access | GTF_readonly);
    grant(2, OTHER, 3, GTF_permit_access);
    grant(3, MAPPER, 3, GTF_accept_transfer);
    grant(4, MAPPER, 3, GTF_permit_access | GTF_sub_page);
    grant(5, MAPPER, 12, GTF_permit_access);        /* not the granter's */
    grant(6, MAPPER, FRAMES + 1, GTF_permit_access);
    grant(7, MAPPER, 3, GTF_invalid);

    ck_assert_int_eq(pin(512, MAPPER, GNTTAB_PIN_MAP), GNTST_bad_gntref);
    ck_assert_int_eq(pin(~0u, MAPPER, GNTTAB_PIN_MAP), GNTST_bad_gntref);
    ck_assert_int_eq(pin(1, MAPPER, GNTTAB_PIN_MAP), GNTST_general_error);
    ck_assert_uint_eq(flags_of(1), GTF_permit_access | GTF_readonly);
    ck_assert_int_eq(pin(2, MAPPER, GNTTAB_PIN_MAP | GNTTAB_PIN_READONLY),
                     GNTST_general_error);
    ck_assert_int_eq(pin(3, MAPPER, GNTTAB_PIN_MAP), GNTST_general_error);
    ck_assert_int_eq(pin(7, MAPPER, GNTTAB_PIN_MAP), GNTST_general_error);
    /* Sub-page entries: never mapped, but a copy may use them. */
    ck_assert_int_eq(pin(4, MAPPER, GNTTAB_PIN_MAP), GNTST_general_error);
    ck_assert_int_eq(pin(4, MAPPER, 0), GNTST_okay);
    gnttab_unpin(gt, 4, false);
    ck_assert_uint_eq(frame[3].refs, 1);
    frame[3].refs--;                    /* the caller's to drop */
    /* A frame the granter does not own: bad page, and no bits left set. */
    ck_assert_int_eq(pin(5, MAPPER, GNTTAB_PIN_MAP), GNTST_bad_page);
    ck_assert_uint_eq(flags_of(5), GTF_permit_access);
    ck_assert_int_eq(pin(6, MAPPER, GNTTAB_PIN_READONLY), GNTST_bad_page);
    ck_assert_uint_eq(flags_of(6), GTF_permit_access);
    ck_assert(!gnttab_any_pinned(gt));
    for ( unsigned int i = 0; i < FRAMES; i++ )
        ck_assert_uint_eq(frame[i].refs, 0);
}
END_TEST

START_TEST(test_pinned_for_one_domain)
{
    grant(9, MAPPER, 3, GTF_permit_access);
    ck_assert_int_eq(pin(9, MAPPER, GNTTAB_PIN_MAP), GNTST_okay);
    /* The granter re-targets the entry: the pin belongs to MAPPER. */
    grant(9, OTHER, 3, GTF_permit_access | GTF_reading | GTF_writing);
    ck_assert_int_eq(pin(9, OTHER, GNTTAB_PIN_MAP), GNTST_general_error);
    ck_assert_int_eq(pin(9, MAPPER, GNTTAB_PIN_MAP), GNTST_okay);
    ck_assert_uint_eq(gnttab_active(gt, 9)->pin, 2 * GNTPIN_hstw_inc);
    gnttab_unpin(gt, 9, false);
    gnttab_unpin(gt, 9, false);
    ck_assert_uint_eq(frame[3].refs, 2);    /* the caller drops these */
}
END_TEST

START_TEST(test_pin_overflow)
{
    unsigned int i;

    grant(20, MAPPER, 4, GTF_permit_access);
    for ( i = 0; i < 128; i++ )
        FAST_ASSERT(pin(20, MAPPER, GNTTAB_PIN_READONLY) == GNTST_okay);
    ck_assert_int_eq(pin(20, MAPPER, GNTTAB_PIN_READONLY),
                     GNTST_general_error);
    /* The write counter is separate. */
    ck_assert_int_eq(pin(20, MAPPER, 0), GNTST_okay);
    ck_assert_uint_eq(frame[4].refs, 129);
    gnttab_unpin(gt, 20, false);
    for ( i = 0; i < 128; i++ )
        gnttab_unpin(gt, 20, true);
    ck_assert_uint_eq(flags_of(20), GTF_permit_access);
}
END_TEST

/* The frame left the granter between two pins. */
START_TEST(test_pin_frame_gone)
{
    grant(21, MAPPER, 5, GTF_permit_access);
    ck_assert_int_eq(pin(21, MAPPER, GNTTAB_PIN_READONLY), GNTST_okay);
    frame[5].owner = OTHER;
    ck_assert_int_eq(pin(21, MAPPER, GNTTAB_PIN_MAP), GNTST_general_error);
    ck_assert_int_eq(pin(21, MAPPER, 0), GNTST_bad_domain);
    /* The failed writers left GTF_writing clear. */
    ck_assert_uint_eq(flags_of(21), GTF_permit_access | GTF_reading);
    gnttab_unpin(gt, 21, true);
}
END_TEST

/* ---- Races: the granter rewrites its entry during a pin. ---- */

static void revoke(uint32_t *word, unsigned int n)
{
    if ( n == 1 )
        __atomic_store_n(word, 0, __ATOMIC_SEQ_CST);
}

static void make_readonly(uint32_t *word, unsigned int n)
{
    if ( n == 1 )
        __atomic_fetch_or(word, GTF_readonly, __ATOMIC_SEQ_CST);
}

static void set_accessed_bit(uint32_t *word, unsigned int n)
{
    /* An unrelated flag (PWT) flips once: the retry must succeed. */
    if ( n == 1 )
        __atomic_fetch_xor(word, GTF_PWT, __ATOMIC_SEQ_CST);
}

static void flap(uint32_t *word, unsigned int n)
{
    __atomic_fetch_xor(word, GTF_PWT, __ATOMIC_SEQ_CST);
}

static void flap_four(uint32_t *word, unsigned int n)
{
    if ( n <= 4 )
        flap(word, n);
}

START_TEST(test_race_revoke)
{
    grant(30, MAPPER, 3, GTF_permit_access);
    race = revoke;
    ck_assert_int_eq(pin(30, MAPPER, GNTTAB_PIN_MAP), GNTST_general_error);
    ck_assert_uint_eq(cmpxchgs, 1);                 /* re-checked, gave up */
    ck_assert_uint_eq(flags_of(30), 0);             /* revocation stands */
    ck_assert_uint_eq(gnttab_active(gt, 30)->pin, 0);
    ck_assert_uint_eq(frame[3].refs, 0);
}
END_TEST

START_TEST(test_race_readonly)
{
    grant(31, MAPPER, 3, GTF_permit_access);
    race = make_readonly;
    ck_assert_int_eq(pin(31, MAPPER, GNTTAB_PIN_MAP), GNTST_general_error);
    ck_assert_uint_eq(flags_of(31), GTF_permit_access | GTF_readonly);
    /* Read-only is still fine. */
    race = NULL;
    ck_assert_int_eq(pin(31, MAPPER, GNTTAB_PIN_MAP | GNTTAB_PIN_READONLY),
                     GNTST_okay);
    gnttab_unpin(gt, 31, true);
}
END_TEST

START_TEST(test_race_retry_and_bound)
{
    grant(32, MAPPER, 3, GTF_permit_access);
    race = set_accessed_bit;
    ck_assert_int_eq(pin(32, MAPPER, 0), GNTST_okay);
    ck_assert_uint_eq(cmpxchgs, 2);
    ck_assert_uint_eq(flags_of(32), GTF_permit_access | GTF_PWT |
                                    GTF_reading | GTF_writing);
    gnttab_unpin(gt, 32, false);
    /* Four changes: the fifth attempt wins. */
    cmpxchgs = 0;
    race = flap_four;
    ck_assert_int_eq(pin(32, MAPPER, 0), GNTST_okay);
    ck_assert_uint_eq(cmpxchgs, 5);
    gnttab_unpin(gt, 32, false);
    /* A guest that never stops: refused after five, not a livelock. */
    cmpxchgs = 0;
    race = flap;
    ck_assert_int_eq(pin(32, MAPPER, 0), GNTST_general_error);
    ck_assert_uint_eq(cmpxchgs, 5);
    ck_assert_uint_eq(gnttab_active(gt, 32)->pin, 0);
    ck_assert(!(flags_of(32) & (GTF_reading | GTF_writing)));
}
END_TEST

/* Revoked while mapped: the pin holds, more readers still work. */
START_TEST(test_revoke_while_pinned)
{
    unsigned long mfn = 0;

    grant(33, MAPPER, 6, GTF_permit_access);
    ck_assert_int_eq(pin(33, MAPPER, GNTTAB_PIN_MAP), GNTST_okay);
    grant(33, 0, 0, GTF_invalid);       /* a hostile granter zeroes it */
    ck_assert_int_eq(gnttab_pin(gt, 33, MAPPER, GNTTAB_PIN_MAP |
                                GNTTAB_PIN_READONLY, &mfn), GNTST_okay);
    ck_assert_uint_eq(mfn, 6);          /* the frame of the first pin */
    gnttab_unpin(gt, 33, true);
    gnttab_unpin(gt, 33, false);
    ck_assert_uint_eq(flags_of(33), 0);
    ck_assert_uint_eq(gnttab_active(gt, 33)->pin, 0);
    /* Not pinned any more: the revocation now counts. */
    ck_assert_int_eq(pin(33, MAPPER, GNTTAB_PIN_MAP), GNTST_general_error);
}
END_TEST

/* ---- The maptrack. ---- */

static long get_handle(void)
{
    grant_handle_t h;
    struct gnttab_map *m = gnttab_maptrack_get(gt, &h);

    if ( !m )
        return -1;
    m->ref = h;
    m->domid = GRANTER;
    m->flags = GNTMAP_host_map;
    return h;
}

START_TEST(test_maptrack)
{
    unsigned int n = 2 * GNTTAB_MAPS_PER_PAGE;
    struct gnttab_map *m;

    ck_assert_ptr_null(gnttab_maptrack_lookup(gt, 0));
    for ( unsigned int i = 0; i < n; i++ )
        FAST_ASSERT(get_handle() == (long)i);
    /* Two maptrack pages is this table's limit. */
    ck_assert_int_eq(get_handle(), -1);
    ck_assert_uint_eq(gt->maps_in_use, n);
    m = gnttab_maptrack_lookup(gt, 300);
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(m->ref, 300);
    ck_assert_ptr_null(gnttab_maptrack_lookup(gt, n));
    ck_assert_ptr_null(gnttab_maptrack_lookup(gt, ~0u));
    /* Freed handles come back oldest first; a freed one is not live. */
    gnttab_maptrack_put(gt, 7);
    gnttab_maptrack_put(gt, 3);
    ck_assert_ptr_null(gnttab_maptrack_lookup(gt, 7));
    ck_assert_uint_eq(gt->maps_in_use, n - 2);
    ck_assert_int_eq(get_handle(), 7);
    ck_assert_int_eq(get_handle(), 3);
    ck_assert_int_eq(get_handle(), -1);
}
END_TEST

START_TEST(test_maptrack_no_memory)
{
    alloc_fail_after = 0;
    ck_assert_int_eq(get_handle(), -1);
    ck_assert_uint_eq(gt->maptrack_limit, 0);
}
END_TEST

START_TEST(test_swap)
{
    grant(40, MAPPER, 3, GTF_permit_access);
    grant(41, OTHER, 4, GTF_permit_access | GTF_readonly);
    ck_assert_int_eq(gnttab_swap(gt, 40, 512), GNTST_bad_gntref);
    ck_assert_int_eq(gnttab_swap(gt, 512, 40), GNTST_bad_gntref);
    ck_assert_int_eq(gnttab_swap(gt, 40, 40), GNTST_okay);
    ck_assert_int_eq(gnttab_swap(gt, 40, 41), GNTST_okay);
    ck_assert_uint_eq(gnttab_entry(gt, 40)->domid, OTHER);
    ck_assert_uint_eq(gnttab_entry(gt, 40)->frame, 4);
    ck_assert_uint_eq(flags_of(41), GTF_permit_access);
    /* In use: not to be moved. */
    ck_assert_int_eq(pin(41, MAPPER, 0), GNTST_okay);
    ck_assert_int_eq(gnttab_swap(gt, 40, 41), GNTST_eagain);
    ck_assert_int_eq(gnttab_swap(gt, 41, 40), GNTST_eagain);
    gnttab_unpin(gt, 41, false);
}
END_TEST

START_TEST(test_copy_check)
{
    struct gnttab_copy op = { .len = 4096 };

    ck_assert_int_eq(gnttab_copy_check(&op), GNTST_okay);
    op.source.offset = 1;
    ck_assert_int_eq(gnttab_copy_check(&op), GNTST_bad_copy_arg);
    op.source.offset = 0;
    op.dest.offset = 4095;
    op.len = 1;
    ck_assert_int_eq(gnttab_copy_check(&op), GNTST_okay);
    op.len = 2;
    ck_assert_int_eq(gnttab_copy_check(&op), GNTST_bad_copy_arg);
    op.dest.offset = 0xffff;            /* no 16-bit wrap-around */
    op.len = 0xffff;
    ck_assert_int_eq(gnttab_copy_check(&op), GNTST_bad_copy_arg);
}
END_TEST

Suite *grant_table_suite(void)
{
    Suite *s = suite_create("grant_table");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_init_and_grow);
    tcase_add_test(tc, test_pin_read_then_write);
    tcase_add_test(tc, test_pin_refusals);
    tcase_add_test(tc, test_pinned_for_one_domain);
    tcase_add_test(tc, test_pin_overflow);
    tcase_add_test(tc, test_pin_frame_gone);
    tcase_add_test(tc, test_race_revoke);
    tcase_add_test(tc, test_race_readonly);
    tcase_add_test(tc, test_race_retry_and_bound);
    tcase_add_test(tc, test_revoke_while_pinned);
    tcase_add_test(tc, test_maptrack);
    tcase_add_test(tc, test_maptrack_no_memory);
    tcase_add_test(tc, test_swap);
    tcase_add_test(tc, test_copy_check);
    suite_add_tcase(s, tc);
    return s;
}
