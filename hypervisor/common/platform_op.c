/*
 * platform_op: host-wide operations, privileged (the dispatcher's table
 * refuses every other domain with -EPERM). Each answer is the one Xen
 * 4.17 gives (do_platform_op in xen/arch/x86/platform_hypercall.c) on a
 * machine like ours:
 *
 *   settime64       dom0 sets the time of day; every domain's wall
 *                   clock follows
 *   firmware_info   Mica is loaded by multiboot and never asks the BIOS
 *                   about disks, MBRs or the monitor: those answer
 *                   -ESRCH as Xen does when it found none; no EFI boot:
 *                   -ENOSYS; keyboard shift flags: none held (index 0
 *                   only, else -ESRCH); an unknown type -EINVAL
 *   get_cpuinfo     one physical CPU, online, its APIC id from CPUID;
 *                   no ACPI processor ids are known (all ones); other
 *                   CPU numbers are flagged invalid
 *
 * Only the OUT fields are written back, as Xen does.
 */
#include <asm/processor.h>
#include <mica/guest_access.h>
#include <mica/lib.h>
#include <mica/vtime.h>
#include <public/platform.h>

#define INVALID_ACPIID 0xffffffffu

static long settime64(const struct xenpf_settime64 *st)
{
    uint64_t wall;

    if ( st->mbz )
        return -EINVAL;
    wall = st->secs * 1000000000ULL + st->nsecs;
    /* Wall-clock time at system time 0. */
    vtime_set_wallclock(wall - st->system_time);
    return 0;
}

static long firmware_info(unsigned long arg, struct xenpf_firmware_info *fw)
{
    unsigned long out = arg + __builtin_offsetof(struct xen_platform_op,
                                                 u.firmware_info.u);

    switch ( fw->type )
    {
    case XEN_FW_DISK_INFO:
    case XEN_FW_DISK_MBR_SIGNATURE:
    case XEN_FW_VBEDDC_INFO:
        return -ESRCH;              /* the firmware reported none */
    case XEN_FW_EFI_INFO:
        return -ENOSYS;             /* not booted through EFI */
    case XEN_FW_KBD_SHIFT_FLAGS:
        if ( fw->index != 0 )
            return -ESRCH;
        fw->u.kbd_shift_flags = 0;
        return copy_to_guest(out, &fw->u.kbd_shift_flags, 1);
    default:
        return -EINVAL;
    }
}

static uint32_t boot_cpu_apic_id(void)
{
    uint32_t a, b, c, d;

    cpuid_count(1, 0, &a, &b, &c, &d);
    return b >> 24;
}

static long get_cpuinfo(unsigned long arg, struct xenpf_pcpuinfo *info)
{
    if ( info->xen_cpuid != 0 )
        info->flags = XEN_PCPU_FLAGS_INVALID;
    else
    {
        info->apic_id = boot_cpu_apic_id();
        info->acpi_id = INVALID_ACPIID;
        info->flags = XEN_PCPU_FLAGS_ONLINE;
    }
    info->max_present = 0;
    return copy_to_guest(arg + __builtin_offsetof(struct xen_platform_op,
                                                  u.pcpu_info),
                         info, sizeof(*info));
}

long do_platform_op(unsigned long arg, unsigned long a2, unsigned long a3,
                    unsigned long a4, unsigned long a5)
{
    struct xen_platform_op op;

    if ( copy_from_guest(&op, arg, sizeof(op)) )
        return -EFAULT;
    if ( op.interface_version != XENPF_INTERFACE_VERSION )
        return -EACCES;
    switch ( op.cmd )
    {
    case XENPF_settime64:
        return settime64(&op.u.settime64);
    case XENPF_firmware_info:
        return firmware_info(arg, &op.u.firmware_info);
    case XENPF_get_cpuinfo:
        return get_cpuinfo(arg, &op.u.pcpu_info);
    default:
        printk(LOG_DEBUG "platform_op: cmd %u not implemented\n", op.cmd);
        return -ENOSYS;
    }
}
