/*
 * libmicastore's Linux part: the unix socket or the xenbus device, and an
 * epoll set so one fd reports both "bytes from the daemon" and "events
 * already queued".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "private.h"

#define XENBUS_DEV "/dev/xen/xenbus"

static int dial(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd;

    if ( strlen(path) >= sizeof(sa.sun_path) )
        return -ENAMETOOLONG;
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if ( fd < 0 )
        return -errno;
    if ( connect(fd, (struct sockaddr *)&sa, sizeof(sa)) )
    {
        int err = -errno;

        close(fd);
        return err;
    }
    return fd;
}

static const char *socket_path(char *buf, size_t len)
{
    const char *p = getenv("XENSTORED_PATH");
    const char *dir = getenv("XENSTORED_RUNDIR");

    if ( p && *p )
        return p;
    snprintf(buf, len, "%s/socket", dir && *dir ? dir : "/var/run/xenstored");
    return buf;
}

int mstore_os_connect(struct mstore *h, const char *path, unsigned int flags)
{
    char buf[256];
    int fd = -ENOENT;

    if ( !(flags & MSTORE_DEVICE_ONLY) )
        fd = dial(path ? path : socket_path(buf, sizeof(buf)));
    if ( fd < 0 && !(flags & MSTORE_SOCKET_ONLY) )
    {
        fd = open(flags & MSTORE_DEVICE_ONLY && path ? path : XENBUS_DEV,
                  O_RDWR | O_CLOEXEC);
        if ( fd < 0 )
            fd = -errno;
    }
    if ( fd < 0 )
        return fd;
    h->fd = fd;
    return 0;
}

int mstore_os_readiness(struct mstore *h)
{
    struct epoll_event ev = {.events = EPOLLIN};

    h->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    h->pollfd = epoll_create1(EPOLL_CLOEXEC);
    if ( h->evfd < 0 || h->pollfd < 0 )
        return -errno;
    ev.data.fd = h->fd;
    if ( epoll_ctl(h->pollfd, EPOLL_CTL_ADD, h->fd, &ev) )
        return -errno;
    ev.data.fd = h->evfd;
    if ( epoll_ctl(h->pollfd, EPOLL_CTL_ADD, h->evfd, &ev) )
        return -errno;
    return 0;
}

void mstore_os_close(struct mstore *h)
{
    if ( h->pollfd >= 0 )
        close(h->pollfd);
    if ( h->evfd >= 0 )
        close(h->evfd);
    if ( h->fd >= 0 )
        close(h->fd);
}

int mstore_os_write(struct mstore *h, const void *p, size_t len)
{
    while ( len )
    {
        ssize_t n = write(h->fd, p, len);

        if ( n < 0 && errno == EINTR )
            continue;
        if ( n <= 0 )
            return -EIO;
        p = (const char *)p + n;
        len -= n;
    }
    return 0;
}

long mstore_os_read(struct mstore *h, void *p, size_t len, bool block)
{
    struct pollfd pf = {h->fd, POLLIN, 0};
    ssize_t n;

    for ( ;; )
    {
        int r = poll(&pf, 1, block ? -1 : 0);

        if ( r < 0 && errno == EINTR )
            continue;
        if ( r < 0 )
            return -EIO;
        if ( r == 0 )
            return 0;
        n = read(h->fd, p, len);
        if ( n < 0 && (errno == EINTR || errno == EAGAIN) )
            continue;
        return n > 0 ? n : -EIO;
    }
}

void mstore_os_signal(struct mstore *h, bool pending)
{
    uint64_t v = 1;

    if ( pending )
    {
        if ( write(h->evfd, &v, sizeof(v)) != sizeof(v) )
            return; /* counter saturated: it is readable anyway */
    }
    else if ( read(h->evfd, &v, sizeof(v)) != sizeof(v) )
        return; /* already clear */
}
