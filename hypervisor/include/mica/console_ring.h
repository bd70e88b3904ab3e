/*
 * The hypervisor as console backend for boot-time domUs: text the guest
 * puts in its console ring (the page start_info.console.domU.mfn names)
 * goes to the serial log, a line at a time, prefixed "(dN) ".
 */
#ifndef MICA_CONSOLE_RING_H
#define MICA_CONSOLE_RING_H

#include <mica/domain.h>

/* Attach the ring in frame `mfn`, signalled through a new port of d. */
int console_ring_attach(struct domain *d, unsigned long mfn);
/* Consume what the guest produced (on its notify, and when it stops). */
void console_ring_drain(struct domain *d);
/* Print what is left and let go of the ring frame (domain destruction). */
void console_ring_detach(struct domain *d);

#endif /* MICA_CONSOLE_RING_H */
