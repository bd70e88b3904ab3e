/*
 * platform_op as a dom0 kernel uses it at boot, with the answers Xen 4.17
 * gives on a machine whose firmware reported nothing (do_platform_op in
 * xen/arch/x86/platform_hypercall.c):
 *   - a wrong interface_version is -EACCES, an unreadable op -EFAULT, an
 *     unknown command -ENOSYS;
 *   - firmware_info: disk info, MBR signatures and EDID are -ESRCH (none
 *     recorded), EFI info -ENOSYS (no EFI boot), an unknown type -EINVAL;
 *     keyboard shift flags at index 0 read 0 and only that byte is
 *     written; index 1 is -ESRCH;
 *   - get_cpuinfo: CPU 0 is online, the highest present CPU is 0, its ACPI
 *     id unknown (~0); CPU 1 is flagged invalid.
 */
#include "test.h"

const char test_title[] = "platform_op";

static void init_op(struct xen_platform_op *op, uint32_t cmd)
{
    memset(op, 0xaa, sizeof(*op));
    op->cmd = cmd;
    op->interface_version = XENPF_INTERFACE_VERSION;
}

static long firmware(uint32_t type, uint32_t index)
{
    struct xen_platform_op op;

    init_op(&op, XENPF_firmware_info);
    op.u.firmware_info.type = type;
    op.u.firmware_info.index = index;
    return HYPERVISOR_platform_op(&op);
}

static void test_firmware_info(void)
{
    struct xen_platform_op op;
    const uint8_t *u = (const uint8_t *)&op.u.firmware_info.u;

    CHECK_RC(firmware(XEN_FW_DISK_INFO, 0), -XEN_ESRCH);
    CHECK_RC(firmware(XEN_FW_DISK_MBR_SIGNATURE, 0), -XEN_ESRCH);
    CHECK_RC(firmware(XEN_FW_VBEDDC_INFO, 0), -XEN_ESRCH);
    CHECK_RC(firmware(XEN_FW_EFI_INFO, 0), -XEN_ENOSYS);
    CHECK_RC(firmware(XEN_FW_KBD_SHIFT_FLAGS, 1), -XEN_ESRCH);
    CHECK_RC(firmware(99, 0), -XEN_EINVAL);

    init_op(&op, XENPF_firmware_info);
    op.u.firmware_info.type = XEN_FW_KBD_SHIFT_FLAGS;
    op.u.firmware_info.index = 0;
    CHECK_RC(HYPERVISOR_platform_op(&op), 0);
    if ( u[0] != 0 )
        test_fail("kbd_shift_flags: %#x, expected 0", u[0]);
    if ( u[1] != 0xaa )
        test_fail("kbd_shift_flags wrote past its byte");
}

static void test_get_cpuinfo(void)
{
    struct xen_platform_op op;
    struct xenpf_pcpuinfo *p = &op.u.pcpu_info;

    init_op(&op, XENPF_get_cpuinfo);
    p->xen_cpuid = 0;
    CHECK_RC(HYPERVISOR_platform_op(&op), 0);
    if ( p->flags != XEN_PCPU_FLAGS_ONLINE )
        test_fail("CPU 0 flags %#x, expected ONLINE", p->flags);
    if ( p->max_present != 0 )
        test_fail("max_present %u, expected 0", p->max_present);
    if ( p->acpi_id != 0xffffffffu )
        test_fail("CPU 0 acpi_id %#x, expected none (~0)", p->acpi_id);

    init_op(&op, XENPF_get_cpuinfo);
    p->xen_cpuid = 1;
    CHECK_RC(HYPERVISOR_platform_op(&op), 0);
    if ( p->flags != XEN_PCPU_FLAGS_INVALID )
        test_fail("CPU 1 flags %#x, expected INVALID", p->flags);
    if ( p->max_present != 0 )
        test_fail("max_present %u for CPU 1", p->max_present);
}

void test_main(void)
{
    struct xen_platform_op op;

    init_op(&op, XENPF_get_cpuinfo);
    op.interface_version = XENPF_INTERFACE_VERSION + 1;
    CHECK_RC(HYPERVISOR_platform_op(&op), -XEN_EACCES);
    CHECK_RC(HYPERVISOR_platform_op((void *)BAD_UNMAPPED), -XEN_EFAULT);
    init_op(&op, 12345);
    CHECK_RC(HYPERVISOR_platform_op(&op), -XEN_ENOSYS);

    test_firmware_info();
    test_get_cpuinfo();
    test_success();
}
