/*
 * memory_op's x86 sub-ops (Xen 4.17's arch_memory_op and
 * subarch_memory_op): the memory maps and where the machine-to-phys
 * table is. do_memory_op hands over the whole cmd, so a continuation
 * count in its upper bits makes any of these unknown (-ENOSYS), as in
 * Xen.
 *
 * A PV domain's pseudo-physical map (memory_map) is whatever the
 * toolstack set with set_memory_map; with none set the answer is
 * -ENOSYS, which is what Xen gives dom0 and a PV domU built without
 * e820_host, and what Linux expects then: dom0 reads the machine map
 * instead, a domU assumes one RAM region covering its pages.
 */
#include <asm/current.h>
#include <asm/mm.h>
#include <mica/domain.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/lib.h>
#include <mica/memop.h>
#include <mica/page_alloc.h>
#include <mica/setup.h>
#include <public/memory.h>

#define M2P_EXTENT_FRAMES 512UL         /* 2 MiB of table */

static long memory_map(unsigned long arg)
{
    struct domain *d = current->domain;
    struct xen_memory_map map;

    if ( copy_from_guest(&map, arg, sizeof(map)) )
        return -EFAULT;
    if ( !d->arch.nr_e820 )
        return -ENOSYS;
    map.nr_entries = MIN(map.nr_entries, d->arch.nr_e820);
    if ( copy_to_guest(map.buffer, d->arch.e820,
                       map.nr_entries * sizeof(struct xen_e820_entry)) ||
         copy_to_guest(arg, &map, sizeof(map)) )
        return -EFAULT;
    return 0;
}

/* The toolstack's map for a domain (Xen lets a domain set its own). */
static long set_memory_map(unsigned long arg)
{
    struct xen_foreign_memory_map fmap;
    static struct xen_e820_entry buf[E820MAX];
    struct domain *d;

    if ( copy_from_guest(&fmap, arg, sizeof(fmap)) )
        return -EFAULT;
    if ( fmap.map.nr_entries > E820MAX )
        return -EINVAL;
    d = fmap.domid == DOMID_SELF ? current->domain : domain_by_id(fmap.domid);
    if ( !d )
        return -ESRCH;
    if ( d != current->domain && !current->domain->is_privileged )
        return -EPERM;
    if ( copy_from_guest(buf, fmap.map.buffer,
                         fmap.map.nr_entries * sizeof(buf[0])) )
        return -EFAULT;
    memcpy(d->arch.e820, buf, fmap.map.nr_entries * sizeof(buf[0]));
    d->arch.nr_e820 = fmap.map.nr_entries;
    return 0;
}

/* Frames dom0 may map although no RAM: the type code's rule. */
static bool dom0_io_ok(unsigned long mfn)
{
    return mfn_to_page(mfn)->owner == PAGE_OWNER_IO;
}

static long machine_memory_map(unsigned long arg)
{
    static struct xen_e820_entry out[2 * MAX_E820 + 1];
    struct xen_memory_map map;
    unsigned int nr;
    const struct e820_range *boot = machine_e820(&nr);
    bool store;
    long n;

    if ( !current->domain->is_privileged )
        return -EPERM;
    if ( copy_from_guest(&map, arg, sizeof(map)) )
        return -EFAULT;
    store = map.buffer != 0;
    if ( store && map.nr_entries < nr + 1 )
        return -EINVAL;
    if ( store && !guest_range_ok(map.buffer, (uint64_t)map.nr_entries *
                                              sizeof(out[0])) )
        return -EFAULT;
    n = e820_machine_map(boot, nr, dom0_io_ok, max_frame,
                         store ? out : NULL, map.nr_entries);
    if ( n < 0 )
        return n;
    if ( store && copy_to_guest(map.buffer, out, n * sizeof(out[0])) )
        return -EFAULT;
    map.nr_entries = n;
    return copy_to_guest(arg, &map, sizeof(map)) ? -EFAULT : 0;
}

static long machphys_mapping(unsigned long arg)
{
    struct xen_machphys_mapping m = {
        .v_start = MACH2PHYS_VIRT_START,
        .v_end = MACH2PHYS_VIRT_END,
        .max_mfn = MACH2PHYS_NR_ENTRIES - 1,
    };

    /* No memory hotplug: the hardware domain learns the real end. */
    if ( is_hardware_domain(current->domain) )
        m.max_mfn = max_frame - 1;
    return copy_to_guest(arg, &m, sizeof(m)) ? -EFAULT : 0;
}

/* The mfn of each 2 MiB piece of the M2P, as far as max_frame needs. */
static long machphys_mfn_list(unsigned long arg)
{
    struct xen_machphys_mfn_list l;
    unsigned long table_frames = (max_frame * 8 + PAGE_SIZE - 1) >>
                                 PAGE_SHIFT;
    uint32_t i;

    if ( copy_from_guest(&l, arg, sizeof(l)) )
        return -EFAULT;
    for ( i = 0; i != l.max_extents && i * M2P_EXTENT_FRAMES < table_frames;
          i++ )
    {
        uint64_t mfn = m2p_base_mfn() + i * M2P_EXTENT_FRAMES;

        if ( copy_to_guest(l.extent_start + (uint64_t)i * 8, &mfn, 8) )
            return -EFAULT;
    }
    l.nr_extents = i;
    return copy_to_guest(arg, &l, sizeof(l)) ? -EFAULT : 0;
}

long arch_memory_op(unsigned long cmd, unsigned long arg)
{
    switch ( cmd )
    {
    case XENMEM_memory_map:
        return memory_map(arg);
    case XENMEM_set_memory_map:
        return set_memory_map(arg);
    case XENMEM_machine_memory_map:
        return machine_memory_map(arg);
    case XENMEM_machphys_mapping:
        return machphys_mapping(arg);
    case XENMEM_machphys_mfn_list:
        return machphys_mfn_list(arg);
    case XENMEM_machphys_compat_mfn_list:
        return -EOPNOTSUPP;     /* no 32-bit PV guests */
    default:
        return -ENOSYS;
    }
}
