/*
 * HYPERVISOR_xen_version(cmd, arg): version and feature queries.
 *
 * XENVER_version ignores arg and returns (major << 16) | minor.  The other
 * sub-ops copy the structure or string named beside them to the guest
 * address in arg; strings are NUL-terminated within their fixed size.
 */
#ifndef MICA_PUBLIC_VERSION_H
#define MICA_PUBLIC_VERSION_H

#include <stdint.h>
#include "abi-check.h"
#include "xen.h"

#define XENVER_version             0

#define XENVER_extraversion        1
typedef char xen_extraversion_t[16];
#define XEN_EXTRAVERSION_LEN 16

#define XENVER_compile_info        2
struct xen_compile_info {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};
typedef struct xen_compile_info xen_compile_info_t;
MICA_ABI_SIZE(struct xen_compile_info, 144);
MICA_ABI_OFFSET(struct xen_compile_info, compile_by, 64);
MICA_ABI_OFFSET(struct xen_compile_info, compile_domain, 80);
MICA_ABI_OFFSET(struct xen_compile_info, compile_date, 112);

#define XENVER_capabilities        3
typedef char xen_capabilities_info_t[1024];
#define XEN_CAPABILITIES_INFO_LEN 1024

#define XENVER_changeset           4
typedef char xen_changeset_info_t[64];
#define XEN_CHANGESET_INFO_LEN 64

/* virt_start: lowest hypervisor-reserved address (HYPERVISOR_VIRT_START). */
#define XENVER_platform_parameters 5
struct xen_platform_parameters {
    xen_ulong_t virt_start;
};
typedef struct xen_platform_parameters xen_platform_parameters_t;
MICA_ABI_SIZE(struct xen_platform_parameters, 8);

/* IN submap_idx (< XENFEAT_NR_SUBMAPS), OUT submap: XENFEAT_* bits. */
#define XENVER_get_features        6
struct xen_feature_info {
    uint32_t submap_idx;
    uint32_t submap;
};
typedef struct xen_feature_info xen_feature_info_t;
MICA_ABI_SIZE(struct xen_feature_info, 8);
MICA_ABI_OFFSET(struct xen_feature_info, submap, 4);

/* Returns the page size; arg is ignored. */
#define XENVER_pagesize            7

/* Copies the domain's 16-byte handle (UUID) to arg. */
#define XENVER_guest_handle        8
typedef uint8_t xen_domain_handle_t[16];

#define XENVER_commandline         9
typedef char xen_commandline_t[1024];

/*
 * IN len: size of buf; OUT: the build id bytes follow len.  Returns the
 * number of bytes written, or the size needed.
 */
#define XENVER_build_id           10
struct xen_build_id {
    uint32_t len;
    unsigned char buf[];
};
typedef struct xen_build_id xen_build_id_t;
MICA_ABI_SIZE(struct xen_build_id, 4);

#endif /* MICA_PUBLIC_VERSION_H */
