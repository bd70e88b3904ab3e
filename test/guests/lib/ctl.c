/*
 * Control-interface wrappers and the foreign-mapping window; see ctl.h.
 */
#include "test.h"

#define PTE_P  0x001ULL
#define PTE_RW 0x002ULL
#define PTE_A  0x020ULL
#define PTE_D  0x040ULL

static uint8_t window[FOREIGN_SLOTS][4096] __page_aligned_bss;
static struct multicall_entry calls[FOREIGN_SLOTS];

long domctl(struct mica_domctl *op)
{
    op->interface_version = MICA_CTL_INTERFACE_VERSION;
    return HYPERVISOR_domctl(op);
}

long sysctl(struct mica_sysctl *op)
{
    op->interface_version = MICA_CTL_INTERFACE_VERSION;
    return HYPERVISOR_sysctl(op);
}

long domctl_simple(uint32_t cmd, domid_t dom)
{
    struct mica_domctl op = { .cmd = cmd, .domain = dom };

    return domctl(&op);
}

long ctl_create(uint64_t max_memkb, domid_t *id)
{
    struct mica_domctl op = { .cmd = MICA_DOMCTL_create };
    long rc;

    op.u.create.max_vcpus = 1;
    op.u.create.max_memkb = max_memkb;
    for ( unsigned int i = 0; i < 16; i++ )
        op.u.create.handle[i] = 0xa0 + i;
    rc = domctl(&op);
    if ( !rc )
        *id = op.domain;
    return rc;
}

long ctl_getinfo(domid_t dom, struct mica_domaininfo *info)
{
    struct mica_domctl op = { .cmd = MICA_DOMCTL_getdomaininfo,
                              .domain = dom };
    long rc = domctl(&op);

    if ( !rc )
        *info = op.u.info;
    return rc;
}

long ctl_populate(domid_t dom, uint64_t first_pfn, uint32_t nr,
                  uint64_t *mfns)
{
    struct mica_domctl op = { .cmd = MICA_DOMCTL_populate, .domain = dom };

    op.u.populate.first_pfn = first_pfn;
    op.u.populate.nr = nr;
    op.u.populate.mfns = GADDR(mfns);
    return domctl(&op);
}

static long vcpu_context_op(uint32_t cmd, domid_t dom, const void *c)
{
    struct mica_domctl op = { .cmd = cmd, .domain = dom };

    op.u.vcpucontext.vcpu = 0;
    op.u.vcpucontext.ctxt = GADDR(c);
    return domctl(&op);
}

long ctl_setcontext(domid_t dom, const struct mica_vcpu_context *c)
{
    return vcpu_context_op(MICA_DOMCTL_setvcpucontext, dom, c);
}

long ctl_getcontext(domid_t dom, struct mica_vcpu_context *c)
{
    return vcpu_context_op(MICA_DOMCTL_getvcpucontext, dom, c);
}

long ctl_physinfo(struct mica_sysctl_physinfo *p)
{
    struct mica_sysctl op = { .cmd = MICA_SYSCTL_physinfo };
    long rc = sysctl(&op);

    if ( !rc )
        *p = op.u.physinfo;
    return rc;
}

uint64_t ctl_free_pages(void)
{
    struct mica_sysctl_physinfo p;

    return ctl_physinfo(&p) ? ~0ULL : p.free_pages;
}

bool ctl_wait_shutdown(domid_t dom, unsigned int ms)
{
    struct mica_domaininfo info;

    for ( unsigned int i = 0; i < ms; i++ )
    {
        if ( ctl_getinfo(dom, &info) )
            return false;
        if ( info.flags & MICA_DOMINF_shutdown )
            return true;
        poll_ports(NULL, 0, 1 * MS);
    }
    return false;
}

long ctl_pageinfo(domid_t dom, const uint64_t *mfns, uint32_t *types,
                  uint32_t nr)
{
    struct mica_domctl op = { .cmd = MICA_DOMCTL_getpageframeinfo,
                              .domain = dom };

    op.u.pageframeinfo.mfns = GADDR(mfns);
    op.u.pageframeinfo.types = GADDR(types);
    op.u.pageframeinfo.nr = nr;
    return domctl(&op);
}

long ctl_logdirty(domid_t dom, uint32_t ldop, uint32_t nr_pfns,
                  void *bitmap, struct mica_domctl_logdirty *out)
{
    struct mica_domctl op = { .cmd = MICA_DOMCTL_logdirty, .domain = dom };
    long rc;

    op.u.logdirty.op = ldop;
    op.u.logdirty.nr_pfns = nr_pfns;
    op.u.logdirty.bitmap = GADDR(bitmap);
    rc = domctl(&op);
    if ( !rc && out )
        *out = op.u.logdirty;
    return rc;
}

uint8_t *foreign_window(void)
{
    return window[0];
}

static long run_batch(unsigned int n)
{
    long rc = HYPERVISOR_multicall(calls, n);

    if ( rc )
        return rc;
    for ( unsigned int i = 0; i < n; i++ )
        if ( calls[i].result )
            return (long)calls[i].result;
    return 0;
}

long foreign_map(domid_t dom, const uint64_t *mfns, unsigned int n,
                 bool writable)
{
    uint64_t flags = PTE_P | PTE_A | (writable ? PTE_RW | PTE_D : 0);
    long rc;

    if ( n > FOREIGN_SLOTS )
        return -XEN_EINVAL;
    for ( unsigned int i = 0; i < n; i++ )
    {
        calls[i].op = __HYPERVISOR_update_va_mapping_otherdomain;
        calls[i].args[0] = GADDR(window[i]);
        calls[i].args[1] = (mfns[i] << 12) | flags;
        calls[i].args[2] = i + 1 == n ? UVMF_TLB_FLUSH | UVMF_LOCAL
                                      : UVMF_NONE;
        calls[i].args[3] = dom;
    }
    rc = run_batch(n);
    if ( rc )
        foreign_unmap(n);
    return rc;
}

void foreign_unmap(unsigned int n)
{
    for ( unsigned int i = 0; i < n; i++ )
    {
        calls[i].op = __HYPERVISOR_update_va_mapping;
        calls[i].args[0] = GADDR(window[i]);
        calls[i].args[1] = 0;
        calls[i].args[2] = i + 1 == n ? UVMF_TLB_FLUSH | UVMF_LOCAL
                                      : UVMF_NONE;
    }
    (void)run_batch(n);
}
