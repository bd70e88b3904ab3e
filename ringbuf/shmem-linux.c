/*
 * Grants through Linux's Xen devices.
 *
 * /dev/xen/gntalloc allocates pages in our domain and grants them: one ioctl
 * returns a grant reference per page and an mmap offset ("index"), and an
 * mmap() at that offset maps the pages. /dev/xen/gntdev is the other way
 * round: an ioctl registers (domain, reference) pairs and returns an offset,
 * and mmap() at that offset makes the hypervisor map the foreign pages.
 *
 * Teardown runs in reverse: munmap() first (gntdev refuses to forget a range
 * that is still mapped), then the ioctl that forgets the range, then close.
 * A gntalloc page stays alive while the peer still maps it; the driver frees
 * it once both sides have let go.
 *
 * The argument layouts and request numbers are in linux-abi.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "linux-abi.h"
#include "private.h"

#define GNTALLOC_PATH "/dev/xen/gntalloc"
#define GNTDEV_PATH   "/dev/xen/gntdev"

static int open_dev(const char *path)
{
    int fd = open(path, O_RDWR | O_CLOEXEC);

    return fd < 0 ? -errno : fd;
}

/* mmap the handle's pages at the driver's offset; 0 or -errno. */
static int map_dev_pages(struct mica_shmem *shm, bool writable)
{
    int prot = PROT_READ | (writable ? PROT_WRITE : 0);

    shm->addr = mmap(NULL, mica_shmem_size(shm), prot, MAP_SHARED, shm->dev_fd,
                     (off_t)shm->dev_index);
    return shm->addr == MAP_FAILED ? -errno : 0;
}

static void gntalloc_forget(struct mica_shmem *shm)
{
    struct gntalloc_dealloc op = {.index = shm->dev_index,
                                  .count = (uint32_t)shm->nr_pages};

    ioctl(shm->dev_fd, IOCTL_GNTALLOC_DEALLOC, &op);
}

static void gntdev_forget(struct mica_shmem *shm)
{
    struct gntdev_unmap op = {.index = shm->dev_index,
                              .count = (uint32_t)shm->nr_pages};

    ioctl(shm->dev_fd, IOCTL_GNTDEV_UNMAP, &op);
}

/* Ask gntalloc for the grants; fills dev_index and refs. */
static int gntalloc_alloc(struct mica_shmem *shm, uint16_t domid, bool writable)
{
    size_t len = sizeof(struct gntalloc_alloc) + shm->nr_pages * 4;
    struct gntalloc_alloc *op;
    int rc = 0;

    /* The driver reads the declared size even for a single page. */
    op = calloc(1, len < GNTALLOC_ALLOC_SIZE ? GNTALLOC_ALLOC_SIZE : len);
    shm->refs = calloc(shm->nr_pages, sizeof(*shm->refs));
    if ( !op || !shm->refs )
    {
        free(op);
        return -ENOMEM;
    }
    op->domid = domid;
    op->flags = writable ? GNTALLOC_WRITABLE : 0;
    op->count = (uint32_t)shm->nr_pages;
    if ( ioctl(shm->dev_fd, IOCTL_GNTALLOC_ALLOC, op) < 0 )
        rc = -errno;
    else
    {
        shm->dev_index = op->index;
        memcpy(shm->refs, op->refs, shm->nr_pages * sizeof(*shm->refs));
    }
    free(op);
    return rc;
}

int os_shmem_grant(struct mica_shmem *shm, uint16_t domid, bool writable)
{
    int rc = open_dev(GNTALLOC_PATH);

    if ( rc < 0 )
        return rc;
    shm->dev_fd = rc;
    rc = gntalloc_alloc(shm, domid, writable);
    if ( rc )
        goto out_close;
    /* Our own pages: always mapped writable, `writable` is the peer's. */
    rc = map_dev_pages(shm, true);
    if ( rc )
        goto out_forget;
    return 0;

out_forget:
    gntalloc_forget(shm);
out_close:
    close(shm->dev_fd);
    shm->dev_fd = -1;
    return rc;
}

/* Register the (domid, ref) pairs with gntdev; fills dev_index. */
static int gntdev_register(struct mica_shmem *shm, uint16_t domid,
                           const uint32_t *refs)
{
    struct gntdev_map *op;
    size_t i;
    int rc = 0;

    op = calloc(1, sizeof(*op) + shm->nr_pages * sizeof(op->refs[0]));
    if ( !op )
        return -ENOMEM;
    op->count = (uint32_t)shm->nr_pages;
    for ( i = 0; i < shm->nr_pages; i++ )
    {
        op->refs[i].domid = domid;
        op->refs[i].ref = refs[i];
    }
    if ( ioctl(shm->dev_fd, IOCTL_GNTDEV_MAP, op) < 0 )
        rc = -errno;
    else
        shm->dev_index = op->index;
    free(op);
    return rc;
}

int os_shmem_map(struct mica_shmem *shm, uint16_t domid, const uint32_t *refs,
                 bool writable)
{
    int rc = open_dev(GNTDEV_PATH);

    if ( rc < 0 )
        return rc;
    shm->dev_fd = rc;
    rc = gntdev_register(shm, domid, refs);
    if ( rc )
        goto out_close;
    rc = map_dev_pages(shm, writable);
    if ( rc )
        goto out_forget;
    return 0;

out_forget:
    gntdev_forget(shm);
out_close:
    close(shm->dev_fd);
    shm->dev_fd = -1;
    return rc;
}

void os_shmem_release(struct mica_shmem *shm)
{
    munmap(shm->addr, mica_shmem_size(shm));
    if ( shm->kind == SHMEM_GRANTED )
        gntalloc_forget(shm);
    else
        gntdev_forget(shm);
    close(shm->dev_fd);
}
