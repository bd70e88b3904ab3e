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
#define SPIN_NS 50000

struct result
{
    const char *name;
    double seconds;
    uint64_t count;
};

static int run_ring(struct result *r, uint32_t window, uint32_t spin_ns)
{
    struct ringpair_cfg cfg = {
        .count = r->count,
        .window = window,
        .ring_pages = 1,
        .spin_ns = spin_ns,
    };
    struct ringpair_stats st;

    if ( ringpair_run(&cfg, &st) )
        return -1;
    r->seconds = st.seconds;
    return 0;
}

static int run_stream(struct result *r, enum stream_kind kind, uint32_t window)
{
    return streampair_run(kind, r->count, window, &r->seconds);
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

/* Run every exchange with `window`, then print them with `print`. */
static int compare(uint64_t count, uint32_t window, const char *how,
                   void (*print)(const struct result *, const struct result *,
                                 const struct result *))
{
    struct result r[4] = {
        {"pipe", 0, count},
        {"unix socket", 0, count},
        {"ring", 0, count},
        {"ring, spinning 50 us", 0, count},
    };
    int i;

    if ( run_stream(&r[0], STREAM_PIPE, window) ||
         run_stream(&r[1], STREAM_UNIX, window) || run_ring(&r[2], window, 0) ||
         run_ring(&r[3], window, SPIN_NS) )
        return -1;
    printf("  %s (window %u, %llu exchanges each):\n", how, window,
           (unsigned long long)count);
    print(&r[0], NULL, NULL);
    print(&r[1], NULL, NULL);
    for ( i = 2; i < 4; i++ )
        print(&r[i], &r[0], &r[1]);
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t one = argc > 1 ? strtoull(argv[1], NULL, 0) : 200000;
    uint64_t many = argc > 2 ? strtoull(argv[2], NULL, 0) : 5000000;

    alarm(120); /* a benchmark that hangs should not hang make bench */
    printf("  two processes, 24-byte requests and responses, window %u "
           "when batched\n",
           WINDOW);
    if ( compare(one, 1, "unbatched", print_unbatched) ||
         compare(many, WINDOW, "batched", print_batched) )
    {
        fprintf(stderr, "ringbench: an exchange failed\n");
        return 1;
    }
    return 0;
}
