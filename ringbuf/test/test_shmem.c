/*
 * The shared-pages API on a host without Xen: anonymous pages shared across
 * fork(), argument checks, the missing-device errors of the grant kinds,
 * and the grant devices' request numbers against the system's headers.
 */
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mica/shmem.h>

#include "../linux-abi.h"
#include "suites.h"

START_TEST(anon_rejects_bad_sizes)
{
    struct mica_shmem *shm = NULL;

    ck_assert_int_eq(mica_shmem_anon(0, &shm), -EINVAL);
    ck_assert_int_eq(mica_shmem_anon(MICA_SHMEM_MAX_PAGES + 1, &shm), -EINVAL);
    ck_assert_ptr_null(shm);
}
END_TEST

START_TEST(anon_pages_are_shared_across_fork)
{
    struct mica_shmem *shm;
    volatile uint32_t *words;
    pid_t pid;
    int status;

    ck_assert_int_eq(mica_shmem_anon(3, &shm), 0);
    ck_assert_uint_eq(mica_shmem_size(shm), 3 * 4096);
    ck_assert_uint_eq((uintptr_t)mica_shmem_addr(shm) % 4096, 0);
    ck_assert_ptr_null(mica_shmem_refs(shm));
    words = mica_shmem_addr(shm);
    ck_assert_uint_eq(words[0], 0);
    ck_assert_uint_eq(words[3 * 1024 - 1], 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if ( pid == 0 )
    {
        words[3 * 1024 - 1] = 0xc0ffee;
        _exit(0);
    }
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ck_assert_uint_eq(words[3 * 1024 - 1], 0xc0ffee);
    mica_shmem_close(shm);
    mica_shmem_close(NULL);
}
END_TEST

START_TEST(grants_need_the_xen_devices)
{
    static const uint32_t refs[2] = {8, 9};
    struct mica_shmem *shm = NULL;

    if ( access("/dev/xen/gntalloc", F_OK) == 0 ||
         access("/dev/xen/gntdev", F_OK) == 0 )
        return; /* running in a Xen domain: the system test covers this */
    ck_assert_int_eq(mica_shmem_grant(1, 2, true, &shm), -ENOENT);
    ck_assert_int_eq(mica_shmem_map(1, refs, 2, true, &shm), -ENOENT);
    ck_assert_ptr_null(shm);
}
END_TEST

START_TEST(grants_check_arguments_first)
{
    static const uint32_t refs[1] = {8};
    struct mica_shmem *shm = NULL;

    ck_assert_int_eq(mica_shmem_grant(1, 0, true, &shm), -EINVAL);
    ck_assert_int_eq(mica_shmem_map(1, refs, 0, true, &shm), -EINVAL);
    ck_assert_int_eq(mica_shmem_map(1, NULL, 1, true, &shm), -EINVAL);
    ck_assert_int_eq(
        mica_shmem_map(1, refs, MICA_SHMEM_MAX_PAGES + 1, true, &shm), -EINVAL);
    ck_assert_ptr_null(shm);
}
END_TEST

#if __has_include(<xen/gntalloc.h>) && __has_include(<xen/gntdev.h>)
/* The system header uses these without defining them. */
typedef uint16_t domid_t;
typedef uint32_t grant_ref_t;
#include <xen/gntalloc.h>
#include <xen/gntdev.h>
#define HAVE_SYSTEM_XEN_HEADERS 1
#else
#define HAVE_SYSTEM_XEN_HEADERS 0
#endif

START_TEST(request_numbers_match_system_headers)
{
#if HAVE_SYSTEM_XEN_HEADERS
    ck_assert_uint_eq(IOCTL_GNTALLOC_ALLOC, IOCTL_GNTALLOC_ALLOC_GREF);
    ck_assert_uint_eq(IOCTL_GNTALLOC_DEALLOC, IOCTL_GNTALLOC_DEALLOC_GREF);
    ck_assert_uint_eq(IOCTL_GNTDEV_MAP, IOCTL_GNTDEV_MAP_GRANT_REF);
    ck_assert_uint_eq(IOCTL_GNTDEV_UNMAP, IOCTL_GNTDEV_UNMAP_GRANT_REF);
    ck_assert_uint_eq(GNTALLOC_WRITABLE, GNTALLOC_FLAG_WRITABLE);
    ck_assert_uint_eq(offsetof(struct gntalloc_alloc, refs),
                      offsetof(struct ioctl_gntalloc_alloc_gref, gref_ids));
    ck_assert_uint_eq(offsetof(struct gntdev_map, refs),
                      offsetof(struct ioctl_gntdev_map_grant_ref, refs));
#endif
}
END_TEST

Suite *shmem_suite(void)
{
    Suite *s = suite_create("shmem");
    TCase *tc = tcase_create("shmem");

    tcase_add_test(tc, anon_rejects_bad_sizes);
    tcase_add_test(tc, anon_pages_are_shared_across_fork);
    tcase_add_test(tc, grants_need_the_xen_devices);
    tcase_add_test(tc, grants_check_arguments_first);
    tcase_add_test(tc, request_numbers_match_system_headers);
    suite_add_tcase(s, tc);
    return s;
}
