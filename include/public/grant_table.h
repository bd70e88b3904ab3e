/*
 * HYPERVISOR_grant_table_op(cmd, uop, count): grant tables, version 1.
 *
 * A domain (the granter) lets another domain use one of its frames by
 * filling an entry of its grant table, an array of grant_entry_v1 in
 * frames the hypervisor shares with it; the entry's index is the grant
 * reference the two domains exchange (through xenstore, usually). The
 * other domain (the mapper) then maps the frame into its page tables
 * (map_grant_ref, which returns a handle for unmap_grant_ref) or has the
 * hypervisor copy to or from it (copy).
 *
 * The granter writes `frame` and `domid` first, then `flags` with
 * GTF_permit_access (and GTF_readonly if it wishes), after a write
 * barrier. The hypervisor sets GTF_reading / GTF_writing in the entry
 * while the grant is in use; the granter may end a grant only by
 * atomically replacing flags that have neither bit set.
 *
 * `uop` is the guest address of an array of `count` structures of the
 * sub-op's type. Per-item results go to each item's `status` (GNTST_*);
 * the hypercall itself returns 0 or a negative errno for the whole call.
 * Fields marked IN are read, OUT written back.
 */
#ifndef MICA_PUBLIC_GRANT_TABLE_H
#define MICA_PUBLIC_GRANT_TABLE_H

#include <stdint.h>
#include "abi-check.h"
#include "xen.h"

typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t;

/* One entry of a version-1 table: 512 per 4 KiB frame. */
struct grant_entry_v1 {
    uint16_t flags;             /* GTF_*: type and access bits */
    domid_t domid;              /* who may use the grant */
    uint32_t frame;             /* the granted frame (an MFN for PV) */
};
typedef struct grant_entry_v1 grant_entry_v1_t;
MICA_ABI_SIZE(struct grant_entry_v1, 8);
MICA_ABI_OFFSET(struct grant_entry_v1, domid, 2);
MICA_ABI_OFFSET(struct grant_entry_v1, frame, 4);

/* The toolstack seeds these for the console and xenstore rings. */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE    0
#define GNTTAB_RESERVED_XENSTORE   1

/* grant_entry_v1.flags: the type in bits 0-1. */
#define GTF_invalid          (0U << 0)
#define GTF_permit_access    (1U << 0)
#define GTF_accept_transfer  (2U << 0)
#define GTF_transitive       (3U << 0)
#define GTF_type_mask        (3U << 0)

/* Access flags of a GTF_permit_access entry. */
#define _GTF_readonly        2
#define GTF_readonly         (1U << _GTF_readonly)   /* granter: no writes */
#define _GTF_reading         3
#define GTF_reading          (1U << _GTF_reading)    /* hypervisor: in use */
#define _GTF_writing         4
#define GTF_writing          (1U << _GTF_writing)    /* hypervisor: written */
#define _GTF_PWT             5
#define GTF_PWT              (1U << _GTF_PWT)
#define _GTF_PCD             6
#define GTF_PCD              (1U << _GTF_PCD)
#define _GTF_PAT             7
#define GTF_PAT              (1U << _GTF_PAT)
#define _GTF_sub_page        8
#define GTF_sub_page         (1U << _GTF_sub_page)   /* v2 only */

/* Flags of a GTF_accept_transfer entry. */
#define _GTF_transfer_committed 2
#define GTF_transfer_committed  (1U << _GTF_transfer_committed)
#define _GTF_transfer_completed 3
#define GTF_transfer_completed  (1U << _GTF_transfer_completed)

/* Sub-ops. */
#define GNTTABOP_map_grant_ref        0
#define GNTTABOP_unmap_grant_ref      1
#define GNTTABOP_setup_table          2
#define GNTTABOP_dump_table           3
#define GNTTABOP_transfer             4
#define GNTTABOP_copy                 5
#define GNTTABOP_query_size           6
#define GNTTABOP_unmap_and_replace    7
#define GNTTABOP_set_version          8
#define GNTTABOP_get_status_frames    9
#define GNTTABOP_get_version          10
#define GNTTABOP_swap_grant_ref       11
#define GNTTABOP_cache_flush          12

/*
 * map_grant_ref: map grant `ref` (IN) of domain `dom` (IN) with `flags`
 * (IN, GNTMAP_*). For GNTMAP_host_map, `host_addr` (IN) is a virtual
 * address in the caller's current page tables, or with
 * GNTMAP_contains_pte the machine address of the L1 entry to write.
 * OUT: status, handle (for unmap), dev_bus_addr (the frame's machine
 * address).
 */
struct gnttab_map_grant_ref {
    uint64_t host_addr;
    uint32_t flags;
    grant_ref_t ref;
    domid_t dom;
    int16_t status;
    grant_handle_t handle;
    uint64_t dev_bus_addr;
};
typedef struct gnttab_map_grant_ref gnttab_map_grant_ref_t;
MICA_ABI_SIZE(struct gnttab_map_grant_ref, 32);
MICA_ABI_OFFSET(struct gnttab_map_grant_ref, flags, 8);
MICA_ABI_OFFSET(struct gnttab_map_grant_ref, ref, 12);
MICA_ABI_OFFSET(struct gnttab_map_grant_ref, dom, 16);
MICA_ABI_OFFSET(struct gnttab_map_grant_ref, status, 18);
MICA_ABI_OFFSET(struct gnttab_map_grant_ref, handle, 20);
MICA_ABI_OFFSET(struct gnttab_map_grant_ref, dev_bus_addr, 24);

/*
 * unmap_grant_ref: undo the mapping `handle` (IN) at `host_addr` (IN,
 * interpreted as the map's flags said; 0 leaves the host mapping) and
 * `dev_bus_addr` (IN, device mappings). OUT: status.
 */
struct gnttab_unmap_grant_ref {
    uint64_t host_addr;
    uint64_t dev_bus_addr;
    grant_handle_t handle;
    int16_t status;
    uint16_t _pad0;
};
typedef struct gnttab_unmap_grant_ref gnttab_unmap_grant_ref_t;
MICA_ABI_SIZE(struct gnttab_unmap_grant_ref, 24);
MICA_ABI_OFFSET(struct gnttab_unmap_grant_ref, handle, 16);
MICA_ABI_OFFSET(struct gnttab_unmap_grant_ref, status, 20);

/*
 * setup_table: make domain `dom` (IN) have at least `nr_frames` (IN)
 * table frames and write the first nr_frames frame numbers to the
 * guest array at `frame_list` (IN, xen_pfn_t[]). OUT: status.
 * Exactly one structure per call.
 */
struct gnttab_setup_table {
    domid_t dom;
    uint16_t _pad0;
    uint32_t nr_frames;
    int16_t status;
    uint16_t _pad1[3];
    uint64_t frame_list;
};
typedef struct gnttab_setup_table gnttab_setup_table_t;
MICA_ABI_SIZE(struct gnttab_setup_table, 24);
MICA_ABI_OFFSET(struct gnttab_setup_table, nr_frames, 4);
MICA_ABI_OFFSET(struct gnttab_setup_table, status, 8);
MICA_ABI_OFFSET(struct gnttab_setup_table, frame_list, 16);

/* dump_table: debugging aid of old; not implemented by Xen 4.17. */
struct gnttab_dump_table {
    domid_t dom;
    int16_t status;
};
typedef struct gnttab_dump_table gnttab_dump_table_t;
MICA_ABI_SIZE(struct gnttab_dump_table, 4);

/* transfer: give frame `mfn` to `domid` through its accept entry `ref`. */
struct gnttab_transfer {
    xen_pfn_t mfn;
    domid_t domid;
    uint16_t _pad0;
    grant_ref_t ref;
    int16_t status;
    uint16_t _pad1[3];
};
typedef struct gnttab_transfer gnttab_transfer_t;
MICA_ABI_SIZE(struct gnttab_transfer, 24);
MICA_ABI_OFFSET(struct gnttab_transfer, ref, 12);
MICA_ABI_OFFSET(struct gnttab_transfer, status, 16);

/*
 * copy: `len` bytes from source to dest (IN). Each side names either a
 * grant (`u.ref` of `domid`, with GNTCOPY_source_gref / _dest_gref in
 * flags) or, for DOMID_SELF only, one of the caller's own frames
 * (`u.gmfn`). Neither range may cross the end of its frame. OUT: status.
 */
#define _GNTCOPY_source_gref 0
#define GNTCOPY_source_gref  (1 << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref   1
#define GNTCOPY_dest_gref    (1 << _GNTCOPY_dest_gref)

struct gnttab_copy_ptr {
    union {
        grant_ref_t ref;
        xen_pfn_t gmfn;
    } u;
    domid_t domid;
    uint16_t offset;
    uint32_t _pad0;
};
MICA_ABI_SIZE(struct gnttab_copy_ptr, 16);
MICA_ABI_OFFSET(struct gnttab_copy_ptr, domid, 8);
MICA_ABI_OFFSET(struct gnttab_copy_ptr, offset, 10);

struct gnttab_copy {
    struct gnttab_copy_ptr source, dest;
    uint16_t len;
    uint16_t flags;
    int16_t status;
    uint16_t _pad0;
};
typedef struct gnttab_copy gnttab_copy_t;
MICA_ABI_SIZE(struct gnttab_copy, 40);
MICA_ABI_OFFSET(struct gnttab_copy, dest, 16);
MICA_ABI_OFFSET(struct gnttab_copy, len, 32);
MICA_ABI_OFFSET(struct gnttab_copy, flags, 34);
MICA_ABI_OFFSET(struct gnttab_copy, status, 36);

/*
 * query_size: of domain `dom` (IN). OUT: nr_frames in use,
 * max_nr_frames it may grow to, status. One structure per call.
 */
struct gnttab_query_size {
    domid_t dom;
    uint16_t _pad0;
    uint32_t nr_frames;
    uint32_t max_nr_frames;
    int16_t status;
    uint16_t _pad1;
};
typedef struct gnttab_query_size gnttab_query_size_t;
MICA_ABI_SIZE(struct gnttab_query_size, 16);
MICA_ABI_OFFSET(struct gnttab_query_size, nr_frames, 4);
MICA_ABI_OFFSET(struct gnttab_query_size, max_nr_frames, 8);
MICA_ABI_OFFSET(struct gnttab_query_size, status, 12);

/* unmap_and_replace: obsolete (classic-Xen kernels). */
struct gnttab_unmap_and_replace {
    uint64_t host_addr;
    uint64_t new_addr;
    grant_handle_t handle;
    int16_t status;
    uint16_t _pad0;
};
typedef struct gnttab_unmap_and_replace gnttab_unmap_and_replace_t;
MICA_ABI_SIZE(struct gnttab_unmap_and_replace, 24);
MICA_ABI_OFFSET(struct gnttab_unmap_and_replace, handle, 16);
MICA_ABI_OFFSET(struct gnttab_unmap_and_replace, status, 20);

/* set_version: IN the wanted version; OUT the version now in force. */
struct gnttab_set_version {
    uint32_t version;
};
typedef struct gnttab_set_version gnttab_set_version_t;
MICA_ABI_SIZE(struct gnttab_set_version, 4);

/* get_status_frames: the status frames of a version-2 table. */
struct gnttab_get_status_frames {
    uint32_t nr_frames;
    domid_t dom;
    int16_t status;
    uint64_t frame_list;        /* guest address of uint64_t[] */
};
typedef struct gnttab_get_status_frames gnttab_get_status_frames_t;
MICA_ABI_SIZE(struct gnttab_get_status_frames, 16);
MICA_ABI_OFFSET(struct gnttab_get_status_frames, dom, 4);
MICA_ABI_OFFSET(struct gnttab_get_status_frames, status, 6);
MICA_ABI_OFFSET(struct gnttab_get_status_frames, frame_list, 8);

/* get_version: of domain `dom` (IN). OUT: version. */
struct gnttab_get_version {
    domid_t dom;
    uint16_t _pad0;
    uint32_t version;
};
typedef struct gnttab_get_version gnttab_get_version_t;
MICA_ABI_SIZE(struct gnttab_get_version, 8);
MICA_ABI_OFFSET(struct gnttab_get_version, version, 4);

/* swap_grant_ref: exchange two entries of the caller's table. */
struct gnttab_swap_grant_ref {
    grant_ref_t ref_a;
    grant_ref_t ref_b;
    int16_t status;
    uint16_t _pad0;
};
typedef struct gnttab_swap_grant_ref gnttab_swap_grant_ref_t;
MICA_ABI_SIZE(struct gnttab_swap_grant_ref, 12);

/* cache_flush: Arm's; x86 guests have coherent caches. */
struct gnttab_cache_flush {
    union {
        uint64_t dev_bus_addr;
        grant_ref_t ref;
    } a;
    uint16_t offset;
    uint16_t length;
    uint32_t op;
};
typedef struct gnttab_cache_flush gnttab_cache_flush_t;
MICA_ABI_SIZE(struct gnttab_cache_flush, 16);
MICA_ABI_OFFSET(struct gnttab_cache_flush, offset, 8);
MICA_ABI_OFFSET(struct gnttab_cache_flush, op, 12);

/* map_grant_ref flags. */
#define _GNTMAP_device_map      0
#define GNTMAP_device_map       (1 << _GNTMAP_device_map)
#define _GNTMAP_host_map        1
#define GNTMAP_host_map         (1 << _GNTMAP_host_map)
#define _GNTMAP_readonly        2
#define GNTMAP_readonly         (1 << _GNTMAP_readonly)
/* The host mapping is for guest user mode too, not the kernel alone. */
#define _GNTMAP_application_map 3
#define GNTMAP_application_map  (1 << _GNTMAP_application_map)
/* host_addr is the machine address of the L1 entry, not a VA. */
#define _GNTMAP_contains_pte    4
#define GNTMAP_contains_pte     (1 << _GNTMAP_contains_pte)
/*
 * Bits 16 and up are copied into the PTE's software-available bits
 * (9-11) when XENFEAT_gnttab_map_avail_bits is advertised.
 */
#define _GNTMAP_guest_avail0    16
#define GNTMAP_guest_avail_mask ((uint32_t)~0 << _GNTMAP_guest_avail0)

/* Per-item results. */
#define GNTST_okay              0
#define GNTST_general_error     (-1)
#define GNTST_bad_domain        (-2)
#define GNTST_bad_gntref        (-3)
#define GNTST_bad_handle        (-4)
#define GNTST_bad_virt_addr     (-5)
#define GNTST_bad_dev_addr      (-6)
#define GNTST_no_device_space   (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page          (-9)
#define GNTST_bad_copy_arg      (-10)
#define GNTST_address_too_big   (-11)
#define GNTST_eagain            (-12)
#define GNTST_no_space          (-13)

#endif /* MICA_PUBLIC_GRANT_TABLE_H */
