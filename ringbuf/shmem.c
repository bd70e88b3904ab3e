/*
 * The generic half of the shared-pages library: argument checks, handle
 * lifetime and the anonymous kind. Grants live in shmem-linux.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "private.h"

int shmem_check_pages(size_t nr_pages)
{
    if ( nr_pages == 0 || nr_pages > MICA_SHMEM_MAX_PAGES )
        return -EINVAL;
    return 0;
}

struct mica_shmem *shmem_alloc(enum shmem_kind kind, size_t nr_pages)
{
    struct mica_shmem *shm = calloc(1, sizeof(*shm));

    if ( !shm )
        return NULL;
    shm->kind = kind;
    shm->nr_pages = nr_pages;
    shm->dev_fd = -1;
    return shm;
}

void shmem_free(struct mica_shmem *shm)
{
    free(shm->refs);
    free(shm);
}

static int shmem_map_anon(struct mica_shmem *shm)
{
    shm->addr = mmap(NULL, mica_shmem_size(shm), PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    return shm->addr == MAP_FAILED ? -errno : 0;
}

/* What the three public constructors differ in. */
struct shmem_args
{
    enum shmem_kind kind;
    uint16_t domid;
    const uint32_t *refs;
    bool writable;
};

static int shmem_open(const struct shmem_args *args, size_t nr_pages,
                      struct mica_shmem **out)
{
    struct mica_shmem *shm;
    int rc = shmem_check_pages(nr_pages);

    if ( rc )
        return rc;
    shm = shmem_alloc(args->kind, nr_pages);
    if ( !shm )
        return -ENOMEM;
    if ( args->kind == SHMEM_ANON )
        rc = shmem_map_anon(shm);
    else if ( args->kind == SHMEM_GRANTED )
        rc = os_shmem_grant(shm, args->domid, args->writable);
    else
        rc = os_shmem_map(shm, args->domid, args->refs, args->writable);
    if ( rc )
    {
        shmem_free(shm);
        return rc;
    }
    *out = shm;
    return 0;
}

int mica_shmem_anon(size_t nr_pages, struct mica_shmem **out)
{
    struct shmem_args args = {.kind = SHMEM_ANON};

    return shmem_open(&args, nr_pages, out);
}

int mica_shmem_grant(uint16_t domid, size_t nr_pages, bool writable,
                     struct mica_shmem **out)
{
    struct shmem_args args = {
        .kind = SHMEM_GRANTED, .domid = domid, .writable = writable};

    return shmem_open(&args, nr_pages, out);
}

int mica_shmem_map(uint16_t domid, const uint32_t *refs, size_t nr_pages,
                   bool writable, struct mica_shmem **out)
{
    struct shmem_args args = {.kind = SHMEM_MAPPED,
                              .domid = domid,
                              .refs = refs,
                              .writable = writable};

    if ( !refs )
        return -EINVAL;
    return shmem_open(&args, nr_pages, out);
}

void *mica_shmem_addr(const struct mica_shmem *shm)
{
    return shm->addr;
}

size_t mica_shmem_size(const struct mica_shmem *shm)
{
    return shm->nr_pages * MICA_SHMEM_PAGE_SIZE;
}

const uint32_t *mica_shmem_refs(const struct mica_shmem *shm)
{
    return shm->kind == SHMEM_GRANTED ? shm->refs : NULL;
}

void mica_shmem_close(struct mica_shmem *shm)
{
    if ( !shm )
        return;
    if ( shm->kind == SHMEM_ANON )
        munmap(shm->addr, mica_shmem_size(shm));
    else
        os_shmem_release(shm);
    shmem_free(shm);
}
