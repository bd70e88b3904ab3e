/*
 * privcmd.h over Linux: the ioctl returns the hypercall's result, or -1
 * with errno set to its negation.
 *
 * The ioctl's number and argument are Linux's ABI (include/uapi/xen/
 * privcmd.h), spelled out here because Debian's linux-libc-dev ships
 * that header without the xen/interface/xen.h it includes.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <stdint.h>

#include "privcmd.h"

struct privcmd_hypercall
{
    uint64_t op;
    uint64_t arg[5];
};
_Static_assert(sizeof(struct privcmd_hypercall) == 48, "privcmd ABI");

/* Linux: _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall)). */
#define IOCTL_PRIVCMD_HYPERCALL \
    _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))

int privcmd_open(void)
{
    return open(PRIVCMD_PATH, O_RDWR | O_CLOEXEC);
}

long privcmd_hypercall(int fd, unsigned long op, const unsigned long a[5])
{
    struct privcmd_hypercall call = { .op = op };
    long rc;

    for ( int i = 0; i < 5; i++ )
        call.arg[i] = a[i];
    rc = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &call);
    return rc < 0 ? -errno : rc;
}

void *privcmd_buffer(size_t size)
{
    void *buf = mmap(NULL, size, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if ( buf == MAP_FAILED )
        return NULL;
    if ( mlock(buf, size) )
    {
        munmap(buf, size);
        return NULL;
    }
    memset(buf, 0, size);       /* present and writable now */
    return buf;
}

void privcmd_buffer_free(void *buf, size_t size)
{
    munlock(buf, size);
    munmap(buf, size);
}
