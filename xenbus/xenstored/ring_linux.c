/*
 * The OS part of guest rings on Linux dom0.  dom0's own kernel exposes its
 * store page through /proc/xen/xsd_kva (mmap) and its port through
 * /proc/xen/xsd_port; an introduced guest's page is granted to us as
 * grant reference 1 and mapped through /dev/xen/gntdev.  Event channels
 * are bound through /dev/xen/evtchn, whose fd the loop polls: reading it
 * yields the ports that fired, which must be written back to unmask them.
 * On every loop turn all rings are serviced, which keeps this simple and
 * is cheap for the handful of rings a host has.
 *
 * None of this runs on a host without Xen devices; there, INTRODUCE makes
 * a connection with no ring behind it, which is what the host tests use.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* The kernel's uapi headers use Xen's type names without defining them. */
typedef uint16_t domid_t;
typedef uint32_t grant_ref_t;
#include <xen/evtchn.h>
#include <xen/gntdev.h>

#include "xsd_os.h"
#include "xsd_ring.h"

#define GNTTAB_RESERVED_XENSTORE 1
#define PAGE                     4096

struct ring_port
{
    struct ring_port *next;
    struct ring_os *os;
    struct xsw_ring *page;
    struct xsd_conn *conn;
    unsigned int local_port;
    uint64_t gnt_index;
    bool mapped_grant;
    bool broken;
};

struct ring_os
{
    struct xsd *xsd;
    int evtchn_fd;
    int gnt_fd;
    struct ring_port *ports;
    struct xsd_source src;
};

static int bind_port(struct ring_os *os, unsigned int domid, unsigned int port)
{
    struct ioctl_evtchn_bind_interdomain b = {domid, port};
    int rc = ioctl(os->evtchn_fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);

    return rc < 0 ? -errno : rc;
}

static void notify(struct ring_port *p)
{
    struct ioctl_evtchn_notify n = {p->local_port};

    ioctl(p->os->evtchn_fd, IOCTL_EVTCHN_NOTIFY, &n);
}

static void detach_port(struct xsd_conn *conn)
{
    struct ring_port *p = conn->transport, **pp;
    struct ioctl_evtchn_unbind u = {p->local_port};

    for ( pp = &p->os->ports; *pp && *pp != p; pp = &(*pp)->next )
        ;
    if ( *pp )
        *pp = p->next;
    ioctl(p->os->evtchn_fd, IOCTL_EVTCHN_UNBIND, &u);
    munmap(p->page, PAGE);
    if ( p->mapped_grant )
    {
        struct ioctl_gntdev_unmap_grant_ref um = {p->gnt_index, 1, 0};

        ioctl(p->os->gnt_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &um);
    }
    free(p);
}

static struct xsd_conn *add_port(struct ring_os *os, unsigned int domid,
                                 void *page, int local)
{
    struct ring_port *p = calloc(1, sizeof(*p));

    if ( !p )
        return NULL;
    p->os = os;
    p->page = page;
    p->local_port = local;
    p->conn = xsd_conn_new(os->xsd, domid);
    if ( !p->conn )
    {
        free(p);
        return NULL;
    }
    p->conn->transport = p;
    p->conn->detach = detach_port;
    p->next = os->ports;
    os->ports = p;
    xsd_ring_init(page);
    return p->conn;
}

static struct xsd_conn *attach_guest(void *opaque, unsigned int domid,
                                     uint64_t gfn, unsigned int port)
{
    struct ring_os *os = opaque;
    struct ioctl_gntdev_map_grant_ref m = {.count = 1};
    struct xsd_conn *conn;
    void *page;
    int local;

    (void)gfn; /* the page comes through its reserved grant instead */
    m.refs[0].domid = domid;
    m.refs[0].ref = GNTTAB_RESERVED_XENSTORE;
    if ( os->gnt_fd < 0 || ioctl(os->gnt_fd, IOCTL_GNTDEV_MAP_GRANT_REF, &m) )
        return NULL;
    page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, os->gnt_fd,
                m.index);
    local = page == MAP_FAILED ? -1 : bind_port(os, domid, port);
    conn = local < 0 ? NULL : add_port(os, domid, page, local);
    if ( !conn )
    {
        struct ioctl_gntdev_unmap_grant_ref um = {m.index, 1, 0};

        if ( page != MAP_FAILED )
            munmap(page, PAGE);
        ioctl(os->gnt_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &um);
        return NULL;
    }
    ((struct ring_port *)conn->transport)->gnt_index = m.index;
    ((struct ring_port *)conn->transport)->mapped_grant = true;
    return conn;
}

static void drain(void *opaque)
{
    struct ring_os *os = opaque;
    uint32_t ports[64];
    ssize_t n;

    while ( (n = read(os->evtchn_fd, ports, sizeof(ports))) > 0 )
        if ( write(os->evtchn_fd, ports, n) != n )
            xsd_log(XSD_LOG_WARN, "evtchn: cannot unmask ports");
}

static void service(void *opaque)
{
    struct ring_os *os = opaque;
    struct ring_port *p;
    int rc;

    for ( p = os->ports; p; p = p->next )
    {
        if ( p->broken )
            continue;
        rc = xsd_ring_service(p->page, p->conn);
        if ( rc < 0 )
        {
            xsd_log(XSD_LOG_WARN,
                    "domain %u broke its xenstore ring "
                    "(error %u); no longer serving it",
                    p->conn->domid, p->page->error);
            p->broken = true;
            p->conn->dead = true;
        }
        if ( rc != 0 )
            notify(p);
    }
}

static struct ring_os *ring_os_open(struct xsd *xsd, struct xsd_server *s)
{
    struct ring_os *os = calloc(1, sizeof(*os));

    if ( !os )
        return NULL;
    os->xsd = xsd;
    os->evtchn_fd = open("/dev/xen/evtchn", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    os->gnt_fd = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
    if ( os->evtchn_fd < 0 )
    {
        if ( os->gnt_fd >= 0 )
            close(os->gnt_fd);
        free(os);
        return NULL;
    }
    os->src = (struct xsd_source){NULL, os->evtchn_fd, drain, service, os};
    xsd_server_add_source(s, &os->src);
    xsd->env.attach_domain = attach_guest;
    xsd->env.opaque = os;
    return os;
}

/*
 * dom0's kernel: a Linux dom0 started without a store (store_evtchn 0)
 * allocated the page and an unbound port itself and then waits, in its
 * xenbus_probe thread, for the first event on that port before it probes
 * and registers its own watches.  Nothing it sent yet needs an answer, so
 * a kick right after connecting is what tells it the daemon is up (Xen's
 * C daemon does the same when it starts).
 */
static struct xsd_conn *conn_dom0(struct ring_os *os, void *page, int local)
{
    struct xsd_conn *conn = add_port(os, 0, page, local);

    if ( conn )
        notify(conn->transport);
    return conn;
}

int xsd_ring_dom0_attach(struct xsd *xsd, struct xsd_server *s)
{
    struct ring_os *os = ring_os_open(xsd, s);
    unsigned int port = 0;
    void *page;
    FILE *f;
    int fd, local;

    if ( !os )
        return -ENODEV;
    f = fopen("/proc/xen/xsd_port", "r");
    if ( !f || fscanf(f, "%u", &port) != 1 )
    {
        if ( f )
            fclose(f);
        return -ENODEV;
    }
    fclose(f);
    fd = open("/proc/xen/xsd_kva", O_RDWR | O_CLOEXEC);
    if ( fd < 0 )
        return -errno;
    page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if ( page == MAP_FAILED )
        return -errno;
    local = bind_port(os, 0, port);
    if ( local < 0 || !conn_dom0(os, page, local) )
        return -ENODEV;
    xsd_log(XSD_LOG_INFO, "serving dom0's kernel on port %u", port);
    return 0;
}

int xsd_ring_os_try(struct xsd *xsd, struct xsd_server *s)
{
    return ring_os_open(xsd, s) ? 0 : -ENODEV;
}
