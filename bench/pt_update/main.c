/*
 * Benchmark: validated page-table updates per second through mmu_update,
 * in batches of 1, 8, 64 and 512 entries, each next to batch size 1
 * measured in the same run (the baseline). Every update maps a data
 * frame read-only into a pinned L1 or clears the entry again, so each
 * one takes or drops a reference: the full validation path, not the
 * fast path for flag-only changes.
 *
 * The cost of one emulated PTE store (writable page tables) is not
 * measured yet: that emulation is not implemented (see issue 3's note).
 */
#include "test.h"
#include "events.h"

const char test_title[] = "bench: page-table updates";

#define TOTAL 32768
#define ROUNDS 3

static struct mmu_update reqs[512];

/* Best-of-ROUNDS cycles per update for one batch size. */
static uint64_t measure(uint64_t l1, uint64_t data, unsigned int batch)
{
    uint64_t best = ~0ULL;

    for ( unsigned int r = 0; r < ROUNDS; r++ )
    {
        uint64_t t0 = rdtsc_ordered(), per;

        for ( unsigned int done = 0; done < TOTAL; done += batch )
        {
            for ( unsigned int i = 0; i < batch; i++ )
            {
                unsigned int n = done + i;

                reqs[i].ptr = (l1 << 12) + (n % 512) * 8;
                reqs[i].val = (n / 512) & 1 ? 0 : (data << 12) | 1;
            }
            if ( HYPERVISOR_mmu_update(reqs, batch, NULL, DOMID_SELF) )
            {
                test_fail("mmu_update batch of %u failed", batch);
                return 0;
            }
        }
        per = (rdtsc_ordered() - t0) / TOTAL;
        best = per < best ? per : best;
    }
    return best;
}

void test_main(void)
{
    static const unsigned int sizes[] = { 1, 8, 64, 512 };
    struct mmuext_op pin = { .cmd = MMUEXT_PIN_L1_TABLE,
                             .arg1.mfn = spare_mfn(0) };
    uint64_t khz, base = 0;

    if ( HYPERVISOR_mmuext_op(&pin, 1, NULL, DOMID_SELF) )
    {
        test_fail("cannot pin the benchmark's L1");
        return;
    }
    if ( !map_shared_info() )
        return;
    khz = tsc_khz();
    for ( unsigned int i = 0; i < ARRAY_SIZE(sizes); i++ )
    {
        uint64_t c = measure(spare_mfn(0), spare_mfn(1), sizes[i]);

        if ( !c )
            return;
        if ( i == 0 )
            base = c;
        printk("bench: mmu_update batch %3u: %lu cycles/update, "
               "%lu updates/s, ratio to batch 1: %lu.%02lu\n", sizes[i],
               (unsigned long)c, (unsigned long)(khz * 1000 / c),
               (unsigned long)(base / c), (unsigned long)(base * 100 / c % 100));
    }
    test_success();
}
