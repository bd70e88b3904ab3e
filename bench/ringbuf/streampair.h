/*
 * The ring benchmark's baselines: ringpair's exchange over a byte stream.
 */
#ifndef MICA_BENCH_STREAMPAIR_H
#define MICA_BENCH_STREAMPAIR_H

#include <stdint.h>

#include "../../ringbuf/test/ringpair.h"

enum stream_kind
{
    STREAM_PIPE, /* a pipe each way */
    STREAM_UNIX, /* one Unix stream socket pair */
};

/*
 * Exchange `count` requests and responses with at most `window` (<= 256)
 * in flight, front end here and back end in a child process; the time it
 * took goes to *seconds. Returns 0, or -1 if anything failed.
 */
int streampair_run(enum stream_kind kind, uint64_t count, uint32_t window,
                   double *seconds);

#endif /* MICA_BENCH_STREAMPAIR_H */
