/*
 * Benchmark: validated page-table updates per second through mmu_update,
 * in batches of 1, 8, 64 and 512 entries, each next to batch size 1
 * measured in the same run (the baseline). Every update maps a data
 * frame read-only into a pinned L1 or clears the entry again, so each
 * one takes or drops a reference: the full validation path, not the
 * fast path for flag-only changes.
 *
 * Then the cost of one emulated PTE store (writable page tables: a
 * plain store to the read-only mapped L1 that the hypervisor decodes and
 * applies) next to one mmu_update of the same entry, the baseline.
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

/* Best-of-ROUNDS cycles per emulated store into the L1 at `map`. */
static uint64_t measure_store(volatile uint64_t *map, uint64_t data)
{
    uint64_t best = ~0ULL;

    for ( unsigned int r = 0; r < ROUNDS; r++ )
    {
        uint64_t t0 = rdtsc_ordered(), per;

        for ( unsigned int n = 0; n < TOTAL; n++ )
            map[n % 512] = (n / 512) & 1 ? 0 : (data << 12) | 1;
        per = (rdtsc_ordered() - t0) / TOTAL;
        best = per < best ? per : best;
    }
    return best;
}

static void bench_emulated_store(uint64_t l1, uint64_t data, uint64_t khz,
                                 uint64_t hypercall)
{
    volatile uint64_t *map = scratch_map(l1, 1);     /* read-only */
    uint64_t c;

    if ( !map || HYPERVISOR_vm_assist(VMASST_CMD_enable,
                                      VMASST_TYPE_writable_pagetables) )
    {
        test_fail("cannot set up the emulated-store benchmark");
        return;
    }
    c = measure_store(map, data);
    scratch_unmap();
    printk("bench: emulated PTE store: %lu cycles/update, %lu updates/s, "
           "ratio to one mmu_update: %lu.%02lu\n", (unsigned long)c,
           (unsigned long)(khz * 1000 / c), (unsigned long)(c / hypercall),
           (unsigned long)(c * 100 / hypercall % 100));
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
    bench_emulated_store(spare_mfn(0), spare_mfn(1), khz, base);
    test_success();
}
