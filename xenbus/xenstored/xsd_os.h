/*
 * The daemon's OS side: the event loop with its socket transport, and
 * the shared-ring transport for guests.  Not used by the pure-logic tests.
 */
#ifndef XSD_OS_H
#define XSD_OS_H

#include "xsd.h"

/* Something else the loop polls: ready() when fd is readable, service()
 * once per loop turn (to move ring bytes after any change). */
struct xsd_source
{
    struct xsd_source *next;
    int fd;
    void (*ready)(void *opaque);
    void (*service)(void *opaque);
    void *opaque;
};

struct xsd_server;

/* Bind and listen on path (replacing a stale socket); fd or -errno. */
int xsd_sock_listen(const char *path);
struct xsd_server *xsd_server_new(struct xsd *xsd, int lfd, const char *path);
void xsd_server_add_source(struct xsd_server *s, struct xsd_source *src);
/* Serve until SIGTERM or SIGINT. */
int xsd_server_run(struct xsd_server *s);
void xsd_server_free(struct xsd_server *s);

/*
 * Guest rings (ring_linux.c).  xsd_ring_os_try() opens the event-channel
 * and grant devices so INTRODUCE maps real rings; without them (a host
 * with no Xen) INTRODUCE still works but the domain has no ring.
 * xsd_ring_dom0_attach() also serves dom0's kernel through xsd_kva.
 */
int xsd_ring_os_try(struct xsd *xsd, struct xsd_server *s);
int xsd_ring_dom0_attach(struct xsd *xsd, struct xsd_server *s);

#endif /* XSD_OS_H */
