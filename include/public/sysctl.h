/*
 * Mica's control ABI, host-wide half: HYPERVISOR_sysctl (number 35).
 *
 * Same rules as domctl.h: Mica's own layout, privileged callers only
 * (-EPERM), interface_version == MICA_CTL_INTERFACE_VERSION (-EACCES),
 * the struct copied back after success. See docs/domctl.md.
 */
#ifndef MICA_PUBLIC_SYSCTL_H
#define MICA_PUBLIC_SYSCTL_H

#include <stdint.h>
#include "abi-check.h"
#include "domctl.h"

#define MICA_SYSCTL_physinfo           1
#define MICA_SYSCTL_getdomaininfolist  2

/* physinfo. OUT only: what `xl info` shows about the host. */
struct mica_sysctl_physinfo {
    uint32_t nr_cpus;
    uint32_t cpu_khz;           /* TSC frequency */
    uint64_t total_pages;       /* frames handed to the allocator */
    uint64_t free_pages;        /* frames free right now */
    uint32_t max_domains;
    uint32_t pad;
};
MICA_ABI_SIZE(struct mica_sysctl_physinfo, 32);

/*
 * getdomaininfolist. IN: first_domain, max_domains, buffer (address of
 * max_domains struct mica_domaininfo). OUT: num_domains entries written,
 * for the existing domains (dying ones included) with id >= first_domain,
 * in increasing id order.
 */
struct mica_sysctl_getdomaininfolist {
    uint16_t first_domain;
    uint16_t pad;
    uint32_t max_domains;
    uint64_t buffer;
    uint32_t num_domains;
    uint32_t pad2;
};
MICA_ABI_SIZE(struct mica_sysctl_getdomaininfolist, 24);

struct mica_sysctl {
    uint32_t cmd;               /* MICA_SYSCTL_* */
    uint32_t interface_version; /* MICA_CTL_INTERFACE_VERSION */
    union {
        struct mica_sysctl_physinfo physinfo;
        struct mica_sysctl_getdomaininfolist domaininfolist;
        uint8_t pad[120];
    } u;
};
MICA_ABI_SIZE(struct mica_sysctl, 128);
MICA_ABI_OFFSET(struct mica_sysctl, u, 8);

#endif /* MICA_PUBLIC_SYSCTL_H */
