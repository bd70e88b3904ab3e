/*
 * mica-logdirty: watch how much of a running domain changes, from dom0.
 *
 *   mica-logdirty DOMID ROUNDS MILLISECONDS
 *
 * Puts the domain in log-dirty mode (domctl logdirty, Mica's control
 * ABI: include/public/domctl.h, docs/domctl.md), then ROUNDS times waits
 * MILLISECONDS and reads-and-cleans the dirty bitmap, printing one line
 * per round:
 *
 *   round N: D of P frames dirty (overflow O)
 *
 * and leaves log-dirty mode. The first line says whether the hypervisor
 * tracks stores exactly ("exact") or reports every writable frame
 * ("coarse"). This is what pre-copy migration does between its rounds;
 * it does not send anything. Exit status 0 on success, 1 on any error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <public/domctl.h>
#include <public/xen.h>

#include "privcmd.h"

struct session
{
    int fd;
    domid_t dom;
    struct mica_domctl *op;         /* privcmd_buffer() memory */
    unsigned char *bitmap;
    uint32_t nr_pfns;
};

static long domctl(struct session *s, uint32_t cmd)
{
    unsigned long args[5] = { (unsigned long)s->op };

    s->op->cmd = cmd;
    s->op->domain = s->dom;
    s->op->interface_version = MICA_CTL_INTERFACE_VERSION;
    return privcmd_hypercall(s->fd, __HYPERVISOR_domctl, args);
}

static long logdirty(struct session *s, uint32_t op)
{
    memset(s->op, 0, sizeof(*s->op));
    s->op->u.logdirty.op = op;
    s->op->u.logdirty.nr_pfns = s->nr_pfns;
    s->op->u.logdirty.bitmap = (unsigned long)s->bitmap;
    return domctl(s, MICA_DOMCTL_logdirty);
}

static int fail(const char *what, long rc)
{
    fprintf(stderr, "mica-logdirty: %s: %s\n", what, strerror((int)-rc));
    return 1;
}

static void sleep_ms(unsigned long ms)
{
    struct timespec t = { ms / 1000, (long)(ms % 1000) * 1000000 };

    while ( nanosleep(&t, &t) && errno == EINTR )
        ;
}

static int watch(struct session *s, unsigned int rounds, unsigned long ms)
{
    long rc;
    uint32_t flags;

    memset(s->op, 0, sizeof(*s->op));
    rc = domctl(s, MICA_DOMCTL_getdomaininfo);
    if ( rc < 0 )
        return fail("getdomaininfo", rc);
    /* Every pfn the domain may use: its limit, not what it holds now. */
    s->nr_pfns = (uint32_t)s->op->u.info.max_pages;
    if ( !s->nr_pfns || s->nr_pfns > MICA_LOGDIRTY_MAX_PFNS )
        return fail("the domain's size", -EINVAL);
    rc = logdirty(s, MICA_LOGDIRTY_enable);
    if ( rc < 0 )
        return fail("enable", rc);
    memset(s->op, 0, sizeof(*s->op));
    rc = domctl(s, MICA_DOMCTL_getdomaininfo);
    flags = rc < 0 ? 0 : s->op->u.info.flags;
    printf("d%u: log-dirty on, %s tracking, %u pfns\n", s->dom,
           flags & MICA_DOMINF_logdirty_exact ? "exact" : "coarse",
           s->nr_pfns);
    rc = logdirty(s, MICA_LOGDIRTY_clean);      /* start from now */
    for ( unsigned int r = 1; rc >= 0 && r <= rounds; r++ )
    {
        sleep_ms(ms);
        rc = logdirty(s, MICA_LOGDIRTY_clean);
        if ( rc >= 0 )
            printf("round %u: %u of %u frames dirty (overflow %u)\n", r,
                   s->op->u.logdirty.dirty_count, s->nr_pfns,
                   s->op->u.logdirty.overflow);
        fflush(stdout);
    }
    if ( rc < 0 )
    {
        (void)logdirty(s, MICA_LOGDIRTY_disable);
        return fail("clean", rc);
    }
    rc = logdirty(s, MICA_LOGDIRTY_disable);
    if ( rc < 0 )
        return fail("disable", rc);
    printf("d%u: log-dirty off\n", s->dom);
    return 0;
}

int main(int argc, char **argv)
{
    size_t size = sizeof(struct mica_domctl) + MICA_LOGDIRTY_MAX_PFNS / 8;
    struct session s;
    void *buf;
    int rc;

    if ( argc != 4 || atoi(argv[1]) <= 0 || atoi(argv[2]) <= 0 ||
         atoi(argv[3]) <= 0 || atoi(argv[1]) >= (int)DOMID_FIRST_RESERVED )
    {
        fprintf(stderr, "usage: %s DOMID ROUNDS MILLISECONDS\n", argv[0]);
        return 1;
    }
    s.fd = privcmd_open();
    if ( s.fd < 0 )
    {
        fprintf(stderr, "mica-logdirty: cannot open %s: %s\n", PRIVCMD_PATH,
                strerror(errno));
        return 1;
    }
    buf = privcmd_buffer(size);
    if ( !buf )
    {
        fprintf(stderr, "mica-logdirty: cannot lock %zu bytes: %s\n", size,
                strerror(errno));
        close(s.fd);
        return 1;
    }
    s.dom = (domid_t)atoi(argv[1]);
    s.op = buf;
    s.bitmap = (unsigned char *)(s.op + 1);
    rc = watch(&s, (unsigned)atoi(argv[2]), (unsigned long)atoi(argv[3]));
    privcmd_buffer_free(buf, size);
    close(s.fd);
    return rc;
}
