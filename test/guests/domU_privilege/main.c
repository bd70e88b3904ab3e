/*
 * What an unprivileged domain may not do, and a domU crash that leaves
 * the others running.
 *
 *   d1    calls the privileged-only hypercall (platform_op, refused by the
 *         dispatcher's table with -EPERM) and the operations that need
 *         privilege over another domain (-EPERM), lies to the console
 *         backend about its ring's producer (the backend must skip the
 *         claimed bytes, not read past the ring; later output still
 *         arrives), then reports;
 *   dom0  sets the time of day with platform_op (interface version
 *         mismatch -EACCES, non-zero mbz -EINVAL, then success: every
 *         domain's wall clock follows), hears d1's shutdown and then d2's
 *         crash through VIRQ_DOM_EXC, and still runs afterwards;
 *   d2    crashes (#UD with no trap table) when dom0 tells it to.
 */
#include "test.h"
#include <public/io/console.h>
#include <public/platform.h>

const char test_title[] = "domU_privilege";

#define WAIT (5000 * MS)

static long platform_op(struct xen_platform_op *op)
{
    return hypercall1(__HYPERVISOR_platform_op, GADDR(op));
}

static void test_settime(void)
{
    struct xen_platform_op op = { .cmd = XENPF_settime64,
                                  .interface_version = 0x03000000 };
    uint64_t now;

    CHECK_RC(platform_op(&op), -XEN_EACCES);
    op.interface_version = XENPF_INTERFACE_VERSION;
    op.u.settime64.mbz = 1;
    CHECK_RC(platform_op(&op), -XEN_EINVAL);
    op.u.settime64.mbz = 0;
    op.cmd = 12345;
    CHECK_RC(platform_op(&op), -XEN_ENOSYS);
    op.cmd = XENPF_settime64;
    now = system_time();
    op.u.settime64.secs = 2000000000;
    op.u.settime64.system_time = now;
    CHECK_RC(platform_op(&op), 0);
    /* Wall clock at system time 0 = 2e9 s - now. */
    if ( shared_info->wc_sec + now / 1000000000 < 1999999998 ||
         shared_info->wc_sec + now / 1000000000 > 2000000000 )
        test_fail("after settime64: wc_sec %u at system time %lu",
                  shared_info->wc_sec, now);
}

static void dom0_main(void)
{
    long exc = evtchn_bind_virq(VIRQ_DOM_EXC, 0);

    if ( exc <= 0 )
        return test_error("bind_virq(VIRQ_DOM_EXC): %ld", exc);
    test_settime();
    if ( !multi_wait_done(1, WAIT) )
        return test_fail("d1 did not finish");
    if ( !wait_port(exc, WAIT) )
        return test_fail("no VIRQ_DOM_EXC for d1's shutdown");
    CHECK_RC(evtchn_send(ctl_port[2]), 0);      /* d2: crash now */
    if ( !wait_port(exc, WAIT) )
        return test_fail("no VIRQ_DOM_EXC for d2's crash");
    /* The dead domain's end is still a port; sending to it is harmless. */
    CHECK_RC(evtchn_send(ctl_port[2]), 0);
    test_success();
}

/* A producer far beyond the ring: must be ignored, not followed. */
static void lie_to_console(void)
{
    volatile struct xencons_interface *ring = console_ring();

    if ( !ring )
        return test_fail("domU without a console ring");
    ring->out_prod = ring->out_cons + 1000000;
    CHECK_RC(evtchn_send(start_info->console.domU.evtchn), 0);
    if ( ring->out_cons != ring->out_prod )
        test_fail("backend did not skip a lying producer: cons %u prod %u",
                  ring->out_cons, ring->out_prod);
    printk("console still works after the lie\n");
}

static uint8_t scratch[4096] __page_aligned_bss;
static uint64_t scratch_l1e;

static void unprivileged_main(void)
{
    struct xen_platform_op op = { .cmd = XENPF_settime64,
                                  .interface_version =
                                      XENPF_INTERFACE_VERSION };
    struct evtchn_reset r = { .dom = 0 };
    struct evtchn_status st;
    char buf[8];

    CHECK_RC(platform_op(&op), -XEN_EPERM);
    CHECK_RC(platform_op((void *)BAD_UNMAPPED), -XEN_EPERM);
    CHECK_RC(HYPERVISOR_console_io(CONSOLEIO_read, sizeof(buf), buf),
             -XEN_EPERM);
    CHECK_RC(HYPERVISOR_event_channel_op(EVTCHNOP_reset, &r), -XEN_EPERM);
    CHECK_RC(evtchn_status(0, 1, &st), -XEN_EPERM);
    CHECK_RC(evtchn_alloc_unbound(2, 0), -XEN_EPERM);
    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), -XEN_ENOENT);
    /* Page-table calls naming other domains: only with privilege. */
    {
        uint64_t va = (uintptr_t)scratch;
        uint64_t pte = (virt_to_mfn(scratch) << 12) | 0x63;
        struct mmu_update u = { virt_to_maddr(&scratch_l1e), 0 };

        CHECK_RC(hypercall4(__HYPERVISOR_update_va_mapping_otherdomain, va,
                            pte, UVMF_INVLPG, DOMID_SELF), 0);
        CHECK_RC(hypercall4(__HYPERVISOR_update_va_mapping_otherdomain, va,
                            pte, UVMF_INVLPG, 0), -XEN_EPERM);
        CHECK_RC(HYPERVISOR_mmu_update(&u, 1, NULL, 0), -XEN_EPERM);
        CHECK_RC(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_IO), -XEN_EPERM);
        /* I/O frames (the VGA buffer, DOMID_IO's): dom0's only. */
        CHECK_RC(HYPERVISOR_update_va_mapping(va, (0xb8ULL << 12) | 0x63,
                                              UVMF_INVLPG), -XEN_EPERM);
    }
    /* Our own console port is bound to the hypervisor. */
    CHECK_RC(evtchn_status(DOMID_SELF, start_info->console.domU.evtchn, &st),
             0);
    if ( st.status != EVTCHNSTAT_interdomain ||
         st.u.interdomain.dom != DOMID_XEN )
        test_fail("console port: status %u dom %#x", st.status,
                  st.u.interdomain.dom);
    lie_to_console();
    if ( start_info->store_mfn || start_info->store_evtchn ||
         (start_info->flags & (SIF_PRIVILEGED | SIF_INITDOMAIN)) )
        test_fail("domU start_info: store %lu/%u flags %#x",
                  start_info->store_mfn, start_info->store_evtchn,
                  start_info->flags);
    test_success();
}

static void crash_main(void)
{
    if ( !wait_port(ctl_port[0], 60000 * MS) )
        return test_fail("dom0 never said to crash");
    HYPERVISOR_set_trap_table(NULL);
    asm volatile ( "ud2" ::: "memory" );
    test_fail("survived #UD without a trap table");
}

void test_main(void)
{
    if ( !multi_init() )
        return;
    if ( my_domid == 0 )
        dom0_main();
    else if ( cmdline_has("role=unprivileged") )
        unprivileged_main();
    else
        crash_main();
}
