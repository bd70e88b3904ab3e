/*
 * Grant tables for test kernels: the hypercall, one-item map and unmap,
 * and the machine address of the L1 entry that maps a virtual address
 * (for GNTMAP_contains_pte). Header-only: include after test.h.
 */
#ifndef GUEST_GRANT_H
#define GUEST_GRANT_H

#include <public/grant_table.h>

#define GNT_M2P ((const uint64_t *)0xffff800000000000ULL)

static inline long HYPERVISOR_grant_table_op(unsigned int cmd, void *uop,
                                             unsigned int count)
{
    return hypercall3(__HYPERVISOR_grant_table_op, cmd, GADDR(uop), count);
}

/* Map one grant; its status (GNTST_*), or the hypercall's error. */
static inline long gnt_map(domid_t dom, grant_ref_t ref, uint64_t host_addr,
                           uint32_t flags, grant_handle_t *handle,
                           uint64_t *bus)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = host_addr, .flags = flags, .ref = ref, .dom = dom,
    };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);

    if ( rc )
        return rc;
    if ( handle )
        *handle = op.handle;
    if ( bus )
        *bus = op.dev_bus_addr;
    return op.status;
}

static inline long gnt_unmap(uint64_t host_addr, grant_handle_t handle)
{
    struct gnttab_unmap_grant_ref op = {
        .host_addr = host_addr, .handle = handle,
    };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);

    return rc ? rc : op.status;
}

/*
 * The machine address of the L1 entry for va in our initial page tables,
 * which the builder put inside the initial mapping (so the M2P gives
 * each table's virtual address). 0 if a level is missing.
 */
static inline uint64_t gnt_l1e_maddr(const void *p)
{
    uint64_t va = (uint64_t)(uintptr_t)p;
    const uint64_t *table = (const uint64_t *)(uintptr_t)start_info->pt_base;
    static const unsigned int shifts[] = { 39, 30, 21 };

    for ( unsigned int i = 0; i < 3; i++ )
    {
        uint64_t e = table[(va >> shifts[i]) & 511];
        uint64_t mfn = (e >> 12) & ((1ULL << 40) - 1);

        if ( !(e & 1) )
            return 0;
        table = (const uint64_t *)(uintptr_t)(VIRT_BASE +
                                              (GNT_M2P[mfn] << 12));
        if ( i == 2 )
            return (mfn << 12) + ((va >> 12) & 511) * 8;
    }
    return 0;
}

/*
 * Set up our own table (one frame) and map it writable at `window`, a
 * page of our .bss. The table, or NULL after test_error().
 */
static inline volatile grant_entry_v1_t *gnt_map_own_table(void *window)
{
    xen_pfn_t frame = 0;
    struct gnttab_setup_table st = {
        .dom = DOMID_SELF, .nr_frames = 1, .frame_list = GADDR(&frame),
    };

    if ( HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1) ||
         st.status != GNTST_okay || !frame )
    {
        test_error("setup_table: status %d frame %#lx", st.status, frame);
        return NULL;
    }
    if ( map_frame_at(window, frame, PTE_KERNEL_RW) )
    {
        test_error("cannot map my grant table frame %#lx", frame);
        return NULL;
    }
    return (volatile grant_entry_v1_t *)window;
}

#endif /* GUEST_GRANT_H */
