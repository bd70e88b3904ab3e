/*
 * Domains and vCPUs (generic part).
 *
 * A domain owns memory, a shared_info page and up to MAX_VCPUS vCPUs.
 * The life cycle is: created -> running -> (shut down | crashed) -> dying
 * -> destroyed. A domain is never freed while another structure still
 * points at it; until the scheduler exists (issue 4) there is one vCPU
 * running on the one physical CPU.
 */
#ifndef MICA_DOMAIN_H
#define MICA_DOMAIN_H

#include <asm/domain.h>
#include <mica/env.h>
#include <public/xen.h>

#define MAX_VCPUS 32


struct vcpu
{
    unsigned int vcpu_id;
    struct domain *domain;
    struct vcpu_info *vcpu_info;    /* hypervisor VA of this vCPU's info */
    struct arch_vcpu arch;
};

struct domain
{
    domid_t domain_id;
    bool is_privileged;
    bool is_shutting_down;
    bool is_crashed;
    uint8_t shutdown_code;          /* SHUTDOWN_*; valid once shutting down */
    bool shutdown_code_set;         /* SCHEDOP_shutdown_code was used */
    unsigned long tot_pages, max_pages;
    struct shared_info *shared_info; /* hypervisor VA */
    unsigned long shared_info_mfn;
    unsigned int max_vcpus;
    struct vcpu *vcpu[MAX_VCPUS];
    char cmdline[MAX_GUEST_CMDLINE];
    struct arch_domain arch;
};

struct domain *domain_create(domid_t id, bool privileged);
struct vcpu *vcpu_create(struct domain *d, unsigned int id);

/*
 * A domain asked to stop (SCHEDOP_shutdown) or broke a rule (crash).
 * domain_crash prints why with the registers and never returns to the
 * guest; the caller must not touch guest state afterwards.
 */
void domain_shutdown(struct domain *d, unsigned int reason);
void domain_crash(struct domain *d, const char *why)
    __attribute__((noreturn));

static inline bool is_hardware_domain(const struct domain *d)
{
    return d->domain_id == 0;
}

#endif /* MICA_DOMAIN_H */
