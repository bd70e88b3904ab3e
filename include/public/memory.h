/*
 * HYPERVISOR_memory_op(cmd, arg): a domain's memory reservation and the
 * facts about memory a PV guest needs (its pseudo-physical map, the
 * machine map for dom0, where the machine-to-phys table lives).
 *
 * cmd carries the sub-op in its low MEMOP_EXTENT_SHIFT bits. For the
 * three reservation sub-ops the bits above say how many extents an
 * earlier, preempted piece of the same call already handled: a guest
 * starts with them clear, and the hypervisor sets them itself when it
 * asks the guest to re-issue the call.
 *
 * For a PV guest "gmfn" means a machine frame number and "gpfn" its
 * own pseudo-physical frame number; handles are guest virtual addresses.
 */
#ifndef MICA_PUBLIC_MEMORY_H
#define MICA_PUBLIC_MEMORY_H

#include <stdint.h>
#include "abi-check.h"
#include "xen.h"

#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK     ((1U << MEMOP_EXTENT_SHIFT) - 1)

#define XENMEM_increase_reservation  0   /* xen_memory_reservation */
#define XENMEM_decrease_reservation  1   /* xen_memory_reservation */
#define XENMEM_maximum_ram_page      2   /* no argument */
#define XENMEM_current_reservation   3   /* xen_memory_domain */
#define XENMEM_maximum_reservation   4   /* xen_memory_domain */
#define XENMEM_machphys_mfn_list     5   /* xen_machphys_mfn_list */
#define XENMEM_populate_physmap      6   /* xen_memory_reservation */
#define XENMEM_add_to_physmap        7   /* xen_add_to_physmap */
#define XENMEM_memory_map            9   /* xen_memory_map */
#define XENMEM_machine_memory_map   10   /* xen_memory_map, privileged */
#define XENMEM_exchange             11   /* xen_memory_exchange */
#define XENMEM_machphys_mapping     12   /* xen_machphys_mapping */
#define XENMEM_set_memory_map       13   /* xen_foreign_memory_map */
#define XENMEM_maximum_gpfn         14   /* xen_memory_domain */
#define XENMEM_remove_from_physmap  15
#define XENMEM_add_to_physmap_batch 23   /* xen_add_to_physmap_batch */
#define XENMEM_claim_pages          24
#define XENMEM_machphys_compat_mfn_list 25

/*
 * xen_memory_reservation.mem_flags: the low byte limits the machine
 * addresses of new memory to that many bits (0: no limit); the rest are
 * NUMA and populate-on-demand requests.
 */
#define XENMEMF_address_bits(x)     (x)
#define XENMEMF_get_address_bits(x) ((x) & 0xffU)
#define XENMEMF_node(x)             (((x) + 1) << 8)
#define XENMEMF_get_node(x)         ((((x) >> 8) - 1) & 0xffU)
#define XENMEMF_populate_on_demand  (1U << 16)
#define XENMEMF_exact_node_request  (1U << 17)
#define XENMEMF_vnode               (1U << 18)

/*
 * increase_reservation: OUT extent_start[i] = first mfn of new extent i
 *                       (extent_start may be 0: nothing written).
 * decrease_reservation: IN  extent_start[i] = first mfn to give back.
 * populate_physmap:     IN  extent_start[i] = gpfn to fill;
 *                       OUT extent_start[i] = the mfn now behind it (the
 *                       M2P already says so).
 * Each extent is 2^extent_order contiguous frames. The result is the
 * number of extents handled (counting earlier pieces of the call), which
 * is short of nr_extents if one failed; never a negative error.
 */
struct xen_memory_reservation {
    uint64_t extent_start;      /* handle: xen_pfn_t[nr_extents] */
    xen_ulong_t nr_extents;
    uint32_t extent_order;
    uint32_t mem_flags;         /* XENMEMF_* */
    domid_t domid;              /* DOMID_SELF, or any for the privileged */
    uint16_t _pad0[3];
};
typedef struct xen_memory_reservation xen_memory_reservation_t;
MICA_ABI_SIZE(struct xen_memory_reservation, 32);
MICA_ABI_OFFSET(struct xen_memory_reservation, nr_extents, 8);
MICA_ABI_OFFSET(struct xen_memory_reservation, extent_order, 16);
MICA_ABI_OFFSET(struct xen_memory_reservation, mem_flags, 20);
MICA_ABI_OFFSET(struct xen_memory_reservation, domid, 24);

/*
 * exchange: give back in's extents and receive out's, the same number of
 * frames in total (nr_extents << extent_order equal). nr_exchanged (IN:
 * must be 0 at first; OUT) counts the input extents already exchanged.
 */
struct xen_memory_exchange {
    struct xen_memory_reservation in;
    struct xen_memory_reservation out;
    xen_ulong_t nr_exchanged;
};
typedef struct xen_memory_exchange xen_memory_exchange_t;
MICA_ABI_SIZE(struct xen_memory_exchange, 72);
MICA_ABI_OFFSET(struct xen_memory_exchange, out, 32);
MICA_ABI_OFFSET(struct xen_memory_exchange, nr_exchanged, 64);

/* current/maximum_reservation, maximum_gpfn: IN domid. */
struct xen_memory_domain {
    domid_t domid;
};
typedef struct xen_memory_domain xen_memory_domain_t;
MICA_ABI_SIZE(struct xen_memory_domain, 2);

/*
 * machphys_mfn_list: IN max_extents, extent_start; OUT extent_start[i] =
 * the first mfn of the i-th 2 MiB piece of the machine-to-phys table,
 * nr_extents = how many were written.
 */
struct xen_machphys_mfn_list {
    uint32_t max_extents;
    uint32_t _pad0;
    uint64_t extent_start;      /* handle: xen_pfn_t[max_extents] */
    uint32_t nr_extents;
    uint32_t _pad1;
};
typedef struct xen_machphys_mfn_list xen_machphys_mfn_list_t;
MICA_ABI_SIZE(struct xen_machphys_mfn_list, 24);
MICA_ABI_OFFSET(struct xen_machphys_mfn_list, extent_start, 8);
MICA_ABI_OFFSET(struct xen_machphys_mfn_list, nr_extents, 16);

/* machphys_mapping: OUT where the read-only M2P is, and its last mfn. */
struct xen_machphys_mapping {
    xen_ulong_t v_start, v_end;
    xen_ulong_t max_mfn;
};
typedef struct xen_machphys_mapping xen_machphys_mapping_t;
MICA_ABI_SIZE(struct xen_machphys_mapping, 24);
MICA_ABI_OFFSET(struct xen_machphys_mapping, max_mfn, 16);

/* xen_add_to_physmap.space */
#define XENMAPSPACE_shared_info  0
#define XENMAPSPACE_grant_table  1
#define XENMAPSPACE_gmfn         2
#define XENMAPSPACE_gmfn_range   3
#define XENMAPSPACE_gmfn_foreign 4
#define XENMAPSPACE_dev_mmio     5

#define XENMAPIDX_grant_table_status 0x80000000U

/*
 * add_to_physmap: put a page of `space` at gpfn of a translated guest.
 * PV guests are not translated: they map frames themselves.
 */
struct xen_add_to_physmap {
    domid_t domid;
    uint16_t size;              /* gmfn_range: number of pages */
    uint32_t space;             /* XENMAPSPACE_* */
    xen_ulong_t idx;
    xen_pfn_t gpfn;
};
typedef struct xen_add_to_physmap xen_add_to_physmap_t;
MICA_ABI_SIZE(struct xen_add_to_physmap, 24);
MICA_ABI_OFFSET(struct xen_add_to_physmap, space, 4);
MICA_ABI_OFFSET(struct xen_add_to_physmap, idx, 8);
MICA_ABI_OFFSET(struct xen_add_to_physmap, gpfn, 16);

struct xen_add_to_physmap_batch {
    domid_t domid;
    uint16_t space;
    uint16_t size;
    domid_t foreign_domid;      /* gmfn_foreign; 0 for other spaces */
    uint64_t idxs;              /* handle: xen_ulong_t[size] */
    uint64_t gpfns;             /* handle: xen_pfn_t[size] */
    uint64_t errs;              /* handle: int32_t[size], OUT */
};
typedef struct xen_add_to_physmap_batch xen_add_to_physmap_batch_t;
MICA_ABI_SIZE(struct xen_add_to_physmap_batch, 32);
MICA_ABI_OFFSET(struct xen_add_to_physmap_batch, idxs, 8);
MICA_ABI_OFFSET(struct xen_add_to_physmap_batch, errs, 24);

/* remove_from_physmap: take gpfn out of a translated guest's physmap. */
struct xen_remove_from_physmap {
    domid_t domid;
    uint16_t _pad0[3];
    xen_pfn_t gpfn;
};
typedef struct xen_remove_from_physmap xen_remove_from_physmap_t;
MICA_ABI_SIZE(struct xen_remove_from_physmap, 16);
MICA_ABI_OFFSET(struct xen_remove_from_physmap, gpfn, 8);

/*
 * One entry of a memory map, in the layout of the BIOS's E820 call:
 * 20 bytes, no padding between entries. The 64-bit fields are split so
 * that the struct needs no packing attribute; addr = addr_lo | hi << 32.
 */
struct xen_e820_entry {
    uint32_t addr_lo, addr_hi;
    uint32_t size_lo, size_hi;
    uint32_t type;              /* E820_* */
};
typedef struct xen_e820_entry xen_e820_entry_t;
MICA_ABI_SIZE(struct xen_e820_entry, 20);
MICA_ABI_OFFSET(struct xen_e820_entry, size_lo, 8);
MICA_ABI_OFFSET(struct xen_e820_entry, type, 16);

#define E820_RAM       1
#define E820_RESERVED  2
#define E820_ACPI      3
#define E820_NVS       4
#define E820_UNUSABLE  5
#define E820MAX        128      /* entries set_memory_map accepts */

/*
 * memory_map / machine_memory_map: IN nr_entries = room in buffer;
 * OUT nr_entries = entries written (xen_e820_entry each).
 */
struct xen_memory_map {
    uint32_t nr_entries;
    uint32_t _pad0;
    uint64_t buffer;            /* handle: xen_e820_entry[nr_entries] */
};
typedef struct xen_memory_map xen_memory_map_t;
MICA_ABI_SIZE(struct xen_memory_map, 16);
MICA_ABI_OFFSET(struct xen_memory_map, buffer, 8);

/* set_memory_map: the map memory_map will return to domid. */
struct xen_foreign_memory_map {
    domid_t domid;
    uint16_t _pad0[3];
    struct xen_memory_map map;
};
typedef struct xen_foreign_memory_map xen_foreign_memory_map_t;
MICA_ABI_SIZE(struct xen_foreign_memory_map, 24);
MICA_ABI_OFFSET(struct xen_foreign_memory_map, map, 8);

#endif /* MICA_PUBLIC_MEMORY_H */
