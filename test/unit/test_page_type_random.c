/*
 * Randomized test of the page-type code: three simulated domains (one
 * privileged) make a million random pins, unpins, entry updates (good,
 * hostile and foreign), base-pointer switches, descriptor-table uses,
 * plain writes to frames that are not tables, and frame releases. After
 * every step an independent recount from the frames' contents checks:
 *
 *  - every count equals the references that exist (allocation, pins,
 *    base pointers, descriptor uses, entries of validated tables);
 *  - no validated L1 maps a page-table or descriptor frame writable;
 *  - no table maps a frame of another domain except a privileged
 *    domain's L1 foreign mappings, and I/O only for the privileged one;
 *  - linear entries are read-only and counted on both ends;
 *  - a table type is always validated while in use.
 *
 * At the end every domain lets go of everything, and every frame must
 * come back to the free pool. Only entries 0-7 of each frame (and the
 * hypervisor's L4 slot numbers) are used so that the recount stays cheap
 * enough to run after every step.
 */
#include <stdlib.h>
#include <string.h>

#include "pt_sim.h"
#include "unit.h"

#define NR_DOMS     3
#define SLOTS       8
#define STEPS       1000000UL
#define MAX_DESC    4

struct dom
{
    unsigned long base;             /* the "CR3" L4 reference, or 0 */
    unsigned long desc[MAX_DESC];   /* seg_desc references held */
};

/* How many of each kind of request succeeded, to show the test bites. */
static struct
{
    unsigned long pins[5], updates, linear_seen;
} stats;

static struct dom doms[NR_DOMS];
static bool allocated[PT_SIM_FRAMES];
static uint64_t rng_state;

static uint64_t rnd(void)
{
    return xorshift64(&rng_state);
}

static unsigned long rnd_below(unsigned long n)
{
    return rnd() % n;
}

/*
 * A frame domain d owns; with `allocated_only`, one it has not released
 * yet (a released frame stays the domain's while references remain, and
 * the domain can still unpin it or write to it through old mappings).
 */
static unsigned long pick(pt_domid_t d, bool allocated_only)
{
    unsigned long n = PT_SIM_FRAMES - 3, start = rnd_below(n);

    for ( unsigned long i = 0; i < n; i++ )
    {
        unsigned long f = 3 + (start + i) % n;

        if ( mfn_to_page(f)->owner == d && gcount(f) &&
             (allocated[f] || !allocated_only) )
            return f;
    }
    return 0;
}

static unsigned long frame_of(pt_domid_t d)
{
    return pick(d, false);
}

static unsigned long any_frame(pt_domid_t d)
{
    switch ( rnd_below(16) )
    {
    case 0:
        return rnd_below(PT_SIM_FRAMES);        /* xen, io, free, ... */
    case 1:
        return PT_SIM_FRAMES + rnd_below(4);    /* beyond RAM: I/O */
    case 2:
        return frame_of((d + 1) % NR_DOMS);
    default:
        return frame_of(d);
    }
}

static pte_t random_flags(void)
{
    static const pte_t odd[] = {
        _PAGE_PSE, _PAGE_PCD, _PAGE_PWT, _PAGE_GLOBAL, PTE_GNTTAB,
        _PAGE_NX, _PAGE_DIRTY, 1UL << 55,
    };
    pte_t f = (rnd_below(10) ? P : 0) | (rnd_below(2) ? RW : 0) |
              (rnd_below(2) ? _PAGE_ACCESSED : 0);

    if ( rnd_below(8) == 0 )
        f |= odd[rnd_below(ARRAY_SIZE(odd))];
    return f;
}

static void step_update(pt_domid_t d)
{
    unsigned long t = frame_of(d);
    struct pt_ctx ctx = { d, d };
    unsigned int slot = rnd_below(SLOTS);

    if ( !t )
        return;
    if ( d == PT_SIM_PRIV && rnd_below(8) == 0 )
        ctx.pg_owner = 1 + rnd_below(NR_DOMS - 1);
    if ( rnd_below(64) == 0 )
        slot = HYPERVISOR_SLOT_FIRST + rnd_below(16);
    if ( !pt_update_entry(t, slot, pte(any_frame(ctx.pg_owner),
                                       random_flags()),
                          &ctx, rnd_below(4) == 0) )
        stats.updates++;
    if ( mfn_to_page(t)->linear_pt )
        stats.linear_seen++;
}

/* The guest writes to its own memory: only frames that are not tables. */
static void step_plain_write(pt_domid_t d)
{
    unsigned long t = frame_of(d);
    uint64_t type;

    if ( !t )
        return;
    type = type_of(t);
    if ( tcount(t) && type != PGT_writable )
        return;
    pt_sim_frame(t)[rnd_below(SLOTS)] = pte(any_frame(d), random_flags());
}

static void step_base(pt_domid_t d)
{
    unsigned long l4 = rnd_below(4) ? frame_of(d) : 0;

    if ( l4 && get_page_and_type(l4, d, PGT_l4) )
        return;
    if ( doms[d].base )
        put_page_and_type(doms[d].base);
    doms[d].base = l4;
}

static void step_desc(pt_domid_t d)
{
    unsigned int i = rnd_below(MAX_DESC);
    unsigned long f = frame_of(d);

    if ( doms[d].desc[i] )
    {
        put_page_and_type(doms[d].desc[i]);
        doms[d].desc[i] = 0;
    }
    else if ( f && !get_page_and_type(f, d, PGT_seg_desc) )
        doms[d].desc[i] = f;
}

static void step_alloc_or_release(pt_domid_t d)
{
    unsigned long f;

    if ( rnd_below(3) )
    {
        f = pt_sim_alloc(d);
        if ( f )
            allocated[f] = true;
        return;
    }
    f = pick(d, true);
    if ( f )
    {
        allocated[f] = false;
        pt_sim_release(f);
    }
}

static void step(void)
{
    pt_domid_t d = rnd_below(NR_DOMS);
    unsigned int level = 1 + rnd_below(4);
    unsigned long f;

    switch ( rnd_below(16) )
    {
    case 0 ... 2:
        if ( (f = frame_of(d)) && !pt_pin(f, d, level) )
            stats.pins[level]++;
        break;
    case 3 ... 4:
        if ( (f = frame_of(d)) )
            (void)pt_unpin(f, d);
        break;
    case 5 ... 10:
        step_update(d);
        break;
    case 11 ... 12:
        step_plain_write(d);
        break;
    case 13:
        step_base(d);
        break;
    case 14:
        step_desc(d);
        break;
    default:
        step_alloc_or_release(d);
        break;
    }
}

struct expect
{
    uint32_t g[PT_SIM_FRAMES];
    uint64_t t[PT_SIM_FRAMES];
    int linear[PT_SIM_FRAMES];
};

static bool io_target(unsigned long m)
{
    return m >= PT_SIM_FRAMES || mfn_to_page(m)->owner == PAGE_OWNER_IO;
}

/* The references one present entry of validated table t holds. */
static void count_entry(struct expect *x, unsigned long t, unsigned int lvl,
                        pte_t e)
{
    unsigned long m = pte_mfn(e);
    pt_domid_t owner = mfn_to_page(t)->owner;

    if ( lvl == 1 && io_target(m) )
    {
        FAST_ASSERT(owner == PT_SIM_PRIV);
        return;
    }
    FAST_ASSERT(m < PT_SIM_FRAMES && m > 2);
    if ( lvl == 1 )
    {
        FAST_ASSERT(mfn_to_page(m)->owner == owner || owner == PT_SIM_PRIV);
        x->g[m]++;
        if ( e & RW )
        {
            FAST_ASSERT(type_of(m) == PGT_writable);
            x->t[m]++;
        }
        return;
    }
    FAST_ASSERT(mfn_to_page(m)->owner == owner);
    if ( m == t )
    {
        FAST_ASSERT(!(e & RW));
        return;
    }
    x->g[m]++;
    x->t[m]++;
    if ( pgt_level(mfn_to_page(m)->type_info) == lvl )
    {
        FAST_ASSERT(!(e & RW));
        x->linear[t]++;
        x->linear[m]--;
    }
    else
        FAST_ASSERT(pgt_level(mfn_to_page(m)->type_info) == lvl - 1);
}

static void check_invariants(void)
{
    static struct expect x;

    memset(&x, 0, sizeof(x));
    for ( unsigned long f = 3; f < PT_SIM_FRAMES; f++ )
    {
        uint64_t ti = mfn_to_page(f)->type_info;

        x.g[f] += allocated[f];
        if ( ti & PGT_pinned )
        {
            x.g[f]++;
            x.t[f]++;
        }
        if ( !pgt_level(ti) || !(ti & PGT_count_mask) )
            continue;
        FAST_ASSERT(ti & PGT_validated);
        for ( unsigned int s = 0; s < SLOTS; s++ )
            if ( pt_sim_frame(f)[s] & P )
                count_entry(&x, f, pgt_level(ti), pt_sim_frame(f)[s]);
        /* Below L4, the hypervisor's slot numbers are ordinary entries. */
        for ( unsigned int s = HYPERVISOR_SLOT_FIRST;
              pgt_level(ti) < 4 && s <= HYPERVISOR_SLOT_LAST; s++ )
            if ( pt_sim_frame(f)[s] & P )
                count_entry(&x, f, pgt_level(ti), pt_sim_frame(f)[s]);
    }
    for ( unsigned int d = 0; d < NR_DOMS; d++ )
    {
        if ( doms[d].base )
            x.g[doms[d].base]++, x.t[doms[d].base]++;
        for ( unsigned int i = 0; i < MAX_DESC; i++ )
            if ( doms[d].desc[i] )
                x.g[doms[d].desc[i]]++, x.t[doms[d].desc[i]]++;
    }
    for ( unsigned long f = 3; f < PT_SIM_FRAMES; f++ )
    {
        FAST_ASSERT(gcount(f) == x.g[f]);
        FAST_ASSERT(tcount(f) == x.t[f]);
        FAST_ASSERT(mfn_to_page(f)->linear_pt == x.linear[f]);
        FAST_ASSERT(gcount(f) || mfn_to_page(f)->owner == PAGE_OWNER_NONE);
    }
}

/* Every domain lets go of everything it holds. */
static void teardown_all(void)
{
    for ( unsigned int d = 0; d < NR_DOMS; d++ )
    {
        if ( doms[d].base )
            put_page_and_type(doms[d].base);
        for ( unsigned int i = 0; i < MAX_DESC; i++ )
            if ( doms[d].desc[i] )
                put_page_and_type(doms[d].desc[i]);
    }
    memset(doms, 0, sizeof(doms));
    for ( unsigned long f = 3; f < PT_SIM_FRAMES; f++ )
        if ( mfn_to_page(f)->type_info & PGT_pinned )
            FAST_ASSERT(pt_unpin(f, mfn_to_page(f)->owner) == 0);
    for ( unsigned long f = 3; f < PT_SIM_FRAMES; f++ )
        if ( allocated[f] )
        {
            allocated[f] = false;
            pt_sim_release(f);
        }
}

START_TEST(test_random_operations_keep_invariants)
{
    unsigned long allocs = 0;

    pt_sim_reset();
    memset(doms, 0, sizeof(doms));
    memset(allocated, 0, sizeof(allocated));
    rng_state = 0x9e3779b97f4a7c15ULL + _i;
    memset(&stats, 0, sizeof(stats));
    for ( unsigned long f; (f = pt_sim_alloc(rnd_below(NR_DOMS))); )
        allocated[f] = true;
    for ( unsigned long i = 0; i < STEPS; i++ )
    {
        step();
        check_invariants();
    }
    for ( unsigned long f = 0; f < PT_SIM_FRAMES; f++ )
        allocs += allocated[f];
    teardown_all();
    check_invariants();
    for ( unsigned long f = 3; f < PT_SIM_FRAMES; f++ )
    {
        FAST_ASSERT(mfn_to_page(f)->owner == PAGE_OWNER_NONE);
        FAST_ASSERT(mfn_to_page(f)->type_info == PGT_none);
    }
    ck_assert_uint_gt(sim.freed, allocs);
    if ( getenv("UNIT_VERBOSE") )
        fprintf(stderr, "random page types: pins L1-L4 %lu %lu %lu %lu, "
                "updates %lu, steps on a table with linear entries %lu\n",
                stats.pins[1], stats.pins[2], stats.pins[3], stats.pins[4],
                stats.updates, stats.linear_seen);
    /* Pins of every level and linear entries must have happened. */
    ck_assert(stats.pins[4] > 1000 && stats.pins[2] > 1000 &&
              stats.updates > 100000 && stats.linear_seen > 500);
}
END_TEST

Suite *page_type_random_suite(void)
{
    Suite *s = suite_create("page_type_random");
    TCase *tc = tcase_create("random");

    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, test_random_operations_keep_invariants, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}
