/*
 * Benchmark: the round trip of a null hypercall, next to the bare
 * entry/exit path measured in the same run.
 *
 * xen_version(XENVER_version) is the cheapest real hypercall (Linux uses
 * it to force event delivery). Hypercall 63 exists only in debug builds
 * and returns at the top of the dispatcher, so the difference between the
 * two is what dispatch and the handler cost. Each figure is the best of
 * several rounds' averages, in TSC cycles as the guest sees them.
 */
#include "test.h"

const char test_title[] = "bench: null hypercall";

#define ROUNDS 7
#define CALLS 20000
#define HYPERCALL_NULL 63

static uint64_t measure(unsigned long nr, uint64_t arg, long expect)
{
    uint64_t best = ~0ULL;

    for ( unsigned int r = 0; r < ROUNDS; r++ )
    {
        uint64_t t0 = rdtsc_ordered(), per;

        for ( unsigned int i = 0; i < CALLS; i++ )
        {
            long rc = hypercall_raw(nr, arg, 0, 0, 0, 0);

            if ( rc != expect )
            {
                test_fail("hypercall %lu returned %ld", nr, rc);
                return 0;
            }
        }
        per = (rdtsc_ordered() - t0) / CALLS;
        if ( per < best )
            best = per;
    }
    return best;
}

void test_main(void)
{
    long version = hypercall_raw(__HYPERVISOR_xen_version, XENVER_version,
                                 0, 0, 0, 0);
    uint64_t full, bare;

    bare = measure(HYPERCALL_NULL, 0, 0);
    if ( !bare )
    {
        test_skip("no bare hypercall: not a debug build");
        return;
    }
    full = measure(__HYPERVISOR_xen_version, XENVER_version, version);
    if ( !full )
        return;
    printk("bench: xen_version(0) round trip: %lu cycles\n",
           (unsigned long)full);
    printk("bench: bare entry/exit (hypercall 63): %lu cycles\n",
           (unsigned long)bare);
    printk("bench: ratio xen_version/bare: %lu.%02lu\n",
           (unsigned long)(full / bare),
           (unsigned long)(full * 100 / bare % 100));
    test_success();
}
