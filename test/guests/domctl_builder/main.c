/*
 * The mini builder: dom0 creates a domain, loads a PV test kernel (this
 * very kernel, given to dom0 as its ramdisk) into it with foreign
 * mappings, starts it, reads its console as its backend, sees it shut
 * down with reason poweroff, and destroys it; ITERATIONS times, with the
 * host's free-memory figure exactly back where it started after each.
 *
 * Along the way: VIRQ_DOM_EXC reaches dom0 on the child's shutdown and
 * on its destruction; the first child (role=eperm) calls every domctl
 * and sysctl sub-op and must get -EPERM for each (Mica's dispatcher
 * admits only privileged domains); on one iteration dom0 keeps a foreign
 * mapping of one of the child's frames across the destroy: the domain
 * stays "dying" holding exactly that frame, a second destroy answers 0
 * (idempotent, as Xen's domain_kill on a dying domain), and the domain
 * and its last frame go only when dom0 unmaps it (then -ESRCH).
 */
#include "test.h"
#include "builder.h"

const char test_title[] = "domctl_builder";

#define ITERATIONS 100
#define CHILD_PAGES 1024            /* 4 MiB */
#define RUN_TIMEOUT (10000 * MS)

static struct child child;
static uint32_t dom_exc_port;

/* ---- The child: an unprivileged domain built by dom0. ---- */

static void child_eperm(void)
{
    struct mica_domctl op;
    struct mica_sysctl sop;

    for ( uint32_t cmd = 1; cmd <= MICA_DOMCTL_hypercall_init + 1; cmd++ )
    {
        memset(&op, 0, sizeof(op));
        op.cmd = cmd;
        if ( domctl(&op) != -XEN_EPERM )
            test_fail("child: domctl %u did not answer EPERM", cmd);
    }
    for ( uint32_t cmd = 1; cmd <= MICA_SYSCTL_getdomaininfolist + 1; cmd++ )
    {
        memset(&sop, 0, sizeof(sop));
        sop.cmd = cmd;
        if ( sysctl(&sop) != -XEN_EPERM )
            test_fail("child: sysctl %u did not answer EPERM", cmd);
    }
    /* Even a wrong version: privilege is checked first. */
    memset(&op, 0, sizeof(op));
    CHECK_RC(HYPERVISOR_domctl(&op), -XEN_EPERM);
}

static void child_main(void)
{
    printk("child: running, unprivileged: %s\n",
           start_info->flags & SIF_PRIVILEGED ? "no" : "yes");
    if ( cmdline_has("eperm") )
        child_eperm();
    test_success();
}

/* ---- dom0: the builder. ---- */

/* Show the first child's output, without its result line counting. */
static void echo_output(const char *out)
{
    char line[160];
    size_t n = 0;

    for ( const char *p = out; *p; p++ )
    {
        if ( *p != '\n' && n + 1 < sizeof(line) )
        {
            line[n++] = *p;
            continue;
        }
        line[n] = '\0';
        n = 0;
        if ( !strncmp(line, "Test result: ", 13) )
            printk("[child console] (its result line) %s\n", line + 13);
        else
            printk("[child console] %s\n", line);
    }
}

static bool check_shutdown(const struct child *c, unsigned int iter)
{
    struct mica_domaininfo info;

    if ( ctl_getinfo(c->id, &info) )
    {
        test_fail("iteration %u: getdomaininfo of d%u failed", iter, c->id);
        return false;
    }
    if ( !(info.flags & MICA_DOMINF_shutdown) ||
         info.shutdown_reason != SHUTDOWN_poweroff )
    {
        test_fail("iteration %u: d%u flags %#x reason %u, expected a "
                  "poweroff", iter, c->id, info.flags, info.shutdown_reason);
        return false;
    }
    if ( !strstr(c->out, "Test result: SUCCESS") )
    {
        test_fail("iteration %u: the child's console lacks its SUCCESS",
                  iter);
        echo_output(c->out);
        return false;
    }
    return true;
}

/* Destroy while we still map one of its frames; see the top of file. */
static void destroy_while_mapped(struct child *c)
{
    struct mica_domaininfo info;
    uint64_t mfn = child_p2m[0];

    if ( foreign_map(c->id, &mfn, 1, true) )
        return test_fail("cannot map the child's pfn 0");
    foreign_window()[0] = 0x5a;         /* it is ours to write */
    CHECK_RC(child_destroy(c), 0);
    if ( CHECK_RC(ctl_getinfo(c->id, &info), 0) &&
         (!(info.flags & MICA_DOMINF_dying) || info.tot_pages != 1) )
        test_fail("dying d%u: flags %#x tot_pages %lu, expected dying "
                  "with 1", c->id, info.flags, (unsigned long)info.tot_pages);
    CHECK_RC(domctl_simple(MICA_DOMCTL_destroy, c->id), 0);
    /* A dying domain cannot be mapped any more, nor changed. */
    CHECK_RC(hypercall4(__HYPERVISOR_update_va_mapping_otherdomain,
                        GADDR(foreign_window() + 4096),
                        (child_p2m[1] << 12) | 0x25, UVMF_INVLPG, c->id),
             -XEN_ESRCH);
    CHECK_RC(domctl_simple(MICA_DOMCTL_unpause, c->id), -XEN_EINVAL);
    if ( foreign_window()[0] != 0x5a )
        test_fail("the frame changed under our mapping");
    foreign_unmap(1);
    CHECK_RC(ctl_getinfo(c->id, &info), -XEN_ESRCH);
    CHECK_RC(domctl_simple(MICA_DOMCTL_destroy, c->id), -XEN_ESRCH);
}

static bool one_child(const void *elf, size_t len, unsigned int iter)
{
    const char *cmdline = iter == 0 ? "role=child eperm" : "role=child";
    long rc;

    if ( child_build(&child, elf, len, CHILD_PAGES, cmdline) )
        return false;
    rc = child_attach_console(&child);
    if ( !rc )
        rc = child_run(&child, RUN_TIMEOUT);
    if ( rc )
    {
        test_fail("iteration %u: running d%u: %ld (%s)", iter, child.id, rc,
                  xen_errno_name(rc));
        echo_output(child.out);
        child_destroy(&child);
        return false;
    }
    if ( iter == 0 )
        echo_output(child.out);
    if ( !evtchn_test_and_clear(dom_exc_port) )
        test_fail("iteration %u: no VIRQ_DOM_EXC for the shutdown", iter);
    if ( !check_shutdown(&child, iter) )
    {
        child_destroy(&child);
        return false;
    }
    if ( iter == 1 )
        destroy_while_mapped(&child);
    else
        CHECK_RC(child_destroy(&child), 0);
    if ( !evtchn_test_and_clear(dom_exc_port) )
        test_fail("iteration %u: no VIRQ_DOM_EXC for the destruction", iter);
    return true;
}

static void dom0_main(void)
{
    const void *elf = (const void *)(uintptr_t)start_info->mod_start;
    size_t len = start_info->mod_len;
    uint64_t free0, free;
    unsigned int i;
    long port;

    if ( !map_shared_info() )
        return;
    if ( !len )
        return test_error("no child kernel: start_info has no module");
    port = evtchn_bind_virq(VIRQ_DOM_EXC, 0);
    if ( port < 0 )
        return test_error("bind VIRQ_DOM_EXC: %ld", port);
    dom_exc_port = port;
    free0 = ctl_free_pages();
    printk("building %u children of %u pages from a %lu-byte kernel; "
           "%lu frames free\n", ITERATIONS, CHILD_PAGES, (unsigned long)len,
           (unsigned long)free0);
    for ( i = 0; i < ITERATIONS; i++ )
    {
        if ( !one_child(elf, len, i) )
            break;
        free = ctl_free_pages();
        if ( free != free0 )
        {
            test_fail("iteration %u: %lu frames free, %lu before", i,
                      (unsigned long)free, (unsigned long)free0);
            break;
        }
    }
    printk("%u children built, run and destroyed; %lu frames free\n", i,
           (unsigned long)ctl_free_pages());
    test_success();
}

void test_main(void)
{
    if ( cmdline_has("role") )
        child_main();
    else
        dom0_main();
}
