/* Shared by the PV MMU hypercall files (mm.c, mmuext.c). */
#ifndef PV_MM_H
#define PV_MM_H

#include <mica/domain.h>

/*
 * The domain an operation's frames belong to (Xen's get_pg_owner):
 * DOMID_SELF is the caller; another domain, or DOMID_IO (returned as
 * PAGE_OWNER_IO), only for a privileged caller (-EPERM); the caller's own
 * id spelt out, or a domain that does not exist, is -ESRCH.
 */
long pv_pg_owner(unsigned long foreigndom);

/* The L1 the vCPU's kernel page tables use for va, or 0. */
unsigned long pv_find_l1(const struct vcpu *v, unsigned long va);

/* Read a guest vCPU bitmap for a *_MULTI flush; 0 or -EFAULT. */
int pv_read_vcpumask(unsigned long ptr);

/* Write a batch's *done; false (and *rc = -EFAULT) if it cannot be. */
bool pv_finish_batch(unsigned long pdone, unsigned int done, long *rc);

#endif /* PV_MM_H */
