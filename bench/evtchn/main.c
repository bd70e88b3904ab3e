/*
 * Benchmark: the round trip of an event between two domains.
 *
 * dom0 sends on an interdomain port and polls until d1's answer is
 * pending; d1 polls, answers, polls again. One round trip is two sends,
 * two polls that block, two vCPU switches and two wake-ups. Baselines
 * measured in the same run: the null hypercall (xen_version) and the
 * same round trip within one domain (send to our own IPI port, then
 * poll and clear it; no switch). Figures are TSC cycles as the guest
 * sees them, the best of several rounds' averages.
 */
#include "test.h"

const char test_title[] = "bench: event channel round trip";

#define ROUNDS 5
#define TRIPS 2000

/* Block until `port` is pending, then clear it. */
static void await(uint32_t port)
{
    struct sched_poll p = { .ports = GADDR(&port), .nr_ports = 1 };

    while ( !evtchn_test_and_clear(port) )
        HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

static uint64_t best_of(uint32_t port, bool hypercall_only)
{
    uint64_t best = ~0ULL;

    for ( unsigned int r = 0; r < ROUNDS; r++ )
    {
        uint64_t t0 = rdtsc_ordered(), per;

        for ( unsigned int i = 0; i < TRIPS; i++ )
        {
            if ( hypercall_only )
            {
                HYPERVISOR_xen_version(0, NULL);
                continue;
            }
            evtchn_send(port);
            await(port);
        }
        per = (rdtsc_ordered() - t0) / TRIPS;
        best = per < best ? per : best;
    }
    return best;
}

static void print_ratio(const char *what, uint64_t a, uint64_t b)
{
    printk("bench: ratio %s: %lu.%02lu\n", what, (unsigned long)(a / b),
           (unsigned long)(a * 100 / b % 100));
}

static void dom0_main(void)
{
    long port = evtchn_alloc_unbound(DOMID_SELF, 1), ipi = evtchn_bind_ipi(0);
    uint64_t inter, local, null, khz;

    if ( port <= 0 || ipi <= 0 )
        return test_error("ports: %ld %ld", port, ipi);
    await(port);                        /* d1 bound: its bind's event */
    inter = best_of(port, false);
    local = best_of(ipi, false);
    null = best_of(0, true);
    khz = tsc_khz();
    printk("bench: interdomain event round trip: %lu cycles, %lu per second\n",
           (unsigned long)inter, (unsigned long)(khz * 1000 / inter));
    printk("bench: same-domain round trip (IPI port): %lu cycles\n",
           (unsigned long)local);
    printk("bench: null hypercall (xen_version): %lu cycles\n",
           (unsigned long)null);
    print_ratio("interdomain/null hypercall", inter, null);
    print_ratio("interdomain/same-domain", inter, local);
    test_success();
}

static void echo_main(void)
{
    long port = evtchn_bind_retry(0, nr_domus + 1, 1000);

    if ( port < 0 )
        return test_error("bind: %ld", port);
    evtchn_send(port);
    for ( ;; )
    {
        await(port);
        evtchn_send(port);
    }
}

void test_main(void)
{
    if ( !multi_init() )
        return;
    if ( my_domid == 0 )
        dom0_main();
    else
        echo_main();
}
