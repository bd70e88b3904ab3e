/*
 * Pages to put a ring in, shared with a peer.
 *
 * Three sources, one handle type:
 *  - mica_shmem_grant(): allocate pages in this domain and grant another
 *    domain access to them (Linux's /dev/xen/gntalloc). The grant
 *    references go to the peer, usually through xenstore.
 *  - mica_shmem_map(): map pages another domain granted to us, given its
 *    domain id and the references (Linux's /dev/xen/gntdev).
 *  - mica_shmem_anon(): anonymous shared memory for processes of one host;
 *    create it before fork() and both processes see the same pages.
 *
 * Every function returns 0 or a negative errno value and leaves nothing
 * behind on failure. Handles are not thread-safe; use one per thread or
 * lock around them.
 */
#ifndef MICA_SHMEM_H
#define MICA_SHMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C"
{
#endif

#define MICA_SHMEM_PAGE_SIZE 4096u

/* Most pages one handle may hold (a multi-page ring of 1 MiB). */
#define MICA_SHMEM_MAX_PAGES 256u

    struct mica_shmem;

    /*
     * Allocate `nr_pages` zeroed pages shared with every process forked from
     * the caller afterwards. Returns -EINVAL if nr_pages is 0 or above
     * MICA_SHMEM_MAX_PAGES, -ENOMEM if the system is out of memory.
     */
    int mica_shmem_anon(size_t nr_pages, struct mica_shmem **out);

    /*
     * Allocate `nr_pages` zeroed pages and grant domain `domid` access to them,
     * read-only unless `writable`. mica_shmem_refs() gives the references.
     * Returns -EINVAL as mica_shmem_anon(); -ENOENT if /dev/xen/gntalloc does
     * not exist (load xen-gntalloc); otherwise what the driver said.
     */
    int mica_shmem_grant(uint16_t domid, size_t nr_pages, bool writable,
                         struct mica_shmem **out);

    /*
     * Map the `nr_pages` pages that domain `domid` granted us as `refs`, in
     * that order, read-only unless `writable`. Returns -EINVAL as
     * mica_shmem_anon(); -ENOENT if /dev/xen/gntdev does not exist (load
     * xen-gntdev); otherwise what the driver said (a bad reference usually
     * surfaces as -EINVAL or -EFAULT from mmap).
     */
    int mica_shmem_map(uint16_t domid, const uint32_t *refs, size_t nr_pages,
                       bool writable, struct mica_shmem **out);

    /* Where the pages are mapped in this process (page-aligned). */
    void *mica_shmem_addr(const struct mica_shmem *shm);

    /* Their total size in bytes. */
    size_t mica_shmem_size(const struct mica_shmem *shm);

    /*
     * The grant references of a handle from mica_shmem_grant(), one per page;
     * NULL for the other kinds.
     */
    const uint32_t *mica_shmem_refs(const struct mica_shmem *shm);

    /* Unmap the pages, drop the grants and free the handle. NULL is allowed. */
    void mica_shmem_close(struct mica_shmem *shm);

#ifdef __cplusplus
}
#endif

#endif /* MICA_SHMEM_H */
