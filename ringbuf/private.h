/*
 * Inside the shared-pages library: the handle, and the contract between the
 * generic half (shmem.c) and the Linux grant-device half (shmem-linux.c).
 */
#ifndef MICA_RINGBUF_PRIVATE_H
#define MICA_RINGBUF_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mica/shmem.h>

enum shmem_kind
{
    SHMEM_ANON,
    SHMEM_GRANTED, /* ours, granted through gntalloc */
    SHMEM_MAPPED,  /* theirs, mapped through gntdev */
};

struct mica_shmem
{
    enum shmem_kind kind;
    void *addr;
    size_t nr_pages;
    int dev_fd;         /* gntalloc or gntdev; -1 for SHMEM_ANON */
    uint64_t dev_index; /* the driver's mmap offset for these pages */
    uint32_t *refs;     /* SHMEM_GRANTED only */
};

/* Is nr_pages a size one handle may hold? */
int shmem_check_pages(size_t nr_pages);

/* Allocate a handle of `kind` with no mapping (dev_fd -1). */
struct mica_shmem *shmem_alloc(enum shmem_kind kind, size_t nr_pages);

/* Free a handle whose mapping and device are already gone. */
void shmem_free(struct mica_shmem *shm);

/*
 * OS half. Each fills shm->addr, dev_fd, dev_index (and refs) or returns a
 * negative errno with nothing left open; each release undoes its acquire.
 */
int os_shmem_grant(struct mica_shmem *shm, uint16_t domid, bool writable);
int os_shmem_map(struct mica_shmem *shm, uint16_t domid, const uint32_t *refs,
                 bool writable);
void os_shmem_release(struct mica_shmem *shm);

#endif /* MICA_RINGBUF_PRIVATE_H */
