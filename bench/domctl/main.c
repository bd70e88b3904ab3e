/*
 * Benchmark: the mini builder (test/guests/lib/builder.c) through the
 * control interface.
 *
 *  1. create + build + start + destroy of a 64 MiB domain running a PV
 *     test kernel that powers off at once (this kernel, as dom0's
 *     ramdisk, with role=child), averaged over CYCLES. Baseline: dom0
 *     writing 64 MiB of its own memory (memset), the least any builder
 *     that hands out 64 MiB of zeroed memory must cost.
 *  2. foreign-map throughput: every frame of a 64 MiB domain mapped in
 *     batches of FOREIGN_SLOTS pages (one multicall each), copied out
 *     with memcpy and unmapped. Baseline: memcpy of the same number of
 *     bytes from one of dom0's own buffers of the batch's size (a source
 *     spread over megabytes is several times slower under QEMU's software
 *     TLB, which would flatter the foreign path). The ratio is the
 *     baseline's throughput over ours: how many times slower mapping is.
 *
 * Times are system time (ns) from the pvclock.
 */
#include "test.h"
#include "builder.h"

const char test_title[] = "bench: domctl builder and foreign mappings";

#define DOM_PAGES 16384                 /* 64 MiB */
#define CYCLES 3
#define BATCH (FOREIGN_SLOTS * 4096)

static struct child child;
static uint8_t buf_a[8 << 20], buf_b[BATCH];
static uint64_t mfns[DOM_PAGES];

static void print_pair(const char *what, uint64_t a, uint64_t b,
                       const char *unit)
{
    printk("bench: %s: %lu %s (baseline %lu %s, ratio %lu.%02lu)\n", what,
           (unsigned long)a, unit, (unsigned long)b, unit,
           (unsigned long)(a / b), (unsigned long)(a * 100 / b % 100));
}

static uint64_t one_cycle(const void *elf, size_t len)
{
    uint64_t t0 = system_time();

    if ( child_build(&child, elf, len, DOM_PAGES, "role=child") ||
         child_attach_console(&child) ||
         child_run(&child, 30000 * MS) || child_destroy(&child) )
    {
        test_error("cycle failed: %s", child.out);
        return 0;
    }
    return system_time() - t0;
}

static uint64_t memset_64m(void)
{
    uint64_t t0 = system_time();

    for ( unsigned int i = 0; i < (64 << 20) / sizeof(buf_a); i++ )
        memset(buf_a, i + 1, sizeof(buf_a));
    return system_time() - t0;
}

static void builder_bench(const void *elf, size_t len)
{
    uint64_t total = 0, base;

    one_cycle(elf, len);                /* warm up */
    for ( unsigned int i = 0; i < CYCLES; i++ )
        total += one_cycle(elf, len);
    base = memset_64m();
    if ( total && base )
        print_pair("create+build+start+destroy 64 MiB domain (ms)",
                   total / CYCLES / 1000000, base / 1000000 ? base / 1000000
                                                             : 1, "ms");
}

static void map_bench(void)
{
    uint64_t t0, t_map, t_copy, mb = (uint64_t)DOM_PAGES * 4096 >> 20;
    domid_t d;

    if ( ctl_create(DOM_PAGES * 4, &d) )
        return test_error("cannot create the domain to map");
    for ( uint32_t pfn = 0; pfn < DOM_PAGES; pfn += MICA_POPULATE_MAX )
        if ( ctl_populate(d, pfn, MICA_POPULATE_MAX, &mfns[pfn]) )
            return test_error("cannot populate pfn %u", pfn);
    t0 = system_time();
    for ( uint32_t pfn = 0; pfn < DOM_PAGES; pfn += FOREIGN_SLOTS )
    {
        if ( foreign_map(d, &mfns[pfn], FOREIGN_SLOTS, false) )
            return test_error("cannot map pfn %u", pfn);
        memcpy(buf_b, foreign_window(), BATCH);
        foreign_unmap(FOREIGN_SLOTS);
    }
    t_map = system_time() - t0;
    t0 = system_time();
    for ( uint32_t pfn = 0; pfn < DOM_PAGES; pfn += FOREIGN_SLOTS )
        memcpy(buf_b, buf_a, BATCH);
    t_copy = system_time() - t0;
    domctl_simple(MICA_DOMCTL_destroy, d);
    /* Throughput ratio: the baseline's MB/s over ours, i.e. t_map/t_copy. */
    printk("bench: foreign map+copy+unmap: %lu MB/s (baseline memcpy %lu "
           "MB/s, ratio %lu.%02lu)\n",
           (unsigned long)(mb * 1000000000ULL / t_map),
           (unsigned long)(mb * 1000000000ULL / t_copy),
           (unsigned long)(t_map / t_copy),
           (unsigned long)(t_map * 100 / t_copy % 100));
}

void test_main(void)
{
    if ( cmdline_has("role") )
        return test_success();
    if ( !map_shared_info() )
        return;
    if ( !start_info->mod_len )
        return test_error("no child kernel as ramdisk");
    builder_bench((const void *)(uintptr_t)start_info->mod_start,
                  start_info->mod_len);
    map_bench();
    test_success();
}
