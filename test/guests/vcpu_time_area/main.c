/*
 * VCPUOP_register_vcpu_time_memory_area: a copy of the vCPU's pvclock
 * record at a guest address (Linux puts it in its vDSO page, so user
 * space reads the clock without a system call).
 *
 * Expected behaviour is Xen 4.17's (arch/x86/domain.c arch_do_vcpu_op,
 * arch/x86/time.c update_secondary_system_time):
 *   - a vCPU that does not exist -> -ENOENT; an unreadable argument ->
 *     -EFAULT;
 *   - guest_handle_okay checks only the start of the area: non-canonical
 *     or in the hypervisor's range [0xffff800000000000,
 *     0xffff880000000000) -> -EFAULT; 0 is accepted and stops the copies;
 *   - registering writes the record at once (force_update_vcpu_system_
 *     time): an even version and the same fields as vcpu_info's record;
 *   - from then on only the newest area is written.
 */
#include "test.h"

const char test_title[] = "vcpu_time_area";

static struct vcpu_time_info area_a, area_b;

static long reg(unsigned int vcpu, uint64_t addr)
{
    struct vcpu_register_time_memory_area r = { .addr = addr };

    return HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_time_memory_area, vcpu,
                              &r);
}

static void poison(struct vcpu_time_info *t)
{
    memset(t, 0xa5, sizeof(*t));
}

static bool poisoned(const struct vcpu_time_info *t)
{
    const uint8_t *p = (const uint8_t *)t;

    for ( size_t i = 0; i < sizeof(*t); i++ )
        if ( p[i] != 0xa5 )
            return false;
    return true;
}

/* The copy must be the record in vcpu_info, whole and consistent. */
static void check_copy(const char *what, const struct vcpu_time_info *t)
{
    const struct vcpu_time_info *p = &vcpu0_info()->time;

    if ( t->version & 1 )
        test_fail("%s: odd version %u", what, t->version);
    if ( t->version != p->version || t->tsc_timestamp != p->tsc_timestamp ||
         t->system_time != p->system_time ||
         t->tsc_to_system_mul != p->tsc_to_system_mul ||
         t->tsc_shift != p->tsc_shift || t->flags != p->flags )
        test_fail("%s: copy v%u tsc %lu st %lu mul %u shift %d flags %#x, "
                  "vcpu_info v%u tsc %lu st %lu mul %u shift %d flags %#x",
                  what, t->version, t->tsc_timestamp, t->system_time,
                  t->tsc_to_system_mul, t->tsc_shift, t->flags, p->version,
                  p->tsc_timestamp, p->system_time, p->tsc_to_system_mul,
                  p->tsc_shift, p->flags);
    if ( !(t->flags & XEN_PVCLOCK_TSC_STABLE_BIT) || !t->tsc_to_system_mul )
        test_fail("%s: flags %#x mul %u", what, t->flags,
                  t->tsc_to_system_mul);
}

static void test_refusals(void)
{
    CHECK_RC(reg(1, GADDR(&area_a)), -XEN_ENOENT);
    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0,
                                (void *)0x8000000000000000ULL), -XEN_EFAULT);
    CHECK_RC(reg(0, 1ULL << 47), -XEN_EFAULT);
    CHECK_RC(reg(0, 0x0000800000001000ULL), -XEN_EFAULT);
    CHECK_RC(reg(0, 0xffff800000000000ULL), -XEN_EFAULT);
    CHECK_RC(reg(0, 0xffff87fffffffff8ULL), -XEN_EFAULT);
    /* Just below the hole: accepted, only its start is checked. */
    CHECK_RC(reg(0, 0x00007ffffffffff8ULL), 0);
    CHECK_RC(reg(0, 0), 0);
}

static void test_copies(void)
{
    poison(&area_a);
    poison(&area_b);
    CHECK_RC(reg(0, GADDR(&area_a)), 0);
    check_copy("area a", &area_a);
    if ( !poisoned(&area_b) )
        test_fail("area b written before it was registered");

    poison(&area_a);
    CHECK_RC(reg(0, GADDR(&area_b)), 0);
    check_copy("area b", &area_b);
    if ( !poisoned(&area_a) )
        test_fail("area a still written after area b replaced it");

    poison(&area_b);
    CHECK_RC(reg(0, 0), 0);
    if ( !poisoned(&area_b) )
        test_fail("area b written after registering 0");
}

void test_main(void)
{
    if ( !map_shared_info() )
        return;
    test_refusals();
    test_copies();
    test_success();
}
