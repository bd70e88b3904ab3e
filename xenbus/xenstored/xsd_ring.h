/*
 * Guest rings: the pure byte mover (ring.c) and the OS part that maps
 * pages and binds event channels (ring_linux.c).
 */
#ifndef XSD_RING_H
#define XSD_RING_H

#include "xsd.h"

#define XSD_RING_NOTIFY 1

/* Advertise our features and clear the error field of a fresh ring. */
void xsd_ring_init(struct xsw_ring *r);

/*
 * Move whatever can move between r and conn, both ways.  Returns a mask
 * of XSD_RING_NOTIFY (the guest should be signalled) or -EPROTO if the
 * guest broke the ring protocol (r->error says how); serve it no more.
 */
int xsd_ring_service(struct xsw_ring *r, struct xsd_conn *conn);

#endif /* XSD_RING_H */
