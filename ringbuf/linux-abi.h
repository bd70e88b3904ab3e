/*
 * The argument layouts and request numbers of Linux's /dev/xen/gntalloc
 * and /dev/xen/gntdev (include/uapi/xen/gntalloc.h, gntdev.h), restated
 * for the subset we use. Linux declares each variable-length structure with
 * a one-element array at its end and encodes that size in the request
 * number, so the sizes are spelled out and pinned below; the unit tests
 * compare them with the system's headers where those are installed.
 */
#ifndef MICA_RINGBUF_LINUX_ABI_H
#define MICA_RINGBUF_LINUX_ABI_H

#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>

/* IN: domid, flags, count. OUT: index, then one reference per page. */
struct gntalloc_alloc
{
    uint16_t domid;
    uint16_t flags;
    uint32_t count;
    uint64_t index;
    uint32_t refs[];
};
#define GNTALLOC_WRITABLE    1u
#define GNTALLOC_ALLOC_SIZE  24u /* as declared, with one reference */
#define IOCTL_GNTALLOC_ALLOC _IOC(_IOC_NONE, 'G', 5, GNTALLOC_ALLOC_SIZE)

/* IN: the index from the allocation and its page count. */
struct gntalloc_dealloc
{
    uint64_t index;
    uint32_t count;
    uint32_t pad_;
};
#define IOCTL_GNTALLOC_DEALLOC _IOC(_IOC_NONE, 'G', 6, 16)

/* IN: count, then count (domid, ref) pairs. OUT: index. */
struct gntdev_map
{
    uint32_t count;
    uint32_t pad;
    uint64_t index;
    struct
    {
        uint32_t domid;
        uint32_t ref;
    } refs[];
};
#define GNTDEV_MAP_SIZE  24u /* as declared, with one pair */
#define IOCTL_GNTDEV_MAP _IOC(_IOC_NONE, 'G', 0, GNTDEV_MAP_SIZE)

/* IN: the index from the map and its page count. */
struct gntdev_unmap
{
    uint64_t index;
    uint32_t count;
    uint32_t pad;
};
#define IOCTL_GNTDEV_UNMAP _IOC(_IOC_NONE, 'G', 1, 16)

_Static_assert(offsetof(struct gntalloc_alloc, index) == 8 &&
                   offsetof(struct gntalloc_alloc, refs) == 16 &&
                   sizeof(struct gntalloc_dealloc) == 16,
               "gntalloc layouts");
_Static_assert(offsetof(struct gntdev_map, index) == 8 &&
                   offsetof(struct gntdev_map, refs) == 16 &&
                   sizeof(((struct gntdev_map *)0)->refs[0]) == 8 &&
                   sizeof(struct gntdev_unmap) == 16,
               "gntdev layouts");
_Static_assert(IOCTL_GNTALLOC_ALLOC == 0x00184705 &&
                   IOCTL_GNTALLOC_DEALLOC == 0x00104706 &&
                   IOCTL_GNTDEV_MAP == 0x00184700 &&
                   IOCTL_GNTDEV_UNMAP == 0x00104701,
               "Linux's ioctl numbers");

#endif /* MICA_RINGBUF_LINUX_ABI_H */
