/*
 * Hypercalls from dom0's userland through Linux's /dev/xen/privcmd
 * (IOCTL_PRIVCMD_HYPERCALL: a hypercall number and five arguments, passed
 * through by the kernel unchanged).
 */
#ifndef MICA_DOM0_PRIVCMD_H
#define MICA_DOM0_PRIVCMD_H

#include <stddef.h>

#define PRIVCMD_PATH "/dev/xen/privcmd"

/* Open privcmd; a file descriptor, or -1 with errno set. */
int privcmd_open(void);

/*
 * Make hypercall `op` with arguments a[0..4]. Returns its result: >= 0,
 * or a negative errno (the hypervisor's, or the kernel's for the ioctl).
 */
long privcmd_hypercall(int fd, unsigned long op, const unsigned long a[5]);

/*
 * Memory for hypercall arguments: page-aligned, zeroed, locked and
 * touched, so the hypervisor never finds it unmapped (it does not fault
 * pages in for us; an unmapped page is -EFAULT). NULL on failure.
 */
void *privcmd_buffer(size_t size);
void privcmd_buffer_free(void *buf, size_t size);

#endif /* MICA_DOM0_PRIVCMD_H */
