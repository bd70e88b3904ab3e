/*
 * Reading and writing guest virtual memory during a hypercall.
 *
 * The running guest's page tables are loaded, so a guest address is used
 * directly, after checking it lies outside the hypervisor's range and is
 * canonical. A fault on a guest page (not present, read-only) is caught by
 * the exception table and reported as a short copy, never a crash.
 */
#ifndef MICA_GUEST_ACCESS_H
#define MICA_GUEST_ACCESS_H

#include <mica/env.h>

/* True when [va, va+len) is a range a PV guest may name. */
bool guest_range_ok(uint64_t va, size_t len);

/* Return the number of bytes NOT copied (0 on success). */
size_t raw_copy_from_guest(void *dst, uint64_t src, size_t len);
size_t raw_copy_to_guest(uint64_t dst, const void *src, size_t len);

/* 0 or -EFAULT. */
static inline int copy_from_guest(void *dst, uint64_t src, size_t len)
{
    return raw_copy_from_guest(dst, src, len) ? -EFAULT : 0;
}

static inline int copy_to_guest(uint64_t dst, const void *src, size_t len)
{
    return raw_copy_to_guest(dst, src, len) ? -EFAULT : 0;
}

#endif /* MICA_GUEST_ACCESS_H */
