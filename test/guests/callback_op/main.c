/*
 * callback_op and set_callbacks: register and unregister every callback
 * type, bad types, bad addresses, bad pointers; prove the registered event
 * callback is the one that runs.
 *
 * Expected behaviour is Xen 4.17's xen/arch/x86/pv/callback.c:
 *   - do_callback_op: a faulting copy -> -EFAULT; unknown cmd -> -ENOSYS;
 *   - register_guest_callback: the address must be canonical (-EINVAL,
 *     checked before the type); event, failsafe, syscall, syscall32,
 *     sysenter and nmi are accepted; any other type -> -ENOSYS; an address
 *     inside the hypervisor range is not rejected;
 *   - unregister_guest_callback: nmi -> 0; event, failsafe, syscall,
 *     syscall32, sysenter -> -EINVAL; unknown -> -ENOSYS;
 *   - do_set_callbacks registers event, failsafe and syscall, ignores
 *     their individual errors and always returns 0.
 */
#include "test.h"

const char test_title[] = "callback_op";

static long reg(uint16_t type, uint16_t flags, uint64_t address)
{
    struct callback_register cb = {
        .type = type, .flags = flags, .address = address,
    };

    return HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

static long unreg(uint16_t type)
{
    struct callback_unregister cb = { .type = type };

    return HYPERVISOR_callback_op(CALLBACKOP_unregister, &cb);
}

static uint64_t addr(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

static void test_register(void)
{
    CHECK_RC(reg(CALLBACKTYPE_event, CALLBACKF_mask_events,
                 addr(event_callback_entry)), 0);
    CHECK_RC(reg(CALLBACKTYPE_event, 0, addr(event_callback_entry)), 0);
    CHECK_RC(reg(CALLBACKTYPE_failsafe, CALLBACKF_mask_events,
                 addr(failsafe_callback_entry)), 0);
    CHECK_RC(reg(CALLBACKTYPE_syscall, CALLBACKF_mask_events,
                 addr(syscall_callback_entry)), 0);
    CHECK_RC(reg(CALLBACKTYPE_syscall32, CALLBACKF_mask_events,
                 addr(syscall_callback_entry)), 0);
    CHECK_RC(reg(CALLBACKTYPE_sysenter, CALLBACKF_mask_events,
                 addr(syscall_callback_entry)), 0);
    CHECK_RC(reg(CALLBACKTYPE_nmi, 0, trap_stub(X86_EXC_NMI)), 0);
    CHECK_RC(unreg(CALLBACKTYPE_nmi), 0);
    CHECK_RC(reg(CALLBACKTYPE_event, CALLBACKF_mask_events,
                 addr(event_callback_entry)), 0);
}

static void test_register_bad(void)
{
    static const uint16_t bad_types[] = {
        CALLBACKTYPE_sysenter_deprecated, 6, 8, 0xffff,
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(bad_types); i++ )
    {
        long rc = reg(bad_types[i], 0, addr(syscall_callback_entry));

        if ( rc != -XEN_ENOSYS )
            test_fail("register type %u: got %ld (%s), expected -ENOSYS",
                      bad_types[i], rc, xen_errno_name(rc));
    }

    CHECK_RC(reg(CALLBACKTYPE_event, 0, BAD_NONCANONICAL), -XEN_EINVAL);
    CHECK_RC(reg(CALLBACKTYPE_syscall, 0, 0x0000800000000000ULL),
             -XEN_EINVAL);
    CHECK_RC(reg(CALLBACKTYPE_nmi, 0, BAD_NONCANONICAL), -XEN_EINVAL);
    /* The address is checked before the type. */
    CHECK_RC(reg(6, 0, BAD_NONCANONICAL), -XEN_EINVAL);

    /* Hypervisor range, canonical: accepted (restored straight after). */
    CHECK_RC(reg(CALLBACKTYPE_failsafe, 0, BAD_HYPERVISOR), 0);
    CHECK_RC(reg(CALLBACKTYPE_failsafe, CALLBACKF_mask_events,
                 addr(failsafe_callback_entry)), 0);
}

static void test_unregister(void)
{
    static const uint16_t einval[] = {
        CALLBACKTYPE_event, CALLBACKTYPE_failsafe, CALLBACKTYPE_syscall,
        CALLBACKTYPE_syscall32, CALLBACKTYPE_sysenter,
    };
    static const uint16_t enosys[] = {
        CALLBACKTYPE_sysenter_deprecated, 6, 8, 0xffff,
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(einval); i++ )
    {
        long rc = unreg(einval[i]);

        if ( rc != -XEN_EINVAL )
            test_fail("unregister type %u: got %ld (%s), expected -EINVAL",
                      einval[i], rc, xen_errno_name(rc));
    }
    for ( i = 0; i < ARRAY_SIZE(enosys); i++ )
    {
        long rc = unreg(enosys[i]);

        if ( rc != -XEN_ENOSYS )
            test_fail("unregister type %u: got %ld (%s), expected -ENOSYS",
                      enosys[i], rc, xen_errno_name(rc));
    }
    CHECK_RC(unreg(CALLBACKTYPE_nmi), 0);
}

static void test_bad_args(void)
{
    CHECK_RC(hypercall2(__HYPERVISOR_callback_op, CALLBACKOP_register,
                        BAD_NONCANONICAL), -XEN_EFAULT);
    CHECK_RC(hypercall2(__HYPERVISOR_callback_op, CALLBACKOP_register,
                        BAD_UNMAPPED), -XEN_EFAULT);
    CHECK_RC(hypercall2(__HYPERVISOR_callback_op, CALLBACKOP_unregister,
                        BAD_HYPERVISOR), -XEN_EFAULT);
    CHECK_RC(hypercall2(__HYPERVISOR_callback_op, 2, 0), -XEN_ENOSYS);
    CHECK_RC(hypercall2(__HYPERVISOR_callback_op, 0xffffffff, 0),
             -XEN_ENOSYS);
}

/* Force one upcall (see the sched_op test): which entry receives it? */
static bool deliver_one_event(void)
{
    struct vcpu_info *vi = vcpu0_info();
    unsigned int before = events_seen;

    vi->evtchn_upcall_mask = 1;
    vi->evtchn_upcall_pending = 1;
    if ( !CHECK_RC(HYPERVISOR_sched_op(SCHEDOP_block, NULL), 0) )
        return false;
    if ( events_seen != before + 1 )
    {
        test_fail("forced upcall: %u deliveries, expected 1",
                  events_seen - before);
        return false;
    }
    return true;
}

static void test_event_delivery(void)
{
    unsigned int alt;

    if ( !map_shared_info() )
        return;

    CHECK_RC(reg(CALLBACKTYPE_event, CALLBACKF_mask_events,
                 addr(event_callback_alt_entry)), 0);
    alt = events_alt;
    if ( deliver_one_event() && events_alt != alt + 1 )
        test_fail("upcall did not use the newly registered entry");

    /* set_callbacks: a bad event address is ignored, result still 0. */
    CHECK_RC(HYPERVISOR_set_callbacks(BAD_NONCANONICAL,
                                      addr(failsafe_callback_entry),
                                      addr(syscall_callback_entry)), 0);
    alt = events_alt;
    if ( deliver_one_event() && events_alt != alt + 1 )
        test_fail("set_callbacks replaced the event callback with a "
                  "non-canonical address");

    CHECK_RC(HYPERVISOR_set_callbacks(addr(event_callback_entry),
                                      addr(failsafe_callback_entry),
                                      addr(syscall_callback_entry)), 0);
    alt = events_alt;
    if ( deliver_one_event() && events_alt != alt )
        test_fail("set_callbacks did not install the event callback");
}

void test_main(void)
{
    test_register();
    test_register_bad();
    test_unregister();
    test_bad_args();
    test_event_delivery();

    /* Leave the boot callbacks (with CALLBACKF_mask_events) in place. */
    CHECK_RC(callbacks_register_boot(), 0);
    test_success();
}
