/*
 * ringbuf-stress: a producer and a consumer exchange COUNT numbered,
 * checksummed requests and responses over a shared ring and the eventfd
 * event channel (see ringpair.h). Exits 0 only if every entry arrived once,
 * in order and intact, and no end ever waited a second for a wake-up.
 *
 *   ringbuf-stress [-t] [-x] [-d domid] [-w window] [-p pages] [-s spin_ns]
 *                  COUNT
 *
 * -t runs the consumer in a thread instead of a process (for
 * ThreadSanitizer, which cannot see across processes).
 * -x runs it inside a Xen (or Mica) domain over /dev/xen/gntalloc, gntdev
 * and evtchn instead of anonymous memory and eventfds; -d names that
 * domain (default 0: dom0).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ringpair.h"

static int usage(void)
{
    fprintf(stderr, "usage: ringbuf-stress [-t] [-x] [-d domid] [-w window] "
                    "[-p pages] [-s spin_ns] COUNT\n");
    return 2;
}

int main(int argc, char **argv)
{
    struct ringpair_cfg cfg = {.window = 1u << 30, .ring_pages = 1};
    struct ringpair_stats st;
    int opt;

    while ( (opt = getopt(argc, argv, "txd:w:p:s:")) != -1 )
    {
        if ( opt == 't' )
            cfg.threads = true;
        else if ( opt == 'x' )
            cfg.xen = true;
        else if ( opt == 'd' )
            cfg.domid = (uint16_t)strtoul(optarg, NULL, 0);
        else if ( opt == 'w' )
            cfg.window = (uint32_t)strtoul(optarg, NULL, 0);
        else if ( opt == 'p' )
            cfg.ring_pages = (uint32_t)strtoul(optarg, NULL, 0);
        else if ( opt == 's' )
            cfg.spin_ns = (uint32_t)strtoul(optarg, NULL, 0);
        else
            return usage();
    }
    if ( optind != argc - 1 || cfg.window == 0 )
        return usage();
    cfg.count = strtoull(argv[optind], NULL, 0);
    if ( ringpair_run(&cfg, &st) )
    {
        fprintf(stderr, "ringbuf-stress: FAILED\n");
        return 1;
    }
    printf("  %llu requests and responses, %s, %s, ",
           (unsigned long long)cfg.count, cfg.threads ? "threads" : "processes",
           cfg.xen ? "gntalloc/gntdev/evtchn" : "shared memory/eventfd");
    if ( cfg.window >= 1u << 30 )
        printf("window: the ring");
    else
        printf("window %u", cfg.window);
    printf(
        ", %u page(s): %.2f s, %.2f M/s; notifications %llu/%llu, "
        "sleeps %llu/%llu (front/back)\n",
        cfg.ring_pages, st.seconds, (double)cfg.count / st.seconds / 1e6,
        (unsigned long long)st.front_notify, (unsigned long long)st.back_notify,
        (unsigned long long)st.front_waits, (unsigned long long)st.back_waits);
    return 0;
}
