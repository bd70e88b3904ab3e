/*
 * The baselines for the ring benchmark: the same exchange as ringpair_run()
 * (the same requests and responses, checked the same way, between two
 * processes) over a byte stream: a pair of pipes or a Unix stream socket.
 *
 * The front end writes as many requests as its window allows in one
 * write(), then reads whatever responses have come; the back end reads
 * whatever requests have come and answers them all in one write(). With a
 * window of 1 that is a plain ping-pong. Records may arrive split across
 * reads, so each side keeps the tail of a partial record for the next one.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "streampair.h"

#define BATCH_MAX 256 /* records per read() or write() */

struct stream
{
    int fd;
    size_t have; /* bytes of a partial record kept in buf */
    unsigned char buf[BATCH_MAX * sizeof(struct rp_rsp)];
};

_Static_assert(sizeof(struct rp_req) == sizeof(struct rp_rsp),
               "one record size for both directions");

#define RECORD sizeof(struct rp_req)

static int write_all(int fd, const void *buf, size_t len)
{
    const unsigned char *p = buf;
    ssize_t n;

    while ( len )
    {
        n = write(fd, p, len);
        if ( n < 0 && errno == EINTR )
            continue;
        if ( n <= 0 )
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/*
 * Read what has come (blocking until something has, at most `max_records`
 * worth); returns the number of whole records now at the start of s->buf.
 */
static long read_records(struct stream *s, size_t max_records)
{
    size_t want = max_records * RECORD;
    ssize_t n;

    do
        n = read(s->fd, s->buf + s->have, want - s->have);
    while ( n < 0 && errno == EINTR );
    if ( n <= 0 )
        return -1;
    s->have += (size_t)n;
    return (long)(s->have / RECORD);
}

/* Drop `records` whole records from the front of s->buf. */
static void consume(struct stream *s, long records)
{
    size_t used = (size_t)records * RECORD;

    memmove(s->buf, s->buf + used, s->have - used);
    s->have -= used;
}

static int back_loop(int in, int out, uint64_t count)
{
    static struct stream s;
    struct rp_rsp rsp[BATCH_MAX];
    struct rp_req req;
    uint64_t done = 0;
    long n, i;

    s.fd = in;
    while ( done < count )
    {
        n = read_records(&s, BATCH_MAX);
        if ( n < 0 )
            return -1;
        for ( i = 0; i < n; i++ )
        {
            memcpy(&req, s.buf + (size_t)i * RECORD, RECORD);
            if ( ringpair_answer(&req, done++, &rsp[i]) )
                return -1;
        }
        consume(&s, n);
        if ( n && write_all(out, rsp, (size_t)n * RECORD) )
            return -1;
    }
    return 0;
}

/* Send up to `room` requests from *sent in one write. */
static int send_batch(int out, uint64_t *sent, uint64_t count, uint64_t room)
{
    struct rp_req req[BATCH_MAX];
    uint64_t n = 0;

    while ( n < room && n < BATCH_MAX && *sent < count )
        req[n++] = ringpair_request((*sent)++);
    return n ? write_all(out, req, n * RECORD) : 0;
}

static int front_loop(int in, int out, uint64_t count, uint32_t window)
{
    static struct stream s;
    struct rp_rsp rsp;
    uint64_t sent = 0, recvd = 0;
    long n, i;

    s.fd = in;
    while ( recvd < count )
    {
        if ( send_batch(out, &sent, count, window - (sent - recvd)) )
            return -1;
        n = read_records(&s, BATCH_MAX);
        if ( n < 0 )
            return -1;
        for ( i = 0; i < n; i++ )
        {
            memcpy(&rsp, s.buf + (size_t)i * RECORD, RECORD);
            if ( ringpair_check_response(&rsp, recvd++) )
                return -1;
        }
        consume(&s, n);
    }
    return 0;
}

/* Two one-way channels: [0] front -> back, [1] back -> front. */
static int open_channels(enum stream_kind kind, int fds[2][2])
{
    int sv[2];

    if ( kind == STREAM_PIPE )
        return pipe(fds[0]) || pipe(fds[1]) ? -1 : 0;
    if ( socketpair(AF_UNIX, SOCK_STREAM, 0, sv) )
        return -1;
    fds[0][0] = sv[1]; /* the back end reads its end */
    fds[0][1] = sv[0];
    fds[1][0] = sv[0];
    fds[1][1] = sv[1];
    return 0;
}

int streampair_run(enum stream_kind kind, uint64_t count, uint32_t window,
                   double *seconds)
{
    struct timespec t0, t1;
    int fds[2][2], status, rc;
    pid_t pid;

    if ( window > BATCH_MAX || open_channels(kind, fds) )
        return -1;
    pid = fork();
    if ( pid < 0 )
        return -1;
    if ( pid == 0 )
    {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        _exit(back_loop(fds[0][0], fds[1][1], count) ? 1 : 0);
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = front_loop(fds[1][0], fds[0][1], count, window);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    *seconds = (double)(t1.tv_sec - t0.tv_sec) +
               (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    if ( rc )
        kill(pid, SIGKILL);
    if ( waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
         WEXITSTATUS(status) )
        rc = -1;
    close(fds[0][0]);
    close(fds[0][1]);
    if ( kind == STREAM_PIPE )
    {
        close(fds[1][0]);
        close(fds[1][1]);
    }
    return rc;
}
