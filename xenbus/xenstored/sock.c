/*
 * The daemon's event loop and its unix-socket transport.  Every socket
 * client is dom0's tools and so privileged.  The loop polls the listening
 * socket, each client (for input only while its connection wants more,
 * for output while it has some) and any extra sources a transport
 * registers (the event-channel device for guest rings).  A client that
 * breaks the protocol or hangs up is closed; the others never wait on it,
 * since every socket is non-blocking and output is queued per client.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "xsd_os.h"

#define MAX_CLIENTS 4096
#define READ_CHUNK  65536

struct client
{
    int fd;
    struct xsd_conn *conn;
};

struct xsd_server
{
    struct xsd *xsd;
    int lfd;
    char *path;
    struct client *cl;
    size_t ncl;
    struct pollfd *pfd;
    struct xsd_source *sources;
};

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

int xsd_sock_listen(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd;

    if ( strlen(path) >= sizeof(sa.sun_path) )
        return -ENAMETOOLONG;
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if ( fd < 0 )
        return -errno;
    unlink(path);
    if ( bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(path, 0600) ||
         listen(fd, 128) )
    {
        int err = -errno;

        close(fd);
        return err;
    }
    return fd;
}

static void detach_client(struct xsd_conn *conn)
{
    struct client *c = conn->transport;

    if ( !c )
        return;
    close(c->fd);
    c->fd = -1;
    c->conn = NULL;
    conn->transport = NULL;
}

static void accept_clients(struct xsd_server *s)
{
    int fd;

    while ( (fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >=
            0 )
    {
        struct client *c;

        if ( s->ncl == MAX_CLIENTS )
        {
            xsd_log(XSD_LOG_WARN,
                    "socket: %d clients already; refusing "
                    "one more",
                    MAX_CLIENTS);
            close(fd);
            continue;
        }
        c = &s->cl[s->ncl];
        c->fd = fd;
        c->conn = xsd_conn_new(s->xsd, 0);
        if ( !c->conn )
        {
            close(fd);
            continue;
        }
        c->conn->transport = c;
        c->conn->detach = detach_client;
        s->ncl++;
    }
}

static void drop(struct client *c, const char *why)
{
    xsd_log(XSD_LOG_DEBUG, "socket client fd %d closed: %s", c->fd, why);
    xsd_conn_free(c->conn); /* detach_client closes the fd */
}

static void flush_one(struct client *c)
{
    const void *buf;
    size_t len;
    ssize_t n;

    while ( c->fd >= 0 && (len = xsd_conn_output(c->conn, &buf)) )
    {
        n = send(c->fd, buf, len, MSG_NOSIGNAL);
        if ( n < 0 && (errno == EAGAIN || errno == EINTR) )
            return;
        if ( n <= 0 )
        {
            drop(c, "write failed");
            return;
        }
        xsd_conn_consume(c->conn, n);
    }
}

static void read_one(struct client *c, char *buf)
{
    ssize_t n = recv(c->fd, buf, READ_CHUNK, 0);

    if ( n < 0 && (errno == EAGAIN || errno == EINTR) )
        return;
    if ( n <= 0 )
    {
        drop(c, n ? "read failed" : "hung up");
        return;
    }
    if ( xsd_conn_input(c->conn, buf, n) < 0 )
        drop(c, "protocol violation");
}

/* Flush everything, close dead clients and compact the array. */
static void tidy(struct xsd_server *s)
{
    size_t i, j;

    for ( i = 0; i < s->ncl; i++ )
    {
        if ( s->cl[i].fd >= 0 && s->cl[i].conn->dead )
            drop(&s->cl[i], "cut off");
        if ( s->cl[i].fd >= 0 )
            flush_one(&s->cl[i]);
    }
    for ( i = j = 0; i < s->ncl; i++ )
        if ( s->cl[i].fd >= 0 )
        {
            s->cl[j] = s->cl[i];
            s->cl[j].conn->transport = &s->cl[j];
            j++;
        }
    s->ncl = j;
}

static size_t fill_pollfds(struct xsd_server *s)
{
    struct xsd_source *src;
    size_t n = 0, i;
    const void *dummy;

    s->pfd[n++] = (struct pollfd){s->lfd, POLLIN, 0};
    for ( i = 0; i < s->ncl; i++ )
    {
        short ev = 0;

        if ( xsd_conn_wants_input(s->cl[i].conn) )
            ev |= POLLIN;
        if ( xsd_conn_output(s->cl[i].conn, &dummy) )
            ev |= POLLOUT;
        s->pfd[n++] = (struct pollfd){s->cl[i].fd, ev, 0};
    }
    for ( src = s->sources; src; src = src->next )
        s->pfd[n++] = (struct pollfd){src->fd, POLLIN, 0};
    return n;
}

static void serve_once(struct xsd_server *s, char *buf)
{
    size_t n = fill_pollfds(s), i, ncl = s->ncl;
    struct xsd_source *src;

    if ( poll(s->pfd, n, -1) < 0 )
        return;
    for ( i = 0; i < ncl; i++ )
    {
        short re = s->pfd[i + 1].revents;

        if ( s->cl[i].fd < 0 )
            continue;
        if ( re & POLLIN )
            read_one(&s->cl[i], buf);
        else if ( re & (POLLHUP | POLLERR) )
            drop(&s->cl[i], "hung up");
    }
    for ( i = ncl + 1, src = s->sources; src; src = src->next, i++ )
        if ( s->pfd[i].revents )
            src->ready(src->opaque);
    if ( s->pfd[0].revents & POLLIN )
        accept_clients(s);
    for ( src = s->sources; src; src = src->next )
        if ( src->service )
            src->service(src->opaque);
    tidy(s);
}

struct xsd_server *xsd_server_new(struct xsd *xsd, int lfd, const char *path)
{
    struct xsd_server *s = calloc(1, sizeof(*s));

    if ( !s )
        return NULL;
    s->xsd = xsd;
    s->lfd = lfd;
    s->path = path ? strdup(path) : NULL;
    s->cl = calloc(MAX_CLIENTS, sizeof(*s->cl));
    s->pfd = calloc(MAX_CLIENTS + 64, sizeof(*s->pfd));
    if ( !s->cl || !s->pfd )
    {
        xsd_server_free(s);
        return NULL;
    }
    return s;
}

void xsd_server_add_source(struct xsd_server *s, struct xsd_source *src)
{
    src->next = s->sources;
    s->sources = src;
}

int xsd_server_run(struct xsd_server *s)
{
    char *buf = malloc(READ_CHUNK);
    struct sigaction sa = {.sa_handler = on_signal};

    if ( !buf )
        return -ENOMEM;
    signal(SIGPIPE, SIG_IGN);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    while ( !stopping )
        serve_once(s, buf);
    free(buf);
    xsd_log(XSD_LOG_INFO, "stopping on signal");
    return 0;
}

void xsd_server_free(struct xsd_server *s)
{
    if ( !s )
        return;
    while ( s->ncl )
        drop(&s->cl[--s->ncl], "daemon exit");
    if ( s->lfd >= 0 )
        close(s->lfd);
    if ( s->path )
        unlink(s->path);
    free(s->path);
    free(s->cl);
    free(s->pfd);
    free(s);
}
