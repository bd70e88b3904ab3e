/*
 * HYPERVISOR_platform_op(op): host-wide operations for the control
 * domain only. Mica implements XENPF_settime64 (dom0 tells the hypervisor
 * the time of day), the firmware queries and the physical CPU list a dom0
 * kernel makes at boot, and answers -ENOSYS for the rest.
 */
#ifndef MICA_PUBLIC_PLATFORM_H
#define MICA_PUBLIC_PLATFORM_H

#include <stdint.h>
#include "abi-check.h"

#define XENPF_INTERFACE_VERSION 0x03000001

/* The clock reads secs.nsecs since 1970 when system time is system_time. */
#define XENPF_settime64 62
struct xenpf_settime64 {
    uint64_t secs;
    uint32_t nsecs;
    uint32_t mbz;
    uint64_t system_time;
};
typedef struct xenpf_settime64 xenpf_settime64_t;
MICA_ABI_SIZE(struct xenpf_settime64, 24);

/*
 * What the firmware told the hypervisor at boot: disk geometry (EDD),
 * MBR signatures, the monitor's EDID, EFI tables, keyboard shift state.
 * IN type and index; OUT the member of u named after the type.
 */
#define XENPF_firmware_info       50
#define XEN_FW_DISK_INFO          1
#define XEN_FW_DISK_MBR_SIGNATURE 2
#define XEN_FW_VBEDDC_INFO        3
#define XEN_FW_EFI_INFO           4
#define XEN_FW_KBD_SHIFT_FLAGS    5
struct xenpf_firmware_info {
    uint32_t type;
    uint32_t index;
    union {
        struct {
            uint8_t device;
            uint8_t version;
            uint16_t interface_support;
            uint16_t legacy_max_cylinder;
            uint8_t legacy_max_head;
            uint8_t legacy_sectors_per_track;
            uint64_t edd_params;    /* guest buffer, first u16 = its size */
        } disk_info;
        struct {
            uint8_t device;
            uint32_t mbr_signature;
        } disk_mbr_signature;
        struct {
            uint8_t capabilities;
            uint8_t edid_transfer_time;
            uint64_t edid;          /* guest buffer of 128 bytes */
        } vbeddc_info;
        uint8_t efi_info[32];       /* union xenpf_efi_info, by index */
        uint8_t kbd_shift_flags;
    } u;
};
typedef struct xenpf_firmware_info xenpf_firmware_info_t;
MICA_ABI_SIZE(struct xenpf_firmware_info, 40);
MICA_ABI_OFFSET(struct xenpf_firmware_info, u, 8);

/*
 * Physical CPU number xen_cpuid: IN xen_cpuid; OUT the highest present
 * CPU number, flags (ONLINE, or INVALID if there is no such CPU) and, for
 * a valid one, its APIC and ACPI ids.
 */
#define XENPF_get_cpuinfo         55
#define XEN_PCPU_FLAGS_ONLINE     1
#define XEN_PCPU_FLAGS_INVALID    2
struct xenpf_pcpuinfo {
    uint32_t xen_cpuid;
    uint32_t max_present;
    uint32_t flags;
    uint32_t apic_id;
    uint32_t acpi_id;
};
typedef struct xenpf_pcpuinfo xenpf_pcpuinfo_t;
MICA_ABI_SIZE(struct xenpf_pcpuinfo, 20);

struct xen_platform_op {
    uint32_t cmd;
    uint32_t interface_version;     /* XENPF_INTERFACE_VERSION */
    union {
        struct xenpf_settime64 settime64;
        struct xenpf_firmware_info firmware_info;
        struct xenpf_pcpuinfo pcpu_info;
        uint8_t pad[128];
    } u;
};
typedef struct xen_platform_op xen_platform_op_t;
MICA_ABI_SIZE(struct xen_platform_op, 136);
MICA_ABI_OFFSET(struct xen_platform_op, u, 8);

#endif /* MICA_PUBLIC_PLATFORM_H */
