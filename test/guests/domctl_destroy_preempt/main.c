/*
 * MICA_DOMCTL_destroy of a large domain is preemptible, as Xen 4.17's
 * XEN_DOMCTL_destroydomain: do_domctl (xen/common/domctl.c) turns
 * domain_kill()'s -ERESTART into a continuation of the same domctl;
 * domain_kill (xen/common/domain.c) goes DOMDYING_alive -> dying -> dead,
 * a call on a dying domain goes on with the kill, one on a dead domain
 * answers 0, and VIRQ_DOM_EXC is sent once, when the kill completes. Once
 * the domain is gone, rcu_lock_domain_by_id() fails: -ESRCH.
 *
 * dom0 builds a 64 MiB domain from its own kernel (its ramdisk), arms a
 * 1 ms periodic timer with events enabled, and destroys the domain
 * through the hypercall page. A continuation rewinds RIP onto the
 * SYSCALL of the domctl stub, so an upcall that finds its frame there
 * (RAX the domctl number again, RDI our argument) came in the middle of
 * the destroy. Each such upcall asks getdomaininfo: the domain must be
 * reported dying and VIRQ_DOM_EXC must not have come yet.
 *
 *   1. The destroy is interrupted at least once, then answers 0; free
 *      memory is back exactly, VIRQ_DOM_EXC came once, and getdomaininfo
 *      and a second destroy answer -ESRCH.
 *   2. The first interruption drops the continuation (the upcall moves
 *      RIP past the SYSCALL and sets a result): the caller walks away
 *      from a half-done kill. The domain stays dying, refuses other
 *      control calls (-EINVAL), holds memory (its shared_info goes last)
 *      and no VIRQ_DOM_EXC comes; a plain destroy then finishes it, as
 *      in 1.
 *   3. dom0 keeps a foreign mapping of one frame across an interrupted
 *      destroy: the kill completes (0) with the domain dying and holding
 *      just that frame; another destroy answers 0 and sends no second
 *      VIRQ_DOM_EXC; the domain goes when dom0 unmaps the frame, and
 *      VIRQ_DOM_EXC comes again then (Xen's complete_domain_destroy).
 */
#include "test.h"
#include "builder.h"

const char test_title[] = "domctl_destroy_preempt";

#define VICTIM_PAGES CHILD_MAX_PAGES        /* 64 MiB */
#define TICK_NS (1 * MS)
#define ABANDONED 0x5eedUL                  /* the dropped call's "result" */
#define SYSCALL_INSN 0x050f                 /* 0f 05, little-endian */

static struct child child;
static uint32_t timer_port, dom_exc_port;
static struct mica_domctl destroy_op;

/* What the upcalls saw during one destroy. */
static struct
{
    domid_t victim;
    bool abandon;                   /* drop the call at its first upcall */
    unsigned int interrupted;       /* upcalls inside the destroy */
    unsigned int not_dying;         /* ... that found the victim not dying */
    unsigned int dom_exc_early;     /* ... that found VIRQ_DOM_EXC come */
    uint64_t tot_pages_first;       /* the victim's, at the first one */
    uint64_t last, longest;         /* system time of the last; widest gap */
} seen;

/* ---- The victim only exists to be destroyed. ---- */

static void child_main(void)
{
    test_success();
}

/* ---- dom0 ---- */

static bool dom_exc_came(void)
{
    return port_events[dom_exc_port] || evtchn_pending(dom_exc_port);
}

/* The longest stretch without an upcall (a figure, never judged). */
static void note_gap(uint64_t now)
{
    if ( now - seen.last > seen.longest )
        seen.longest = now - seen.last;
}

static bool in_rewound_destroy(const struct cpu_regs *regs)
{
    const uint8_t *stub = hypercall_page +
                          __HYPERVISOR_domctl * HYPERCALL_STUB_SIZE;
    const uint8_t *rip = (const uint8_t *)regs->rip;

    return rip >= stub && rip + 2 <= stub + HYPERCALL_STUB_SIZE &&
           *(const uint16_t *)rip == SYSCALL_INSN &&
           regs->rax == __HYPERVISOR_domctl &&
           regs->rdi == GADDR(&destroy_op);
}

static void on_upcall(struct cpu_regs *regs)
{
    struct mica_domaininfo info;

    uint64_t now = system_time();

    if ( !in_rewound_destroy(regs) )
        return;
    note_gap(now);
    seen.last = now;
    if ( dom_exc_came() )
        seen.dom_exc_early++;
    if ( ctl_getinfo(seen.victim, &info) ||
         !(info.flags & MICA_DOMINF_dying) )
        seen.not_dying++;
    else if ( !seen.interrupted )
        seen.tot_pages_first = info.tot_pages;
    seen.interrupted++;
    if ( seen.abandon )
    {
        seen.abandon = false;
        regs->rip += 2;             /* past the SYSCALL: not re-issued */
        regs->rax = ABANDONED;
    }
}

static void events_on(void)
{
    memset((void *)port_events, 0, sizeof(port_events));
    event_frame_hook = on_upcall;
    events_enable();
}

static void events_off(void)
{
    vcpu0_info()->evtchn_upcall_mask = 1;
    asm volatile ( "" ::: "memory" );
    event_frame_hook = NULL;
    event_hook = NULL;
}

/* Destroy through the hypercall page, a 1 ms tick interrupting it. */
static long destroy_ticking(domid_t id, bool abandon)
{
    struct vcpu_set_periodic_timer per = { .period_ns = TICK_NS };
    uint64_t t0;
    long rc;

    memset(&seen, 0, sizeof(seen));
    seen.victim = id;
    seen.abandon = abandon;
    memset(&destroy_op, 0, sizeof(destroy_op));
    destroy_op.interface_version = MICA_CTL_INTERFACE_VERSION;
    destroy_op.cmd = MICA_DOMCTL_destroy;
    destroy_op.domain = id;
    events_on();
    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &per), 0);
    t0 = system_time();
    seen.last = t0;
    rc = hypercall_page_call(__HYPERVISOR_domctl, GADDR(&destroy_op), 0, 0,
                             0, 0);
    note_gap(system_time());
    t0 = system_time() - t0;
    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
    events_off();
    printk("destroy of d%u: %ld after %lu ms and %u interruptions, at most "
           "%lu us without an upcall (tot_pages %lu at the first)\n",
           id, rc, (unsigned long)(t0 / MS), seen.interrupted,
           (unsigned long)(seen.longest / 1000),
           (unsigned long)seen.tot_pages_first);
    if ( seen.not_dying )
        test_fail("d%u not reported dying at %u of %u interruptions", id,
                  seen.not_dying, seen.interrupted);
    if ( seen.dom_exc_early )
        test_fail("VIRQ_DOM_EXC before the kill was complete (%u times)",
                  seen.dom_exc_early);
    return rc;
}

static bool build_victim(const void *elf, size_t len, domid_t *id)
{
    struct mica_domaininfo info;

    if ( child_build(&child, elf, len, VICTIM_PAGES, "role=victim") )
        return false;
    *id = child.id;
    if ( !CHECK_RC(ctl_getinfo(*id, &info), 0) )
        return false;
    printk("d%u built: %lu pages\n", *id, (unsigned long)info.tot_pages);
    if ( info.tot_pages < VICTIM_PAGES )
        test_fail("d%u has %lu pages, expected %u", *id,
                  (unsigned long)info.tot_pages, VICTIM_PAGES);
    return true;
}

/* The kill is complete and the domain gone: everything is back. */
static void check_gone(domid_t id, uint64_t free0)
{
    struct mica_domaininfo info;
    uint64_t free = ctl_free_pages();
    unsigned int dom_exc = port_events[dom_exc_port] +
                           evtchn_test_and_clear(dom_exc_port);

    if ( free != free0 )
        test_fail("%lu frames free after the destroy, %lu before",
                  (unsigned long)free, (unsigned long)free0);
    if ( dom_exc != 1 )
        test_fail("VIRQ_DOM_EXC came %u times, expected once", dom_exc);
    CHECK_RC(ctl_getinfo(id, &info), -XEN_ESRCH);
    CHECK_RC(domctl_simple(MICA_DOMCTL_destroy, id), -XEN_ESRCH);
}

static void destroy_interrupted(const void *elf, size_t len)
{
    uint64_t free0 = ctl_free_pages();
    domid_t id;

    if ( !build_victim(elf, len, &id) )
        return;
    CHECK_RC(destroy_ticking(id, false), 0);
    if ( !seen.interrupted )
        test_fail("destroying 64 MiB was never interrupted: the destroy "
                  "is not preemptible");
    check_gone(id, free0);
}

static void destroy_abandoned(const void *elf, size_t len)
{
    uint64_t free0 = ctl_free_pages();
    struct mica_domaininfo info;
    domid_t id;
    long rc;

    if ( !build_victim(elf, len, &id) )
        return;
    rc = destroy_ticking(id, true);
    if ( rc != (long)ABANDONED )
    {
        test_fail("the destroy to abandon answered %ld (%s): never "
                  "interrupted", rc, xen_errno_name(rc));
        return;
    }
    if ( CHECK_RC(ctl_getinfo(id, &info), 0) &&
         !(info.flags & MICA_DOMINF_dying) )
        test_fail("half-destroyed d%u: flags %#x, not dying", id,
                  info.flags);
    if ( ctl_free_pages() >= free0 )
        test_fail("half-destroyed d%u holds nothing", id);
    if ( dom_exc_came() )
        test_fail("VIRQ_DOM_EXC for a kill not complete");
    CHECK_RC(domctl_simple(MICA_DOMCTL_pause, id), -XEN_EINVAL);
    CHECK_RC(domctl_simple(MICA_DOMCTL_unpause, id), -XEN_EINVAL);
    /* A plain call (whatever its own continuations) finishes it. */
    CHECK_RC(domctl_simple(MICA_DOMCTL_destroy, id), 0);
    check_gone(id, free0);
}

static void destroy_while_mapped(const void *elf, size_t len)
{
    uint64_t free0 = ctl_free_pages();
    struct mica_domaininfo info;
    uint64_t mfn;
    domid_t id;

    if ( !build_victim(elf, len, &id) )
        return;
    mfn = child_p2m[0];
    if ( foreign_map(id, &mfn, 1, true) )
        return test_fail("cannot map d%u's pfn 0", id);
    CHECK_RC(destroy_ticking(id, false), 0);
    if ( !seen.interrupted )
        test_fail("destroying a mapped 64 MiB domain was never "
                  "interrupted");
    if ( !dom_exc_came() )
        test_fail("no VIRQ_DOM_EXC when the kill of d%u completed", id);
    if ( CHECK_RC(ctl_getinfo(id, &info), 0) &&
         (!(info.flags & MICA_DOMINF_dying) || info.tot_pages != 1) )
        test_fail("killed d%u: flags %#x tot_pages %lu, expected dying "
                  "with 1", id, info.flags, (unsigned long)info.tot_pages);
    events_on();                    /* count what the next destroy sends */
    CHECK_RC(domctl_simple(MICA_DOMCTL_destroy, id), 0);
    events_off();
    if ( dom_exc_came() )
        test_fail("a destroy of a dead domain sent VIRQ_DOM_EXC again");
    foreign_unmap(1);
    if ( !dom_exc_came() )
        test_fail("no VIRQ_DOM_EXC when d%u was finally released", id);
    if ( ctl_free_pages() != free0 )
        test_fail("%lu frames free after the unmap, %lu before",
                  (unsigned long)ctl_free_pages(), (unsigned long)free0);
    CHECK_RC(ctl_getinfo(id, &info), -XEN_ESRCH);
    CHECK_RC(domctl_simple(MICA_DOMCTL_destroy, id), -XEN_ESRCH);
}

static void dom0_main(void)
{
    const void *elf = (const void *)(uintptr_t)start_info->mod_start;
    size_t len = start_info->mod_len;
    long port;

    if ( !map_shared_info() )
        return;
    if ( !len )
        return test_error("no victim kernel: start_info has no module");
    port = evtchn_bind_virq(VIRQ_DOM_EXC, 0);
    if ( port < 0 )
        return test_error("bind VIRQ_DOM_EXC: %ld", port);
    dom_exc_port = port;
    port = evtchn_bind_virq(VIRQ_TIMER, 0);
    if ( port < 0 )
        return test_error("bind VIRQ_TIMER: %ld", port);
    timer_port = port;
    destroy_interrupted(elf, len);
    destroy_abandoned(elf, len);
    destroy_while_mapped(elf, len);
    test_success();
}

void test_main(void)
{
    if ( cmdline_has("role") )
        child_main();
    else
        dom0_main();
}
