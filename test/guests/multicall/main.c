/*
 * multicall(entries, nr): several calls in one batch, per-entry results,
 * a failing entry that does not disturb its neighbours, bad lists.
 *
 * Expected behaviour is Xen 4.17's do_multicall() (xen/common/multicall.c)
 * and pv_do_multicall_call() (xen/arch/x86/pv/hypercall.c):
 *   - the list must pass guest_handle_okay() for nr entries (-EFAULT),
 *     even for nr == 0; an entry that cannot be read -> -EFAULT;
 *   - each entry runs through the normal dispatcher and only its `result`
 *     field is written back (debug builds scribble over the rest); an
 *     unknown op gives -ENOSYS in its result;
 *   - a nested multicall fails with -EINVAL ("reentry is disallowed");
 *   - the multicall itself returns 0 when every entry could be read.
 */
#include "test.h"

const char test_title[] = "multicall";

static struct multicall_entry calls[8];
static const char msg[] = "multicall: console write from a batch\n";

static void set_call(struct multicall_entry *mc, uint64_t op, uint64_t a0,
                     uint64_t a1, uint64_t a2)
{
    memset(mc, 0, sizeof(*mc));
    mc->op = op;
    mc->result = 0x5a5a5a5a5a5a5a5aULL;
    mc->args[0] = a0;
    mc->args[1] = a1;
    mc->args[2] = a2;
}

static void check_result(unsigned int i, long expected)
{
    long got = (long)calls[i].result;

    if ( got != expected )
        test_fail("entry %u: result %ld (%s), expected %ld (%s)", i, got,
                  xen_errno_name(got), expected, xen_errno_name(expected));
}

static void test_batch(void)
{
    long version = HYPERVISOR_xen_version(XENVER_version, NULL);

    set_call(&calls[0], __HYPERVISOR_xen_version, XENVER_version, 0, 0);
    set_call(&calls[1], __HYPERVISOR_vm_assist, VMASST_CMD_enable, 6, 0);
    set_call(&calls[2], __HYPERVISOR_console_io, CONSOLEIO_write,
             sizeof(msg) - 1, GADDR(msg));
    set_call(&calls[3], 11, 0, 0, 0);
    set_call(&calls[4], __HYPERVISOR_set_segment_base, 4, 0, 0);
    set_call(&calls[5], __HYPERVISOR_multicall, GADDR(&calls[0]), 1, 0);
    set_call(&calls[6], __HYPERVISOR_xen_version, XENVER_pagesize, 0, 0);
    set_call(&calls[7], __HYPERVISOR_console_io, CONSOLEIO_write, 4,
             BAD_NONCANONICAL);

    if ( !CHECK_RC(HYPERVISOR_multicall(calls, 8), 0) )
        return;
    check_result(0, version);
    check_result(1, -XEN_EINVAL);
    check_result(2, 0);
    check_result(3, -XEN_ENOSYS);
    check_result(4, -XEN_EINVAL);
    check_result(5, -XEN_EINVAL);
    check_result(6, 4096);
    check_result(7, -XEN_EFAULT);
}

/* State changes made inside a batch stick. */
static void test_side_effects(void)
{
    static uint64_t fs_word = 0x0123456789abcdefULL;
    uint64_t v;

    set_call(&calls[0], __HYPERVISOR_set_segment_base, SEGBASE_FS,
             GADDR(&fs_word), 0);
    set_call(&calls[1], __HYPERVISOR_fpu_taskswitch, 0, 0, 0);
    if ( !CHECK_RC(HYPERVISOR_multicall(calls, 2), 0) )
        return;
    check_result(0, 0);
    check_result(1, 0);
    asm volatile ( "mov %%fs:0, %0" : "=r" (v) :: "memory" );
    if ( v != fs_word )
        test_fail("FS base set in a batch: %%fs:0 reads %#lx", v);
    CHECK_RC(HYPERVISOR_set_segment_base(SEGBASE_FS, 0), 0);
}

static void test_bad_lists(void)
{
    set_call(&calls[0], __HYPERVISOR_xen_version, XENVER_version, 0, 0);

    CHECK_RC(HYPERVISOR_multicall(calls, 0), 0);
    if ( calls[0].result != 0x5a5a5a5a5a5a5a5aULL )
        test_fail("nr 0 touched the first entry");

    CHECK_RC(hypercall2(__HYPERVISOR_multicall, BAD_NONCANONICAL, 1),
             -XEN_EFAULT);
    CHECK_RC(hypercall2(__HYPERVISOR_multicall, BAD_HYPERVISOR, 1),
             -XEN_EFAULT);
    CHECK_RC(hypercall2(__HYPERVISOR_multicall, BAD_UNMAPPED, 1),
             -XEN_EFAULT);
    CHECK_RC(hypercall2(__HYPERVISOR_multicall, BAD_NONCANONICAL, 0),
             -XEN_EFAULT);
}

void test_main(void)
{
    test_batch();
    test_side_effects();
    test_bad_lists();
    test_success();
}
