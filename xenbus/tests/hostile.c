/*
 * Hostile clients against a running xenstored (socket path in argv[1]):
 * each misbehaves in one way, and after each a well-behaved client must
 * still get prompt answers.  The daemon should run with a small memory
 * quota (--quota memory=65536) so a watch storm overflows quickly.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "xenstore_wire.h"

static const char *sockpath;
static int failures, passes;

static void result(const char *name, bool ok)
{
    printf("hostile: %s %s\n", ok ? "PASS" : "FAIL", name);
    if ( ok )
        passes++;
    else
        failures++;
}

static int dial(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sockpath);
    if ( fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) )
    {
        perror("hostile: connect");
        exit(2);
    }
    return fd;
}

static bool send_all(int fd, const void *p, size_t len)
{
    while ( len )
    {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

        if ( n <= 0 )
            return false;
        p = (const char *)p + n;
        len -= n;
    }
    return true;
}

static bool send_msg(int fd, uint32_t type, uint32_t tx, const void *p,
                     size_t len)
{
    struct xsw_msg h = {type, 1, tx, len};

    return send_all(fd, &h, sizeof(h)) && send_all(fd, p, len);
}

/* Read n bytes within ms; false on EOF, error or timeout. */
static bool recv_all(int fd, void *p, size_t n, int ms)
{
    struct pollfd pf = {fd, POLLIN, 0};

    while ( n )
    {
        ssize_t r;

        if ( poll(&pf, 1, ms) != 1 )
            return false;
        r = recv(fd, p, n, 0);
        if ( r <= 0 )
            return false;
        p = (char *)p + r;
        n -= r;
    }
    return true;
}

/* Next non-event reply into buf; returns its type or -1. */
static int reply(int fd, char *buf, int ms)
{
    struct xsw_msg h;

    do
    {
        if ( !recv_all(fd, &h, sizeof(h), ms) || h.len > XSW_PAYLOAD_MAX ||
             !recv_all(fd, buf, h.len, ms) )
            return -1;
        buf[h.len] = '\0';
    } while ( h.type == XSW_WATCH_EVENT );
    return h.type;
}

/* Does the daemon close fd within ms (draining anything it sends)? */
static bool closed_by_daemon(int fd, int ms)
{
    char buf[65536];
    struct pollfd pf = {fd, POLLIN, 0};

    while ( poll(&pf, 1, ms) == 1 )
    {
        ssize_t r = recv(fd, buf, sizeof(buf), 0);

        if ( r <= 0 )
            return true;
    }
    return false;
}

/* A good client: write then read back within a second. */
static bool served(const char *what)
{
    static int seq;
    char path[64], val[32], buf[XSW_PAYLOAD_MAX + 1];
    int fd = dial(), t;
    bool ok;

    snprintf(path, sizeof(path), "/good/%s", what);
    snprintf(val, sizeof(val), "v%d", ++seq);
    snprintf(buf, sizeof(buf), "%s%c%s", path, 0, val);
    ok = send_msg(fd, XSW_WRITE, 0, buf, strlen(path) + 1 + strlen(val)) &&
         reply(fd, buf, 1000) == XSW_WRITE &&
         send_msg(fd, XSW_READ, 0, path, strlen(path) + 1) &&
         (t = reply(fd, buf, 1000)) == XSW_READ && !strcmp(buf, val);
    close(fd);
    return ok;
}

static void oversized(void)
{
    int fd = dial();
    struct xsw_msg h = {XSW_WRITE, 1, 0, XSW_PAYLOAD_MAX + 1};

    send_all(fd, &h, sizeof(h));
    result("oversized message disconnects", closed_by_daemon(fd, 2000));
    result("served after oversized", served("oversized"));
    close(fd);
}

static void truncated(void)
{
    int fd = dial();
    struct xsw_msg h = {XSW_WRITE, 1, 0, 100};

    send_all(fd, &h, sizeof(h));
    send_all(fd, "/partial", 8);
    result("served while a message is half sent", served("truncated"));
    close(fd);
    result("served after half message hang-up", served("truncated2"));
}

static void unterminated(void)
{
    int fd = dial();
    char buf[XSW_PAYLOAD_MAX + 1];

    send_msg(fd, XSW_READ, 0, "/tool", 5);
    result("unterminated string gets EINVAL",
           reply(fd, buf, 1000) == XSW_ERROR && !strcmp(buf, "EINVAL"));
    send_msg(fd, XSW_WATCH, 0, "/x\0tok", 6);
    result("unterminated token gets EINVAL",
           reply(fd, buf, 1000) == XSW_ERROR && !strcmp(buf, "EINVAL"));
    send_msg(fd, 20, 0, "", 0);
    result("removed RESTRICT gets ENOSYS",
           reply(fd, buf, 1000) == XSW_ERROR && !strcmp(buf, "ENOSYS"));
    send_msg(fd, XSW_READ, 4242, "/tool", 6);
    result("unknown transaction gets ENOENT",
           reply(fd, buf, 1000) == XSW_ERROR && !strcmp(buf, "ENOENT"));
    close(fd);
}

static void never_reads(void)
{
    int fd = dial(), i;
    char val[4000 + 8];
    struct xsw_msg h = {XSW_READ, 1, 0, 5};
    unsigned char req[sizeof(h) + 6];

    memset(val, 'x', sizeof(val));
    memcpy(val, "/fat\0", 5);
    send_msg(fd, XSW_WRITE, 0, val, sizeof(val));
    reply(fd, val, 1000);
    memcpy(req, &h, sizeof(h));
    memcpy(req + sizeof(h), "/fat", 5);
    fcntl(fd, F_SETFL, O_NONBLOCK);
    for ( i = 0; i < 200000; i++ )
        if ( send(fd, req, sizeof(h) + 5, MSG_NOSIGNAL) < 0 )
            break;
    result("a client that never reads is throttled", i < 200000);
    result("served while another never reads", served("neverreads"));
    close(fd);
}

static void watch_storm(void)
{
    int lazy = dial(), w = dial(), i;
    char buf[XSW_PAYLOAD_MAX + 1];
    struct timespec a, b;
    bool ok = true;

    send_msg(lazy, XSW_WATCH, 0, "/storm\0t", 9);
    clock_gettime(CLOCK_MONOTONIC, &a);
    for ( i = 0; i < 20000 && ok; i++ )
    {
        int n = snprintf(buf, sizeof(buf), "/storm/%d", i);

        ok = send_msg(w, XSW_WRITE, 0, buf, n + 1) &&
             reply(w, buf, 2000) == XSW_WRITE;
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    result("writer served through a watch storm", ok);
    result("storm took under 20 s", b.tv_sec - a.tv_sec < 20);
    result("lazy watcher cut off", closed_by_daemon(lazy, 2000));
    send_msg(w, XSW_RM, 0, "/storm", 7);
    reply(w, buf, 5000);
    close(lazy);
    close(w);
    result("served after watch storm", served("storm"));
}

static void txn_flood(void)
{
    int fd = dial(), i, ok = 0;
    char buf[XSW_PAYLOAD_MAX + 1];

    for ( i = 0; i < 3000; i++ )
        if ( send_msg(fd, XSW_TRANSACTION_START, 0, "", 1) &&
             reply(fd, buf, 1000) == XSW_TRANSACTION_START )
            ok++;
    result("transaction flood answered", ok == 3000);
    result("served during transaction flood", served("txflood"));
    close(fd);
    result("served after transaction flood", served("txflood2"));
}

static void garbage(void)
{
    int fd = dial();
    unsigned char junk[8192];
    size_t i;
    unsigned int s = 12345;

    for ( i = 0; i < sizeof(junk); i++ )
    {
        s = s * 1103515245 + 12345;
        junk[i] = s >> 16;
    }
    send_all(fd, junk, sizeof(junk));
    result("random bytes end in a disconnect", closed_by_daemon(fd, 2000));
    close(fd);
    result("served after random bytes", served("garbage"));
}

int main(int argc, char **argv)
{
    if ( argc != 2 )
    {
        fprintf(stderr, "usage: hostile <socket>\n");
        return 2;
    }
    sockpath = argv[1];
    result("served at start", served("start"));
    oversized();
    truncated();
    unterminated();
    never_reads();
    watch_storm();
    txn_flood();
    garbage();
    printf("hostile: %d passed, %d failed\n", passes, failures);
    return failures ? 1 : 0;
}
