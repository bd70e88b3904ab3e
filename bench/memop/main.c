/*
 * Benchmark: ballooning through memory_op. Each round gives frames back
 * with decrease_reservation and takes as many again with
 * populate_physmap (allocation, zeroing, M2P update; freeing scrubs), in
 * batches of 1, 64 and 512 extents. The figure is frames per second for
 * the round trip; the baseline is batch size 1 measured in the same run.
 * Frames are the last pfns of dom0, which nothing maps.
 */
#include "test.h"
#include "events.h"
#include <public/memory.h>

const char test_title[] = "bench: memory_op balloon";

#define TOTAL 8192
#define ROUNDS 3

static uint64_t list[512];

static long memop(unsigned int op, uint64_t *l, unsigned int n)
{
    struct xen_memory_reservation r = { .extent_start = GADDR(l),
                                        .nr_extents = n,
                                        .domid = DOMID_SELF };

    return hypercall2(__HYPERVISOR_memory_op, op, GADDR(&r));
}

/* Give back and refill pfns [first, first + n); false on a short count. */
static bool round_trip(uint64_t first, unsigned int n)
{
    uint64_t *p2m = (uint64_t *)(uintptr_t)start_info->mfn_list;

    for ( unsigned int i = 0; i < n; i++ )
        list[i] = p2m[first + i];
    if ( memop(XENMEM_decrease_reservation, list, n) != n )
        return false;
    for ( unsigned int i = 0; i < n; i++ )
        list[i] = first + i;
    if ( memop(XENMEM_populate_physmap, list, n) != n )
        return false;
    for ( unsigned int i = 0; i < n; i++ )
        p2m[first + i] = list[i];
    return true;
}

/* Best-of-ROUNDS cycles per frame for one batch size. */
static uint64_t measure(unsigned int batch)
{
    uint64_t first = start_info->nr_pages - 512, best = ~0ULL;

    for ( unsigned int r = 0; r < ROUNDS; r++ )
    {
        uint64_t t0 = rdtsc_ordered(), per;

        for ( unsigned int done = 0; done < TOTAL; done += batch )
            if ( !round_trip(first + done % 512, batch) )
            {
                test_fail("memory_op round trip of %u failed", batch);
                return 0;
            }
        per = (rdtsc_ordered() - t0) / TOTAL;
        best = per < best ? per : best;
    }
    return best;
}

void test_main(void)
{
    static const unsigned int sizes[] = { 1, 64, 512 };
    uint64_t khz, base = 0;

    if ( !map_shared_info() )
        return;
    khz = tsc_khz();
    for ( unsigned int i = 0; i < ARRAY_SIZE(sizes); i++ )
    {
        uint64_t c = measure(sizes[i]);

        if ( !c )
            return;
        if ( i == 0 )
            base = c;
        printk("bench: memory_op balloon batch %3u: %lu cycles/frame, "
               "%lu frames/s, ratio to batch 1: %lu.%02lu\n", sizes[i],
               (unsigned long)c, (unsigned long)(khz * 1000 / c),
               (unsigned long)(base / c),
               (unsigned long)(base * 100 / c % 100));
    }
    test_success();
}
