/*
 * Benchmark: log-dirty mode with protection keys (docs/domctl.md).
 *
 *  1. d1's first store to each of PAGES pages it has mapped writable, in
 *     TSC cycles per page: untracked (a plain store) and tracked (each
 *     first store faults into the hypervisor, which records the frame and
 *     drops the mark), next to a null hypercall as the baseline, since
 *     the fault is one trip through the hypervisor.
 *  2. dom0's clean of d1's bitmap (copy, reset, re-arm every writable
 *     mapping with d1 paused) in cycles, next to a peek (the copy alone).
 */
#include "test.h"

const char test_title[] = "bench: log-dirty";

#define PAGES 256
#define ROUNDS 5
#define WAIT (10000 * MS)
#define MAX_PFNS 65536

static uint8_t window[PAGES][4096] __page_aligned_bss;
static uint8_t bitmap[MAX_PFNS / 8];

static void print_ratio(const char *what, uint64_t a, uint64_t b)
{
    printk("bench: ratio %s: %lu.%02lu\n", what, (unsigned long)(a / b),
           (unsigned long)(a * 100 / b % 100));
}

/* ---- d1 ---- */

static uint64_t store_all(uint8_t v)
{
    uint64_t t0 = rdtsc_ordered();

    for ( unsigned int i = 0; i < PAGES; i++ )
        *(volatile uint8_t *)&window[i][i % 4096] = v;
    return (rdtsc_ordered() - t0) / PAGES;
}

static uint64_t null_hypercall(void)
{
    uint64_t t0 = rdtsc_ordered();

    for ( unsigned int i = 0; i < PAGES; i++ )
        HYPERVISOR_xen_version(0, NULL);
    return (rdtsc_ordered() - t0) / PAGES;
}

static void writer_main(void)
{
    uint64_t plain = ~0ULL, tracked = ~0ULL, again = ~0ULL, null = ~0ULL;

    for ( unsigned int i = 0; i < PAGES; i++ )
        if ( map_frame_at(window[i], spare_mfn(i), PTE_KERNEL_RW) )
            return test_error("d1: mapping spare %u", i);
    evtchn_send(ctl_port[0]);
    for ( unsigned int r = 0; r < 2 * ROUNDS; r++ )
    {
        uint64_t first, second, n;

        if ( !wait_port(ctl_port[0], WAIT) )
            return test_error("d1: no go for round %u", r);
        first = store_all(r);
        second = store_all(r + 1);
        n = null_hypercall();
        if ( r < ROUNDS )
            plain = first < plain ? first : plain;
        else
        {
            tracked = first < tracked ? first : tracked;
            again = second < again ? second : again;
        }
        null = n < null ? n : null;
        evtchn_send(ctl_port[0]);
    }
    printk("bench: first store per page, untracked: %lu cycles\n",
           (unsigned long)plain);
    printk("bench: first store per page, log-dirty (protection-key fault): "
           "%lu cycles; second store %lu\n", (unsigned long)tracked,
           (unsigned long)again);
    printk("bench: null hypercall (xen_version): %lu cycles\n",
           (unsigned long)null);
    print_ratio("tracked first store/null hypercall", tracked, null);
    test_success();
}

/* ---- dom0 ---- */

static bool round_trip(unsigned int r)
{
    evtchn_send(ctl_port[1]);
    if ( wait_port(ctl_port[1], WAIT) )
        return true;
    test_error("d1 did not finish round %u", r);
    return false;
}

static uint64_t timed(uint32_t op, uint32_t nr)
{
    uint64_t t0 = rdtsc_ordered();

    if ( ctl_logdirty(1, op, nr, bitmap, NULL) )
        test_error("logdirty op %u failed", op);
    return rdtsc_ordered() - t0;
}

static void dom0_main(void)
{
    struct mica_domaininfo info;
    uint64_t clean = ~0ULL, peek = ~0ULL, t;
    uint32_t nr;

    if ( !wait_port(ctl_port[1], WAIT) || ctl_getinfo(1, &info) )
        return test_error("d1 never became ready");
    nr = info.tot_pages < MAX_PFNS ? info.tot_pages : MAX_PFNS;
    for ( unsigned int r = 0; r < ROUNDS; r++ )
        if ( !round_trip(r) )
            return;
    if ( ctl_logdirty(1, MICA_LOGDIRTY_enable, nr, NULL, NULL) ||
         ctl_getinfo(1, &info) )
        return test_error("enable failed");
    if ( !(info.flags & MICA_DOMINF_logdirty_exact) )
        printk("bench: note: coarse tracking, no protection keys\n");
    for ( unsigned int r = ROUNDS; r < 2 * ROUNDS; r++ )
    {
        t = timed(MICA_LOGDIRTY_clean, nr);
        clean = t < clean ? t : clean;
        t = timed(MICA_LOGDIRTY_peek, nr);
        peek = t < peek ? t : peek;
        if ( !round_trip(r) )
            return;
    }
    (void)ctl_logdirty(1, MICA_LOGDIRTY_disable, 0, NULL, NULL);
    printk("bench: clean of a %lu MiB domain's bitmap (re-arm, d1 paused): "
           "%lu cycles; peek (copy only) %lu\n", (unsigned long)nr / 256,
           (unsigned long)clean, (unsigned long)peek);
    print_ratio("clean/peek", clean, peek);
    /* Let d1 print its figures before we power the machine off. */
    if ( !ctl_wait_shutdown(1, 2000) )
        return test_error("d1 did not finish");
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
