/*
 * Unit tests for hypervisor/common/page_alloc.c.
 *
 * Most tests use a machine of BIG_FRAMES frames, just over 2 GiB, so that
 * one block of every order up to MAX_ORDER exists; the randomized test
 * uses a smaller one with holes, like a PC's memory map.
 */
#include <stdlib.h>
#include <string.h>

#include <mica/env.h>
#include <mica/page_alloc.h>

#include "unit.h"

#define BIG_FRAMES      ((1UL << (MAX_ORDER + 1)) + 4096 + 5)
#define OWNER           7

static struct page_info *table;

static void init(unsigned long nr)
{
    free(table);
    table = calloc(nr, sizeof(*table));
    ck_assert_ptr_nonnull(table);
    page_alloc_init(table, nr);
}

static void setup(void)
{
    test_log_reset();
    init(BIG_FRAMES);
    ck_assert_int_eq(page_alloc_add_free_range(0, BIG_FRAMES), 0);
}

static void teardown(void)
{
    free(table);
    table = NULL;
}

/* The free blocks, found by walking the frame table in address order. */
struct layout
{
    unsigned long nr;
    unsigned long mfn[64];
    unsigned int order[64];
};

static void get_layout(struct layout *l)
{
    unsigned long mfn = 0;

    l->nr = 0;
    while ( mfn < max_frame )
    {
        if ( !(frame_table[mfn].flags & PGF_free) )
        {
            mfn++;
            continue;
        }
        ck_assert(frame_table[mfn].flags & PGF_head);
        ck_assert_uint_lt(l->nr, ARRAY_SIZE(l->mfn));
        l->mfn[l->nr] = mfn;
        l->order[l->nr++] = frame_table[mfn].order;
        mfn += 1UL << frame_table[mfn].order;
    }
}

static void assert_same_layout(const struct layout *a, const struct layout *b)
{
    unsigned long i;

    ck_assert_uint_eq(a->nr, b->nr);
    for ( i = 0; i < a->nr; i++ )
    {
        ck_assert_uint_eq(a->mfn[i], b->mfn[i]);
        ck_assert_uint_eq(a->order[i], b->order[i]);
    }
}

START_TEST(test_init_state)
{
    init(64);
    ck_assert_uint_eq(page_alloc_free_count(), 0);
    ck_assert_uint_eq(page_alloc_total_count(), 0);
    ck_assert(page_alloc_check());
    ck_assert_int_eq(page_alloc(0, OWNER), -ENOMEM);
    ck_assert_uint_eq(mfn_to_page(5)->owner, PAGE_OWNER_XEN);
    ck_assert_uint_eq(mfn_to_page(5)->flags, PGF_reserved);
    ck_assert_uint_eq(page_to_mfn(mfn_to_page(63)), 63);
    ck_assert(mfn_valid(63) && !mfn_valid(64));
}
END_TEST

START_TEST(test_initial_blocks)
{
    struct layout l;
    unsigned int o;

    /*
     * Frame 0 is kept back, so [1, 2^19) splits into one block of each
     * order 0..18, then come blocks of 4096, 4 and 1 frames.
     */
    ck_assert_uint_eq(page_alloc_total_count(), BIG_FRAMES - 1);
    ck_assert_uint_eq(page_alloc_free_count(), BIG_FRAMES - 1);
    ck_assert(page_alloc_check());
    get_layout(&l);
    ck_assert_uint_eq(l.nr, MAX_ORDER + 1 + 3);
    for ( o = 0; o <= MAX_ORDER; o++ )
    {
        ck_assert_uint_eq(l.mfn[o], 1UL << o);
        ck_assert_uint_eq(l.order[o], o);
    }
    ck_assert_uint_eq(l.order[o], 12);
    ck_assert_uint_eq(l.order[o + 1], 2);
    ck_assert_uint_eq(l.order[o + 2], 0);
    ck_assert_uint_eq(page_alloc_free_blocks(12), 2);
    ck_assert_uint_eq(page_alloc_free_blocks(MAX_ORDER), 1);
    ck_assert_uint_eq(page_alloc_free_blocks(MAX_ORDER + 1), 0);
    ck_assert(!(frame_table[0].flags & (PGF_ram | PGF_free)));
}
END_TEST

START_TEST(test_every_order)
{
    struct layout before, after;
    unsigned long free_before = page_alloc_free_count(), i;
    unsigned int o;

    get_layout(&before);
    for ( o = 0; o <= MAX_ORDER; o++ )
    {
        long mfn = page_alloc(o, OWNER);

        ck_assert_int_gt(mfn, 0);
        ck_assert_uint_eq(mfn & ((1UL << o) - 1), 0);
        ck_assert_uint_eq(page_alloc_free_count(), free_before - (1UL << o));
        for ( i = mfn; i < mfn + (1UL << o); i++ )
        {
            FAST_ASSERT(frame_table[i].owner == OWNER);
            FAST_ASSERT(!(frame_table[i].flags & (PGF_free | PGF_head)));
            FAST_ASSERT(frame_table[i].flags & PGF_ram);
            FAST_ASSERT(frame_table[i].count == 0);
            FAST_ASSERT(frame_table[i].type_info == PGT_none);
        }
        ck_assert(page_alloc_check());

        ck_assert_int_eq(page_free(mfn, o), 0);
        ck_assert_uint_eq(page_alloc_free_count(), free_before);
        ck_assert_uint_eq(frame_table[mfn].owner, PAGE_OWNER_NONE);
        ck_assert(page_alloc_check());
        get_layout(&after);
        assert_same_layout(&before, &after);
    }
}
END_TEST

START_TEST(test_bad_requests)
{
    ck_assert_int_eq(page_alloc(MAX_ORDER + 1, OWNER), -EINVAL);
    ck_assert_int_eq(page_alloc(64, OWNER), -EINVAL);
    ck_assert_int_eq(page_alloc(0, PAGE_OWNER_NONE), -EINVAL);
    ck_assert_uint_eq(page_alloc_free_count(), BIG_FRAMES - 1);
}
END_TEST

START_TEST(test_smallest_block_first)
{
    init(64);
    ck_assert_int_eq(page_alloc_add_free_range(8, 8), 0);      /* order 3 */
    ck_assert_int_eq(page_alloc_add_free_range(1, 1), 0);      /* order 0 */
    ck_assert_int_eq(page_alloc_add_free_range(32, 4), 0);     /* order 2 */

    ck_assert_int_eq(page_alloc(0, OWNER), 1);
    ck_assert_int_eq(page_alloc(1, OWNER), 32);    /* splits the order 2 */
    ck_assert_int_eq(page_alloc(1, OWNER), 34);
    ck_assert_int_eq(page_alloc(0, OWNER), 8);     /* splits the order 3 */
    ck_assert_uint_eq(page_alloc_free_blocks(0), 1);       /* 9 */
    ck_assert_uint_eq(page_alloc_free_blocks(1), 1);       /* 10 */
    ck_assert_uint_eq(page_alloc_free_blocks(2), 1);       /* 12 */
    ck_assert(page_alloc_check());
    ck_assert_int_eq(page_alloc(2, OWNER), 12);
    ck_assert_int_eq(page_alloc(2, OWNER), -ENOMEM);
    ck_assert_int_eq(page_alloc(1, OWNER), 10);
    ck_assert_int_eq(page_alloc(0, OWNER), 9);
    ck_assert_int_eq(page_alloc(0, OWNER), -ENOMEM);
    ck_assert_uint_eq(page_alloc_free_count(), 0);
    ck_assert(page_alloc_check());
}
END_TEST

START_TEST(test_exhaustion_and_coalescing)
{
    struct layout before, after;
    unsigned long total = page_alloc_total_count(), n = 0, i;
    long *mfns = malloc(total * sizeof(*mfns));
    uint8_t *seen = calloc(BIG_FRAMES, 1);
    long mfn;

    ck_assert_ptr_nonnull(mfns);
    ck_assert_ptr_nonnull(seen);
    get_layout(&before);

    while ( (mfn = page_alloc(0, OWNER)) >= 0 )
    {
        FAST_ASSERT(mfn != 0);
        FAST_ASSERT(mfn < (long)BIG_FRAMES);
        FAST_ASSERT(!seen[mfn]);
        seen[mfn] = 1;
        mfns[n++] = mfn;
    }
    ck_assert_int_eq(mfn, -ENOMEM);
    ck_assert_uint_eq(n, total);
    ck_assert_uint_eq(page_alloc_free_count(), 0);
    ck_assert_int_eq(page_alloc(0, OWNER), -ENOMEM);
    ck_assert(page_alloc_check());

    /* Free in a scrambled order: merging must not depend on it. */
    for ( i = 0; i < n; i++ )
    {
        unsigned long j = (i * 7919) % n;
        long t = mfns[i];

        mfns[i] = mfns[j];
        mfns[j] = t;
    }
    for ( i = 0; i < n; i++ )
        FAST_ASSERT(page_free(mfns[i], 0) == 0);

    ck_assert_uint_eq(page_alloc_free_count(), total);
    ck_assert(page_alloc_check());
    get_layout(&after);
    assert_same_layout(&before, &after);
    free(mfns);
    free(seen);
}
END_TEST

START_TEST(test_double_free_refused)
{
    long a = page_alloc(0, OWNER), b = page_alloc(1, OWNER);
    unsigned long nfree;

    ck_assert_int_gt(a, 0);
    ck_assert_int_gt(b, 0);
    ck_assert_int_eq(page_free(a, 0), 0);
    nfree = page_alloc_free_count();

    ck_assert_int_eq(page_free(a, 0), -EINVAL);
    ck_assert(test_log_contains("double free"));

    /* Half of the block already free: refused as a whole. */
    ck_assert_int_eq(page_free(b, 0), 0);
    ck_assert_int_eq(page_free(b, 1), -EINVAL);
    ck_assert_int_eq(page_free(b + 1, 0), 0);

    /* Inside a large free block, not at its head. */
    ck_assert_int_eq(page_free((1UL << MAX_ORDER) + 8, 3), -EINVAL);
    ck_assert_int_eq(page_free(1UL << MAX_ORDER, MAX_ORDER), -EINVAL);

    ck_assert_uint_eq(page_alloc_free_count(), nfree + 2);
    ck_assert(page_alloc_check());
}
END_TEST

START_TEST(test_bad_frees)
{
    long mfn = page_alloc(2, OWNER);
    unsigned long nfree = page_alloc_free_count();

    ck_assert_int_gt(mfn, 0);
    ck_assert_int_eq(page_free(mfn + 1, 1), -EINVAL);     /* misaligned */
    ck_assert_int_eq(page_free(mfn, MAX_ORDER + 1), -EINVAL);
    ck_assert_int_eq(page_free(0, 0), -EINVAL);           /* not RAM */
    ck_assert_int_eq(page_free(BIG_FRAMES, 0), -EINVAL);  /* past the end */
    ck_assert_int_eq(page_free(BIG_FRAMES - 1, 2), -EINVAL);
    ck_assert_int_eq(page_free(~0UL, 0), -EINVAL);
    ck_assert_uint_eq(page_alloc_free_count(), nfree);
    ck_assert(page_alloc_check());
    ck_assert_int_eq(page_free(mfn, 2), 0);
    ck_assert(page_alloc_check());
}
END_TEST

START_TEST(test_add_ranges)
{
    init(1 << 13);
    ck_assert_int_eq(page_alloc_add_free_range(0, 0), 0);
    ck_assert_int_eq(page_alloc_add_free_range(5, 0), 0);
    ck_assert_int_eq(page_alloc_add_free_range(0, 1), 0);    /* frame 0 */
    ck_assert_uint_eq(page_alloc_total_count(), 0);
    ck_assert_int_eq(page_alloc_add_free_range(1 << 13, 1), -EINVAL);
    ck_assert_int_eq(page_alloc_add_free_range(100, ~0UL), -EINVAL);

    /* Two halves added apart merge into one block. */
    ck_assert_int_eq(page_alloc_add_free_range(4096, 2048), 0);
    ck_assert_int_eq(page_alloc_add_free_range(6144, 2048), 0);
    ck_assert_uint_eq(page_alloc_free_blocks(12), 1);
    ck_assert_uint_eq(page_alloc_free_blocks(11), 0);

    /* Odd pieces too. */
    ck_assert_int_eq(page_alloc_add_free_range(1, 1000), 0);
    ck_assert_int_eq(page_alloc_add_free_range(1001, 3095), 0);
    ck_assert_uint_eq(page_alloc_free_blocks(12), 1);
    ck_assert_uint_eq(page_alloc_total_count(), (1 << 13) - 1);
    ck_assert(page_alloc_check());

    /* Adding RAM twice is refused and changes nothing. */
    ck_assert_int_eq(page_alloc_add_free_range(4000, 200), -EINVAL);
    ck_assert_uint_eq(page_alloc_total_count(), (1 << 13) - 1);
    ck_assert(page_alloc_check());
}
END_TEST

START_TEST(test_check_catches_corruption)
{
    long mfn = page_alloc(0, OWNER);

    ck_assert_int_gt(mfn, 0);
    ck_assert(page_alloc_check());

    frame_table[mfn].flags |= PGF_free;         /* free, but in no block */
    ck_assert(!page_alloc_check());
    frame_table[mfn].flags &= ~PGF_free;
    ck_assert(page_alloc_check());

    frame_table[1UL << MAX_ORDER].order--;      /* head of wrong order */
    ck_assert(!page_alloc_check());
    frame_table[1UL << MAX_ORDER].order++;

    frame_table[(1UL << MAX_ORDER) + 5].flags &= ~PGF_free;
    ck_assert(!page_alloc_check());
    frame_table[(1UL << MAX_ORDER) + 5].flags |= PGF_free;
    ck_assert(page_alloc_check());
}
END_TEST

/* xorshift64: a fixed seed makes every run the same. */
static uint64_t rng_state;

static uint64_t rng(void)
{
    return xorshift64(&rng_state);
}

/* Mostly small blocks, as a domain builder and page tables use them. */
static unsigned int random_order(void)
{
    uint64_t r = rng() % 100;

    if ( r < 60 )
        return 0;
    if ( r < 85 )
        return 1 + rng() % 3;
    if ( r < 98 )
        return 4 + rng() % 5;
    return 9 + rng() % 4;
}

struct block
{
    unsigned long mfn;
    unsigned int order;
    uint16_t owner;
};

#define RANDOM_FRAMES   (1UL << 16)
#define RANDOM_OPS      200000

/* The test's own record of what is allocated, to compare against. */
struct random_state
{
    struct block live[RANDOM_FRAMES];
    unsigned long nlive;
    unsigned long allocated;        /* frames */
    uint8_t used[RANDOM_FRAMES];    /* per frame: allocated? */
};

static void random_alloc(struct random_state *st)
{
    unsigned int order = random_order();
    uint16_t owner = rng() % 64;
    long mfn = page_alloc(order, owner);
    unsigned long i;

    if ( mfn == -ENOMEM )
        return;
    FAST_ASSERT(mfn > 0);
    for ( i = mfn; i < mfn + (1UL << order); i++ )
    {
        FAST_ASSERT(!st->used[i]);
        st->used[i] = 1;
    }
    st->live[st->nlive++] = (struct block){ mfn, order, owner };
    st->allocated += 1UL << order;
}

static void random_free(struct random_state *st, unsigned long k)
{
    struct block blk = st->live[k];
    unsigned long i;

    FAST_ASSERT(frame_table[blk.mfn].owner == blk.owner);
    FAST_ASSERT(page_free(blk.mfn, blk.order) == 0);
    for ( i = blk.mfn; i < blk.mfn + (1UL << blk.order); i++ )
        st->used[i] = 0;
    st->live[k] = st->live[--st->nlive];
    st->allocated -= 1UL << blk.order;
}

START_TEST(test_randomized)
{
    struct random_state *st = calloc(1, sizeof(*st));
    struct layout before, after;
    unsigned long op, total;

    ck_assert_ptr_nonnull(st);
    init(RANDOM_FRAMES);
    /* Holes as in a PC: below 640K, the ROM area, a PCI hole. */
    ck_assert_int_eq(page_alloc_add_free_range(0, 0x9f), 0);
    ck_assert_int_eq(page_alloc_add_free_range(0x100, 0xbf00), 0);
    ck_assert_int_eq(page_alloc_add_free_range(0xd003, RANDOM_FRAMES - 0xd003),
                     0);
    total = page_alloc_total_count();
    get_layout(&before);
    rng_state = 0x2545f4914f6cdd1dULL;

    for ( op = 0; op < RANDOM_OPS; op++ )
    {
        if ( st->nlive == 0 || rng() % 100 < 52 )
            random_alloc(st);
        else
            random_free(st, rng() % st->nlive);

        FAST_ASSERT(page_alloc_free_count() + st->allocated == total);
        if ( op % 2000 == 0 )
            ck_assert(page_alloc_check());
    }

    while ( st->nlive > 0 )
        random_free(st, st->nlive - 1);
    ck_assert_uint_eq(page_alloc_free_count(), total);
    ck_assert(page_alloc_check());
    get_layout(&after);
    assert_same_layout(&before, &after);
    free(st);
}
END_TEST

Suite *page_alloc_suite(void)
{
    Suite *s = suite_create("page_alloc");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_init_state);
    tcase_add_test(tc, test_initial_blocks);
    tcase_add_test(tc, test_every_order);
    tcase_add_test(tc, test_bad_requests);
    tcase_add_test(tc, test_smallest_block_first);
    tcase_add_test(tc, test_exhaustion_and_coalescing);
    tcase_add_test(tc, test_double_free_refused);
    tcase_add_test(tc, test_bad_frees);
    tcase_add_test(tc, test_add_ranges);
    tcase_add_test(tc, test_check_catches_corruption);
    tcase_add_test(tc, test_randomized);
    suite_add_tcase(s, tc);

    return s;
}
