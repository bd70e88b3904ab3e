/*
 * ringbench: requests per second and round-trip latency of the ring between
 * two processes, one request at a time ("unbatched") and with the window
 * as large as the ring ("batched"), next to a pair of pipes and a Unix
 * socket doing the same exchange in the same run. Every exchange carries
 * 24-byte checksummed requests and responses, checked at both ends.
 *
 *   ringbench [unbatched-count [batched-count]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "streampair.h"

#define WINDOW  128 /* one page of 24-byte slots */
#define SPIN_NS 5000

#define ROUNDS 3 /* each figure is the best of this many runs */

enum transport
{
    OVER_PIPE,
    OVER_UNIX,
    OVER_RING,
    OVER_RING_SPIN,
};

struct result
{
    const char *name;
    enum transport how;
    uint64_t count;
    double seconds; /* the best run's */
};

/* One run of `r`'s exchange; its time goes to *seconds. 0 or -1. */
static int run_once(const struct result *r, uint32_t window, double *seconds)
{
    struct ringpair_cfg cfg = {
        .count = r->count,
        .window = window,
        .ring_pages = 1,
        .spin_ns = r->how == OVER_RING_SPIN ? SPIN_NS : 0,
    };
    struct ringpair_stats st;

    if ( r->how == OVER_PIPE )
        return streampair_run(STREAM_PIPE, r->count, window, seconds);
    if ( r->how == OVER_UNIX )
        return streampair_run(STREAM_UNIX, r->count, window, seconds);
    if ( ringpair_run(&cfg, &st) )
        return -1;
    *seconds = st.seconds;
    return 0;
}

static double rate(const struct result *r)
{
    return (double)r->count / r->seconds;
}

/* Latency of `r`, and its ratio to each baseline's (< 1: the ring wins). */
static void print_unbatched(const struct result *r, const struct result *pipe,
                            const struct result *unix_)
{
    double us = r->seconds / (double)r->count * 1e6;

    printf("  bench: %-26s %7.2f us round trip, %8.0f req/s", r->name, us,
           rate(r));
    if ( pipe )
        printf("; latency ratio to pipe %.2f, to unix socket %.2f",
               rate(pipe) * us / 1e6, rate(unix_) * us / 1e6);
    printf("\n");
}

/* Rate of `r`, and its ratio to each baseline's (> 1: the ring wins). */
static void print_batched(const struct result *r, const struct result *pipe,
                          const struct result *unix_)
{
    printf("  bench: %-26s %7.2f M req/s", r->name, rate(r) / 1e6);
    if ( pipe )
        printf("; rate ratio to pipe %.2f, to unix socket %.2f",
               rate(r) / rate(pipe), rate(r) / rate(unix_));
    printf("\n");
}

/*
 * Run every exchange with `window` ROUNDS times, interleaved so that a
 * burst of load elsewhere hits them all alike; print the best of each.
 */
static int compare(uint64_t count, uint32_t window, const char *what,
                   void (*print)(const struct result *, const struct result *,
                                 const struct result *))
{
    struct result r[4] = {
        {"pipe", OVER_PIPE, count, 0},
        {"unix socket", OVER_UNIX, count, 0},
        {"ring", OVER_RING, count, 0},
        {"ring, spinning 5 us", OVER_RING_SPIN, count, 0},
    };
    double t;
    int i, round;

    for ( round = 0; round < ROUNDS; round++ )
        for ( i = 0; i < 4; i++ )
        {
            if ( run_once(&r[i], window, &t) )
                return -1;
            if ( round == 0 || t < r[i].seconds )
                r[i].seconds = t;
        }
    printf("  %s (window %u, %llu exchanges, best of %d):\n", what, window,
           (unsigned long long)count, ROUNDS);
    print(&r[0], NULL, NULL);
    print(&r[1], NULL, NULL);
    for ( i = 2; i < 4; i++ )
        print(&r[i], &r[0], &r[1]);
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t one = argc > 1 ? strtoull(argv[1], NULL, 0) : 100000;
    uint64_t many = argc > 2 ? strtoull(argv[2], NULL, 0) : 2000000;

    alarm(120); /* a benchmark that hangs should not hang make bench */
    printf("  two processes, 24-byte checked requests and responses\n");
    if ( compare(one, 1, "unbatched", print_unbatched) ||
         compare(many, WINDOW, "batched", print_batched) )
    {
        fprintf(stderr, "ringbench: an exchange failed\n");
        return 1;
    }
    return 0;
}
