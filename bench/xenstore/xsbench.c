/*
 * xenstore throughput over the unix socket, through libmicastore.
 *
 *   xsbench run <socket> read|write|txn <clients> <seconds>
 *   xsbench mem <socket> <daemon pid>      RSS growth for 10,000 nodes
 *   xsbench echo <socket>                  a store-less server that only
 *                                          frames replies: the floor
 *
 * read: 9 reads to 1 write over 1,000 keys; write: 9 writes to 1 read;
 * txn: a transaction reading two keys and writing a third, retried on
 * EAGAIN (counted once, when it commits).  Clients are processes.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "micastore.h"
#include "xenstore_wire.h"

#define KEYS 1000

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct mstore *open_or_die(const char *sock)
{
    struct mstore *h = mstore_open(sock, MSTORE_SOCKET_ONLY);

    if ( !h )
    {
        fprintf(stderr, "xsbench: cannot connect to %s: %s\n", sock,
                strerror(errno));
        exit(1);
    }
    return h;
}

static void key(char *buf, unsigned int i)
{
    snprintf(buf, 32, "/bench/k%u", i % KEYS);
}

static int txn_body(struct mstore *h, mstore_txn_t t, void *arg)
{
    unsigned int *seed = arg;
    char k[32], *v;
    size_t len;
    int rc, i;

    for ( i = 0; i < 2; i++ )
    {
        key(k, rand_r(seed));
        rc = mstore_read(h, t, k, &v, &len);
        if ( rc )
            return rc;
        free(v);
    }
    key(k, rand_r(seed));
    return mstore_write(h, t, k, "t", 1);
}

static int one_op(struct mstore *h, const char *mix, unsigned int *seed,
                  unsigned long n)
{
    char k[32], *v;
    size_t len;
    int rc;
    bool rd = !strcmp(mix, "read") ? n % 10 != 9 : n % 10 == 9;

    if ( !strcmp(mix, "txn") )
        return mstore_transact(h, txn_body, seed, 1000);
    key(k, rand_r(seed));
    if ( !rd )
        return mstore_write(h, 0, k, "value-of-a-key", 14);
    rc = mstore_read(h, 0, k, &v, &len);
    if ( !rc )
        free(v);
    return rc;
}

static unsigned long client(const char *sock, const char *mix, double secs,
                            unsigned int seed)
{
    struct mstore *h = open_or_die(sock);
    unsigned long n = 0;
    double end = now() + secs;

    while ( now() < end )
        for ( int i = 0; i < 64; i++, n++ )
            if ( one_op(h, mix, &seed, n) )
            {
                fprintf(stderr, "xsbench: %s op failed\n", mix);
                exit(1);
            }
    mstore_close(h);
    return n;
}

static int run(const char *sock, const char *mix, int clients, double secs)
{
    struct mstore *h = open_or_die(sock);
    unsigned long total = 0, n;
    char k[32];
    int fds[2], i;
    double t0;

    for ( i = 0; i < KEYS; i++ )
    {
        key(k, i);
        if ( mstore_write(h, 0, k, "initial", 7) )
            return 1;
    }
    mstore_close(h);
    if ( pipe(fds) )
        return 1;
    t0 = now();
    for ( i = 0; i < clients; i++ )
        if ( fork() == 0 )
        {
            n = client(sock, mix, secs, i * 7919 + 1);
            if ( write(fds[1], &n, sizeof(n)) != sizeof(n) )
                _exit(1);
            _exit(0);
        }
    close(fds[1]);
    while ( read(fds[0], &n, sizeof(n)) == sizeof(n) )
        total += n;
    while ( wait(NULL) > 0 )
        ;
    printf("%.0f\n", total / (now() - t0));
    return 0;
}

static long rss_kib(int pid)
{
    char path[64], line[256];
    long kib = -1;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/status", pid);
    f = fopen(path, "r");
    while ( f && fgets(line, sizeof(line), f) )
        if ( !strncmp(line, "VmRSS:", 6) )
            kib = strtol(line + 6, NULL, 10);
    if ( f )
        fclose(f);
    return kib;
}

static int mem(const char *sock, int pid)
{
    struct mstore *h = open_or_die(sock);
    long before = rss_kib(pid);
    char k[48], v[32];
    int i;

    for ( i = 0; i < 10000; i++ )
    {
        snprintf(k, sizeof(k), "/mem/dom%d/node%d", i / 100, i);
        snprintf(v, sizeof(v), "value-%d", i);
        if ( mstore_write(h, 0, k, v, strlen(v)) )
            return 1;
    }
    printf("%ld\n", rss_kib(pid) - before);
    mstore_rm(h, 0, "/mem");
    mstore_close(h);
    return 0;
}

/* Answer every request at once, without a store: the transport's cost. */
static void echo_client(int fd)
{
    struct xsw_msg h;
    char buf[XSW_PAYLOAD_MAX];

    while ( recv(fd, &h, sizeof(h), MSG_WAITALL) == sizeof(h) &&
            h.len <= sizeof(buf) &&
            recv(fd, buf, h.len, MSG_WAITALL) == (ssize_t)h.len )
    {
        const char *r = h.type == XSW_TRANSACTION_START ? "1" : "OK";

        h.len = strlen(r) + 1;
        memcpy(buf, r, h.len);
        if ( send(fd, &h, sizeof(h), MSG_MORE) < 0 ||
             send(fd, buf, h.len, 0) < 0 )
            break;
    }
    _exit(0);
}

static int echo(const char *sock)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int lfd = socket(AF_UNIX, SOCK_STREAM, 0), fd;

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
    unlink(sock);
    if ( bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 64) )
        return 1;
    signal(SIGCHLD, SIG_IGN);
    while ( (fd = accept(lfd, NULL, NULL)) >= 0 )
    {
        if ( fork() == 0 )
            echo_client(fd);
        close(fd);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if ( argc == 6 && !strcmp(argv[1], "run") )
        return run(argv[2], argv[3], atoi(argv[4]), atof(argv[5]));
    if ( argc == 4 && !strcmp(argv[1], "mem") )
        return mem(argv[2], atoi(argv[3]));
    if ( argc == 3 && !strcmp(argv[1], "echo") )
        return echo(argv[2]);
    fprintf(stderr, "usage: xsbench run <socket> read|write|txn <clients> "
                    "<seconds> | mem <socket> <pid> | echo <socket>\n");
    return 2;
}
