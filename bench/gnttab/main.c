/*
 * Benchmark: grant map+unmap, and grant copy throughput.
 *
 * One domain grants its own pages to itself (Xen allows a domain to map
 * its own grants, and the path through the hypervisor is the same as for
 * a foreign one): ref 8 for mapping, ref 9 as a copy destination.
 *
 *  - map+unmap: GNTTABOP_map_grant_ref then unmap_grant_ref of one page
 *    at a virtual address, in TSC cycles per pair; baseline: the same
 *    PTE set and cleared with two update_va_mapping calls.
 *  - copy: GNTTABOP_copy of 4 KiB from one of our frames into the grant,
 *    16 items per hypercall, in MB/s; baseline: memcpy of the same
 *    4 KiB pages inside the guest.
 *
 * Figures are the best of ROUNDS averages, as the guest's TSC sees them.
 */
#include "test.h"
#include "grant.h"

const char test_title[] = "bench: grant tables";

#define ROUNDS 5
#define PAIRS 2000
#define BATCH 16
#define COPIES 256              /* hypercalls per round */

static uint8_t table_page[4096] __page_aligned_bss;
static uint8_t granted[2][4096] __page_aligned_bss;
static uint8_t window[4096] __page_aligned_bss;
static uint8_t src[BATCH][4096] __page_aligned_bss;

static volatile grant_entry_v1_t *self_grant(void)
{
    volatile grant_entry_v1_t *gt = gnt_map_own_table(table_page);

    if ( !gt )
        return NULL;
    for ( unsigned int i = 0; i < 2; i++ )
    {
        gt[8 + i].domid = 0;
        gt[8 + i].frame = virt_to_mfn(granted[i]);
        __atomic_store_n(&gt[8 + i].flags, GTF_permit_access,
                         __ATOMIC_RELEASE);
    }
    return gt;
}

/* Cycles per map+unmap pair (grant), or per set+clear pair (baseline). */
static uint64_t pair_cycles(bool grant)
{
    uint64_t best = ~0ULL, w = (uintptr_t)window;
    uint64_t pte = (virt_to_mfn(granted[0]) << 12) | PTE_KERNEL_RW;

    for ( unsigned int r = 0; r < ROUNDS; r++ )
    {
        uint64_t t0 = rdtsc_ordered(), per;
        grant_handle_t h = 0;

        for ( unsigned int i = 0; i < PAIRS; i++ )
        {
            if ( grant )
            {
                gnt_map(0, 8, w, GNTMAP_host_map, &h, NULL);
                gnt_unmap(w, h);
                continue;
            }
            HYPERVISOR_update_va_mapping(w, pte, UVMF_INVLPG | UVMF_LOCAL);
            HYPERVISOR_update_va_mapping(w, 0, UVMF_INVLPG | UVMF_LOCAL);
        }
        per = (rdtsc_ordered() - t0) / PAIRS;
        best = per < best ? per : best;
    }
    return best;
}

/* Cycles for COPIES * BATCH page copies, by grant copy or memcpy. */
static uint64_t copy_cycles(bool grant)
{
    static struct gnttab_copy ops[BATCH];
    uint64_t best = ~0ULL;

    for ( unsigned int i = 0; i < BATCH; i++ )
    {
        struct gnttab_copy op = {
            .source = { .u.gmfn = virt_to_mfn(src[i]), .domid = DOMID_SELF },
            .dest = { .u.ref = 9, .domid = 0 },
            .len = 4096, .flags = GNTCOPY_dest_gref,
        };

        ops[i] = op;
        memset(src[i], i + 1, 4096);
    }
    for ( unsigned int r = 0; r < ROUNDS; r++ )
    {
        uint64_t t0 = rdtsc_ordered(), t;

        for ( unsigned int c = 0; c < COPIES; c++ )
        {
            if ( grant )
            {
                HYPERVISOR_grant_table_op(GNTTABOP_copy, ops, BATCH);
                continue;
            }
            for ( unsigned int i = 0; i < BATCH; i++ )
                memcpy(granted[1], src[i], 4096);
        }
        t = rdtsc_ordered() - t0;
        best = t < best ? t : best;
    }
    return best;
}

static void print_ratio(const char *what, uint64_t a, uint64_t b)
{
    printk("bench: ratio %s: %lu.%02lu\n", what, (unsigned long)(a / b),
           (unsigned long)(a * 100 / b % 100));
}

/* Bytes copied in `cycles` at khz, as MB/s (10^6 bytes). */
static uint64_t mb_per_s(uint64_t cycles, uint64_t khz)
{
    uint64_t bytes = (uint64_t)COPIES * BATCH * 4096;

    return bytes * khz / cycles / 1000;
}

void test_main(void)
{
    uint64_t gmap, pte, gcopy, mcopy, khz;
    struct gnttab_copy check = {
        .source = { .u.gmfn = virt_to_mfn(src[0]), .domid = DOMID_SELF },
        .dest = { .u.ref = 9, .domid = 0 }, .len = 4096,
        .flags = GNTCOPY_dest_gref,
    };
    grant_handle_t h;

    if ( !map_shared_info() )
        return;
    if ( !self_grant() )
        return test_error("cannot set up a grant to ourselves");
    /* Both paths must work before they are timed. */
    if ( gnt_map(0, 8, (uintptr_t)window, GNTMAP_host_map, &h, NULL) ||
         gnt_unmap((uintptr_t)window, h) ||
         HYPERVISOR_grant_table_op(GNTTABOP_copy, &check, 1) ||
         check.status )
        return test_error("grant map or copy failed");
    gmap = pair_cycles(true);
    pte = pair_cycles(false);
    gcopy = copy_cycles(true);
    mcopy = copy_cycles(false);
    if ( granted[1][4095] != BATCH )
        return test_error("copies did not land");
    khz = tsc_khz();
    printk("bench: grant map+unmap: %lu cycles\n", (unsigned long)gmap);
    printk("bench: PTE set+clear (2x update_va_mapping): %lu cycles\n",
           (unsigned long)pte);
    print_ratio("grant map+unmap/update_va_mapping pair", gmap, pte);
    printk("bench: grant copy (4 KiB items, %u per call): %lu MB/s\n",
           BATCH, (unsigned long)mb_per_s(gcopy, khz));
    printk("bench: memcpy in the guest (4 KiB): %lu MB/s\n",
           (unsigned long)mb_per_s(mcopy, khz));
    print_ratio("grant copy/memcpy throughput", mcopy, gcopy);
    test_success();
}
