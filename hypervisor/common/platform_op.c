/*
 * platform_op: host-wide operations, privileged (the dispatcher's table
 * refuses every other domain with -EPERM). Only XENPF_settime64 so far:
 * dom0 sets the time of day, and every domain's wall clock follows.
 */
#include <mica/guest_access.h>
#include <mica/vtime.h>
#include <public/platform.h>

long do_platform_op(unsigned long arg, unsigned long a2, unsigned long a3,
                    unsigned long a4, unsigned long a5)
{
    struct xen_platform_op op;
    uint64_t wall;

    if ( copy_from_guest(&op, arg, sizeof(op)) )
        return -EFAULT;
    if ( op.interface_version != XENPF_INTERFACE_VERSION )
        return -EACCES;
    switch ( op.cmd )
    {
    case XENPF_settime64:
        if ( op.u.settime64.mbz )
            return -EINVAL;
        wall = op.u.settime64.secs * 1000000000ULL + op.u.settime64.nsecs;
        /* Wall-clock time at system time 0. */
        vtime_set_wallclock(wall - op.u.settime64.system_time);
        return 0;
    default:
        return -ENOSYS;
    }
}
