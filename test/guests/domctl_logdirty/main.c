/*
 * Log-dirty mode on a running domU. Each round dom0 cleans the bitmap,
 * tells d1 to write round r's pattern into its spare frames (the last
 * SPARE pfns, which nothing maps), waits for d1 to finish, then peeks
 * and cleans: within the spare range the bitmap must match the pattern
 * exactly, peek and clean must agree, and nothing may overflow. Half of
 * the pattern's frames are written by d1 through a writable mapping,
 * the other half by the hypervisor (MMUEXT_CLEAR_PAGE), so both kinds of
 * write are seen. Outside the spare range Mica over-approximates (every
 * frame d1 keeps mapped writable, docs/domctl.md): from round 1 on those
 * bits must be the same every round, since d1's writable set no longer
 * changes (in round 0 the frame its scratch window first mapped was
 * still writable, and is rightly reported then).
 * Also: enable twice -EBUSY, a bitmap of 0 pfns -EINVAL, clean while
 * off -EINVAL.
 */
#include "test.h"

const char test_title[] = "domctl_logdirty";

#define SPARE 32
#define ROUNDS 4
#define WAIT (5000 * MS)
#define MAX_PFNS 65536

static uint8_t peeked[MAX_PFNS / 8], cleaned[MAX_PFNS / 8];
static uint8_t outside[MAX_PFNS / 8];

static bool in_pattern(unsigned int round, unsigned int i)
{
    return (i * 7 + round * 3) % 5 < 2;
}

/* ---- d1 ---- */

static void write_spare(unsigned int i, unsigned int round)
{
    uint64_t mfn = spare_mfn(i);

    if ( i % 2 )
    {
        struct mmuext_op op = { .cmd = MMUEXT_CLEAR_PAGE };

        op.arg1.mfn = mfn;
        CHECK_RC(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
        return;
    }
    uint8_t *p = scratch_map(mfn, 0x63);
    if ( !p )
        return;
    memset(p, round + 1, 4096);
    scratch_unmap();
}

static void writer_main(void)
{
    evtchn_send(ctl_port[0]);                   /* ready */
    for ( unsigned int r = 0; r < ROUNDS; r++ )
    {
        if ( !wait_port(ctl_port[0], WAIT) )
            return test_fail("d1: no go for round %u", r);
        for ( unsigned int i = 0; i < SPARE; i++ )
            if ( in_pattern(r, i) )
                write_spare(i, r);
        evtchn_send(ctl_port[0]);
    }
    test_success();
}

/* ---- dom0 ---- */

static bool bit(const uint8_t *bm, uint64_t pfn)
{
    return (bm[pfn / 8] >> (pfn % 8)) & 1;
}

static void check_round(unsigned int r, uint64_t nr, uint32_t dirty)
{
    uint32_t count = 0;

    if ( memcmp(peeked, cleaned, (nr + 7) / 8) )
        test_fail("round %u: peek and clean disagree", r);
    for ( unsigned int i = 0; i < SPARE; i++ )
        if ( bit(cleaned, nr - 1 - i) != in_pattern(r, i) )
            test_fail("round %u: spare %u (pfn %lu) dirty %d, expected %d",
                      r, i, (unsigned long)(nr - 1 - i),
                      bit(cleaned, nr - 1 - i), in_pattern(r, i));
    for ( uint64_t pfn = 0; pfn < nr; pfn++ )
        count += bit(cleaned, pfn);
    if ( count != dirty )
        test_fail("round %u: %u bits set, dirty_count %u", r, count, dirty);
    for ( uint64_t pfn = 0; pfn < nr - SPARE && r; pfn++ )
    {
        if ( r == 1 && bit(cleaned, pfn) )
            outside[pfn / 8] |= 1 << (pfn % 8);
        else if ( r > 1 && bit(cleaned, pfn) != bit(outside, pfn) )
            test_fail("round %u: pfn %lu outside the pattern changed to %d",
                      r, (unsigned long)pfn, bit(cleaned, pfn));
    }
}

static void one_round(unsigned int r, uint64_t nr)
{
    struct mica_domctl_logdirty out;

    CHECK_RC(ctl_logdirty(1, MICA_LOGDIRTY_clean, nr, cleaned, NULL), 0);
    CHECK_RC(evtchn_send(ctl_port[1]), 0);
    if ( !wait_port(ctl_port[1], WAIT) )
        return test_fail("d1 did not finish round %u", r);
    CHECK_RC(ctl_logdirty(1, MICA_LOGDIRTY_peek, nr, peeked, NULL), 0);
    memset(cleaned, 0, sizeof(cleaned));
    if ( !CHECK_RC(ctl_logdirty(1, MICA_LOGDIRTY_clean, nr, cleaned, &out),
                   0) )
        return;
    if ( out.overflow )
        test_fail("round %u: %u marks overflowed", r, out.overflow);
    check_round(r, nr, out.dirty_count);
}

static void dom0_main(void)
{
    struct mica_domaininfo info;
    uint64_t nr;

    if ( !wait_port(ctl_port[1], WAIT) )
        return test_error("d1 never became ready");
    if ( !CHECK_RC(ctl_getinfo(1, &info), 0) )
        return;
    nr = info.tot_pages;
    if ( nr > MAX_PFNS )
        return test_error("d1 has %lu pages, more than this test handles",
                          (unsigned long)nr);
    CHECK_RC(ctl_logdirty(1, MICA_LOGDIRTY_clean, nr, cleaned, NULL),
             -XEN_EINVAL);
    CHECK_RC(ctl_logdirty(1, MICA_LOGDIRTY_enable, 0, NULL, NULL),
             -XEN_EINVAL);
    CHECK_RC(ctl_logdirty(1, MICA_LOGDIRTY_enable, nr, NULL, NULL), 0);
    CHECK_RC(ctl_logdirty(1, MICA_LOGDIRTY_enable, nr, NULL, NULL),
             -XEN_EBUSY);
    if ( CHECK_RC(ctl_getinfo(1, &info), 0) &&
         !(info.flags & MICA_DOMINF_logdirty) )
        test_fail("log-dirty not shown in d1's flags");
    for ( unsigned int r = 0; r < ROUNDS; r++ )
        one_round(r, nr);
    CHECK_RC(ctl_logdirty(1, MICA_LOGDIRTY_disable, 0, NULL, NULL), 0);
    CHECK_RC(ctl_logdirty(1, MICA_LOGDIRTY_peek, nr, peeked, NULL),
             -XEN_EINVAL);
    /* d1's "done" may merge with its last round's event: watch it stop. */
    for ( unsigned int i = 0; i < 5000; i++ )
    {
        if ( ctl_getinfo(1, &info) || (info.flags & MICA_DOMINF_shutdown) )
            break;
        poll_ports(NULL, 0, 1 * MS);
    }
    if ( !(info.flags & MICA_DOMINF_shutdown) )
        test_fail("d1 did not finish");
    test_success();
}

void test_main(void)
{
    if ( !multi_init() )
        return;
    if ( my_domid )
        writer_main();
    else
        dom0_main();
}
