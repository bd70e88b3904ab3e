/*
 * mica-list: list the domains Mica runs, like `xl list`, from dom0.
 *
 *   mica-list
 *
 * Asks the hypervisor for every domain's info with sysctl
 * getdomaininfolist (Mica's control ABI, include/public/sysctl.h and
 * docs/domctl.md) through /dev/xen/privcmd, in batches, and prints one
 * row per domain (dom0/tools/domlist.c). Needs the xen-privcmd module and
 * a privileged domain. Exit status 0 on success, 1 on any error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <public/sysctl.h>
#include <public/xen.h>

#include "domlist.h"
#include "privcmd.h"

#define BATCH 16

struct session
{
    int fd;
    struct mica_sysctl *op;         /* both in privcmd_buffer() memory */
    struct mica_domaininfo *info;   /* BATCH entries */
};

/* Fetch up to BATCH domains from `first` on; their count, or -errno. */
static long fetch(struct session *s, unsigned int first)
{
    unsigned long args[5] = { (unsigned long)s->op };
    long rc;

    memset(s->op, 0, sizeof(*s->op));
    s->op->cmd = MICA_SYSCTL_getdomaininfolist;
    s->op->interface_version = MICA_CTL_INTERFACE_VERSION;
    s->op->u.domaininfolist.first_domain = first;
    s->op->u.domaininfolist.max_domains = BATCH;
    s->op->u.domaininfolist.buffer = (unsigned long)s->info;
    rc = privcmd_hypercall(s->fd, __HYPERVISOR_sysctl, args);
    if ( rc < 0 )
        return rc;
    if ( s->op->u.domaininfolist.num_domains > BATCH )
        return -EPROTO;
    return s->op->u.domaininfolist.num_domains;
}

static int print_all(struct session *s)
{
    char row[128];
    unsigned int first = 0;
    long n;

    puts(domlist_header());
    do {
        n = fetch(s, first);
        if ( n < 0 )
        {
            fprintf(stderr, "mica-list: sysctl getdomaininfolist from "
                    "domain %u failed: %s (is this dom0 on Mica?)\n",
                    first, strerror((int)-n));
            return 1;
        }
        for ( long i = 0; i < n; i++ )
        {
            domlist_row(&s->info[i], row, sizeof(row));
            puts(row);
        }
        if ( n > 0 )
            first = s->info[n - 1].domain + 1u;
    } while ( n == BATCH && first < DOMID_FIRST_RESERVED );
    return 0;
}

int main(int argc, char **argv)
{
    size_t size = sizeof(struct mica_sysctl) +
                  BATCH * sizeof(struct mica_domaininfo);
    struct session s;
    void *buf;
    int rc;

    if ( argc > 1 )
    {
        fprintf(stderr, "usage: %s (no arguments)\n", argv[0]);
        return 1;
    }
    s.fd = privcmd_open();
    if ( s.fd < 0 )
    {
        fprintf(stderr, "mica-list: cannot open %s: %s (load xen-privcmd "
                "and run in dom0)\n", PRIVCMD_PATH, strerror(errno));
        return 1;
    }
    buf = privcmd_buffer(size);
    if ( !buf )
    {
        fprintf(stderr, "mica-list: cannot lock %zu bytes for the "
                "hypercall: %s\n", size, strerror(errno));
        close(s.fd);
        return 1;
    }
    s.op = buf;
    s.info = (struct mica_domaininfo *)(s.op + 1);
    rc = print_all(&s);
    privcmd_buffer_free(buf, size);
    close(s.fd);
    return rc;
}
