/*
 * xen_version: who we claim to be. Mica presents itself as Xen 4.17's
 * x86-64 PV interface, since that is the ABI guests are written against.
 */
#include <asm/current.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/lib.h>
#include <mica/setup.h>
#include <public/arch-x86_64.h>
#include <public/features.h>
#include <public/version.h>

#define VERSION_MAJOR 4
#define VERSION_MINOR 17

static uint32_t feature_submap(const struct domain *d)
{
    uint32_t f = (1u << XENFEAT_mmu_pt_update_preserve_ad) |
                 (1u << XENFEAT_highmem_assist) |
                 (1u << XENFEAT_gnttab_map_avail_bits) |
                 (1u << XENFEAT_memory_op_vnode_supported) |
                 (1u << XENFEAT_direct_mapped);   /* PV: gfn == mfn */

    if ( d->arch.vm_assist & (1UL << VMASST_TYPE_pae_extended_cr3) )
        f |= 1u << XENFEAT_pae_pgdir_above_4gb;
    if ( is_hardware_domain(d) )
        f |= 1u << XENFEAT_dom0;
    return f;
}

static long copy_string(unsigned long arg, const char *s, size_t size)
{
    char buf[1024];

    memset(buf, 0, size);
    strlcpy(buf, s, size);
    return copy_to_guest(arg, buf, size);
}

static long get_features(unsigned long arg)
{
    struct xen_feature_info fi;

    if ( copy_from_guest(&fi, arg, sizeof(fi)) )
        return -EFAULT;
    if ( fi.submap_idx != 0 )
        return -EINVAL;
    fi.submap = feature_submap(current->domain);
    return copy_to_guest(arg, &fi, sizeof(fi));
}

static long compile_info(unsigned long arg)
{
    struct xen_compile_info ci;

    memset(&ci, 0, sizeof(ci));
    strlcpy(ci.compiler, "gcc " __VERSION__, sizeof(ci.compiler));
    strlcpy(ci.compile_by, "mica", sizeof(ci.compile_by));
    strlcpy(ci.compile_domain, "mica", sizeof(ci.compile_domain));
    strlcpy(ci.compile_date, __DATE__ " " __TIME__, sizeof(ci.compile_date));
    return copy_to_guest(arg, &ci, sizeof(ci));
}

/* The linker's GNU build-id note (see mica.lds). */
extern const uint8_t __build_id_start[], __build_id_end[];

static long get_build_id(unsigned long arg)
{
    const uint32_t *note = (const uint32_t *)__build_id_start;
    struct xen_build_id b;
    uint32_t size;

    if ( arg )
    {
        if ( copy_from_guest(&b, arg, sizeof(b)) )
            return -EFAULT;
        if ( b.len == 0 )
            return -EINVAL;
    }
    if ( __build_id_end - __build_id_start < 16 )
        return -ENODATA;
    size = note[1];             /* descsz; the name is "GNU\0" */
    if ( !arg )
        return size;
    if ( size > b.len )
        return -ENOBUFS;
    if ( copy_to_guest(arg + sizeof(b), (const uint8_t *)(note + 4), size) )
        return -EFAULT;
    return size;
}

long do_xen_version(unsigned long cmd, unsigned long arg, unsigned long a3,
                    unsigned long a4, unsigned long a5)
{
    struct xen_platform_parameters pp = { HYPERVISOR_VIRT_START };
    uint8_t handle[16] = { 0 };

    switch ( cmd )
    {
    case XENVER_version:
        return (VERSION_MAJOR << 16) | VERSION_MINOR;
    case XENVER_extraversion:
        return copy_string(arg, ".0-mica", XEN_EXTRAVERSION_LEN);
    case XENVER_compile_info:
        return compile_info(arg);
    case XENVER_capabilities:
        return copy_string(arg, "xen-3.0-x86_64", XEN_CAPABILITIES_INFO_LEN);
    case XENVER_changeset:
        return copy_string(arg, "mica", XEN_CHANGESET_INFO_LEN);
    case XENVER_platform_parameters:
        return copy_to_guest(arg, &pp, sizeof(pp));
    case XENVER_get_features:
        return get_features(arg);
    case XENVER_pagesize:
        return arg ? -EINVAL : (long)PAGE_SIZE;
    case XENVER_guest_handle:
        return copy_to_guest(arg, handle, sizeof(handle));
    case XENVER_commandline:
        if ( !current->domain->is_privileged )
            return -EPERM;
        return copy_string(arg, hypervisor_cmdline, 1024);
    case XENVER_build_id:
        if ( !current->domain->is_privileged )
            return -EPERM;
        return get_build_id(arg);
    default:
        return -ENOSYS;
    }
}
