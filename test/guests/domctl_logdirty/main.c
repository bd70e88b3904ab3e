/*
 * Log-dirty mode on a running domU. d1 keeps SPARE + QUIET of its spare
 * frames (the last pfns, which nothing else maps) mapped writable for
 * the whole test. Each round dom0 cleans the bitmap, tells d1 to write
 * round r's pattern into the SPARE frames, waits, then peeks and cleans:
 * within SPARE the bitmap must match the pattern exactly, peek and clean
 * must agree, and nothing may overflow. A third of the pattern's frames
 * is written by d1's own stores, a third by the hypervisor through the
 * direct map (MMUEXT_CLEAR_PAGE), a third by the hypervisor through d1's
 * mapping (a hypercall's output, xen_version's extraversion).
 *
 * With exact tracking (MICA_DOMINF_logdirty_exact, protection keys: QEMU
 * -cpu max has them) the QUIET frames, written before log-dirty starts
 * and mapped writable throughout, must never be reported, and the rest
 * of d1's memory only for what it touches (its stack and data): a small
 * fraction. Without (domctl_logdirty_coarse boots with logdirty=coarse)
 * every pattern frame must be reported, a superset being allowed.
 * d1 checks at every round that no store was lost (the stores that
 * faulted must have completed when run again), and that a store through
 * a read-only mapping that asked for the mark is an ordinary write fault.
 * Also: enable twice -EBUSY, a bitmap of 0 pfns -EINVAL, clean while
 * off -EINVAL.
 */
#include "test.h"

#ifndef TEST_TITLE
#define TEST_TITLE "domctl_logdirty"
#define EXPECT_EXACT 1
#endif
const char test_title[] = TEST_TITLE;

#define SPARE 48
#define QUIET 16
#define ROUNDS 4
#define WAIT (5000 * MS)
#define MAX_PFNS 65536
#define VERSION_OFF 2048            /* where xen_version writes */

static uint8_t peeked[MAX_PFNS / 8], cleaned[MAX_PFNS / 8];

static bool in_pattern(unsigned int round, unsigned int i)
{
    return (i * 7 + round * 3) % 5 < 2;
}

/* ---- d1 ---- */

static uint8_t window[SPARE + QUIET][4096] __page_aligned_bss;
static uint8_t expected[SPARE + QUIET];

static bool map_windows(void)
{
    for ( unsigned int i = 0; i < SPARE + QUIET; i++ )
    {
        long rc = map_frame_at(window[i], spare_mfn(i), PTE_KERNEL_RW);
        if ( rc )
        {
            test_error("d1: mapping spare %u: %ld", i, rc);
            return false;
        }
        memset(window[i], 0xee, 4096);
        expected[i] = 0xee;
    }
    return true;
}

static void check_windows(unsigned int round)
{
    for ( unsigned int i = 0; i < SPARE + QUIET; i++ )
        if ( window[i][0] != expected[i] || window[i][4095] != expected[i] )
            test_fail("d1 round %u: frame %u holds %#x..%#x, expected %#x",
                      round, i, window[i][0], window[i][4095], expected[i]);
}

static void write_spare(unsigned int i, unsigned int round)
{
    struct mmuext_op op = { .cmd = MMUEXT_CLEAR_PAGE };

    switch ( i % 3 )
    {
    case 0:
        memset(window[i], round + 1, 4096);
        expected[i] = round + 1;
        break;
    case 1:
        op.arg1.mfn = spare_mfn(i);
        CHECK_RC(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
        expected[i] = 0;
        break;
    default:
        CHECK_RC(HYPERVISOR_xen_version(XENVER_extraversion,
                                        window[i] + VERSION_OFF), 0);
        break;
    }
}

/*
 * A read-only mapping asking for the tracking mark (as Linux's fork
 * makes when it copies a marked entry without RW into the child): a
 * store through it must be an ordinary write fault to the guest, never
 * a protection-key one, which Linux would answer with SIGSEGV.
 */
static void check_readonly_store(unsigned int round)
{
    const struct trap_record *t;
    volatile uint8_t *p = scratch_map(spare_mfn(0), 0x61 | (1UL << 59));

    if ( !p )
        return;
    trap_expect(X86_EXC_PF);
    asm volatile ( TRAP_ASM_BEGIN "movb $1, (%[p])" TRAP_ASM_END
                   : TRAP_ASM_OUTPUTS : [p] "r" (p) : "memory" );
    t = trap_done();
    scratch_unmap();
    if ( !t )
        return test_fail("d1 round %u: store through a read-only mapping "
                         "did not fault", round);
    if ( (t->error_code & 0x23) != 0x03 )
        test_fail("d1 round %u: read-only store faulted with error %#lx, "
                  "expected write+present without the key bit", round,
                  (unsigned long)t->error_code);
}

static void writer_main(void)
{
    if ( !map_windows() )
        return;
    evtchn_send(ctl_port[0]);                   /* ready */
    for ( unsigned int r = 0; r < ROUNDS; r++ )
    {
        if ( !wait_port(ctl_port[0], WAIT) )
            return test_fail("d1: no go for round %u", r);
        check_windows(r);
        for ( unsigned int i = 0; i < SPARE; i++ )
            if ( in_pattern(r, i) )
                write_spare(i, r);
        check_readonly_store(r);
        check_windows(r);
        evtchn_send(ctl_port[0]);
    }
    test_success();
}

/* ---- dom0 ---- */

static bool bit(const uint8_t *bm, uint64_t pfn)
{
    return (bm[pfn / 8] >> (pfn % 8)) & 1;
}

static void check_round(unsigned int r, uint64_t nr, uint32_t dirty,
                        bool exact)
{
    uint32_t count = 0, rest = 0;

    if ( memcmp(peeked, cleaned, (nr + 7) / 8) )
        test_fail("round %u: peek and clean disagree", r);
    /* Coarse tracking reports every writable frame: a superset. */
    for ( unsigned int i = 0; i < SPARE; i++ )
        if ( exact ? bit(cleaned, nr - 1 - i) != in_pattern(r, i)
                   : in_pattern(r, i) && !bit(cleaned, nr - 1 - i) )
            test_fail("round %u: spare %u (pfn %lu) dirty %d, expected %d",
                      r, i, (unsigned long)(nr - 1 - i),
                      bit(cleaned, nr - 1 - i), in_pattern(r, i));
    for ( uint64_t pfn = 0; pfn < nr; pfn++ )
        count += bit(cleaned, pfn);
    if ( count != dirty )
        test_fail("round %u: %u bits set, dirty_count %u", r, count, dirty);
    for ( uint64_t pfn = 0; pfn < nr - SPARE - QUIET; pfn++ )
        rest += bit(cleaned, pfn);
    printk("round %u: %u of %lu frames dirty, %u outside the test's\n", r,
           count, (unsigned long)nr, rest);
    if ( !exact )
        return;
    for ( unsigned int i = SPARE; i < SPARE + QUIET; i++ )
        if ( bit(cleaned, nr - 1 - i) )
            test_fail("round %u: quiet frame %u (pfn %lu) reported dirty", r,
                      i, (unsigned long)(nr - 1 - i));
    if ( rest > nr / 8 )
        test_fail("round %u: %u frames d1 did not write reported dirty", r,
                  rest);
}

static void one_round(unsigned int r, uint64_t nr, bool exact)
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
    check_round(r, nr, out.dirty_count, exact);
}

static bool enable(uint64_t nr)
{
    struct mica_domaininfo info;

    CHECK_RC(ctl_logdirty(1, MICA_LOGDIRTY_clean, nr, cleaned, NULL),
             -XEN_EINVAL);
    CHECK_RC(ctl_logdirty(1, MICA_LOGDIRTY_enable, 0, NULL, NULL),
             -XEN_EINVAL);
    CHECK_RC(ctl_logdirty(1, MICA_LOGDIRTY_enable, nr, NULL, NULL), 0);
    CHECK_RC(ctl_logdirty(1, MICA_LOGDIRTY_enable, nr, NULL, NULL),
             -XEN_EBUSY);
    if ( !CHECK_RC(ctl_getinfo(1, &info), 0) )
        return false;
    if ( !(info.flags & MICA_DOMINF_logdirty) )
        test_fail("log-dirty not shown in d1's flags");
    return info.flags & MICA_DOMINF_logdirty_exact;
}

static void dom0_main(void)
{
    struct mica_domaininfo info;
    uint64_t nr;
    bool exact;

    if ( !wait_port(ctl_port[1], WAIT) )
        return test_error("d1 never became ready");
    if ( !CHECK_RC(ctl_getinfo(1, &info), 0) )
        return;
    nr = info.tot_pages;
    if ( nr > MAX_PFNS )
        return test_error("d1 has %lu pages, more than this test handles",
                          (unsigned long)nr);
    exact = enable(nr);
    for ( unsigned int r = 0; r < ROUNDS; r++ )
        one_round(r, nr, exact);
    CHECK_RC(ctl_logdirty(1, MICA_LOGDIRTY_disable, 0, NULL, NULL), 0);
    CHECK_RC(ctl_logdirty(1, MICA_LOGDIRTY_peek, nr, peeked, NULL),
             -XEN_EINVAL);
    if ( CHECK_RC(ctl_getinfo(1, &info), 0) &&
         (info.flags & (MICA_DOMINF_logdirty | MICA_DOMINF_logdirty_exact)) )
        test_fail("log-dirty still shown after disable: %#x", info.flags);
    /* d1's "done" may merge with its last round's event: watch it stop. */
    if ( !ctl_wait_shutdown(1, 5000) )
        test_fail("d1 did not finish");
    if ( !exact && EXPECT_EXACT )
        return test_fail("tracking is not exact (no protection keys?)");
    if ( exact && !EXPECT_EXACT )
        return test_fail("exact tracking despite logdirty=coarse");
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
