/*
 * HYPERVISOR_sysctl: Mica's host-wide control queries (public/sysctl.h,
 * docs/domctl.md): what `xl info` and `xl list` need. Same framing as
 * domctl.c: privileged callers only (the dispatcher table), copy in,
 * version check (-EACCES), worker, copy back.
 */
#include <asm/time.h>
#include <mica/domctl.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/lib.h>
#include <mica/page_alloc.h>

static long physinfo(struct mica_sysctl_physinfo *p)
{
    memset(p, 0, sizeof(*p));
    p->nr_cpus = 1;
    p->cpu_khz = tsc_khz();
    p->total_pages = page_alloc_total_count();
    p->free_pages = page_alloc_free_count();
    p->max_domains = CONFIG_MAX_DOMAINS;
    return 0;
}

static long domaininfolist(struct mica_sysctl_getdomaininfolist *l)
{
    struct mica_domaininfo info;
    uint32_t n = 0;

    for ( unsigned int id = l->first_domain;
          id < CONFIG_MAX_DOMAINS && n < l->max_domains; id++ )
    {
        const struct domain *d = domain_slot(id);

        if ( !d )
            continue;
        domain_getinfo(d, &info);
        if ( copy_to_guest(l->buffer + n * sizeof(info), &info,
                           sizeof(info)) )
            return -EFAULT;
        n++;
    }
    l->num_domains = n;
    return 0;
}

long do_sysctl(unsigned long arg, unsigned long a2, unsigned long a3,
               unsigned long a4, unsigned long a5)
{
    struct mica_sysctl op;
    long rc;

    if ( copy_from_guest(&op, arg, sizeof(op)) )
        return -EFAULT;
    if ( op.interface_version != MICA_CTL_INTERFACE_VERSION )
        return -EACCES;
    switch ( op.cmd )
    {
    case MICA_SYSCTL_physinfo:
        rc = physinfo(&op.u.physinfo);
        break;
    case MICA_SYSCTL_getdomaininfolist:
        rc = domaininfolist(&op.u.domaininfolist);
        break;
    default:
        return -ENOSYS;
    }
    if ( !rc && copy_to_guest(arg, &op, sizeof(op)) )
        rc = -EFAULT;
    return rc;
}
